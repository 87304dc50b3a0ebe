package io.accrete.sql;

import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;

/**
 * An index nested-loop join: for each row of the left input, the right table's rows whose key
 * column equals the row's key, read through the index the right scan names (EAVT for
 * {@code db__id}, VAET along refs, AVET for values). Chosen by cost when the left side is small
 * next to the right table, which a hash join would read whole.
 */
final class AccreteLookupJoin extends Join implements EnumerableRel {
  /** The left input's key column. */
  final int leftKey;
  /** The right scan with its condition on the outer row's key. */
  final ScanSpec lookup;

  /** The right input is the lookup scan itself (for EXPLAIN and the planner's bookkeeping). */
  AccreteLookupJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right,
      RexNode condition, JoinRelType joinType, int leftKey, ScanSpec lookup) {
    super(cluster, traits, java.util.List.of(), left, right, condition, Set.<CorrelationId>of(), joinType);
    this.leftKey = leftKey;
    this.lookup = lookup;
  }

  @Override
  public Join copy(RelTraitSet traitSet, RexNode condition, RelNode left, RelNode right,
      JoinRelType joinType, boolean semiJoinDone) {
    return new AccreteLookupJoin(getCluster(), traitSet, left, right, condition, joinType, leftKey, lookup);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("lookup", lookup.access.describe());
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double left = mq.getRowCount(getLeft());
    double perKey = lookup.estimatedRows();
    // Each left row costs an index descent: a few times a hash probe, far less than reading
    // the whole right table.
    return planner.getCostFactory().makeCost(left * perKey, left * 4 + left * perKey, 0);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result left = implementor.visitChild(this, 0, (EnumerableRel) getLeft(), pref);
    Expression leftRows = builder.append("left", left.block);
    // Typed as Enumerable whatever class the left side's code produces, so the call resolves.
    Expression leftArrays = Expressions.convert_(
        left.physType.convertTo(leftRows, JavaRowFormat.ARRAY), org.apache.calcite.linq4j.Enumerable.class);
    Expression spec = implementor.stash(lookup, ScanSpec.class);
    int fields = getRowType().getFieldCount();
    JavaRowFormat format = fields == 1 ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY;
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), format, false);
    Expression joined;
    if (joinType == JoinRelType.SEMI || joinType == JoinRelType.ANTI) {
      joined = Expressions.call(spec, "lookupSemiJoin", leftArrays, Expressions.constant(leftKey),
          Expressions.constant(joinType == JoinRelType.ANTI), pairCondition(implementor), DataContext.ROOT);
    } else if (joinType == JoinRelType.INNER && !justTheKey()) {
      joined = Expressions.call(spec, "lookupJoinWhere", leftArrays, Expressions.constant(leftKey),
          pairCondition(implementor), DataContext.ROOT);
    } else {
      joined = Expressions.call(spec, "lookupJoin", leftArrays, Expressions.constant(leftKey),
          Expressions.constant(joinType == JoinRelType.LEFT), DataContext.ROOT);
    }
    if (format == JavaRowFormat.SCALAR) {
      joined = Expressions.call(spec, "scalar", joined);
    }
    builder.add(Expressions.return_(null, joined));
    return implementor.result(physType, builder.toBlock());
  }

  /** Whether the condition is the lookup's key equality alone (the lookup itself decides it). */
  private boolean justTheKey() {
    org.apache.calcite.rel.core.JoinInfo info = analyzeCondition();
    return info.isEqui() && info.leftKeys.size() == 1;
  }

  /**
   * The whole join condition as a {@code Predicate2} of a left row and a right row (both as
   * arrays), tested on each pair the lookup finds: the key is tested again, and the rest of it
   * (a semi or anti join's other conditions) decides.
   */
  private Expression pairCondition(EnumerableRelImplementor implementor) {
    org.apache.calcite.adapter.java.JavaTypeFactory types = implementor.getTypeFactory();
    PhysType leftType = PhysTypeImpl.of(types, getLeft().getRowType(), JavaRowFormat.ARRAY, false);
    PhysType rightType = PhysTypeImpl.of(types, getRight().getRowType(), JavaRowFormat.ARRAY, false);
    org.apache.calcite.linq4j.tree.ParameterExpression l = Expressions.parameter(Object[].class, "left");
    org.apache.calcite.linq4j.tree.ParameterExpression r = Expressions.parameter(Object[].class, "right");
    org.apache.calcite.rex.RexProgramBuilder program = new org.apache.calcite.rex.RexProgramBuilder(
        types.builder().addAll(getLeft().getRowType().getFieldList()).addAll(getRight().getRowType().getFieldList())
            .build(), getCluster().getRexBuilder());
    program.addCondition(condition);
    BlockBuilder body = new BlockBuilder();
    body.add(Expressions.return_(null, org.apache.calcite.adapter.enumerable.RexToLixTranslator.translateCondition(
        program.getProgram(), types, body,
        new org.apache.calcite.adapter.enumerable.RexToLixTranslator.InputGetterImpl(
            java.util.List.of(org.apache.calcite.util.Pair.of(l, leftType), org.apache.calcite.util.Pair.of(r, rightType))),
        name -> {
          throw new IllegalStateException("correlation variable " + name + " in a lookup join's condition");
        }, implementor.getConformance())));
    return Expressions.lambda(org.apache.calcite.linq4j.function.Predicate2.class, body.toBlock(), l, r);
  }
}
