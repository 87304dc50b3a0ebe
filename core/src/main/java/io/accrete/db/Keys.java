package io.accrete.db;

import io.accrete.Datom;

/**
 * Seek keys: datoms whose tx bounds sort before or after every real transaction. Public for
 * readers outside the core (the SQL layer) that seek the indexes themselves.
 */
public final class Keys {
  private Keys() {}

  /** The lowest key with these components: below every datom with them. */
  public static Datom lo(long e, long a, Object v) {
    return new Datom(e, a, v, Long.MIN_VALUE, false);
  }

  /** The highest key with these components: above every datom with them. */
  public static Datom hi(long e, long a, Object v) {
    return new Datom(e, a, v, Long.MAX_VALUE, true);
  }
}
