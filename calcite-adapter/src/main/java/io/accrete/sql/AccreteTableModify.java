package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;

/**
 * {@code INSERT}, {@code UPDATE} and {@code DELETE} of an Accrete table, planned as Calcite
 * plans them (the source rows are an ordinary query) and run by {@link Modification}, which
 * turns the rows into one transaction. The logical node registers the rule that makes it
 * enumerable, so a plan without any Accrete scan ({@code INSERT … VALUES}) finds it too.
 */
final class AccreteTableModify extends TableModify {
  /** An INSERT's ON CONFLICT clause, or null. */
  final OnConflict conflict;

  AccreteTableModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, Prepare.CatalogReader catalog,
      RelNode input, Operation op, List<String> updateColumns, List<RexNode> sources, boolean flattened,
      OnConflict conflict) {
    super(cluster, traits, table, catalog, input, op, updateColumns, sources, flattened);
    this.conflict = conflict;
  }

  /** The logical node for a table's modification; UPDATE and DELETE get the entity id as the input's last field. */
  static AccreteTableModify of(AccreteTable target, RelOptCluster cluster, RelOptTable table,
      Prepare.CatalogReader catalog, RelNode child, Operation op, List<String> updateColumns,
      List<RexNode> sources, boolean flattened, OnConflict conflict) {
    RelNode input = child;
    if ((op == Operation.UPDATE || op == Operation.DELETE) && target instanceof EntityTable e && e.sqlCreated()) {
      input = withId(child, target);
    }
    if ((op == Operation.INSERT || op == Operation.UPDATE) && target instanceof EntityTable e && e.sqlCreated()
        && !e.def.checks().isEmpty()) {
      input = withChecks(input, e, op == Operation.UPDATE ? updateColumns : List.of());
    }
    return new AccreteTableModify(cluster, cluster.traitSetOf(Convention.NONE), table, catalog, input, op,
        updateColumns, sources, flattened, conflict);
  }

  /**
   * The same rows with each CHECK constraint's value for the new row appended, after every other
   * field ({@link Modification} refuses a row for which one is FALSE). An UPDATE's new row reads
   * the updated columns from their new values, which follow the table's columns.
   */
  private static RelNode withChecks(RelNode input, EntityTable t, List<String> updated) {
    RexBuilder rex = input.getCluster().getRexBuilder();
    int declared = t.columns.size() - 1;
    List<RexNode> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>(input.getRowType().getFieldNames());
    for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
      exprs.add(rex.makeInputRef(input, i));
    }
    for (String check : t.def.checks()) {
      exprs.add(CheckExpressions.toRex(check, rex, input.getRowType(), name -> {
        int u = updated.indexOf(name);
        if (u >= 0) {
          return declared + u;
        }
        for (int c = 1; c < t.columns.size(); c++) {
          if (t.columns.get(c).name().equals(name)) {
            return c - 1;
          }
        }
        return -1;
      }));
      names.add("check$" + names.size());
    }
    return org.apache.calcite.rel.logical.LogicalProject.create(input, List.of(), exprs, names, java.util.Set.of());
  }

  /** The same rows with the target table's entity id appended as the last field. */
  private static RelNode withId(RelNode node, AccreteTable target) {
    Object[] found = findId(node, target);
    RelNode rel = (RelNode) found[0];
    int id = (Integer) found[1];
    if (id == rel.getRowType().getFieldCount() - 1 && rel != node) {
      return rel;
    }
    List<RexNode> exprs = new ArrayList<>();
    for (int i = 0; i < node.getRowType().getFieldCount(); i++) {
      exprs.add(rel.getCluster().getRexBuilder().makeInputRef(rel, i));
    }
    exprs.add(rel.getCluster().getRexBuilder().makeInputRef(rel, id));
    List<String> names = new ArrayList<>(node.getRowType().getFieldNames());
    names.add("db__id$");
    return org.apache.calcite.rel.logical.LogicalProject.create(rel, List.of(), exprs, names, java.util.Set.of());
  }

  /** As {@link #findId}, or null when the target is not under this node in a form it knows. */
  private static Object[] findIdOrNull(RelNode node, AccreteTable target) {
    try {
      return findId(node, target);
    } catch (AccreteSqlException e) {
      return null;
    }
  }

  /** The node rebuilt so that its rows carry the entity id, and the id's field number. */
  private static Object[] findId(RelNode node, AccreteTable target) {
    if (node instanceof AccreteTableScan scan && scan.spec.table == target) {
      for (int i = 0; i < scan.spec.projection.length; i++) {
        if (scan.spec.projection[i] == 0) {
          return new Object[] {node, i}; // db__id is table column 0
        }
      }
      ScanSpec wider = scan.spec.withColumnAppended(0); // trimmed away: read it again, last
      return new Object[] {scan.with(wider), wider.projection.length - 1};
    }
    if (node instanceof Project p) {
      Object[] below = findId(p.getInput(), target);
      RelNode in = (RelNode) below[0];
      List<RexNode> exprs = new ArrayList<>(p.getProjects());
      exprs.add(p.getCluster().getRexBuilder().makeInputRef(in, (Integer) below[1]));
      List<String> names = new ArrayList<>(p.getRowType().getFieldNames());
      names.add("db__id$");
      return new Object[] {p.copy(p.getTraitSet(), in, exprs,
          p.getCluster().getTypeFactory().createStructType(exprs.stream().map(RexNode::getType).toList(), names)),
          exprs.size() - 1};
    }
    if (node instanceof Filter f) {
      Object[] below = findId(f.getInput(), target);
      return new Object[] {f.copy(f.getTraitSet(), (RelNode) below[0], f.getCondition()), below[1]};
    }
    if (node instanceof org.apache.calcite.rel.core.Join j && j.getJoinType().projectsRight()) {
      // UPDATE … FROM and subqueries: the target is one side of a join.
      int leftCount = j.getLeft().getRowType().getFieldCount();
      Object[] left = findIdOrNull(j.getLeft(), target);
      if (left != null) {
        RelNode newLeft = (RelNode) left[0];
        org.apache.calcite.rex.RexBuilder rex = j.getCluster().getRexBuilder();
        RexNode condition = org.apache.calcite.rex.RexUtil.shift(j.getCondition(), leftCount, 1);
        RelNode joined = j.copy(j.getTraitSet(), condition, newLeft, j.getRight(), j.getJoinType(), j.isSemiJoinDone());
        // The join's own columns where they were, the id last.
        List<RexNode> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int total = j.getRowType().getFieldCount();
        for (int i = 0; i < total; i++) {
          exprs.add(rex.makeInputRef(joined, i < leftCount ? i : i + 1));
          names.add(j.getRowType().getFieldNames().get(i));
        }
        exprs.add(rex.makeInputRef(joined, (Integer) left[1]));
        names.add("db__id$");
        return new Object[] {org.apache.calcite.rel.logical.LogicalProject.create(joined, List.of(), exprs, names,
            java.util.Set.of()), total};
      }
      Object[] right = findIdOrNull(j.getRight(), target);
      if (right != null) {
        RelNode joined = j.copy(j.getTraitSet(), j.getCondition(), j.getLeft(), (RelNode) right[0], j.getJoinType(),
            j.isSemiJoinDone());
        return new Object[] {joined, leftCount + (Integer) right[1]};
      }
    }
    throw new AccreteSqlException("0A000", "this form of UPDATE or DELETE of " + target.name
        + " is not supported yet (" + node.getRelTypeName() + " over the table)");
  }

  /** What runs a modification's source rows ({@code scalarRows}: one-column rows come as bare values). */
  static Modification modification(TableModify modify, OnConflict conflict, boolean scalarRows) {
    AccreteTable table = modify.getTable().unwrap(AccreteTable.class);
    List<String> updates = modify.getUpdateColumnList() == null ? List.of() : modify.getUpdateColumnList();
    int fields = modify.getInput().getRowType().getFieldCount();
    int expected = fields;
    if (table instanceof EntityTable e && e.sqlCreated() && modify.getOperation() != Operation.DELETE) {
      // declared columns, an UPDATE's new values and the entity id; CHECK values follow
      expected = e.columns.size() - 1 + (modify.getOperation() == Operation.UPDATE ? updates.size() + 1 : 0);
    }
    return new Modification(table, modify.getOperation(), updates, scalarRows, expected, fields - expected, conflict);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new AccreteTableModify(getCluster(), traitSet, getTable(), getCatalogReader(), sole(inputs),
        getOperation(), getUpdateColumnList(), getSourceExpressionList(), isFlattened(), conflict);
  }

  @Override
  public void register(RelOptPlanner planner) {
    planner.addRule(RULE);
  }

  static final ConverterRule RULE = ConverterRule.Config.INSTANCE
      .withConversion(AccreteTableModify.class, Convention.NONE, EnumerableConvention.INSTANCE,
          "AccreteTableModifyRule")
      .withRuleFactory(Rule::new)
      .toRule(Rule.class);

  /** Makes the modification enumerable. */
  static final class Rule extends ConverterRule {
    Rule(Config config) {
      super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
      AccreteTableModify m = (AccreteTableModify) rel;
      RelTraitSet traits = m.getTraitSet().replace(EnumerableConvention.INSTANCE);
      return new Enumerable(m.getCluster(), traits, m.getTable(), m.getCatalogReader(),
          convert(m.getInput(), m.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE)),
          m.getOperation(), m.getUpdateColumnList(), m.getSourceExpressionList(), m.isFlattened(), m.conflict);
    }
  }

  /** The runnable modification: its input's rows go to {@link Modification#run}. */
  static final class Enumerable extends TableModify implements EnumerableRel {
    private final OnConflict conflict;

    Enumerable(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, Prepare.CatalogReader catalog,
        RelNode input, Operation op, List<String> updateColumns, List<RexNode> sources, boolean flattened,
        OnConflict conflict) {
      super(cluster, traits, table, catalog, input, op, updateColumns, sources, flattened);
      this.conflict = conflict;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return new Enumerable(getCluster(), traitSet, getTable(), getCatalogReader(), sole(inputs), getOperation(),
          getUpdateColumnList(), getSourceExpressionList(), isFlattened(), conflict);
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
      return planner.getCostFactory().makeTinyCost();
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      BlockBuilder builder = new BlockBuilder();
      EnumerableRel input = typedValues((EnumerableRel) getInput());
      if (input != getInput()) {
        replaceInput(0, input); // planning is over: the plan is only being written out
      }
      Result child = implementor.visitChild(this, 0, input, Prefer.ARRAY);
      Expression rows = builder.append("rows", child.block);
      Modification m = modification(this, conflict, child.format == JavaRowFormat.SCALAR);
      Expression spec = implementor.stash(m, Modification.class);
      PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.SCALAR, false);
      builder.add(Expressions.return_(null, Expressions.call(spec, Modification.RUN, DataContext.ROOT, rows)));
      return implementor.result(physType, builder.toBlock());
    }

    /**
     * VALUES whose literals all have their fields' types. Calcite's reduction of a cast over VALUES
     * can leave a DECIMAL literal (2.5) in a DOUBLE field when another row has a NULL there, which
     * its code generator refuses; the value is the same, so the literal is made again in the
     * field's type.
     */
    private static EnumerableRel typedValues(EnumerableRel input) {
      if (!(input instanceof org.apache.calcite.adapter.enumerable.EnumerableValues values)) {
        return input;
      }
      org.apache.calcite.rex.RexBuilder rex = values.getCluster().getRexBuilder();
      List<org.apache.calcite.rel.type.RelDataTypeField> fields = values.getRowType().getFieldList();
      boolean changed = false;
      com.google.common.collect.ImmutableList.Builder<com.google.common.collect.ImmutableList<org.apache.calcite.rex.RexLiteral>> tuples =
          com.google.common.collect.ImmutableList.builder();
      for (List<org.apache.calcite.rex.RexLiteral> tuple : values.getTuples()) {
        com.google.common.collect.ImmutableList.Builder<org.apache.calcite.rex.RexLiteral> row =
            com.google.common.collect.ImmutableList.builder();
        for (int i = 0; i < tuple.size(); i++) {
          org.apache.calcite.rex.RexLiteral lit = tuple.get(i);
          org.apache.calcite.rel.type.RelDataType type = fields.get(i).getType();
          if (!lit.isNull() && lit.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.DECIMAL
              && org.apache.calcite.sql.type.SqlTypeName.APPROX_TYPES.contains(type.getSqlTypeName())) {
            lit = (org.apache.calcite.rex.RexLiteral) rex.makeApproxLiteral(lit.getValueAs(java.math.BigDecimal.class), type);
            changed = true;
          }
          row.add(lit);
        }
        tuples.add(row.build());
      }
      return changed ? org.apache.calcite.adapter.enumerable.EnumerableValues.create(values.getCluster(),
          values.getRowType(), tuples.build()) : input;
    }
  }
}
