package io.accrete.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.server.AvaticaHandler;
import org.apache.calcite.avatica.server.AvaticaJsonHandler;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.apache.calcite.avatica.server.HttpServer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * {@code accrete serve}: an Avatica HTTP server over one database. Every remote connection is an
 * embedded SQL connection in this process ({@code jdbc:accrete:…}), a peer of the database; the
 * same port speaks Avatica's PROTOBUF and JSON serializations (told apart by the first byte of
 * each request). Optional HTTP Basic authentication (a realm file of {@code user: password[,role…]}
 * lines) and TLS.
 */
public final class AccreteServer implements AutoCloseable {
  /**
   * What to serve and how.
   *
   * @param statementTimeout every connection's default {@code statement_timeout} (PostgreSQL's
   *     form: milliseconds, or a number with a unit such as {@code 10min}; 0 for none); a client
   *     may set its own with {@code SET statement_timeout} or {@code setQueryTimeout}
   * @param maxRows the most rows a query answers a client (a smaller {@code setMaxRows} wins);
   *     0 for no limit
   */
  public record Options(String dbUri, String host, int port, Path authFile, Path keystore,
      String keystorePassword, int maxConnections, long idleMinutes, PrintStream log, String statementTimeout,
      long maxRows) {
    /** The options with the default statement timeout ({@value #DEFAULT_STATEMENT_TIMEOUT}) and no row limit. */
    public Options(String dbUri, String host, int port, Path authFile, Path keystore, String keystorePassword,
        int maxConnections, long idleMinutes, PrintStream log) {
      this(dbUri, host, port, authFile, keystore, keystorePassword, maxConnections, idleMinutes, log,
          DEFAULT_STATEMENT_TIMEOUT, 0);
    }

    /** The options with no row limit. */
    public Options(String dbUri, String host, int port, Path authFile, Path keystore, String keystorePassword,
        int maxConnections, long idleMinutes, PrintStream log, String statementTimeout) {
      this(dbUri, host, port, authFile, keystore, keystorePassword, maxConnections, idleMinutes, log,
          statementTimeout, 0);
    }
  }

  /** A statement a client leaves running stops after this long, unless the operator or the client says otherwise. */
  public static final String DEFAULT_STATEMENT_TIMEOUT = "10min";

  private final HttpServer server;
  private final Options options;

  private AccreteServer(HttpServer server, Options options) {
    this.server = server;
    this.options = options;
  }

