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
import java.util.function.Function;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * The runner {@link TxBench} and {@link QueryBench} share: parses their common command line,
 * forks one JVM per side and benchmark through JMH's {@link Runner} with the same heap flags on
 * both sides, pools the measured iterations of all rounds, and prints a markdown table of
 * medians (min–max) and Datomic/Accrete ratios, with the load average before and after.
 *
 * <p>A {@link Suite} names the JMH classes ({@code Datomic} + suffix and {@code Accrete} +
 * suffix, e.g. {@code DatomicTx}/{@code AccreteTx}), their benchmark methods and defaults.
 * Each round forks Datomic's benchmarks first, then Accrete's, so load from other processes on
 * a shared machine falls on both sides.
 *
 * <p>Common options: {@code --rounds R}, {@code --warmup N}, {@code --iterations N},
 * {@code --side accrete|datomic}, {@code --heap 4g}, {@code --jfr DIR}, the suite's own
 * selection option ({@code --workload NAME} or {@code --query NAME[,NAME…]}) and, for suites
 * with timed iterations, {@code --time S} (seconds per iteration).
 */
final class BenchRunner {
  private BenchRunner() {}

  /** The sides in the order each round runs them. */
  private static final List<String> SIDES = List.of("Datomic", "Accrete");

  /**
   * What one main benchmarks.
   *
   * @param main the main's name, for the table and {@code --help}
   * @param classSuffix the JMH classes are {@code Datomic + classSuffix} and
   *     {@code Accrete + classSuffix} in this package
   * @param option the option that picks benchmarks ({@code --workload})
   * @param column the table's first column ({@code workload})
   * @param benchmarks the benchmark methods, in table order
   * @param defaults the benchmarks run when the selection option is not given
   * @param singleShot true: one JMH iteration is one call ({@code Mode.SingleShotTime}, batch
   *     size 1); false: iterations last {@code --time} seconds ({@code Mode.AverageTime})
   * @param unit the unit of the scores ({@code ms}, {@code µs}), as the JMH classes declare it
   * @param what what a score is, for the table's caption ({@code single-shot times})
   * @param rounds default {@code --rounds}
   * @param warmup default {@code --warmup}
   * @param iterations default {@code --iterations}
   * @param seconds default {@code --time} (timed suites only)
   * @param describe a benchmark's label in the table
   */
  record Suite(String main, String classSuffix, String option, String column, List<String> benchmarks,
      List<String> defaults, boolean singleShot, String unit, String what, int rounds, int warmup, int iterations, int seconds,
      Function<String, String> describe) {}

