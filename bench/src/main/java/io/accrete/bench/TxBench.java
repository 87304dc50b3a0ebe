package io.accrete.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the transaction workloads ({@link TxWorkloads}) on Datomic's peer and on Accrete, each
 * side in its own forked JVM with the same heap flags, and prints medians and ratios.
 *
 * <pre>
 * java -cp … io.accrete.bench.TxBench [--warmup N] [--iterations N] [--workload load|single]
 *     [--side accrete|datomic] [--heap 4g] [--jfr DIR]
 * </pre>
 *
 * {@code --jfr DIR} records a Flight Recorder profile of every fork into DIR (for profiling;
 * the recording costs a little, so leave it off when measuring).
 */
public final class TxBench {
  private TxBench() {}

  public static void main(String[] args) throws RunnerException {
    int warmup = 3;
    int iterations = 7;
    String heap = "4g";
    String workload = "(load|single)";
    List<String> sides = new ArrayList<>(List.of("DatomicTx", "AccreteTx"));
    String jfrDir = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--heap" -> heap = args[++i];
        case "--workload" -> workload = args[++i];
        case "--side" -> sides = List.of(args[++i].equalsIgnoreCase("accrete") ? "AccreteTx" : "DatomicTx");
        case "--jfr" -> jfrDir = args[++i];
        case "-h", "--help" -> {
          System.out.println("TxBench [--warmup N] [--iterations N] [--workload load|single] "
              + "[--side accrete|datomic] [--heap 4g] [--jfr DIR]");
          return;
        }
        default -> throw new IllegalArgumentException("Unknown argument " + a + " (try --help)");
      }
    }

    // benchmark name ("load") -> side ("Datomic") -> result
    Map<String, Map<String, Statistics>> results = new LinkedHashMap<>();
    for (String side : sides) {
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
            + new File(jfrDir, side + "-%p.jfr").getAbsolutePath());
      }
      Collection<RunResult> rs = new Runner(opts.build()).run();
      for (RunResult r : rs) {
        String bench = r.getParams().getBenchmark();
        String method = bench.substring(bench.lastIndexOf('.') + 1);
        String sideName = side.replace("Tx", "");
        results.computeIfAbsent(method, k -> new LinkedHashMap<>())
            .put(sideName, r.getPrimaryResult().getStatistics());
      }
    }
    System.out.println();
    System.out.println(table(results, heap, warmup, iterations));
  }

  private static String table(Map<String, Map<String, Statistics>> results, String heap, int warmup, int iterations) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "TxBench: single-shot times in ms, median of %d runs after %d warmups (min–max), -Xmx%s each side%n",
        iterations, warmup, heap));
    sb.append("| workload | Datomic median (ms) | Accrete median (ms) | ratio Datomic/Accrete |\n");
    sb.append("| --- | ---: | ---: | ---: |\n");
    for (Map.Entry<String, Map<String, Statistics>> e : results.entrySet()) {
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