  /** Starts a server; its port is {@link #port()} (useful with port 0). */
  public static AccreteServer start(Options o) throws SQLException {
    if (!o.dbUri().startsWith("accrete:")) {
      throw new IllegalArgumentException("--db needs an Accrete URI such as accrete:local:///data/movies, not " + o.dbUri());
    }
    String jdbcUrl = "jdbc:" + o.dbUri();
    // Fail now, with the database's own message, rather than on the first client.
    Properties check = new Properties();
    if (o.statementTimeout() != null) {
      check.setProperty("statementTimeout", o.statementTimeout()); // a malformed one fails here
    }
    new io.accrete.jdbc.Driver().connect(jdbcUrl, check).close();
    Properties cache = new Properties();
    cache.setProperty(JdbcMeta.ConnectionCacheSettings.MAX_CAPACITY.key(), String.valueOf(o.maxConnections()));
    cache.setProperty(JdbcMeta.ConnectionCacheSettings.EXPIRY_DURATION.key(), String.valueOf(o.idleMinutes()));
    cache.setProperty(JdbcMeta.ConnectionCacheSettings.EXPIRY_UNIT.key(), "MINUTES");
    cache.setProperty(io.accrete.jdbc.Driver.UNWRAPPED_PROPERTY, "true");
    if (o.statementTimeout() != null) {
      cache.setProperty("statementTimeout", o.statementTimeout());
    }
    LoggingMeta meta = new LoggingMeta(jdbcUrl, cache, o.log(), o.maxRows());
    Service service = new LocalService(meta);
    HttpServer.Builder<Server> b = HttpServer.Builder.<Server>newBuilder()
        .withPort(o.port())
        .withHandler(new BothSerializations(service, meta::cancel))
        .withServerCustomizers(List.of(server -> {
          for (var c : server.getConnectors()) {
            if (c instanceof ServerConnector sc) {
              sc.setHost(o.host());
            }
          }
        }), Server.class);
    if (o.authFile() != null) {
      // "**": any user the realm file knows, whatever roles it lists.
      b.withBasicAuthentication(o.authFile().toAbsolutePath().toString(), new String[] {"**"});
    }
    if (o.keystore() != null) {
      b.withTLS(o.keystore().toFile(), o.keystorePassword(), o.keystore().toFile(), o.keystorePassword());
    }
    HttpServer server = b.build();
    server.start();
    return new AccreteServer(server, o);
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** The URL clients use: {@code jdbc:accrete:remote:url=http(s)://host:port}. */
  public String jdbcUrl() {
    return "jdbc:accrete:remote:url=" + (options.keystore() != null ? "https" : "http") + "://"
        + options.host() + ":" + port();
  }

  /** Waits until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    server.stop();
  }

  /**
   * Avatica's JDBC bridge, one embedded connection per remote connection, with a log line per
   * connection opened and closed. Calls on one connection are serialized: Calcite's connections
   * are not safe for concurrent use (their statement registry is a plain map), and a client may
   * well send requests for one connection from several threads (SchemaCrawler does).
   */
  /** Cancels a connection's statement; false when the connection has no such statement. */
  private interface StatementCanceller {
    boolean cancel(String connectionId, int statementId) throws SQLException;
  }

  private static final class LoggingMeta extends JdbcMeta {
    private final PrintStream log;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> locks =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** The operator's row limit, 0 for none. */
    private final long maxRows;

    LoggingMeta(String url, Properties info, PrintStream log, long maxRows) throws SQLException {
      super(url, info);
      this.log = log;
      this.maxRows = maxRows;
    }

    /**
     * A prepared statement's first frame cut at the operator's row limit: Calcite plans a prepared
     * query before any row limit is set, so the limit is applied to the frames it answers.
     */
    private Meta.ExecuteResult limited(Meta.ExecuteResult result) {
      if (maxRows <= 0) {
        return result;
      }
      java.util.List<Meta.MetaResultSet> out = new java.util.ArrayList<>();
      for (Meta.MetaResultSet rs : result.resultSets) {
        Meta.Frame f = rs.firstFrame;
        out.add(f == null || rs.signature == null ? rs : Meta.MetaResultSet.create(rs.connectionId, rs.statementId,
            rs.ownStatement, rs.signature, cut(f)));
      }
      return new Meta.ExecuteResult(out);
    }

    /** A frame without the rows past the operator's limit, done when it reaches it. */
    private Meta.Frame cut(Meta.Frame f) {
      java.util.List<Object> rows = new java.util.ArrayList<>();
      for (Object row : f.rows) {
        if (f.offset + rows.size() >= maxRows) {
          return new Meta.Frame(f.offset, true, rows);
        }
        rows.add(row);
      }
      return f.offset + rows.size() >= maxRows ? new Meta.Frame(f.offset, true, rows) : f;
    }

    /** A client's row limit (0 or less: none) within the operator's. */
    private long capped(long maxRowCount) {
      return maxRows <= 0 ? maxRowCount : maxRowCount <= 0 ? maxRows : Math.min(maxRowCount, maxRows);
    }

    private Object lock(String connectionId) {
      return locks.computeIfAbsent(connectionId, k -> new Object());
    }

    @Override
    public void openConnection(Meta.ConnectionHandle ch, Map<String, String> info) {
      super.openConnection(ch, info);
      Map<String, String> shown = new java.util.TreeMap<>(info == null ? Map.of() : info);
      shown.remove("password");
      shown.remove("avatica_password");
      log.println(java.time.Instant.now() + " connection " + ch.id + " opened " + shown);
    }

    // Calcite's connections refuse commit and rollback: Accrete runs them as statements.
    @Override
    public void commit(Meta.ConnectionHandle ch) {
      command(ch, "COMMIT");
    }

    @Override
    public void rollback(Meta.ConnectionHandle ch) {
      command(ch, "ROLLBACK");
    }

    private void command(Meta.ConnectionHandle ch, String sql) {
      try {
        synchronized (lock(ch.id)) {
          try (java.sql.Statement s = getConnection(ch.id).createStatement()) {
            s.execute(sql);
          } catch (SQLException e) {
            throw new RuntimeException(e);
          }
        }
      } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
        throw toClient(e);
      }
    }

    @Override
    public void closeConnection(Meta.ConnectionHandle ch) {
      synchronized (lock(ch.id)) {
        super.closeConnection(ch);
      }
      locks.remove(ch.id);
      log.println(java.time.Instant.now() + " connection " + ch.id + " closed");
    }

    /**
     * Cancels a statement without waiting for the connection's lock (its query holds it), when
     * it belongs to the connection named: a client can stop its own statements only.
     */
    boolean cancel(String connectionId, int statementId) throws SQLException {
      org.apache.calcite.avatica.jdbc.StatementInfo info = getStatementCache().getIfPresent(statementId);
      java.sql.Connection c = getConnectionCache().getIfPresent(connectionId);
      if (info == null || c == null) {
        return false;
      }
      java.sql.Statement statement = statementOf(info);
      if (statement.getConnection() != c) {
        return false;
      }
      statement.cancel();
      return true;
    }

    /**
     * Lets a statement run again after a cancel: Calcite's statement keeps its cancel flag up,
     * and every later result set would end at once with "Statement canceled".
     */
    private void clearCancel(Meta.StatementHandle h) {
      org.apache.calcite.avatica.jdbc.StatementInfo info = getStatementCache().getIfPresent(h.id);
      if (info == null) {
        return;
      }
      try {
        java.sql.Statement s = statementOf(info);
        if (s.isWrapperFor(org.apache.calcite.avatica.AvaticaStatement.class)) {
          org.apache.calcite.avatica.AvaticaStatement a = s.unwrap(org.apache.calcite.avatica.AvaticaStatement.class);
          if (a.handle != null) {
            a.connection.getCancelFlag(a.handle).set(false);
          }
        }
      } catch (SQLException | org.apache.calcite.avatica.NoSuchStatementException e) {
        throw new IllegalStateException("cannot clear statement " + h.id + "'s cancel flag: " + e.getMessage(), e);
      }
    }

    /** Avatica keeps a statement's JDBC object in a field of its own package; it is read reflectively. */
    private static final java.lang.reflect.Field STATEMENT = statementField();

    private static java.lang.reflect.Field statementField() {
      try {
        java.lang.reflect.Field f = org.apache.calcite.avatica.jdbc.StatementInfo.class.getDeclaredField("statement");
        f.setAccessible(true);
        return f;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("this Avatica keeps no statement in StatementInfo", e);
      }
    }

    private static java.sql.Statement statementOf(org.apache.calcite.avatica.jdbc.StatementInfo info) {
      try {
        return (java.sql.Statement) STATEMENT.get(info);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read StatementInfo.statement", e);
      }
    }

    @Override
    public Meta.StatementHandle createStatement(Meta.ConnectionHandle ch) {
      synchronized (lock(ch.id)) {
        return super.createStatement(ch);
      }
    }

    @Override
    public void closeStatement(Meta.StatementHandle h) {
      synchronized (lock(h.connectionId)) {
        Returning r = returning.remove(h.id);
        if (r != null) {
          try {
            r.dml().close(); // the query, if any, is the handle's statement now: closed below
          } catch (SQLException e) {
            log.println(java.time.Instant.now() + " closing statement " + h.id + " failed: " + e.getMessage());
          }
        }
        super.closeStatement(h);
      }
    }

    @Override
    public Meta.StatementHandle prepare(Meta.ConnectionHandle ch, String sql, long requestedMaxRows) {
      long maxRowCount = capped(requestedMaxRows);
      try {
        synchronized (lock(ch.id)) {
          String[] split = io.accrete.sql.AccreteSql.splitReturning(sql);
          if (split == null) {
            return super.prepare(ch, sql, maxRowCount);
          }
          // A prepared INSERT/UPDATE/DELETE … RETURNING: the client binds the statement's parameters
          // and reads the RETURNING list's columns, which a query with no rows describes.
          try {
            java.sql.Connection c = getConnection(ch.id);
            java.sql.PreparedStatement dml = c.prepareStatement(split[0]);
            Meta.StatementHandle h = super.prepare(ch, io.accrete.sql.AccreteSql.returningTemplate(c, split[1], split[2]),
                maxRowCount);
            java.sql.ParameterMetaData pmd = dml.getParameterMetaData();
            java.util.List<org.apache.calcite.avatica.AvaticaParameter> params = new java.util.ArrayList<>();
            for (int i = 1; i <= pmd.getParameterCount(); i++) {
              params.add(new org.apache.calcite.avatica.AvaticaParameter(pmd.isSigned(i), pmd.getPrecision(i),
                  pmd.getScale(i), pmd.getParameterType(i), pmd.getParameterTypeName(i), pmd.getParameterClassName(i),
                  "?" + i));
            }
            h.signature = Meta.Signature.create(h.signature.columns, sql, params, h.signature.cursorFactory,
                Meta.StatementType.SELECT);
            returning.put(h.id, new Returning(dml, split, new java.util.concurrent.atomic.AtomicReference<>()));
            return h;
          } catch (SQLException e) {
            throw new RuntimeException(e);
          }
        }
      } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
        throw toClient(e);
      }
    }

    /**
     * A failure as the client should read it: PostgreSQL's SQLSTATE and one line saying what
     * (Avatica would send SQLSTATE 00000 and the whole chain of wrappers).
     */
    private static RuntimeException toClient(Throwable e) {
      if (e instanceof org.apache.calcite.avatica.remote.AvaticaRuntimeException a) {
        return a;
      }
      Throwable t = io.accrete.jdbc.SqlFailures.translate(e);
      String state = t instanceof SQLException s && s.getSQLState() != null ? s.getSQLState() : "XX000";
      return new org.apache.calcite.avatica.remote.AvaticaRuntimeException(t.getMessage(), -1, state,
          org.apache.calcite.avatica.AvaticaSeverity.ERROR);
    }

    /**
     * Date and time parameters as the types they were planned with: a client (Avatica's own
     * driver, say) that binds a DATE to a TIMESTAMP parameter sends a day number where the
     * statement reads milliseconds.
     */
    private static java.util.List<org.apache.calcite.avatica.remote.TypedValue> asPlanned(
        java.util.List<org.apache.calcite.avatica.remote.TypedValue> values, Meta.Signature signature) {
      if (values == null || signature == null || signature.parameters == null) {
        return values;
      }
      java.util.List<org.apache.calcite.avatica.remote.TypedValue> out = new java.util.ArrayList<>(values);
      for (int i = 0; i < out.size() && i < signature.parameters.size(); i++) {
        org.apache.calcite.avatica.remote.TypedValue v = out.get(i);
        if (v == null || v.value == null) {
          continue;
        }
        int planned = signature.parameters.get(i).parameterType;
        org.apache.calcite.avatica.ColumnMetaData.Rep rep = v.type;
        if (planned == java.sql.Types.TIMESTAMP && (rep == org.apache.calcite.avatica.ColumnMetaData.Rep.JAVA_SQL_DATE
            || rep == org.apache.calcite.avatica.ColumnMetaData.Rep.JAVA_SQL_TIME)) {
          long millis = rep == org.apache.calcite.avatica.ColumnMetaData.Rep.JAVA_SQL_DATE
              ? ((Number) v.value).longValue() * 86_400_000L : ((Number) v.value).longValue();
          out.set(i, org.apache.calcite.avatica.remote.TypedValue.ofSerial(
              org.apache.calcite.avatica.ColumnMetaData.Rep.JAVA_SQL_TIMESTAMP, millis));
        } else if (planned == java.sql.Types.DATE && rep == org.apache.calcite.avatica.ColumnMetaData.Rep.JAVA_SQL_TIMESTAMP) {
          out.set(i, org.apache.calcite.avatica.remote.TypedValue.ofSerial(org.apache.calcite.avatica.ColumnMetaData.Rep
              .JAVA_SQL_DATE, (int) Math.floorDiv(((Number) v.value).longValue(), 86_400_000L)));
        }
      }
      return out;
    }

    /**
     * A prepared statement with RETURNING: the statement without the clause, its split text, and
     * the query over the rows its last run changed.
     */
    private record Returning(java.sql.PreparedStatement dml, String[] split,
        java.util.concurrent.atomic.AtomicReference<java.sql.PreparedStatement> query) {}

    private final java.util.concurrent.ConcurrentHashMap<Integer, Returning> returning =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Meta.ExecuteResult prepareAndExecute(Meta.StatementHandle h, String sql, long requestedMaxRows,
        int maxRowsInFirstFrame, Meta.PrepareCallback callback) throws org.apache.calcite.avatica.NoSuchStatementException {
      long maxRowCount = capped(requestedMaxRows);
      try {
        synchronized (lock(h.connectionId)) {
          clearCancel(h);
          long inserted;
          try {
            inserted = io.accrete.sql.AccreteSql.insertLiterals(getConnection(h.connectionId), sql);
          } catch (SQLException e) {
            throw new RuntimeException(e);
          }
          if (inserted >= 0) { // INSERT … VALUES of literals: run without Calcite's planning
            return new Meta.ExecuteResult(java.util.List.of(Meta.MetaResultSet.count(h.connectionId, h.id, inserted)));
          }
          String[] returning = io.accrete.sql.AccreteSql.splitReturning(sql);
          if (returning == null) {
            return super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback);
          }
          // INSERT/UPDATE/DELETE … RETURNING: the statement, then the query over the rows it changed.
          java.sql.Connection c;
          String query;
          try {
            c = getConnection(h.connectionId);
            io.accrete.sql.AccreteSql.keepChangedRows(c, true);
            try (java.sql.Statement s = c.createStatement()) {
              s.executeUpdate(returning[0]);
            } finally {
              io.accrete.sql.AccreteSql.keepChangedRows(c, false);
            }
            query = io.accrete.sql.AccreteSql.returningQuery(c, returning[1], returning[2]);
          } catch (SQLException e) {
            throw new RuntimeException(e);
          }
          return super.prepareAndExecute(h, query, maxRowCount, maxRowsInFirstFrame, callback);
        }
      } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
        throw toClient(e);
      }
    }

    @Override
    public Meta.ExecuteResult execute(Meta.StatementHandle h,
        java.util.List<org.apache.calcite.avatica.remote.TypedValue> parameterValues, int maxRowsInFirstFrame)
        throws org.apache.calcite.avatica.NoSuchStatementException {
      try {
        synchronized (lock(h.connectionId)) {
          clearCancel(h);
          parameterValues = asPlanned(parameterValues, h.signature);
          Returning r = returning.get(h.id);
          if (r == null) {
            return limited(super.execute(h, parameterValues, maxRowsInFirstFrame));
          }
          try {
            java.sql.Connection c = getConnection(h.connectionId);
            // As JdbcMeta binds parameters: in the server's zone, which its connections use too.
            java.util.Calendar calendar = java.util.Calendar.getInstance(java.util.TimeZone.getDefault(),
                java.util.Locale.ROOT);
            for (int i = 0; parameterValues != null && i < parameterValues.size(); i++) {
              r.dml().setObject(i + 1, parameterValues.get(i).toJdbc(calendar));
            }
            io.accrete.sql.AccreteSql.keepChangedRows(c, true);
            try {
              r.dml().executeUpdate();
            } finally {
              io.accrete.sql.AccreteSql.keepChangedRows(c, false);
            }
            // The handle now names the query over the changed rows, which Avatica runs and fetches as any other.
            java.sql.PreparedStatement query = c.prepareStatement(
                io.accrete.sql.AccreteSql.returningQuery(c, r.split()[1], r.split()[2]));
            getStatementCache().put(h.id, new org.apache.calcite.avatica.jdbc.StatementInfo(query));
            java.sql.PreparedStatement previous = r.query.getAndSet(query);
            if (previous != null) {
              previous.close();
            }
            return super.execute(h, java.util.List.of(), maxRowsInFirstFrame);
          } catch (SQLException e) {
            throw new RuntimeException(e);
          }
        }
      } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
        throw toClient(e);
      }
    }

    @Override
    public Meta.Frame fetch(Meta.StatementHandle h, long offset, int fetchMaxRowCount)
        throws org.apache.calcite.avatica.NoSuchStatementException, org.apache.calcite.avatica.MissingResultsException {
      try {
        synchronized (lock(h.connectionId)) {
          if (maxRows > 0 && offset >= maxRows) {
            return new Meta.Frame(offset, true, java.util.List.of());
          }
          Meta.Frame f = super.fetch(h, offset, fetchMaxRowCount);
          return maxRows > 0 ? cut(f) : f;
        }
      } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
        throw toClient(e);
      }
    }

    @Override
    public Meta.MetaResultSet getTables(Meta.ConnectionHandle ch, String catalog, Meta.Pat schema,
        Meta.Pat table, java.util.List<String> types) {
      synchronized (lock(ch.id)) {
        return super.getTables(ch, catalog, schema, table, types);
      }
    }

    @Override
    public Meta.MetaResultSet getColumns(Meta.ConnectionHandle ch, String catalog, Meta.Pat schema,
        Meta.Pat table, Meta.Pat column) {
      synchronized (lock(ch.id)) {
        return super.getColumns(ch, catalog, schema, table, column);
      }
    }

    @Override
    public Meta.MetaResultSet getSchemas(Meta.ConnectionHandle ch, String catalog, Meta.Pat schema) {
      synchronized (lock(ch.id)) {
        return super.getSchemas(ch, catalog, schema);
      }
    }

    @Override
    public Meta.MetaResultSet getCatalogs(Meta.ConnectionHandle ch) {
      synchronized (lock(ch.id)) {
        return super.getCatalogs(ch);
      }
    }

    @Override
    public Meta.MetaResultSet getTableTypes(Meta.ConnectionHandle ch) {
      synchronized (lock(ch.id)) {
        return super.getTableTypes(ch);
      }
    }

    @Override
    public Meta.MetaResultSet getTypeInfo(Meta.ConnectionHandle ch) {
      synchronized (lock(ch.id)) {
        return super.getTypeInfo(ch);
      }
    }
  }

  /**
   * Serves PROTOBUF and JSON on one port: a JSON request body starts with {@code {}, a protobuf
   * one with a field tag.
   */
  public static final class BothSerializations extends AbstractHandler implements AvaticaHandler {
    private final AvaticaProtobufHandler protobuf;
    private final AvaticaJsonHandler json;

    private final StatementCanceller cancel;

    BothSerializations(Service service, StatementCanceller cancel) {
      this.protobuf = new AvaticaProtobufHandler(service);
      this.json = new AvaticaJsonHandler(service);
      this.cancel = cancel;
    }

    @Override
    protected void doStart() throws Exception {
      super.doStart();
      protobuf.setServer(getServer());
      json.setServer(getServer());
      protobuf.start();
      json.start();
    }

    @Override
    protected void doStop() throws Exception {
      protobuf.stop();
      json.stop();
      super.doStop();
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
        throws IOException, javax.servlet.ServletException {
      if (io.accrete.jdbc.RemoteCancel.PATH.equals(target)) {
        cancel(base, request, response);
        return;
      }
      if (request.getContentLengthLong() > MAX_BODY) {
        refuseBody(base, response);
        return;
      }
      byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) { // no length given, but more than any request needs
        refuseBody(base, response);
        return;
      }
      HttpServletRequest replay = new Replay(request, body);
      int i = 0;
      while (i < body.length && Character.isWhitespace(body[i])) {
        i++;
      }
      if (i < body.length && body[i] == '{' || request.getParameter("request") != null) {
        json.handle(target, base, replay, response);
      } else {
        protobuf.handle(target, base, replay, response);
      }
    }

    /**
     * A cancel request ({@link io.accrete.jdbc.RemoteCancel}): "connection-id statement-id"; the
     * statement's query stops as an embedded one's would (57014 to the client waiting for it).
     * It comes on a connection of its own, past the same login as every other request.
     */
    private void cancel(Request base, HttpServletRequest request, HttpServletResponse response) throws IOException {
      base.setHandled(true);
      String[] ids = new String(request.getInputStream().readNBytes(512), java.nio.charset.StandardCharsets.UTF_8)
          .strip().split(" ");
      boolean canceled;
      try {
        canceled = ids.length == 2 && cancel.cancel(ids[0], Integer.parseInt(ids[1]));
      } catch (NumberFormatException | SQLException e) {
        canceled = false;
      }
      response.setStatus(canceled ? 200 : 404);
      response.setContentType("text/plain");
      response.getOutputStream().write((canceled ? "canceled" : "no such statement").getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The largest request body read: a batch of thousands of rows fits; nobody may make the server hold more. */
    static final int MAX_BODY = 64 << 20;

    private static void refuseBody(Request base, HttpServletResponse response) throws IOException {
      base.setHandled(true);
      response.sendError(413, "An Accrete request body may hold at most " + (MAX_BODY >> 20)
          + " MB; send large data in several batches");
    }

    @Override
    public void setServerRpcMetadata(Service.RpcMetadataResponse metadata) {
      protobuf.setServerRpcMetadata(metadata);
      json.setServerRpcMetadata(metadata);
    }
  }

  /** A request whose body, already read, can be read again. */
  private static final class Replay extends HttpServletRequestWrapper {
    private final byte[] body;

    Replay(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }
      };
    }
  }
}
