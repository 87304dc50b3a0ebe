package io.accrete.conn;

import io.accrete.Datom;
import io.accrete.Log;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.schema.Ids;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The in-memory transaction log: every committed transaction's datoms in t order. Appends
 * happen under the connection's transaction lock; reads take a snapshot of the size, so
 * they never see a half-added entry.
 */
final class TxLog {

  private final List<Log.Entry> entries = new ArrayList<>();
  private volatile int size;

  /** Appends a transaction; {@code data} must be unmodifiable. */
  synchronized void append(long t, List<Datom> data) {
    entries.add(new Log.Entry(t, data));
    size = entries.size();
  }

  /** Removes the datoms excision requests take from every entry before them. */
  synchronized void excise(List<io.accrete.tx.Excision.Spec> specs) {
    for (int i = 0; i < size; i++) {
      Log.Entry e = entries.get(i);
      List<Datom> kept = io.accrete.tx.Excision.filter(e.data(), specs);
      if (kept != e.data()) {
        entries.set(i, new Log.Entry(e.t(), kept));
      }
    }
  }

  /** The entries with {@code t > afterT}, in order. */
  synchronized List<Log.Entry> after(long afterT) {
    int i = firstAtOrAfter(afterT + 1, size);
    return new ArrayList<>(entries.subList(i, size));
  }

  /** The log as of {@code db}: dates in bounds are read against it. */
  Log view(Db db) {
    return (start, end) -> range(start, end, db);
  }

  private Iterable<Log.Entry> range(Object start, Object end, Db db) {
    int n = size;
    long from = start == null ? Long.MIN_VALUE : toT(start, "start", db);
    long to = end == null ? Long.MAX_VALUE : toT(end, "end", db);
    List<Log.Entry> out = new ArrayList<>();
    synchronized (this) {
      for (int i = firstAtOrAfter(from, n); i < n && entries.get(i).t() < to; i++) {
        out.add(entries.get(i));
      }
    }
    return out;
  }

  private int firstAtOrAfter(long t, int n) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).t() < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long toT(Object x, String which, Db db) {
    if (x instanceof Date d) {
      // The t of the first transaction at or after the instant, for both bounds: the start
      // includes it and the end excludes it.
      return db.asOf(new Date(d.getTime() - 1)).asOfT() + 1;
    }
    if (x instanceof Number n) {
      return Ids.toT(n.longValue());
    }
    throw Errors.db("invalid-t", "txRange " + which + " must be a t, a transaction id, a Date or null, not "
        + Errors.show(x));
  }
}
