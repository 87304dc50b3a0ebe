package io.accrete.bench;

import io.accrete.bench.PeopleQueries.Prepared;
import io.accrete.bench.PeopleQueries.Query;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The query benchmarks ({@link PeopleQueries}), written once against {@link Side};
 * {@link AccreteQuery} and {@link DatomicQuery} pick the system. The trial's setup loads the
 * 20,000 persons of the load workload into a fresh in-memory database whose attributes all
 * have {@code :db/index true}, has the system index them, takes the indexed database value,
 * prepares every query once (the same query object each call) and checks every query's result
 * size against the generator's (on both sides, so both give the same answers), all outside the
 * timed region. Each benchmark method runs one
 * query against that value and returns the result; JMH reports the mean time per query
 * ({@link Mode#AverageTime}) in microseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public abstract class QueryWorkloads {
  private Side side;
  private Prepared q1;
  private Prepared q2;
  private Prepared q2switch;
  private Prepared q3;
  private Prepared q4;
  private Prepared qpred1;
  private Prepared qpred2;
  private Prepared rule;
  private Prepared ruleLarge;
  private Prepared pull;
  private Prepared agg;
  private Prepared not;
  private Prepared notjoin;
  private Prepared orjoin;

  /** The system under test. */
  protected abstract Side newSide();

  /**
   * Loads, indexes and checks the people database (every query but {@code rule-large}, and
   * that one too in its own fork); prepares the queries.
   */
  @Setup(Level.Trial)
  public void load(BenchmarkParams params) throws Exception {
    side = newSide();
    PeopleQueries.Loaded l = PeopleQueries.load(side, "query-people-" + ProcessHandle.current().pid());
    Map<Query, Prepared> p = PeopleQueries.prepare(side, l);
    String bench = params.getBenchmark();
    PeopleQueries.check(side, p, l, Query.of(bench.substring(bench.lastIndexOf('.') + 1)));
    q1 = p.get(Query.Q1);
    q2 = p.get(Query.Q2);
    q2switch = p.get(Query.Q2_SWITCH);
    q3 = p.get(Query.Q3);
    q4 = p.get(Query.Q4);
    qpred1 = p.get(Query.QPRED1);
    qpred2 = p.get(Query.QPRED2);
    rule = p.get(Query.RULE);
    ruleLarge = p.get(Query.RULE_LARGE);
    pull = p.get(Query.PULL);
    agg = p.get(Query.AGG);
    not = p.get(Query.NOT);
    notjoin = p.get(Query.NOT_JOIN);
    orjoin = p.get(Query.OR_JOIN);
  }

  /** Deletes the database and stops the system's threads so the fork can exit. */
  @TearDown(Level.Trial)
  public void shutdown() {
    try {
      side.drop();
    } finally {
      side.shutdown();
    }
  }

  /** {@code [:find ?e :where [?e :name "Ivan"]]} */
  @Benchmark
  public Object q1() {
    return side.q(q1.form(), q1.inputs());
  }

  /** {@code [:find ?e ?a :where [?e :name "Ivan"] [?e :age ?a]]} */
  @Benchmark
  public Object q2() {
    return side.q(q2.form(), q2.inputs());
  }

  /** {@code [:find ?e ?a :where [?e :age ?a] [?e :name "Ivan"]]} */
  @Benchmark
  public Object q2switch() {
    return side.q(q2switch.form(), q2switch.inputs());
  }

  /** {@code [:find ?e ?a :where [?e :name "Ivan"] [?e :age ?a] [?e :sex :male]]} */
  @Benchmark
  public Object q3() {
    return side.q(q3.form(), q3.inputs());
  }

  /** {@code [:find ?e ?l ?a :where [?e :name "Ivan"] [?e :last-name ?l] [?e :age ?a] [?e :sex :male]]} */
  @Benchmark
  public Object q4() {
    return side.q(q4.form(), q4.inputs());
  }

  /** {@code [:find ?e ?s :where [?e :salary ?s] [(> ?s 50000)]]} */
  @Benchmark
  public Object qpred1() {
    return side.q(qpred1.form(), qpred1.inputs());
  }

  /** {@code [:find ?e ?s :in $ ?min_s :where [?e :salary ?s] [(> ?s ?min_s)]]} with 50000. */
  @Benchmark
  public Object qpred2() {
    return side.q(qpred2.form(), qpred2.inputs());
  }

  /**
   * {@code [:find (count ?b) . :in $ % ?root :where (follows* ?root ?b)]}: the persons person
   * 0 reaches over {@code :follows} (11).
   */
  @Benchmark
  public Object rule() {
    return side.q(rule.form(), rule.inputs());
  }

  /** {@code (pull ?e [:name :last-name :age {:follows [:name]}])} of the male Ivans. */
  @Benchmark
  public Object pull() {
    return side.q(pull.form(), pull.inputs());
  }

  /** {@code [:find ?n (count ?e) (avg ?a) (max ?s) …]}: aggregates over all 20,000 persons, by name. */
  @Benchmark
  public Object agg() {
    return side.q(agg.form(), agg.inputs());
  }

  /** The Ivans that are not male: {@code not} over a bound entity. */
  @Benchmark
  public Object not() {
    return side.q(not.form(), not.inputs());
  }

  /** The Ivans who follow no Ivan: {@code not-join} whose variable is bound outside it. */
  @Benchmark
  public Object notjoin() {
    return side.q(notjoin.form(), notjoin.inputs());
  }

  /** The Ivans that are female or follow an Ivan: {@code or-join} with a join in one branch. */
  @Benchmark
  public Object orjoin() {
    return side.q(orjoin.form(), orjoin.inputs());
  }

  /** The same rule query from person 1, which reaches 797 persons. Slow: not in the default set. */
  @Benchmark
  public Object rulelarge() {
    return side.q(ruleLarge.form(), ruleLarge.inputs());
  }
}
