package io.accrete;

import java.util.List;

/** A connection's transaction log: every transaction's datoms, in order. */
public interface Log {
  /** One transaction in the log. */
  interface Entry {
    /** The transaction's t. */
    long t();

    /** The transaction's datoms. */
    List<Datom> data();
  }

  /**
   * The transactions with {@code start <= t < end}. Bounds are a {@code t}, a transaction id,
   * a {@code java.util.Date} or null (open).
   */
  Iterable<Entry> txRange(Object start, Object end);
}
