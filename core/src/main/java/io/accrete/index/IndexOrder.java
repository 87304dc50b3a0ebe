package io.accrete.index;

import io.accrete.Datom;

/**
 * The sort orders of the four covering indexes. Each compares datoms by its three key
 * components and then, where a full order is needed (history), by transaction and by the
 * added flag (retraction first).
 */
public enum IndexOrder {
  /** Entity, attribute, value: an entity's facts together. */
  EAVT {
    @Override
    public int compareKey(long e1, long a1, Object v1, long e2, long a2, Object v2) {
      int c = Long.compare(e1, e2);
      if (c != 0) {
        return c;
      }
      c = Long.compare(a1, a2);
      return c != 0 ? c : Values.compare(v1, v2);
    }
  },
  /** Attribute, entity, value: an attribute's facts, by entity. */
  AEVT {
    @Override
    public int compareKey(long e1, long a1, Object v1, long e2, long a2, Object v2) {
      int c = Long.compare(a1, a2);
      if (c != 0) {
        return c;
      }
      c = Long.compare(e1, e2);
      return c != 0 ? c : Values.compare(v1, v2);
    }
  },
  /** Attribute, value, entity: lookups and ranges by value. */
  AVET {
    @Override
    public int compareKey(long e1, long a1, Object v1, long e2, long a2, Object v2) {
      int c = Long.compare(a1, a2);
      if (c != 0) {
        return c;
      }
      c = Values.compare(v1, v2);
      return c != 0 ? c : Long.compare(e1, e2);
    }
  },
  /** Value, attribute, entity, for reference attributes only: who points at an entity. */
  VAET {
    @Override
    public int compareKey(long e1, long a1, Object v1, long e2, long a2, Object v2) {
      int c = Values.compare(v1, v2);
      if (c != 0) {
        return c;
      }
      c = Long.compare(a1, a2);
      return c != 0 ? c : Long.compare(e1, e2);
    }
  };

  /** Compares the key components (e, a, v in this order's sequence), ignoring tx. */
  public abstract int compareKey(long e1, long a1, Object v1, long e2, long a2, Object v2);

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
    c = Long.compare(t1, t2);
    return c != 0 ? c : Boolean.compare(d1, d2);
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
