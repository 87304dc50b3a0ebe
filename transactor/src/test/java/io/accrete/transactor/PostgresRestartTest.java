package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again under load, with a transactor and a peer: writers on the peer keep
 * transacting; while the server is down nothing is acknowledged (writers wait, or get clear
 * errors), within 10 s of its return they are acknowledged again, and every acknowledged transaction is there, whole, in the running
 * connection and after reopening from storage. Uses a server of its own (it is restarted).
 */
class PostgresRestartTest {
  @TempDir
  Path dir;

  private static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }

  @Test
  void writersSurviveARestartOfPostgresql() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve("pgdata");
    EmbeddedPostgres pg = start(data, port);
    String uri = "accrete:sql://restart?" + pg.getJdbcUrl("postgres", "postgres");
    System.setProperty("accrete.indexThreshold", "1000");
    // What the transactor and peer say on stderr (indexing and catch-up failures) goes into a
    // failure's message: CI shows the message, not the whole output.
    java.io.PrintStream stderr = System.err;
    List<String> said = new CopyOnWriteArrayList<>();
    System.setErr(new java.io.PrintStream(stderr, true) {
      @Override
      public void println(String x) {
        said.add(x);
        super.println(x);
      }
    });
    Transactor transactor = Transactor.start(Transactor.Options.of(pg.getJdbcUrl("postgres", "postgres"), "127.0.0.1", 0,
        System.out).withTimings(200, 1000));
    try {
      transactor.activated().get(30, TimeUnit.SECONDS);
      assertTrue(Peer.createDatabase(uri));
      Connection c = Peer.connect(uri);
      c.transact(CrashWriter.SCHEMA).join();

      Set<Long> acked = ConcurrentHashMap.newKeySet();
      List<String> failures = new CopyOnWriteArrayList<>();
      AtomicLong next = new AtomicLong(1);
      AtomicLong lastAck = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean outage = new AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger ackedInOutage = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            long id = next.getAndIncrement();
            try {
              c.transact(List.of(CrashWriter.entity(id), CrashWriter.entity(id + 1_000_000_000L)))
                  .get(30, TimeUnit.SECONDS);
              acked.add(id);
              long now = System.nanoTime();
              lastAck.set(now);
              if (outage.get()) {
                ackedInOutage.incrementAndGet();
              }
            } catch (Exception e) {
              failures.add(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
              sleep(50);
            }
          }
        });
        t.start();
        writers.add(t);
      }
      Thread.sleep(1500);
      int before = acked.size();
      pg.close(); // stops the server (and waits for it), keeps its data directory
      Thread.sleep(500); // acknowledgements of what committed before the stop are on their way
      outage.set(true);
      Thread.sleep(2500);
      outage.set(false);
      pg = start(data, port);
      long back = System.nanoTime();
      while (lastAck.get() < back && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(20)) {
        Thread.sleep(20);
      }
      double recovery = (lastAck.get() - back) / 1e9;
      Thread.sleep(1000);
      stop.set(true);
      for (Thread t : writers) {
        t.join(60_000);
      }

      System.out.printf("PostgreSQL restart: %d acknowledged, %d refused during the outage, acknowledged again %.2f s after it returned%n",
          acked.size(), failures.size(), recovery);
      assertTrue(before > 0, "writers were acknowledged before the restart");
      assertTrue(lastAck.get() > back && recovery < 10, "acknowledged again " + recovery + " s after PostgreSQL returned");
      // Writers wait out a short outage (storage calls retry) or are refused; none is acknowledged
      // while nothing can be made durable.
      assertEquals(0, ackedInOutage.get(), "transactions acknowledged while PostgreSQL was down");
      for (String f : failures) {
        // Refused while the transactor cannot reach storage, or, for one in flight when the
        // transactor closed its link (it cannot prove its lease then), an honest "may or may not".
        assertTrue(f.contains("PostgreSQL") || f.contains("storage") || f.contains("may or may not have been applied"),
            "a failure names the storage or says the outcome is unknown: " + f);
      }
      try {
        check(c.db(), acked);
      } catch (io.accrete.storage.StorageException e) {
        throw new AssertionError(diagnosis(e, pg.getJdbcUrl("postgres", "postgres"), c.db(), said), e);
      }
      c.release();
      Connection reopened = Peer.connect(uri);
      check(reopened.db(), acked);
      reopened.transact(List.of(CrashWriter.entity(-1))).join();
      Peer.deleteDatabase(uri);
      assertEquals(Transactor.State.ACTIVE, transactor.state(), "the transactor rode out the outage");
    } finally {
      System.clearProperty("accrete.indexThreshold");
      System.setErr(stderr);
      transactor.close();
      pg.close();
    }
  }

  /** Why a read failed: the roots involved, whether the segment exists now, what was said on stderr. */
  private static String diagnosis(RuntimeException e, String jdbcUrl, Database peerDb, List<String> said) {
    StringBuilder b = new StringBuilder(e.getMessage());
    try (io.accrete.storage.SqlStorage raw = new io.accrete.storage.SqlStorage(jdbcUrl, "accrete_kvs", "restart/")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("seg/[0-9a-z-]+").matcher(e.getMessage());
      if (m.find()) {
        b.append("; segment in storage now: ").append(raw.get(m.group()) != null);
      }
      byte[] root = raw.getRoot(StoredConnection.ROOT);
      io.accrete.storage.DbRoot r = io.accrete.storage.DbRoot.decode(root, "test");
      b.append("; storage root basis ").append(r.indexBasisT()).append(" ")
          .append(java.util.Arrays.toString(r.trees()));
    } catch (RuntimeException again) {
      b.append("; storage unreadable: ").append(again.getMessage());
    }
    b.append("; peer basis ").append(peerDb.basisT()).append("; stderr: ").append(said);
    // Options left by another test in this JVM (a gcRetention of 0 deletes what a lagging peer reads).
    b.append("; options: ");
    System.getProperties().forEach((k, v) -> {
      if (k.toString().startsWith("accrete.")) {
        b.append(k).append('=').append(v).append(' ');
      }
    });
    return b.toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every acknowledged transaction is present and every present entity is whole. */
  static void check(Database db, Set<Long> acked) {
    Collection<?> ids = Peer.q("[:find [?id ...] :where [_ :crash/id ?id]]", db);
    Set<Long> present = new HashSet<>();
    for (Object o : ids) {
      present.add((Long) o);
    }
    for (long id : acked) {
      assertTrue(present.contains(id) && present.contains(id + 1_000_000_000L), "acknowledged " + id + " is lost");
    }
    for (long id : present) {
      Entity e = db.entity(List.of(Keyword.intern(":crash/id"), id));
      assertEquals(id * 3, e.get(":crash/a"), "entity " + id + " is partial");
      assertEquals("entity " + id, e.get(":crash/b"));
      assertEquals(-id, e.get(":crash/c"));
      assertNotNull(e.get(":crash/d"));
      long pair = id >= 1_000_000_000L ? id - 1_000_000_000L : id + 1_000_000_000L;
      assertTrue(present.contains(pair), "transaction of " + id + " is partial");
    }
  }
}
