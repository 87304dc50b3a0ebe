package io.accrete.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Storage in one PostgreSQL table (created if missing), like Datomic's {@code datomic_kvs}:
 * {@code (id text collate "C" primary key, rev bigint, val bytea)}. Blobs are inserted once;
 * roots are rows updated by compare-and-set ({@code rev} holds the last one's token). Several
 * databases share a table: each uses its own key prefix. Connections come from HikariCP with connect and socket timeouts, so a dropped
 * connection is noticed within seconds and the next call gets a fresh one; calls that fail on
 * the connection are retried a few times before the error reaches the caller.
 */
public final class SqlStorage implements Storage {
  /** Seconds before a connect or a read on a socket gives up. */
  private static final int TIMEOUT_SECONDS = 10;
  private static final int ATTEMPTS = 3;

  private final HikariDataSource pool;
  private final boolean ownsPool;
  private final String table;
  private final String prefix;
  private final String where;
  /** The row every write checks first (null: unfenced), and the value it must still hold. */
  private final String fenceId;
  private final byte[] fenceValue;

  /**
   * Opens storage on a JDBC URL ({@code jdbc:postgresql://host:port/db?user=…&password=…}) in
   * {@code table}, for the keys under {@code prefix} (one database's).
   */
  public SqlStorage(String jdbcUrl, String table, String prefix) {
    this(pool(jdbcUrl), true, table, prefix);
  }

  /** Storage on an existing pool (shared by several databases); the caller closes the pool. */
  public SqlStorage(HikariDataSource pool, boolean ownsPool, String table, String prefix) {
    this(pool, ownsPool, table, prefix, null, null);
    createTable();
  }

  private SqlStorage(HikariDataSource pool, boolean ownsPool, String table, String prefix, String fenceId,
      byte[] fenceValue) {
    if (!table.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      throw new IllegalArgumentException("invalid table name " + table);
    }
    this.pool = pool;
    this.ownsPool = ownsPool;
    this.table = table;
    this.prefix = prefix;
    this.where = redact(pool.getJdbcUrl());
    this.fenceId = fenceId;
    this.fenceValue = fenceValue;
  }

  /**
   * The same storage (same pool, table and prefix; the caller still closes the original) whose
   * every write first checks, in the same PostgreSQL transaction and under a share lock on that
   * row, that the root {@code root} of {@code fence} still holds {@code value}; otherwise the
   * write fails with {@code :storage/fenced} and nothing is written. A writer that lost its
   * lease can thus never write again: a compare-and-set that replaces the fence row waits for
   * fenced writes in flight, and every later fenced write sees the new value.
   */
  public SqlStorage fenced(SqlStorage fence, String root, byte[] value) {
    if (fence.pool != pool || !fence.table.equals(table)) {
      throw new IllegalArgumentException("a fence must live in the same table and pool");
    }
    return new SqlStorage(pool, false, table, prefix, fence.prefix + "root:" + root, value.clone());
  }

  /** Storage under another prefix of the same table and pool (the caller still closes this one). */
  public SqlStorage sibling(String otherPrefix) {
    return new SqlStorage(pool, false, table, otherPrefix, null, null);
  }

  private void createTable() {
    try {
      run("create the table " + table, c -> {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS " + table
              + " (id TEXT COLLATE \"C\" PRIMARY KEY, rev BIGINT NOT NULL DEFAULT 0, val BYTEA NOT NULL)");
        }
        return null;
      });
    } catch (RuntimeException e) {
      if (ownsPool) {
        pool.close();
      }
      throw e;
    }
  }

  /**
   * Runs a write in one transaction, after checking the fence (if any) under a share lock on
   * its row.
   */
  private <T> T write(String what, Work<T> work) {
    return run(what, c -> {
      // Autocommit comes back on when the pool takes the connection back (HikariCP resets it).
      c.setAutoCommit(false);
      try {
        if (fenceId != null) {
          checkFence(c);
        }
        T out = work.on(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        // On a dropped connection the rollback fails too; the first error is the one that says
        // what happened (and whether a retry may help), so it is the one thrown.
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    });
  }

  private void checkFence(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT val FROM " + table + " WHERE id = ? FOR SHARE")) {
      s.setString(1, fenceId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next() || !java.util.Arrays.equals(r.getBytes(1), fenceValue)) {
          throw new StorageException("fenced", "This writer no longer holds " + fenceId + " in " + where
              + ": another transactor took over, so nothing was written");
        }
      }
    }
  }

  /**
   * Every storage session's limits on the server side, so a writer whose connection hangs
   * (a process frozen or cut off mid-transaction: its socket stays open) cannot block the next
   * one: PostgreSQL ends a session idle inside a transaction after 5 s (rolling it back, which
   * frees the lease row a fenced write holds a share lock on); no statement waits more than 15 s
   * for a lock; and the server probes a silent client's socket (keepalives) and gives up on
   * unacknowledged data after 30 s. Our transactions never pause between statements.
   */
  static final String SESSION_SETTINGS = "SET idle_in_transaction_session_timeout = '5s';"
      + " SET lock_timeout = '15s'; SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5;"
      + " SET tcp_keepalives_count = 3; SET tcp_user_timeout = 30000";

  /** A connection pool with the timeouts this storage relies on. */
  public static HikariDataSource pool(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new StorageException("invalid-jdbc-url", "Expected a PostgreSQL JDBC URL"
          + " (jdbc:postgresql://host:port/db), not " + redact(jdbcUrl));
    }
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(jdbcUrl);
    cfg.setMaximumPoolSize(8);
    cfg.setMinimumIdle(1);
    cfg.setConnectionTimeout(TIMEOUT_SECONDS * 1000L);
    cfg.setValidationTimeout(5000);
    cfg.setInitializationFailTimeout(-1); // report unreachable servers on first use, clearly
    cfg.setPoolName("accrete-" + redact(jdbcUrl));
    cfg.addDataSourceProperty("connectTimeout", TIMEOUT_SECONDS);
    cfg.addDataSourceProperty("socketTimeout", TIMEOUT_SECONDS * 3);
    cfg.addDataSourceProperty("tcpKeepAlive", true);
    cfg.setConnectionInitSql(SESSION_SETTINGS);
    try {
      return new HikariDataSource(cfg);
    } catch (RuntimeException e) {
      throw new StorageException("invalid-jdbc-url", "Cannot use JDBC URL " + redact(jdbcUrl) + ": "
          + e.getMessage(), e);
    }
  }

  /** A JDBC URL with its password hidden, for messages. */
  public static String redact(String url) {
    return url == null ? "null" : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  private <T> T run(String what, Work<T> work) {
    SQLException last = null;
    long deadline = System.nanoTime() + TIMEOUT_SECONDS * 1_000_000_000L;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try (Connection c = pool.getConnection()) {
        return work.on(c);
      } catch (SQLException e) {
        last = e;
        // Retry a dropped connection with a fresh one, within the timeout overall.
        if (!isConnectionFailure(e) || attempt == ATTEMPTS || System.nanoTime() > deadline) {
          break;
        }
        try {
          Thread.sleep(200L * attempt * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (last != null && isConnectionFailure(last)) {
      throw new StorageException("unreachable", "PostgreSQL at " + where + " is unreachable (" + what
          + "): " + last.getMessage() + "; check that the server runs and the URL, user and password are right",
          last);
    }
    throw new StorageException("sql-error", "PostgreSQL at " + where + " failed to " + what + ": "
        + (last == null ? "interrupted" : last.getMessage()), last);
  }

  private static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientException || (state != null && (state.startsWith("08")
        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")));
  }

  private byte[] read(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT val FROM " + table + " WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getBytes(1) : null;
      }
    }
  }

  @Override
  public byte[] get(String key) {
    return run("read " + key, c -> read(c, prefix + key));
  }

  @Override
  public void put(String key, byte[] value) {
    putAll(Map.of(key, value));
  }

  @Override
  public void putAll(Map<String, byte[]> blobs) {
    if (blobs.isEmpty()) {
      return;
    }
    write("write " + blobs.size() + " blob(s)", c -> {
      List<Map.Entry<String, byte[]>> order = new ArrayList<>(blobs.entrySet());
      int[] counts;
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table
          + " (id, rev, val) VALUES (?, 0, ?) ON CONFLICT (id) DO NOTHING")) {
        for (Map.Entry<String, byte[]> e : order) {
          s.setString(1, prefix + e.getKey());
          s.setBytes(2, e.getValue());
          s.addBatch();
        }
        counts = s.executeBatch();
      }
      // A key already there must hold the same bytes (a retry); other bytes are another
      // writer's, and nothing of this batch may pretend to be written.
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          byte[] stored = read(c, prefix + order.get(i).getKey());
          if (stored != null && !java.util.Arrays.equals(stored, order.get(i).getValue())) {
            throw new StorageException("conflict", "Blob " + order.get(i).getKey() + " in " + where
                + " already holds other bytes; blobs are immutable, so another writer wrote it: nothing was written");
          }
        }
      }
      return null;
    });
  }

  /** All in one PostgreSQL transaction: every blob is replaced, or none is. */
  @Override
  public void rewrite(Map<String, byte[]> blobs) {
    if (blobs.isEmpty()) {
      return;
    }
    write("rewrite " + blobs.size() + " blob(s)", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET val = ? WHERE id = ?")) {
        for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
          s.setBytes(1, e.getValue());
          s.setString(2, prefix + e.getKey());
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  @Override
  public byte[] getRoot(String name) {
    return get("root:" + name);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each call writes a random token of its own into the row's {@code rev}: when a connection
   * drops after PostgreSQL applied the change but before the answer arrived, the retry finds the
   * token and answers true, where comparing values alone would report a conflict (another
   * writer may have written an equal value, so equal bytes prove nothing).
   */
  @Override
  public boolean casRoot(String name, byte[] expected, byte[] value) {
    String id = prefix + "root:" + name;
    // Random, not secret (two calls drawing the same 64 bits is not to be expected); never 0,
    // the rev of rows written before tokens.
    long token = java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1;
    boolean[] tried = {false};
    return write("update root " + name, c -> {
      boolean retry = tried[0];
      tried[0] = true;
      int changed;
      if (expected == null) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table
            + " (id, rev, val) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
          s.setString(1, id);
          s.setLong(2, token);
          s.setBytes(3, value);
          changed = s.executeUpdate();
        }
      } else {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table
            + " SET val = ?, rev = ? WHERE id = ? AND val = ?")) {
          s.setBytes(1, value);
          s.setLong(2, token);
          s.setString(3, id);
          s.setBytes(4, expected);
          changed = s.executeUpdate();
        }
      }
      return changed == 1 || (retry && holdsToken(c, id, token));
    });
  }

  /** Whether row {@code id} still carries what the compare-and-set with {@code token} wrote. */
  private boolean holdsToken(Connection c, String id, long token) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT rev FROM " + table + " WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() && r.getLong(1) == token;
      }
    }
  }

  @Override
  public void delete(String key) {
    deleteId(prefix + key);
  }

  @Override
  public void deleteMany(java.util.Collection<String> keys) {
    List<String> ids = new ArrayList<>(keys.size());
    for (String k : keys) {
      ids.add(prefix + k);
    }
    for (int from = 0; from < ids.size(); from += 1000) {
      Object[] chunk = ids.subList(from, Math.min(ids.size(), from + 1000)).toArray();
      write("delete " + chunk.length + " blobs", c -> {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id = ANY(?)")) {
          s.setArray(1, c.createArrayOf("text", chunk));
          s.executeUpdate();
        }
        return null;
      });
    }
  }

  @Override
  public void deleteRoot(String name) {
    deleteId(prefix + "root:" + name);
  }

  private void deleteId(String id) {
    write("delete " + id, c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
        s.setString(1, id);
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<String> keys(String keyPrefix, String after, int limit) {
    String lo = prefix + (after == null || after.compareTo(keyPrefix) < 0 ? keyPrefix : after);
    boolean inclusive = after == null || after.compareTo(keyPrefix) < 0;
    String hi = prefix + keyPrefix + "\u007f"; // keys are ASCII below DEL
    return run("list keys " + keyPrefix, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT id FROM " + table + " WHERE id "
          + (inclusive ? ">=" : ">") + " ? AND id < ? ORDER BY id LIMIT ?")) {
        s.setString(1, lo);
        s.setString(2, hi);
        s.setInt(3, limit);
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            String id = r.getString(1);
            if (id.startsWith(prefix + keyPrefix)) {
              out.add(id.substring(prefix.length()));
            }
          }
        }
        return out;
      }
    });
  }

  /** Deletes every row of this storage's prefix (the database is being deleted). */
  public void deleteAll() {
    write("delete the database's rows", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id >= ? AND id < ?")) {
        s.setString(1, prefix);
        s.setString(2, prefix + "\u007f");
        s.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Moves every row of this storage's prefix to {@code newPrefix}, in one transaction (a
   * database is being renamed). False when the prefix holds no rows; a {@code :storage/conflict}
   * error, with nothing moved, when {@code newPrefix} already holds some.
   */
  public boolean renamePrefix(String newPrefix) {
    return write("rename the database's rows", c -> {
      try (PreparedStatement taken = c.prepareStatement(
          "SELECT 1 FROM " + table + " WHERE id >= ? AND id < ? LIMIT 1")) {
        taken.setString(1, newPrefix);
        taken.setString(2, newPrefix + "\u007f");
        try (ResultSet r = taken.executeQuery()) {
          if (r.next()) {
            throw new StorageException("conflict", "Rows under " + newPrefix + " exist in " + where + " table " + table);
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET id = ? || substr(id, ?)"
          + " WHERE id >= ? AND id < ?")) {
        s.setString(1, newPrefix);
        s.setInt(2, prefix.length() + 1);
        s.setString(3, prefix);
        s.setString(4, prefix + "\u007f");
        return s.executeUpdate() > 0;
      }
    });
  }

  @Override
  public String describe() {
    return "PostgreSQL storage " + where + " table " + table + (prefix.isEmpty() ? "" : " prefix " + prefix);
  }

  @Override
  public void close() {
    if (ownsPool) {
      pool.close();
    }
  }
}
