package io.accrete.transactor;

import com.zaxxer.hikari.HikariDataSource;
import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.db.Errors;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.SqlStorage;
import io.accrete.storage.Storage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code accrete:sql://name?jdbc:postgresql://host:port/db?user=…}: a database stored in
 * PostgreSQL, in the table {@code accrete_kvs} (created if missing) under the key prefix
 * {@code name/}; several databases share a table. Connection pools are shared per JDBC URL.
 * Options come from system properties ({@code accrete.indexThreshold}, …).
 */
public final class SqlProvider extends DurableProvider {
  static final String TABLE = "accrete_kvs";
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
  private final Map<String, PeerConnection> peers = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "sql";
  }

  private static String name(DatabaseUri uri) {
    String rest = uri.rest();
    int q = rest.indexOf('?');
    String name = q < 0 ? rest : rest.substring(0, q);
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw Errors.db("invalid-uri", "Database URI " + SqlStorage.redact(uri.toString())
          + " needs a database name of letters, digits, . _ -: accrete:sql://name?jdbc:postgresql://host:5432/db");
    }
    return name;
  }

  private static String jdbc(DatabaseUri uri) {
    String rest = uri.rest();
    int q = rest.indexOf('?');
    String jdbc = q < 0 ? "" : rest.substring(q + 1);
    if (!jdbc.startsWith("jdbc:postgresql:")) {
      throw Errors.db("invalid-uri", "Database URI " + SqlStorage.redact(uri.toString())
          + " needs a PostgreSQL JDBC URL after '?': accrete:sql://name?jdbc:postgresql://host:5432/db?user=u&password=p");
    }
    return jdbc;
  }

  @Override
  String id(DatabaseUri uri) {
    return jdbc(uri) + "#" + name(uri);
  }

  @Override
  Map<String, String> options(DatabaseUri uri) {
    return Map.of();
  }

  @Override
  public void releaseAll() {
    for (PeerConnection p : java.util.List.copyOf(peers.values())) {
      p.release();
    }
    super.releaseAll();
  }

  @Override
  Storage storage(DatabaseUri uri, boolean create) {
    String jdbc = jdbc(uri);
    HikariDataSource pool = pools.computeIfAbsent(jdbc, SqlStorage::pool);
    return new SqlStorage(pool, false, TABLE, name(uri) + "/");
  }

  /** The storage's rows outside any database: the transactor's lease and heartbeat. */
  private SqlStorage coordination(DatabaseUri uri) {
    return new SqlStorage(pools.computeIfAbsent(jdbc(uri), SqlStorage::pool), false, TABLE, "");
  }

  @Override
  public Connection connect(DatabaseUri uri) {
    Settings settings = Settings.of(options(uri), uri);
    PeerOptions options = PeerOptions.fromSystem();
    String id = id(uri);
    return peers.computeIfAbsent(id, k -> {
      PeerConnection[] self = new PeerConnection[1];
      self[0] = PeerConnection.open(uri.toString(), name(uri), (SqlStorage) storage(uri, false), coordination(uri),
          settings, options, () -> peers.remove(k, self[0]));
      return self[0];
    });
  }

  /**
   * A peer of its own, not shared with {@link #connect}'s: a second peer in one process, as if
   * it ran in another (tests, measurements).
   */
  PeerConnection openPeer(DatabaseUri uri) {
    return PeerConnection.open(uri.toString(), name(uri), (SqlStorage) storage(uri, false), coordination(uri),
        Settings.of(options(uri), uri), PeerOptions.fromSystem(), () -> { });
  }

  @Override
  void releaseConnection(DatabaseUri uri) {
    PeerConnection c = peers.get(id(uri));
    if (c != null) {
      c.release();
    }
  }

  /**
   * Moves the database's rows to the new name in one PostgreSQL transaction: through the
   * transactor when one holds the storage's lease (it stops serving the old name first), as
   * {@link #deleteDatabase} does.
   */
  @Override
  public boolean renameDatabase(DatabaseUri uri, String newName) {
    if (newName == null || !newName.matches("[A-Za-z0-9_.-]+")) {
      throw Errors.db("invalid-uri", "Cannot rename " + SqlStorage.redact(uri.toString()) + " to \"" + newName
          + "\": a database name is letters, digits, . _ -");
    }
    try {
      return change(uri, p -> p.renameThroughTransactor(newName),
          s -> s.getRoot(DurableConnection.ROOT) != null && s.renamePrefix(newName + "/"));
    } catch (AccreteException e) {
      if (io.accrete.Keyword.of("storage", "conflict").equals(e.code())) {
        throw Errors.db("db-exists", "Cannot rename " + SqlStorage.redact(uri.toString()) + " to " + newName
            + ": a database of that name exists");
      }
      throw e;
    }
  }

  @Override
  public boolean deleteDatabase(DatabaseUri uri) {
    return change(uri, PeerConnection::deleteThroughTransactor, s -> {
      boolean existed = s.getRoot(DurableConnection.ROOT) != null;
      s.deleteAll();
      return existed;
    });
  }

  /**
   * Deletes or renames a database: through the transactor when one holds the storage's lease
   * (it stops serving the database first), else directly on storage. A holder that cannot be
   * reached must be shown dead before storage is changed under it: its heartbeat must stay
   * unchanged for the lease, timed by this process's monotonic clock (comparing the beat's
   * wall-clock stamp with this machine's clock would trust two clocks to agree). False when
   * there is no database.
   */
  private boolean change(DatabaseUri uri, java.util.function.Predicate<PeerConnection> throughTransactor,
      java.util.function.Predicate<SqlStorage> directly) {
    if (leaseHeld(uri)) {
      if (((SqlStorage) storage(uri, false)).getRoot(DurableConnection.ROOT) == null) {
        return false;
      }
      PeerConnection p = (PeerConnection) connect(uri);
      try {
        return throughTransactor.test(p);
      } catch (AccreteException e) {
        if (!TransactorLink.UNAVAILABLE.equals(e.code())) {
          throw e;
        }
      } finally {
        p.release();
      }
      awaitSilentHeartbeat(uri);
    }
    releaseConnection(uri);
    SqlStorage s = (SqlStorage) storage(uri, false);
    try {
      return directly.test(s);
    } finally {
      s.close();
    }
  }

  /** Whether a transactor took the storage's lease and did not release it. */
  private boolean leaseHeld(DatabaseUri uri) {
    SqlStorage coord = coordination(uri);
    byte[] beat = coord.getRoot(Lease.HEARTBEAT);
    return coord.getRoot(Lease.ROOT) != null && beat != null && !Lease.released(beat);
  }

  /**
   * Returns once the heartbeat has stayed unchanged for the lease (or was released); fails when
   * it moves: a transactor is alive but out of this process's reach.
   */
  private void awaitSilentHeartbeat(DatabaseUri uri) {
    SqlStorage coord = coordination(uri);
    byte[] lease = coord.getRoot(Lease.ROOT);
    byte[] beat = coord.getRoot(Lease.HEARTBEAT);
    if (lease == null || beat == null || Lease.released(beat)) {
      return;
    }
    long wait = Lease.decode(lease, coord.describe()).leaseMillis() * 1_000_000L;
    long start = System.nanoTime();
    while (System.nanoTime() - start < wait) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.db("interrupted", "Interrupted while waiting to see whether the transactor of "
            + SqlStorage.redact(uri.toString()) + " is alive; nothing was changed");
      }
      byte[] now = coord.getRoot(Lease.HEARTBEAT);
      if (now != null && Lease.released(now)) {
        return;
      }
      if (!java.util.Arrays.equals(now, beat)) {
        throw new AccreteException(TransactorLink.UNAVAILABLE, "A transactor holds the lease of "
            + SqlStorage.redact(uri.toString()) + " and is beating, but cannot be reached from here; nothing was changed");
      }
    }
  }
}
