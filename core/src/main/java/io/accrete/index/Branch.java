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
  /** The first datoms' entities and attributes, for routing by a leading long without the datoms. */
  private final long[] firstE;
  private final long[] firstA;
  final long[] counts;
  final long total;
  final int height;

  Branch(Node[] children) {
    this.children = children;
    this.firstKeys = new Datom[children.length];
    this.firstE = new long[children.length];
    this.firstA = new long[children.length];
    this.counts = new long[children.length];
    long t = 0;
    for (int i = 0; i < children.length; i++) {
      firstKeys[i] = children[i].firstKey();
      firstE[i] = firstKeys[i].e();
      firstA[i] = firstKeys[i].a();
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
    long[] lead = order.leadingLongs(firstE, firstA);
    if (lead != null) {
      // Children whose first datom leads below the key's first component start below it; those
      // leading above start above it: only the children in between need their datoms compared.
      long k = order.leadingLong(key);
      lo = Leaf.firstAtLeast(lead, 1, hi, k);
      hi = Leaf.firstAbove(lead, lo, hi, k);
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
