package io.accrete.index;

import io.accrete.Datom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A persistent sorted set of datoms: the in-memory novelty of one index order. A B+tree of
 * small nodes with path copying, so every database value keeps its own version cheaply.
 * A {@link Transient} applies a whole transaction with in-place edits on nodes it created
 * itself, then freezes.
 *
 * <p>Elements are unique under the set's comparison: by key for current sets (adding a datom
 * replaces the one with the same e, a, v) and fully for history sets.
 *
 * <p>Each node keeps, beside its datoms, their keys as three longs ({@link IndexOrder#prefix}):
 * searches compare those first and look at the datoms (and their value objects) only on a tie,
 * so a search reads a few cache lines of longs instead of chasing a pointer per comparison.
 */
public final class DatomSet {
  /** Most elements of a branch. */
  private static final int MAX = 64;
  /**
   * Most elements of a leaf: smaller than a branch, since a small transaction copies one leaf
   * per datom and index, while branches on its paths share their keys.
   */
  private static final int LEAF_MAX = 48;
  /** Longs of key prefix per element ({@link IndexOrder#prefix}). */
  private static final int W = IndexOrder.PREFIX_WIDTH;

  private final IndexOrder order;
  private final boolean full;
  private final SetNode root;

  private DatomSet(IndexOrder order, boolean full, SetNode root) {
    this.order = order;
    this.full = full;
    this.root = root;
  }

  /** An empty set. */
  public static DatomSet empty(IndexOrder order, boolean full) {
    return new DatomSet(order, full, null);
  }

  /** The number of datoms. */
  public int size() {
    return root == null ? 0 : root.count;
  }

  public boolean isEmpty() {
    return root == null;
  }

  /** The element equal to {@code key} under this set's comparison, or null. */
  public Datom find(Datom key) {
    return find(root, key);
  }

  private Datom find(SetNode n, Datom key) {
    if (n == null) {
      return null;
    }
    Probe p = probe(key);
    while (n.children != null) {
      int i = n.route(this, p);
      if (i < 0) {
        return null;
      }
      n = n.children[i];
    }
    int i = n.lowerBound(this, p);
    return i < n.len && cmpAt(n, i, p) == 0 ? n.keys[i] : null;
  }

  /** The set with {@code d} added, replacing an equal element. */
  public DatomSet with(Datom d) {
    Transient t = asTransient();
    t.add(d);
    return t.persistent();
  }

  /** The set without the element equal to {@code key}. */
  public DatomSet without(Datom key) {
    Transient t = asTransient();
    t.remove(key);
    return t.persistent();
  }

  /** A transient copy for a batch of changes. */
  public Transient asTransient() {
    return new Transient(root);
  }

  /** All elements in order, as a list. */
  public List<Datom> toList() {
    List<Datom> out = new ArrayList<>(size());
    DatomCursor c = cursor(null, null);
    while (c.next()) {
      out.add(((SetCursor) c).current());
    }
    return out;
  }

  /**
   * A cursor from {@code lo} to {@code hi}, both inclusive; a null bound is open.
   */
  public DatomCursor cursor(Datom lo, Datom hi) {
    return root == null ? DatomCursor.empty() : new SetCursor(lo, hi);
  }

  /** The number of elements from {@code lo} to {@code hi}, both inclusive. */
  public long count(Datom lo, Datom hi) {
    if (root == null) {
      return 0;
    }
    return Math.max(0, rank(hi, true) - rank(lo, false));
  }

  private long rank(Datom key, boolean inclusive) {
    long r = 0;
    SetNode n = root;
    Probe p = probe(key);
    while (n.children != null) {
      int i = n.route(this, p);
      if (i < 0) {
        return r + n.count;
      }
      for (int k = 0; k < i; k++) {
        r += n.children[k].count;
      }
      n = n.children[i];
    }
    int i = inclusive ? n.upperBound(this, p) : n.lowerBound(this, p);
    return r + i;
  }

  int cmp(Datom x, Datom y) {
    return full ? order.compareFull(x, y) : order.compareKey(x, y);
  }

  /** A datom searched for, with its key prefix computed once. */
  private static final class Probe {
    final Datom d;
    final long[] k = new long[W];

    Probe(IndexOrder order, Datom d) {
      this.d = d;
      order.prefix(d, k, 0);
    }

    Probe(IndexOrder order, Datom d, long pv, boolean exact) {
      this.d = d;
      order.prefix(d, pv, exact, k, 0);
    }
  }

  private Probe probe(Datom d) {
    return new Probe(order, d);
  }

  /**
   * Compares element {@code i} of {@code n} with the probe: the prefixes while they decide,
   * then the datoms.
   */
  int cmpAt(SetNode n, int i, Probe p) {
    return cmpPre(n.pre, i * W, n.keys[i], p.k, 0, p.d);
  }

  /** Compares datom {@code x} with prefix at {@code xp[xAt]} to {@code y} with its at {@code yp[yAt]}. */
  private int cmpPre(long[] xp, int xAt, Datom x, long[] yp, int yAt, Datom y) {
    for (int j = 0; j < W; j++) {
      long a = xp[xAt + j];
      long b = yp[yAt + j];
      if (a == IndexOrder.UNDECIDED || b == IndexOrder.UNDECIDED) {
        break;
      }
      if (a != b) {
        return a < b ? -1 : 1;
      }
    }
    return cmp(x, y);
  }

  /** The key prefixes of {@code run[0, n)} in this set's order, {@link #W} longs each. */
  private long[] prefixes(Datom[] run, long[] valuePrefix, boolean[] exact, int n) {
    long[] out = new long[n * W];
    for (int i = 0; i < n; i++) {
      order.prefix(run[i], valuePrefix[i], exact[i], out, i * W);
    }
    return out;
  }

  /**
   * A node: a leaf when {@code children} is null. {@code keys[i]} of a branch is the largest
   * element of child {@code i}. {@code edit} marks nodes a live transient may change in place.
   */
  private static final class SetNode {
    Datom[] keys;
    /** The keys' prefixes, two longs each ({@link IndexOrder#prefix}). */
    long[] pre;
    SetNode[] children;
    int len;
    int count;
    Object edit;
    /**
     * True while {@link #keys} and {@link #pre} are still those of the node this one was
     * copied from: a path copy shares them until it changes them (a branch on an insert path
     * usually only swaps a child, so its keys need no copy).
     */
    boolean shared;

    SetNode(Datom[] keys, long[] pre, SetNode[] children, int len, int count, Object edit) {
      this.keys = keys;
      this.pre = pre;
      this.children = children;
      this.len = len;
      this.count = count;
      this.edit = edit;
    }

    Datom max() {
      return keys[len - 1];
    }

    /** The most elements this node may hold. */
    int capacity() {
      return children == null ? LEAF_MAX : MAX;
    }

    /** Sets key {@code i} to the largest element of {@code child}, with its prefix. */
    void keyFrom(int i, SetNode child) {
      Datom max = child.keys[child.len - 1];
      if (keys[i] == max) {
        return; // the same datom has the same prefix
      }
      own();
      keys[i] = max;
      System.arraycopy(child.pre, (child.len - 1) * W, pre, i * W, W);
    }

    /** Makes {@link #keys} and {@link #pre} this node's own before a change. */
    void own() {
      if (shared) {
        int cap = Math.min(capacity(), len + 2);
        keys = Arrays.copyOf(keys, cap);
        pre = Arrays.copyOf(pre, cap * W);
        shared = false;
      }
    }

    int lowerBound(DatomSet s, Probe key) {
      int lo = 0;
      int hi = len;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (s.cmpAt(this, mid, key) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    int upperBound(DatomSet s, Probe key) {
      int lo = 0;
      int hi = len;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (s.cmpAt(this, mid, key) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /** The first child whose largest element is not below {@code key}, or -1. */
    int route(DatomSet s, Probe key) {
      // Past the last key: one comparison instead of a search (appends, e.g. new entities
      // in EAVT, always land there).
      if (s.cmpAt(this, len - 1, key) < 0) {
        return -1;
      }
      return lowerBound(s, key);
    }
  }

  /** A batch of changes made in place on nodes this transient owns. */
  public final class Transient {
    private SetNode root;
    private Object edit = new Object();

    Transient(SetNode root) {
      this.root = root;
    }

    /** Adds {@code d}, replacing an equal element. */
    public void add(Datom d) {
      add(d, Values.prefix(d.v()), Values.prefixIsExact(d.v()));
    }

    /**
     * {@link #add(Datom)} with the value's {@link Values#prefix} and exactness computed by the
     * caller, once for all the sets a datom goes into.
     */
    public void add(Datom d, long valuePrefix, boolean exact) {
      check();
      Probe p = new Probe(order, d, valuePrefix, exact);
      if (root == null) {
        Datom[] keys = new Datom[LEAF_MAX];
        long[] pre = new long[LEAF_MAX * W];
        keys[0] = d;
        System.arraycopy(p.k, 0, pre, 0, W);
        root = new SetNode(keys, pre, null, 1, 1, edit);
        return;
      }
      SetNode left = insert(root, p);
      SetNode right = splitRight;
      splitRight = null;
      if (right == null) {
        root = left;
        return;
      }
      SetNode r = new SetNode(new Datom[MAX], new long[MAX * W], new SetNode[MAX], 2,
          left.count + right.count, edit);
      r.children[0] = left;
      r.children[1] = right;
      r.keyFrom(0, left);
      r.keyFrom(1, right);
      root = r;
    }

    /**
     * Adds {@code run[0, n)}, which ascends strictly under this set's comparison, replacing
     * equal elements: one walk down the tree for the whole run and each touched node rebuilt
     * once, instead of a descent and a path copy per datom. {@code valuePrefix} and {@code
     * exact} are the values' {@link Values#prefix} and {@link Values#prefixIsExact}.
     */
    public void addSorted(Datom[] run, long[] valuePrefix, boolean[] exact, int n) {
      check();
      if (n == 0) {
        return;
      }
      long[] pre = prefixes(run, valuePrefix, exact, n);
      List<SetNode> out = new ArrayList<>();
      if (root == null) {
        pack(Arrays.copyOf(run, n), pre, 0, n, null, true, out); // the nodes must not share the caller's array
      } else {
        insertRun(root, run, pre, 0, n, out);
      }
      while (out.size() > 1) {
        List<SetNode> up = new ArrayList<>(out.size() / MAX + 1);
        packBranches(out, true, up);
        out = up;
      }
      root = out.get(0);
    }

    /** Puts the nodes the subtree at {@code n} becomes with {@code run[from, to)} into {@code out}. */
    private void insertRun(SetNode n, Datom[] run, long[] rp, int from, int to, List<SetNode> out) {
      boolean append = cmpPre(n.pre, (n.len - 1) * W, n.keys[n.len - 1], rp, from * W, run[from]) < 0;
      if (n.children == null) {
        mergeLeaf(n, run, rp, from, to, append, out);
        return;
      }
      List<SetNode> kids = new ArrayList<>(n.len + 4);
      int c = 0;
      int j = from;
      while (j < to) {
        // The first child from c whose largest element is not below run[j], else the last.
        int k = append ? n.len - 1 : firstNotBelow(n, c, n.len - 1, rp, j, run[j]);
        for (int x = c; x < k; x++) {
          kids.add(n.children[x]);
        }
        int end = k == n.len - 1 ? to : runEnd(n, k, run, rp, j, to);
        insertRun(n.children[k], run, rp, j, end, kids);
        j = end;
        c = k + 1;
      }
      for (int x = c; x < n.len; x++) {
        kids.add(n.children[x]);
      }
      packBranches(kids, append, out);
    }

    /**
     * The first position in {@code [lo, hi)} of node {@code n} whose element is not below the
     * run's element {@code d} (prefix at {@code rp[j * W]}), else {@code hi}.
     */
    private int firstNotBelow(SetNode n, int lo, int hi, long[] rp, int j, Datom d) {
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cmpPre(n.pre, mid * W, n.keys[mid], rp, j * W, d) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /** The end of the part of {@code run[j, to)} not above child {@code k}'s largest element (galloping). */
    private int runEnd(SetNode n, int k, Datom[] run, long[] rp, int j, int to) {
      int at = k * W;
      Datom max = n.keys[k];
      int lo = j + 1; // run[j] belongs to child k
      int step = 1;
      int hi = lo;
      while (hi < to && cmpPre(rp, hi * W, run[hi], n.pre, at, max) <= 0) {
        lo = hi + 1;
        hi = lo + step;
        step <<= 1;
      }
      hi = Math.min(hi, to);
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cmpPre(rp, mid * W, run[mid], n.pre, at, max) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /** Merges {@code run[from, to)} into leaf {@code n} (the run's elements win ties) and packs the result. */
    private void mergeLeaf(SetNode n, Datom[] run, long[] rp, int from, int to, boolean append, List<SetNode> out) {
      int cap = n.len + to - from;
      Datom[] keys = new Datom[cap];
      long[] pre = new long[cap * W];
      int m = 0;
      int i = 0;
      int j = from;
      if (append) {
        System.arraycopy(n.keys, 0, keys, 0, n.len);
        System.arraycopy(n.pre, 0, pre, 0, n.len * W);
        i = m = n.len;
      }
      // Each run element's place by binary search in the rest of the leaf, the leaf's elements
      // before it copied as a block: a few comparisons per element, not one per leaf element.
      while (i < n.len && j < to) {
        int lo = firstNotBelow(n, i, n.len, rp, j, run[j]);
        int before = lo - i;
        System.arraycopy(n.keys, i, keys, m, before);
        System.arraycopy(n.pre, i * W, pre, m * W, before * W);
        m += before;
        i = lo;
        keys[m] = run[j];
        System.arraycopy(rp, j * W, pre, m * W, W);
        m++;
        if (i < n.len && cmpPre(n.pre, i * W, n.keys[i], rp, j * W, run[j]) == 0) {
          i++; // replaced
        }
        j++;
      }
      int rest = n.len - i;
      System.arraycopy(n.keys, i, keys, m, rest);
      System.arraycopy(n.pre, i * W, pre, m * W, rest * W);
      m += rest;
      rest = to - j;
      System.arraycopy(run, j, keys, m, rest);
      System.arraycopy(rp, j * W, pre, m * W, rest * W);
      m += rest;
      pack(keys, pre, 0, m, null, append, out);
    }

    /** Branches over {@code kids}, packed. */
    private void packBranches(List<SetNode> kids, boolean append, List<SetNode> out) {
      int n = kids.size();
      Datom[] keys = new Datom[n];
      long[] pre = new long[n * W];
      SetNode[] children = kids.toArray(new SetNode[0]);
      for (int i = 0; i < n; i++) {
        SetNode k = children[i];
        keys[i] = k.max();
        System.arraycopy(k.pre, (k.len - 1) * W, pre, i * W, W);
      }
      pack(keys, pre, 0, n, children, append, out);
    }

    /**
     * Nodes (leaves when {@code children} is null) over elements {@code [from, to)} of the
     * arrays: one when they fit, else full ones for an append (ascending loads do not leave
     * half-empty nodes behind) or equal ones.
     */
    private void pack(Datom[] keys, long[] pre, int from, int to, SetNode[] children, boolean append,
        List<SetNode> out) {
      int total = to - from;
      // A node at rest holds one less than its capacity (an insert fills it, then it splits).
      int cap = (children == null ? LEAF_MAX : MAX) - 1;
      int parts = (total + cap - 1) / cap;
      if (parts == 1 && from == 0 && to == keys.length && (children == null || children.length == to)) {
        out.add(new SetNode(keys, pre, children, total, children == null ? total : sum(children), edit));
        return;
      }
      int at = from;
      for (int p = 0; p < parts; p++) {
        int size = append ? Math.min(cap, to - at) : (total / parts) + (p < total % parts ? 1 : 0);
        SetNode[] ch = children == null ? null : Arrays.copyOfRange(children, at - from, at - from + size);
        out.add(new SetNode(Arrays.copyOfRange(keys, at, at + size), Arrays.copyOfRange(pre, at * W, (at + size) * W),
            ch, size, ch == null ? size : sum(ch), edit));
        at += size;
      }
    }

    private static int sum(SetNode[] nodes) {
      int count = 0;
      for (SetNode c : nodes) {
        count += c.count;
      }
      return count;
    }

    /** The element equal to {@code key} in the set as changed so far, or null. */
    public Datom find(Datom key) {
      check();
      return DatomSet.this.find(root, key);
    }

    /** Removes the element equal to {@code key}, if present. */
    public void remove(Datom key) {
      check();
      if (root == null) {
        return;
      }
      root = delete(root, probe(key));
      while (root != null && root.children != null && root.len == 1) {
        root = root.children[0];
      }
    }

    /** Freezes the changes into a set; the transient is done. */
    public DatomSet persistent() {
      check();
      edit = null;
      return new DatomSet(order, full, root);
    }

    private void check() {
      if (edit == null) {
        throw new IllegalStateException("transient used after persistent()");
      }
    }

    private SetNode editable(SetNode n) {
      if (n.edit == edit) {
        return n;
      }
      // A little room, not the maximum: one small transaction copies a node per level and
      // index, and allocating full arrays for each costs more than its inserts.
      int cap = Math.min(n.capacity(), n.len + 2);
      SetNode[] ch = n.children == null ? null : Arrays.copyOf(n.children, cap);
      SetNode copy = new SetNode(n.keys, n.pre, ch, n.len, n.count, edit);
      copy.shared = true;
      return copy;
    }

    /** The right half of the node the last {@link #insert} split, or null. */
    private SetNode splitRight;

    /**
     * Inserts into the subtree at {@code n} and returns its new version; when the node
     * overflowed, returns the left half and leaves the right half in {@link #splitRight}.
     */
    private SetNode insert(SetNode n, Probe p) {
      SetNode node = editable(n);
      if (node.children == null) {
        int i = cmpAt(node, node.len - 1, p) < 0 ? node.len : node.lowerBound(DatomSet.this, p);
        if (i < node.len && cmpAt(node, i, p) == 0) {
          node.own();
          node.keys[i] = p.d; // equal prefix too: it depends only on the key
          return node;
        }
        insertAt(node, i, p.d, p.k, 0, null);
        node.count++;
        return maybeSplit(node, i == node.len - 1);
      }
      int i = node.route(DatomSet.this, p);
      if (i < 0) {
        i = node.len - 1;
      }
      int before = node.children[i].count;
      SetNode child = insert(node.children[i], p);
      SetNode right = splitRight;
      splitRight = null;
      node.children[i] = child;
      node.keyFrom(i, child);
      if (right == null) {
        node.count += child.count - before;
        return node;
      }
      insertAt(node, i + 1, right.max(), right.pre, (right.len - 1) * W, right);
      node.count += child.count + right.count - before;
      return maybeSplit(node, i + 1 == node.len - 1);
    }

    /**
     * Splits a full node: in half, or, when the insert was at its end (ascending loads such as
     * new entities in EAVT), leaving the left node full so appends do not leave half-empty
     * nodes behind. The left half stays in {@code node}'s arrays.
     */
    private SetNode maybeSplit(SetNode node, boolean atEnd) {
      if (node.len < node.capacity()) {
        return node;
      }
      int keep = atEnd ? node.len - 1 : node.len / 2;
      int move = node.len - keep;
      boolean branch = node.children != null;
      int cap = Math.min(node.capacity(), move + 4);
      SetNode right = new SetNode(new Datom[cap], new long[cap * W], branch ? new SetNode[cap] : null, move, 0, edit);
      System.arraycopy(node.keys, keep, right.keys, 0, move);
      System.arraycopy(node.pre, keep * W, right.pre, 0, move * W);
      java.util.Arrays.fill(node.keys, keep, node.len, null);
      if (branch) {
        System.arraycopy(node.children, keep, right.children, 0, move);
        java.util.Arrays.fill(node.children, keep, node.len, null);
        for (int k = 0; k < move; k++) {
          right.count += right.children[k].count;
        }
        node.count -= right.count;
      } else {
        right.count = move;
        node.count -= move;
      }
      node.len = keep;
      splitRight = right;
      return node;
    }

    private void insertAt(SetNode node, int i, Datom key, long[] pre, int preAt, SetNode child) {
      node.own();
      if (node.len == node.keys.length) {
        // A node that fills up in one transaction is getting a bulk load: give it all the room.
        int cap = node.capacity();
        node.keys = Arrays.copyOf(node.keys, cap);
        node.pre = Arrays.copyOf(node.pre, cap * W);
        if (node.children != null) {
          node.children = Arrays.copyOf(node.children, cap);
        }
      }
      System.arraycopy(node.keys, i, node.keys, i + 1, node.len - i);
      node.keys[i] = key;
      System.arraycopy(node.pre, i * W, node.pre, i * W + W, (node.len - i) * W);
      System.arraycopy(pre, preAt, node.pre, i * W, W);
      if (node.children != null) {
        System.arraycopy(node.children, i, node.children, i + 1, node.len - i);
        node.children[i] = child;
      }
      node.len++;
    }

    /** Set by {@link #delete} when it found and removed the element. */
    private boolean removed;

    /**
     * Deletes from the subtree; returns its new version (possibly {@code n} itself, changed in
     * place), or null when it became empty. {@link #removed} tells whether anything changed.
     */
    private SetNode delete(SetNode n, Probe key) {
      removed = false;
      if (n.children == null) {
        int i = n.lowerBound(DatomSet.this, key);
        if (i >= n.len || cmpAt(n, i, key) != 0) {
          return n;
        }
        removed = true;
        if (n.len == 1) {
          return null;
        }
        SetNode node = editable(n);
        removeAt(node, i);
        node.count--;
        return node;
      }
      int i = n.route(DatomSet.this, key);
      if (i < 0) {
        return n;
      }
      SetNode now = delete(n.children[i], key);
      if (!removed) {
        return n;
      }
      SetNode node = editable(n);
      node.count--;
      if (now == null) {
        if (node.len == 1) {
          return null;
        }
        removeAt(node, i);
      } else {
        node.children[i] = now;
        node.keyFrom(i, now);
      }
      return node;
    }

    private void removeAt(SetNode node, int i) {
      node.own();
      System.arraycopy(node.keys, i + 1, node.keys, i, node.len - i - 1);
      node.keys[node.len - 1] = null;
      System.arraycopy(node.pre, (i + 1) * W, node.pre, i * W, (node.len - i - 1) * W);
      if (node.children != null) {
        System.arraycopy(node.children, i + 1, node.children, i, node.len - i - 1);
        node.children[node.len - 1] = null;
      }
      node.len--;
    }
  }

  /** Walks the leaves from {@code lo} to {@code hi}. */
  private final class SetCursor extends DatomCursor {
    private final Probe hi;
    private final SetNode[] path = new SetNode[16];
    private final int[] pathPos = new int[16];
    private int depth;
    private SetNode leaf;
    private int pos;
    private Datom cur;
    private boolean done;

    SetCursor(Datom lo, Datom hi) {
      this.hi = hi == null ? null : probe(hi);
      Probe from = lo == null ? null : probe(lo);
      SetNode n = root;
      while (n.children != null) {
        int i = from == null ? 0 : n.route(DatomSet.this, from);
        if (i < 0) {
          done = true;
          return;
        }
        path[depth] = n;
        pathPos[depth] = i;
        depth++;
        n = n.children[i];
      }
      leaf = n;
      pos = (from == null ? 0 : n.lowerBound(DatomSet.this, from)) - 1;
    }

    Datom current() {
      return cur;
    }

    @Override
    public boolean next() {
      if (done) {
        return false;
      }
      pos++;
      if (pos >= leaf.len && !nextLeaf()) {
        done = true;
        return false;
      }
      cur = leaf.keys[pos];
      if (hi != null && cmpAt(leaf, pos, hi) > 0) {
        done = true;
        return false;
      }
      return true;
    }

    private boolean nextLeaf() {
      int d = depth - 1;
      while (d >= 0 && pathPos[d] + 1 >= path[d].len) {
        d--;
      }
      if (d < 0) {
        return false;
      }
      pathPos[d]++;
      SetNode n = path[d].children[pathPos[d]];
      for (int k = d + 1; k < depth; k++) {
        path[k] = n;
        pathPos[k] = 0;
        n = n.children[0];
      }
      leaf = n;
      pos = 0;
      return true;
    }

    @Override
    public Datom datom() {
      return cur;
    }

    @Override
    public long e() {
      return cur.e();
    }

    @Override
    public long a() {
      return cur.a();
    }

    @Override
    public Object v() {
      return cur.v();
    }

    @Override
    public long tx() {
      return cur.tx();
    }

    @Override
    public boolean added() {
      return cur.added();
    }
  }
}
