package io.accrete.model;

import io.accrete.Datom;

/**
 * The model's datom: values in canonical model form (byte arrays as {@link Bytes}), so that
 * record equality is value equality. New entities of a pending transaction have negative ids.
 */
record MDatom(long e, long a, Object v, long tx, boolean added) {
  static MDatom of(Datom d) {
    return new MDatom(d.e(), d.a(), MValues.fromAccrete(d.v()), d.tx(), d.added());
  }

  MDatom withTx(long newTx) {
    return new MDatom(e, a, v, newTx, added);
  }

  Key key() {
    return new Key(e, a, v);
  }

  /** An (e, a, v) key. */
  record Key(long e, long a, Object v) {}
}
