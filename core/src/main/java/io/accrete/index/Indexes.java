package io.accrete.index;

import io.accrete.Datom;
import java.util.List;

/**
 * The four covering indexes of a database value (EAVT, AEVT, AVET for every datom, VAET for
 * references), each split into current and history datoms and into durable trees and novelty.
 * Immutable: {@link #apply} returns new indexes and leaves this one as it was.
 */
public final class Indexes {
  private final SortedIndex eavt;
  private final SortedIndex aevt;
  private final SortedIndex avet;
  private final SortedIndex vaet;
  private final long noveltyDatoms;
  /** Stored full-text indexes of the durable trees' current datoms, by attribute id. */
  private final java.util.Map<Long, FulltextSegment> fulltext;

  private Indexes(SortedIndex eavt, SortedIndex aevt, SortedIndex avet, SortedIndex vaet,
      long noveltyDatoms, java.util.Map<Long, FulltextSegment> fulltext) {
    this.eavt = eavt;
    this.aevt = aevt;
    this.avet = avet;
    this.vaet = vaet;
    this.noveltyDatoms = noveltyDatoms;
    this.fulltext = fulltext;
  }

  /** Empty indexes. */
  public static Indexes empty() {
    return new Indexes(SortedIndex.empty(IndexOrder.EAVT), SortedIndex.empty(IndexOrder.AEVT),
        SortedIndex.empty(IndexOrder.AVET), SortedIndex.empty(IndexOrder.VAET), 0, java.util.Map.of());
  }

  /** Indexes over the given ones (durable trees, usually with no novelty). */
  public static Indexes of(SortedIndex eavt, SortedIndex aevt, SortedIndex avet, SortedIndex vaet) {
    return new Indexes(eavt, aevt, avet, vaet, 0, java.util.Map.of());
  }

  /**
   * These indexes with stored full-text indexes of their durable trees (built from exactly
   * these trees' current datoms); novelty applied later is searched beside them.
   */
  public Indexes withFulltext(java.util.Map<Long, FulltextSegment> segments) {
    return new Indexes(eavt, aevt, avet, vaet, noveltyDatoms, java.util.Map.copyOf(segments));
  }

  /** The stored full-text indexes of the durable trees, by attribute id (empty when none). */
  public java.util.Map<Long, FulltextSegment> fulltext() {
    return fulltext;
  }

  /** The index of an order. */
  public SortedIndex get(IndexOrder order) {
    switch (order) {
      case EAVT:
        return eavt;
      case AEVT:
        return aevt;
      case AVET:
        return avet;
      default:
        return vaet;
    }
  }

  /** The number of datoms applied since the durable trees were last built. */
  public long noveltyDatoms() {
    return noveltyDatoms;
  }

  /**
   * Applies one or more transactions' datoms, in order. An assertion must not already be
   * current and a retraction must name a current datom: the transaction processor drops
   * redundant datoms before they get here.
   */
  public Indexes apply(List<Datom> datoms, AttributeKinds kinds) {
    if (datoms.isEmpty()) {
      return this;
    }
    Batch b = new Batch(kinds);
    for (Datom d : datoms) {
      b.apply(d);
    }
    b.flush();
    return b.finish(datoms.size());
  }

  /**
   * These indexes without the given datoms (excision): each is removed wherever it is, current
   * or history, durable tree or novelty, in every order that holds it. A datom goes only where
   * one equal to it whole is found; the novelty count is unchanged.
   */
  public Indexes without(List<Datom> datoms, AttributeKinds kinds) {
    if (datoms.isEmpty()) {
      return this;
    }
    SortedIndex[] out = new SortedIndex[4];
    for (int i = 0; i < 4; i++) {
      IndexOrder order = IndexOrder.ALL[i];
      List<Datom> here = new java.util.ArrayList<>(datoms.size());
      for (Datom d : datoms) {
        if (order != IndexOrder.VAET || kinds.isRef(d.a())) {
          here.add(d);
        }
      }
      here.sort((x, y) -> order.compare(x, y, true));
      out[i] = get(order).without(here);
    }
    return new Indexes(out[0], out[1], out[2], out[3], noveltyDatoms, fulltext);
  }

  /**
   * These indexes with all novelty merged into new durable trees; the stored full-text indexes
   * described the old trees, so they are not carried over.
   */
  public Indexes merged() {
    return new Indexes(eavt.merged(), aevt.merged(), avet.merged(), vaet.merged(), 0, java.util.Map.of());
  }

