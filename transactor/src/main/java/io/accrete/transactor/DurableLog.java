package io.accrete.transactor;

import io.accrete.Log;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.schema.Ids;
import io.accrete.storage.LogCodec;
import io.accrete.storage.Storage;
import io.accrete.tx.Excision;
import java.util.Map;
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
  /**
   * Excision requests whose datoms batches in storage may still hold: reads of those batches
   * leave them out until the connection knows the batches were rewritten.
   */
  private final List<Excision.Spec> excising = new ArrayList<>();

  DurableLog(Storage storage, List<LogCodec.Entry> recent) {
    this.storage = storage;
    this.recent = new ArrayList<>(recent);
  }

  synchronized void addRecent(List<LogCodec.Entry> entries) {
    recent.addAll(entries);
  }

  /**
   * Takes the datoms {@code specs} excise out of the transactions kept in memory, and out of
   * what is read from storage until {@link #excisedInStorage}.
   */
  synchronized void excise(List<Excision.Spec> specs) {
    if (!specs.isEmpty()) {
      excising.addAll(specs);
      List<LogCodec.Entry> kept = excised(recent, specs);
      recent.clear();
      recent.addAll(kept);
    }
  }

  /**
   * A root covering {@code basisT} is in storage: the indexing job that wrote it rewrote the
   * log batches of every excision up to it first.
   */
  synchronized void excisedInStorageThrough(long basisT) {
    long tx = Ids.toTx(basisT);
    excising.removeIf(s -> s.requestTx() <= tx);
  }

  /** {@code entries} without the datoms {@code specs} excise (the same entries where none goes). */
  static List<LogCodec.Entry> excised(List<LogCodec.Entry> entries, List<Excision.Spec> specs) {
    if (specs.isEmpty()) {
      return entries;
    }
    List<LogCodec.Entry> out = new ArrayList<>(entries.size());
    for (LogCodec.Entry e : entries) {
      List<io.accrete.Datom> kept = Excision.filter(e.datoms(), specs);
      out.add(kept == e.datoms() ? e : new LogCodec.Entry(e.t(), e.nextT(), kept));
    }
    return out;
  }

  /**
   * Rewrites, in storage, every log batch holding a datom {@code specs} excise (a batch at or
   * before the last request's); returns how many changed.
   */
  static int exciseStored(Storage storage, List<Excision.Spec> specs) {
    long last = 0;
    for (Excision.Spec s : specs) {
      last = Math.max(last, Ids.toT(s.requestTx()));
    }
    Map<String, byte[]> changed = new java.util.LinkedHashMap<>();
    String after = null;
    boolean done = false;
    while (!done) {
      List<String> keys = storage.keys("log/", after, PAGE);
      for (String k : keys) {
        byte[] blob = storage.get(k);
        if (blob == null) {
          throw Errors.db("log-missing", "Log batch " + k + " vanished from " + storage.describe());
        }
        List<LogCodec.Entry> entries = LogCodec.decode(blob, k, storage.describe());
        List<LogCodec.Entry> kept = excised(entries, specs);
        for (int i = 0; i < kept.size(); i++) {
          if (kept.get(i) != entries.get(i)) {
            changed.put(k, LogCodec.encode(kept));
            break;
          }
        }
        after = k;
        if (!entries.isEmpty() && entries.get(entries.size() - 1).t() >= last) {
          done = true;
          break;
        }
      }
      done |= keys.size() < PAGE;
    }
    storage.rewrite(changed);
    return changed.size();
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
      List<Excision.Spec> specs;
      synchronized (this) {
        mem = new ArrayList<>(recent);
        specs = List.copyOf(excising);
      }
      long firstRecent = mem.isEmpty() ? Long.MAX_VALUE : mem.get(0).t();
      List<Log.Entry> out = new ArrayList<>();
      if (from < firstRecent) {
        for (LogCodec.Entry e : excised(read(storage, from, Math.min(to, firstRecent)), specs)) {
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
