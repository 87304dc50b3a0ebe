package io.accrete.transactor;

import io.accrete.Log;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.schema.Ids;
import io.accrete.storage.LogCodec;
import io.accrete.storage.Storage;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The transaction log of a durable database: every batch is in storage; the transactions since
 * the last index root are also kept in memory, to replay after an indexing job and to answer
 * recent reads without a storage round trip.
 */
final class DurableLog {
  private static final int PAGE = 256;

  private final Storage storage;
  private final List<LogCodec.Entry> recent;

  DurableLog(Storage storage, List<LogCodec.Entry> recent) {
    this.storage = storage;
    this.recent = new ArrayList<>(recent);
  }

  synchronized void addRecent(List<LogCodec.Entry> entries) {
    recent.addAll(entries);
  }

  synchronized List<LogCodec.Entry> recentAfter(long t) {
    List<LogCodec.Entry> out = new ArrayList<>();
    for (LogCodec.Entry e : recent) {
      if (e.t() > t) {
        out.add(e);
      }
    }
    return out;
  }

  synchronized void dropRecentUpTo(long t) {
    recent.removeIf(e -> e.t() <= t);
  }

  /** The transactions with {@code from <= t < to}, read from storage in t order. */
  static List<LogCodec.Entry> read(Storage storage, long from, long to) {
    List<LogCodec.Entry> out = new ArrayList<>();
    // The batch holding t is the first whose key (its last t) is at or after t.
    String after = from <= 0 ? null : LogCodec.key(from - 1);
    while (true) {
      List<String> keys = storage.keys("log/", after, PAGE);
      for (String k : keys) {
        byte[] blob = storage.get(k);
        if (blob == null) {
          throw Errors.db("log-missing", "Log batch " + k + " vanished from " + storage.describe());
        }
        for (LogCodec.Entry e : LogCodec.decode(blob, k, storage.describe())) {
          if (e.t() >= to) {
            return out;
          }
          if (e.t() >= from) {
            out.add(e);
          }
        }
        after = k;
      }
      if (keys.size() < PAGE) {
        return out;
      }
    }
  }

  /** The log as of {@code db}: dates in bounds are read against it. */
  Log view(Db db) {
    return (start, end) -> {
      long from = start == null ? 0 : toT(start, db);
      long to = end == null ? Long.MAX_VALUE : toT(end, db);
      List<LogCodec.Entry> mem;
      synchronized (this) {
        mem = new ArrayList<>(recent);
      }
      long firstRecent = mem.isEmpty() ? Long.MAX_VALUE : mem.get(0).t();
      List<Log.Entry> out = new ArrayList<>();
      if (from < firstRecent) {
        for (LogCodec.Entry e : read(storage, from, Math.min(to, firstRecent))) {
          out.add(entry(e));
        }
      }
      for (LogCodec.Entry e : mem) {
        if (e.t() >= from && e.t() < to) {
          out.add(entry(e));
        }
      }
      return out;
    };
  }

  private static Log.Entry entry(LogCodec.Entry e) {
    return new Log.Entry(e.t(), e.datoms());
  }

  private static long toT(Object x, Db db) {
    if (x instanceof Date d) {
      return db.asOf(new Date(d.getTime() - 1)).asOfT() + 1;
    }
    if (x instanceof Number n) {
      return Ids.toT(n.longValue());
    }
    throw Errors.db("invalid-t", "txRange bounds must be a t, a transaction id, a Date or null, not "
        + Errors.show(x));
  }
}
