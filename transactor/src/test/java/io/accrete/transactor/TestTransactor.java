package io.accrete.transactor;

import io.accrete.storage.TestPostgres;
import java.util.concurrent.TimeUnit;

/**
 * Transactors for tests: one in this JVM over the test PostgreSQL (for tests that need a
 * transactor but are not about it), and fresh PostgreSQL databases for tests that run their own
 * transactors (each storage has one lease, so those must not share the common one).
 */
public final class TestTransactor {
  private TestTransactor() {}

  private static Transactor shared;

  /** The test PostgreSQL's JDBC URL, with a transactor serving it from this JVM. */
  public static synchronized String url() {
    if (shared == null) {
      // The default lease: no standby here, and a long lease keeps a loaded machine's stalls
      // from turning peers away.
      shared = Transactor.start(Transactor.Options.of(TestPostgres.url(), "127.0.0.1", 0, System.out));
      try {
        shared.activated().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the test transactor did not become active", e);
      }
    }
    return TestPostgres.url();
  }

  /** A new, empty PostgreSQL database on the test server: storage nobody else uses. */
  public static String freshStorage(String prefix) {
    return TestPostgres.freshDatabase(prefix);
  }
}
