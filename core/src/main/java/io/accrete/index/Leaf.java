package io.accrete.index;

import io.accrete.Datom;

/**
 * A leaf of an index tree: up to a few thousand datoms sorted in the tree's order, stored as
 * parallel primitive columns so a scan reads arrays rather than objects.
 */
public final class Leaf extends Node {
  final long[] e;
  final long[] a;
  final Object[] v;
  final long[] tx;
  /** Null when every datom is an assertion (current trees). */
  final boolean[] added;
  final int size;

  Leaf(long[] e, long[] a, Object[] v, long[] tx, boolean[] added, int size) {
    this.e = e;
    this.a = a;
    this.v = v;
    this.tx = tx;
    this.added = added;
    this.size = size;
  }

  /**
   * A leaf over columns sorted in its tree's order; {@code added} is null when every datom is
   * an assertion. The arrays are kept, not copied.
   */
  public static Leaf of(long[] e, long[] a, Object[] v, long[] tx, boolean[] added) {
    return new Leaf(e, a, v, tx, added, e.length);
  }

  /** The number of datoms. */
  public int size() {
    return size;
  }

  /** The first index in {@code [from, to)} of sorted {@code xs} whose value is not below {@code k}. */
  static int firstAtLeast(long[] xs, int from, int to, long k) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (xs[mid] < k) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The first index in {@code [from, to)} of sorted {@code xs} whose value is above {@code k},
   * galloping from {@code from}: runs of equal values are short, so this reads few elements.
   */
  static int firstAbove(long[] xs, int from, int to, long k) {
    int lo = from;
    int probe = from;
    int step = 1;
    while (probe < to && xs[probe] <= k) {
      lo = probe + 1;
      probe = lo + step;
      step <<= 1;
    }
    int hi = Math.min(probe, to);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (xs[mid] <= k) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Entity of datom {@code i}. */
  public long e(int i) {
    return e[i];
  }

  /** Attribute of datom {@code i}. */
  public long a(int i) {
    return a[i];
  }

  /** Value of datom {@code i}. */
  public Object v(int i) {
    return v[i];
  }

  /** Transaction of datom {@code i}. */
  public long tx(int i) {
    return tx[i];
  }

  /** True when some datom is a retraction (history leaves). */
  public boolean hasRetractions() {
    return added != null;
  }

  /** Added flag of datom {@code i}. */
  public boolean added(int i) {
    return addedAt(i);
  }

  boolean addedAt(int i) {
    return added == null || added[i];
  }

  Datom datomAt(int i) {
    return new Datom(e[i], a[i], v[i], tx[i], addedAt(i));
  }

  int compareAt(IndexOrder order, boolean full, int i, Datom key) {
    if (full) {
      return order.compareFull(
          e[i], a[i], v[i], tx[i], addedAt(i), key.e(), key.a(), key.v(), key.tx(), key.added());
    }
    return order.compareKey(e[i], a[i], v[i], key.e(), key.a(), key.v());
  }

  /**
   * The first position whose datom is not below {@code key}; {@code size} if none. In EAVT the
   * entity column narrows the search to the key's entity first: a lookup then touches one
   * array, not three, until that run.
   */
  int lowerBound(IndexOrder order, boolean full, Datom key) {
    int lo = 0;
    int hi = size;
    if (order == IndexOrder.EAVT) {
      // One entity's datoms are a short run; other orders lead with an attribute, whose run
      // may fill the leaf, or with a value.
      lo = firstAtLeast(e, 0, size, key.e());
      hi = firstAbove(e, lo, size, key.e());
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareAt(order, full, mid, key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first position whose datom is above {@code key}; {@code size} if none. */
  int upperBound(IndexOrder order, boolean full, Datom key) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareAt(order, full, mid, key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public long count() {
    return size;
  }

  @Override
  public Datom firstKey() {
    return datomAt(0);
  }

  @Override
  public int height() {
    return 0;
  }
}
