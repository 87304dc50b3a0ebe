package io.accrete.model;

import java.util.Set;

/**
 * Accrete bugs this test found, which {@code -Dmodel.avoid=name,name} steers around so that a
 * run can look for other bugs behind them. By default nothing is avoided and the test fails
 * while the bugs exist; {@link KnownBugsTest} reproduces each one minimally.
 */
final class KnownBugs {
  private KnownBugs() {}

  private static final Set<String> AVOID =
      Set.of(System.getProperty("model.avoid", "").split("\\s*,\\s*"));

  /**
   * {@code unify-upsert}: tempids that assert the same new :db.unique/identity value are not
   * made one entity when one of them also upserts through another identity value; the
   * transaction then fails with a unique conflict. With this flag the model does the same.
   */
  static final boolean UNIFY_UPSERT = AVOID.contains("unify-upsert");

  /**
   * {@code edn-tempid}: a failing transaction given as EDN text with {@code #db/id} tempids
   * fails with :db.error/transaction-failed (an IllegalArgumentException from printing the
   * TempId into the message) instead of its own error. With this flag transactions holding
   * TempIds are not sent as EDN text.
   */
  static final boolean EDN_TEMPID = AVOID.contains("edn-tempid");
}
