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
 * ({@code accrete:local:}) and on PostgreSQL ({@code accrete:sql:}: a peer of a transactor
 * running in this JVM, over loopback TCP), with Accrete in memory
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
  /** Persons of the warm-up round that runs every code path once before anything is timed. */
  private static final int WARMUP_PERSONS = 20_000;

  private final StorageOptions o;
  private final Path base;
  private final BenchPostgres pg;
  /** The transactor of PostgreSQL storage, in this JVM; accrete:sql: connections are its peers. */
  private io.accrete.transactor.Transactor transactor;
  private final List<String> created = new ArrayList<>();
  private final String tag = "sbench-" + ProcessHandle.current().pid();
  /** What the sections measured, for the tables printed at the end. */
  private final StorageReport out = new StorageReport();

  private StorageBench(StorageOptions o, Path base, BenchPostgres pg) {
    this.o = o;
    this.base = base;
    this.pg = pg;
  }

  /** Runs the benchmark; see {@code --help}. */
  public static void main(String[] args) throws Exception {
    StorageOptions o = StorageOptions.parse(args);
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
      System.out.println(b.out.render(o, base, pg, loadBefore));
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
    if (o.backends().contains("sql")) {
      transactor = io.accrete.transactor.Transactor.start(io.accrete.transactor.Transactor.Options.of(pg.url(),
          "127.0.0.1", 0, new java.io.PrintStream(new java.io.ByteArrayOutputStream())));
      transactor.activated().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
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
    out.imports.put(backend, r);
    log(String.format(Locale.ROOT, "%s: %,d datoms acknowledged in %.2f s (%,.0f datoms/s), indexed %.2f s later"
        + " (%,.0f datoms/s overall)", backend, r.datoms(), r.ackSeconds(), r.ackRate(), r.indexSeconds(), r.totalRate()));
    if (c instanceof DurableConnection dc) {
      sizes(backend, dc, tableBefore);
    } else if (transactor != null && backend.equals("sql")) {
      sizes(backend, (DurableConnection) transactor.connection(dbName("import")), tableBefore);
    }
    double[] open = new double[1];
    log(backend + ": queries");
    out.queries.put(backend, StorageQueries.measure(uri, StorageQueries.queries(o.persons()), !backend.equals("mem"),
        o.coldRuns(), o.querySeconds(), open));
    out.openMs.put(backend, open[0]);
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
    out.bytesPerEntry.put(backend, new double[] {(double) live / entries, (double) stored / entries,
        (double) footprint / entries});
    out.sizes.append(String.format(Locale.ROOT, "%n**%s** after the import and requestIndex(): %,d index entries"
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
    out.plainLoads.put("batched INSERT, " + o.batch() + " rows per commit", new double[] {rows, insert});
    plain.recreate();
    log("plain PostgreSQL: COPY of " + rows + " rows");
    double copy = plain.copy(rows);
    out.plainLoads.put("COPY, one transaction", new double[] {rows, copy});
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
      out.sizes.append(String.format(Locale.ROOT, "%n**plain PostgreSQL**: %,d rows in %s (4 B-tree indexes).%n%n", rows,
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
        o.warmupSeconds(), o.seconds());
    double perCommit = Double.NaN;
    if (c instanceof DurableConnection || backend.equals("sql")) {
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
    ClosedLoop.Result r = ClosedLoop.run(clients, plain.singleRowInserts(new AtomicLong()), o.warmupSeconds(), o.seconds());
    record("pg-plain", clients, r, 1);
    plain.drop();
  }

  private void record(String backend, int clients, ClosedLoop.Result r, double perCommit) {
    out.throughput.computeIfAbsent(backend, k -> new LinkedHashMap<>()).put(clients, new double[] {r.median(), r.mean(), perCommit});
    log(String.format(Locale.ROOT, "%s, %d client(s): median %,.0f tx/s (mean %,.0f; per second %s)%s", backend, clients,
        r.median(), r.mean(), Arrays.toString(Arrays.stream(r.perSecond()).mapToLong(Math::round).toArray()),
        Double.isNaN(perCommit) ? "" : String.format(Locale.ROOT, ", %.1f tx per commit", perCommit)));
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
    if (transactor != null) {
      transactor.close();
    }
  }

  static void log(String msg) {
    System.err.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), msg);
  }

  static String loadAverage() {
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
