package io.accrete.bench;

import io.accrete.sql.tpch.TpchQueries;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.sql.AccreteSql;
import io.accrete.sql.tpch.Answers;
import io.accrete.sql.tpch.TpchData;
import io.trino.tpch.Order;
import io.trino.tpch.TpchTable;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SQL over JDBC on TPC-H (issue 5), Accrete against PostgreSQL in one run and one JVM.
 *
 * <ol>
 *   <li><b>TPC-H</b>: loads the data set at {@code --sf} (default 0.1) into an in-memory Accrete
 *       database ({@link TpchData#load}, then {@code requestIndex()}) and into PostgreSQL
 *       ({@link TpchData#loadPostgres}: standard tables, COPY, ANALYZE), runs each of the 22
 *       queries ({@link TpchQueries}) on both through JDBC — cold once, with the answers
 *       compared, then warm-ups and measured runs — and prints the medians, the ratio
 *       Accrete/PostgreSQL per query and their geometric mean.
 *   <li><b>AS OF</b>: a fresh Accrete database with {@code customer} and {@code orders}, in which
 *       every order's five non-key values are then changed {@code --versions} (10) times, so the
 *       history holds about ten times the present; a few queries run at present, {@code FOR
 *       SYSTEM_TIME AS OF T(latest t)} and {@code AS OF T(t halfway)}, and it prints the ratios
 *       to present.
 * </ol>
 *
 * <p>A query that fails or runs longer than {@code --timeout} seconds (60) on one side is
 * reported with its error and not timed there. Both sides run plain {@link Statement}s, so each
 * execution includes parsing and planning. Progress goes to stderr, markdown tables to stdout.
 * {@code bench/run.sh TpchBench --help} lists the options.
 */
public final class TpchBench {
  private static final double TOLERANCE = 1e-6;
  /** Measured runs per query and side are cut so that they take about this long. */
  private static final double BUDGET_SECONDS = 40;

  private double sf = 0.1;
  private int warmup = 2;
  private int iterations = 5;
  private Set<Integer> queries = new LinkedHashSet<>();
  private long timeoutMillis = 60_000;
  private String pgUrl;
  private boolean tpch = true;
  private boolean asOf = true;
  private int versions = 10;
  private boolean explain;
  private boolean pgIndexes;
  private boolean stock;
  /** Whether the key attributes are {@code :db.unique/identity} (without: unique values nothing declares). */
  private boolean keys = true;

  /**
   * {@code --pg-indexes}: secondary indexes on PostgreSQL's foreign-key columns, as TPC-H
   * setups commonly add (Accrete's AVET indexes every attribute anyway).
   */
  private static final List<String> PG_INDEXES = List.of(
      "lineitem (l_partkey, l_suppkey)", "lineitem (l_suppkey)", "orders (o_custkey)", "partsupp (ps_suppkey)",
      "customer (c_nationkey)", "supplier (s_nationkey)", "nation (n_regionkey)");

  private final StringBuilder report = new StringBuilder();
  private final List<String> problems = new ArrayList<>();

  /** Runs the benchmark; see {@code --help}. */
  public static void main(String[] args) throws Exception {
    TpchBench b = new TpchBench();
    if (!b.parse(args)) {
      return;
    }
    int status = 0;
    try {
      b.run();
    } catch (Exception | Error e) {
      status = 1;
      e.printStackTrace();
    }
    System.out.println(b.report);
    // Calcite and the embedded server leave non-daemon threads; end the JVM rather than wait.
    System.exit(status);
  }

  private boolean parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--sf" -> sf = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--queries" -> Arrays.stream(args[++i].split(",")).map(String::trim)
            .map(q -> q.startsWith("q") || q.startsWith("Q") ? q.substring(1) : q)
            .forEach(q -> queries.add(Integer.parseInt(q)));
        case "--timeout" -> timeoutMillis = (long) (Double.parseDouble(args[++i]) * 1000);
        case "--pg-url" -> pgUrl = args[++i];
        case "--versions" -> versions = Integer.parseInt(args[++i]);
        case "--asof" -> {
          tpch = false;
          asOf = true;
        }
        case "--skip-asof" -> asOf = false;
        case "--explain" -> explain = true;
        case "--pg-indexes" -> pgIndexes = true;
        case "--stock" -> stock = true;
        case "--no-keys" -> keys = false;
        case "--help", "-h" -> {
          System.out.println("""
              bench/run.sh TpchBench [options]   (HEAP=8g recommended at --sf 0.1)
                --sf X            TPC-H scale factor (default 0.1)
                --queries 1,3,6   TPC-H queries to run (default all 22)
                --warmup N        unmeasured runs per query and side after the cold one (default 2)
                --iterations N    measured runs per query and side (default 5; fewer for slow queries)
                --timeout S       a query running longer than S seconds counts as failed (default 60)
                --pg-url URL      PostgreSQL to use (default $ACCRETE_TEST_POSTGRES_URL, else embedded)
                --asof            only the AS OF measurement
                --skip-asof       only the TPC-H queries
                --versions N      AS OF: values each order goes through after the load (default 10)
                --pg-indexes      also index PostgreSQL's foreign-key columns (default: primary keys only)
                --stock           the query texts exactly as io.trino.tpch ships them (default: the project's)
                --no-keys         Accrete's key attributes not declared unique (their values still are)
                --explain         print Accrete's plans (EXPLAIN PLAN FOR) instead of timing;
                                  -Dtpch.explain="EXPLAIN PLAN INCLUDING ALL ATTRIBUTES FOR " adds estimates""");
          return false;
        }
        default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
      }
    }
    if (queries.isEmpty()) {
      for (int q = 1; q <= 22; q++) {
        queries.add(q);
      }
    }
    return true;
  }

  private void run() throws Exception {
    String loadBefore = StorageBench.loadAverage();
    report.append(String.format(Locale.ROOT, "TpchBench: SF %s, %d warm-up + %d measured runs per query and side,"
            + " timeout %d s; Java %s, -Xmx %,d MiB, %d cores; load average before %s%n%n",
        sf, warmup, iterations, timeoutMillis / 1000, System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), loadBefore));
    if (tpch) {
      runTpch();
    }
    if (asOf) {
      runAsOf();
    }
    report.append("\nLoad average after: ").append(StorageBench.loadAverage()).append('\n');
    if (!problems.isEmpty()) {
      report.append("\n**Problems seen:**\n\n");
      problems.forEach(p -> report.append("- ").append(p).append('\n'));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // TPC-H

  private void runTpch() throws Exception {
    String uri = "accrete:mem://tpch-bench-" + ProcessHandle.current().pid();
    Peer.createDatabase(uri);
    Connection conn = Peer.connect(uri);
    log("Accrete: loading TPC-H SF " + sf);
    long t0 = System.nanoTime();
    Map<String, Long> counts = TpchData.load(conn, sf, false, keys);
    double loadSeconds = seconds(t0);
    t0 = System.nanoTime();
    conn.requestIndex();
    double indexSeconds = seconds(t0);
    log(String.format(Locale.ROOT, "Accrete: %s rows in %.1f s, indexed %.1f s later; heap used %s",
        counts, loadSeconds, indexSeconds, heapUsed()));
    try (BenchPostgres pg = BenchPostgres.start(pgUrl)) {
      log("PostgreSQL: loading TPC-H SF " + sf);
      double pgSeconds;
      try (java.sql.Connection c = pg.connect()) {
        t0 = System.nanoTime();
        Map<String, Long> pgCounts = TpchData.loadPostgres(c, sf);
        if (pgIndexes) {
          try (Statement s = c.createStatement()) {
            for (String index : PG_INDEXES) {
              s.execute("CREATE INDEX ON " + index);
            }
            s.execute("ANALYZE");
          }
        }
        pgSeconds = seconds(t0);
        if (!pgCounts.equals(counts)) {
          problems.add("the loads differ: Accrete " + counts + ", PostgreSQL " + pgCounts);
        }
      }
      log(String.format(Locale.ROOT, "PostgreSQL: loaded in %.1f s (COPY + ANALYZE)", pgSeconds));
      report.append(String.format(Locale.ROOT, "## TPC-H SF %s: %,d lineitems, %,d orders%n%n"
              + "Loads: Accrete (mem) %.1f s + requestIndex %.1f s (heap used after: %s); PostgreSQL (%s) %.1f s"
              + " (COPY + ANALYZE%s).%n%n",
          sf, counts.get("lineitem"), counts.get("orders"), loadSeconds, indexSeconds, heapUsed(), pg.describe(),
          pgSeconds, pgIndexes ? "; indexes on " + String.join(", ", PG_INDEXES) : "; primary keys only"));
      Properties props = new Properties();
      if (explain) {
        explain(AccreteSql.connect(conn, props));
        return;
      }
      // Through the JDBC driver, as users run it (its statements keep plans by text).
      Side accrete = new Side("Accrete", () -> java.sql.DriverManager.getConnection("jdbc:" + uri, props));
      Side postgres = new Side("PostgreSQL", pg::connect);
      try {
        queries(accrete, postgres);
      } finally {
        accrete.close();
        postgres.close();
      }
    } finally {
      conn.release();
      Peer.deleteDatabase(uri);
    }
  }

  private void queries(Side accrete, Side postgres) throws Exception {
    Markdown table = new Markdown("query", "rows", "PostgreSQL median, ms", "Accrete median, ms",
        "ratio Accrete/PostgreSQL", "runs (A/P)", "Accrete cold, ms", "answers");
    double logSum = 0;
    int ratios = 0;
    for (QueryText q : texts()) {
      if (!queries.contains(q.number())) {
        continue;
      }
      log(q.name() + ": cold runs");
      for (String update : q.before()) {
        accrete.update(update);
        postgres.update(update);
      }
      Run a = accrete.run(q.sql(), timeoutMillis);
      Run p = postgres.run(q.sql(), timeoutMillis);
      String answers;
      if (a.error != null || p.error != null) {
        answers = a.error != null ? "Accrete failed" : "PostgreSQL failed";
        if (a.error != null) {
          problems.add(q.name() + " on Accrete: " + a.error);
        }
        if (p.error != null) {
          problems.add(q.name() + " on PostgreSQL: " + p.error);
        }
      } else {
        answers = compare(q, p.rows, a.rows);
      }
      double am = a.error == null ? measure(accrete, q.sql(), a.millis) : Double.NaN;
      double pm = p.error == null ? measure(postgres, q.sql(), p.millis) : Double.NaN;
      if (!Double.isNaN(am) && !Double.isNaN(pm)) {
        logSum += Math.log(am / pm);
        ratios++;
      }
      log(String.format(Locale.ROOT, "%s: PostgreSQL %s ms, Accrete %s ms (cold %s ms), %s", q.name(),
          Markdown.num(pm), Markdown.num(am), Markdown.num(a.millis), answers));
      for (String update : q.after()) {
        accrete.update(update);
        postgres.update(update);
      }
      table.row(q.name(), p.rows != null ? p.rows.size() : a.rows != null ? a.rows.size() : "–",
          Markdown.num(pm), Markdown.num(am), Markdown.ratio(am, pm),
          accrete.lastRuns + "/" + postgres.lastRuns, Markdown.num(a.millis), answers);
    }
    double geo = ratios == 0 ? Double.NaN : Math.exp(logSum / ratios);
    table.row("**geometric mean** (" + ratios + " queries)", "", "", "", "**" + Markdown.num(geo) + "×**", "", "", "");
    report.append(table).append('\n');
  }

  /** Prints the plan Calcite makes for each selected query over Accrete, to stdout. */
  private void explain(java.sql.Connection c) throws Exception {
    try (c; Statement s = c.createStatement()) {
      for (QueryText q : texts()) {
        if (!queries.contains(q.number())) {
          continue;
        }
        for (String update : q.before()) {
          s.execute(update);
        }
        long start = System.nanoTime();
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery(System.getProperty("tpch.explain", "explain plan for ") + q.sql())) {
          while (rs.next()) {
            plan.append(rs.getString(1));
          }
          report.append(String.format(Locale.ROOT, "### %s (planned in %s ms)%n%n```%n%s", q.name(),
              Markdown.num((System.nanoTime() - start) / 1e6), plan));
        } catch (Exception e) {
          report.append("### ").append(q.name()).append("\n\n```\n");
          report.append("EXPLAIN failed: ").append(describe(e)).append('\n');
        }
        report.append("```\n\n");
        for (String update : q.after()) {
          s.execute(update);
        }
      }
    }
  }

  /** Medians of warm runs after the cold one, fewer for slow queries; NaN when a run fails. */
  private double measure(Side side, String sql, double coldMillis) throws Exception {
    int budgetRuns = (int) Math.max(1, BUDGET_SECONDS * 1000 / Math.max(coldMillis, 1));
    int w = coldMillis > 10_000 ? 0 : Math.min(warmup, budgetRuns);
    int n = Math.min(iterations, budgetRuns);
    for (int i = 0; i < w; i++) {
      if (side.run(sql, timeoutMillis).error != null) {
        return Double.NaN;
      }
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      Run r = side.run(sql, timeoutMillis);
      if (r.error != null) {
        problems.add("a warm run on " + side.name + " failed: " + r.error);
        return Double.NaN;
      }
      ms[i] = r.millis;
    }
    side.lastRuns = n;
    return median(ms);
  }

  /**
   * A query to run: the statements before it (Q15's view), the query, the statements after it
   * (dropping the view).
   */
  private record QueryText(int number, List<String> before, String sql, List<String> after, boolean ordered) {
    String name() {
      return "Q" + number;
    }
  }

  /** The project's texts, or with {@code --stock} io.trino.tpch's as shipped. */
  private List<QueryText> texts() throws java.io.IOException {
    List<QueryText> out = new ArrayList<>();
    if (!stock) {
      for (TpchQueries.Query q : TpchQueries.all(sf)) {
        out.add(new QueryText(q.number(), List.of(), q.sql(), List.of(), q.ordered()));
      }
      return out;
    }
    for (int n = 1; n <= 22; n++) {
      String path = "io/trino/tpch/queries/q" + n + ".sql";
      String text;
      try (java.io.InputStream in = TpchBench.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException(path + " is not on the class path (io.trino.tpch)");
        }
        text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      StringBuilder b = new StringBuilder();
      for (String line : text.split("\n")) {
        if (!line.trim().startsWith("--")) {
          b.append(line).append('\n');
        }
      }
      List<String> before = new ArrayList<>();
      List<String> after = new ArrayList<>();
      String query = null;
      for (String st : b.toString().split(";")) {
        String t = st.trim();
        if (t.isEmpty()) {
          continue;
        }
        if (query == null && t.regionMatches(true, 0, "select", 0, 6)) {
          query = t;
        } else if (query == null) {
          before.add(t);
        } else {
          after.add(t);
        }
      }
      for (String update : before) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?is)CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+(\\w+).*")
            .matcher(update);
        if (m.matches() && after.isEmpty()) {
          after.add("DROP VIEW IF EXISTS " + m.group(1));
        }
      }
      out.add(new QueryText(n, before, query, after, query.toLowerCase(Locale.ROOT).contains("order by")));
    }
    return out;
  }

  private String compare(QueryText q, List<List<Object>> postgres, List<List<Object>> accrete) {
    if (postgres.isEmpty()) {
      problems.add(q.name() + ": PostgreSQL's answer is empty, so the comparison proves little");
    }
    String diff = Answers.difference(postgres, accrete, TOLERANCE, q.ordered());
    if (diff == null) {
      return "same";
    }
    if (q.ordered() && Answers.difference(postgres, accrete, TOLERANCE, false) == null) {
      problems.add(q.name() + ": same rows, in another order (ties?): " + diff);
      return "same rows, other order";
    }
    problems.add(q.name() + ": answers differ: " + diff);
    return "**differ**";
  }

  // ---------------------------------------------------------------------------------------------
  // AS OF

  private static final String[] STATUSES = {"F", "O", "P"};
  private static final String[] PRIORITIES = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"};

  /** The AS OF queries: name and text, with {@code %s} after each table for the time clause. */
  private static final List<String[]> AS_OF_QUERIES = List.of(
      new String[] {"scan, group by",
          "select o_orderpriority, count(*), sum(o_totalprice) from orders%s group by o_orderpriority"},
      new String[] {"date range (AVET), sum",
          "select count(*), sum(o_totalprice) from orders%s"
              + " where o_orderdate >= date '1995-01-01' and o_orderdate < date '1995-04-01'"},
      new String[] {"lookups by o_custkey",
          "select o_orderkey, o_totalprice, o_orderstatus, o_clerk, o_comment from orders%s"
              + " where o_custkey in (370, 371, 1000, 2000, 4001)"},
      new String[] {"join customer–orders, group by",
          "select c_mktsegment, count(*), sum(o_totalprice) from customer%s, orders%s"
              + " where c_custkey = o_custkey and o_orderstatus = 'F' group by c_mktsegment"});

  private void runAsOf() throws Exception {
    String uri = "accrete:mem://tpch-asof-" + ProcessHandle.current().pid();
    Peer.createDatabase(uri);
    Connection conn = Peer.connect(uri);
    try {
      log("AS OF: loading customer and orders at SF " + sf);
      conn.transact(TpchData.schema()).join();
      TpchData.loadTable(conn, TpchTable.CUSTOMER, sf);
      long orders = TpchData.loadTable(conn, TpchTable.ORDERS, sf);
      long loaded = conn.db().basisT();
      long t0 = System.nanoTime();
      long mid = 0;
      for (int v = 1; v <= versions; v++) {
        updateOrders(conn, v);
        if (v == (versions + 1) / 2) {
          mid = conn.db().basisT();
        }
        log("AS OF: version " + v + " of every order written");
      }
      double updateSeconds = seconds(t0);
      conn.requestIndex();
      Database db = conn.db();
      long latest = db.basisT();
      long present = count(db.datoms(Keyword.intern(":eavt")));
      long all = count(db.history().datoms(Keyword.intern(":eavt")));
      log(String.format(Locale.ROOT, "AS OF: %d versions in %.1f s; %,d datoms at present, %,d with history",
          versions, updateSeconds, present, all));
      report.append(String.format(Locale.ROOT, "## AS OF on a history 10× the present%n%n"
              + "customer and orders at SF %s (%,d orders); then every order's o_totalprice, o_orderstatus,"
              + " o_orderpriority, o_clerk and o_comment changed %d times (%d transactions of %,d orders,"
              + " %.1f s), then requestIndex(). Datoms: %,d at present, %,d in history (retracted and"
              + " retractions): history/present = %.1f. Loaded at t %d, halfway t %d, latest t %d.%n%n",
          sf, orders, versions, (orders + TpchData.BATCH - 1) / TpchData.BATCH * versions, TpchData.BATCH,
          updateSeconds, present, all - present, (double) (all - present) / present, loaded, mid, latest));
      Properties props = new Properties();
      props.setProperty("basis", "connection");
      if (explain) {
        explainAsOf(AccreteSql.connect(conn, props), mid, latest);
        return;
      }
      Side side = new Side("Accrete", () -> java.sql.DriverManager.getConnection("jdbc:" + uri, props));
      try {
        asOfQueries(side, db, mid, latest);
      } finally {
        side.close();
      }
    } finally {
      conn.release();
      Peer.deleteDatabase(uri);
    }
  }

  private void asOfQueries(Side side, Database db, long mid, long latest) throws Exception {
    Markdown table = new Markdown("query", "rows", "present, ms", "AS OF T(latest), ms", "ratio",
        "AS OF T(halfway), ms", "ratio", "answers");
    for (String[] q : AS_OF_QUERIES) {
      String present = q[1].replace("%s", "");
      String atLatest = q[1].replace("%s", " for system_time as of t(" + latest + ")");
      String atMid = q[1].replace("%s", " for system_time as of t(" + mid + ")");
      log("AS OF: " + q[0]);
      Run p = side.run(present, timeoutMillis);
      Run l = side.run(atLatest, timeoutMillis);
      Run m = side.run(atMid, timeoutMillis);
      List<String> notes = new ArrayList<>();
      for (Run r : List.of(p, l, m)) {
        if (r.error != null) {
          problems.add("AS OF " + q[0] + ": " + r.error);
          notes.add("failed: " + r.error);
        }
      }
      if (notes.isEmpty()) {
        String d = Answers.difference(p.rows, l.rows, 1e-9, false);
        if (d != null) {
          problems.add("AS OF " + q[0] + ": AS OF the latest t differs from present: " + d);
          notes.add("**latest ≠ present**");
        } else {
          notes.add("latest = present");
        }
        if (Answers.difference(p.rows, m.rows, 1e-9, false) == null) {
          notes.add("halfway = present");
        } else {
          notes.add("halfway ≠ present");
        }
      }
      double pm = p.error == null ? measure(side, present, p.millis) : Double.NaN;
      double lm = l.error == null ? measure(side, atLatest, l.millis) : Double.NaN;
      double mm = m.error == null ? measure(side, atMid, m.millis) : Double.NaN;
      table.row(q[0], p.rows == null ? "–" : p.rows.size(), Markdown.num(pm), Markdown.num(lm), Markdown.ratio(lm, pm),
          Markdown.num(mm), Markdown.ratio(mm, pm), String.join(", ", notes));
      if (q == AS_OF_QUERIES.get(0) && m.error == null) {
        checkHalfwayWithDatalog(db.asOf(mid), m.rows);
      }
    }
    report.append(table).append('\n');
  }

  /** Prints the plan of each AS OF query at present and AS OF halfway, to stdout. */
  private void explainAsOf(java.sql.Connection c, long mid, long latest) throws Exception {
    try (c; Statement s = c.createStatement()) {
      for (String[] q : AS_OF_QUERIES) {
        for (String time : new String[] {"", " for system_time as of t(" + mid + ")"}) {
          String sql = q[1].replace("%s", time);
          report.append("### ").append(sql).append("\n\n```\n");
          try (ResultSet rs = s.executeQuery("explain plan for " + sql)) {
            while (rs.next()) {
              report.append(rs.getString(1));
            }
          } catch (Exception e) {
            report.append("EXPLAIN failed: ").append(describe(e)).append('\n');
          }
          report.append("```\n\n");
        }
      }
    }
  }

  /** The first AS OF query's halfway answer against Datalog on {@code db.asOf(halfway)}. */
  private void checkHalfwayWithDatalog(Database past, List<List<Object>> sql) {
    Collection<List<Object>> rows = Peer.q("""
        [:find ?pr (count ?o) (sum ?tp) :with ?o
         :where [?o :orders/o_orderpriority ?pr] [?o :orders/o_totalprice ?tp]]""", past);
    String d = Answers.difference(Answers.of(rows), sql, 1e-9, false);
    if (d != null) {
      problems.add("AS OF T(halfway), scan: SQL and Datalog on db.asOf(halfway) differ: " + d);
    }
    report.append("AS OF T(halfway), scan, group by: the SQL answer ")
        .append(d == null ? "equals" : "**differs from**").append(" Datalog's on `db.asOf(halfway)`.\n\n");
  }

  /** Writes version {@code v} of every order: five attributes changed, keys and dates unchanged. */
  private void updateOrders(Connection conn, int v) {
    Keyword key = Keyword.of("orders", "o_orderkey");
    Keyword price = Keyword.of("orders", "o_totalprice");
    Keyword status = Keyword.of("orders", "o_orderstatus");
    Keyword priority = Keyword.of("orders", "o_orderpriority");
    Keyword clerk = Keyword.of("orders", "o_clerk");
    Keyword comment = Keyword.of("orders", "o_comment");
    Keyword id = Keyword.of("db", "id");
    List<Map<Keyword, Object>> batch = new ArrayList<>(TpchData.BATCH);
    for (Order o : TpchData.rows(TpchTable.ORDERS, sf)) {
      long k = o.getOrderKey();
      Map<Keyword, Object> m = new HashMap<>();
      m.put(id, List.of(key, k));
      m.put(price, Math.round(o.getTotalPrice() * (100 + v)) / 100.0);
      m.put(status, STATUSES[(int) ((k + v) % 3)]);
      m.put(priority, PRIORITIES[(int) ((k + v) % 5)]);
      m.put(clerk, String.format(Locale.ROOT, "Clerk#%09d", (k * 7 + v) % 1000 + 1));
      m.put(comment, o.getComment() + " v" + v);
      batch.add(m);
      if (batch.size() == TpchData.BATCH) {
        conn.transact(batch).join();
        batch = new ArrayList<>(TpchData.BATCH);
      }
    }
    if (!batch.isEmpty()) {
      conn.transact(batch).join();
    }
  }

  private static long count(Iterable<?> it) {
    long n = 0;
    for (Object ignored : it) {
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------

  /** What one execution gave: the rows and the time, or an error. */
  private record Run(List<List<Object>> rows, double millis, String error) {}

  /** Opens a JDBC connection. */
  private interface Opener {
    java.sql.Connection open() throws Exception;
  }

  /**
   * One system's JDBC connection, and executions with a time limit: each runs on a thread of
   * its own so that a runaway query (Calcite may plan for minutes) can be cancelled, and, if it
   * ignores the cancel, stopped, after which the connection is opened again.
   */
  private static final class Side implements AutoCloseable {
    final String name;
    private final Opener opener;
    private java.sql.Connection conn;
    int lastRuns;

    Side(String name, Opener opener) throws Exception {
      this.name = name;
      this.opener = opener;
      this.conn = opener.open();
    }

    /** Runs a statement that answers no rows (a view before a query, its drop after). */
    void update(String sql) throws Exception {
      try (Statement s = conn.createStatement()) {
        s.execute(sql);
      }
    }

    @SuppressWarnings({"deprecation", "removal"})
    Run run(String sql, long timeoutMillis) throws Exception {
      lastRuns = 0;
      AtomicReference<Run> result = new AtomicReference<>();
      AtomicReference<Statement> statement = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try (Statement s = conn.createStatement()) {
          statement.set(s);
          long start = System.nanoTime();
          List<List<Object>> rows;
          try (ResultSet rs = s.executeQuery(sql)) {
            rows = Answers.read(rs);
          }
          result.set(new Run(rows, (System.nanoTime() - start) / 1e6, null));
        } catch (Throwable e) {
          result.set(new Run(null, Double.NaN, describe(e)));
        }
      }, name + "-query");
      t.setDaemon(true);
      t.start();
      t.join(timeoutMillis);
      if (t.isAlive()) {
        log(name + ": over " + timeoutMillis / 1000 + " s, cancelling");
        Statement s = statement.get();
        if (s != null) {
          try {
            s.cancel();
          } catch (Exception e) {
            log(name + ": cancel failed: " + e);
          }
        }
        t.join(10_000);
        if (t.isAlive()) {
          // Java 17 still stops threads; the query holds no lock anyone else needs.
          log(name + ": the query ignored the cancel; stopping its thread");
          t.stop();
          t.join(10_000);
        }
        reopen();
        return new Run(null, Double.NaN, "timed out after " + timeoutMillis / 1000 + " s");
      }
      return result.get();
    }

    private void reopen() throws Exception {
      try {
        conn.close();
      } catch (Exception e) {
        log(name + ": closing after a timeout: " + e);
      }
      conn = opener.open();
    }

    @Override
    public void close() throws Exception {
      conn.close();
    }
  }

  /** An error and its root cause, with the root's top frames, for the report. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StringBuilder sb = new StringBuilder(oneLine(e.toString()));
    if (root != e) {
      sb.append("; root: ").append(oneLine(root.toString()));
    }
    StackTraceElement[] st = root.getStackTrace();
    for (int i = 0; i < Math.min(3, st.length); i++) {
      sb.append(i == 0 ? " at " : " < ").append(st[i]);
    }
    return sb.toString();
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ");
    return t.length() > 400 ? t.substring(0, 400) + "…" : t;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String heapUsed() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return Markdown.mib(rt.totalMemory() - rt.freeMemory());
  }

  private static void log(String msg) {
    StorageBench.log(msg);
  }
}
