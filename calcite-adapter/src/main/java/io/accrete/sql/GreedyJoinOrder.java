package io.accrete.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.MultiJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Orders the inner joins of a {@link MultiJoin}: up to {@link #EXHAUSTIVE_LIMIT} tables with
 * Calcite's {@code LoptOptimizeJoinRule}, more with greedy operator ordering (Fegaras): of all
 * pairs of partial results that a join condition connects, join the pair whose result is
 * estimated smallest, until one is left. Calcite's rule tries every table as the first and
 * every place in the tree for every next one, costing each candidate tree in full: a 64-table
 * join took 1.5 s to plan and the join queries of sqllogictest's select5 seven minutes in all.
 * PostgreSQL likewise stops searching exhaustively at twelve tables ({@code geqo_threshold}).
 * The greedy order costs a pass over the join conditions per join and builds a bushy tree,
 * the smaller input of each join on the hash join's build side.
 */
final class GreedyJoinOrder extends RelRule<RelRule.Config> {
  /** Joins of more tables than this are ordered greedily. */
  static final int EXHAUSTIVE_LIMIT = 12;

  GreedyJoinOrder() {
    super(AccreteRules.PlainConfig.of("AccreteGreedyJoinOrder", b -> b.operand(MultiJoin.class).anyInputs()));
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    MultiJoin join = call.rel(0);
    if (join.getInputs().size() <= EXHAUSTIVE_LIMIT || !innerOnly(join)) {
      CoreRules.MULTI_JOIN_OPTIMIZE.onMatch(call);
      return;
    }
    call.transformTo(order(join, call.getMetadataQuery(), call.builder()));
  }

  private static boolean innerOnly(MultiJoin join) {
    if (join.isFullOuterJoin()) {
      return false;
    }
    for (int i = 0; i < join.getInputs().size(); i++) {
      if (join.getJoinTypes().get(i) != JoinRelType.INNER || join.getOuterJoinConditions().get(i) != null
          || join.getProjFields().get(i) != null) {
        return false;
      }
    }
    return true;
  }

  /** A partial result: its plan, its estimated rows, and where each of the join's fields is in it. */
  private record Part(RelNode rel, double rows, ImmutableBitSet factors, Map<Integer, Integer> positions) {}

  /** A conjunct of the join's condition, with the tables it mentions. */
  private record Conjunct(RexNode condition, ImmutableBitSet factors, double selectivity) {}

  private static RelNode order(MultiJoin join, RelMetadataQuery mq, RelBuilder builder) {
    List<RelNode> inputs = join.getInputs();
    int[] factorOf = new int[join.getRowType().getFieldCount()];
    int[] offset = new int[inputs.size()];
    List<Part> parts = new ArrayList<>();
    for (int f = 0, field = 0; f < inputs.size(); f++) {
      offset[f] = field;
      Map<Integer, Integer> positions = new HashMap<>();
      for (int i = 0; i < inputs.get(f).getRowType().getFieldCount(); i++, field++) {
        factorOf[field] = f;
        positions.put(field, i);
      }
      Double rows = mq.getRowCount(inputs.get(f));
      parts.add(new Part(inputs.get(f), rows == null ? 1 : Math.max(1, rows), ImmutableBitSet.of(f), positions));
    }
    List<Conjunct> pending = new ArrayList<>();
    for (RexNode c : RelOptUtil.conjunctions(join.getJoinFilter())) {
      ImmutableBitSet.Builder factors = ImmutableBitSet.builder();
      for (int field : RelOptUtil.InputFinder.bits(c)) {
        factors.set(factorOf[field]);
      }
      pending.add(new Conjunct(c, factors.build(), selectivity(c, inputs, factorOf, offset, mq)));
    }
    RexBuilder rex = join.getCluster().getRexBuilder();
    while (parts.size() > 1) {
      int[] pair = cheapestPair(parts, pending, inputs.size());
      Part a = parts.get(pair[0]);
      Part b = parts.get(pair[1]);
      // The smaller side is the one a hash join builds its table from: Calcite's builds the right.
      Part left = a.rows() >= b.rows() ? a : b;
      Part right = left == a ? b : a;
      ImmutableBitSet factors = left.factors().union(right.factors());
      Map<Integer, Integer> positions = new HashMap<>(left.positions());
      int leftFields = left.rel().getRowType().getFieldCount();
      right.positions().forEach((field, i) -> positions.put(field, leftFields + i));
      List<RexNode> conditions = new ArrayList<>();
      double rows = left.rows() * right.rows();
      for (var it = pending.iterator(); it.hasNext(); ) {
        Conjunct c = it.next();
        if (factors.contains(c.factors())) {
          conditions.add(remap(c.condition(), positions));
          rows *= c.selectivity();
          it.remove();
        }
      }
      RelNode joined = builder.push(left.rel()).push(right.rel())
          .join(JoinRelType.INNER, RexUtil.composeConjunction(rex, conditions)).build();
      parts.remove(Math.max(pair[0], pair[1]));
      parts.remove(Math.min(pair[0], pair[1]));
      parts.add(new Part(joined, Math.max(1, rows), factors, positions));
    }
    Part all = parts.get(0);
    // Back to the MultiJoin's field order, then what had to wait for all of its inputs.
    builder.push(all.rel());
    List<RexNode> fields = new ArrayList<>();
    for (int field = 0; field < factorOf.length; field++) {
      fields.add(builder.field(all.positions().get(field)));
    }
    builder.project(fields, join.getRowType().getFieldNames(), true);
    if (join.getPostJoinFilter() != null) {
      builder.filter(join.getPostJoinFilter());
    }
    return builder.convert(join.getRowType(), false).build();
  }

  /**
   * The two parts to join next: of the pairs some pending condition connects, the one with the
   * fewest estimated rows; with none connected (a cross product is left), the two smallest.
   */
  private static int[] cheapestPair(List<Part> parts, List<Conjunct> pending, int factors) {
    Map<Long, Double> selectivity = new HashMap<>();
    int[] partOf = new int[factors];
    for (int p = 0; p < parts.size(); p++) {
      for (int f : parts.get(p).factors()) {
        partOf[f] = p;
      }
    }
    for (Conjunct c : pending) {
      int first = -1;
      int second = -1;
      boolean two = true;
      for (int f : c.factors()) {
        int p = partOf[f];
        if (first < 0 || first == p) {
          first = p;
        } else if (second < 0 || second == p) {
          second = p;
        } else {
          two = false;
        }
      }
      if (two && second >= 0) {
        long key = (long) Math.min(first, second) << 32 | Math.max(first, second);
        selectivity.merge(key, c.selectivity(), (x, y) -> x * y);
      }
    }
    int[] best = null;
    double bestRows = Double.MAX_VALUE;
    for (var e : selectivity.entrySet()) {
      int a = (int) (e.getKey() >>> 32);
      int b = (int) (e.getKey() & 0xffffffffL);
      double rows = parts.get(a).rows() * parts.get(b).rows() * e.getValue();
      if (rows < bestRows) {
        bestRows = rows;
        best = new int[] {a, b};
      }
    }
    if (best != null) {
      return best;
    }
    int a = 0;
    int b = 1;
    for (int p = 0; p < parts.size(); p++) {
      double rows = parts.get(p).rows();
      if (rows < parts.get(a).rows()) {
        b = a;
        a = p;
      } else if (p != a && (b == a || rows < parts.get(b).rows())) {
        b = p;
      }
    }
    return new int[] {a, b};
  }

  /**
   * A conjunct's selectivity: for an equality of two tables' columns PostgreSQL's {@code 1 /
   * max(distinct values)} (a column whose distinct values are unknown counted as a key of its
   * table); otherwise Calcite's guess.
   */
  private static double selectivity(RexNode c, List<RelNode> inputs, int[] factorOf, int[] offset,
      RelMetadataQuery mq) {
    if (c.getKind() == SqlKind.EQUALS && c instanceof RexCall call
        && call.getOperands().get(0) instanceof RexInputRef l && call.getOperands().get(1) instanceof RexInputRef r
        && factorOf[l.getIndex()] != factorOf[r.getIndex()]) {
      return 1 / Math.max(distinct(l.getIndex(), inputs, factorOf, offset, mq),
          distinct(r.getIndex(), inputs, factorOf, offset, mq));
    }
    return RelMdUtil.guessSelectivity(c);
  }

  private static double distinct(int field, List<RelNode> inputs, int[] factorOf, int[] offset, RelMetadataQuery mq) {
    RelNode input = inputs.get(factorOf[field]);
    Double distinct = JoinEstimates.distinctValues(input, field - offset[factorOf[field]], mq);
    if (distinct == null) {
      distinct = mq.getRowCount(input);
    }
    return distinct == null ? 1 : Math.max(1, distinct);
  }

  /** The condition over the MultiJoin's fields, rewritten over a part's. */
  private static RexNode remap(RexNode condition, Map<Integer, Integer> positions) {
    return condition.accept(new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return new RexInputRef(positions.get(ref.getIndex()), ref.getType());
      }
    });
  }
}
