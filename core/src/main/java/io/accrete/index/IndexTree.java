package io.accrete.index;

import io.accrete.Datom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable B+tree of datoms in one index order, with columnar leaves and counted
 * branches. Database values share trees; {@link #merge} builds a new tree that reuses every
 * node the merged datoms do not touch.
 *
 * <p>A <em>current</em> tree ({@code full == false}) holds at most one datom per key (e, a, v),
 * all assertions. A <em>history</em> tree ({@code full == true}) orders by key, tx and added and
 * holds any number of datoms per key.
 */
public final class IndexTree {
  /** The most datoms a leaf holds after a merge. */
  static final int LEAF_MAX = 2048;
  /** Leaves smaller than this are joined with a neighbour when a merge touches them. */
  static final int LEAF_MIN = LEAF_MAX / 4;
  /** The most children a branch holds. */
  static final int BRANCH_MAX = 512;

  private final IndexOrder order;
  private final boolean full;
  private final Node root;

  private IndexTree(IndexOrder order, boolean full, Node root) {
    this.order = order;
    this.full = full;
    this.root = root;
  }

  /** An empty tree. */
  public static IndexTree empty(IndexOrder order, boolean full) {
    return new IndexTree(order, full, null);
  }

  /** A tree over a root node (null for empty), as the storage layer loads it. */
  public static IndexTree of(IndexOrder order, boolean full, Node root) {
    return new IndexTree(order, full, root);
  }

  /** The root node, or null when empty. */
  public Node root() {
    return root;
  }

  /** The root, loaded when it is a reference to a stored node. */
  private Node rootNode() {
    return root instanceof NodeRef r ? r.resolve() : root;
  }

  /** True for a history tree (ordered by key, tx and added). */
  public boolean isFull() {
    return full;
  }

  public IndexOrder order() {
    return order;
  }

  /** The number of datoms in the tree. */
  public long count() {
    return root == null ? 0 : root.count();
  }

  /** The height of the tree: 0 when the root is a leaf, -1 when empty. */
  public int height() {
    return root == null ? -1 : root.height();
  }

  /** The datom equal to {@code key} in this tree's comparison, or null. */
  public Datom find(Datom key) {
    Node n = rootNode();
    if (n == null) {
      return null;
    }
    while (n instanceof Branch b) {
      n = b.child(b.route(order, full, key));
    }
    Leaf leaf = (Leaf) n;
    int i = leaf.lowerBound(order, full, key);
    return i < leaf.size && leaf.compareAt(order, full, i, key) == 0 ? leaf.datomAt(i) : null;
  }

  /** A cursor over the datoms from {@code lo} to {@code hi}, both inclusive. */
  public DatomCursor cursor(Datom lo, Datom hi) {
    return root == null ? DatomCursor.empty() : new TreeCursor(lo, hi);
  }

  /** The number of datoms from {@code lo} to {@code hi}, both inclusive. */
  public long count(Datom lo, Datom hi) {
    if (root == null) {
      return 0;
    }
    long n = rank(hi, true) - rank(lo, false);
    return Math.max(0, n);
  }

  /** The datom at position {@code rank} (from 0) in the tree's order, or null past either end. */
  public Datom datomAt(long rank) {
    Node n = rootNode();
    if (n == null || rank < 0 || rank >= n.count()) {
      return null;
    }
    while (n instanceof Branch b) {
      int i = 0;
      while (rank >= b.counts[i]) {
        rank -= b.counts[i++];
      }
      n = b.child(i);
    }
    return ((Leaf) n).datomAt((int) rank);
  }

  /** The number of datoms not above {@code key}. */
  public long rankNotAbove(Datom key) {
    return root == null ? 0 : rank(key, true);
  }

  /** The number of datoms below {@code key}, or not above it when {@code inclusive}. */
  private long rank(Datom key, boolean inclusive) {
    long r = 0;
    Node n = rootNode();
    while (n instanceof Branch b) {
      int c = b.route(order, full, key);
      for (int i = 0; i < c; i++) {
        r += b.counts[i];
      }
      n = b.child(c);
    }
    Leaf leaf = (Leaf) n;
    return r + (inclusive ? leaf.upperBound(order, full, key) : leaf.lowerBound(order, full, key));
  }

  /**
   * Returns a tree with {@code entries} merged in. Entries are sorted in this tree's order
   * (by key for current trees) with no two equal. In a current tree an assertion inserts or
   * replaces the datom with its key and a retraction removes it; a history tree inserts every
   * entry.
   */
  public IndexTree merge(List<Datom> entries) {
    return rebuild(entries, false);
  }

  /**
   * Returns a tree without the given datoms (excision). Entries are sorted in this tree's order;
   * a datom is removed only when one in the tree equals it whole, transaction and operation
   * included, so an older assertion of a current datom's key leaves the current one alone.
   */
  public IndexTree remove(List<Datom> entries) {
    return root == null ? this : rebuild(entries, true);
  }

  private IndexTree rebuild(List<Datom> entries, boolean removing) {
    if (entries.isEmpty()) {
      return this;
    }
    Datom[] es = entries.toArray(new Datom[0]);
    List<Node> nodes;
    if (root == null) {
      nodes = new ArrayList<>();
      buildLeaves(es, 0, es.length, null, false, nodes);
    } else {
      nodes = mergeNode(root, es, 0, es.length, removing);
    }
    return new IndexTree(order, full, buildRoot(nodes));
  }

  /** Stacks branches over {@code nodes} until one root remains. */
  private static Node buildRoot(List<Node> nodes) {
    if (nodes.isEmpty()) {
      return null;
    }
    while (nodes.size() > 1) {
      nodes = group(nodes);
    }
    Node root = nodes.get(0);
    // Deletions can leave single-child branches at the top; drop them.
    while (root instanceof Branch b && b.size() == 1) {
      root = b.childRef(0);
    }
    return root;
  }

  /** Groups nodes of equal height into evenly filled branches. */
  private static List<Node> group(List<Node> nodes) {
    int n = nodes.size();
    int groups = (n + BRANCH_MAX - 1) / BRANCH_MAX;
    List<Node> out = new ArrayList<>(groups);
    int from = 0;
    for (int g = 0; g < groups; g++) {
      int to = (int) ((long) n * (g + 1) / groups);
      out.add(new Branch(nodes.subList(from, to).toArray(new Node[0])));
      from = to;
    }
    return out;
  }

  private List<Node> mergeNode(Node node, Datom[] es, int from, int to, boolean removing) {
    if (from == to) {
      return List.of(node);
    }
    if (node instanceof NodeRef ref) {
      node = ref.resolve();
    }
    if (node instanceof Leaf leaf) {
      List<Node> out = new ArrayList<>(2);
      buildLeaves(es, from, to, leaf, removing, out);
      return out;
    }
    Branch b = (Branch) node;
    if (Thread.currentThread().isInterrupted()) {
      // The connection was released: nobody will use this merge.
      throw new java.util.concurrent.CancellationException("index merge cancelled");
    }
    List<Node> children = new ArrayList<>(b.size() + 4);
    boolean changed = false;
    int pos = from;
    for (int i = 0; i < b.size(); i++) {
      int end = i == b.size() - 1 ? to : lowerBoundIn(es, pos, to, b.firstKeys[i + 1]);
      if (end == pos) {
        children.add(b.childRef(i)); // untouched: kept as is, never loaded
      } else {
        children.addAll(mergeNode(b.childRef(i), es, pos, end, removing));
        changed = true;
      }
      pos = end;
    }
    if (!changed) {
      return List.of(node);
    }
    children = joinSmallLeaves(children);
    if (children.isEmpty()) {
      return children;
    }
    if (children.size() <= BRANCH_MAX) {
      return List.of(new Branch(children.toArray(new Node[0])));
    }
    return group(children);
  }

  /** Joins runs of adjacent leaves when one is small and together they fit in one leaf. */
  private static List<Node> joinSmallLeaves(List<Node> nodes) {
    List<Node> out = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      if (!out.isEmpty() && n instanceof Leaf l && out.get(out.size() - 1) instanceof Leaf p
          && (l.size < LEAF_MIN || p.size < LEAF_MIN) && l.size + p.size <= LEAF_MAX) {
        out.set(out.size() - 1, concat(p, l));
      } else {
        out.add(n);
      }
    }
    return out;
  }

  private int lowerBoundIn(Datom[] es, int from, int to, Datom key) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(es[mid], key, full) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Merges entries into a leaf's datoms (or into nothing) and cuts the result into leaves; when
   * {@code removing}, drops the leaf's datoms that equal an entry whole instead.
   */
  private void buildLeaves(Datom[] es, int from, int to, Leaf leaf, boolean removing, List<Node> out) {
    int n = leaf == null ? 0 : leaf.size;
    Columns merged = new Columns(n + (removing ? 0 : to - from));
    int i = 0;
    int j = from;
    while (i < n || j < to) {
      int c;
      if (i == n) {
        c = 1;
      } else if (j == to) {
        c = -1;
      } else {
        c = leaf.compareAt(order, full, i, es[j]);
      }
      if (c < 0) {
        merged.add(leaf, i++);
      } else if (removing) {
        if (c == 0 && leaf.tx(i) == es[j].tx() && leaf.addedAt(i) == es[j].added()) {
          i++; // excised
        }
        j++;
      } else {
        Datom d = es[j++];
        if (c == 0) {
          i++; // replaced or removed
        }
        if (full || d.added()) {
          merged.add(d);
        }
      }
    }
    merged.cut(out);
  }

  private static void buildLeavesStatic(Datom[] ds, int from, int to, List<Node> out) {
    Columns c = new Columns(to - from);
    for (int k = from; k < to; k++) {
      c.add(ds[k]);
    }
    c.cut(out);
  }

  private static Leaf concat(Leaf p, Leaf l) {
    Columns c = new Columns(p.size + l.size);
    for (int i = 0; i < p.size; i++) {
      c.add(p, i);
    }
    for (int i = 0; i < l.size; i++) {
      c.add(l, i);
    }
    List<Node> out = new ArrayList<>(1);
    c.cut(out);
    return (Leaf) out.get(0);
  }

  /**
   * Datoms gathered column by column (no datom objects for those copied from leaves), then cut
   * into evenly filled leaves.
   */
  private static final class Columns {
    final long[] e;
    final long[] a;
    final Object[] v;
    final long[] tx;
    final boolean[] added;
    boolean anyRetraction;
    int n;

    Columns(int capacity) {
      e = new long[capacity];
      a = new long[capacity];
      v = new Object[capacity];
      tx = new long[capacity];
      added = new boolean[capacity];
    }

    void add(Leaf leaf, int i) {
      e[n] = leaf.e[i];
      a[n] = leaf.a[i];
      v[n] = leaf.v[i];
      tx[n] = leaf.tx[i];
      boolean d = leaf.addedAt(i);
      added[n++] = d;
      anyRetraction |= !d;
    }

    void add(Datom d) {
      e[n] = d.e();
      a[n] = d.a();
      v[n] = d.v();
      tx[n] = d.tx();
      added[n++] = d.added();
      anyRetraction |= !d.added();
    }

    void cut(List<Node> out) {
      if (n == 0) {
        return;
      }
      int leaves = (n + LEAF_MAX - 1) / LEAF_MAX;
      int start = 0;
      for (int k = 0; k < leaves; k++) {
        int end = (int) ((long) n * (k + 1) / leaves);
        out.add(new Leaf(Arrays.copyOfRange(e, start, end), Arrays.copyOfRange(a, start, end),
            Arrays.copyOfRange(v, start, end), Arrays.copyOfRange(tx, start, end),
            anyRetraction ? Arrays.copyOfRange(added, start, end) : null, end - start));
        start = end;
      }
    }
  }

  /**
   * A reader of many ranges of this tree that searches forward from the last range's start (see
   * {@link RangeReader}).
   */
  public RangeReader reader() {
    if (root == null) {
      return (lo, hi) -> DatomCursor.empty();
    }
    return new RangeReader() {
      private TreeCursor c;

      @Override
      public DatomCursor range(Datom lo, Datom hi) {
        if (c == null) {
          c = new TreeCursor(lo, hi);
        } else {
          c.reaim(lo, hi);
        }
        return c;
      }
    };
  }

  /**
   * Walks leaves left to right from the leaf holding {@code lo}. A leaf whose last datom is not
   * above {@code hi} is stepped through without comparing; in the leaf where {@code hi} falls,
   * the end is found once by galloping from the first datom read (a lookup's range of one or
   * two datoms costs two or three comparisons; a long range a few more, not one per datom, each
   * of which could read a value object far away in memory).
   */
  private final class TreeCursor extends DatomCursor {
    private Datom hi;
    private final Branch[] path;
    private final int[] pathPos;
    private int depth;
    private Leaf leaf;
    private int pos;
    /** The end of {@code leaf}'s datoms: its size, or where a datom above {@code hi} was met. */
    private int end;
    /** True when {@code hi} lies in {@code leaf}: no later leaf is read. */
    private boolean last;
    /** True when {@code end} is where the range ends in {@code leaf} (found once, when last). */
    private boolean bounded;
    /** Where the current range began: its lower key, and its first datom's leaf and position. */
    private Datom startKey;
    private Leaf startLeaf;
    private int start;

    TreeCursor(Datom lo, Datom hi) {
      this.hi = hi;
      int h = root.height();
      this.path = new Branch[h];
      this.pathPos = new int[h];
      descend(lo);
    }

    /** Positions before the first datom not below {@code lo}, walking down from the root. */
    private void descend(Datom lo) {
      Node n = rootNode();
      depth = 0;
      while (n instanceof Branch b) {
        int c = b.route(order, full, lo);
        path[depth] = b;
        pathPos[depth] = c;
        depth++;
        n = b.child(c);
      }
      enter((Leaf) n);
      pos = leaf.lowerBound(order, full, lo) - 1;
      markStart(lo);
    }

    private void markStart(Datom lo) {
      startKey = lo;
      startLeaf = leaf;
      start = pos + 1;
    }

    /**
     * Turns this cursor to the range {@code [lo, hi]}. When {@code lo} is not below the last
     * range's start and falls in the current leaf, the leaf is searched forward from where the
     * last range began (galloping: a few comparisons when the ranges are close); otherwise the
     * search starts again from the root.
     */
    void reaim(Datom lo, Datom hi) {
      this.hi = hi;
      int from = -1;
      if (order.compare(lo, startKey, full) >= 0) {
        if (leaf == startLeaf) {
          from = start;
        } else if (leaf.compareAt(order, full, 0, lo) <= 0) {
          from = 0;
        }
      }
      if (from >= 0 && leaf.size > 0 && leaf.compareAt(order, full, leaf.size - 1, lo) >= 0) {
        int p = leaf.firstNotBelow(order, full, from, lo);
        enter(leaf);
        pos = p - 1;
        markStart(lo);
      } else {
        descend(lo);
      }
    }

    private void enter(Leaf l) {
      leaf = l;
      pos = -1;
      end = l.size;
      last = l.size > 0 && l.compareAt(order, full, l.size - 1, hi) > 0;
      bounded = false;
    }

    @Override
    public boolean next() {
      while (true) {
        if (++pos < end) {
          if (last && !bounded) {
            end = leaf.firstAbove(order, full, pos, hi);
            bounded = true;
            if (pos >= end) {
              pos = end;
              return false;
            }
          }
          return true;
        }
        pos = end;
        if (last || !nextLeaf()) {
          last = true;
          return false;
        }
      }
    }

    private boolean nextLeaf() {
      int d = depth - 1;
      while (d >= 0 && pathPos[d] + 1 >= path[d].size()) {
        d--;
      }
      if (d < 0) {
        return false;
      }
      pathPos[d]++;
      Node n = path[d].child(pathPos[d]);
      for (int k = d + 1; k < depth; k++) {
        Branch b = (Branch) n;
        path[k] = b;
        pathPos[k] = 0;
        n = b.child(0);
      }
      enter((Leaf) n);
      return true;
    }

    @Override
    public long e() {
      return leaf.e[pos];
    }

    @Override
    public long a() {
      return leaf.a[pos];
    }

    @Override
    public Object v() {
      return leaf.v[pos];
    }

    @Override
    public long tx() {
      return leaf.tx[pos];
    }

    @Override
    public boolean added() {
      return leaf.addedAt(pos);
    }
  }
}
