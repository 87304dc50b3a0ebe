package io.accrete.transactor;

import io.accrete.storage.TestPostgres;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Transactors for tests: one in this JVM over the test PostgreSQL (for tests that need a
 * transactor but are not about it), and fresh PostgreSQL databases for tests that run their own
 * transactors (each storage has one lease, so those must not share the common one).
 */
public final class TestTransactor {
  private TestTransactor() {}

  private static Transactor shared;
  private static int databases;

  /** The test PostgreSQL's JDBC URL, with a transactor serving it from this JVM. */
  public static synchronized String url() {
    if (shared == null) {
      shared = Transactor.start(Transactor.Options.of(TestPostgres.url(), "127.0.0.1", 0, System.out)
          .withTimings(200, 1000));
      try {
        shared.activated().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the test transactor did not become active", e);
      }
    }
    return TestPostgres.url();
  }

  /** A new, empty PostgreSQL database on the test server: storage nobody else uses. */
  public static synchronized String freshStorage(String prefix) {
    String base = TestPostgres.url();
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + (databases++);
    try (java.sql.Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    int q = base.indexOf('?');
    String head = q < 0 ? base : base.substring(0, q);
    String tail = q < 0 ? "" : base.substring(q);
    return head.substring(0, head.lastIndexOf('/') + 1) + name + tail;
  }
}
