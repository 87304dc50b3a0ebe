package io.accrete.jdbc;

import io.accrete.AccreteException;
import io.accrete.Peer;
import io.accrete.sql.AccreteSql;
import io.accrete.sql.AccreteSqlException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Accrete's JDBC driver.
 *
 * <ul>
 *   <li>{@code jdbc:accrete:mem://name}, {@code jdbc:accrete:local:///dir/name},
 *       {@code jdbc:accrete:sql://name?jdbc:postgresql://…}: the SQL layer runs in this JVM, a
 *       peer of the database (Calcite over Accrete's indexes);
 *   <li>{@code jdbc:accrete:remote:url=http://host:8765} (Avatica's options may follow, as in
 *       {@code ;serialization=json}): an {@code accrete serve} server, through Avatica's
 *       remote protocol; {@code user} and {@code password} properties log in with HTTP Basic.
 * </ul>
 *
 * <p>Properties: {@code asOf}, {@code since} (a t, a transaction id or an ISO-8601 instant),
 * {@code history}, {@code basis} ({@code statement} or {@code connection}), {@code metaschema}
 * (a file on the machine running the SQL layer), {@code create=true} (create the database if it
 * does not exist); embedded URLs may carry them too, after the URI: {@code jdbc:accrete:mem://name;create=true}. DDL and DML are transactions; auto-commit is on
 * (turn it off, or say BEGIN, for one transaction over several statements).
 */
public final class Driver implements java.sql.Driver {
  /** Internal: see {@link #UNWRAPPED}; public for the server. */
  public static final String UNWRAPPED_PROPERTY = "accrete.unwrapped";

  /** Every Accrete JDBC URL starts with this. */
  public static final String PREFIX = "jdbc:accrete:";
  static final String VERSION = "0.1.0";
  private static final String REMOTE = "remote:";
  /**
   * Internal property: hand out Calcite's connection itself. Avatica's server-side JdbcMeta
   * needs Calcite's own statement classes; the key metadata it would lose is answered by the
   * client driver anyway.
   */
  static final String UNWRAPPED = UNWRAPPED_PROPERTY;

  static {
    try {
      DriverManager.registerDriver(new Driver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null; // JDBC: another driver's URL
    }
    Properties props = info == null ? new Properties() : info;
    String rest = url.substring(PREFIX.length());
    if (rest.startsWith(REMOTE)) {
      return JdbcProxies.connection(remote(url, rest.substring(REMOTE.length()), props), url, 1000);
    }
    int semicolon = rest.indexOf(';');
    if (semicolon >= 0) {
      props = withUrlOptions(props, rest.substring(semicolon + 1), url);
      rest = rest.substring(0, semicolon);
    }
    String dbUri = "accrete:" + rest;
    Connection target = embedded(dbUri, props);
    if (Boolean.parseBoolean(props.getProperty(UNWRAPPED))) {
      return target;
    }
    io.accrete.Connection db = Peer.connect(dbUri);
    // Plans stay valid while the schema value is the same: a new attribute means new plans.
    StatementCache cache = new StatementCache(target, () -> io.accrete.spi.IndexAccess.of(db.db()).schema());
    return JdbcProxies.connection(target, url, 0, cache);
  }

  /**
   * Options written in an embedded URL after the database URI, as Derby and H2 take them
   * ({@code jdbc:accrete:mem://name;create=true;asOf=1000}), so a tool that only has a URL field can
   * set them; they win over the same properties given apart.
   */
  private static Properties withUrlOptions(Properties info, String options, String url) throws SQLException {
    Properties p = new Properties();
    p.putAll(info);
    for (String option : options.split(";")) {
      if (option.isBlank()) {
        continue;
      }
      int eq = option.indexOf('=');
      if (eq <= 0) {
        throw new SQLException("An option in an Accrete URL is name=value, not '" + option + "' in " + url, "08001");
      }
      p.setProperty(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
    }
    return p;
  }

  private static Connection embedded(String dbUri, Properties props) throws SQLException {
    io.accrete.Connection conn;
    try {
      if (Boolean.parseBoolean(props.getProperty("create", "false"))) {
        Peer.createDatabase(dbUri); // as Derby and H2 offer: a SQL-only user needs no Java to start
      }
      conn = Peer.connect(dbUri);
    } catch (AccreteException | IllegalArgumentException e) {
      throw new SQLException("Cannot open " + dbUri + ": " + e.getMessage(), "08001", e);
    }
    if (props.getProperty("database") == null) { // current_database(): the last name in the URI
      props = (Properties) props.clone();
      props.setProperty("database", dbUri.replaceAll("[?#].*$", "").replaceAll("^.*[/:]", ""));
    }
    try {
      return AccreteSql.connect(conn, props);
    } catch (AccreteSqlException e) {
      throw new SQLException(e.getMessage(), "08001", e);
    }
  }

  private static Connection remote(String url, String options, Properties props) throws SQLException {
    if (!options.startsWith("url=")) {
      throw new SQLException("A remote Accrete URL looks like jdbc:accrete:remote:url=http://host:8765, not "
          + url, "08001");
    }
    Properties p = new Properties();
    p.putAll(props);
    String user = props.getProperty("user");
    if (user != null && !user.isEmpty()) {
      p.setProperty("authentication", "BASIC");
      p.setProperty("avatica_user", user);
      p.setProperty("avatica_password", props.getProperty("password", ""));
    }
    // Network timeouts, so that a dead server fails a pool's check instead of hanging it.
    p.putIfAbsent("http_connection_timeout", "10000");
    p.putIfAbsent("http_response_timeout", "300000");
    String avatica = "jdbc:avatica:remote:" + options
        + (options.contains("serialization=") ? "" : ";serialization=protobuf");
    try {
      Connection c = new org.apache.calcite.avatica.remote.Driver().connect(avatica, p);
      Properties server = new Properties(); // where cancel requests go: the URL's options and the properties
      server.putAll(props);
      for (String option : options.split(";")) {
        int eq = option.indexOf('=');
        if (eq > 0) {
          server.setProperty(option.substring(0, eq).strip(), option.substring(eq + 1).strip());
        }
      }
      RemoteCancel.register(c, server.getProperty("url"), server);
      // Avatica connects lazily: ask the server now so a bad address or login fails here.
      c.getMetaData().getDatabaseProductName();
      c.getSchema();
      return c;
    } catch (RuntimeException e) {
      if (refusedLogin(e)) {
        throw new SQLException(user == null || user.isEmpty()
            ? "the Accrete server at " + options.substring(4) + " requires a login: give the user and password properties"
            : "password authentication failed for user \"" + user + "\"", "28P01", e);
      }
      throw new SQLException("Cannot reach the Accrete server at " + options.substring(4) + ": "
          + SqlFailures.translate(e).getMessage(), "08001", e);
    }
  }

  /** Whether the server answered with HTTP 401: a wrong or missing login, not an unreachable server. */
  private static boolean refusedLogin(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("HTTP/401")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[] {
        property("asOf", "read every statement as of a t, a transaction id or an ISO-8601 instant"),
        property("since", "read only datoms after a t, a transaction id or an ISO-8601 instant"),
        property("history", "true: the datoms table shows retractions and past values"),
        property("basis", "statement (the latest value per statement) or connection (one value for all)"),
        property("interpret", "false: plan and compile every query (small ones run interpreted by default)"),
        property("metaschema", "path of an EDN file choosing tables, hidden and renamed columns"),
        property("create", "true: create the database first if it does not exist (embedded URLs)"),
        property("user", "remote: the user for HTTP Basic authentication"),
        property("password", "remote: the password for HTTP Basic authentication"),
    };
  }

  private static DriverPropertyInfo property(String name, String description) {
    DriverPropertyInfo p = new DriverPropertyInfo(name, null);
    p.description = description;
    return p;
  }

  @Override
  public int getMajorVersion() {
    return 0;
  }

  @Override
  public int getMinorVersion() {
    return 1;
  }

  @Override
  public boolean jdbcCompliant() {
    return false; // SQL as Calcite speaks it, not yet the whole of JDBC's SQL
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("Accrete's driver does not log through java.util.logging");
  }
}
