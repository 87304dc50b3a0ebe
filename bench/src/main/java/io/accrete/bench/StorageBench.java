package io.accrete.bench;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.transactor.DurableConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The storage benchmark (issue 4), in one run and one JVM: Accrete on local-directory storage
 * ({@code accrete:local:}) and on PostgreSQL ({@code accrete:sql:}), with Accrete in memory
 * and PostgreSQL used directly alongside for reference. It measures
 *
 * <ol>
 *   <li>a bulk import of persons ({@link PersonRows}, three datoms each) in big pipelined
 *       transactions ({@link BulkImport}): datoms/s to the last acknowledgement and including
 *       the final {@code requestIndex()};
 *   <li>bytes in storage per datom per index after that import ({@link StorageSize});
 *   <li>cold and warm query times on the imported database ({@link StorageQueries});
 *   <li>acknowledged small transactions per second (one person, three datoms) with 1, 16 and
 *       64 client threads ({@link ClosedLoop});
 *   <li>plain PostgreSQL on the same server ({@link PlainPostgres}): batched INSERT and COPY of
 *       the same rows, and single-row INSERT commits with the same client counts.
 * </ol>
 *
 * <p>It prints progress to stderr and markdown tables (medians, ratios, the goals of issue 4)
 * to stdout, with the load average before and after. Databases and temporary directories are
 * deleted at the end. Run {@code bench/run.sh StorageBench --help} for the options.
 */
public final class StorageBench {
  private static final double GOAL_IMPORT = 500_000;
  private static final double GOAL_TX_LOCAL = 20_000;
  private static final double GOAL_TX_SQL = 5_000;
  private static final double GOAL_BYTES = 12;
  /** Persons of the warm-up round that runs every code path once before anything is timed. */
  private static final int WARMUP_PERSONS = 20_000;

  /** The command line. */
  record Options(long datoms, List<Integer> clients, int seconds, List<String> backends, boolean pgPlain,
      boolean quick, String pgUrl, int batch, int window, int coldRuns, double querySeconds, Path dir) {
    long persons() {
      return (datoms + PersonRows.DATOMS_PER_PERSON - 1) / PersonRows.DATOMS_PER_PERSON;
    }

    boolean needsPostgres() {
      return pgPlain || backends.contains("sql");
    }
  }

  private final Options o;
  private final Path base;
  private final BenchPostgres pg;
  private final List<String> created = new ArrayList<>();
  private final String tag = "sbench-" + ProcessHandle.current().pid();
  // What the sections measured, kept for the tables printed at the end.
  private final Map<String, BulkImport.Result> imports = new LinkedHashMap<>();
  private final Map<String, double[]> plainLoads = new LinkedHashMap<>();
  private final StringBuilder sizes = new StringBuilder();
  /** Backend → bytes per index entry: live trees, all stored blobs, on disk. */
  private final Map<String, double[]> bytesPerEntry = new LinkedHashMap<>();
  private final Map<String, List<StorageQueries.Timing>> queries = new LinkedHashMap<>();
  private final Map<String, Double> openMs = new LinkedHashMap<>();
  private final Map<String, Map<Integer, double[]>> throughput = new LinkedHashMap<>();

  private StorageBench(Options o, Path base, BenchPostgres pg) {
    this.o = o;
    this.base = base;
    this.pg = pg;
  }

