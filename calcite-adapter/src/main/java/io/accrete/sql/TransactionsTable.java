package io.accrete.sql;

import io.accrete.Database;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.Ids;
import io.accrete.schema.ValueType;
import io.accrete.spi.IndexAccess;
import java.util.Date;
import java.util.Iterator;
import java.util.List;

/**
 * {@code transactions (tx, t, tx_instant)}: one row per transaction up to the moment read. A
 * transaction's own attributes (metadata such as {@code :audit/user}) are in the table of their
 * namespace, with the transaction id as {@code db__id}.
 */
final class TransactionsTable extends AccreteTable {
  TransactionsTable(SqlSession session) {
    super(session, "transactions", List.of(Column.id("tx"), Column.system("t", ValueType.LONG),
        Column.system("tx_instant", ValueType.INSTANT)));
  }

  @Override
  double rowCount(Database db) {
    return Math.max(1, IndexStats.count(db, Bootstrap.TX_INSTANT));
  }

  @Override
  String describeScan() {
    return "AEVT db/txInstant";
  }

  @Override
  Iterator<Object[]> rows(Database database, ScanSpec spec, List<Condition.Bound> bound) {
    IndexAccess db = IndexAccess.of(database);
    long a = Bootstrap.TX_INSTANT;
    return new CursorRows(List.of(db.cursor(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, a, Values.MIN),
        IndexAccess.hi(Long.MAX_VALUE, a, Values.MAX))),
        c -> new Object[] {c.e(), Ids.toT(c.e()), ((Date) c.v()).getTime()});
  }
}
