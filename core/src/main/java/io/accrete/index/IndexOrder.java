package io.accrete.index;

import io.accrete.Datom;

/**
 * The sort orders of the four covering indexes. Each compares datoms by its three key
 * components and then, where a full order is needed (history), by transaction and by the
 * added flag (retraction first).
 *
 * <p>Comparison dispatches on the order with a switch over static methods rather than
 * virtual calls: index code compares in all four orders, and a virtual call site seeing four
 * implementations cannot be inlined by the JIT.
 */
public enum IndexOrder {
  /** Entity, attribute, value: an entity's facts together. */
  EAVT,
  /** Attribute, entity, value: an attribute's facts, by entity. */
  AEVT,
  /** Attribute, value, entity: lookups and ranges by value. */
  AVET,
  /** Value, attribute, entity, for reference attributes only: who points at an entity. */
  VAET;

  /** {@link #values()} without a copy per call. */
  static final IndexOrder[] ALL = values();

  /** How many longs {@link #prefix} writes. */
  public static final int PREFIX_WIDTH = 3;

  /**
   * In a prefix: "the datoms must decide from here on". Never a real e, a or value prefix.
   */
  public static final long UNDECIDED = Long.MIN_VALUE + 1;

  /**
   * Writes the datom's key as three longs from {@code out[at]}, in this order's sequence: e and
   * a as they are, v as {@link Values#prefix}. Past a value prefix that is not
   * {@link Values#prefixIsExact exact} the rest is {@link #UNDECIDED}, since equal prefixes
   * then do not mean equal values; except that in AVET a long string continues with more of its
   * code ({@link Values#prefixContinuation}), which two equal prefixes can only both have. Comparing the longs (signed) up to the first UNDECIDED on
   * either side agrees with {@link #compareKey}.
   */
  public final void prefix(Datom d, long[] out, int at) {
    Object v = d.v();
    prefix(d, Values.prefix(v), Values.prefixIsExact(v), out, at);
  }

  /** {@link #prefix(Datom, long[], int)} with the value's prefix and exactness already known. */
  public final void prefix(Datom d, long pv, boolean exact, long[] out, int at) {
    switch (this) {
      case EAVT -> {
        out[at] = d.e();
        out[at + 1] = d.a();
        out[at + 2] = pv;
      }
      case AEVT -> {
        out[at] = d.a();
        out[at + 1] = d.e();
        out[at + 2] = pv;
      }
      case AVET -> {
        out[at] = d.a();
        out[at + 1] = pv;
        // An exact value decides with the entity next; a long string with more of itself.
        out[at + 2] = exact ? d.e() : Values.prefixContinuation(d.v(), UNDECIDED);
      }
      default -> {
        out[at] = pv;
        out[at + 1] = exact ? d.a() : UNDECIDED;
        // An exact value decides with the entity next; a long string with more of itself.
        out[at + 2] = exact ? d.e() : Values.prefixContinuation(d.v(), UNDECIDED);
      }
    }
  }

  /** Compares the key components (e, a, v in this order's sequence), ignoring tx. */
  public final int compareKey(long e1, long a1, Object v1, long e2, long a2, Object v2) {
    switch (this) {
      case EAVT:
        return eavt(e1, a1, v1, e2, a2, v2);
      case AEVT:
        return aevt(e1, a1, v1, e2, a2, v2);
      case AVET:
        return avet(e1, a1, v1, e2, a2, v2);
      default:
        return vaet(e1, a1, v1, e2, a2, v2);
    }
  }

  private static int eavt(long e1, long a1, Object v1, long e2, long a2, Object v2) {
    if (e1 != e2) {
      return e1 < e2 ? -1 : 1;
    }
    if (a1 != a2) {
      return a1 < a2 ? -1 : 1;
    }
    return Values.compare(v1, v2);
  }

  private static int aevt(long e1, long a1, Object v1, long e2, long a2, Object v2) {
    if (a1 != a2) {
      return a1 < a2 ? -1 : 1;
    }
    if (e1 != e2) {
      return e1 < e2 ? -1 : 1;
    }
    return Values.compare(v1, v2);
  }

  private static int avet(long e1, long a1, Object v1, long e2, long a2, Object v2) {
    if (a1 != a2) {
      return a1 < a2 ? -1 : 1;
    }
    int c = Values.compare(v1, v2);
    if (c != 0) {
      return c;
    }
    return e1 == e2 ? 0 : e1 < e2 ? -1 : 1;
  }

  private static int vaet(long e1, long a1, Object v1, long e2, long a2, Object v2) {
    int c = Values.compare(v1, v2);
    if (c != 0) {
      return c;
    }
    if (a1 != a2) {
      return a1 < a2 ? -1 : 1;
    }
    return e1 == e2 ? 0 : e1 < e2 ? -1 : 1;
  }

  /** Compares key components of two datoms. */
  public final int compareKey(Datom x, Datom y) {
    return compareKey(x.e(), x.a(), x.v(), y.e(), y.a(), y.v());
  }

  /** Compares key components, then tx, then added (retractions first). */
  public final int compareFull(
      long e1, long a1, Object v1, long t1, boolean d1, long e2, long a2, Object v2, long t2, boolean d2) {
    int c = compareKey(e1, a1, v1, e2, a2, v2);
    if (c != 0) {
      return c;
    }
    if (t1 != t2) {
      return t1 < t2 ? -1 : 1;
    }
    return Boolean.compare(d1, d2);
  }

  /** Full comparison of two datoms. */
  public final int compareFull(Datom x, Datom y) {
    return compareFull(x.e(), x.a(), x.v(), x.tx(), x.added(), y.e(), y.a(), y.v(), y.tx(), y.added());
  }

  /** Compares datoms by key only or fully. */
  public final int compare(Datom x, Datom y, boolean full) {
    return full ? compareFull(x, y) : compareKey(x, y);
  }
}