  /** Runs the benchmark; see {@code --help}. */
  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    if (o == null) {
      return;
    }
    String loadBefore = loadAverage();
    Path base = Files.createTempDirectory(o.dir(), "accrete-storagebench-");
    BenchPostgres pg = null;
    int status = 0;
    try {
      if (o.needsPostgres()) {
        log("starting PostgreSQL");
        pg = BenchPostgres.start(o.pgUrl());
      }
      StorageBench b = new StorageBench(o, base, pg);
      try {
        b.run();
      } finally {
        b.cleanUp();
      }
      System.out.println(b.report(loadBefore));
    } catch (Exception | Error e) {
      status = 1;
      e.printStackTrace();
    } finally {
      if (pg != null) {
        pg.close();
      }
      deleteTree(base);
    }
    // The storage's connection pools keep threads; end the JVM rather than wait for them.
    System.exit(status);
  }

  private void run() throws Exception {
    warmUp();
    for (String backend : o.backends()) {
      importAndRead(backend);
    }
    if (o.pgPlain()) {
      plainLoads();
    }
    for (String backend : o.backends()) {
      for (int clients : o.clients()) {
        smallTransactions(backend, clients);
      }
    }
    if (o.pgPlain()) {
      for (int clients : o.clients()) {
        plainInserts(clients);
      }
    }
  }

  /**
   * Runs every measured Accrete code path once on small data, so the first backend measured
   * does not pay for all the JIT compilation.
   */
  private void warmUp() throws Exception {
    long persons = Math.min(WARMUP_PERSONS, o.persons());
    // Not sql: the rows it deleted would stay in accrete_kvs's files (until a VACUUM FULL) and
    // count in the import's footprint; its code above the storage is the same as local's.
    for (String backend : o.backends().stream().filter(b -> !b.equals("sql")).toList()) {
      log(backend + ": warm-up");
      String uri = create(backend, "warmup");
      Connection c = Peer.connect(uri);
      c.transact(PersonRows.SCHEMA).join();
      BulkImport.run(c, 0, persons, (int) Math.min(o.batch(), persons / 4 + 1), o.window(), true);
      StorageQueries.measure(uri, StorageQueries.queries(persons), false, 0, 0.2, new double[1]);
      AtomicLong ids = new AtomicLong(persons);
      ClosedLoop.run(4, i -> () -> c.transact(List.of(PersonRows.entity(ids.getAndIncrement(), "p"))).join(), 0, 1);
      drop(uri);
    }
  }

  /** Bulk import, then bytes per datom and cold and warm queries on the result, on one backend. */
  private void importAndRead(String backend) throws Exception {
    long tableBefore = backend.equals("sql") ? kvsBytes() : 0;
    String uri = create(backend, "import");
    Connection c = Peer.connect(uri);
    c.transact(PersonRows.SCHEMA).join();
    log(backend + ": importing " + o.persons() + " persons");
    BulkImport.Result r = BulkImport.run(c, 0, o.persons(), o.batch(), o.window(), true);
    imports.put(backend, r);
    log(String.format(Locale.ROOT, "%s: %,d datoms acknowledged in %.2f s (%,.0f datoms/s), indexed %.2f s later"
        + " (%,.0f datoms/s overall)", backend, r.datoms(), r.ackSeconds(), r.ackRate(), r.indexSeconds(), r.totalRate()));
    if (c instanceof DurableConnection dc) {
      sizes(backend, dc, tableBefore);
    }
    double[] open = new double[1];
    log(backend + ": queries");
    queries.put(backend, StorageQueries.measure(uri, StorageQueries.queries(o.persons()), !backend.equals("mem"),
        o.coldRuns(), o.querySeconds(), open));
    openMs.put(backend, open[0]);
    drop(uri);
  }

  /** What the import left in storage, by index tree and by kind of blob. */
  private void sizes(String backend, DurableConnection c, long tableBefore) throws Exception {
    List<StorageSize.Tree> trees = StorageSize.liveTrees(c);
    long entries = trees.stream().mapToLong(StorageSize.Tree::datoms).sum();
    long live = trees.stream().mapToLong(StorageSize.Tree::bytes).sum();
    Map<String, StorageSize.Kind> kinds;
    long footprint;
    String footprintWhat;
    if (backend.equals("local")) {
      Path dir = base.resolve(dbName("import"));
      kinds = StorageSize.localFiles(dir);
      footprint = StorageSize.allocated(dir);
      footprintWhat = "du (allocated blocks)";
    } else {
      try (java.sql.Connection jdbc = pg.connect()) {
        kinds = StorageSize.sqlRows(jdbc, "accrete_kvs", dbName("import") + "/");
        long[] rel = StorageSize.relation(jdbc, "accrete_kvs");
        // The growth during this import: the table may hold other databases (an external server).
        footprint = rel[0] - tableBefore;
        footprintWhat = String.format(Locale.ROOT, "growth of pg_total_relation_size(accrete_kvs), now heap %s,"
            + " index %s, TOAST and maps %s", Markdown.mib(rel[1]), Markdown.mib(rel[2]), Markdown.mib(rel[3]));
      }
    }
    long stored = kinds.values().stream().mapToLong(StorageSize.Kind::bytes).sum();
    Markdown perIndex = new Markdown("index tree", "datoms", "leaves", "branches", "stored", "bytes/datom",
        "bytes/datom before LZ4");
    for (StorageSize.Tree t : trees) {
      perIndex.row(t.index(), Markdown.count(t.datoms()), t.leaves(), t.branches(), Markdown.mib(t.bytes()),
          Markdown.num((double) t.bytes() / t.datoms()), Markdown.num((double) t.rawBytes() / t.datoms()));
    }
    perIndex.row("**all live trees**", Markdown.count(entries), "", "", Markdown.mib(live),
        "**" + Markdown.num((double) live / entries) + "**",
        Markdown.num((double) trees.stream().mapToLong(StorageSize.Tree::rawBytes).sum() / entries));
    Markdown byKind = new Markdown("blobs", "count", "bytes", "bytes per index entry");
    kinds.forEach((k, v) -> byKind.row(k, Markdown.count(v.count()), Markdown.mib(v.bytes()),
        Markdown.num((double) v.bytes() / entries)));
    byKind.row("**all stored**", "", Markdown.mib(stored), "**" + Markdown.num((double) stored / entries) + "**");
    byKind.row("on disk: " + footprintWhat, "", Markdown.mib(footprint), Markdown.num((double) footprint / entries));
    bytesPerEntry.put(backend, new double[] {(double) live / entries, (double) stored / entries,
        (double) footprint / entries});
    sizes.append(String.format(Locale.ROOT, "%n**%s** after the import and requestIndex(): %,d index entries"
        + " (datoms summed over the index trees that hold them).%n%n", backend, entries))
        .append(perIndex).append('\n').append(byKind);
    log(String.format(Locale.ROOT, "%s: %.2f bytes per index entry in live segments, %.2f in all of storage",
        backend, (double) live / entries, (double) stored / entries));
  }

  /** The same rows into a plain table, by batched INSERT and by COPY, and the table's size. */
  private void plainLoads() throws Exception {
    PlainPostgres plain = new PlainPostgres(pg);
    long rows = o.persons();
    plain.recreate();
    log("plain PostgreSQL: batched INSERT of " + rows + " rows");
    double insert = plain.batchedInsert(rows, o.batch());
    plainLoads.put("batched INSERT, " + o.batch() + " rows per commit", new double[] {rows, insert});
    plain.recreate();
    log("plain PostgreSQL: COPY of " + rows + " rows");
    double copy = plain.copy(rows);
    plainLoads.put("COPY, one transaction", new double[] {rows, copy});
    try (java.sql.Connection c = pg.connect()) {
      long[] rel = StorageSize.relation(c, PlainPostgres.TABLE);
      Markdown t = new Markdown("plain table after COPY", "bytes", "bytes/row", "bytes/datom-equivalent (row ÷ 3)");
      t.row("heap", Markdown.mib(rel[1]), Markdown.num((double) rel[1] / rows), Markdown.num(rel[1] / (3.0 * rows)));
      for (Map.Entry<String, Long> e : StorageSize.indexSizes(c, PlainPostgres.TABLE).entrySet()) {
        t.row("index " + e.getKey(), Markdown.mib(e.getValue()), Markdown.num((double) e.getValue() / rows), "");
      }
      t.row("TOAST and maps", Markdown.mib(rel[3]), Markdown.num((double) rel[3] / rows), "");
      t.row("**total**", Markdown.mib(rel[0]), Markdown.num((double) rel[0] / rows),
          "**" + Markdown.num(rel[0] / (3.0 * rows)) + "**");
      sizes.append(String.format(Locale.ROOT, "%n**plain PostgreSQL**: %,d rows in %s (4 B-tree indexes).%n%n", rows,
          PlainPostgres.TABLE)).append(t);
    }
    plain.drop();
  }

  /** Closed-loop clients transacting one person each and waiting for the ack. */
  private void smallTransactions(String backend, int clients) throws Exception {
    String uri = create(backend, "tx" + clients);
    Connection c = Peer.connect(uri);
    c.transact(PersonRows.SCHEMA).join();
    long first = 1_000_000_000L;
    AtomicLong ids = new AtomicLong(first);
    log(backend + ": small transactions, " + clients + " client(s)");
    ClosedLoop.Result r = ClosedLoop.run(clients,
        i -> () -> c.transact(List.of(PersonRows.entity(ids.getAndIncrement(), "p"))).join(),
        warmupSeconds(), o.seconds());
    double perCommit = Double.NaN;
    if (c instanceof DurableConnection) {
      // Transactions (warm-up included) per log blob: the mean size of a group commit.
      long txs = ids.get() - first;
      StorageSize.Kind logs = logBlobs(backend, "tx" + clients);
      perCommit = logs == null ? Double.NaN : (double) txs / logs.count();
    }
    record(backend, clients, r, perCommit);
    drop(uri);
  }

  /** The size of the PostgreSQL storage's table now (0 before it exists). */
  private long kvsBytes() throws Exception {
    try (java.sql.Connection jdbc = pg.connect(); java.sql.Statement s = jdbc.createStatement();
        java.sql.ResultSet r = s.executeQuery("SELECT coalesce(pg_total_relation_size(to_regclass('accrete_kvs')), 0)")) {
      r.next();
      return r.getLong(1);
    }
  }

  private StorageSize.Kind logBlobs(String backend, String label) throws Exception {
    if (backend.equals("local")) {
      return StorageSize.localFiles(base.resolve(dbName(label))).get("log");
    }
    try (java.sql.Connection jdbc = pg.connect()) {
      return StorageSize.sqlRows(jdbc, "accrete_kvs", dbName(label) + "/").get("log");
    }
  }

  /** Closed-loop clients committing single-row INSERTs on a plain table. */
  private void plainInserts(int clients) throws Exception {
    PlainPostgres plain = new PlainPostgres(pg);
    plain.recreate();
    log("plain PostgreSQL: single-row INSERT commits, " + clients + " client(s)");
    ClosedLoop.Result r = ClosedLoop.run(clients, plain.singleRowInserts(new AtomicLong()), warmupSeconds(), o.seconds());
    record("pg-plain", clients, r, 1);
    plain.drop();
  }

  private void record(String backend, int clients, ClosedLoop.Result r, double perCommit) {
    throughput.computeIfAbsent(backend, k -> new LinkedHashMap<>()).put(clients, new double[] {r.median(), r.mean(), perCommit});
    log(String.format(Locale.ROOT, "%s, %d client(s): median %,.0f tx/s (mean %,.0f; per second %s)%s", backend, clients,
        r.median(), r.mean(), Arrays.toString(Arrays.stream(r.perSecond()).mapToLong(Math::round).toArray()),
        Double.isNaN(perCommit) ? "" : String.format(Locale.ROOT, ", %.1f tx per commit", perCommit)));
  }

  private double warmupSeconds() {
    return o.quick() ? 0.5 : 1.0;
  }

  private String dbName(String label) {
    return tag + "-" + label;
  }

  /** Creates a fresh database of a backend and remembers it for deletion. */
  private String create(String backend, String label) {
    String name = dbName(label);
    String uri = switch (backend) {
      case "mem" -> "accrete:mem://" + name;
      case "local" -> "accrete:local://" + base.resolve(name);
      case "sql" -> "accrete:sql://" + name + "?" + pg.url();
      default -> throw new IllegalArgumentException("unknown backend " + backend);
    };
    if (!Peer.createDatabase(uri)) {
      throw new IllegalStateException(uri + " already exists");
    }
    created.add(uri);
    return uri;
  }

  private void drop(String uri) {
    Peer.deleteDatabase(uri);
    created.remove(uri);
  }

  private void cleanUp() {
    for (String uri : new ArrayList<>(created)) {
      try {
        drop(uri);
      } catch (RuntimeException e) {
        System.err.println("could not delete " + uri + ": " + e);
      }
    }
  }

  private static String label(String backend) {
    return switch (backend) {
      case "mem" -> "Accrete mem (reference)";
      case "local" -> "Accrete local";
      case "sql" -> "Accrete sql (PostgreSQL storage)";
      case "pg-plain" -> "plain PostgreSQL";
      default -> backend;
    };
  }

  /** The tables. */
  private String report(String loadBefore) throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "StorageBench: %,d persons (%,d datoms), %,d persons per import transaction,"
        + " %d in flight; %d s per throughput run after %.1f s warm-up; Java %s, -Xmx%dm, %d cores%n",
        o.persons(), o.persons() * PersonRows.DATOMS_PER_PERSON, o.batch(), o.window(), o.seconds(), warmupSeconds(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors()));
    sb.append("transactor settings: ").append(settings()).append('\n');
    sb.append("local storage in ").append(base).append('\n');
    if (pg != null) {
      sb.append("PostgreSQL: ").append(pg.describe()).append('\n');
    }

    double[] copyLoad = plainLoads.get("COPY, one transaction");
    double copy = copyLoad == null ? Double.NaN : copyLoad[0] * PersonRows.DATOMS_PER_PERSON / copyLoad[1];
    sb.append("\n### Bulk import (goal ≥ 500,000 datoms/s)\n\n");
    Markdown imp = new Markdown("storage", "datoms", "txs", "to last ack, s", "datoms/s acked",
        "requestIndex(), s", "datoms/s incl. index", "goal (incl. index)", "vs plain COPY");
    imports.forEach((b, r) -> imp.row(label(b), Markdown.count(r.datoms()), r.transactions(), Markdown.num(r.ackSeconds()),
        Markdown.num(r.ackRate()), Markdown.num(r.indexSeconds()), Markdown.num(r.totalRate()),
        b.equals("mem") ? "" : r.totalRate() >= GOAL_IMPORT ? "met" : r.ackRate() >= GOAL_IMPORT ? "missed (acks: met)" : "missed",
        Markdown.ratio(r.totalRate(), copy)));
    plainLoads.forEach((what, v) -> imp.row("plain PostgreSQL: " + what, Markdown.count((long) v[0] * PersonRows.DATOMS_PER_PERSON)
        + " (" + Markdown.count((long) v[0]) + " rows)", "", Markdown.num(v[1]),
        Markdown.num(v[0] * PersonRows.DATOMS_PER_PERSON / v[1]) + " (" + Markdown.num(v[0] / v[1]) + " rows/s)",
        "", "", "", Markdown.ratio(v[0] * PersonRows.DATOMS_PER_PERSON / v[1], copy)));
    double[] single = throughput.getOrDefault("pg-plain", Map.of()).get(1);
    if (single != null) {
      // Loading row by row in autocommit is too slow to run to the end: the 1-client run's rate.
      imp.row("plain PostgreSQL: INSERT per row, autocommit (the 1-client run below, " + o.seconds() + " s)", "", "", "",
          Markdown.num(single[0] * PersonRows.DATOMS_PER_PERSON) + " (" + Markdown.num(single[0]) + " rows/s)",
          "", "", "", Markdown.ratio(single[0] * PersonRows.DATOMS_PER_PERSON, copy));
    }
    sb.append(imp);

    sb.append("\n### Bytes per datom per index (goal ≤ 12)\n").append(sizes);

    sb.append("\n### Queries: cold and warm, medians\n\nCold: the first call on a freshly opened connection (Accrete's"
        + " segment caches empty; the OS page cache and PostgreSQL's shared buffers stay warm), median of "
        + o.coldRuns() + ". Warm: the median of the calls repeated for " + o.querySeconds() + " s after as long"
        + " again of warm-up.\n\n");
    Markdown q = new Markdown(queryHeaders());
    List<StorageQueries.Timing> mem = queries.get("mem");
    List<StorageQueries.Query> qs = queries.isEmpty() ? List.of() : queries.values().iterator().next().stream()
        .map(StorageQueries.Timing::query).toList();
    for (int i = 0; i < qs.size(); i++) {
      List<Object> row = new ArrayList<>();
      row.add(qs.get(i).what() + " → " + qs.get(i).expected());
      double memWarm = mem == null ? Double.NaN : mem.get(i).warmUs();
      for (String b : queries.keySet()) {
        StorageQueries.Timing t = queries.get(b).get(i);
        if (!b.equals("mem")) {
          row.add(Markdown.num(t.coldMs()));
        }
        row.add(Markdown.num(t.warmUs()));
        if (!b.equals("mem") && mem != null) {
          row.add(Markdown.ratio(t.warmUs(), memWarm));
        }
      }
      q.row(row.toArray());
    }
    List<Object> open = new ArrayList<>(List.of("open a connection (Peer.connect after release), ms"));
    for (String b : queries.keySet()) {
      if (!b.equals("mem")) {
        open.add(Markdown.num(openMs.get(b)));
      }
      open.add("");
      if (!b.equals("mem") && mem != null) {
        open.add("");
      }
    }
    q.row(open.toArray());
    sb.append(q);

    sb.append("\n### Acknowledged small transactions per second (one person: 3 datoms + the tx datom;"
        + " plain PostgreSQL: one row per commit); median of 1-s windows, mean tx per group commit in brackets\n\n");
    List<String> heads = new ArrayList<>(List.of("storage"));
    o.clients().forEach(n -> heads.add(n + (n == 1 ? " client" : " clients")));
    Markdown tx = new Markdown(heads.toArray(String[]::new));
    throughput.forEach((b, m) -> {
      List<Object> row = new ArrayList<>(List.of(label(b)));
      for (int n : o.clients()) {
        double[] v = m.get(n);
        row.add(v == null ? "–" : Markdown.num(v[0]) + (Double.isNaN(v[2]) || b.equals("pg-plain") ? ""
            : " (" + Markdown.num(v[2]) + ")"));
      }
      tx.row(row.toArray());
    });
    if (throughput.containsKey("sql") && throughput.containsKey("pg-plain")) {
      List<Object> row = new ArrayList<>(List.of("ratio Accrete sql / plain PostgreSQL"));
      for (int n : o.clients()) {
        row.add(Markdown.ratio(throughput.get("sql").get(n)[0], throughput.get("pg-plain").get(n)[0]));
      }
      tx.row(row.toArray());
    }
    sb.append(tx);
    sb.append(goals());
    sb.append("\nload average (1/5/15 min) before: ").append(loadBefore).append(", after: ").append(loadAverage())
        .append("; ").append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
    return sb.toString();
  }

  private String[] queryHeaders() {
    List<String> h = new ArrayList<>(List.of("query → result"));
    for (String b : queries.keySet()) {
      if (!b.equals("mem")) {
        h.add(b + " cold, ms");
      }
      h.add(b + " warm, µs");
      if (!b.equals("mem") && queries.containsKey("mem")) {
        h.add(b + " warm / mem warm");
      }
    }
    return h.toArray(String[]::new);
  }

  /** One line per goal of issue 4: met or not, by the figures above. */
  private String goals() {
    StringBuilder sb = new StringBuilder("\nGoals of issue 4:\n");
    for (String b : List.of("local", "sql")) {
      BulkImport.Result r = imports.get(b);
      if (r != null) {
        sb.append(String.format(Locale.ROOT, "- import ≥ 500,000 datoms/s, %s: %s (%,.0f acked, %,.0f incl. index)%n", b,
            r.totalRate() >= GOAL_IMPORT ? "met" : "missed", r.ackRate(), r.totalRate()));
      }
    }
    int most = o.clients().stream().max(Comparator.naturalOrder()).orElse(0);
    for (String b : List.of("local", "sql")) {
      double[] v = throughput.getOrDefault(b, Map.of()).get(most);
      double goal = b.equals("local") ? GOAL_TX_LOCAL : GOAL_TX_SQL;
      if (v != null) {
        sb.append(String.format(Locale.ROOT, "- ≥ %,.0f tx/s, %s, %d clients: %s (%,.0f)%n", goal, b, most,
            v[0] >= goal ? "met" : "missed", v[0]));
      }
    }
    bytesPerEntry.forEach((b, v) -> sb.append(String.format(Locale.ROOT,
        "- ≤ %.0f bytes/datom/index, %s: live trees %.2f (%s), all stored %.2f (%s), on disk %.2f (%s)%n", GOAL_BYTES, b,
        v[0], v[0] <= GOAL_BYTES ? "met" : "missed", v[1], v[1] <= GOAL_BYTES ? "met" : "missed",
        v[2], v[2] <= GOAL_BYTES ? "met" : "missed")));
    return sb.toString();
  }

  private static String settings() {
    StringBuilder sb = new StringBuilder();
    for (String k : List.of("indexThreshold", "backpressure", "cacheBytes", "cacheDatoms", "batch")) {
      String v = System.getProperty("accrete." + k);
      if (v != null) {
        sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v);
      }
    }
    return sb.length() == 0 ? "defaults (indexThreshold 100000, backpressure 1000000, batch 256)" : sb.toString();
  }

  private static Options parse(String[] args) {
    long datoms = 1_000_000;
    List<Integer> clients = List.of(1, 16, 64);
    int seconds = 5;
    List<String> backends = List.of("mem", "local", "sql");
    boolean pgPlain = true;
    boolean quick = false;
    String pgUrl = null;
    int batch = 10_000;
    int window = 4;
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    boolean datomsSet = false;
    boolean secondsSet = false;
    boolean batchSet = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--datoms" -> {
          datoms = Long.parseLong(args[++i].replace("_", "").replace(",", ""));
          datomsSet = true;
        }
        case "--clients" -> clients = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
        case "--seconds" -> {
          seconds = Integer.parseInt(args[++i]);
          secondsSet = true;
        }
        case "--backends" -> backends = Arrays.stream(args[++i].split(",")).map(String::trim).toList();
        case "--skip-pg-plain" -> pgPlain = false;
        case "--quick" -> quick = true;
        case "--pg-url" -> pgUrl = args[++i];
        case "--batch" -> {
          batch = Integer.parseInt(args[++i]);
          batchSet = true;
        }
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "-h", "--help" -> {
          System.out.println(usage());
          return null;
        }
        default -> throw new IllegalArgumentException("Unknown argument " + args[i] + " (try --help)");
      }
    }
    for (String b : backends) {
      if (!List.of("mem", "local", "sql").contains(b)) {
        throw new IllegalArgumentException("--backends takes mem, local and sql, not " + b);
      }
    }
    if (quick) {
      datoms = datomsSet ? datoms : 30_000;
      seconds = secondsSet ? seconds : 1;
      batch = batchSet ? batch : 1_000;
    }
    return new Options(datoms, clients, seconds, backends, pgPlain, quick, pgUrl, batch, window,
        quick ? 2 : 3, quick ? 0.3 : 1.0, dir);
  }

  private static String usage() {
    return """
        StorageBench [--datoms N] [--clients 1,16,64] [--seconds S] [--backends mem,local,sql]
                     [--skip-pg-plain] [--pg-url jdbc:postgresql://…] [--batch N] [--window W]
                     [--dir DIR] [--quick]
          --datoms N      datoms to import (persons of 3 datoms each); default 1000000
          --clients L     client threads of the small-transaction runs; default 1,16,64
          --seconds S     measured seconds per small-transaction run (after a 1 s warm-up); default 5
          --backends L    Accrete storages: mem (reference), local, sql; default all three
          --skip-pg-plain leave out plain PostgreSQL (COPY, batched and single-row INSERT)
          --pg-url URL    use this PostgreSQL server (else $ACCRETE_TEST_POSTGRES_URL, else an embedded one)
          --batch N       persons per import transaction (and rows per batched INSERT commit); default 10000
          --window W      import transactions in flight; default 4
          --dir DIR       parent of the temporary directory of local databases; default java.io.tmpdir
          --quick         a smoke run: 30000 datoms, 1 s runs, 1000 persons per transaction
        Transactor settings come from system properties (-Daccrete.indexThreshold=…), the same for local and sql.""";
  }

  static void log(String msg) {
    System.err.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), msg);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
