package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A read of one {@link AccreteTable}: the access path, the conditions, columns, limit and time
 * travel pushed into it. EXPLAIN shows all of them; {@link AccreteToEnumerableConverter} runs it.
 */
public final class AccreteTableScan extends TableScan {
  /** Accrete's calling convention: a scan is executed by {@link AccreteToEnumerableConverter}. */
  public static final Convention CONVENTION = new Convention.Impl("ACCRETE", AccreteTableScan.class);

  final ScanSpec spec;

  AccreteTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, ScanSpec spec) {
    super(cluster, traits, List.of(), table);
    this.spec = spec;
  }

  AccreteTableScan with(ScanSpec s) {
    return new AccreteTableScan(getCluster(), getTraitSet(), ProjectedTable.of(getTable(), s.projection), s);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new AccreteTableScan(getCluster(), traitSet, getTable(), spec);
  }

  /**
   * Calcite's field trimmer asks the scan for the fields a query uses: answer with a scan that
   * reads only those attributes.
   */
  @Override
  public RelNode project(ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields,
      RelBuilder relBuilder) {
    if (!extraFields.isEmpty() || fieldsUsed.cardinality() == getRowType().getFieldCount()) {
      return super.project(fieldsUsed, extraFields, relBuilder);
    }
    return with(spec.withProjection(fieldsUsed.toArray()));
  }

  @Override
  public void register(RelOptPlanner planner) {
    planner.addRule(AccreteToEnumerableConverter.RULE);
    // Scans come in entity order, never in a join key's: a merge join would sort both inputs
    // whole, and Calcite's cost model underrates those sorts. Hash and lookup joins do better.
    planner.removeRule(org.apache.calcite.adapter.enumerable.EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
    AccreteRules.RULES.forEach(planner::addRule);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    List<String> names = new ArrayList<>();
    for (int p : spec.projection) {
      names.add(spec.table.columns.get(p).name());
    }
    return super.explainTerms(pw)
        .item("index", spec.access.describe())
        .itemIf("filter", spec.describeConditions(), !spec.conditions.isEmpty())
        // The digest must tell a reordering of the columns from the table's order, or the planner
        // takes the two scans for one (SELECT t, tx FROM transactions answered tx, t).
        .itemIf("columns", names, !isIdentity(spec.projection, spec.table.columns.size()))
        .itemIf("limit", spec.limit, spec.limit >= 0)
        .itemIf("time", spec.time, spec.time != null);
  }

  private static boolean isIdentity(int[] projection, int columns) {
    if (projection.length != columns) {
      return false;
    }
    for (int i = 0; i < projection.length; i++) {
      if (projection[i] != i) {
        return false;
      }
    }
    return true;
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return spec.estimatedRows();
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double read = spec.access.rows();
    double columns = spec.needed().cardinality() + 1;
    // Reading fewer attributes and fewer rows costs less: that is what makes pushdown win.
    return planner.getCostFactory().makeCost(spec.estimatedRows(), read * columns * 0.5, read * columns);
  }
}
