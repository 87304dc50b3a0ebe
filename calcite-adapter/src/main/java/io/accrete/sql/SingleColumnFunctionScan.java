package io.accrete.sql;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableTableFunctionScan;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.Program;

/**
 * A table function of one column ({@code generate_series}, a one-variable {@code datalog}) whose
 * rows leave it as plain values. Calcite's scan hands out one-element arrays while the operators
 * above it (sort, limit) take a one-column row to be the value itself, so {@code ORDER BY} over
 * such a function answered with arrays' names; this scan unwraps them.
 */
final class SingleColumnFunctionScan extends EnumerableTableFunctionScan {
  private SingleColumnFunctionScan(EnumerableTableFunctionScan scan) {
    super(scan.getCluster(), scan.getTraitSet(), scan.getInputs(), scan.getElementType(), scan.getRowType(),
        scan.getCall(), scan.getColumnMappings());
  }

  /** The last step of planning: every one-column function scan of the plan becomes this one. */
  static Program program() {
    return (planner, rel, traits, materializations, lattices) -> rel.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(RelNode other) { // a physical scan comes here, not to visit(TableFunctionScan)
        RelNode visited = super.visit(other);
        return visited instanceof EnumerableTableFunctionScan e && !(e instanceof SingleColumnFunctionScan)
            && e.getRowType().getFieldCount() == 1 ? new SingleColumnFunctionScan(e) : visited;
      }
    });
  }

  @Override
  public EnumerableTableFunctionScan copy(RelTraitSet traitSet, List<RelNode> inputs, RexNode call,
      java.lang.reflect.Type elementType, org.apache.calcite.rel.type.RelDataType rowType,
      java.util.Set<org.apache.calcite.rel.metadata.RelColumnMapping> columnMappings) {
    return new SingleColumnFunctionScan(super.copy(traitSet, inputs, call, elementType, rowType, columnMappings));
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    Result rows = super.implement(implementor, pref);
    if (rows.format != JavaRowFormat.ARRAY) {
      return rows;
    }
    BlockBuilder block = new BlockBuilder();
    Expression arrays = block.append("arrays", rows.block);
    PhysType values = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.SCALAR);
    block.add(Expressions.return_(null, rows.physType.convertTo(arrays, JavaRowFormat.SCALAR)));
    return implementor.result(values, block.toBlock());
  }
}
