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
   * The first position whose datom is not below {@code key}; {@code size} if none. In EAVT and
   * AEVT the two leading id columns narrow the search to the key's run first: a lookup then
   * compares longs in two arrays, and whole datoms only within that short run.
   */
  int lowerBound(IndexOrder order, boolean full, Datom key) {
    return search(order, full, 0, key, false, false);
  }

  /**
   * The first position from {@code from} whose datom is not below {@code key}, galloping from
   * {@code from}: when the answer lies close, as for ascending lookups, few datoms are read.
   */
  int firstNotBelow(IndexOrder order, boolean full, int from, Datom key) {
    return search(order, full, from, key, true, false);
  }

  /** The first position from {@code from} whose datom is above {@code key}, galloping from {@code from}. */
  int firstAbove(IndexOrder order, boolean full, int from, Datom key) {
    return search(order, full, from, key, true, true);
  }

  /**
   * The first position from {@code from} whose datom is not below {@code key} (or is above it,
   * when {@code above}), by galloping from {@code from} or by binary search.
   */
  private int search(IndexOrder order, boolean full, int from, Datom key, boolean gallop, boolean above) {
    int lo;
    int hi;
    if (order == IndexOrder.EAVT || order == IndexOrder.AEVT) {
      boolean eFirst = order == IndexOrder.EAVT;
      long[] p = eFirst ? e : a;
      long[] q = eFirst ? a : e;
      long kp = eFirst ? key.e() : key.a();
      long kq = eFirst ? key.a() : key.e();
      lo = gallop ? gallop(p, q, from, size, kp, kq, false) : bisect(p, q, from, size, kp, kq, false);
      hi = gallop(p, q, lo, size, kp, kq, true);
    } else {
      lo = from;
      hi = size;
      if (gallop) {
        int probe = from;
        int step = 1;
        while (probe < size && !past(compareAt(order, full, probe, key), above)) {
          lo = probe + 1;
          probe = lo + step;
          step <<= 1;
        }
        hi = Math.min(probe, size);
      }
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (!past(compareAt(order, full, mid, key), above)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** True when a datom comparing {@code c} to the key is where the search stops. */
  private static boolean past(int c, boolean above) {
    return above ? c > 0 : c >= 0;
  }

  /** True when {@code (p[i], q[i])} sorts before {@code (kp, kq)}, or not after it when {@code orEqual}. */
  private static boolean before(long[] p, long[] q, int i, long kp, long kq, boolean orEqual) {
    return p[i] < kp || (p[i] == kp && (orEqual ? q[i] <= kq : q[i] < kq));
  }

  /** The first index in {@code [from, to)} not {@link #before} the key, galloping from {@code from}. */
  private static int gallop(long[] p, long[] q, int from, int to, long kp, long kq, boolean orEqual) {
    int lo = from;
    int probe = from;
    int step = 1;
    while (probe < to && before(p, q, probe, kp, kq, orEqual)) {
      lo = probe + 1;
      probe = lo + step;
      step <<= 1;
    }
    return bisect(p, q, lo, Math.min(probe, to), kp, kq, orEqual);
  }

  /** The first index in {@code [lo, hi)} not {@link #before} the key, by binary search. */
  private static int bisect(long[] p, long[] q, int lo, int hi, long kp, long kq, boolean orEqual) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (before(p, q, mid, kp, kq, orEqual)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first position whose datom is above {@code key}; {@code size} if none. */
  int upperBound(IndexOrder order, boolean full, Datom key) {
    return search(order, full, 0, key, false, true);
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
