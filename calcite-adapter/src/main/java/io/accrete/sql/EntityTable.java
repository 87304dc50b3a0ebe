package io.accrete.sql;

import io.accrete.Database;
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
  /** Every attribute of the namespace, card-many ones included: they make an entity a row. */
  final long[] members;

  EntityTable(SqlSession session, String name, String namespace, List<Column> columns, long[] members) {
    super(session, name, columns);
    this.namespace = namespace;
    this.members = members;
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
    return SqlTypes.toAccrete(col.type(), internal);
  }

  @Override
  Iterator<Object[]> rows(Database db, ScanSpec spec, List<Condition.Bound> bound) {
    EntityRows.Layout layout = spec.memo(() -> EntityRows.Layout.of(this, spec));
    return new EntityRows(this, db, spec, layout, bound).iterator();
  }
}
