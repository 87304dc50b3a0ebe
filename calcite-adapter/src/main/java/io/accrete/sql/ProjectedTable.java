package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.RelOptSchema;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelDistribution;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelReferentialConstraint;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A table as a scan that returns some of its columns sees it. Calcite's metadata takes a scan's
 * field numbers for the table's column numbers when it asks which columns are keys; a scan of
 * {@code (l_discount)} would otherwise claim {@code db__id}'s uniqueness, and Calcite would drop a
 * {@code GROUP BY l_discount}. Keys are translated here; everything else is the table's.
 */
final class ProjectedTable implements RelOptTable {
  private final RelOptTable base;
  private final int[] projection;
  private final RelDataType rowType;

  private ProjectedTable(RelOptTable base, int[] projection, RelDataType rowType) {
    this.base = base;
    this.projection = projection;
    this.rowType = rowType;
  }

  /** The table seen through a projection (table column numbers, in output order). */
  static RelOptTable of(RelOptTable table, int[] projection) {
    RelOptTable base = table instanceof ProjectedTable p ? p.base : table;
    List<RelDataTypeField> fields = base.getRowType().getFieldList();
    boolean identity = projection.length == fields.size();
    for (int i = 0; identity && i < projection.length; i++) {
      identity = projection[i] == i;
    }
    if (identity) {
      return base;
    }
    var b = base.getRelOptSchema().getTypeFactory().builder();
    for (int p : projection) {
      b.add(fields.get(p));
    }
    return new ProjectedTable(base, projection.clone(), b.build());
  }

  @Override
  public boolean isKey(ImmutableBitSet columns) {
    ImmutableBitSet.Builder b = ImmutableBitSet.builder();
    for (int c : columns) {
      b.set(projection[c]);
    }
    return base.isKey(b.build());
  }

  @Override
  public List<ImmutableBitSet> getKeys() {
    List<ImmutableBitSet> out = new ArrayList<>();
    for (ImmutableBitSet key : base.getKeys()) {
      ImmutableBitSet.Builder b = ImmutableBitSet.builder();
      boolean all = true;
      for (int c : key) {
        int at = indexOf(c);
        all &= at >= 0;
        if (at >= 0) {
          b.set(at);
        }
      }
      if (all) {
        out.add(b.build());
      }
    }
    return out;
  }

  private int indexOf(int column) {
    for (int i = 0; i < projection.length; i++) {
      if (projection[i] == column) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public RelDataType getRowType() {
    return rowType;
  }

  @Override
  public List<ColumnStrategy> getColumnStrategies() {
    List<ColumnStrategy> all = base.getColumnStrategies();
    List<ColumnStrategy> out = new ArrayList<>();
    for (int p : projection) {
      out.add(all.get(p));
    }
    return out;
  }

  @Override
  public List<String> getQualifiedName() {
    return base.getQualifiedName();
  }

  @Override
  public double getRowCount() {
    return base.getRowCount();
  }

  @Override
  public RelOptSchema getRelOptSchema() {
    return base.getRelOptSchema();
  }

  @Override
  public RelNode toRel(ToRelContext context) {
    return base.toRel(context);
  }

  @Override
  public List<RelCollation> getCollationList() {
    return List.of();
  }

  @Override
  public RelDistribution getDistribution() {
    return base.getDistribution();
  }

  @Override
  public List<RelReferentialConstraint> getReferentialConstraints() {
    return List.of();
  }

  @Override
  public Expression getExpression(Class clazz) {
    return base.getExpression(clazz);
  }

  @Override
  public RelOptTable extend(List<RelDataTypeField> extendedFields) {
    // Only the validator extends tables (FROM t (extra INT)), and it sees the table itself.
    throw new AccreteSqlException("Accrete tables take no extended columns: " + getQualifiedName());
  }

  @Override
  public <C> C unwrap(Class<C> c) {
    return base.unwrap(c);
  }
}
