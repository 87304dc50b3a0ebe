package io.accrete.sql;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.spi.IndexAccess;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import org.apache.calcite.DataContext;

/**
 * One SQL connection's view of a database: which value each statement reads, and the
 * connection's time-travel properties.
 *
 * <p>Every statement reads one database value, taken when its first scan starts and shared by
 * all its scans (kept in the execution's {@link StatementContext}, which dies with it). With
 * {@code basis=connection} the value taken by the first statement serves the whole connection,
 * so a report's queries agree with each other.
 */
final class SqlSession {
  /** Connection property: read as of a t, a transaction id or an ISO-8601 instant. */
  static final String AS_OF = "asOf";
  /** Connection property: read only datoms since a t, a transaction id or an instant. */
  static final String SINCE = "since";
  /** Connection property: {@code true} makes {@code datoms} show retractions and past values. */
  static final String HISTORY = "history";
  /** Connection property: {@code statement} (default) or {@code connection}. */
  static final String BASIS = "basis";
  /** Connection property: the path of a {@link Metaschema} file. */
  static final String METASCHEMA = "metaschema";
  /** Connection property: {@code false} compiles every query's plan, small ones too ({@link PlanInterpreter}). */
  static final String INTERPRET = "interpret";
  /** Connection property: {@code false} has Calcite's validator check every query, plain ones too ({@link QueryBinder}). */
  static final String BIND = "bind";

  private final Connection conn;
  private final Object asOf;
  private final Object since;
  private final boolean history;
  private final boolean connectionBasis;
  private final boolean interpret;
  private final boolean bind;
  private final Metaschema metaschema;
  private volatile Database pinned;
  private final SqlWrites writes;
  private final SqlDdl ddl;
  private final Sequences sequences;
  private volatile AccreteSchema schema;
  /** What {@code SET} said this session, by lower-case name. */
  /** Connection property: the database's name, for {@code current_database()}. */
  static final String DATABASE = "database";
  private final String databaseName;
  private final Map<String, String> settings = new java.util.concurrent.ConcurrentHashMap<>();
  private final String defaultTimeout;

  SqlSession(Connection conn, Properties props) {
    this.conn = conn;
    this.databaseName = props.getProperty(DATABASE, "accrete");
    this.writes = new SqlWrites(conn);
    this.ddl = new SqlDdl(this);
    this.sequences = new Sequences(conn, writes);
    this.defaultTimeout = props.getProperty(STATEMENT_TIMEOUT);
    Cancellation.millis(defaultTimeout); // a malformed value fails the connection, not its first query
    this.asOf = point(props, AS_OF);
    this.since = point(props, SINCE);
    String h = props.getProperty(HISTORY, "false").trim();
    if (!h.equalsIgnoreCase("true") && !h.equalsIgnoreCase("false")) {
      throw new AccreteSqlException("Connection property history must be true or false, not '" + h + "'");
    }
    this.history = Boolean.parseBoolean(h);
    this.interpret = flag(props, INTERPRET, true);
    this.bind = flag(props, BIND, true);
    String b = props.getProperty(BASIS, "statement").trim();
    if (!b.equals("statement") && !b.equals("connection")) {
      throw new AccreteSqlException(
          "Connection property basis must be statement or connection, not '" + b + "'");
    }
    this.connectionBasis = b.equals("connection");
    String ms = props.getProperty(METASCHEMA);
    if (ms == null || ms.isBlank()) {
      this.metaschema = Metaschema.NONE;
    } else {
      this.metaschema = Metaschema.read(java.nio.file.Path.of(ms.trim()));
      this.metaschema.check(IndexAccess.of(conn.db()).schema(), ms.trim());
    }
  }

  Metaschema metaschema() {
    return metaschema;
  }

  Connection conn() {
    return conn;
  }

  SqlWrites writes() {
    return writes;
  }

  SqlDdl ddl() {
    return ddl;
  }

  Sequences sequences() {
    return sequences;
  }

  void schema(AccreteSchema s) {
    this.schema = s;
  }

  /**
   * Connection property: the default {@code statement_timeout} (PostgreSQL's form: milliseconds,
   * or a number with a unit such as {@code 30s}); {@code SET statement_timeout} changes it.
   */
  static final String STATEMENT_TIMEOUT = "statementTimeout";

  /** {@code SET name = value}; a null value ({@code DEFAULT}, {@code RESET}) forgets it, {@code RESET ALL} all. */
  void set(String name, String value) {
    if (value == null) {
      if (name.equals("all")) {
        settings.clear();
      } else {
        settings.remove(name);
      }
    } else {
      if (name.equals("statement_timeout")) {
        Cancellation.millis(value);
      }
      settings.put(name, value);
    }
  }

