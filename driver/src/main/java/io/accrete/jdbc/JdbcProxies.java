package io.accrete.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The JDBC objects Accrete's driver hands out: Calcite's (embedded) or Avatica's (remote), behind
 * thin proxies that answer the key metadata BI tools need ({@link KeyMetaData}) and turn every
 * unchecked failure — Calcite lets some escape from {@code ResultSet.next()} — into an
 * {@link SQLException} with the failure's own message. A JDK proxy keeps this to one small class
 * instead of delegating hundreds of methods by hand.
 */
final class JdbcProxies {
  private JdbcProxies() {}

  /**
   * A connection behind the proxies; statements it creates start with {@code fetchSize} (0 for
   * the driver's default) — remote connections fetch 1,000 rows per round trip rather than
   * Avatica's 100, which is what BI tools pulling whole tables want.
   */
  static Connection connection(Connection target, String url, int fetchSize) {
    return connection(target, url, fetchSize, null);
  }

  /** As above; with a cache, plain statements' queries reuse plans (see {@link StatementCache}). */
  static Connection connection(Connection target, String url, int fetchSize, StatementCache cache) {
    Connection[] self = new Connection[1];
    self[0] = (Connection) Proxy.newProxyInstance(JdbcProxies.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, m, args) -> {
          if (isIdentity(m)) {
            return identity(proxy, m, args);
          }
          if (m.getParameterCount() == 0 && (m.getName().equals("commit") || m.getName().equals("rollback"))) {
            // Calcite's own commit/rollback refuse; Accrete runs them as statements, embedded or remote.
            command(self[0], target, m.getName().toUpperCase(java.util.Locale.ROOT));
            return null;
          }
          if (m.getName().equals("setAutoCommit") && Boolean.TRUE.equals(args[0])
              && !(Boolean) call(self[0], target, Connection.class.getMethod("getAutoCommit"), null)) {
            command(self[0], target, "COMMIT"); // JDBC: switching auto-commit on commits
          }
          if (m.getName().equals("getMetaData") && m.getParameterCount() == 0) {
            DatabaseMetaData md = (DatabaseMetaData) call(self[0], target, m, args);
            return Proxy.newProxyInstance(JdbcProxies.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, new KeyMetaData(md, target, self[0], url));
          }
          Object r = call(self[0], target, m, args);
          if (fetchSize > 0 && r instanceof Statement s) {
            s.setFetchSize(fetchSize);
          }
          if (cache != null && m.getName().equals("createStatement") && r instanceof Statement s
              && !(r instanceof PreparedStatement)) {
            return Proxy.newProxyInstance(JdbcProxies.class.getClassLoader(), new Class<?>[] {Statement.class},
                cache.statement(s, self[0]));
          }
          return result(r, self[0]);
        });
    return self[0];
  }

  /** Runs a transaction-control statement on the connection. */
  private static void command(Object lock, Connection target, String sql) throws SQLException {
    synchronized (lock) {
      try (Statement s = target.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw explained(e);
      } catch (RuntimeException e) {
        throw (SQLException) translate(e);
      }
    }
  }

  /** A proxy that converts failures and wraps what it returns. */
  private static Object wrap(Object target, Class<?> iface, Connection conn) {
    InvocationHandler h = (proxy, m, args) -> {
      if (isIdentity(m)) {
        return identity(proxy, m, args);
      }
      if (m.getName().equals("getConnection") && m.getParameterCount() == 0) {
        return conn;
      }
      return result(call(conn, target, m, args), conn);
    };
    return Proxy.newProxyInstance(JdbcProxies.class.getClassLoader(), new Class<?>[] {iface}, h);
  }

  /** Whether a method is {@code equals} or {@code hashCode}: a proxy is equal only to itself. */
  static boolean isIdentity(Method m) {
    return (m.getName().equals("equals") && m.getParameterCount() == 1)
        || (m.getName().equals("hashCode") && m.getParameterCount() == 0);
  }

  static Object identity(Object proxy, Method m, Object[] args) {
    return m.getName().equals("equals") ? (Object) (proxy == args[0]) : (Object) System.identityHashCode(proxy);
  }

  /** What a JDBC call returned, statements and result sets behind proxies of their own. */
  static Object result(Object r, Connection conn) {
    if (r instanceof CallableStatement) {
      return wrap(r, CallableStatement.class, conn);
    }
    if (r instanceof PreparedStatement) {
      return wrap(r, PreparedStatement.class, conn);
    }
    if (r instanceof Statement) {
      return wrap(r, Statement.class, conn);
    }
    if (r instanceof ResultSet) {
      return wrap(r, ResultSet.class, conn);
    }
    return r;
  }

  /**
   * Calls a method of a JDBC object, one call at a time per connection ({@code lock} is the
   * connection's proxy): Calcite's connections are not safe for concurrent use, JDBC callers
   * may share one between threads.
   */
  static Object call(Object lock, Object target, Method m, Object[] args) throws Throwable {
    if (m.getName().equals("cancel")) {
      return callUnlocked(target, m, args); // cancel must reach a statement that is running
    }
    synchronized (lock) {
      return callUnlocked(target, m, args);
    }
  }

  private static Object callUnlocked(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw translate(e.getCause());
    }
  }

  /**
   * An SQLException whose message also says its root cause's (Calcite's "Error while preparing
   * statement" says only which statement).
   */
  static SQLException explained(SQLException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String state = sqlState(e);
    String why = root.getMessage();
    if (state != null && state != e.getSQLState()) {
      // Accrete's own error: its message says what and where; PostgreSQL's SQLSTATE says what kind.
      return new SQLException(accreteMessage(e), state, e);
    }
    if (root == e || why == null || String.valueOf(e.getMessage()).contains(why)) {
      return e;
    }
    return new SQLException(e.getMessage() + ": " + why, e.getSQLState(), e.getErrorCode(), e);
  }

  /** The SQLSTATE of the first {@link AccreteSqlException} in the chain that has one, else the exception's own. */
  static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.accrete.sql.AccreteSqlException a && a.sqlState() != null) {
        return a.sqlState();
      }
    }
    return e instanceof SQLException s ? s.getSQLState() : null;
  }

  private static String accreteMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.accrete.sql.AccreteSqlException a && a.sqlState() != null) {
        return a.getMessage();
      }
    }
    return e.getMessage();
  }

  /** The exception a JDBC caller should see for a failure. */
  static Throwable translate(Throwable t) {
    if (t instanceof SQLException e) {
      return explained(e);
    }
    if (t instanceof Error) {
      return t;
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.toString();
    String state = sqlState(t);
    return state != null ? new SQLException(accreteMessage(t), state, t) : new SQLException(message, t);
  }
}
