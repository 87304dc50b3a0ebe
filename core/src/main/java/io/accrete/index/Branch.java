package io.accrete.index;

import io.accrete.Datom;

/**
 * An interior node of an index tree: its children, the first datom of each (to route seeks
 * without touching the children) and the number of datoms below each (so counting a range
 * costs a walk down two paths, not a scan).
 */
final class Branch extends Node {
  final Node[] children;
  final Datom[] firstKeys;
  final long[] counts;
  final long total;
  final int height;

  Branch(Node[] children) {
    this.children = children;
    this.firstKeys = new Datom[children.length];
    this.counts = new long[children.length];
    long t = 0;
    for (int i = 0; i < children.length; i++) {
      firstKeys[i] = children[i].firstKey();
      counts[i] = children[i].count();
      t += counts[i];
    }
    this.total = t;
    this.height = children[0].height() + 1;
  }

  Node child(int i) {
    return children[i];
  }

  int size() {
    return children.length;
  }

  /**
   * The child whose range holds {@code key}: the last child whose first datom is not above
   * it, or the first child.
   */
  int route(IndexOrder order, boolean full, Datom key) {
    int lo = 1;
    int hi = children.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(firstKeys[mid], key, full) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  @Override
  long count() {
    return total;
  }

  @Override
  Datom firstKey() {
    return firstKeys[0];
  }

  @Override
  int height() {
    return height;
  }
}
