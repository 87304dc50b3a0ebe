package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import java.util.Map;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import io.accrete.Keyword;
import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * The table of one attribute namespace: a row per entity with at least one attribute of the
 * namespace, {@code db__id} and a column per card-one attribute.
 */
final class EntityTable extends AccreteTable {
  final String namespace;
  /** The attributes whose values make an entity a row (all of the namespace's, or its row marker). */
  final long[] members;
  /** What SQL declared, for a table SQL created (its {@code db__id} is then hidden); else null. */
  final TableDef def;
  private final Map<String, Attribute> byColumn;
  private final long[] attributeIds;

  EntityTable(SqlSession session, String name, String namespace, List<Column> columns, long[] members,
      TableDef def, Map<String, Attribute> byColumn, long[] attributeIds) {
    super(session, name, columns);
    this.namespace = namespace;
    this.members = members;
    this.def = def;
    this.byColumn = Map.copyOf(byColumn);
    this.attributeIds = attributeIds;
  }

  /**
   * Checks that an INSERT's ON CONFLICT clause names this table's unique columns; the clause with
   * the columns of the constraint it names ({@code ON CONSTRAINT}) as its target.
   */
  OnConflict checkConflict(OnConflict conflict) {
    OnConflict c = conflict;
    if (c.constraint() != null) {
      String d = def == null ? null : def.constraints(name).get(c.constraint());
      if (d == null) {
        throw new AccreteSqlException("42704", "constraint \"" + c.constraint() + "\" for table \"" + name
            + "\" does not exist");
      }
      if (d.equals("PRIMARY KEY")) {
        c = c.withTarget(def.primaryKey());
      } else if (d.startsWith("UNIQUE (")) {
        c = c.withTarget(List.of(d.substring("UNIQUE (".length(), d.length() - 1).split(",")));
      } else {
        throw new AccreteSqlException("42809", "constraint \"" + c.constraint() + "\" is no unique constraint:"
            + " ON CONFLICT needs one");
      }
    }
    for (String col : c.target()) {
      Attribute a = byColumn.get(col);
      if (a == null || !a.isUnique()) {
        throw new AccreteSqlException("42P10", "there is no unique or exclusion constraint matching the ON CONFLICT"
            + " specification (" + col + " of " + name + ")");
      }
    }
    if (c.set() != null) {
      for (Map.Entry<String, Object> e : c.set().entrySet()) {
        if (byColumn.get(e.getKey()) == null
            || (e.getValue() instanceof OnConflict.Excluded x && byColumn.get(x.column()) == null)) {
          throw new AccreteSqlException("42703", "column \"" + (byColumn.get(e.getKey()) == null ? e.getKey()
              : ((OnConflict.Excluded) e.getValue()).column()) + "\" of relation \"" + name + "\" does not exist");
        }
      }
    }
    return c;
  }

  /** Whether SQL created this table (CREATE TABLE): it has a row marker and a definition. */
  boolean sqlCreated() {
    return def != null;
  }

  /** The attribute behind a column name (card-many ones included), or null. */
  Attribute attributeOf(String column) {
    return byColumn.get(column);
  }

  /** Whether another mapping's table is this one: the same attributes under the same column names. */
  boolean sameAs(EntityTable other) {
    return java.util.Arrays.equals(attributeIds, other.attributeIds) && columns.equals(other.columns)
        && java.util.Objects.equals(def, other.def);
  }

  /** Every attribute of the table's namespace (row marker and card-many ones included). */
  long[] attributeIds() {
    return attributeIds.clone();
  }

