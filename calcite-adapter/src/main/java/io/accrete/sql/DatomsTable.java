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
 * {@code datoms (e, a, v, tx, added)}: every datom of the database value in EAVT order, the
 * attribute as its ident and the value as text. With the connection property
 * {@code history=true} it shows retractions and replaced values too.
 */
final class DatomsTable extends AccreteTable {
  DatomsTable(SqlSession session) {
    super(session, "datoms", List.of(Column.id("e"), Column.system("a", ValueType.STRING),
        Column.system("v", ValueType.STRING), Column.system("tx", ValueType.REF),
        Column.system("added", ValueType.BOOLEAN)));
  }

  @Override
  double rowCount(Database db) {
    return Math.max(1, IndexStats.total(db));
  }

  @Override
  String describeScan() {
    return "EAVT";
  }

  @Override
  Access access(ScanSpec spec, Database db) {
    return idsOrScan(spec, db, "EAVT e", 8.0);
  }

  @Override
  Iterator<Object[]> rows(Database database, ScanSpec spec, List<Condition.Bound> bound) {
    Database view = session.history() ? database.history() : database;
    IndexAccess db = IndexAccess.of(view);
    List<DatomCursor> cursors = new ArrayList<>();
    if (spec.access.type() == Access.Type.IDS) {
      for (Object e : ids(spec, bound)) {
        cursors.add(db.cursorE((Long) e));
      }
    } else {
      cursors.add(db.cursor(IndexOrder.EAVT, IndexAccess.lo(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN),
          IndexAccess.hi(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX)));
    }
    return new CursorRows(cursors, c -> new Object[] {
        c.e(), view.ident(c.a()).toString(), SqlTypes.display(c.v()), c.tx(), c.added()});
  }
}
