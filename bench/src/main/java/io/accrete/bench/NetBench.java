package io.accrete.bench;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.transactor.Transactor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network transactor (issue 7), in one run over one PostgreSQL server:
 *
 * <ol>
 *   <li>transaction latency (one client, one small transaction at a time) and throughput
 *       (closed loop, 1/16/64 clients) of a transactor in this JVM used directly
 *       ({@link Transactor#connection}, no network) against a peer in this JVM whose transactor
 *       is another process, reached over loopback TCP; each side on a PostgreSQL database of its own;
 *   <li>query throughput of peer processes ({@link NetQueryWorker}) on a loaded database: one
 *       peer process, then two at once, each with the same number of query threads.
 * </ol>
 *
 * Prints progress to stderr and markdown tables to stdout. {@code --persons N} (20000),
 * {@code --clients 1,16,64}, {@code --seconds S} (5), {@code --warmup S} (2), {@code --latency N}
 * (2000 transactions), {@code --query-threads T} (2), {@code --query-warmup S} (10: two JVMs warm
 * up on two cores at once), {@code --pg URL} (default: embedded).
 */
public final class NetBench {
  private NetBench() {}

  public static void main(String[] args) throws Exception {
    int persons = 20_000;
    int[] clients = {1, 16, 64};
    int seconds = 5;
    double warmup = 2;
    int latencyTxs = 2000;
    int queryThreads = 2;
    double queryWarmup = 10;
    String pgUrl = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--persons" -> persons = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--latency" -> latencyTxs = Integer.parseInt(args[++i]);
        case "--query-threads" -> queryThreads = Integer.parseInt(args[++i]);
        case "--query-warmup" -> queryWarmup = Double.parseDouble(args[++i]);
        case "--pg" -> pgUrl = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --persons --clients --seconds --warmup --latency --query-threads --query-warmup --pg");
      }
    }
    PrintStream out = System.out;
    try (BenchPostgres pg = BenchPostgres.start(pgUrl)) {
      log("PostgreSQL: " + pg.describe());
      String embeddedJdbc = database(pg, "netbench_embedded");
      String networkJdbc = database(pg, "netbench_network");
      Transactor local = Transactor.start(Transactor.Options.of(embeddedJdbc, "127.0.0.1", 0,
          new PrintStream(new java.io.ByteArrayOutputStream())));
      Process remote = child("transactor", List.of("io.accrete.cli.Main", "transactor", "--storage",
          "accrete:sql://?" + networkJdbc, "--port", "0"));
      try {
        String embeddedUri = "accrete:sql://tx?" + embeddedJdbc;
        String networkUri = "accrete:sql://tx?" + networkJdbc;
        Peer.createDatabase(embeddedUri);
        Peer.createDatabase(networkUri);
        await(remote, "active:");
        Connection embedded = local.connection("tx");
        Connection network = Peer.connect(networkUri);
        for (Connection c : List.of(embedded, network)) {
          c.transact(PersonRows.SCHEMA).get(60, TimeUnit.SECONDS);
        }
        AtomicLong ids = new AtomicLong(1_000_000_000L);
        out.println("## Transactions: a transactor used in-process vs a peer over loopback TCP");
        out.println();
        out.println("| measure | in-process transactor | peer → transactor process | network / in-process |");
        out.println("| --- | ---: | ---: | ---: |");
        double[] le = latency(embedded, ids, latencyTxs);
        double[] ln = latency(network, ids, latencyTxs);
        row(out, "latency, median µs", le[0], ln[0], ln[0] / le[0]);
        row(out, "latency, p99 µs", le[1], ln[1], ln[1] / le[1]);
        for (int n : clients) {
          ClosedLoop.Result e = loop(embedded, ids, n, warmup, seconds);
          ClosedLoop.Result w = loop(network, ids, n, warmup, seconds);
          row(out, n + " client(s), tx/s (median of 1 s windows)", e.median(), w.median(), w.median() / e.median());
        }
        out.println();

        log("loading " + persons + " persons through the peer");
        BulkImport.run(network, 0, persons, 1000, 8, true);
        out.println("## Queries on peer processes (" + persons + " persons, " + queryThreads + " threads per process)");
        out.println();
        out.println("| peer processes | queries/s, total | per process |");
        out.println("| ---: | ---: | ---: |");
        double one = queries(networkUri, 1, queryThreads, queryWarmup, seconds);
        row2(out, 1, one);
        double two = queries(networkUri, 2, queryThreads, queryWarmup, seconds);
        row2(out, 2, two);
        out.println();
        out.printf(Locale.ROOT, "Two peer processes give %.2f× the query throughput of one (the transactor is idle"
            + " meanwhile: queries never reach it).%n", two / one);
        network.release();
      } finally {
        remote.destroy();
        remote.waitFor(30, TimeUnit.SECONDS);
        local.close();
      }
    }
  }

  private static void row(PrintStream out, String what, double a, double b, double ratio) {
    out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f× |%n", what, a, b, ratio);
  }

  private static void row2(PrintStream out, int n, double qps) {
    out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f |%n", n, qps, qps / n);
  }

  /** Median and p99 of one client's transaction round trips, in µs, after a warm-up. */
  private static double[] latency(Connection c, AtomicLong ids, int n) throws Exception {
    for (int i = 0; i < n / 2; i++) {
      c.transact(List.of(PersonRows.entity(ids.getAndIncrement(), "p"))).get(60, TimeUnit.SECONDS);
    }
    double[] us = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      c.transact(List.of(PersonRows.entity(ids.getAndIncrement(), "p"))).get(60, TimeUnit.SECONDS);
      us[i] = (System.nanoTime() - t0) / 1e3;
    }
    Arrays.sort(us);
    return new double[] {us[n / 2], us[(int) (n * 0.99)]};
  }

  private static ClosedLoop.Result loop(Connection c, AtomicLong ids, int clients, double warmup, int seconds)
      throws Exception {
    log("closed loop, " + clients + " client(s), on " + c);
    return ClosedLoop.run(clients, i -> () -> c.transact(List.of(PersonRows.entity(ids.getAndIncrement(), "p")))
        .get(60, TimeUnit.SECONDS), warmup, seconds);
  }

  /** Queries per second of {@code processes} peer processes at once, summed. */
  private static double queries(String uri, int processes, int threads, double warmup, int seconds) throws Exception {
    log(processes + " peer process(es) querying");
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      ps.add(child("peer-" + i, List.of(NetQueryWorker.class.getName(), uri, String.valueOf(threads),
          String.valueOf(warmup), String.valueOf(seconds))));
    }
    double total = 0;
    for (Process p : ps) {
      String[] r = await(p, "QUERIES ").split(" ");
      total += Long.parseLong(r[1]) / Double.parseDouble(r[2]);
      p.waitFor(60, TimeUnit.SECONDS);
    }
    return total;
  }

  private static final java.util.Map<Process, LinkedBlockingQueue<String>> OUTPUT = new java.util.concurrent.ConcurrentHashMap<>();

  private static Process child(String tag, List<String> mainAndArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(mainAndArgs);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    OUTPUT.put(p, lines);
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.err.println("[" + tag + "] " + line);
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // ended
      }
    });
    t.setDaemon(true);
    t.start();
    return p;
  }

  private static String await(Process p, String text) throws InterruptedException {
    LinkedBlockingQueue<String> lines = OUTPUT.get(p);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null && l.contains(text)) {
        return l;
      }
      if (l == null && !p.isAlive()) {
        break;
      }
    }
    throw new IllegalStateException("a child process did not print " + text);
  }

  /** A new database on the server (dropped first if a previous run left it). */
  private static String database(BenchPostgres pg, String name) throws Exception {
    try (java.sql.Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    String base = pg.url();
    int q = base.indexOf('?');
    String head = q < 0 ? base : base.substring(0, q);
    return head.substring(0, head.lastIndexOf('/') + 1) + name + (q < 0 ? "" : base.substring(q));
  }

  private static void log(String s) {
    System.err.println("netbench: " + s);
  }
}
