package io.accrete;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A connection's transaction log: every transaction's datoms, in order. */
public interface Log {
  /** The key of an entry's t, as Datomic's log maps have it. */
  Keyword T = Keyword.intern(":t");
  /** The key of an entry's datoms. */
  Keyword DATA = Keyword.intern(":data");

  /**
   * One transaction in the log; also readable as Datomic's map {@code {:t t :data [datoms]}}.
   */
  final class Entry extends AbstractMap<Keyword, Object> {
    private final long t;
    private final List<Datom> data;

    /** An entry: the transaction's t and its datoms (kept as given). */
    public Entry(long t, List<Datom> data) {
      this.t = t;
      this.data = data;
    }

    /** The transaction's t. */
    public long t() {
      return t;
    }

    /** The transaction's datoms. */
    public List<Datom> data() {
      return data;
    }

    @Override
    public Set<Map.Entry<Keyword, Object>> entrySet() {
      return Set.of(Map.entry(T, t), Map.entry(DATA, data));
    }
  }

  /**
   * The transactions with {@code start <= t < end}. Bounds are a {@code t}, a transaction id,
   * a {@code java.util.Date} or null (open).
   */
  Iterable<Entry> txRange(Object start, Object end);
}
