package io.accrete.model;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property-based test of the transactor, indexes and database views against a naive model
 * ({@link Model}: a list of every datom ever, replayed, with its own implementation of the
 * transaction semantics).
 *
 * <p>Each sequence installs a random schema (4 to 8 attributes: long, string, double, boolean,
 * instant, keyword, ref, uuid, bigdec, bytes; card one and many; :db.unique/identity and
 * :db.unique/value; :db/noHistory; component refs), then runs random transactions: new
 * entities through string tempids and TempIds in map and list forms, id-less and nested
 * (component) maps, reverse refs in maps, refs to tempids, idents and lookup refs, adds and
 * card-one replacement, retracts with present and absent values, retraction of all values,
 * retractEntity (following components), cas (matching and failing), upserts and unified
 * tempids, redundant assertions, attributes of the transaction entity ("datomic.tx"), bulk
 * transactions, and transactions that must fail (unique conflicts, two card-one values,
 * datoms both asserted and retracted, wrong types, nil, unknown attributes, tempids in
 * retractions or only as values, unresolvable lookup refs, failing cas). Some go through EDN
 * text. A failing transaction must throw an AccreteException with the model's error code
 * (not an internal error) and change nothing.
 *
 * <p>After every transaction: the report (datoms, tempids, tx entity, basis), all four indexes
 * of the current and history values (contents and order), prefixes, seeks, tx components,
 * index ranges, lookup refs, filters, and entity views (values, keySet, reverse refs). At the
 * end, through the final value and every earlier t: asOf (by t, tx id and Date), since,
 * history asOf and since, asOf then since, the log, {@code with} on the value before each
 * transaction (and a second {@code with} on top), and views of past values. Databases index in
 * the background after 5 to 50 datoms in two thirds of the sequences, and {@code requestIndex}
 * runs at random points, so novelty, durable trees and their merging all take part.
 *
 * <p>System properties: {@code model.seeds} (sequences, default 30), {@code model.txs}
 * (transactions per sequence, default 40), {@code model.baseSeed}, {@code model.seed} to rerun
 * one sequence, {@code model.stats=true}
 * to print what was exercised, {@code model.transcripts=true} to keep every transcript. A
 * failure names its seed, the transaction, the check and a diff, and writes the whole sequence
 * to {@code target/model-failures/seed-N.txt}.
 */
class ModelTest {
  private static final int SEEDS = Integer.getInteger("model.seeds", 30);
  private static final int TXS = Integer.getInteger("model.txs", 40);
  private static final long BASE_SEED = Long.getLong("model.baseSeed", 1000L);

  @AfterAll
  static void printStats() {
    if (Stats.ENABLED) {
      System.out.println(Stats.report());
    }
  }

  @TestFactory
  Stream<DynamicTest> randomSequences() {
    String only = System.getProperty("model.seed");
    LongStream seeds = only != null && !only.isEmpty()
        ? LongStream.of(Long.parseLong(only))
        : LongStream.range(0, SEEDS).map(i -> BASE_SEED + i);
    return seeds.mapToObj(
        s -> DynamicTest.dynamicTest("seed " + s, () -> new SequenceRun(s, TXS).run()));
  }
}
