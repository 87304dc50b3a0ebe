package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.storage.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accrete backup} and {@code accrete restore} move a local database to PostgreSQL. */
class BackupCommandTest {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void localDatabaseMovesToPostgresql() {
    String local = "accrete:local://" + dir.resolve("shop");
    Peer.createDatabase(local);
    Connection c = Peer.connect(local);
    c.transact("[{:db/ident :item/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
        + " :db/unique :db.unique/identity}]").join();
    c.transact("[{:item/sku \"a\"} {:item/sku \"b\"} {:item/sku \"c\"}]").join();
    c.release();

    String backup = dir.resolve("backup").toString();
    Run verified = run("verify", "--db", local);
    assertEquals(0, verified.code, verified.out + verified.err);
    assertTrue(verified.out.contains("ok: ") && verified.out.contains("segments"), verified.out);
    Run b = run("backup", "--db", local, backup);
    assertEquals(0, b.code, b.err);
    assertTrue(b.out.contains("backed up"), b.out);

    String sql = "accrete:sql://moved" + System.nanoTime() + "?" + TestPostgres.url();
    try {
      Run r = run("restore", backup, "--db", sql);
      assertEquals(0, r.code, r.err);
      assertTrue(r.out.contains("restored"), r.out);
      Run q = run("query", "--db", sql, "[:find [?s ...] :where [_ :item/sku ?s]]");
      assertEquals(0, q.code, q.err);
      for (String s : new String[] {"\"a\"", "\"b\"", "\"c\""}) {
        assertTrue(q.out.contains(s), q.out);
      }

      Run again = run("restore", backup, "--db", sql);
      assertEquals(1, again.code);
      assertTrue(again.err.startsWith("accrete restore: ") && again.err.contains("already exists"), again.err);
      assertEquals(1, again.err.strip().lines().count(), "one line: " + again.err);
    } finally {
      Peer.deleteDatabase(sql);
      Peer.deleteDatabase(local);
    }
  }

  @Test
  void badArgumentsGetOneLine() {
    Run noDir = run("backup", "--db", "accrete:local:///tmp/x");
    assertEquals(2, noDir.code);
    assertTrue(noDir.err.contains("usage: accrete backup --db <uri> DIR"), noDir.err);
    Run unknown = run("restore", "d", "--into", "x");
    assertEquals(2, unknown.code);
    assertTrue(unknown.err.contains("unknown option --into"), unknown.err);
    Run missing = run("restore", dir.resolve("none").toString(), "--db", "accrete:local://" + dir.resolve("t"));
    assertEquals(1, missing.code);
    assertTrue(missing.err.contains("no complete backup"), missing.err);
  }
}
