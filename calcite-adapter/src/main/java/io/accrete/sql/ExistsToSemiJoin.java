package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;

/**
 * {@code WHERE … EXISTS (SELECT … FROM r WHERE r.k = outer.k AND …)} as a semi join of the outer
 * rows with {@code r} on the sub-query's condition, and {@code NOT EXISTS} as an anti join — what
 * PostgreSQL does with such sub-links. Calcite's decorrelation instead computes the set of
 * distinct outer keys (the outer query again), joins it to {@code r}, counts, and joins the
 * counts back: TPC-H Q21 read lineitem six times that way and paired every line of an order
 * with every other.
 *
 * <p>Taken only when the sub-query is a filter over a correlation-free input (projections and an
 * unlimited sort above it are ignored, as EXISTS ignores them) and its condition equates a
 * column of the input with an outer column, so the join has a hash key; the rest of the
 * condition, outer columns included, becomes the join's residual condition. A semi join keeps
 * an outer row when some inner row makes the condition true, an anti join when none does:
 * EXISTS and NOT EXISTS exactly, NULLs included.
 */
final class ExistsToSemiJoin extends RelRule<RelRule.Config> {
  ExistsToSemiJoin() {
    super(AccreteRules.PlainConfig.of("AccreteExistsToSemiJoinRule",
        b -> b.operand(LogicalFilter.class).predicate(f -> RexUtil.SubQueryFinder.find(f.getCondition()) != null)
            .anyInputs()));
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalFilter filter = call.rel(0);
    RelNode outer = filter.getInput();
    RexBuilder rex = filter.getCluster().getRexBuilder();
    List<RexNode> rest = new ArrayList<>();
    List<Joined> joins = new ArrayList<>();
    for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
      boolean negated = c.getKind() == SqlKind.NOT && ((RexCall) c).getOperands().get(0).getKind() == SqlKind.EXISTS;
      RexNode e = negated ? ((RexCall) c).getOperands().get(0) : c;
      if (e instanceof RexSubQuery sq && sq.getKind() == SqlKind.EXISTS) {
        Joined join = asJoin(sq.rel, filter.getVariablesSet(), outer, rex, negated ? JoinRelType.ANTI : JoinRelType.SEMI);
        if (join != null) {
          joins.add(join);
          continue;
        }
      }
      rest.add(c);
    }
    if (joins.isEmpty()) {
      return;
    }
    RelBuilder b = call.builder();
    b.push(rest.isEmpty() ? outer
        : LogicalFilter.create(outer, RexUtil.composeConjunction(rex, rest), com.google.common.collect.ImmutableSet
            .copyOf(filter.getVariablesSet())));
    for (Joined j : joins) {
      b.push(j.inner());
      b.join(j.type(), j.condition());
    }
    call.transformTo(b.build());
  }

  /** A sub-query as a join: its input, and the condition over the outer and then the inner fields. */
  private record Joined(RelNode inner, RexNode condition, JoinRelType type) {}

  /**
   * The sub-query as a join of {@code type}, or null when it is not a filter over a
   * correlation-free input with an equality between an inner and an outer column.
   */
  private static Joined asJoin(RelNode sub, Set<CorrelationId> ids, RelNode outer, RexBuilder rex, JoinRelType type) {
    while (sub instanceof LogicalProject || (sub instanceof LogicalSort s && s.fetch == null && s.offset == null)) {
      if (sub instanceof LogicalProject p && !RelOptUtil.getVariablesUsed(p).isEmpty()) {
        return null;
      }
      sub = sub.getInput(0);
    }
    if (!(sub instanceof LogicalFilter f) || RexUtil.SubQueryFinder.find(f.getCondition()) != null) {
      return null;
    }
    RelNode inner = f.getInput();
    if (!RelOptUtil.getVariablesUsed(inner).isEmpty() || !RelOptUtil.getVariablesSet(inner).isEmpty()) {
      return null;
    }
    int outerFields = outer.getRowType().getFieldCount();
    boolean[] foreign = {false};
    RexNode condition = f.getCondition().accept(new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return new RexInputRef(ref.getIndex() + outerFields, ref.getType());
      }

      @Override
      public RexNode visitFieldAccess(RexFieldAccess access) {
        if (access.getReferenceExpr() instanceof RexCorrelVariable v) {
          int i = ids.contains(v.id) ? outerField(v, access.getField(), outer) : -1;
          if (i < 0) {
            foreign[0] = true; // a variable of some query further out, or a column not found
            return access;
          }
          return new RexInputRef(i, access.getType());
        }
        return super.visitFieldAccess(access);
      }

      @Override
      public RexNode visitCorrelVariable(RexCorrelVariable v) {
        foreign[0] = true; // the whole outer row, not a column of it
        return v;
      }
    });
    if (foreign[0] || !hasKey(condition, outerFields)) {
      return null;
    }
    // What concerns the inner rows alone filters them before the join.
    List<RexNode> join = new ArrayList<>();
    List<RexNode> own = new ArrayList<>();
    for (RexNode c : RelOptUtil.conjunctions(condition)) {
      org.apache.calcite.util.ImmutableBitSet bits = RelOptUtil.InputFinder.bits(c);
      boolean innerOnly = !bits.isEmpty() && bits.nextSetBit(0) >= outerFields;
      (innerOnly ? own : join).add(innerOnly ? RexUtil.shift(c, -outerFields) : c);
    }
    if (!own.isEmpty()) {
      inner = LogicalFilter.create(inner, RexUtil.composeConjunction(rex, own));
    }
    return new Joined(inner, RexUtil.composeConjunction(rex, join), type);
  }

  /**
   * The outer column a correlation variable's field is, or -1. The variable has the outer input's
   * row type from before fields were trimmed, so a trimmed input is searched by name, where the
   * name is the only one of its kind on both sides and the types agree.
   */
  private static int outerField(RexCorrelVariable v, org.apache.calcite.rel.type.RelDataTypeField field,
      RelNode outer) {
    List<org.apache.calcite.rel.type.RelDataTypeField> fields = outer.getRowType().getFieldList();
    if (v.getType().getFieldCount() == fields.size()) {
      return field.getIndex();
    }
    int found = -1;
    for (org.apache.calcite.rel.type.RelDataTypeField f : fields) {
      if (f.getName().equals(field.getName())) {
        if (found >= 0) {
          return -1;
        }
        found = f.getIndex();
      }
    }
    long sameName = v.getType().getFieldList().stream().filter(f -> f.getName().equals(field.getName())).count();
    return found >= 0 && sameName == 1 && fields.get(found).getType().equals(field.getType()) ? found : -1;
  }

  /** Whether a conjunct equates an outer column with an inner one (a hash key). */
  private static boolean hasKey(RexNode condition, int outerFields) {
    for (RexNode c : RelOptUtil.conjunctions(condition)) {
      if (c.getKind() == SqlKind.EQUALS && c instanceof RexCall eq
          && eq.getOperands().get(0) instanceof RexInputRef x && eq.getOperands().get(1) instanceof RexInputRef y
          && (x.getIndex() < outerFields) != (y.getIndex() < outerFields)) {
        return true;
      }
    }
    return false;
  }
}
