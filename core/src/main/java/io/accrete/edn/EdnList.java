package io.accrete.edn;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An EDN list {@code (a b c)}: an immutable {@link java.util.List} that the reader returns for
 * lists, so a list stays distinguishable from a vector (which is read as another immutable
 * list) and prints back in parentheses. Elements may be null. Equality and hash code follow
 * the {@link java.util.List} contract, so a list equals a vector with the same elements.
 */
public final class EdnList extends AbstractList<Object> implements RandomAccess {
  private static final EdnList EMPTY = new EdnList(new Object[0]);

  private final Object[] items;

  private EdnList(Object[] items) {
    this.items = items;
  }

  /** A list of the given elements (copied; nulls allowed). */
  public static EdnList of(Object... items) {
    return items.length == 0 ? EMPTY : new EdnList(items.clone());
  }

  /** Wraps an array the caller gives up, without copying: the reader's fast path. */
  static EdnList wrap(Object[] items) {
    return items.length == 0 ? EMPTY : new EdnList(items);
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
  public int indexOf(Object o) {
    for (int i = 0; i < items.length; i++) {
      if (Objects.equals(o, items[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean contains(Object o) {
    return indexOf(o) >= 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(items);
  }

  /** The EDN form, {@code (a b c)}. */
  @Override
  public String toString() {
    return Edn.print(this);
  }
}
