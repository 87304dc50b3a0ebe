package io.accrete.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The same persons in a plain PostgreSQL table, {@code person(id bigint primary key, name text,
 * age bigint, email text unique)} with indexes on {@code name} and {@code age}: a row per
 * entity, and an index per attribute as Accrete's AVET has (the primary key plays EAVT's part;
 * the heap, AEVT's). The loads and the single-row commits are the baseline Accrete's
 * PostgreSQL storage is compared with: PostgreSQL used directly, on the same server.
 */
final class PlainPostgres {
  /** The table; prefixed so it cannot collide with anything on an external server. */
  static final String TABLE = "accrete_bench_person";

  private final BenchPostgres pg;

  PlainPostgres(BenchPostgres pg) {
    this.pg = pg;
  }

  /** Creates the table and its indexes, empty (dropping an earlier one). */
  void recreate() throws SQLException {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL, age BIGINT NOT NULL,"
          + " email TEXT NOT NULL UNIQUE)");
      s.execute("CREATE INDEX " + TABLE + "_name ON " + TABLE + " (name)");
      s.execute("CREATE INDEX " + TABLE + "_age ON " + TABLE + " (age)");
    }
  }

  /** Drops the table. */
  void drop() throws SQLException {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
    }
  }

  /**
   * Loads persons {@code 0 .. rows - 1} with batched INSERTs, one transaction per {@code perTx}
   * rows (pgjdbc's {@code reWriteBatchedInserts} turns each batch into multi-row INSERTs, the
   * usual way to load through JDBC without COPY); returns the seconds it took.
   */
  double batchedInsert(long rows, int perTx) throws SQLException {
    Properties props = new Properties();
    props.setProperty("reWriteBatchedInserts", "true");
    try (Connection c = DriverManager.getConnection(pg.url(), props)) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (id, name, age, email) VALUES (?, ?, ?, ?)")) {
        for (long from = 0; from < rows; from += perTx) {
          long to = Math.min(from + perTx, rows);
          for (long i = from; i < to; i++) {
            s.setLong(1, i);
            s.setString(2, PersonRows.name(i));
            s.setLong(3, PersonRows.age(i));
            s.setString(4, PersonRows.email(i));
            s.addBatch();
          }
          s.executeBatch();
          c.commit();
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /**
   * Loads persons {@code 0 .. rows - 1} with one COPY in one transaction (pgjdbc's CopyManager),
   * streaming the text in chunks; returns the seconds it took.
   */
  double copy(long rows) throws SQLException {
    try (Connection c = pg.connect()) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("COPY " + TABLE + " (id, name, age, email) FROM STDIN");
      StringBuilder chunk = new StringBuilder(1 << 20);
      for (long i = 0; i < rows; i++) {
        PersonRows.copyLine(i, chunk);
        if (chunk.length() > (1 << 20) - 200 || i == rows - 1) {
          byte[] b = chunk.toString().getBytes(StandardCharsets.UTF_8);
          in.writeToCopy(b, 0, b.length);
          chunk.setLength(0);
        }
      }
      in.endCopy();
      c.commit();
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /**
   * Clients that each INSERT one new row per autocommit transaction (a commit per row, as
   * Accrete acknowledges a transaction per entity), on a connection of their own; ids come
   * from {@code ids}.
   */
  ClosedLoop.Opener singleRowInserts(AtomicLong ids) {
    return index -> {
      Connection c = pg.connect();
      PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (id, name, age, email) VALUES (?, ?, ?, ?)");
      return new ClosedLoop.Client() {
        @Override
        public void call() throws SQLException {
          long i = ids.getAndIncrement();
          s.setLong(1, i);
          s.setString(2, PersonRows.name(i));
          s.setLong(3, PersonRows.age(i));
          s.setString(4, PersonRows.email(i));
          s.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
          s.close();
          c.close();
        }
      };
    };
  }
}
