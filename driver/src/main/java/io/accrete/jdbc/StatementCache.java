package io.accrete.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plans kept by statement text for one embedded connection. Calcite plans and compiles every
 * statement anew (50–150 ms); a dashboard runs the same SQL again and again. A plain
 * {@code Statement}'s queries run through a prepared statement kept per text and database schema
 * (a new attribute means a new plan), used by one result set at a time and returned when it
 * closes. Each execution still reads the latest database value.
 */
final class StatementCache {
  private static final int MAX_TEXTS = 64;
  private final Connection target;
  private final Supplier<Object> schema;
  private final Map<Object, Deque<PreparedStatement>> idle = new LinkedHashMap<>(16, 0.75f, true);

  StatementCache(Connection target, Supplier<Object> schema) {
    this.target = target;
    this.schema = schema;
  }

  private record Key(String sql, Object schema) {}

  private synchronized PreparedStatement take(Key key) throws SQLException {
    Deque<PreparedStatement> free = idle.get(key);
    PreparedStatement ps = free == null ? null : free.poll();
    return ps != null ? ps : target.prepareStatement(key.sql());
  }

  private synchronized void give(Key key, PreparedStatement ps) throws SQLException {
    idle.computeIfAbsent(key, k -> new ArrayDeque<>()).push(ps);
    while (idle.size() > MAX_TEXTS) {
      Iterator<Map.Entry<Object, Deque<PreparedStatement>>> eldest = idle.entrySet().iterator();
      for (PreparedStatement old : eldest.next().getValue()) {
        old.close();
      }
      eldest.remove();
    }
  }

  /** Whether a text is a query this cache can serve (everything else goes to Calcite as is). */
  static boolean isQuery(String sql) {
    String s = sql.stripLeading().toLowerCase(Locale.ROOT);
    return s.startsWith("select") || s.startsWith("with") || s.startsWith("values");
  }

  /** A statement whose queries use the cache; {@code self} is its proxy, {@code conn} the connection's. */
  InvocationHandler statement(Statement plain, Connection conn) {
    // What the cache does not answer goes to the statement as JdbcProxies wraps it (RETURNING,
    // generated keys, errors).
    Statement wrapped = (Statement) JdbcProxies.result(plain, conn);
    return new InvocationHandler() {
      private ResultSet current;
      private boolean cached;
      private Object proxy;
      /** The kept statement running this statement's query, which {@code cancel()} must reach. */
      private volatile PreparedStatement active;

      @Override
      public Object invoke(Object p, Method m, Object[] args) throws Throwable {
        proxy = p;
        String name = m.getName();
        if (JdbcProxies.isIdentity(m)) {
          return JdbcProxies.identity(p, m, args);
        }
        boolean oneString = args != null && args.length == 1 && args[0] instanceof String;
        // Calcite fixes a prepared statement's row limit when it prepares it: limited statements
        // go their own way.
        if ((name.equals("executeQuery") || name.equals("execute")) && oneString && isQuery((String) args[0])
            && plain.getMaxRows() == 0) {
          closeCurrent();
          current = run((String) args[0]);
          cached = true;
          return name.equals("execute") ? (Object) true : current;
        }
        switch (name) {
          case "cancel":
            PreparedStatement running = active;
            if (running != null) {
              running.cancel(); // no lock: the query holds the connection's
            }
            break;
          case "getResultSet":
            if (cached) {
              return current;
            }
            break;
          case "getUpdateCount":
            if (cached) {
              return -1;
            }
            break;
          case "getMoreResults":
            if (cached) {
              closeCurrent();
              return false;
            }
            break;
          case "close":
            closeCurrent();
            break;
          case "getConnection":
            return conn;
          default:
            break;
        }
        if (name.startsWith("execute")) {
          closeCurrent();
        }
        try {
          return m.invoke(wrapped, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
          throw e.getCause();
        }
      }

      private void closeCurrent() throws SQLException {
        if (current != null) {
          current.close();
          current = null;
        }
        cached = false;
      }

      private ResultSet run(String sql) throws Throwable {
        synchronized (conn) { // one call at a time per connection, as JdbcProxies.call
          return runLocked(sql);
        }
      }

      private ResultSet runLocked(String sql) throws Throwable {
        Key key = new Key(sql, schema.get());
        PreparedStatement ps;
        try {
          ps = take(key);
        } catch (Exception | ExceptionInInitializerError | StackOverflowError e) {
          throw SqlFailures.translate(e); // planning 1/0 folds it: an Error from Calcite
        }
        ps.setFetchSize(plain.getFetchSize());
        ps.setQueryTimeout(plain.getQueryTimeout());
        active = ps;
        ResultSet rs;
        try {
          rs = ps.executeQuery();
        } catch (Exception | ExceptionInInitializerError | StackOverflowError e) {
          ps.close();
          throw SqlFailures.translate(e);
        }
        ResultSet wrapped = (ResultSet) JdbcProxies.result(rs, conn); // java.time, UUID, errors
        return (ResultSet) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
            new Class<?>[] {ResultSet.class}, new InvocationHandler() {
              private boolean closed;

              @Override
              public Object invoke(Object r, Method m, Object[] a) throws Throwable {
                switch (m.getName()) {
                  case "close":
                    synchronized (conn) {
                      if (!closed) {
                        closed = true;
                        rs.close();
                        give(key, ps);
                      }
                    }
                    return null;
                  case "isClosed":
                    return closed;
                  case "getStatement":
                    return proxy;
                  default:
                    try {
                      return m.invoke(wrapped, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                      throw e.getCause();
                    }
                }
              }
            });
      }
    };
  }
}
