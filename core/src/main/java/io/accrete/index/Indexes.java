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
    Batch b = new Batch();
    for (Datom d : datoms) {
      b.apply(d, kinds);
    }
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
    private final DatomSet.Transient[] cur = new DatomSet.Transient[4];
    private final DatomSet.Transient[] hist = new DatomSet.Transient[4];

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

    void apply(Datom d, AttributeKinds kinds) {
      int n = kinds.isRef(d.a()) ? 4 : 3;
      if (d.added()) {
        long pv = Values.prefix(d.v());
        boolean exact = Values.prefixIsExact(d.v());
        for (int i = 0; i < n; i++) {
          cur(i).add(d, pv, exact);
        }
        return;
      }
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
}
