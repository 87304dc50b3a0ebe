package io.accrete.jdbc;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a file of SQLite's sqllogictest through JDBC as the engine {@code postgresql}, the way
 * the suite's README describes: {@code statement ok|error}, {@code query TYPES SORT} with its
 * expected values (or their MD5), {@code skipif}/{@code onlyif}, {@code hash-threshold},
 * {@code halt}. Each record is counted as passed or failed; the first few failures are kept
 * with what was expected and what came, so a run tells why.
 */
final class SqlLogicRunner {
  static final String ENGINE = "postgresql";

  /** What one file did. */
  static final class Result {
    final String file;
    int passed;
    int failed;
    int skipped;
    long millis;
    boolean timedOut;
    final List<String> failures = new ArrayList<>();

    Result(String file) {
      this.file = file;
    }

    int run() {
      return passed + failed;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s: %d/%d passed (%.1f%%), %d skipped, %.1f s%s", file, passed, run(),
          run() == 0 ? 100.0 : 100.0 * passed / run(), skipped, millis / 1000.0, timedOut ? ", stopped: a record ran too long" : "");
    }
  }

  private SqlLogicRunner() {}

  /**
   * Runs one file on a connection {@code open} makes (a fresh, empty database): its first
   * {@code maxRecords} records that run here (0: all), each given {@code recordMillis} at most —
   * a record that takes longer fails and ends the file (its statement cannot be stopped).
   */
  static Result run(Path file, String name, Supplier<Connection> open, int maxRecords, long recordMillis)
      throws IOException {
    Result result = new Result(name);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    long start = System.nanoTime();
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sqllogictest " + name);
      t.setDaemon(true); // a statement that never ends is abandoned with its thread
      return t;
    });
    try (Connection c = open.get()) {
      int hashThreshold = 8;
      int i = 0;
      while (i < lines.size()) {
        // One record: lines up to a blank line.
        List<String> record = new ArrayList<>();
        while (i < lines.size() && lines.get(i).isBlank()) {
          i++;
        }
        int at = i + 1;
        while (i < lines.size() && !lines.get(i).isBlank()) {
          String l = lines.get(i++);
          if (!l.startsWith("#")) {
            record.add(l);
          }
        }
        boolean skip = false;
        while (!record.isEmpty() && (record.get(0).startsWith("skipif ") || record.get(0).startsWith("onlyif "))) {
          String[] cond = record.remove(0).split("\\s+");
          boolean engine = cond[1].equals(ENGINE);
          skip |= cond[0].equals("skipif") == engine;
        }
        if (record.isEmpty()) {
          continue;
        }
        String head = record.get(0);
        if (head.equals("halt")) {
          if (skip) {
            continue;
          }
          break;
        }
        if (head.startsWith("hash-threshold")) {
          hashThreshold = Integer.parseInt(head.split("\\s+")[1]);
          continue;
        }
        if (skip) {
          result.skipped++;
          continue;
        }
        if (maxRecords > 0 && result.run() >= maxRecords) {
          break;
        }
        String where = name + ":" + at;
        long left = recordMillis;
        try {
          String failure = head.startsWith("statement") ? statement(worker, c, head, record, left)
              : head.startsWith("query") ? query(worker, c, head, record, hashThreshold, left)
              : null;
          if (failure == null) {
            result.passed++;
          } else {
            result.failed++;
            if (result.failures.size() < 20) {
              result.failures.add(where + ": " + failure);
            }
          }
        } catch (TimeoutException e) {
          result.failed++;
          result.timedOut = true;
          result.failures.add(where + ": did not finish within the time limit");
          break;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a database for " + name + ": " + e.getMessage(), e);
    } finally {
      worker.shutdownNow();
      result.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
    return result;
  }

  private static String statement(ExecutorService worker, Connection c, String head, List<String> record, long left)
      throws TimeoutException {
    String sql = String.join("\n", record.subList(1, record.size()));
    boolean expectError = head.startsWith("statement error");
    String error = call(worker, left, () -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
        return null;
      } catch (SQLException | RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
        return firstLine(e);
      }
    });
    if (expectError) {
      return error == null ? "expected an error: " + sql : null;
    }
    return error == null ? null : "failed: " + sql + " — " + error;
  }

  private static String query(ExecutorService worker, Connection c, String head, List<String> record, int threshold,
      long left) throws TimeoutException {
    String[] h = head.split("\\s+");
    String types = h.length > 1 ? h[1] : "";
    String sort = h.length > 2 ? h[2] : "nosort";
    int sep = record.indexOf("----");
    List<String> sqlLines = record.subList(1, sep < 0 ? record.size() : sep);
    String sql = String.join("\n", sqlLines);
    List<String> expected = sep < 0 ? List.of() : record.subList(sep + 1, record.size());
    Object got = call(worker, left, () -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int col = 1; col <= md.getColumnCount(); col++) {
            char type = col - 1 < types.length() ? types.charAt(col - 1) : 'T';
            row.add(render(rs.getObject(col), type));
          }
          rows.add(row);
        }
        return rows;
      } catch (SQLException | RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
        return "error: " + firstLine(e);
      }
    });
    if (got instanceof String error) {
      return "failed: " + sql + " — " + error;
    }
    @SuppressWarnings("unchecked")
    List<List<String>> rows = (List<List<String>>) got;
    if (!rows.isEmpty() && rows.get(0).size() != types.length()) {
      return "expected " + types.length() + " columns, got " + rows.get(0).size() + ": " + sql;
    }
    if (sort.equals("rowsort")) {
      rows.sort((a, b) -> {
        for (int k = 0; k < a.size(); k++) {
          int cmp = compareBytes(a.get(k), b.get(k));
          if (cmp != 0) {
            return cmp;
          }
        }
        return 0;
      });
    }
    List<String> values = new ArrayList<>();
    for (List<String> r : rows) {
      values.addAll(r);
    }
    if (sort.equals("valuesort")) {
      values.sort(SqlLogicRunner::compareBytes);
    }
    if (expected.size() == 1 && expected.get(0).contains(" values hashing to ")) {
      String mine = values.size() + " values hashing to " + md5(values);
      return mine.equals(expected.get(0)) ? null
          : "expected " + expected.get(0) + ", got " + mine + (values.size() <= 12 ? " " + values : "") + ": " + sql;
    }
    List<String> want = new ArrayList<>();
    for (String e : expected) {
      want.add(e.strip());
    }
    if (threshold > 0 && values.size() > threshold && want.size() == values.size()) {
      // Files may give values even past the threshold; compare them as given.
      return want.equals(values) ? null : "expected " + clip(want) + ", got " + clip(values) + ": " + sql;
    }
    return want.equals(values) ? null : "expected " + clip(want) + ", got " + clip(values) + ": " + sql;
  }

  private static String clip(List<String> v) {
    return v.size() <= 12 ? v.toString() : v.subList(0, 12) + "… (" + v.size() + " values)";
  }

  private static <T> T call(ExecutorService worker, long left, java.util.concurrent.Callable<T> work)
      throws TimeoutException {
    Future<T> f = worker.submit(work);
    try {
      return f.get(left, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** A value as sqllogictest prints it for a column of type I, R or T. */
  static String render(Object v, char type) {
    if (v == null) {
      return "NULL";
    }
    switch (type) {
      case 'I':
        if (v instanceof Number n) {
          return n instanceof BigDecimal d ? d.toBigInteger().toString() : String.valueOf(
              n instanceof Double || n instanceof Float ? (long) n.doubleValue() : n.longValue());
        }
        if (v instanceof Boolean b) {
          return b ? "1" : "0";
        }
        try {
          return String.valueOf((long) Double.parseDouble(v.toString().trim()));
        } catch (NumberFormatException e) {
          return "0";
        }
      case 'R':
        double d;
        if (v instanceof Number n) {
          d = n.doubleValue();
        } else {
          try {
            d = Double.parseDouble(v.toString().trim());
          } catch (NumberFormatException e) {
            d = 0;
          }
        }
        return String.format(Locale.ROOT, "%.3f", d);
      default:
        String s = v instanceof Boolean b ? (b ? "true" : "false") : v.toString();
        if (s.isEmpty()) {
          return "(empty)";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
          out.append(ch >= ' ' && ch <= '~' ? ch : '@');
        }
        return out.toString();
    }
  }

  static String md5(List<String> values) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      for (String v : values) {
        md.update(v.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is in every JDK", e);
    }
  }

  private static int compareBytes(String a, String b) {
    return Arrays.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)) + (e instanceof SQLException s && s.getSQLState() != null
        ? " [" + s.getSQLState() + "]" : "");
  }
}
