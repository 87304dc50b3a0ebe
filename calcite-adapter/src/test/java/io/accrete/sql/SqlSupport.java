package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Helpers for the SQL tests: connections, results as comparable rows, multisets. */
final class SqlSupport {
  private SqlSupport() {}

  static java.sql.Connection sql(Connection conn, String... props) throws SQLException {
    Properties p = new Properties();
    for (int i = 0; i < props.length; i += 2) {
      p.setProperty(props[i], props[i + 1]);
    }
    return AccreteSql.connect(conn, p);
  }

  /** The shared sqllogictest files, in order. */
  static List<java.nio.file.Path> sqllogictestFiles() throws java.io.IOException {
    List<java.nio.file.Path> files;
    try (java.util.stream.Stream<java.nio.file.Path> s =
        java.nio.file.Files.walk(io.accrete.testing.TestData.repoFile("shared/sqllogictest"))) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    assertTrue(files.size() >= 40, "the shared sqllogictest files");
    return files;
  }

  /** The rows of a query, values normalized (see {@link #norm}). */
  static List<List<Object>> rows(java.sql.Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return read(rs);
      }
    }
  }

  static List<List<Object>> read(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<Object>> out = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        row.add(norm(rs.getObject(i)));
      }
      out.add(row);
    }
    return out;
  }

  /** The plan EXPLAIN PLAN FOR prints. */
  static String explain(java.sql.Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql)) {
      StringBuilder b = new StringBuilder();
      while (rs.next()) {
        b.append(rs.getString(1));
      }
      return b.toString();
    }
  }

  /**
   * One form per value, so SQL and Datalog results compare: integers as Long, timestamps and
   * dates as epoch millis, decimals without trailing zeros, arrays as lists.
   */
  static Object norm(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Date d) {
      return d.getTime();
    }
    if (v instanceof BigDecimal d) {
      return d.stripTrailingZeros();
    }
    if (v instanceof java.sql.Array a) {
      try {
        return norm(Arrays.asList((Object[]) a.getArray()));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(norm(x));
      }
      return out;
    }
    return v;
  }

  static List<Object> row(Object... values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      out.add(norm(v));
    }
    return out;
  }

  /** Rows counted: equal multisets compare equal whatever the order. */
  static Map<List<Object>, Integer> bag(Collection<? extends List<?>> rows) {
    Map<List<Object>, Integer> m = new HashMap<>();
    for (List<?> r : rows) {
      List<Object> n = new ArrayList<>();
      for (Object v : r) {
        n.add(norm(v));
      }
      m.merge(n, 1, Integer::sum);
    }
    return m;
  }

  /** The SQLException a statement fails with; its message must hold every fragment. */
  static SQLException fails(java.sql.Connection c, String sql, String... fragments) {
    SQLException e = assertThrows(SQLException.class, () -> rows(c, sql));
    String all = messages(e);
    for (String f : fragments) {
      assertTrue(all.contains(f), () -> "expected '" + f + "' in: " + all);
    }
    return e;
  }

  static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }
}
