package io.accrete.sql;

import io.accrete.Database;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.schema.ValueType;
import io.accrete.spi.IndexAccess;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code <table>__history}: every assertion and retraction of the namespace's attributes up to
 * the moment read, one row per datom: {@code db__id, attribute, value, tx, added}. The value is
 * text (strings as they are, other values in EDN) because one column holds every attribute.
 */
final class HistoryTable extends AccreteTable {
  private final EntityTable base;

  HistoryTable(SqlSession session, String name, EntityTable base) {
    super(session, name, List.of(Column.id("db__id"), Column.system("attribute", ValueType.STRING),
        Column.system("value", ValueType.STRING), Column.system("tx", ValueType.REF),
        Column.system("added", ValueType.BOOLEAN)));
    this.base = base;
  }

  @Override
  double rowCount(Database db) {
    return base.rowCount(db) * base.members.length * 2;
  }

  @Override
  String describeScan() {
    return "AEVT history of " + base.name;
  }

  @Override
  Access access(ScanSpec spec, Database db) {
    return idsOrScan(spec, db, "EAVT history db__id", 8.0);
  }

  @Override
  Iterator<Object[]> rows(Database database, ScanSpec spec, List<Condition.Bound> bound) {
    Database view = database.history();
    IndexAccess db = IndexAccess.of(view);
    List<DatomCursor> cursors = new ArrayList<>();
    if (spec.access.type() == Access.Type.IDS) {
      for (Object e : ids(spec, bound)) {
        for (long a : base.members) {
          cursors.add(db.cursorEA((Long) e, a));
        }
      }
    } else {
      for (long a : base.members) {
        cursors.add(db.cursor(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, a, Values.MIN),
            IndexAccess.hi(Long.MAX_VALUE, a, Values.MAX)));
      }
    }
    return new CursorRows(cursors, c -> new Object[] {
        c.e(), view.ident(c.a()).toString(), SqlTypes.display(c.v()), c.tx(), c.added()});
  }
}