  /**
   * These indexes (a later value of the database whose novelty {@code snapshot} had) carried
   * over onto {@code merged}, the trees an indexing job built from {@code snapshot}'s novelty:
   * the novelty left is what changed since the snapshot, found by comparing the two novelties
   * (sorted sets, one walk each) instead of applying the later transactions again. Null when
   * something other than transactions changed the indexes since (another merge, an excision):
   * the caller then replays the log.
   */
  public Indexes rebase(Indexes snapshot, Indexes merged) {
    SortedIndex[] out = new SortedIndex[4];
    for (int i = 0; i < 4; i++) {
      IndexOrder order = IndexOrder.ALL[i];
      SortedIndex now = get(order);
      SortedIndex was = snapshot.get(order);
      SortedIndex onto = merged.get(order);
      if (now.baseCurrent != was.baseCurrent || now.baseHistory != was.baseHistory) {
        return null;
      }
      DatomSet cur = since(order, false, now.novCurrent, was.novCurrent);
      DatomSet hist = cur == null ? null : since(order, true, now.novHistory, was.novHistory);
      if (hist == null) {
        return null;
      }
      out[i] = new SortedIndex(order, onto.baseCurrent, onto.baseHistory, cur, hist);
    }
    return new Indexes(out[0], out[1], out[2], out[3], noveltyDatoms - snapshot.noveltyDatoms,
        merged.fulltext);
  }

  /**
   * The novelty over trees that hold {@code was} merged in, equivalent to {@code now} over the
   * trees without it: {@code now}'s entries that {@code was} lacks and, in a current set, a
   * tombstone for each assertion of {@code was} retracted since (its key is in the trees, no
   * longer current). Null when {@code was} holds an entry that transactions alone could not
   * have taken out of {@code now}: a tombstone, or anything of a history set (history only
   * grows; an excision removes from it).
   */
  private static DatomSet since(IndexOrder order, boolean full, DatomSet now, DatomSet was) {
    if (was.isEmpty()) {
      return now;
    }
    List<Datom> n = now.toList();
    List<Datom> w = was.toList();
    DatomSet.Transient out = DatomSet.empty(order, full).asTransient();
    int i = 0;
    int j = 0;
    while (i < n.size() || j < w.size()) {
      int c = i == n.size() ? 1 : j == w.size() ? -1 : order.compare(n.get(i), w.get(j), full);
      if (c < 0) {
        out.add(n.get(i++));
      } else if (c > 0) {
        Datom gone = w.get(j++);
        if (full || !gone.added()) {
          return null;
        }
        // The tombstone only names the key; its tx is never shown (history has the retraction).
        out.add(new Datom(gone.e(), gone.a(), gone.v(), gone.tx(), false));
      } else {
        Datom x = n.get(i++);
        Datom y = w.get(j++);
        if (x != y && (x.tx() != y.tx() || x.added() != y.added())) {
          out.add(x);
        }
      }
    }
    return out.persistent();
  }

  /** Transient novelty of all four orders for one batch of datoms. */
  private final class Batch {
    /** Fewer assertions in a row than this go in one by one: sorting runs costs more. */
    private static final int RUN_MIN = 16;

    private final AttributeKinds kinds;
    private final DatomSet.Transient[] cur = new DatomSet.Transient[4];
    private final DatomSet.Transient[] hist = new DatomSet.Transient[4];
    /** Assertions not yet added, in the order they came; a retraction adds them first. */
    private Datom[] pending = new Datom[64];
    private int npending;

    Batch(AttributeKinds kinds) {
      this.kinds = kinds;
    }

    private DatomSet.Transient cur(int i) {
      if (cur[i] == null) {
        cur[i] = get(IndexOrder.ALL[i]).novCurrent.asTransient();
      }
      return cur[i];
    }

    private DatomSet.Transient hist(int i) {
      if (hist[i] == null) {
        hist[i] = get(IndexOrder.ALL[i]).novHistory.asTransient();
      }
      return hist[i];
    }

