package io.accrete.bench;

import io.accrete.bench.PeopleQueries.Query;
import java.util.Arrays;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs the query benchmarks ({@link QueryWorkloads}) on Datomic's peer and on Accrete, each
 * side and query in its own forked JVM with the same heap flags, and prints medians and
 * ratios of the mean time per query.
 *
 * <pre>
 * java -cp … io.accrete.bench.QueryBench [--rounds R] [--warmup N] [--iterations N] [--time S]
 *     [--query q1|q2|q2-switch|q3|q4|qpred1|qpred2|rule|pull|agg|not|notjoin|orjoin|rule-large[,…]] [--side accrete|datomic]
 *     [--heap 4g] [--jfr DIR]
 * </pre>
 *
 * <p>Without {@code --query} it runs every query but {@code rule-large}, whose single call
 * takes seconds on Datomic and minutes on Accrete (see RESULTS.md); run that one on its own
 * with few iterations ({@code --query rule-large --warmup 0 --iterations 1}).
 *
 * <p>Each fork loads and indexes the 20,000 persons once, then runs {@code warmup} unmeasured
 * and {@code iterations} measured iterations of {@code S} seconds of back-to-back queries; a
 * score is one iteration's mean time per query, and the medians pool the measured iterations
 * of all rounds. The default warmup is 8 × 1 s: in a run with 6 warmups, Datomic's query
 * engine (Clojure) got 2–4× faster over the warmup and was close to its measured times by the
 * 4th–6th second (Accrete 1.5–5×, by the 5th–6th). {@link BenchRunner} does the work;
 * {@link TxBench} shares it.
 */
public final class QueryBench {
  private QueryBench() {}

  static final BenchRunner.Suite SUITE = new BenchRunner.Suite("QueryBench", "Query", "--query", "query",
      Arrays.stream(Query.values()).map(q -> q.method).toList(),
      Arrays.stream(Query.values()).filter(q -> !q.slow).map(q -> q.method).toList(), false, "µs", "mean time per query",
      1, 8, 5, 1, QueryBench::describe);

  public static void main(String[] args) throws RunnerException {
    BenchRunner.main(SUITE, args);
  }

  private static String describe(String method) {
    return Query.of(method).label();
  }
}
