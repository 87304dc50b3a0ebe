package io.accrete.query;

import io.accrete.Attribute;
import io.accrete.schema.ValueType;

/** Whether a bound can narrow an attribute's values in the index order. */
final class ValueTypeCheck {
  private ValueTypeCheck() {}

  /** True when {@code bound} is of another type than the attribute's values. */
  static boolean incomparable(Attribute a, Object bound) {
    ValueType t = ValueType.ofValue(bound);
    return t == null || (t != a.type() && !(a.isRef() && t == ValueType.LONG));
  }
}
