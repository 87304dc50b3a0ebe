package io.accrete.bench;

import java.util.List;
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

/**
 * The transaction workloads, written once against {@link Side}; {@link AccreteTx} and
 * {@link DatomicTx} pick the system. One JMH iteration is one whole workload into a fresh
 * database ({@link Mode#SingleShotTime}); the database is created and its schema installed in
 * the iteration's setup, checked and deleted in its teardown, all outside the timed region.
 * The transaction data is built once per fork, also outside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, batchSize = 1)
@Measurement(iterations = 10, batchSize = 1)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public abstract class TxWorkloads {
  private Side side;
  private List<Object> schema;
  private List<List<Object>> loadTx;
  private String loadEdn;
  private List<People.SingleTx> singleTx;
  private long[] eids;
  private long loadFollows;
  private long singleFollows;
  private int dbCount;
  /** What the last workload should have left in the database: persons and follows datoms. */
  private long expectPersons = -1;
  private long expectFollows = -1;

  /** The system under test. */
  protected abstract Side newSide();

  /**
   * Builds the transaction data with this system's keywords. The schema has {@code :db/index
   * true} on every attribute, so both systems keep the same indexes (Accrete keeps AVET for
   * every attribute always; Datomic only for indexed ones); the {@code …Unindexed} benchmarks
   * drop it, which spares Datomic the AVET work.
   */
  @Setup(Level.Trial)
  public void buildData(org.openjdk.jmh.infra.BenchmarkParams params) {
    side = newSide();
    schema = People.schema(side::kw, !params.getBenchmark().endsWith("Unindexed"));
    List<People.Person> persons = People.generate(People.LOAD_PERSONS);
    loadTx = People.loadTx(persons, side::kw);
    loadEdn = People.loadEdn(persons);
    singleTx = People.singleTx(persons.subList(0, People.SINGLE_PERSONS), side::kw);
    eids = new long[People.SINGLE_PERSONS];
    loadFollows = persons.stream().mapToLong(p -> p.followsInBatch().length).sum();
    singleFollows = persons.subList(0, People.SINGLE_PERSONS).stream()
        .mapToLong(p -> p.followsEarlier().length).sum();
  }

  /** A fresh database with the schema installed. */
  @Setup(Level.Iteration)
  public void freshDatabase() throws Exception {
    side.create("people-" + ProcessHandle.current().pid() + "-" + dbCount++);
    side.transact(schema);
  }

  /** Checks what the workload wrote, then deletes the database. */
  @TearDown(Level.Iteration)
  public void checkAndDrop() {
    try {
      if (expectPersons >= 0) {
        long persons = side.count("name");
        long follows = side.count("follows");
        if (persons != expectPersons || follows != expectFollows) {
          throw new IllegalStateException(side.name() + ": expected " + expectPersons + " :name and "
              + expectFollows + " :follows datoms, found " + persons + " and " + follows);
        }
      }
    } finally {
      expectPersons = -1;
      side.drop();
    }
  }

  /** Stops the system's threads so the fork can exit. */
  @TearDown(Level.Trial)
  public void shutdown() {
    side.shutdown();
  }

  /**
   * The load workload read from EDN text by the system's own reader, then transacted: an import.
   * Run with no warm-up it is a fresh JVM's first import ({@code --warmup 0 --iterations 1}).
   */
  @Benchmark
  public Object importEdn() throws Exception {
    Object last = null;
    for (Object tx : side.readAll(loadEdn)) {
      last = side.transact((List<?>) tx);
    }
    expectPersons = People.LOAD_PERSONS;
    expectFollows = loadFollows;
    return last;
  }

  /** {@link #load} with a schema without {@code :db/index}. */
  @Benchmark
  public Object loadUnindexed() throws Exception {
    return load();
  }

  /** {@link #single} with a schema without {@code :db/index}. */
  @Benchmark
  public long singleUnindexed() throws Exception {
    return single();
  }

  /** 20,000 persons in transactions of 1,000 entity maps, waiting for each. */
  @Benchmark
  public Object load() throws Exception {
    Object last = null;
    for (List<Object> tx : loadTx) {
      last = side.transact(tx);
    }
    expectPersons = People.LOAD_PERSONS;
    expectFollows = loadFollows;
    return last;
  }

  /**
   * 5,000 transactions of one entity map each, waiting for each. A person's {@code :follows}
   * values are the entity ids earlier persons got, read from their reports.
   */
  @Benchmark
  public long single() throws Exception {
    long[] ids = eids;
    for (int i = 0; i < singleTx.size(); i++) {
      People.SingleTx st = singleTx.get(i);
      st.fill(ids);
      ids[i] = side.resolve(side.transact(st.tx()), "p");
    }
    expectPersons = People.SINGLE_PERSONS;
    expectFollows = singleFollows;
    return ids[ids.length - 1];
  }
}