    void apply(Datom d) {
      if (d.added()) {
        if (npending == pending.length) {
          pending = java.util.Arrays.copyOf(pending, npending * 2);
        }
        pending[npending++] = d;
        return;
      }
      flush();
      int n = kinds.isRef(d.a()) ? 4 : 3;
      // A retraction: find the assertion it ends, to move it into history.
      Datom inNovelty = cur(0).find(d);
      Datom asserted = inNovelty != null
          ? (inNovelty.added() ? inNovelty : null)
          : eavt.baseCurrent.find(d);
      if (asserted == null) {
        throw new IllegalStateException("retraction of a datom that is not current: " + d);
      }
      boolean inBase = eavt.baseCurrent.find(d) != null;
      for (int i = 0; i < n; i++) {
        if (inBase) {
          cur(i).add(d); // a tombstone hiding the durable datom
        } else {
          cur(i).remove(d);
        }
      }
      if (kinds.keepsHistory(d.a())) {
        for (int i = 0; i < n; i++) {
          DatomSet.Transient h = hist(i);
          h.add(asserted);
          h.add(d);
        }
      }
    }

    /**
     * Adds the pending assertions: a long run as sorted runs per order (a transaction's datoms
     * come sorted by entity, so EAVT needs no sort and AEVT only a stable pass by attribute),
     * a short one datom by datom.
     */
    void flush() {
      int n = npending;
      npending = 0;
      if (n < RUN_MIN) {
        for (int k = 0; k < n; k++) {
          Datom d = pending[k];
          pending[k] = null;
          long pv = Values.prefix(d.v());
          boolean exact = Values.prefixIsExact(d.v());
          int orders = kinds.isRef(d.a()) ? 4 : 3;
          for (int i = 0; i < orders; i++) {
            cur(i).add(d, pv, exact);
          }
        }
        return;
      }
      Datom[] run = java.util.Arrays.copyOf(pending, n);
      java.util.Arrays.fill(pending, 0, n, null);
      long[] pv = new long[n];
      boolean[] exact = new boolean[n];
      n = sorted(IndexOrder.EAVT, run, n);
      for (int k = 0; k < n; k++) {
        pv[k] = Values.prefix(run[k].v());
        exact[k] = Values.prefixIsExact(run[k].v());
      }
      addRun(0, run, pv, exact, n);
      Datom[] byAttr = new Datom[n];
      long[] pvA = new long[n];
      boolean[] exactA = new boolean[n];
      int[] segments = byAttribute(run, pv, exact, n, byAttr, pvA, exactA);
      addRun(1, byAttr, pvA, exactA, n);
      addByValue(IndexOrder.AVET, byAttr, pvA, exactA, n, segments);
      addByValue(IndexOrder.VAET, byAttr, pvA, exactA, n, segments);
    }

    /**
     * Adds a run in AEVT order to AVET or (its references) to VAET: each attribute's part is
     * sorted stably by value (equal values keep their entities ascending); VAET with several
     * reference attributes sorts its part whole, by value and then attribute.
     */
    private void addByValue(IndexOrder order, Datom[] byAttr, long[] pv, boolean[] exact, int n, int[] segments) {
      boolean refs = order == IndexOrder.VAET;
      int[] idx = new int[n];
      int m = 0;
      int refAttrs = 0;
      for (int s = 0; s + 1 < segments.length; s++) {
        int from = segments[s];
        int to = segments[s + 1];
        if (refs && !kinds.isRef(byAttr[from].a())) {
          continue;
        }
        refAttrs++;
        for (int k = from; k < to; k++) {
          idx[m++] = k;
        }
        if (!refs) {
          new ValueSort(byAttr, pv, exact, false).sort(idx, from, to);
        }
      }
      if (m == 0) {
        return;
      }
      if (refs) {
        new ValueSort(byAttr, pv, exact, refAttrs > 1).sort(idx, 0, m);
      }
      Datom[] run = new Datom[m];
      long[] pvR = new long[m];
      boolean[] exactR = new boolean[m];
      for (int k = 0; k < m; k++) {
        int at = idx[k];
        run[k] = byAttr[at];
        pvR[k] = pv[at];
        exactR[k] = exact[at];
      }
      addRun(order.ordinal(), run, pvR, exactR, m);
    }

    private void addRun(int i, Datom[] run, long[] pv, boolean[] exact, int n) {
      cur(i).addSorted(run, pv, exact, n);
    }

    /**
     * Sorts {@code run[0, n)} by {@code order}'s key unless it already ascends, keeping the
     * last of equal datoms (as adding them one by one would); returns how many are left.
     */
    private int sorted(IndexOrder order, Datom[] run, int n) {
      int k = 1;
      while (k < n && order.compareKey(run[k - 1], run[k]) < 0) {
        k++;
      }
      if (k >= n) {
        return n;
      }
      java.util.Arrays.sort(run, 0, n, order::compareKey);
      int m = 1;
      for (int i = 1; i < n; i++) {
        if (order.compareKey(run[m - 1], run[i]) == 0) {
          run[m - 1] = run[i];
        } else {
          run[m++] = run[i];
        }
      }
      return m;
    }

