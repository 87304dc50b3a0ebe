package io.accrete.transactor;

import io.accrete.Connection;
import io.accrete.spi.DatabaseProvider;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.Storage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the durable URI schemes share: one connection per database per process, opened over
 * the scheme's storage, and released together with it.
 */
abstract class DurableProvider implements DatabaseProvider {
  private final ConcurrentHashMap<String, DurableConnection> connections = new ConcurrentHashMap<>();

  /** A database's identity for this provider (its directory, or JDBC URL and name). */
  abstract String id(DatabaseUri uri);

  /** Opens the database's storage (for create or connect). */
  abstract Storage storage(DatabaseUri uri, boolean create);

  /**
   * The storage of an existing database for reading only (backups), without taking what a
   * transactor takes; close it when done.
   */
  Storage reader(DatabaseUri uri) {
    return storage(uri, false);
  }

  /** The URI's options, for {@link Settings}. */
  abstract Map<String, String> options(DatabaseUri uri);

  /** Called when a connection is released, to free what {@link #storage} took. */
  void closed(DatabaseUri uri, Storage storage) {
    storage.close();
  }

  @Override
  public boolean createDatabase(DatabaseUri uri) {
    Settings settings = Settings.of(options(uri), uri);
    if (connections.containsKey(id(uri))) {
      return false; // open here, so it exists
    }
    Storage s = storage(uri, true);
    try {
      return DurableConnection.create(s, settings);
    } finally {
      closed(uri, s);
    }
  }

  @Override
  public Connection connect(DatabaseUri uri) {
    Settings settings = Settings.of(options(uri), uri);
    String id = id(uri);
    return connections.computeIfAbsent(id, k -> {
      Storage s = storage(uri, false);
      DurableConnection[] self = new DurableConnection[1];
      try {
        self[0] = DurableConnection.open(uri.toString(), s, settings, () -> {
          connections.remove(k, self[0]);
          closed(uri, s);
        });
      } catch (RuntimeException e) {
        closed(uri, s);
        throw e;
      }
      return self[0];
    });
  }

  @Override
  public void releaseAll() {
    for (DurableConnection c : java.util.List.copyOf(connections.values())) {
      c.release();
    }
  }

  /** Releases this process's connection to the database, if any. */
  void releaseConnection(DatabaseUri uri) {
    DurableConnection c = connections.get(id(uri));
    if (c != null) {
      c.release();
    }
  }

  static Map<String, String> query(String q, String uriText) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q == null || q.isEmpty()) {
      return out;
    }
    for (String kv : q.split("&")) {
      String[] p = kv.split("=", 2);
      if (p.length != 2 || p[0].isEmpty()) {
        throw io.accrete.db.Errors.db("invalid-uri", "Bad option " + kv + " in " + uriText + "; use name=value");
      }
      out.put(p[0], p[1]);
    }
    return out;
  }
}