  /** A table SQL created shows its declared columns only, as PostgreSQL does; {@code db__id} stays inside. */
  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataType full = super.getRowType(f);
    if (def == null) {
      return full;
    }
    RelDataTypeFactory.Builder b = f.builder();
    for (int i = 1; i < full.getFieldCount(); i++) {
      b.add(full.getFieldList().get(i));
    }
    return b.build();
  }

  @Override
  String defaultSql(int column) {
    if (def == null) {
      return null;
    }
    TableDef.Col c = def.column(columns.get(column + 1).name());
    return c == null ? null : c.defaultSql();
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("(?:NUMERIC|DECIMAL|DEC)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

  /** NUMERIC(p, s) as declared: DECIMAL(p, s). */
  @Override
  RelDataType columnType(Column c, RelDataTypeFactory f) {
    TableDef.Col d = def == null ? null : def.column(c.name());
    if (d != null) {
      java.util.regex.Matcher m = DECIMAL.matcher(d.type());
      if (m.find()) {
        int p = Math.min(Integer.parseInt(m.group(1)), f.getTypeSystem().getMaxNumericPrecision());
        int s = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return f.createTypeWithNullability(
            f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.DECIMAL, p, Math.min(s, p)), true);
      }
    }
    return super.columnType(c, f);
  }

  /** The row type with {@code db__id} (column 0), as scans produce it. */
  RelDataType fullRowType(RelDataTypeFactory f) {
    return super.getRowType(f);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    if (def == null) {
      return super.toRel(context, relOptTable);
    }
    RelOptCluster cluster = context.getCluster();
    RelOptTable full = relOptTable.getRowType().getFieldCount() == columns.size() ? relOptTable
        : RelOptTableImpl.create(relOptTable.getRelOptSchema(), fullRowType(cluster.getTypeFactory()),
            relOptTable.getQualifiedName(), this, (Expression) null);
    // A scan that reads every column but db__id: the declared columns, in order.
    int[] declared = new int[columns.size() - 1];
    for (int i = 0; i < declared.length; i++) {
      declared[i] = i + 1;
    }
    AccreteTableScan scan = new AccreteTableScan(cluster, cluster.traitSetOf(AccreteTableScan.CONVENTION), full,
        ScanSpec.of(this, session.latest()));
    return scan.with(scan.spec.withProjection(declared));
  }

  @Override
  double rowCount(Database db) {
    long max = 1;
    for (long a : members) {
      max = Math.max(max, IndexStats.count(db, a));
    }
    return max;
  }

  @Override
  List<ImmutableBitSet> keys() {
    if (def != null) {
      // Its scans see db__id, Calcite's view of the table does not: one key list cannot serve both.
      return List.of();
    }
    List<ImmutableBitSet> keys = new ArrayList<>();
    keys.add(ImmutableBitSet.of(0));
    for (int i = 1; i < columns.size(); i++) {
      Column c = columns.get(i);
      if (c.kind() == Column.Kind.VALUE && c.attr().isUnique()) {
        keys.add(ImmutableBitSet.of(i));
      }
    }
    return keys;
  }

  private String ident(long a) {
    Keyword k = session.latest().ident(a);
    return k == null ? String.valueOf(a) : k.toString().substring(1);
  }

  /**
   * The cheapest way to read the scan's rows. A merge of AEVT ranges costs a step per datom of
   * every attribute it merges; reading ids from an index costs a seek per id and attribute read,
   * a few times a step: a range that keeps half the table is cheaper merged than looked up.
   */
  @Override
  Access access(ScanSpec spec, Database db) {
    java.util.BitSet needed = spec.needed();
    java.util.Set<Long> read = new java.util.HashSet<>();
    for (int c = needed.nextSetBit(0); c >= 0; c = needed.nextSetBit(c + 1)) {
      if (columns.get(c).attr() != null) {
        read.add(columns.get(c).attr().id());
      }
    }
    boolean narrowed = false;
    for (Condition c : spec.conditions) {
      narrowed |= c.rejectsNull() && columns.get(c.column).attr() != null;
    }
    int merged = narrowed ? Math.max(1, read.size()) : members.length;
    double rows = rowCount(db);
    Access best = Access.scan(merged == 1 ? "AEVT " + ident(narrowed ? read.iterator().next() : members[0])
        : "AEVT, merging " + merged + " attributes", rows);
    double bestCost = rows * merged;
    final double seek = 4;
    for (int i = 0; i < spec.conditions.size(); i++) {
      Condition c = spec.conditions.get(i);
      Column col = columns.get(c.column);
      Access a = null;
      double cost = Double.MAX_VALUE;
      if (col.kind() == Column.Kind.ID && c.isPoints()) {
        a = new Access(Access.Type.IDS, i, "EAVT db__id", c.intervals.size());
        cost = a.rows() * (read.size() + 1) * seek;
      } else if ((col.kind() == Column.Kind.VALUE && (c.isPoints() || c.isRanges()) && col.naturalOrder())
          || (col.kind() == Column.Kind.IDENT && c.isPoints())) {
        String index = col.attr().isRef() && c.isPoints() ? "VAET " : "AVET ";
        a = new Access(Access.Type.VALUES, i, index + col.attr().ident().toString().substring(1),
            estimate(db, col, c));
        cost = a.rows() * (1 + read.size() * seek);
      }
      if (a != null && cost < bestCost) {
        best = a;
        bestCost = cost;
      }
    }
    return best;
  }

  private double estimate(Database db, Column col, Condition c) {
    long a = col.attr().id();
    double rows = 0;
    for (Condition.Interval i : c.intervals) {
      if (!known(i.lo()) || !known(i.hi())) {
        // A parameter or an outer row's key: a point yields the average rows per value.
        rows += i.isPoint() ? IndexStats.rowsPerValue(db, col.attr())
            : Math.max(1, IndexStats.count(db, a) / 4.0);
        continue;
      }
      Object lo = i.lo() == null ? null : seekValue(db, col, i.lo().literal());
      Object hi = i.hi() == null ? null : seekValue(db, col, i.hi().literal());
      if (lo == SqlTypes.NO_VALUE || hi == SqlTypes.NO_VALUE) {
        continue;
      }
      rows += IndexStats.countRange(db, a, lo, hi);
    }
    return Math.max(rows, 1);
  }

  private static boolean known(Condition.Operand o) {
    return o == null || (o.param() < 0 && o.outer() < 0);
  }

  /** The Accrete value to seek for a condition value of a column (an ident names its entity). */
  static Object seekValue(Database db, Column col, Object internal) {
    if (col.kind() == Column.Kind.IDENT) {
      Object k = SqlTypes.toAccrete(ValueType.KEYWORD, internal);
      if (k == SqlTypes.NO_VALUE) {
        return k;
      }
      Long id = db.entid(k);
      return id == null ? SqlTypes.NO_VALUE : id;
    }
    return col.seekValue(internal);
  }

  @Override
  Iterator<Object[]> rows(Database db, ScanSpec spec, List<Condition.Bound> bound) {
    EntityRows.Layout layout = spec.memo(() -> EntityRows.Layout.of(this, spec));
    return new EntityRows(this, db, spec, layout, bound).iterator();
  }
}
