package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.server.AccreteServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A runaway query stops: {@code setQueryTimeout}, {@code cancel()} and PostgreSQL's
 * {@code statement_timeout} (SET, or the server's default) end it with 57014, and the connection
 * goes on, embedded and through {@code accrete serve} (whose cancel is a request of its own). The
 * query is a three-way cross join of 2,000 rows (8·10⁹ combinations): it would run
 * for hours.
 */
class TimeoutAndCancelTest {
  static final String RUNAWAY = "SELECT count(*) FROM n a, n b, n c WHERE a.v + b.v + c.v = -1";
  static String dbUri;
  static AccreteServer server;
  static AccreteServer strictServer;

  @BeforeAll
  static void start() throws Exception {
    dbUri = "accrete:mem://timeouts-" + System.nanoTime();
    Properties p = new Properties();
    p.setProperty("create", "true");
    try (Connection c = DriverManager.getConnection("jdbc:" + dbUri, p); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE n (v INTEGER)");
      StringBuilder b = new StringBuilder("INSERT INTO n VALUES (0)");
      for (int i = 1; i < 2000; i++) {
        b.append(", (").append(i).append(')');
      }
      s.executeUpdate(b.toString());
    }
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    server = AccreteServer.start(new AccreteServer.Options(dbUri, "127.0.0.1", 0, null, null, null, 10, 10, quiet));
    strictServer = AccreteServer.start(new AccreteServer.Options(dbUri, "127.0.0.1", 0, null, null, null, 10, 10,
        quiet, "700ms"));
  }

  @AfterAll
  static void stop() {
    server.close();
    strictServer.close();
  }

  /** Runs the runaway query and returns how long it took to fail with 57014, in milliseconds. */
  static long stops(Statement s, String message) {
    long t0 = System.nanoTime();
    SQLException e = assertThrows(SQLException.class, () -> {
      try (ResultSet rs = s.executeQuery(RUNAWAY)) {
        rs.next();
      }
    });
    assertEquals("57014", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static void stillServes(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM n")) {
      assertTrue(rs.next());
      assertEquals(2000, rs.getLong(1));
    }
  }

  @Test
  void queryTimeoutStopsTheQueryEmbeddedAndRemote() throws Exception {
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.setQueryTimeout(1);
        long ms = stops(s, "statement timeout");
        assertTrue(ms < 6_000, url + ": stopped after " + ms + " ms");
        stillServes(c);
      }
    }
  }

  @Test
  void statementTimeoutSettingAndTheServersDefault() throws Exception {
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = '500ms'");
        long ms = stops(s, "statement timeout (500 ms)");
        assertTrue(ms < 6_000, url + ": stopped after " + ms + " ms");
        s.execute("SET statement_timeout = 0");
        stillServes(c);
        assertEquals("22023", assertThrows(SQLException.class, () -> s.execute("SET statement_timeout = 'soon'"))
            .getSQLState());
      }
    }
    try (Connection c = DriverManager.getConnection(strictServer.jdbcUrl()); Statement s = c.createStatement()) {
      long ms = stops(s, "statement timeout (700 ms)");
      assertTrue(ms < 6_000, "the server's default stopped it after " + ms + " ms");
      stillServes(c);
    }
  }

  @Test
  void aRunawayOverTableFunctionsStopsToo() throws Exception {
    // no table is scanned: the series themselves check (they once ignored statement_timeout)
    String series = "SELECT count(*) FROM generate_series(1, 30000) a, generate_series(1, 30000) b";
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = '500ms'");
        long t0 = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(series).next());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("57014", e.getSQLState(), e.getMessage());
        assertTrue(ms < 6_000, url + ": stopped after " + ms + " ms");
      }
    }
  }

  @Test
  void cancelFromAnotherThreadStopsTheQuery() throws Exception {
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      cancelStops(url);
    }
  }

  private static void cancelStops(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      long[] cancelTook = new long[1];
      Thread canceler = new Thread(() -> {
        try {
          Thread.sleep(700);
          long t0 = System.nanoTime();
          s.cancel();
          cancelTook[0] = (System.nanoTime() - t0) / 1_000_000;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      canceler.start();
      long ms = stops(s, "user request");
      canceler.join();
      assertTrue(ms < 6_000, url + ": stopped after " + ms + " ms");
      assertTrue(cancelTook[0] < 1_000, url + ": cancel() returned after " + cancelTook[0] + " ms");
      stillServes(c);
      s.setQueryTimeout(1);
      stops(s, "statement timeout"); // the next run is not canceled by the old request
    }
  }
}
