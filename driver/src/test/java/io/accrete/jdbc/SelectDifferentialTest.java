package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.accrete.jdbc.SelectGenerator.Sel;
import io.accrete.storage.TestPostgres;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Differential test of SELECT (issue #15): the same tables and rows (NULLs in every nullable
 * column) on Accrete and on a real PostgreSQL, then several hundred generated SELECTs (joins,
 * GROUP BY/HAVING, expressions, NULLs, decimals, dates, sub-queries, set operations, ORDER BY and
 * LIMIT) run on both; the answers must be equal: as multisets of rows, and in order where the
 * query orders. Decimals and integers compare exactly, doubles within a relative 1e-9, dates as
 * {@link LocalDate}. Every mismatch is collected, shrunk where time allows, and reported at the
 * end, grouped by kind. {@code -Dselectdiff.seed=…} and {@code -Dselectdiff.queries=…} choose
 * another run (the seed also chooses the rows), {@code -Dselectdiff.shrinkMillis=…} the time for
 * shrinking, {@code -Dselectdiff.debug=true} prints every shrinking step; the report is also
 * written to {@code target/select-differential.txt}.
 */
class SelectDifferentialTest {
  private static final long SEED = Long.getLong("selectdiff.seed", 15L);
  private static final int QUERIES = Integer.getInteger("selectdiff.queries", 600);
  /** Time for shrinking failing queries to small ones, after the run. */
  private static final long SHRINK_MILLIS = Long.getLong("selectdiff.shrinkMillis", 15_000);
  /** Failing queries shrunk per kind (different ones may have different causes). */
  private static final int SHRUNK_PER_KIND = 3;
  private static final double TOLERANCE = 1e-9;

  static final String[] SCHEMA = {
    "CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT, budget NUMERIC(10,2), ratio DOUBLE PRECISION,"
        + " active BOOLEAN, founded DATE)",
    "CREATE TABLE emp (id INTEGER PRIMARY KEY, name VARCHAR(20), dept_id INTEGER REFERENCES dept(id), age INTEGER,"
        + " salary NUMERIC(10,2), bonus NUMERIC(10,2), score DOUBLE PRECISION, manager BOOLEAN, hired DATE)",
    "CREATE TABLE task (id INTEGER PRIMARY KEY, emp_id INTEGER REFERENCES emp(id), title VARCHAR(30) NOT NULL,"
        + " effort INTEGER, cost NUMERIC(10,2), weight DOUBLE PRECISION, done BOOLEAN, due_on DATE)",
  };

  /** One mismatch: its kind, the query, and what each side answered. */
  record Mismatch(String kind, String sql, String postgres, String accrete, Sel query) {}

  /** What a query gave on one side: column types and rows (values normalized), or an error. */
  record Answer(List<String> typeNames, List<String> families, List<List<Object>> rows, String error) {
    static Answer failed(String error) {
      return new Answer(List.of(), List.of(), List.of(), error);
    }
  }

  /** A comparison: null kind when the answers agree. */
  record Outcome(String kind, String postgres, String accrete, boolean invalid) {}

  private Connection pg;
  private Connection accrete;

