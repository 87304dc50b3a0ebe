package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Keyword;
import io.accrete.Peer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accrete verify}: a whole database passes; damaged, missing and truncated blobs are named. */
class VerifyTest {
  @TempDir
  Path dir;

  private String database(String name) {
    String uri = "accrete:local://" + dir.resolve(name) + "?indexThreshold=200";
    assertTrue(Peer.createDatabase(uri));
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :v/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
        + " {:db/ident :v/next :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]").join();
    for (int b = 0; b < 5; b++) {
      List<Object> tx = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        tx.add(Map.of(Keyword.intern(":db/id"), "n" + i, Keyword.intern(":v/name"), "node " + b + "-" + i,
            Keyword.intern(":v/next"), List.of("n" + ((i + 1) % 100))));
      }
      c.transact(tx).join();
    }
    c.transact("[[:db/retract [:db/ident :v/name] :db/doc \"x\"]]").join();
    c.requestIndex();
    c.transact("[{:v/name \"after the index\"}]").join(); // and some log past the root
    c.release();
    return uri;
  }

  private List<Path> segments(String name) throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve(name).resolve("seg"))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private Path reachedSegment(String name, String uri) throws Exception {
    io.accrete.spi.DatabaseUri u = io.accrete.spi.DatabaseUri.parse(uri);
    Set<String> reached;
    try (io.accrete.storage.Storage st = ((DurableProvider) io.accrete.spi.DatabaseProvider.of(u)).reader(u)) {
      reached = io.accrete.storage.Segments.reachable(st,
          io.accrete.storage.DbRoot.decode(st.getRoot(DurableConnection.ROOT), "test"));
    }
    // The largest reached segment: a leaf of many datoms, so the flipped bit lies in its data.
    return segments(name).stream().filter(p -> reached.contains("seg/" + p.getFileName()))
        .max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow(
            () -> new AssertionError("no segment file is reached by the root: " + reached));
  }

  @Test
  void aWholeDatabasePasses() {
    String uri = database("whole");
    Verify.Report r = Verify.verify(uri, step -> { });
    assertTrue(r.ok(), r.problems().toString());
    assertTrue(r.segments() > 1 && r.logEntries() > 5, r.toString());
    assertEquals(r.datomsPerIndex().get("EAVT"), r.datomsPerIndex().get("AEVT"));
    assertTrue(r.datomsPerIndex().get("VAET") >= 500, r.toString());
  }

  @Test
  void aFlippedBitInASegmentIsNamed() throws Exception {
    String uri = database("flipped");
    // A segment the current root reaches (an index job may leave retired or unpublished ones behind,
    // and file times do not order segments written in the same millisecond).
    Path seg = reachedSegment("flipped", uri);
    byte[] b = Files.readAllBytes(seg);
    b[b.length / 2] ^= 0x10;
    Files.write(seg, b);
    Verify.Report r = Verify.verify(uri, step -> { });
    assertFalse(r.ok());
    assertTrue(r.problems().get(0).contains(seg.getFileName().toString()), r.problems().toString());
  }

  @Test
  void aMissingSegmentIsNamed() throws Exception {
    String uri = database("missing");
    Path seg = reachedSegment("missing", uri);
    Files.delete(seg);
    Verify.Report r = Verify.verify(uri, step -> { });
    assertFalse(r.ok());
    assertTrue(String.join(" ", r.problems()).contains(seg.getFileName().toString()), r.problems().toString());
  }

  @Test
  void aDamagedLogIsNamed() throws Exception {
    String uri = database("log");
    Path wal;
    try (Stream<Path> s = Files.walk(dir.resolve("log").resolve(".wal"))) {
      wal = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock")).sorted()
          .findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(wal);
    b[200] ^= 0x01; // inside the first batches
    Files.write(wal, b);
    Verify.Report r = Verify.verify(uri, step -> { });
    assertFalse(r.ok(), "a log with a flipped bit is not whole: " + r);
    assertTrue(String.join(" ", r.problems()).contains(wal.getFileName().toString())
        || String.join(" ", r.problems()).contains("log"), r.problems().toString());
  }

  @Test
  void aDamagedPostgresqlRowIsNamed() throws Exception {
    String jdbc = TestTransactor.url();
    String uri = "accrete:sql://verify-" + System.nanoTime() + "?" + jdbc;
    assertTrue(Peer.createDatabase(uri));
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :v/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").join();
    List<Object> tx = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      tx.add(Map.of(Keyword.intern(":v/name"), "row " + i));
    }
    c.transact(tx).join();
    c.requestIndex();
    assertTrue(Verify.verify(uri, step -> { }).ok());
    String name = uri.substring("accrete:sql://".length(), uri.indexOf('?'));
    String damaged;
    try (java.sql.Connection pg = java.sql.DriverManager.getConnection(jdbc);
        java.sql.Statement s = pg.createStatement()) {
      try (java.sql.ResultSet rs = s.executeQuery("SELECT id FROM accrete_kvs WHERE id LIKE '" + name
          + "/seg/%' ORDER BY length(val) DESC LIMIT 1")) {
        assertTrue(rs.next());
        damaged = rs.getString(1);
      }
      // One bit flipped in the middle of the row's bytes (PostgreSQL keeps them as written).
      s.executeUpdate("UPDATE accrete_kvs SET val = set_byte(val, length(val) / 2,"
          + " get_byte(val, length(val) / 2) # 16) WHERE id = '" + damaged + "'");
    }
    Verify.Report r = Verify.verify(uri, step -> { });
    assertFalse(r.ok());
    String segment = damaged.substring(name.length() + 1);
    assertTrue(String.join(" ", r.problems()).contains(segment), r.problems().toString());
    Peer.deleteDatabase(uri);
  }

  @Test
  void onlyDurableDatabasesAreVerified() {
    assertThrows(io.accrete.AccreteException.class, () -> Verify.verify("accrete:mem://x", step -> { }));
  }
}
