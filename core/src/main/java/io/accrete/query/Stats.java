package io.accrete.query;

import io.accrete.Datom;
import io.accrete.db.Db;
import io.accrete.db.Keys;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;

/**
 * Index statistics for the planner. Counts come from the trees' counted branches (a range
 * count is two root-to-leaf walks) plus the novelty's counts, so they are cheap enough to take
 * while planning each step; join fan-outs are measured by counting for a few sample rows. Public
 * for the SQL layer's planner, which asks the same questions.
 */
public final class Stats {
  private Stats() {}

  static Datom lo(long e, long a, Object v) {
    return Keys.lo(e, a, v);
  }

  static Datom hi(long e, long a, Object v) {
    return Keys.hi(e, a, v);
  }

  /** Estimated current datoms of an attribute. */
  public static long count(Db db, long a) {
    return db.indexes().get(IndexOrder.AEVT).estimateCurrent(
        lo(Long.MIN_VALUE, a, Values.MIN), hi(Long.MAX_VALUE, a, Values.MAX));
  }

  /** Estimated current datoms of an attribute with values in [lo, hi]. */
  public static long countRange(Db db, long a, Object vLo, Object vHi) {
    return db.indexes().get(IndexOrder.AVET).estimateCurrent(
        lo(Long.MIN_VALUE, a, vLo == null ? Values.MIN : vLo),
        hi(Long.MAX_VALUE, a, vHi == null ? Values.MAX : vHi));
  }

  /** Estimated current datoms with attribute a and value v. */
  static long countValue(Db db, long a, Object v) {
    return db.indexes().get(IndexOrder.AVET).estimateCurrent(
        lo(Long.MIN_VALUE, a, v), hi(Long.MAX_VALUE, a, v));
  }

  /** Estimated datoms in the database. */
  public static long total(Db db) {
    return db.indexes().get(IndexOrder.EAVT).estimateCurrent(
        lo(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN), hi(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX));
  }

  /** Estimated current datoms of entity e (and attribute a, when a is not null). */
  static long countEntity(Db db, long e, Long a) {
    if (a == null) {
      return db.indexes().get(IndexOrder.EAVT).estimateCurrent(
          lo(e, Long.MIN_VALUE, Values.MIN), hi(e, Long.MAX_VALUE, Values.MAX));
    }
    return db.indexes().get(IndexOrder.EAVT).estimateCurrent(lo(e, a, Values.MIN), hi(e, a, Values.MAX));
  }
}
