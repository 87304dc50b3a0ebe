package io.accrete.sql;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's session functions that BI tools call when they connect: {@code version()},
 * {@code current_database()}, {@code current_setting(name)} (also behind {@code SHOW name}).
 * Public only for Calcite's generated code; not an API.
 */
public final class PostgresFunctions {
  private PostgresFunctions() {}

  /** The PostgreSQL version whose dialect Accrete speaks, which tools read to pick their SQL. */
  static final String SERVER_VERSION = "15.0";

  /** PostgreSQL's {@code version()}: the dialect first, as tools parse it, then what this is. */
  public static String version(DataContext root) {
    return "PostgreSQL " + SERVER_VERSION + " (Accrete, a database of immutable facts, speaking PostgreSQL's SQL)";
  }

  /** The database this connection reads: the name in its URI. */
  public static String currentDatabase(DataContext root) {
    return SequenceFunctions.session(root).databaseName();
  }

  /** A setting {@code SET} gave this session, or its default; an unknown name is an error, as in PostgreSQL. */
  public static String currentSetting(DataContext root, String name) {
    String key = name.toLowerCase(Locale.ROOT);
    String v = SequenceFunctions.session(root).setting(key);
    if (v != null) {
      return v;
    }
    if (key.equals("timezone")) {
      return java.util.TimeZone.getDefault().getID();
    }
    v = DEFAULTS.get(key);
    if (v == null) {
      throw new AccreteSqlException("42704", "unrecognized configuration parameter \"" + name + "\"");
    }
    return v;
  }

  private static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("server_version", SERVER_VERSION),
      Map.entry("server_version_num", "150000"),
      Map.entry("server_encoding", "UTF8"),
      Map.entry("client_encoding", "UTF8"),
      Map.entry("datestyle", "ISO, MDY"),
      Map.entry("intervalstyle", "postgres"),
      Map.entry("search_path", AccreteSql.SCHEMA),
      Map.entry("standard_conforming_strings", "on"),
      Map.entry("transaction_isolation", "serializable"),
      Map.entry("default_transaction_read_only", "off"),
      Map.entry("statement_timeout", "0"),
      Map.entry("application_name", ""),
      Map.entry("max_identifier_length", "63"),
      Map.entry("integer_datetimes", "on"));

  static List<SessionFunction> all() {
    return List.of(new SessionFunction("version", PostgresFunctions.class, SqlTypeName.VARCHAR),
        new SessionFunction("current_database", PostgresFunctions.class, SqlTypeName.VARCHAR),
        new SessionFunction("current_setting", PostgresFunctions.class, SqlTypeName.VARCHAR, SqlTypeName.VARCHAR));
  }
}
