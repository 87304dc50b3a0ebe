package io.accrete.model;

import io.accrete.transactor.TestTransactor;
import java.nio.file.Path;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's model-based test of transactions and database views ({@link SequenceRun} against the
 * naive {@link Model}) on the durable backends: local storage with low indexing thresholds (so
 * durable trees, novelty and their merging all take part), and PostgreSQL storage through a
 * peer of a transactor. Fewer sequences than in memory (each transaction is a storage write).
 */
class DurableModelTest {
  private static final int SEEDS = Integer.getInteger("model.durableSeeds", 10);
  private static final int TXS = Integer.getInteger("model.txs", 30);

  @TempDir
  static Path dir;

  /** PostgreSQL storage takes its options from system properties, read when the transactor opens a database. */
  @BeforeAll
  static void lowThresholdOnPostgresql() {
    System.setProperty("accrete.indexThreshold", "40");
  }

  @AfterAll
  static void clear() {
    System.clearProperty("accrete.indexThreshold");
  }

  @TestFactory
  Stream<DynamicTest> local() {
    return LongStream.range(0, SEEDS).map(i -> 5000 + i).mapToObj(s -> DynamicTest.dynamicTest("local seed " + s,
        () -> new SequenceRun(s, TXS, (seed, options) -> "accrete:local://" + dir.resolve("model-" + seed)
            + (options.isEmpty() ? "" : "?" + options)).run()));
  }

  @TestFactory
  Stream<DynamicTest> postgresqlThroughATransactor() {
    return LongStream.range(0, SEEDS).map(i -> 6000 + i).mapToObj(s -> DynamicTest.dynamicTest("sql seed " + s,
        () -> new SequenceRun(s, TXS, (seed, options) -> "accrete:sql://model-" + seed + "-" + System.nanoTime()
            + "?" + TestTransactor.url()).run()));
  }
}
