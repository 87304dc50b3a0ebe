package io.accrete.index;

import io.accrete.Datom;
import java.util.function.Predicate;

/**
 * Cursor combinators that turn the stored pieces of an index (durable trees and in-memory
 * novelty, current and history) into the datoms a database view shows.
 */
public final class Cursors {
  private Cursors() {}

  /**
   * The current datoms: a durable tree merged with novelty, where a novelty assertion replaces
   * the tree's datom with the same key and a novelty retraction (a tombstone) hides it.
   */
  public static DatomCursor current(IndexOrder order, DatomCursor base, DatomCursor novelty) {
    return new CurrentMerge(order, base, novelty);
  }

  /** Two cursors merged in full order (key, tx, added). */
  public static DatomCursor union(IndexOrder order, DatomCursor x, DatomCursor y) {
    return new Union(order, x, y);
  }

  /**
   * The datoms true as of transaction {@code asOfTx}, from a cursor over all datoms (current
   * and history) in full order: for each key, the last datom at or before {@code asOfTx}
   * decides, and it shows when it is an assertion.
   */
  public static DatomCursor asOf(IndexOrder order, DatomCursor all, long asOfTx) {
    return new AsOf(order, all, asOfTx);
  }

  /** The datoms with {@code afterTx < tx <= uptoTx}. */
  public static DatomCursor txRange(DatomCursor c, long afterTx, long uptoTx) {
    return new TxRange(c, afterTx, uptoTx);
  }

  /** The datoms up to the first whose value is not below {@code end}. */
  public static DatomCursor valuesBelow(DatomCursor c, Object end) {
    return new DatomCursor() {
      private boolean done;

      @Override
      public boolean next() {
        if (done || !c.next()) {
          return false;
        }
        if (Values.compare(c.v(), end) >= 0) {
          done = true;
          return false;
        }
        return true;
      }

      @Override
      public long e() {
        return c.e();
      }

      @Override
      public long a() {
        return c.a();
      }

      @Override
      public Object v() {
        return c.v();
      }

      @Override
      public long tx() {
        return c.tx();
      }

      @Override
      public boolean added() {
        return c.added();
      }

      @Override
      public Datom datom() {
        return c.datom();
      }
    };
  }

  /** The datoms a predicate accepts. */
  public static DatomCursor filter(DatomCursor c, Predicate<Datom> keep) {
    return new Filter(c, keep);
  }

  private static final class CurrentMerge extends DatomCursor {
    private final IndexOrder order;
    private final DatomCursor base;
    private final DatomCursor nov;
    private boolean baseLive;
    private boolean novLive;
    private boolean started;
    private DatomCursor cur;

    CurrentMerge(IndexOrder order, DatomCursor base, DatomCursor nov) {
      this.order = order;
      this.base = base;
      this.nov = nov;
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        baseLive = base.next();
        novLive = nov.next();
      } else if (cur == base) {
        baseLive = base.next();
      } else if (cur == nov) {
        novLive = nov.next();
      }
      while (true) {
        if (!novLive) {
          cur = baseLive ? base : null;
          return baseLive;
        }
        if (!baseLive) {
          if (nov.added()) {
            cur = nov;
            return true;
          }
          novLive = nov.next();
          continue;
        }
        int c = order.compareKey(base.e(), base.a(), base.v(), nov.e(), nov.a(), nov.v());
        if (c < 0) {
          cur = base;
          return true;
        }
        if (c == 0) {
          // Novelty overrides the durable datom with the same key.
          baseLive = base.next();
        }
        if (nov.added()) {
          cur = nov;
          return true;
        }
        novLive = nov.next();
      }
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

    @Override
    public Datom datom() {
      return cur.datom();
    }
  }

  private static final class Union extends DatomCursor {
    private final IndexOrder order;
    private final DatomCursor x;
    private final DatomCursor y;
    private boolean xLive;
    private boolean yLive;
    private boolean started;
    private DatomCursor cur;

    Union(IndexOrder order, DatomCursor x, DatomCursor y) {
      this.order = order;
      this.x = x;
      this.y = y;
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        xLive = x.next();
        yLive = y.next();
      } else if (cur == x) {
        xLive = x.next();
      } else if (cur == y) {
        yLive = y.next();
      }
      if (!xLive && !yLive) {
        cur = null;
        return false;
      }
      if (!yLive) {
        cur = x;
      } else if (!xLive) {
        cur = y;
      } else {
        int c = order.compareFull(
            x.e(), x.a(), x.v(), x.tx(), x.added(), y.e(), y.a(), y.v(), y.tx(), y.added());
        cur = c <= 0 ? x : y;
      }
      return true;
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

    @Override
    public Datom datom() {
      return cur.datom();
    }
  }

  private static final class AsOf extends DatomCursor {
    private final IndexOrder order;
    private final DatomCursor all;
    private final long asOfTx;
    private boolean live;
    private boolean started;
    // The datom being shown.
    private long e;
    private long a;
    private Object v;
    private long tx;

    AsOf(IndexOrder order, DatomCursor all, long asOfTx) {
      this.order = order;
      this.all = all;
      this.asOfTx = asOfTx;
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        live = all.next();
      }
      while (live) {
        long ge = all.e();
        long ga = all.a();
        Object gv = all.v();
        boolean have = false;
        boolean state = false;
        long gtx = 0;
        // Walk one key's datoms (they are ordered by tx); the last one in time decides.
        do {
          if (all.tx() <= asOfTx) {
            have = true;
            state = all.added();
            gtx = all.tx();
          }
          live = all.next();
        } while (live && order.compareKey(all.e(), all.a(), all.v(), ge, ga, gv) == 0);
        if (have && state) {
          e = ge;
          a = ga;
          v = gv;
          tx = gtx;
          return true;
        }
      }
      return false;
    }

    @Override
    public long e() {
      return e;
    }

    @Override
    public long a() {
      return a;
    }

    @Override
    public Object v() {
      return v;
    }

    @Override
    public long tx() {
      return tx;
    }

    @Override
    public boolean added() {
      return true;
    }
  }

  private static final class TxRange extends DatomCursor {
    private final DatomCursor c;
    private final long afterTx;
    private final long uptoTx;

    TxRange(DatomCursor c, long afterTx, long uptoTx) {
      this.c = c;
      this.afterTx = afterTx;
      this.uptoTx = uptoTx;
    }

    @Override
    public boolean next() {
      while (c.next()) {
        long t = c.tx();
        if (t > afterTx && t <= uptoTx) {
          return true;
        }
      }
      return false;
    }

    @Override
    public long e() {
      return c.e();
    }

    @Override
    public long a() {
      return c.a();
    }

    @Override
    public Object v() {
      return c.v();
    }

    @Override
    public long tx() {
      return c.tx();
    }

    @Override
    public boolean added() {
      return c.added();
    }

    @Override
    public Datom datom() {
      return c.datom();
    }
  }

  private static final class Filter extends DatomCursor {
    private final DatomCursor c;
    private final Predicate<Datom> keep;
    private Datom cur;

    Filter(DatomCursor c, Predicate<Datom> keep) {
      this.c = c;
      this.keep = keep;
    }

    @Override
    public boolean next() {
      while (c.next()) {
        Datom d = c.datom();
        if (keep.test(d)) {
          cur = d;
          return true;
        }
      }
      return false;
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

    @Override
    public Datom datom() {
      return cur;
    }
  }
}