    /**
     * Copies a run sorted by EAVT into AEVT order: stably by attribute (a transaction names
     * few attributes; counting them is one pass).
     */
    private int[] byAttribute(Datom[] run, long[] pv, boolean[] exact, int n,
        Datom[] out, long[] pvOut, boolean[] exactOut) {
      long[] attrs = new long[8];
      int[] counts = new int[8];
      int distinct = 0;
      int[] slot = new int[n];
      for (int k = 0; k < n; k++) {
        long a = run[k].a();
        int s = 0;
        while (s < distinct && attrs[s] != a) {
          s++;
        }
        if (s == distinct) {
          if (distinct == attrs.length) {
            attrs = java.util.Arrays.copyOf(attrs, distinct * 2);
            counts = java.util.Arrays.copyOf(counts, distinct * 2);
          }
          attrs[distinct++] = a;
        }
        counts[s]++;
        slot[k] = s;
      }
      // Attributes ascending: rank each slot, then give each its first output position.
      Integer[] byId = new Integer[distinct];
      for (int s = 0; s < distinct; s++) {
        byId[s] = s;
      }
      long[] ids = attrs;
      java.util.Arrays.sort(byId, (x, y) -> Long.compare(ids[x], ids[y]));
      int[] start = new int[distinct];
      int[] segments = new int[distinct + 1];
      int at = 0;
      for (int r = 0; r < distinct; r++) {
        int s = byId[r];
        start[s] = at;
        segments[r] = at;
        at += counts[s];
      }
      segments[distinct] = at;
      for (int k = 0; k < n; k++) {
        int p = start[slot[k]]++;
        out[p] = run[k];
        pvOut[p] = pv[k];
        exactOut[p] = exact[k];
      }
      return segments;
    }

    Indexes finish(int applied) {
      SortedIndex[] out = new SortedIndex[4];
      for (int i = 0; i < 4; i++) {
        SortedIndex s = get(IndexOrder.ALL[i]);
        DatomSet c = cur[i] == null ? s.novCurrent : cur[i].persistent();
        DatomSet h = hist[i] == null ? s.novHistory : hist[i].persistent();
        out[i] = c == s.novCurrent && h == s.novHistory
            ? s
            : new SortedIndex(s.order, s.baseCurrent, s.baseHistory, c, h);
      }
      return new Indexes(out[0], out[1], out[2], out[3], noveltyDatoms + applied, fulltext);
    }
  }

  /**
   * A stable merge sort of positions in a run by value (equal values keep their order, so
   * entities stay ascending) and, with {@code thenAttribute}, by attribute: values compared by
   * their prefixes first, on primitives, without boxing.
   */
  private static final class ValueSort {
    private final Datom[] run;
    private final long[] pv;
    private final boolean[] exact;
    private final boolean thenAttribute;

    ValueSort(Datom[] run, long[] pv, boolean[] exact, boolean thenAttribute) {
      this.run = run;
      this.pv = pv;
      this.exact = exact;
      this.thenAttribute = thenAttribute;
    }

    void sort(int[] idx, int from, int to) {
      sort(idx, new int[to], from, to);
    }

    private void sort(int[] a, int[] tmp, int from, int to) {
      if (to - from <= 12) {
        for (int i = from + 1; i < to; i++) {
          int x = a[i];
          int j = i - 1;
          while (j >= from && compare(a[j], x) > 0) {
            a[j + 1] = a[j];
            j--;
          }
          a[j + 1] = x;
        }
        return;
      }
      int mid = (from + to) >>> 1;
      sort(a, tmp, from, mid);
      sort(a, tmp, mid, to);
      if (compare(a[mid - 1], a[mid]) <= 0) {
        return; // already in order, as runs of ascending values often are
      }
      System.arraycopy(a, from, tmp, from, to - from);
      int i = from;
      int j = mid;
      for (int k = from; k < to; k++) {
        a[k] = j >= to || (i < mid && compare(tmp[i], tmp[j]) <= 0) ? tmp[i++] : tmp[j++];
      }
    }

    private int compare(int x, int y) {
      int c = pv[x] != pv[y] ? (pv[x] < pv[y] ? -1 : 1)
          : exact[x] && exact[y] ? 0 : Values.compare(run[x].v(), run[y].v());
      return c != 0 || !thenAttribute ? c : Long.compare(run[x].a(), run[y].a());
    }
  }
}