  /** The database's name, as {@code current_database()} shows it. */
  String databaseName() {
    return databaseName;
  }

  /** A setting {@code SET} gave this session (else the connection's default), or null. */
  String setting(String name) {
    String v = settings.get(name);
    return v != null || !name.equals("statement_timeout") ? v : defaultTimeout;
  }

  /** The tables this connection shows now. */
  Map<String, org.apache.calcite.schema.Table> tables() {
    return schema.tableMap();
  }

  /** Whether this connection reads the present (writes need it: no AS OF, SINCE or history). */
  void checkWritable(String table) {
    if (asOf != null || since != null || history) {
      throw new AccreteSqlException("25006", "cannot write " + table + ": this connection reads "
          + (asOf != null ? "as of a past moment" : since != null ? "since a moment" : "history")
          + " (connection properties asOf, since, history); open one without them to write");
    }
  }

  /** Whether the connection running a statement commits each statement (JDBC auto-commit). */
  static boolean autoCommit(DataContext root) {
    if (root.getQueryProvider() instanceof java.sql.Connection c) {
      try {
        return c.getAutoCommit();
      } catch (java.sql.SQLException e) {
        throw new AccreteSqlException("cannot read the connection's auto-commit: " + e.getMessage(), e);
      }
    }
    return true;
  }

  /** Refuses a write on a connection set read-only (JDBC {@code setReadOnly(true)}), as PostgreSQL does. */
  static void checkNotReadOnly(DataContext root, String what) {
    if (root.getQueryProvider() instanceof java.sql.Connection c) {
      try {
        if (c.isReadOnly()) {
          throw new AccreteSqlException("25006", "cannot execute " + what + " in a read-only transaction");
        }
      } catch (java.sql.SQLException e) {
        throw new AccreteSqlException("cannot read whether the connection is read-only: " + e.getMessage(), e);
      }
    }
  }

  /** The latest value, or the open transaction's speculative one. */
  private Database now() {
    Database s = writes.speculative();
    return s != null ? s : conn.db();
  }

  private static boolean flag(Properties props, String name, boolean otherwise) {
    String v = props.getProperty(name, String.valueOf(otherwise)).trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new AccreteSqlException("Connection property " + name + " must be true or false, not '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  /** Whether small query plans run interpreted ({@link PlanInterpreter}); else every plan is compiled. */
  boolean interprets() {
    return interpret;
  }

  /** Whether plain queries are bound without Calcite's validator ({@link QueryBinder}). */
  boolean binds() {
    return bind;
  }

  private static Object point(Properties props, String name) {
    String s = props.getProperty(name);
    if (s == null || s.isBlank()) {
      return null;
    }
    s = s.trim();
    if (s.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(s);
    }
    try {
      return Date.from(Instant.parse(s));
    } catch (DateTimeParseException e) {
      throw new AccreteSqlException("Connection property " + name + " must be a t, a transaction id"
          + " or an ISO-8601 instant such as 2026-01-01T00:00:00Z, not '" + s + "'");
    }
  }

  /** The point the connection reads as of (property {@code asOf}), or null for the present. */
  Object asOfPoint() {
    return asOf;
  }

  boolean history() {
    return history;
  }

  /** The value planning sees: the pinned one, else the latest. */
  Database latest() {
    Database p = pinned;
    return p != null ? p : now();
  }

  /** The value a statement reads, before any time travel. */
  Database statementDb(DataContext root) {
    writes.checkNotAborted(); // a failed transaction reads nothing more until ROLLBACK
    if (connectionBasis) {
      Database p = pinned;
      if (p == null) {
        synchronized (this) {
          if (pinned == null) {
            pinned = conn.db();
          }
          p = pinned;
        }
      }
      return p;
    }
    // Every execution's context is a StatementContext (AccretePrepare wraps Calcite's); a
    // context of no statement reads the latest value.
    return root instanceof StatementContext s ? s.db(this::now) : now();
  }

  /** What one table of a statement reads: its own time travel, else the connection's. */
  Database view(DataContext root, TimeTravel time, String table) {
    Database db = statementDb(root);
    boolean ownAsOf = time != null && time.mode == TimeTravel.Mode.AS_OF;
    if (asOf != null && !ownAsOf) {
      db = db.asOf(asOf);
    }
    if (since != null) {
      db = db.since(since);
    }
    return time == null ? db : time.apply(db, table, root);
  }
}
