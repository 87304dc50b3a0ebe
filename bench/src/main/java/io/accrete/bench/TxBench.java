package io.accrete.bench;

import java.util.List;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs the transaction workloads ({@link TxWorkloads}) on Datomic's peer and on Accrete, each
 * side in its own forked JVM with the same heap flags, and prints medians and ratios.
 *
 * <pre>
 * java -cp … io.accrete.bench.TxBench [--rounds R] [--warmup N] [--iterations N]
 *     [--workload load|single|loadUnindexed|singleUnindexed|importEdn[,…]] [--side accrete|datomic]
 *     [--heap 4g] [--jfr DIR]
 * </pre>
 *
 * <p>Each round forks one JVM per side and benchmark (Datomic's first, then Accrete's) and
 * runs {@code warmup} unmeasured then {@code iterations} measured workloads in it; the medians
 * pool the measured iterations of all rounds. Several short rounds alternate the sides, so
 * load from other processes on a shared machine falls on both. {@link BenchRunner} does the
 * work; {@link QueryBench} shares it.
 *
 * <p>{@code --jfr DIR} records a Flight Recorder profile of every fork into
 * {@code DIR/AccreteTx-load.jfr} and so on (a later round overwrites an earlier one's file);
 * summarize one with {@link JfrTop}. Recording costs a little: leave it off when measuring.
 */
public final class TxBench {
  private TxBench() {}

  static final BenchRunner.Suite SUITE = new BenchRunner.Suite("TxBench", "Tx", "--workload", "workload",
      List.of("load", "single", "loadUnindexed", "singleUnindexed", "importEdn"), List.of("load", "single"), true, "ms", "single-shot times", 2, 10, 5, 0, TxBench::describe);

  public static void main(String[] args) throws RunnerException {
    BenchRunner.main(SUITE, args);
  }

  private static String describe(String method) {
    return switch (method) {
      case "load" -> "load: " + People.LOAD_PERSONS + " persons, " + People.LOAD_BATCH + " per tx";
      case "single" -> "single: " + People.SINGLE_PERSONS + " one-entity txs";
      case "loadUnindexed" -> "load, schema without :db/index";
      case "singleUnindexed" -> "single, schema without :db/index";
      case "importEdn" -> "importEdn: load read from EDN text";
      default -> method;
    };
  }
}
