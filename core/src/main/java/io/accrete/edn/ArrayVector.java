package io.accrete.edn;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The reader's EDN vector: an immutable array-backed list that allows nulls (which {@code
 * List.copyOf} rejects) and is deliberately not an {@link EdnList}.
 */
final class ArrayVector extends AbstractList<Object> implements RandomAccess {
  static final ArrayVector EMPTY = new ArrayVector(new Object[0]);

  private final Object[] items;

  private ArrayVector(Object[] items) {
    this.items = items;
  }

  /** Wraps an array the caller gives up, without copying. */
  static ArrayVector wrap(Object[] items) {
    return items.length == 0 ? EMPTY : new ArrayVector(items);
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public Object[] toArray() {
    return items.clone();
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(items);
  }

  @Override
  public String toString() {
    return Edn.print(this);
  }
}
