package io.accrete.query;

import io.accrete.index.Values;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A result row: an immutable list over an array whose equality uses value equality (byte
 * arrays by content), so result sets deduplicate correctly.
 */
final class Tuple extends AbstractList<Object> implements RandomAccess {
  private final Object[] values;
  private int hash;

  Tuple(Object[] values) {
    this.values = values;
  }

  @Override
  public Object get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof List<?> l) || l.size() != values.length) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Values.equal(values[i], l.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 1;
      for (Object v : values) {
        h = 31 * h + Values.hash(v);
      }
      hash = h;
    }
    return h;
  }
}
