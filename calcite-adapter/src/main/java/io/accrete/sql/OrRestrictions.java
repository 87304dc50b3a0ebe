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
        add(onLeft, restriction(rex, branches, leftFields), conjunct);
      }
      if (right) {
        add(onRight, restriction(rex, branches, rightFields), conjunct);
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

  /** A derived restriction, unless it is the whole OR (already one side's, and pushed as such). */
  private static void add(List<RexNode> to, RexNode derived, RexNode conjunct) {
    if (derived != null && !derived.equals(conjunct)) {
      to.add(derived);
    }
  }

  /**
   * The OR of each branch's parts on {@code side}'s fields alone, or null when some branch has
   * none (that branch lets any row of the side through).
   */
  private static RexNode restriction(RexBuilder rex, List<RexNode> branches, ImmutableBitSet side) {
    List<RexNode> ors = new ArrayList<>();
    for (RexNode branch : branches) {
      List<RexNode> mine = new ArrayList<>();
      for (RexNode part : RelOptUtil.conjunctions(branch)) {
        ImmutableBitSet uses = RelOptUtil.InputFinder.bits(part);
        if (!uses.isEmpty() && side.contains(uses) && RexUtil.isDeterministic(part)) {
          mine.add(part);
        }
      }
      if (mine.isEmpty()) {
        return null;
      }
      ors.add(RexUtil.composeConjunction(rex, mine));
    }
    return RexUtil.composeDisjunction(rex, ors);
  }
}
