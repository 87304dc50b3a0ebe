package io.accrete.sql;

import io.accrete.Database;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.spi.IndexAccess;

/**
 * Row estimates for the SQL planner, through the read SPI: counts from the indexes' counted
 * branches (two root-to-leaf walks per range, as the Datalog planner's) and a sample of values
 * per attribute.
 */
final class IndexStats {
  private IndexStats() {}

  /** Current datoms of an attribute. */
  static long count(Database db, long a) {
    return IndexAccess.of(db).estimateCurrent(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, a, Values.MIN),
        IndexAccess.hi(Long.MAX_VALUE, a, Values.MAX));
  }

  /** Current datoms of an attribute with values from lo to hi (null: unbounded). */
  static long countRange(Database db, long a, Object lo, Object hi) {
    return IndexAccess.of(db).estimateCurrent(IndexOrder.AVET,
        IndexAccess.lo(Long.MIN_VALUE, a, lo == null ? Values.MIN : lo),
        IndexAccess.hi(Long.MAX_VALUE, a, hi == null ? Values.MAX : hi));
  }

  /**
   * Average datoms per distinct value of an attribute, from a sample of its first AVET datoms:
   * what one lookup by an unknown value yields. 1 for unique attributes.
   */
  static double rowsPerValue(Database db, io.accrete.Attribute a) {
    if (a.isUnique()) {
      return 1;
    }
    io.accrete.index.DatomCursor c = IndexAccess.of(db).cursor(IndexOrder.AVET,
        IndexAccess.lo(Long.MIN_VALUE, a.id(), Values.MIN), IndexAccess.hi(Long.MAX_VALUE, a.id(), Values.MAX));
    int n = 0;
    int distinct = 0;
    Object last = null;
    while (n < 512 && c.next()) {
      if (n == 0 || !c.v().equals(last)) {
        distinct++;
        last = c.v();
      }
      n++;
    }
    return n == 0 ? 1 : (double) n / distinct;
  }

  /** Current datoms in the database. */
  static long total(Database db) {
    return IndexAccess.of(db).estimateCurrent(IndexOrder.EAVT,
        IndexAccess.lo(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN), IndexAccess.hi(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX));
  }
}
