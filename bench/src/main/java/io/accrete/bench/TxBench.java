package io.accrete.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the transaction workloads ({@link TxWorkloads}) on Datomic's peer and on Accrete, each
 * side in its own forked JVM with the same heap flags, and prints medians and ratios.
 *
 * <pre>
 * java -cp … io.accrete.bench.TxBench [--rounds R] [--warmup N] [--iterations N]
 *     [--workload load|single] [--side accrete|datomic] [--heap 4g] [--jfr DIR]
 * </pre>
 *
 * <p>Each round forks one JVM per side and benchmark (Datomic's first, then Accrete's) and
 * runs {@code warmup} unmeasured then {@code iterations} measured workloads in it; the medians
 * pool the measured iterations of all rounds. Several short rounds alternate the sides, so
 * load from other processes on a shared machine falls on both.
 *
 * <p>{@code --jfr DIR} records a Flight Recorder profile of every fork into
 * {@code DIR/AccreteTx-load.jfr} and so on (a later round overwrites an earlier one's file);
 * summarize one with {@link JfrTop}. Recording costs a little: leave it off when measuring.
 */
public final class TxBench {
  private TxBench() {}

  public static void main(String[] args) throws RunnerException {
    int rounds = 2;
    int warmup = 10;
    int iterations = 5;
    String heap = "4g";
    List<String> workloads = List.of("load", "single");
    List<String> sides = new ArrayList<>(List.of("DatomicTx", "AccreteTx"));
    String jfrDir = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--heap" -> heap = args[++i];
        case "--workload" -> {
          workloads = List.of(args[++i]);
          if (!List.of("load", "single").contains(args[i])) {
            throw new IllegalArgumentException("--workload takes load or single, not " + args[i]);
          }
        }
        case "--side" -> sides = List.of(switch (args[++i].toLowerCase(Locale.ROOT)) {
          case "accrete" -> "AccreteTx";
          case "datomic" -> "DatomicTx";
          default -> throw new IllegalArgumentException("--side takes accrete or datomic, not " + args[i]);
        });
        case "--jfr" -> jfrDir = args[++i];
        case "-h", "--help" -> {
          System.out.println("TxBench [--rounds R] [--warmup N] [--iterations N] [--workload load|single] "
              + "[--side accrete|datomic] [--heap 4g] [--jfr DIR]");
          return;
        }
        default -> throw new IllegalArgumentException("Unknown argument " + a + " (try --help)");
      }
    }

    String loadBefore = loadAverage();
    // benchmark name ("load") -> side ("Datomic") -> measured iterations of all rounds
    Map<String, Map<String, ListStatistics>> results = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (String side : sides) {
        for (String workload : workloads) {
          run(side, workload, warmup, iterations, heap, jfrDir, results);
        }
      }
    }
    System.out.println();
    System.out.println(table(results, heap, rounds, warmup, iterations));
    System.out.println("load average (1/5/15 min) before: " + loadBefore + ", after: " + loadAverage()
        + "; " + Runtime.getRuntime().availableProcessors() + " cores");
  }

  /**
   * Forks one JVM for one workload ({@code load}) of one side ({@code AccreteTx}) and adds its
   * measured iterations to the results.
   */
  private static void run(String side, String workload, int warmup, int iterations, String heap,
      String jfrDir, Map<String, Map<String, ListStatistics>> results) throws RunnerException {
    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include("^" + TxBench.class.getPackageName().replace(".", "\\.") + "\\." + side + "\\." + workload + "$")
        .forks(1)
        .warmupIterations(warmup)
        .warmupBatchSize(1)
        .measurementIterations(iterations)
        .measurementBatchSize(1)
        .shouldDoGC(true)
        .shouldFailOnError(true)
        .jvmArgs("-Xms" + heap, "-Xmx" + heap);
    if (jfrDir != null) {
      new File(jfrDir).mkdirs();
      opts = opts.jvmArgsAppend("-XX:StartFlightRecording=settings=profile,filename="
          + new File(jfrDir, side + "-" + workload + ".jfr").getAbsolutePath());
    }
    String sideName = side.replace("Tx", "");
    for (RunResult r : new Runner(opts.build()).run()) {
      String bench = r.getParams().getBenchmark();
      String method = bench.substring(bench.lastIndexOf('.') + 1);
      ListStatistics stats = results.computeIfAbsent(method, k -> new LinkedHashMap<>())
          .computeIfAbsent(sideName, k -> new ListStatistics());
      for (BenchmarkResult br : r.getBenchmarkResults()) {
        for (IterationResult ir : br.getIterationResults()) {
          stats.addValue(ir.getPrimaryResult().getScore());
        }
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String table(Map<String, Map<String, ListStatistics>> results, String heap,
      int rounds, int warmup, int iterations) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "TxBench: single-shot times in ms (min–max); %d round(s) × "
        + "(%d warmups + %d measured) per side, medians of %d; -Xms%s -Xmx%s each side%n",
        rounds, warmup, iterations, rounds * iterations, heap, heap));
    sb.append("| workload | Datomic median (ms) | Accrete median (ms) | ratio Datomic/Accrete |\n");
    sb.append("| --- | ---: | ---: | ---: |\n");
    for (Map.Entry<String, Map<String, ListStatistics>> e : results.entrySet()) {
      Statistics d = e.getValue().get("Datomic");
      Statistics a = e.getValue().get("Accrete");
      sb.append("| ").append(describe(e.getKey())).append(" | ")
          .append(cell(d)).append(" | ")
          .append(cell(a)).append(" | ")
          .append(d != null && a != null
              ? String.format(Locale.ROOT, "%.2f×", d.getPercentile(50) / a.getPercentile(50))
              : "–")
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String describe(String method) {
    return switch (method) {
      case "load" -> "load: " + People.LOAD_PERSONS + " persons, " + People.LOAD_BATCH + " per tx";
      case "single" -> "single: " + People.SINGLE_PERSONS + " one-entity txs";
      default -> method;
    };
  }

  private static String cell(Statistics s) {
    if (s == null) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", s.getPercentile(50), s.getMin(), s.getMax());
  }
}