  /** Parses {@code args}, runs the suite and prints the table; returns early for {@code --help}. */
  static void main(Suite suite, String[] args) throws RunnerException {
    int rounds = suite.rounds();
    int warmup = suite.warmup();
    int iterations = suite.iterations();
    int seconds = suite.seconds();
    String heap = "4g";
    List<String> benchmarks = suite.defaults();
    List<String> sides = SIDES;
    String jfrDir = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals(suite.option())) {
        benchmarks = select(suite, args[++i]);
        continue;
      }
      switch (a) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--time" -> {
          if (suite.singleShot()) {
            throw new IllegalArgumentException(suite.main() + " times single shots; it has no --time");
          }
          seconds = Integer.parseInt(args[++i]);
        }
        case "--heap" -> heap = args[++i];
        case "--side" -> sides = List.of(switch (args[++i].toLowerCase(Locale.ROOT)) {
          case "accrete" -> "Accrete";
          case "datomic" -> "Datomic";
          default -> throw new IllegalArgumentException("--side takes accrete or datomic, not " + args[i]);
        });
        case "--jfr" -> jfrDir = args[++i];
        case "-h", "--help" -> {
          System.out.println(usage(suite));
          return;
        }
        default -> throw new IllegalArgumentException("Unknown argument " + a + " (try --help)");
      }
    }

    String loadBefore = loadAverage();
    // benchmark method ("load") -> side ("Datomic") -> measured iterations of all rounds
    Map<String, Map<String, ListStatistics>> results = new LinkedHashMap<>();
    for (String b : benchmarks) {
      results.put(b, new LinkedHashMap<>());
    }
    for (int round = 0; round < rounds; round++) {
      for (String side : sides) {
        for (String benchmark : benchmarks) {
          run(suite, side, benchmark, warmup, iterations, seconds, heap, jfrDir, results);
        }
      }
    }
    System.out.println();
    System.out.println(table(suite, results, heap, rounds, warmup, iterations, seconds));
    System.out.println("load average (1/5/15 min) before: " + loadBefore + ", after: " + loadAverage()
        + "; " + Runtime.getRuntime().availableProcessors() + " cores");
  }

  private static String usage(Suite suite) {
    return suite.main() + " [--rounds R] [--warmup N] [--iterations N]"
        + (suite.singleShot() ? "" : " [--time S]")
        + " [" + suite.option() + " " + String.join("|", suite.benchmarks()) + "]"
        + " [--side accrete|datomic] [--heap 4g] [--jfr DIR]"
        + String.format(Locale.ROOT, "%n  defaults: --rounds %d --warmup %d --iterations %d%s",
            suite.rounds(), suite.warmup(), suite.iterations(),
            suite.singleShot() ? "" : " --time " + suite.seconds())
        + (suite.defaults().equals(suite.benchmarks()) ? ""
            : ", " + suite.option() + " " + String.join(",", suite.defaults()));
  }

  /** The benchmarks a selection option names: comma-separated, hyphens ignored (q2-switch). */
  private static List<String> select(Suite suite, String arg) {
    List<String> out = new ArrayList<>();
    for (String s : arg.split(",")) {
      String name = s.trim().replace("-", "");
      if (!suite.benchmarks().contains(name)) {
        List<String> all = suite.benchmarks();
        throw new IllegalArgumentException(suite.option() + " takes "
            + String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1)
            + ", not " + s);
      }
      out.add(name);
    }
    return out;
  }

  /**
   * Forks one JVM for one benchmark ({@code load}) of one side ({@code Accrete}) and adds its
   * measured iterations to the results.
   */
  private static void run(Suite suite, String side, String benchmark, int warmup, int iterations,
      int seconds, String heap, String jfrDir, Map<String, Map<String, ListStatistics>> results)
      throws RunnerException {
    String cls = side + suite.classSuffix();
    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include("^" + BenchRunner.class.getPackageName().replace(".", "\\.") + "\\." + cls + "\\." + benchmark + "$")
        .forks(1)
        .warmupIterations(warmup)
        .measurementIterations(iterations)
        .shouldDoGC(true)
        .shouldFailOnError(true)
        // Pre-touching the heap keeps first-touch page faults (slow on this VM) out of the
        // timings once the young generation grows; both sides get the same flags.
        .jvmArgs("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch");
    if (suite.singleShot()) {
      opts = opts.warmupBatchSize(1).measurementBatchSize(1);
    } else {
      opts = opts.warmupTime(TimeValue.seconds(seconds)).measurementTime(TimeValue.seconds(seconds));
    }
    if (jfrDir != null) {
      new File(jfrDir).mkdirs();
      opts = opts.jvmArgsAppend("-XX:StartFlightRecording=settings=profile,filename="
          + new File(jfrDir, cls + "-" + benchmark + ".jfr").getAbsolutePath());
    }
    for (RunResult r : new Runner(opts.build()).run()) {
      String bench = r.getParams().getBenchmark();
      String method = bench.substring(bench.lastIndexOf('.') + 1);
      ListStatistics stats = results.computeIfAbsent(method, k -> new LinkedHashMap<>())
          .computeIfAbsent(side, k -> new ListStatistics());
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

  private static String table(Suite suite, Map<String, Map<String, ListStatistics>> results, String heap,
      int rounds, int warmup, int iterations, int seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s: %s in %s (min–max); %d round(s) × (%d warmups + %d measured%s) "
        + "per side, medians of %d; -Xms%s -Xmx%s each side%n",
        suite.main(), suite.what(), suite.unit(), rounds, warmup, iterations,
        suite.singleShot() ? "" : ", " + seconds + " s each", rounds * iterations, heap, heap));
    String u = suite.unit();
    sb.append("| ").append(suite.column()).append(" | Datomic median (").append(u).append(") | Accrete median (")
        .append(u).append(") | ratio Datomic/Accrete |\n");
    sb.append("| --- | ---: | ---: | ---: |\n");
    for (Map.Entry<String, Map<String, ListStatistics>> e : results.entrySet()) {
      Statistics d = e.getValue().get("Datomic");
      Statistics a = e.getValue().get("Accrete");
      sb.append("| ").append(suite.describe().apply(e.getKey())).append(" | ")
          .append(cell(d)).append(" | ")
          .append(cell(a)).append(" | ")
          .append(d != null && a != null
              ? String.format(Locale.ROOT, "%.2f×", d.getPercentile(50) / a.getPercentile(50))
              : "–")
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String cell(Statistics s) {
    if (s == null || s.getN() == 0) {
      return "–";
    }
    return num(s.getPercentile(50)) + " (" + num(s.getMin()) + "–" + num(s.getMax()) + ")";
  }

  /** Three significant digits or more: 76,197, 243, 13.9, 2.61. */
  private static String num(double x) {
    String f = x >= 100 ? "%,.0f" : x >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, f, x);
  }
}
