package io.accrete.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link StorageBench} measured, collected section by section, and the markdown report
 * of it: the tables, ratios, and whether each goal of issue 4 is met.
 */
final class StorageReport {
  private static final double GOAL_IMPORT = 500_000;
  private static final double GOAL_TX_LOCAL = 20_000;
  private static final double GOAL_TX_SQL = 5_000;
  private static final double GOAL_BYTES = 12;

  /** Backend ({@code mem}, {@code local}, {@code sql}) → its bulk import. */
  final Map<String, BulkImport.Result> imports = new LinkedHashMap<>();
  /** Plain PostgreSQL load method → {@code [rows, seconds]}. */
  final Map<String, double[]> plainLoads = new LinkedHashMap<>();
  /** The size tables, already rendered. */
  final StringBuilder sizes = new StringBuilder();
  /** Backend → bytes per index entry: live trees, all stored blobs, on disk. */
  final Map<String, double[]> bytesPerEntry = new LinkedHashMap<>();
  /** Backend → its query timings. */
  final Map<String, List<StorageQueries.Timing>> queries = new LinkedHashMap<>();
  /** Backend → median milliseconds to open a connection. */
  final Map<String, Double> openMs = new LinkedHashMap<>();
  /** Backend (or {@code pg-plain}) → clients → {@code [median tx/s, mean tx/s, tx per commit]}. */
  final Map<String, Map<Integer, double[]>> throughput = new LinkedHashMap<>();

  private static String label(String backend) {
    return switch (backend) {
      case "mem" -> "Accrete mem (reference)";
      case "local" -> "Accrete local";
      case "sql" -> "Accrete sql (PostgreSQL storage)";
      case "pg-plain" -> "plain PostgreSQL";
      default -> backend;
    };
  }

  /**
   * The tables, with a header naming the sizes, settings, where local storage was and which
   * PostgreSQL ran, and the load average before (given) and now.
   */
  String render(StorageOptions o, Path base, BenchPostgres pg, String loadBefore) throws SQLException {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "StorageBench: %,d persons (%,d datoms), %,d persons per import transaction,"
        + " %d in flight; %d s per throughput run after %.1f s warm-up; Java %s, -Xmx%dm, %d cores%n",
        o.persons(), o.persons() * PersonRows.DATOMS_PER_PERSON, o.batch(), o.window(), o.seconds(), o.warmupSeconds(),
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
    sb.append(goals(o));
    sb.append("\nload average (1/5/15 min) before: ").append(loadBefore).append(", after: ").append(StorageBench.loadAverage())
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
  private String goals(StorageOptions o) {
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
}
