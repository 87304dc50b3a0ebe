package io.accrete.spi;

import io.accrete.db.Errors;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The one instance of each {@link DatabaseProvider} on the classpath, loaded once: providers
 * hold connections, locks and pools, so everything that opens databases shares them.
 */
final class Providers {
  private Providers() {}

  private static volatile Map<String, DatabaseProvider> providers;

  static DatabaseProvider of(DatabaseUri uri) {
    Map<String, DatabaseProvider> ps = providers;
    if (ps == null) {
      ps = load();
    }
    DatabaseProvider p = ps.get(uri.scheme());
    if (p == null) {
      throw Errors.db("invalid-uri", "No provider for accrete:" + uri.scheme() + ": in " + uri
          + "; known schemes: " + String.join(", ", ps.keySet())
          + " (local and sql need the accrete-transactor module on the classpath)");
    }
    return p;
  }

  static java.util.Collection<DatabaseProvider> all() {
    Map<String, DatabaseProvider> ps = providers;
    return (ps == null ? load() : ps).values();
  }

  private static synchronized Map<String, DatabaseProvider> load() {
    if (providers == null) {
      Map<String, DatabaseProvider> ps = new HashMap<>();
      for (DatabaseProvider p : ServiceLoader.load(DatabaseProvider.class, DatabaseProvider.class.getClassLoader())) {
        ps.putIfAbsent(p.scheme(), p);
      }
      providers = Map.copyOf(ps);
    }
    return providers;
  }
}
