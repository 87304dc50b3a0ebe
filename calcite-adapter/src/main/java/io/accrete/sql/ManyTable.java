package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.spi.IndexAccess;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The table of one card-many attribute, {@code <table>_x_<column>}: a row per value, with the
 * entity id in a column named after the namespace table.
 */
final class ManyTable extends AccreteTable {
  final Attribute attr;

  ManyTable(SqlSession session, String name, Attribute attr, List<Column> columns) {
    super(session, name, columns);
    this.attr = attr;
  }

  @Override
  double rowCount(Database db) {
    return Math.max(1, IndexStats.count(db, attr.id()));
  }

  private String ident() {
    return attr.ident().toString().substring(1);
  }

  @Override
  String describeScan() {
    return "AEVT " + ident();
  }

  @Override
  Access access(ScanSpec spec, Database db) {
    Access best = Access.scan(describeScan(), rowCount(db));
    for (int i = 0; i < spec.conditions.size(); i++) {
      Condition c = spec.conditions.get(i);
      Column col = columns.get(c.column);
      Access a = null;
      if (col.kind() == Column.Kind.ID && c.isPoints()) {
        a = new Access(Access.Type.IDS, i, "EAVT " + col.name(), c.intervals.size() * 4.0);
      } else if ((col.kind() == Column.Kind.VALUE || col.kind() == Column.Kind.IDENT) && c.isPoints()
          && (col.naturalOrder() || col.kind() == Column.Kind.IDENT)) {
        a = new Access(Access.Type.VALUES, i, (attr.isRef() ? "VAET " : "AVET ") + ident(),
            IndexStats.rowsPerValue(db, attr) * c.intervals.size());
      }
      if (a != null && a.rows() < best.rows()) {
        best = a;
      }
    }
    return best;
  }

  @Override
  Iterator<Object[]> rows(Database database, ScanSpec spec, List<Condition.Bound> bound) {
    IndexAccess db = IndexAccess.of(database);
    long a = attr.id();
    List<DatomCursor> cursors = new ArrayList<>();
    Access access = spec.access;
    if (access.type() == Access.Type.SCAN) {
      cursors.add(db.cursor(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, a, Values.MIN),
          IndexAccess.hi(Long.MAX_VALUE, a, Values.MAX)));
    } else {
      Condition.Bound b = bound.get(access.condition());
      Column col = columns.get(b.condition.column);
      for (Object p : b.points()) {
        if (access.type() == Access.Type.IDS) {
          cursors.add(db.cursorEA((Long) p, a));
          continue;
        }
        Object v = EntityTable.seekValue(database, col, p);
        if (v != SqlTypes.NO_VALUE) {
          cursors.add(attr.isRef() ? db.cursorVA((Long) v, a) : db.cursorAV(a, v));
        }
      }
    }
    return new CursorRows(cursors, c -> {
      Object[] row = new Object[columns.size()];
      for (int k = 0; k < row.length; k++) {
        Column col = columns.get(k);
        row[k] = col.kind() == Column.Kind.ID ? (Object) c.e() : col.fromValue(c.v(), database);
      }
      return row;
    });
  }
}
