package io.accrete.sql;

import io.accrete.Database;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.ValueType;
import io.accrete.spi.IndexAccess;
import java.util.Iterator;
import java.util.List;

/** {@code db__idents (db__id, ident)}: every entity with a {@code :db/ident}, attributes included. */
final class IdentsTable extends AccreteTable {
  IdentsTable(SqlSession session) {
    super(session, "db__idents",
        List.of(Column.id("db__id"), Column.system("ident", ValueType.STRING)));
  }

  @Override
  double rowCount(Database db) {
    return Math.max(1, IndexStats.count(db, Bootstrap.IDENT));
  }

  @Override
  Iterator<Object[]> rows(Database database, ScanSpec spec, List<Condition.Bound> bound) {
    IndexAccess db = IndexAccess.of(database);
    long a = Bootstrap.IDENT;
    return new CursorRows(List.of(db.cursor(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, a, Values.MIN),
        IndexAccess.hi(Long.MAX_VALUE, a, Values.MAX))), c -> new Object[] {c.e(), c.v().toString()});
  }
}
