package io.accrete.sql;

import io.accrete.Database;
import io.accrete.db.Db;
import io.accrete.db.Keys;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.query.Stats;

/**
 * Row estimates for the SQL planner: the Datalog planner's counts (the indexes' counted branches:
 * two root-to-leaf walks per range) and a sample of values per attribute.
 */
final class IndexStats {
  private IndexStats() {}

  /** Current datoms of an attribute. */
  static long count(Database db, long a) {
    return Stats.count((Db) db, a);
  }

  /** Current datoms of an attribute with values from lo to hi (null: unbounded). */
  static long countRange(Database db, long a, Object lo, Object hi) {
    return Stats.countRange((Db) db, a, lo, hi);
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
    return Stats.total((Db) db);
  }
}
