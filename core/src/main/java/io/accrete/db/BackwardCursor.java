package io.accrete.db;

import io.accrete.Datom;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * A database view's datoms of one index from a key backwards to the start of the index, for
 * {@code rseekDatoms} and reverse {@code indexPull}. The indexes' cursors only move forward, and
 * what a view shows of a datom (as of a moment, since one, filtered) can depend on the other
 * datoms of its entity, attribute and value; so the walk reads windows of about
 * {@value #WINDOW} datoms forward with the view's own cursor, each window starting where a
 * (e, a, v) group starts, and hands each window out last datom first. The durable tree's counts
 * place each cut without reading what lies before it, so a backward walk of k datoms reads about
 * k + {@value #WINDOW} of them, wherever it starts.
 */
final class BackwardCursor extends DatomCursor {
  private static final int WINDOW = 512;
  private static final Datom START = new Datom(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN, Long.MIN_VALUE, false);

  private final Db db;
  private final IndexOrder order;
  /** The highest key of the next window (inclusive), or null when the start of the index is read. */
  private Datom hi;
  /** The first group of the window before, which the next window's inclusive bound would repeat. */
  private Datom cut;
  private List<Datom> window = List.of();
  private int pos;
  private Datom current;

  BackwardCursor(Db db, IndexOrder order, Datom hi) {
    this.db = db;
    this.order = order;
    this.hi = hi;
  }

  @Override
  public boolean next() {
    while (pos == 0) {
      if (hi == null) {
        return false;
      }
      Datom at = db.index(order).datomBefore(hi, WINDOW, db.readsHistory());
      Datom lo = at == null ? START : Keys.lo(at.e(), at.a(), at.v()); // a whole group in one window
      List<Datom> read = new ArrayList<>();
      DatomCursor c = db.cursor(order, lo, hi);
      while (c.next()) {
        if (cut == null || order.compareKey(c.e(), c.a(), c.v(), cut.e(), cut.a(), cut.v()) != 0) {
          read.add(c.datom());
        }
      }
      window = read;
      pos = read.size();
      cut = at == null ? null : lo;
      hi = at == null ? null : lo;
    }
    current = window.get(--pos);
    return true;
  }

  @Override
  public long e() {
    return current.e();
  }

  @Override
  public long a() {
    return current.a();
  }

  @Override
  public Object v() {
    return current.v();
  }

  @Override
  public long tx() {
    return current.tx();
  }

  @Override
  public boolean added() {
    return current.added();
  }

  @Override
  public Datom datom() {
    return current;
  }
}
