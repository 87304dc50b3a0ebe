package io.accrete.sql.tpch;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query answers from different systems (a JDBC result set, a Datalog result) in one comparable
 * form, and their comparison as multisets or sequences of rows with a tolerance on numbers.
 *
 * <p>Normal form of a value: {@code null}; an integer of any width a {@code Long}; a DECIMAL a
 * {@code BigDecimal} (two decimals compare exactly when no tolerance is given); any other
 * number a {@code Double} (a decimal and a double compare within the tolerance); a date or instant the text
 * {@code yyyy-MM-dd} when it is midnight UTC, else its ISO-8601 instant (PostgreSQL returns
 * DATE, Accrete TIMESTAMP, Datalog {@link Date}); strings and booleans as they are.
 */
public final class Answers {
  private Answers() {}

  /** A timestamp's text at midnight, as drivers print it: {@code 1995-01-25 00:00:00.000}. */
  private static final Pattern MIDNIGHT = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[ T]00:00(:00(\\.0*)?)?");

  /** Every row of a result set, normalized; the result set is read to its end. */
  public static List<List<Object>> read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        row.add(column(rs, i, md.getColumnType(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  private static Object column(ResultSet rs, int i, int type) throws SQLException {
    switch (type) {
      case Types.DATE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
        // Text, not objects: java.sql.Date and Timestamp carry the JVM's zone, and each driver
        // builds them its own way; the text is what the database meant.
        String s = rs.getString(i);
        if (s == null) {
          return null;
        }
        Matcher m = MIDNIGHT.matcher(s);
        return m.matches() ? m.group(1) : s;
      }
      default -> {
        return normalize(rs.getObject(i));
      }
    }
  }

  /** Rows of Java values (a Datalog relation), normalized. */
  public static List<List<Object>> of(Collection<? extends List<?>> rows) {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (List<?> r : rows) {
      List<Object> row = new ArrayList<>(r.size());
      for (Object v : r) {
        row.add(normalize(v));
      }
      out.add(row);
    }
    return out;
  }

  /** One value in normal form (see the class comment). */
  public static Object normalize(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof java.math.BigInteger b) {
      return b.longValueExact();
    }
    if (v instanceof java.math.BigDecimal d) {
      return d; // exact: compared exactly with another decimal when no tolerance is given
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Date d) {
      Instant i = Instant.ofEpochMilli(d.getTime());
      return i.toEpochMilli() % 86_400_000L == 0 ? i.atOffset(ZoneOffset.UTC).toLocalDate().toString() : i.toString();
    }
    return v;
  }

  /**
   * How {@code actual} differs from {@code expected}, or null when they are the same: the same
   * rows (as multisets, or in the same order when {@code ordered}), numbers equal within
   * {@code relTolerance} of the larger magnitude (or {@code 1e-9} absolute near zero).
   */
  public static String difference(List<List<Object>> expected, List<List<Object>> actual, double relTolerance,
      boolean ordered) {
    if (expected.size() != actual.size()) {
      return "expected " + expected.size() + " rows, got " + actual.size() + sample(expected, actual);
    }
    List<List<Object>> e = expected;
    List<List<Object>> a = actual;
    if (!ordered) {
      e = sorted(expected);
      a = sorted(actual);
    }
    for (int r = 0; r < e.size(); r++) {
      List<Object> er = e.get(r);
      List<Object> ar = a.get(r);
      if (er.size() != ar.size()) {
        return "row " + r + ": expected " + er.size() + " columns, got " + ar.size() + ": " + er + " vs " + ar;
      }
      for (int c = 0; c < er.size(); c++) {
        if (!same(er.get(c), ar.get(c), relTolerance)) {
          return (ordered ? "row " : "sorted row ") + r + ", column " + (c + 1) + ": expected " + er + ", got " + ar;
        }
      }
    }
    return null;
  }

  private static String sample(List<List<Object>> expected, List<List<Object>> actual) {
    return "; first expected " + (expected.isEmpty() ? "none" : expected.get(0))
        + ", first actual " + (actual.isEmpty() ? "none" : actual.get(0));
  }

  static boolean same(Object x, Object y, double relTolerance) {
    if (x instanceof Long a && y instanceof Long b) {
      return a.equals(b);
    }
    if (relTolerance == 0 && x instanceof java.math.BigDecimal a && y instanceof java.math.BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    if (x instanceof Number n && y instanceof Number m) {
      double a = n.doubleValue();
      double b = m.doubleValue();
      double diff = Math.abs(a - b);
      return diff <= 1e-9 || diff <= relTolerance * Math.max(Math.abs(a), Math.abs(b));
    }
    return x == null ? y == null : x.equals(y);
  }

  /**
   * Rows in a canonical order: by their values other than doubles first, in column order, then
   * by their doubles. Doubles are what may differ within the tolerance between two systems; as
   * long as the other values tell rows apart, those differences cannot reorder them.
   */
  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows);
    out.sort(ROW_ORDER);
    return out;
  }

  private static final Comparator<List<Object>> ROW_ORDER = (x, y) -> {
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        boolean doubles = x.get(i) instanceof Double || y.get(i) instanceof Double;
        if (doubles == (pass == 1)) {
          int c = compareValues(x.get(i), y.get(i));
          if (c != 0) {
            return c;
          }
        }
      }
    }
    return Integer.compare(x.size(), y.size());
  };

  private static int compareValues(Object x, Object y) {
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    if (x instanceof Number n && y instanceof Number m) {
      return x instanceof Long a && y instanceof Long b ? a.compareTo(b) : Double.compare(n.doubleValue(), m.doubleValue());
    }
    if (x.getClass() != y.getClass()) {
      return x.getClass().getName().compareTo(y.getClass().getName());
    }
    @SuppressWarnings("unchecked")
    Comparable<Object> cx = (Comparable<Object>) x;
    return cx.compareTo(y);
  }
}