  @Test
  void generatedSelectsAgreeWithPostgresql() throws Exception {
    long started = System.nanoTime();
    List<Mismatch> mismatches = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    try (Connection p = postgres();
         Connection a = DriverManager.getConnection("jdbc:accrete:mem://select-diff-" + UUID.randomUUID() + ";create=true")) {
      pg = p;
      accrete = a;
      load(mismatches);
      for (String table : List.of("dept", "emp", "task")) {
        String sql = "SELECT * FROM " + table;
        Outcome o = compare(sql, List.of(), null);
        if (o.kind != null) {
          mismatches.add(new Mismatch("data: " + o.kind, sql, o.postgres, o.accrete, null));
        }
      }
      long loaded = System.nanoTime();
      Random random = new Random(SEED);
      SelectGenerator generator = new SelectGenerator(random);
      int agreed = 0;
      for (int i = 0; i < QUERIES; i++) {
        Sel q = generator.query();
        Outcome o = check(q);
        if (o.invalid) {
          invalid.add(q.sql() + "\n    PostgreSQL: " + o.postgres);
        } else if (o.kind != null) {
          mismatches.add(new Mismatch(o.kind, q.sql(), o.postgres, o.accrete, q));
        } else {
          agreed++;
        }
      }
      long ran = System.nanoTime();
      Map<String, List<Mismatch>> byKind = new LinkedHashMap<>();
      for (Mismatch m : mismatches) {
        byKind.computeIfAbsent(m.kind, k -> new ArrayList<>()).add(m);
      }
      List<Map.Entry<String, List<Mismatch>>> kinds = new ArrayList<>(byKind.entrySet());
      kinds.sort(Comparator.comparing((Map.Entry<String, List<Mismatch>> e) -> -e.getValue().size())
          .thenComparing(Map.Entry::getKey));
      Map<String, List<Mismatch>> shrunk = shrinkAll(kinds);
      String summary = String.format(Locale.ROOT,
          "select differential, seed %d: %d queries, %d agree with PostgreSQL, %d mismatches of %d kinds,"
              + " %d invalid on PostgreSQL; load %.1f s, queries %.1f s, shrinking %.1f s",
          SEED, QUERIES, agreed, mismatches.size(), kinds.size(), invalid.size(), (loaded - started) / 1e9,
          (ran - loaded) / 1e9, (System.nanoTime() - ran) / 1e9);
      String report = report(summary, kinds, shrunk, invalid);
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "select-differential.txt"), report, StandardCharsets.UTF_8);
      assertTrue(invalid.isEmpty(), "the generator made queries PostgreSQL refuses:\n" + String.join("\n", invalid));
      if (!mismatches.isEmpty()) {
        fail(report);
      }
    }
  }

  // ------------------------------------------------------------------ setup

  /** A fresh database on the test PostgreSQL with the C collation (text sorts by code point, as in Java). */
  private static Connection postgres() throws SQLException {
    String base = TestPostgres.url();
    String name = "selectdiff_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    }
    int q = base.indexOf('?');
    String head = q < 0 ? base : base.substring(0, q);
    return DriverManager.getConnection(head.substring(0, head.lastIndexOf('/') + 1) + name
        + (q < 0 ? "" : base.substring(q)));
  }

  private static final String[] DEPT_NAMES = {"Sales", "sales", "R&D", "Ops", "ops", "Legal", "", "Support team",
      "HR", "Z-unit", "o'neil"};
  private static final String[] EMP_NAMES = {"ann", "Ann", "bob", "Bob", "carla", "dave", "eve", "frank", "gus",
      "hal", "ivy", "ann-marie", "o'neil", "x_y", "50%", "", " pad ", "Zoe", "zed", "a b"};
  private static final String[] TITLES = {"review", "Review", "deploy", "fix bug", "write docs", "plan", "x",
      "refactor", "test", "ops call"};

  /** The same INSERTs on both sides; where Accrete refuses a statement, its rows one by one. */
  private void load(List<Mismatch> mismatches) throws SQLException {
    for (String ddl : SCHEMA) {
      exec(pg, ddl);
      exec(accrete, ddl);
    }
    Random r = new Random(SEED * 31 + 7);
    List<String> dept = new ArrayList<>();
    for (int id = 1; id <= 120; id++) {
      dept.add(row(id, nul(r, 0.1, str(DEPT_NAMES[r.nextInt(DEPT_NAMES.length)])), nul(r, 0.15, money(r, 9000)),
          nul(r, 0.15, dbl(r)), nul(r, 0.15, r.nextBoolean() ? "TRUE" : "FALSE"), nul(r, 0.15, date(r))));
    }
    List<String> emp = new ArrayList<>();
    for (int id = 1; id <= 300; id++) {
      emp.add(row(id, nul(r, 0.1, str(EMP_NAMES[r.nextInt(EMP_NAMES.length)])),
          nul(r, 0.15, String.valueOf(1 + r.nextInt(r.nextBoolean() ? 120 : 12))), nul(r, 0.12, String.valueOf(18 + r.nextInt(53))),
          nul(r, 0.12, money(r, 9000)), nul(r, 0.35, money(r, 500)), nul(r, 0.12, dbl(r)),
          nul(r, 0.15, r.nextBoolean() ? "TRUE" : "FALSE"), nul(r, 0.12, date(r))));
    }
    List<String> task = new ArrayList<>();
    for (int id = 1; id <= 400; id++) {
      task.add(row(id, nul(r, 0.12, String.valueOf(1 + r.nextInt(r.nextBoolean() ? 300 : 40))),
          str(TITLES[r.nextInt(TITLES.length)]), nul(r, 0.12, String.valueOf(r.nextInt(46) - 5)),
          nul(r, 0.12, money(r, 2000)), nul(r, 0.12, dbl(r)), nul(r, 0.15, r.nextBoolean() ? "TRUE" : "FALSE"),
          nul(r, 0.12, date(r))));
    }
    insert("dept", "(id, name, budget, ratio, active, founded)", dept, mismatches);
    insert("emp", "(id, name, dept_id, age, salary, bonus, score, manager, hired)", emp, mismatches);
    insert("task", "(id, emp_id, title, effort, cost, weight, done, due_on)", task, mismatches);
  }

  private void insert(String table, String cols, List<String> rows, List<Mismatch> mismatches) throws SQLException {
    for (int from = 0; from < rows.size(); from += 25) {
      List<String> batch = rows.subList(from, Math.min(rows.size(), from + 25));
      String sql = "INSERT INTO " + table + " " + cols + " VALUES " + String.join(", ", batch);
      exec(pg, sql);
      try {
        exec(accrete, sql);
      } catch (SQLException e) {
        mismatches.add(new Mismatch("INSERT: Accrete error: " + normalizedError(e.getMessage()), sql, "INSERT " + batch.size(),
            "error: " + firstLine(e.getMessage()), null));
        for (String one : batch) {
          exec(accrete, "INSERT INTO " + table + " " + cols + " VALUES " + one);
        }
      }
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String row(int id, String... values) {
    return "(" + id + ", " + String.join(", ", values) + ")";
  }

  private static String nul(Random r, double p, String v) {
    return r.nextDouble() < p ? "NULL" : v;
  }

  private static String str(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A NUMERIC(10,2) literal: whole, halves and arbitrary cents, some negative. */
  private static String money(Random r, int max) {
    long cents = switch (r.nextInt(4)) {
      case 0 -> r.nextInt(max) * 100L;
      case 1 -> r.nextInt(max * 2) * 50L;
      default -> r.nextInt(max * 100);
    };
    if (r.nextInt(8) == 0) {
      cents = -cents / 10;
    }
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  /** A DOUBLE PRECISION literal: mostly eighths (exact in binary), some with six decimals. */
  private static String dbl(Random r) {
    if (r.nextInt(3) == 0) {
      return String.format(Locale.ROOT, "%.6f", r.nextDouble() * 200 - 20);
    }
    return BigDecimal.valueOf(r.nextInt(1600) - 200).divide(BigDecimal.valueOf(8)).toPlainString();
  }

  private static String date(Random r) {
    LocalDate d = LocalDate.of(1995, 1, 1).plusDays(r.nextInt(365 * 32));
    if (r.nextInt(20) == 0) {
      d = LocalDate.of(r.nextBoolean() ? 2000 : 2024, 2, 29);
    }
    return r.nextInt(3) == 0 ? "DATE '" + d + "'" : "'" + d + "'";
  }

  // ------------------------------------------------------------------ running and comparing

  private Outcome check(Sel q) {
    if (!q.deterministic()) {
      return new Outcome(null, "(a LIMIT or OFFSET without a total order: not one answer)", "", true);
    }
    return compare(q.sql(), q.orderedColumns(), q);
  }

  private Outcome compare(String sql, List<Integer> ordered, Sel q) {
    Answer p = run(pg, sql, null);
    if (p.error != null) {
      return new Outcome(null, p.error, "", true);
    }
    Answer a = run(accrete, sql, p.typeNames);
    String pText = show(p);
    if (a.error != null) {
      return new Outcome("Accrete error: " + normalizedError(a.error), pText, "error: " + a.error, false);
    }
    if (a.families.size() != p.families.size()) {
      return new Outcome("wrong number of columns", pText, show(a), false);
    }
    String kind = null;
    String detail = "";
    if (a.rows.size() != p.rows.size()) {
      kind = "wrong number of rows (Accrete " + (a.rows.size() > p.rows.size() ? "more" : "fewer") + ")";
      detail = difference(p.rows, a.rows);
    } else {
      List<List<Object>> ps = sorted(p.rows);
      List<List<Object>> as = sorted(a.rows);
      for (int i = 0; i < ps.size() && kind == null; i++) {
        int c = firstDifference(ps.get(i), as.get(i));
        if (c >= 0) {
          Object pv = ps.get(i).get(c);
          Object av = as.get(i).get(c);
          kind = "wrong values in a " + p.typeNames.get(c) + " column" + how(pv, av);
          detail = difference(p.rows, a.rows);
        }
      }
      if (kind == null && !ordered.isEmpty()) {
        for (int i = 0; i < p.rows.size() && kind == null; i++) {
          for (int c : ordered) {
            if (!same(p.rows.get(i).get(c), a.rows.get(i).get(c))) {
              kind = "wrong order";
              detail = "first difference at row " + (i + 1) + ", column " + (c + 1);
              break;
            }
          }
        }
      }
      if (kind == null) {
        for (int c = 0; c < p.families.size() && kind == null; c++) {
          if (!p.families.get(c).equals(a.families.get(c))) {
            kind = "column type: PostgreSQL " + p.families.get(c) + ", Accrete " + a.families.get(c);
            detail = "column " + (c + 1) + ": PostgreSQL " + p.typeNames.get(c) + ", Accrete " + a.typeNames.get(c);
          }
        }
      }
    }
    if (kind == null) {
      return new Outcome(null, "", "", false);
    }
    return new Outcome(kind, pText, show(a) + (detail.isEmpty() ? "" : "\n      " + detail), false);
  }

  /**
   * Runs a query; values normalized: integers and decimals as BigDecimal, REAL/DOUBLE as Double,
   * dates as LocalDate (read with getObject(i, LocalDate.class) where PostgreSQL's column is a
   * date), text, booleans, NULL.
   */
  private static Answer run(Connection c, String sql, List<String> pgTypes) {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(30);
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          names.add(md.getColumnTypeName(i));
          families.add(family(md.getColumnType(i)));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            boolean date = pgTypes == null ? "date".equals(families.get(i - 1))
                : i - 1 < pgTypes.size() && "date".equals(pgTypes.get(i - 1));
            row.add(date ? rs.getObject(i, LocalDate.class) : normalized(rs.getObject(i)));
          }
          rows.add(row);
        }
        return new Answer(names, families, rows, null);
      }
    } catch (SQLException e) {
      return Answer.failed(firstLine(String.valueOf(e.getMessage())));
    } catch (RuntimeException | AssertionError | StackOverflowError e) {
      // not even an SQLException: the driver let it through
      return Answer.failed("(" + e.getClass().getName() + " thrown) " + firstLine(String.valueOf(e.getMessage())));
    }
  }

  private static String family(int jdbcType) {
    return switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> "integer";
      case Types.NUMERIC, Types.DECIMAL -> "numeric";
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> "double";
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR -> "text";
      case Types.BOOLEAN, Types.BIT -> "boolean";
      case Types.DATE -> "date";
      case Types.TIMESTAMP -> "timestamp";
      default -> "jdbc type " + jdbcType;
    };
  }

  private static Object normalized(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Double || v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof java.math.BigInteger b) {
      return new BigDecimal(b);
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    return v.toString();
  }

  /** Equal answers: decimals exactly (compareTo), doubles within a relative tolerance. */
  static boolean same(Object p, Object a) {
    if (p == null || a == null) {
      return p == a;
    }
    if (p instanceof Double pd && a instanceof Number an) {
      double ad = an.doubleValue();
      return pd.equals(ad) || Math.abs(pd - ad) <= TOLERANCE * Math.max(Math.abs(pd), Math.abs(ad));
    }
    if (p instanceof BigDecimal pb && a instanceof Double ad) {
      return !ad.isNaN() && !ad.isInfinite() && pb.compareTo(BigDecimal.valueOf(ad)) == 0;
    }
    if (p instanceof BigDecimal pb && a instanceof BigDecimal ab) {
      return pb.compareTo(ab) == 0;
    }
    return p.equals(a);
  }

  /** What is wrong with a value, where it is one of a few common ways. */
  private static String how(Object p, Object a) {
    if (p == null) {
      return " (Accrete gives a value for NULL)";
    }
    if (a == null) {
      return " (Accrete gives NULL)";
    }
    if (p instanceof BigDecimal pb && a instanceof BigDecimal ab) {
      if (pb.signum() != 0 && ab.stripTrailingZeros().precision() >= 15
          && pb.subtract(ab).abs().divide(pb.abs(), MathContext.DECIMAL64).doubleValue() < 1e-14) {
        return " (Accrete is imprecise beyond about 16 significant digits)";
      }
      for (int scale = 0; scale < pb.scale(); scale++) {
        if (pb.setScale(scale, java.math.RoundingMode.HALF_UP).compareTo(ab) == 0
            || pb.setScale(scale, java.math.RoundingMode.HALF_EVEN).compareTo(ab) == 0
            || pb.setScale(scale, java.math.RoundingMode.DOWN).compareTo(ab) == 0) {
          return " (Accrete rounds to fewer decimal places)";
        }
      }
    }
    if (p instanceof String ps && a instanceof String as) {
      if (ps.equalsIgnoreCase(as)) {
        return " (letter case differs)";
      }
      if (as.startsWith(ps) && as.substring(ps.length()).isBlank()) {
        return " (Accrete pads with spaces)";
      }
    }
    return "";
  }

  private static int firstDifference(List<Object> p, List<Object> a) {
    for (int c = 0; c < p.size(); c++) {
      if (!same(p.get(c), a.get(c))) {
        return c;
      }
    }
    return -1;
  }

  /** Rows sorted by a canonical key (doubles rounded to 8 digits), to compare bags pairwise. */
  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows);
    out.sort(SelectDifferentialTest::compareRows);
    return out;
  }

  private static int compareRows(List<Object> x, List<Object> y) {
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = compareValues(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  private static int rank(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof Boolean) {
      return 1;
    }
    if (v instanceof Number) {
      return 2;
    }
    if (v instanceof String) {
      return 3;
    }
    if (v instanceof LocalDate) {
      return 4;
    }
    return 5;
  }

  private static int compareValues(Object x, Object y) {
    int rx = rank(x);
    int ry = rank(y);
    if (rx != ry || rx == 0) {
      return Integer.compare(rx, ry);
    }
    return switch (rx) {
      case 1 -> ((Boolean) x).compareTo((Boolean) y);
      case 2 -> key((Number) x).compareTo(key((Number) y));
      case 3 -> ((String) x).compareTo((String) y);
      case 4 -> ((LocalDate) x).compareTo((LocalDate) y);
      default -> x.toString().compareTo(y.toString());
    };
  }

  private static BigDecimal key(Number n) {
    if (n instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return BigDecimal.valueOf(d.isNaN() ? Long.MAX_VALUE : Math.signum(d) * 1e300);
      }
      return new BigDecimal(d).round(new MathContext(8));
    }
    return (BigDecimal) n;
  }

  /** Rows only one side has (multiset difference on the canonical key; doubles rounded). */
  private static String difference(List<List<Object>> p, List<List<Object>> a) {
    Map<String, Integer> count = new HashMap<>();
    for (List<Object> row : a) {
      count.merge(canonical(row), 1, Integer::sum);
    }
    List<String> onlyPg = new ArrayList<>();
    for (List<Object> row : p) {
      String k = canonical(row);
      Integer c = count.get(k);
      if (c == null || c == 0) {
        onlyPg.add(format(row));
      } else {
        count.put(k, c - 1);
      }
    }
    Map<String, Integer> left = new HashMap<>();
    for (List<Object> row : p) {
      left.merge(canonical(row), 1, Integer::sum);
    }
    List<String> onlyAcc = new ArrayList<>();
    for (List<Object> row : a) {
      String k = canonical(row);
      Integer c = left.get(k);
      if (c == null || c == 0) {
        onlyAcc.add(format(row));
      } else {
        left.put(k, c - 1);
      }
    }
    return "only PostgreSQL has " + onlyPg.size() + ": " + limited(onlyPg, 4) + "; only Accrete has " + onlyAcc.size()
        + ": " + limited(onlyAcc, 4);
  }

  private static String canonical(List<Object> row) {
    StringBuilder b = new StringBuilder();
    for (Object v : row) {
      b.append(v instanceof Number n ? key(n).stripTrailingZeros().toPlainString() : String.valueOf(v)).append('\u0001');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ shrinking

  /** For each kind (most frequent first), a small query failing the same way, while time allows. */
  private Map<String, List<Mismatch>> shrinkAll(List<Map.Entry<String, List<Mismatch>>> kinds) {
    Map<String, List<Mismatch>> out = new LinkedHashMap<>();
    long deadline = System.nanoTime() + SHRINK_MILLIS * 1_000_000;
    for (int round = 0; round < SHRUNK_PER_KIND; round++) {
      for (Map.Entry<String, List<Mismatch>> e : kinds) {
        List<Mismatch> candidates = new ArrayList<>();
        for (Mismatch m : e.getValue()) {
          if (m.query != null) {
            candidates.add(m);
          }
        }
        candidates.sort(Comparator.comparingInt(m -> m.query.size()));
        if (round >= candidates.size()) {
          continue;
        }
        Mismatch m = System.nanoTime() > deadline ? candidates.get(round) : shrink(e.getKey(), candidates.get(round), deadline);
        List<Mismatch> found = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
        if (found.stream().noneMatch(x -> x.sql.equals(m.sql))) {
          found.add(m);
        }
      }
    }
    return out;
  }

  /** Greedy: the first smaller variant that still fails the same way, again, until none does or time is up. */
  private Mismatch shrink(String kind, Mismatch start, long deadline) {
    Sel current = start.query;
    Mismatch now = start;
    boolean progress = true;
    while (progress && System.nanoTime() < deadline) {
      progress = false;
      for (Sel c : SelectGenerator.shrinks(current)) {
        if (System.nanoTime() > deadline) {
          break;
        }
        if (!c.deterministic() || c.items.isEmpty() || c.size() >= current.size()) {
          continue;
        }
        Outcome o = check(c);
        if (Boolean.getBoolean("selectdiff.debug")) {
          System.out.println("shrink " + kind + " <- " + o.kind + (o.invalid ? " (invalid: " + o.postgres + ")" : "")
              + ": " + c.sql());
        }
        if (!o.invalid && sameKind(kind, o.kind)) {
          current = c;
          String accrete = o.kind.equals(kind) ? o.accrete
              : o.accrete + " (the JVM dropped the message; first seen as: " + start.accrete + ")";
          now = new Mismatch(kind, c.sql(), o.postgres, accrete, c);
          progress = true;
          break;
        }
      }
    }
    return now;
  }

  /**
   * The same kind of mismatch. An error thrown often from compiled code may lose its message (HotSpot's
   * OmitStackTraceInFastThrow): a bare exception class name matches any error.
   */
  static boolean sameKind(String want, String got) {
    if (want.equals(got)) {
      return true;
    }
    String bare = "Accrete error: java\\.lang\\.\\w+";
    return got != null && want.startsWith("Accrete error: ") && got.startsWith("Accrete error: ")
        && (got.matches(bare) || want.matches(bare));
  }

  // ------------------------------------------------------------------ report

  private static String report(String summary, List<Map.Entry<String, List<Mismatch>>> kinds,
      Map<String, List<Mismatch>> shrunk, List<String> invalid) {
    StringBuilder b = new StringBuilder(summary).append('\n');
    if (!kinds.isEmpty()) {
      b.append("\nKinds of mismatch (count; the smallest reproducing queries found):\n");
      int i = 1;
      for (Map.Entry<String, List<Mismatch>> e : kinds) {
        b.append(String.format(Locale.ROOT, "%2d. [%d] %s%n", i++, e.getValue().size(), e.getKey()));
        for (Mismatch m : shrunk.getOrDefault(e.getKey(), List.of(e.getValue().get(0)))) {
          b.append("    ").append(clip(m.sql, 1000)).append('\n');
          b.append("      PostgreSQL: ").append(clip(m.postgres, 400)).append('\n');
          b.append("      Accrete:    ").append(clip(m.accrete, 600)).append('\n');
        }
      }
      b.append("\nAll mismatches, by kind:\n");
      for (Map.Entry<String, List<Mismatch>> e : kinds) {
        b.append("\n== ").append(e.getKey()).append(" (").append(e.getValue().size()).append(")\n");
        for (Mismatch m : e.getValue()) {
          b.append("  ").append(clip(m.sql, 2000)).append('\n');
          b.append("    PostgreSQL: ").append(clip(m.postgres, 400)).append('\n');
          b.append("    Accrete:    ").append(clip(m.accrete, 700)).append('\n');
        }
      }
    }
    if (!invalid.isEmpty()) {
      b.append("\nQueries PostgreSQL refused (a generator bug):\n");
      for (String s : invalid) {
        b.append("  ").append(s).append('\n');
      }
    }
    return b.toString();
  }

  private static String show(Answer a) {
    if (a.error != null) {
      return "error: " + a.error;
    }
    List<String> rows = new ArrayList<>();
    for (List<Object> row : a.rows.subList(0, Math.min(5, a.rows.size()))) {
      rows.add(format(row));
    }
    return a.rows.size() + " rows " + a.typeNames + ": " + String.join(" ", rows) + (a.rows.size() > 5 ? " …" : "");
  }

  private static String format(List<Object> row) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < row.size(); i++) {
      Object v = row.get(i);
      b.append(i == 0 ? "" : ", ").append(v == null ? "NULL" : v instanceof BigDecimal d ? d.toPlainString()
          : v instanceof String s ? "'" + s + "'" : v.toString());
    }
    return b.append(')').toString();
  }

  private static String limited(List<String> xs, int n) {
    return String.join(" ", xs.subList(0, Math.min(n, xs.size()))) + (xs.size() > n ? " …" : "");
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + " …";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** An error message as a kind: without positions, numbers and quoted identifiers. */
  static String normalizedError(String message) {
    String s = firstLine(String.valueOf(message));
    s = s.replaceAll("\\(line \\d+, column \\d+\\)", "")
        .replaceAll("From line \\d+, column \\d+ to line \\d+, column \\d+: ", "")
        .replaceAll("`[^`]*`", "`…`")
        .replaceAll("\\d+", "N")
        .trim();
    return s.length() > 160 ? s.substring(0, 160) + " …" : s;
  }
}
