package io.accrete.index;

import io.accrete.Datom;

/**
 * A leaf of an index tree: up to a few thousand datoms sorted in the tree's order, stored as
 * parallel primitive columns so a scan reads arrays rather than objects.
 */
final class Leaf extends Node {
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

  /** The first position whose datom is not below {@code key}; {@code size} if none. */
  int lowerBound(IndexOrder order, boolean full, Datom key) {
    int lo = 0;
    int hi = size;
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
  long count() {
    return size;
  }

  @Override
  Datom firstKey() {
    return datomAt(0);
  }

  @Override
  int height() {
    return 0;
  }
}
