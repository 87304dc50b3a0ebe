package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Restrictions of one join input implied by an OR in the join's condition, as PostgreSQL
 * derives them ({@code orclauses.c}): from {@code (p.brand = 'A' AND l.qty < 5 AND …) OR
 * (p.brand = 'B' AND l.qty > 9 AND …)} the input {@code p} may keep only rows with {@code
 * p.brand = 'A' OR p.brand = 'B'}, since a pair passes only through a branch all of whose parts
 * hold. The OR stays in the join; the derived filter goes on the input, where it can narrow a
 * scan by an index and, once an input is small, let a lookup join replace a full scan (TPC-H
 * Q19: 20 parts instead of 20,000 and their lineitems looked up; Q7: two nations, not 25).
 *
 * <p>Applied once over the plan (a rule would keep deriving the same filter), on the sides whose
 * rows a filter cannot wrongly drop: both of an inner or semi join, the right of a left or anti
 * join, the left of a right join.
 */
final class OrRestrictions extends RelHomogeneousShuttle {
  @Override
  public RelNode visit(RelNode other) {
    RelNode visited = super.visit(other);
    if (!(visited instanceof LogicalJoin join)) {
      return visited;
    }
    JoinRelType type = join.getJoinType();
    boolean left = type == JoinRelType.INNER || type == JoinRelType.SEMI || type == JoinRelType.RIGHT;
    boolean right = type == JoinRelType.INNER || type == JoinRelType.SEMI || type == JoinRelType.LEFT
        || type == JoinRelType.ANTI;
    int leftCount = join.getLeft().getRowType().getFieldCount();
    int total = leftCount + join.getRight().getRowType().getFieldCount();
    ImmutableBitSet leftFields = ImmutableBitSet.range(0, leftCount);
    ImmutableBitSet rightFields = ImmutableBitSet.range(leftCount, total);
    RexBuilder rex = join.getCluster().getRexBuilder();
    List<RexNode> onLeft = new ArrayList<>();
    List<RexNode> onRight = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
      List<RexNode> branches = RelOptUtil.disjunctions(conjunct);
      if (branches.size() < 2) {
        continue;
      }
      if (left) {
        add(onLeft, restrictions(rex, branches, leftFields), conjunct);
      }
      if (right) {
        add(onRight, restrictions(rex, branches, rightFields), conjunct);
      }
    }
    if (onLeft.isEmpty() && onRight.isEmpty()) {
      return visited;
    }
    RelNode newLeft = onLeft.isEmpty() ? join.getLeft()
        : LogicalFilter.create(join.getLeft(), RexUtil.composeConjunction(rex, onLeft));
    RelNode newRight = join.getRight();
    if (!onRight.isEmpty()) {
      RexNode shifted = RexUtil.shift(RexUtil.composeConjunction(rex, onRight), -leftCount);
      newRight = LogicalFilter.create(join.getRight(), shifted);
    }
    return join.copy(join.getTraitSet(), join.getCondition(), newLeft, newRight, type, join.isSemiJoinDone());
  }

  /** Derived restrictions, unless one is the whole OR (already one side's, and pushed as such). */
  private static void add(List<RexNode> to, List<RexNode> derived, RexNode conjunct) {
    for (RexNode d : derived) {
      if (!d.equals(conjunct) && !to.contains(d)) {
        to.add(d);
      }
    }
  }

  /**
   * What the branches imply for {@code side}: the OR of each branch's parts on the side's fields
   * alone, and, for each field every branch tests alone, the OR of those tests (one column's
   * condition a scan can read through an index: {@code p_brand IN ('A', 'B')}). Empty when some
   * branch has no part on the side (that branch lets any row of the side through).
   */
  private static List<RexNode> restrictions(RexBuilder rex, List<RexNode> branches, ImmutableBitSet side) {
    List<RexNode> ors = new ArrayList<>();
    java.util.Map<Integer, List<RexNode>> byField = null;
    for (RexNode branch : branches) {
      List<RexNode> mine = new ArrayList<>();
      java.util.Map<Integer, List<RexNode>> fields = new java.util.TreeMap<>();
      for (RexNode part : RelOptUtil.conjunctions(branch)) {
        ImmutableBitSet uses = RelOptUtil.InputFinder.bits(part);
        if (!uses.isEmpty() && side.contains(uses) && RexUtil.isDeterministic(part)) {
          mine.add(part);
          if (uses.cardinality() == 1) {
            fields.computeIfAbsent(uses.nth(0), f -> new ArrayList<>()).add(part);
          }
        }
      }
      if (mine.isEmpty()) {
        return List.of();
      }
      ors.add(RexUtil.composeConjunction(rex, mine));
      if (byField == null) {
        byField = new java.util.TreeMap<>();
        for (var e : fields.entrySet()) {
          byField.put(e.getKey(), new ArrayList<>(List.of(RexUtil.composeConjunction(rex, e.getValue()))));
        }
      } else {
        byField.keySet().retainAll(fields.keySet());
        for (var e : byField.entrySet()) {
          e.getValue().add(RexUtil.composeConjunction(rex, fields.get(e.getKey())));
        }
      }
    }
    List<RexNode> out = new ArrayList<>();
    RexNode whole = RexUtil.composeDisjunction(rex, ors);
    out.add(whole);
    for (List<RexNode> tests : byField.values()) {
      RexNode one = RexUtil.composeDisjunction(rex, tests);
      if (!one.equals(whole)) {
        out.add(one);
      }
    }
    return out;
  }
}
