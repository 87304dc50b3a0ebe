package io.accrete.sql;

import io.accrete.Database;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.Queryable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.schema.ModifiableTable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.InitializerExpressionFactory;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TemporalTable;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A table over a database value. Every table is temporal (it can be read {@code FOR SYSTEM_TIME AS
 * OF} any moment) and translates to an {@link AccreteTableScan}, which the rules in
 * {@link AccreteRules} give filters, projections, limits and time travel.
 *
 * <p>{@code INSERT}, {@code UPDATE} and {@code DELETE} become an {@link AccreteTableModify}
 * (system tables refuse them).
 */
abstract class AccreteTable extends AbstractTable
    implements TranslatableTable, TemporalTable, ModifiableTable {
  final SqlSession session;
  final String name;
  final List<Column> columns;

  AccreteTable(SqlSession session, String name, List<Column> columns) {
    this.session = session;
    this.name = name;
    this.columns = List.copyOf(columns);
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (Column c : columns) {
      b.add(c.name(), columnType(c, f));
    }
    return b.build();
  }

  /** A column's SQL type (a table SQL created may declare a narrower one). */
  RelDataType columnType(Column c, RelDataTypeFactory f) {
    return c.sqlType(f);
  }

  @Override
  public Statistic getStatistic() {
    return Statistics.of(rowCount(session.latest()), keys());
  }

  /** Estimated rows in the table at present. */
  abstract double rowCount(Database db);

  /** Column sets whose values are unique. */
  List<ImmutableBitSet> keys() {
    return List.of();
  }

  /**
   * How a scan with these conditions reads the indexes. The default reads everything and lets
   * the scan filter.
   */
  Access access(ScanSpec spec, Database db) {
    return Access.scan(describeScan(), rowCount(db));
  }

  String describeScan() {
    return "all";
  }

  /**
   * Entity lookups when a condition names values of column 0 (an entity id), else a full read.
   * Each id yields about {@code rowsPerId} rows.
   */
  Access idsOrScan(ScanSpec spec, Database db, String index, double rowsPerId) {
    for (int i = 0; i < spec.conditions.size(); i++) {
      Condition c = spec.conditions.get(i);
      if (c.column == 0 && c.isPoints()) {
        return new Access(Access.Type.IDS, i, index, c.intervals.size() * rowsPerId);
      }
    }
    return Access.scan(describeScan(), rowCount(db));
  }

  /** The entity ids an {@link Access.Type#IDS} access names. */
  static List<Object> ids(ScanSpec spec, List<Condition.Bound> bound) {
    return bound.get(spec.access.condition()).points();
  }

  /**
   * The rows of the table for a scan: all columns the scan needs filled (others may be null),
   * possibly narrowed by the access path; the scan still tests every condition. {@code bound}
   * holds the scan's conditions, in order, with their values. A table may hand out the same
   * array for every row: the scan copies what it keeps before asking for the next.
   */
  abstract Iterator<Object[]> rows(Database db, ScanSpec spec, List<Condition.Bound> bound);

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    RelOptCluster cluster = context.getCluster();
    return new AccreteTableScan(cluster, cluster.traitSetOf(AccreteTableScan.CONVENTION),
        relOptTable, ScanSpec.of(this, session.latest()));
  }

  // Accrete keeps time per datom, not per row: these names exist only for Calcite's validator.
  @Override
  public String getSysStartFieldName() {
    return "db__valid_from";
  }

  @Override
  public String getSysEndFieldName() {
    return "db__valid_to";
  }

  static AccreteSqlException readOnly(String table) {
    return new AccreteSqlException("42809", table + " cannot be changed this way");
  }

  @Override
  public TableModify toModificationRel(RelOptCluster cluster, RelOptTable table,
      Prepare.CatalogReader catalogReader, RelNode child, TableModify.Operation operation,
      List<String> updateColumnList, List<RexNode> sourceExpressionList, boolean flattened) {
    if (!(this instanceof EntityTable) && !(this instanceof ManyTable)) {
      throw new AccreteSqlException("42809", name + " is a system table: it cannot be changed");
    }
    OnConflict conflict = operation == TableModify.Operation.INSERT ? OnConflict.take(name) : null;
    if (conflict != null) {
      conflict = ((EntityTable) this).checkConflict(conflict);
    }
    return AccreteTableModify.of(this, cluster, table, catalogReader, castToColumns(child, table, operation,
        updateColumnList), operation, updateColumnList, sourceExpressionList, flattened, conflict);
  }

  /**
   * The rows to write with each value in its column's type. The validator lets a DATE parameter be
   * assigned to a TIMESTAMP column, for one, and leaves the conversion to the writer.
   */
  private static RelNode castToColumns(RelNode child, RelOptTable table, TableModify.Operation operation,
      List<String> updateColumnList) {
    List<RelDataTypeField> columns = table.getRowType().getFieldList();
    List<RelDataTypeField> fields = child.getRowType().getFieldList();
    RexBuilder rex = child.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>(fields.size());
    boolean changed = false;
    for (int i = 0; i < fields.size(); i++) {
      RelDataType target = null;
      if (operation == TableModify.Operation.INSERT && i < columns.size()) {
        target = columns.get(i).getType();
      } else if (operation == TableModify.Operation.UPDATE && i >= columns.size()
          && i - columns.size() < updateColumnList.size()) {
        RelDataTypeField column = table.getRowType().getField(updateColumnList.get(i - columns.size()), false, false);
        target = column == null ? null : column.getType();
      }
      RexNode ref = rex.makeInputRef(child, i);
      RelDataType type = fields.get(i).getType();
      if (target != null && type.getSqlTypeName() != target.getSqlTypeName()
          && type.getSqlTypeName() != SqlTypeName.NULL
          && SqlTypeUtil.isDatetime(type) && SqlTypeUtil.isDatetime(target)) {
        projects.add(rex.makeCast(rex.getTypeFactory().createTypeWithNullability(target, type.isNullable()), ref));
        changed = true;
      } else {
        projects.add(ref);
      }
    }
    return changed ? RelOptUtil.createProject(child, projects, child.getRowType().getFieldNames()) : child;
  }

  @Override
  public Collection<?> getModifiableCollection() {
    throw readOnly(name);
  }

  @Override
  public <T> Queryable<T> asQueryable(QueryProvider queryProvider, SchemaPlus schema, String tableName) {
    // Scans never ask (they are TranslatableTable's toRel); only a modification would.
    throw readOnly(name);
  }

  @Override
  public Type getElementType() {
    return Object[].class;
  }

  @Override
  public Expression getExpression(SchemaPlus schema, String tableName, Class clazz) {
    // Only a table modification asks for this (scans never do): UPDATE and DELETE end here.
    throw readOnly(name);
  }

  @Override
  public <C> C unwrap(Class<C> c) {
    if (c == InitializerExpressionFactory.class) {
      // Every column may be left out of an INSERT: it gets its DEFAULT, else NULL.
      return c.cast(new NullInitializerExpressionFactory() {
        @Override
        public ColumnStrategy generationStrategy(RelOptTable t, int column) {
          return ColumnStrategy.DEFAULT;
        }

        @Override
        public RexNode newColumnDefaultValue(RelOptTable t, int column, InitializerContext context) {
          String sql = defaultSql(column);
          if (sql == null) {
            return super.newColumnDefaultValue(t, column, context);
          }
          RexNode value = context.convertExpression(context.parseExpression(
              org.apache.calcite.sql.parser.SqlParser.config().withCaseSensitive(true)
                  .withUnquotedCasing(org.apache.calcite.avatica.util.Casing.TO_LOWER)
                  .withQuotedCasing(org.apache.calcite.avatica.util.Casing.UNCHANGED), sql));
          RelDataType type = t.getRowType().getFieldList().get(column).getType();
          return context.getRexBuilder().makeCast(type, value, true, false);
        }
      });
    }
    return super.unwrap(c);
  }

  /** The DEFAULT expression of the table's {@code column}-th column (as SQL sees the table), or null. */
  String defaultSql(int column) {
    return null;
  }
}
