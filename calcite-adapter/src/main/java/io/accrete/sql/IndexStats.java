package io.accrete.sql;

import io.accrete.Database;
import io.accrete.db.Db;
import io.accrete.db.Keys;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;

/**
 * Row estimates from the indexes' counted branches: a count over any key range costs two
 * root-to-leaf walks, so the planner can ask as often as it likes.
 */
final class IndexStats {
  private IndexStats() {}

  /** Current datoms of an attribute. */
  static long count(Database db, long a) {
    return ((Db) db).indexes().get(IndexOrder.AEVT).estimateCurrent(
        Keys.lo(Long.MIN_VALUE, a, Values.MIN), Keys.hi(Long.MAX_VALUE, a, Values.MAX));
  }

  /** Current datoms of an attribute with values from lo to hi (null: unbounded). */
  static long countRange(Database db, long a, Object lo, Object hi) {
    return ((Db) db).indexes().get(IndexOrder.AVET).estimateCurrent(
        Keys.lo(Long.MIN_VALUE, a, lo == null ? Values.MIN : lo),
        Keys.hi(Long.MAX_VALUE, a, hi == null ? Values.MAX : hi));
  }

  /**
   * Average datoms per distinct value of an attribute, from a sample of its first AVET datoms:
   * what one lookup by an unknown value yields. 1 for unique attributes.
   */
  static double rowsPerValue(Database db, io.accrete.Attribute a) {
    if (a.isUnique()) {
      return 1;
    }
    io.accrete.index.DatomCursor c = ((Db) db).cursor(IndexOrder.AVET,
        Keys.lo(Long.MIN_VALUE, a.id(), Values.MIN), Keys.hi(Long.MAX_VALUE, a.id(), Values.MAX));
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
    return ((Db) db).indexes().get(IndexOrder.EAVT).estimateCurrent(
        Keys.lo(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN),
        Keys.hi(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX));
  }
}
