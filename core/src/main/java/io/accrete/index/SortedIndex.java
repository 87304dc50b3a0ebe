package io.accrete.index;

import io.accrete.Datom;

/**
 * One index order as a database value sees it: the durable trees (current and history) plus
 * the in-memory novelty (current and history) since they were built. Immutable.
 */
public final class SortedIndex {
  final IndexOrder order;
  final IndexTree baseCurrent;
  final IndexTree baseHistory;
  final DatomSet novCurrent;
  final DatomSet novHistory;

  SortedIndex(IndexOrder order, IndexTree baseCurrent, IndexTree baseHistory, DatomSet novCurrent,
      DatomSet novHistory) {
    this.order = order;
    this.baseCurrent = baseCurrent;
    this.baseHistory = baseHistory;
    this.novCurrent = novCurrent;
    this.novHistory = novHistory;
  }

  /** An index over durable trees with no novelty, as the storage layer loads it. */
  public static SortedIndex of(IndexOrder order, IndexTree baseCurrent, IndexTree baseHistory) {
    return new SortedIndex(order, baseCurrent, baseHistory, DatomSet.empty(order, false),
        DatomSet.empty(order, true));
  }

  static SortedIndex empty(IndexOrder order) {
    return new SortedIndex(order, IndexTree.empty(order, false), IndexTree.empty(order, true),
        DatomSet.empty(order, false), DatomSet.empty(order, true));
  }

  public IndexOrder order() {
    return order;
  }

  /** The current datoms from {@code lo} to {@code hi}: present-time reads touch no history. */
  public DatomCursor current(Datom lo, Datom hi) {
    if (novCurrent.isEmpty()) {
      return baseCurrent.cursor(lo, hi);
    }
    return Cursors.current(order, baseCurrent.cursor(lo, hi), novCurrent.cursor(lo, hi));
  }

  /**
   * A reader of many ranges of the current datoms (see {@link RangeReader}): the durable tree
   * read forward from range to range, merged with the novelty's entries of each range.
   */
  public RangeReader currentReader() {
    RangeReader base = baseCurrent.reader();
    if (novCurrent.isEmpty()) {
      return base;
    }
    return (lo, hi) -> Cursors.current(order, base.range(lo, hi), novCurrent.cursor(lo, hi));
  }

  /**
   * The novelty's current entries from {@code lo} to {@code hi}: assertions since the durable
   * trees, and tombstones (retractions) hiding datoms of the trees.
   */
  public DatomCursor noveltyCurrent(Datom lo, Datom hi) {
    return novCurrent.cursor(lo, hi);
  }

  /** The datoms no longer current (retracted assertions and retractions), in full order. */
  public DatomCursor history(Datom lo, Datom hi) {
    if (novHistory.isEmpty()) {
      return baseHistory.cursor(lo, hi);
    }
    if (baseHistory.count() == 0) {
      return novHistory.cursor(lo, hi);
    }
    return Cursors.union(order, baseHistory.cursor(lo, hi), novHistory.cursor(lo, hi));
  }

  /** Every datom ever, current and history, in full order. */
  public DatomCursor all(Datom lo, Datom hi) {
    return Cursors.union(order, current(lo, hi), history(lo, hi));
  }

  /** The current datom with the key of {@code key}, or null. */
  public Datom findCurrent(Datom key) {
    Datom d = novCurrent.find(key);
    if (d != null) {
      return d.added() ? d : null;
    }
    return baseCurrent.find(key);
  }

  /**
   * An estimate of the current datoms from {@code lo} to {@code hi}: exact for the durable
   * part, counting novelty tombstones and replacements as additions.
   */
  public long estimateCurrent(Datom lo, Datom hi) {
    return baseCurrent.count(lo, hi) + novCurrent.count(lo, hi);
  }

  /** An estimate of the history datoms from {@code lo} to {@code hi}. */
  public long estimateHistory(Datom lo, Datom hi) {
    return baseHistory.count(lo, hi) + novHistory.count(lo, hi);
  }

  /**
   * A datom about {@code n} places before {@code hi} in the larger durable tree (of the current
   * tree and, when {@code withHistory}, the history tree), or null when fewer lie there: where a
   * backward walk cuts its next window without reading what lies before it.
   */
  public Datom datomBefore(Datom hi, long n, boolean withHistory) {
    IndexTree t = withHistory && baseHistory.count() > baseCurrent.count() ? baseHistory : baseCurrent;
    long below = t.rankNotAbove(hi);
    return below <= n ? null : t.datomAt(below - n);
  }

  /** The number of novelty entries not yet merged into the durable trees. */
  public long noveltySize() {
    return novCurrent.size() + novHistory.size();
  }

  /** This index with its novelty merged into new durable trees. */
  SortedIndex merged() {
    return new SortedIndex(order, baseCurrent.merge(novCurrent.toList()),
        baseHistory.merge(novHistory.toList()), DatomSet.empty(order, false),
        DatomSet.empty(order, true));
  }

  /** This index without {@code datoms} (sorted in this order, whole), wherever they are. */
  SortedIndex without(java.util.List<Datom> datoms) {
    if (datoms.isEmpty()) {
      return this;
    }
    return new SortedIndex(order, baseCurrent.remove(datoms), baseHistory.remove(datoms),
        withoutExact(novCurrent, datoms), withoutExact(novHistory, datoms));
  }

  private static DatomSet withoutExact(DatomSet set, java.util.List<Datom> datoms) {
    DatomSet.Transient t = null;
    for (Datom d : datoms) {
      Datom found = (t == null ? set.find(d) : t.find(d));
      if (found != null && found.tx() == d.tx() && found.added() == d.added()) {
        if (t == null) {
          t = set.asTransient();
        }
        t.remove(d);
      }
    }
    return t == null ? set : t.persistent();
  }

  /** The durable trees, for the storage layer and for tests. */
  public IndexTree baseCurrent() {
    return baseCurrent;
  }

  /** The durable history tree. */
  public IndexTree baseHistory() {
    return baseHistory;
  }
}
