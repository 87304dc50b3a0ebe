package io.accrete.tx;

import io.accrete.Attribute;

/**
 * One primitive operation of a transaction after expansion: an assertion, a retraction, a
 * retraction of all values of an attribute, of a whole entity, or a compare-and-set. Mutable
 * while the transaction resolves its entities; never escapes the transaction.
 */
final class Op {
  static final int ADD = 0;
  static final int RETRACT = 1;
  static final int RETRACT_ATTR = 2;
  static final int RETRACT_ENTITY = 3;
  static final int CAS = 4;

  final int kind;
  /** The entity as written: id, ident, lookup ref or tempid. */
  final Object e;
  final Attribute attr;
  /** The value as written (for CAS, the new value). */
  final Object v;
  /** For CAS, the expected old value. */
  final Object old;
  /** The form this op came from, for error messages. */
  final Object form;

  long eid;
  Object value;
  Object oldValue;

  Op(int kind, Object e, Attribute attr, Object v, Object old, Object form) {
    this.kind = kind;
    this.e = e;
    this.attr = attr;
    this.v = v;
    this.old = old;
    this.form = form;
  }
}
