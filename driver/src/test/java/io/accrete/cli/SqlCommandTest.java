package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.server.AccreteServer;
import io.accrete.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accrete sql} with {@code -e}, {@code -f} and piped input, on a local database: psql's
 * tables, one {@code ERROR:  … (SQLSTATE …)} line per failed statement, exit 1 when any failed.
 */
class SqlCommandTest {
  @TempDir
  Path dir;
  String url;

  @BeforeEach
  void database() {
    url = "jdbc:accrete:local://" + dir.resolve("db");
    Cli r = Cli.run("sql", url + ";create=true", "-e", "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR)",
        "-e", "INSERT INTO t VALUES (1, 'a;b'), (2, NULL)");
    assertEquals(0, r.code(), r.all());
    assertEquals(List.of("CREATE TABLE", "INSERT 0 2"), r.out().lines().toList(), r.all());
    assertEquals("", r.err());
  }

  @Test
  void resultsAreTablesAndSuccessIsExitZero() {
    Cli r = Cli.run("sql", url, "-e", "SELECT id, name FROM t ORDER BY id", "-e", "UPDATE t SET name = 'c' WHERE id = 2");
    assertEquals(0, r.code(), r.all());
    assertEquals("", r.err());
    assertEquals(List.of(" id | name", "----+------", "  1 | a;b", "  2 |", "(2 rows)", "", "UPDATE 1"),
        r.out().lines().toList(), r.all());
  }

  @Test
  void anErrorIsOneLineWithItsSqlStateAndExitOne() {
    Cli r = Cli.run("sql", url, "-e", "SELECT * FROM nosuch");
    assertEquals(1, r.code(), r.all());
    assertEquals(1, r.err().lines().count(), r.all());
    assertTrue(r.err().startsWith("ERROR:  relation \"nosuch\" does not exist"), r.all());
    assertTrue(r.err().strip().endsWith("(SQLSTATE 42P01)"), r.all());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no Java trace: " + r.all());
  }

  @Test
  void statementsAfterAFailureStillRun() {
    Cli r = Cli.run("sql", url, "-e", "SELECT 1/0 AS x; SELECT count(*) AS n FROM t", "-e",
        "INSERT INTO t VALUES (1, 'again')");
    assertEquals(1, r.code(), r.all());
    assertEquals(List.of("ERROR:  division by zero (SQLSTATE 22012)",
        "ERROR:  duplicate key value violates unique constraint \"t_pkey\": Key (id)=(1) already exists (SQLSTATE 23505)"),
        r.err().lines().toList(), r.all());
    assertTrue(r.out().contains(" n\n---\n 2\n(1 row)"), r.all());
  }

  @Test
  void aFileNamesTheLineOfTheFailedStatement() throws Exception {
    Path script = dir.resolve("q.sql");
    Files.writeString(script, String.join("\n",
        "-- a report; with a semicolon in a comment",
        "SELECT name FROM t",
        "  WHERE name = 'a;b'; /* and ; here */",
        "",
        "SELECT nosuch",
        "  FROM t;",
        "SELECT count(*) AS n FROM t")); // the last statement needs no semicolon
    Cli r = Cli.run("sql", url, "-f", script.toString());
    assertEquals(1, r.code(), r.all());
    assertEquals(1, r.err().lines().count(), r.all());
    assertTrue(r.err().startsWith(script + ":5: ERROR:  column \"nosuch\" does not exist"), r.all());
    assertTrue(r.err().strip().endsWith("(SQLSTATE 42703)"), r.all());
    assertEquals(List.of(" name", "------", " a;b", "(1 row)", "", " n", "---", " 2", "(1 row)", ""),
        r.out().lines().toList(), r.all());

    Files.writeString(script, "SELECT count(*) AS n FROM t;\r\nSELECT 'x;y' AS s;\r\n");
    Cli good = Cli.run("sql", url, "--run=" + script, "--csv");
    assertEquals(0, good.code(), good.all());
    assertEquals(List.of("n", "2", "s", "x;y"), good.out().lines().toList(), good.all());
  }

  @Test
  void pipedInputRunsLikeAFile() {
    Cli good = Cli.piped("SELECT count(*) AS n FROM t;\nINSERT INTO t VALUES (3, 'c');\n", "sql", url);
    assertEquals(0, good.code(), good.all());
    assertEquals(List.of(" n", "---", " 2", "(1 row)", "", "INSERT 0 1"), good.out().lines().toList(), good.all());

    Cli bad = Cli.piped("SELECT 1 AS one;\nSELECT * FROM nosuch;\n", "sql", url);
    assertEquals(1, bad.code(), bad.all());
    assertEquals(1, bad.err().lines().count(), bad.all());
    assertTrue(bad.err().startsWith("<stdin>:2: ERROR:  relation \"nosuch\" does not exist"), bad.all());
    Cli dash = Cli.piped("SELECT * FROM nosuch", "sql", url, "-e", "SELECT 1 AS one", "-f", "-");
    assertEquals(1, dash.code(), dash.all());
    assertTrue(dash.out().contains(" one") && dash.err().startsWith("<stdin>:1: ERROR:  "), dash.all());
  }

  @Test
  void verboseAddsTheJavaTrace() {
    Cli r = Cli.run("sql", url, "--verbose", "-e", "SELECT * FROM nosuch");
    assertEquals(1, r.code(), r.all());
    assertTrue(r.err().startsWith("ERROR:  relation \"nosuch\" does not exist"), r.all());
    assertTrue(r.err().lines().count() > 5 && r.err().contains("\tat "), r.all());
  }

  @Test
  void csvQuotesWhatNeedsIt() {
    Cli r = Cli.run("sql", url, "--csv", "-e", "SELECT id, name, 'say \"hi\", then go' AS q FROM t ORDER BY id");
    assertEquals(0, r.code(), r.all());
    assertEquals(List.of("id,name,q", "1,a;b,\"say \"\"hi\"\", then go\"", "2,,\"say \"\"hi\"\", then go\""),
        r.out().lines().toList(), r.all());
  }

  @Test
  void aMissingFileStopsBeforeAnythingRuns() {
    Path missing = dir.resolve("missing.sql");
    Cli r = Cli.run("sql", url, "-e", "DELETE FROM t", "-f", missing.toString());
    assertEquals(2, r.code(), r.all());
    assertEquals("accrete sql: -f: cannot read " + missing, r.err().strip());
    Cli count = Cli.run("sql", url, "--csv", "-e", "SELECT count(*) AS n FROM t");
    assertEquals(List.of("n", "2"), count.out().lines().toList(), "the DELETE did not run: " + count.all());
  }

  @Test
  void remoteErrorsAreOneLineToo() throws Exception {
    try (AccreteServer server = AccreteServer.start(new AccreteServer.Options(TestData.freshUri(), "127.0.0.1", 0,
        null, null, null, 5, 5, new PrintStream(new ByteArrayOutputStream())))) {
      String remote = "jdbc:accrete:remote:url=http://127.0.0.1:" + server.port();
      Cli r = Cli.run("sql", remote, "-e", "SELECT 1 AS one", "-e", "SELECT * FROM nosuch");
      assertEquals(1, r.code(), r.all());
      assertTrue(r.out().startsWith(" one\n-----\n   1\n(1 row)"), r.all());
      assertEquals(1, r.err().lines().count(), r.all());
      assertTrue(r.err().startsWith("ERROR:  relation \"nosuch\" does not exist"), r.all());
      assertTrue(r.err().strip().endsWith("(SQLSTATE 42P01)"), r.all());
    }
  }
}
