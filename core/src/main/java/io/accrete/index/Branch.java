package io.accrete.index;

import io.accrete.Datom;

/**
 * An interior node of an index tree: its children, the first datom of each (to route seeks
 * without touching the children) and the number of datoms below each (so counting a range
 * costs a walk down two paths, not a scan).
 */
public final class Branch extends Node {
  final Node[] children;
  final Datom[] firstKeys;
  /** The first datoms' entities, for routing EAVT seeks without reading the datoms. */
  private final long[] firstE;
  final long[] counts;
  final long total;
  final int height;

  Branch(Node[] children) {
    this.children = children;
    this.firstKeys = new Datom[children.length];
    this.firstE = new long[children.length];
    this.counts = new long[children.length];
    long t = 0;
    for (int i = 0; i < children.length; i++) {
      firstKeys[i] = children[i].firstKey();
      firstE[i] = firstKeys[i].e();
      counts[i] = children[i].count();
      t += counts[i];
    }
    this.total = t;
    this.height = children[0].height() + 1;
  }

  /** A branch over children of equal height, in order. */
  public static Branch of(Node[] children) {
    return new Branch(children);
  }

  /** Child {@code i}, loaded if it is a reference to a stored node. */
  public Node child(int i) {
    Node c = children[i];
    return c instanceof NodeRef r ? r.resolve() : c;
  }

  /** Child {@code i} as held: a node or a reference, never loaded. */
  public Node childRef(int i) {
    return children[i];
  }

  /** The number of children. */
  public int size() {
    return children.length;
  }

  /** The first datom of child {@code i}. */
  public Datom firstKey(int i) {
    return firstKeys[i];
  }

  /** The datoms under child {@code i}. */
  public long count(int i) {
    return counts[i];
  }

  /**
   * The child whose range holds {@code key}: the last child whose first datom is not above
   * it, or the first child.
   */
  int route(IndexOrder order, boolean full, Datom key) {
    int lo = 1;
    int hi = children.length;
    if (order == IndexOrder.EAVT) {
      // Children whose first datom's entity is below the key's start below it; those above start
      // above it: only the children in between need their datoms compared.
      lo = Leaf.firstAtLeast(firstE, 1, hi, key.e());
      hi = Leaf.firstAbove(firstE, lo, hi, key.e());
    }
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
  public long count() {
    return total;
  }

  @Override
  public Datom firstKey() {
    return firstKeys[0];
  }

  @Override
  public int height() {
    return height;
  }
}
