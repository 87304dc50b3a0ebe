package io.accrete.sql;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterImpl;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/**
 * Runs an {@link AccreteTableScan} for Calcite's generated code: the scan's spec is stashed in
 * the statement's context and {@link ScanSpec#enumerate} produces the rows.
 */
final class AccreteToEnumerableConverter extends ConverterImpl implements EnumerableRel {
  static final ConverterRule RULE = ConverterRule.Config.INSTANCE
      .withConversion(AccreteTableScan.class, AccreteTableScan.CONVENTION,
          EnumerableConvention.INSTANCE, "AccreteToEnumerableConverterRule")
      .withRuleFactory(Rule::new)
      .toRule(Rule.class);

  AccreteToEnumerableConverter(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
    super(cluster, ConventionTraitDef.INSTANCE, traits, input);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new AccreteToEnumerableConverter(getCluster(), traitSet, sole(inputs));
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return planner.getCostFactory().makeTinyCost();
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    AccreteTableScan scan = (AccreteTableScan) getInput();
    int fields = getRowType().getFieldCount();
    // Rows are arrays, except that a single column travels as its bare value, as Calcite's own
    // operators expect of one-column inputs.
    JavaRowFormat format = fields == 1 ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY;
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), format, false);
    Expression spec = implementor.stash(scan.spec, ScanSpec.class);
    String method = format == JavaRowFormat.SCALAR ? "enumerateScalar" : "enumerate";
    return implementor.result(physType,
        Blocks.toBlock(Expressions.call(spec, method, DataContext.ROOT)));
  }

  /** Converts scans to the enumerable convention. */
  static final class Rule extends ConverterRule {
    Rule(Config config) {
      super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
      RelTraitSet traits = rel.getTraitSet().replace(EnumerableConvention.INSTANCE);
      return new AccreteToEnumerableConverter(rel.getCluster(), traits, rel);
    }
  }
}
