package io.accrete.sql;

import io.accrete.Database;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.Ids;
import io.accrete.spi.IndexAccess;
import java.time.Instant;
import java.util.Date;
import org.apache.calcite.DataContext;

/**
 * The moment one table is read at: {@code AS OF} or {@code SINCE} a point, the point being an
 * instant, a {@code t} or a transaction id, given as a literal or a statement parameter.
 *
 * <p>A point before the database's first transaction, or an instant in the future or a {@code t}
 * beyond the latest one, is an error: it is almost always a typo, and an empty answer would hide
 * it.
 */
final class TimeTravel {
  enum Mode { AS_OF, SINCE }

  final Mode mode;
  /** True when the point is an instant (epoch millis), false when it is a t or tx id. */
  final boolean instant;
  final Condition.Operand point;
  /** The clause as written, for EXPLAIN and errors. */
  final String text;

  TimeTravel(Mode mode, boolean instant, Condition.Operand point, String text) {
    this.mode = mode;
    this.instant = instant;
    this.point = point;
    this.text = text;
  }

  /** The database value at this point, checked against the database's history. */
  Database apply(Database db, String table, DataContext root) {
    Object p = point.param() >= 0 ? root.get("?" + point.param()) : point.literal();
    if (p == null) {
      throw new AccreteSqlException(text + " on " + table + ": the point in time is NULL");
    }
    Object arg = resolve(db, table, p);
    return mode == Mode.AS_OF ? db.asOf(arg) : db.since(arg);
  }

  private Object resolve(Database db, String table, Object p) {
    if (instant) {
      long millis = p instanceof java.util.Date d ? d.getTime() : ((Number) p).longValue();
      long first = firstInstant(db);
      if (millis < first) {
        throw new AccreteSqlException(text + " on " + table + ": " + Instant.ofEpochMilli(millis)
            + " is before the database's first transaction (" + Instant.ofEpochMilli(first) + ")");
      }
      if (millis > System.currentTimeMillis()) {
        throw new AccreteSqlException(text + " on " + table + ": " + Instant.ofEpochMilli(millis)
            + " is in the future (timestamps are UTC)");
      }
      return new Date(millis);
    }
    if (!(p instanceof Number n)) {
      throw new AccreteSqlException(text + " on " + table + ": a t or transaction id must be a number, not " + p);
    }
    long x = n.longValue();
    long t = Ids.toT(x);
    if (x < 0 || t > db.basisT()) {
      throw new AccreteSqlException(text + " on " + table + ": " + x + " is no t or transaction id of"
          + " this database (its latest t is " + db.basisT() + ")");
    }
    return x;
  }

  /** The instant of the first transaction after the bootstrap one. */
  static long firstInstant(Database db) {
    IndexAccess d = IndexAccess.of(db).unfiltered();
    DatomCursor c = d.cursor(IndexOrder.AVET,
        IndexAccess.lo(Long.MIN_VALUE, Bootstrap.TX_INSTANT, new Date(1)),
        IndexAccess.hi(Long.MAX_VALUE, Bootstrap.TX_INSTANT, Values.MAX));
    return c.next() ? ((Date) c.v()).getTime() : System.currentTimeMillis();
  }

  @Override
  public String toString() {
    return text;
  }
}
