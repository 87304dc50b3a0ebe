package io.accrete.db;

import io.accrete.Datom;

/** Seek keys: datoms whose tx bounds sort before or after every real transaction. */
final class Keys {
  private Keys() {}

  static Datom lo(long e, long a, Object v) {
    return new Datom(e, a, v, Long.MIN_VALUE, false);
  }

  static Datom hi(long e, long a, Object v) {
    return new Datom(e, a, v, Long.MAX_VALUE, true);
  }
}
