package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;

/**
 * Offers a semi-join of a table scan with another input ({@code X ⋉ K} on keys) as the distinct
 * keys of K reading X by index lookups: {@code π_X(distinct keys(K) ⋈ X)}, the same rows, since
 * each row of X meets at most one distinct key; a filter over the scan is tested on each row
 * found. The semi-join as planned reads all of X to probe a hash table of K; the cost model
 * chooses between the two. This is how an aggregate restricted to the keys another side has
 * ({@link RestrictedAggregateRule}: TPC-H Q17's line items of ~20 parts) reads only their rows:
 * Calcite's join ordering turns the restricting join into a semi-join with X first.
 */
final class SemiJoinByLookupRule extends RelRule<RelRule.Config> {
  private final boolean filtered;

  SemiJoinByLookupRule(boolean filtered) {
    super(AccreteRules.PlainConfig.of(filtered ? "AccreteSemiJoinByLookupRule(filtered)" : "AccreteSemiJoinByLookupRule",
        b -> b.operand(LogicalJoin.class).predicate(j -> j.getJoinType() == JoinRelType.SEMI)
            .inputs(AccreteRules.scan(filtered), r -> r.operand(RelNode.class).anyInputs())));
    this.filtered = filtered;
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalJoin semi = call.rel(0);
    AccreteTableScan scan = call.rel(filtered ? 2 : 1);
    JoinInfo info = semi.analyzeCondition();
    if (!info.isEqui() || info.leftKeys.isEmpty() || scan.spec.limit >= 0
        || RexUtil.containsCorrelation(semi.getCondition())) {
      return;
    }
    RelBuilder b = call.builder();
    RelNode keys = b.push(semi.getRight())
        .aggregate(b.groupKey(info.rightKeys.stream().map(b::field).toList())).build(); // distinct keys
    b.push(keys).push(scan);
    List<RexNode> on = new ArrayList<>();
    for (int i = 0; i < info.leftKeys.size(); i++) {
      on.add(b.equals(b.field(2, 0, i), b.field(2, 1, info.leftKeys.get(i))));
    }
    if (!(b.join(JoinRelType.INNER, on).build() instanceof LogicalJoin inner)) {
      return;
    }
    AccreteRules.Lookup lookup = AccreteRules.cheapestLookup(inner, scan, inner.analyzeCondition());
    if (lookup == null) {
      return;
    }
    RexNode condition = inner.getCondition();
    if (filtered) {
      LogicalFilter filter = call.rel(1);
      condition = RexUtil.composeConjunction(semi.getCluster().getRexBuilder(),
          List.of(condition, RexUtil.shift(filter.getCondition(), info.leftKeys.size())));
    }
    RelNode found = new AccreteLookupJoin(semi.getCluster(),
        inner.getTraitSet().replace(EnumerableConvention.INSTANCE),
        convert(keys, keys.getTraitSet().replace(EnumerableConvention.INSTANCE)), scan.with(lookup.spec()),
        condition, JoinRelType.INNER, lookup.leftKey(), lookup.spec());
    b.push(found);
    List<RexNode> scanFields = new ArrayList<>();
    for (int i = 0; i < scan.getRowType().getFieldCount(); i++) {
      scanFields.add(b.field(info.leftKeys.size() + i));
    }
    b.project(scanFields, semi.getRowType().getFieldNames(), true);
    call.transformTo(b.convert(semi.getRowType(), false).build());
  }
}
