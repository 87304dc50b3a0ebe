package io.accrete.transactor;

import com.zaxxer.hikari.HikariDataSource;
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
  Storage storage(DatabaseUri uri, boolean create) {
    String jdbc = jdbc(uri);
    HikariDataSource pool = pools.computeIfAbsent(jdbc, SqlStorage::pool);
    return new SqlStorage(pool, false, TABLE, name(uri) + "/");
  }

  @Override
  public boolean deleteDatabase(DatabaseUri uri) {
    releaseConnection(uri);
    SqlStorage s = (SqlStorage) storage(uri, false);
    try {
      boolean existed = s.getRoot(DurableConnection.ROOT) != null;
      s.deleteAll();
      return existed;
    } finally {
      s.close();
    }
  }
}
