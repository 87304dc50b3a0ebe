package io.accrete.conn;

import io.accrete.Connection;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.spi.DatabaseProvider;
import io.accrete.spi.DatabaseUri;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code accrete:mem://name}: databases that live in this JVM's memory until deleted. The
 * query part takes {@code indexThreshold=N}, the novelty size (in datoms) that starts a
 * background indexing job; the system property {@code accrete.indexThreshold} sets the default.
 */
public final class MemProvider implements DatabaseProvider {
  /**
   * Datomic starts an indexing job when its memory index reaches {@code memory-index-threshold},
   * 32 MB by default; a datom of novelty here takes about 200 bytes (four index orders and the
   * log: 27 MB for the 140,000 datoms of the bench's 20,000 persons), so about as many datoms.
   */
  private static final long DEFAULT_THRESHOLD = 160_000;
  /** A database's state between connections. */
  private record Stored(Db db, TxLog log) {}

  private static final ConcurrentHashMap<String, Stored> DATABASES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, MemConnection> CONNECTIONS = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "mem";
  }

  @Override
  public void releaseAll() {
    for (MemConnection c : java.util.List.copyOf(CONNECTIONS.values())) {
      c.release(); // the data stays for the next connection
    }
  }

  @Override
  public java.util.List<String> databaseNames(DatabaseUri uri) {
    java.util.List<String> out = new java.util.ArrayList<>(DATABASES.keySet());
    java.util.Collections.sort(out);
    return out;
  }

  private static String name(DatabaseUri uri) {
    String name = uri.path();
    if (name.isEmpty() || name.contains("/")) {
      throw Errors.db("invalid-uri", "Database URI " + uri
          + " needs a database name without slashes: accrete:mem://name");
    }
    return name;
  }

  @Override
  public boolean createDatabase(DatabaseUri uri) {
    String name = name(uri);
    Db db = Db.bootstrap().withId(name + "-" + java.util.UUID.randomUUID());
    return DATABASES.putIfAbsent(name, new Stored(db, new TxLog())) == null;
  }

  @Override
  public Connection connect(DatabaseUri uri) {
    String name = name(uri);
    if (!DATABASES.containsKey(name)) {
      throw Errors.db("db-not-found", "Database " + uri
          + " does not exist; create it first with Peer.createDatabase(\"" + uri + "\")");
    }
    long threshold = threshold(uri);
    return CONNECTIONS.computeIfAbsent(name, n -> {
      Stored s = DATABASES.get(n);
      MemConnection[] self = new MemConnection[1];
      self[0] = new MemConnection(uri.toString(), s.db(), s.log(), threshold, () -> {
        // Keep the data for the next connection unless the database was deleted.
        DATABASES.computeIfPresent(n, (k, old) -> new Stored(self[0].latest(), old.log()));
        CONNECTIONS.remove(n, self[0]);
      });
      return self[0];
    });
  }

  @Override
  public synchronized boolean renameDatabase(DatabaseUri uri, String newName) {
    String name = name(uri);
    String to = newName;
    if (to == null || to.isEmpty() || to.contains("/") || to.contains("?")) {
      throw Errors.db("invalid-uri", "Cannot rename " + uri + " to \"" + newName
          + "\": a name is not empty and has no / or ?");
    }
    MemConnection c = CONNECTIONS.get(name);
    if (c != null) {
      c.release(); // stores its latest value under the old name
    }
    Stored s = DATABASES.get(name);
    if (s == null) {
      return false;
    }
    if (DATABASES.putIfAbsent(to, s) != null) {
      throw Errors.db("db-exists", "Cannot rename " + uri + " to " + newName + ": a database of that name exists");
    }
    DATABASES.remove(name, s);
    return true;
  }

  @Override
  public boolean deleteDatabase(DatabaseUri uri) {
    String name = name(uri);
    boolean existed = DATABASES.remove(name) != null;
    MemConnection c = CONNECTIONS.remove(name);
    if (c != null) {
      c.release();
    }
    return existed;
  }

  private static long threshold(DatabaseUri uri) {
    long t = Long.getLong("accrete.indexThreshold", DEFAULT_THRESHOLD);
    String q = uri.query();
    if (q != null) {
      for (String kv : q.split("&")) {
        String[] p = kv.split("=", 2);
        if (p.length == 2 && p[0].equals("indexThreshold")) {
          try {
            t = Long.parseLong(p[1]);
          } catch (NumberFormatException e) {
            throw Errors.db("invalid-uri", "indexThreshold in " + uri + " must be a number of datoms");
          }
        } else {
          throw Errors.db("invalid-uri", "Unknown option " + kv + " in " + uri
              + "; accrete:mem takes indexThreshold=N");
        }
      }
    }
    if (t < 1) {
      throw Errors.db("invalid-uri", "indexThreshold must be at least 1");
    }
    return t;
  }
}
