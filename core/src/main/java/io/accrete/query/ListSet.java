package io.accrete.query;

import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * An unmodifiable set over a list already known to hold distinct elements: query results
 * whose rows cannot repeat are returned without hashing every row; {@link #contains} builds a
 * hash set the first time it is asked.
 */
final class ListSet extends AbstractSet<Object> {
  private final List<Object> items;
  private Set<Object> index;

  ListSet(List<Object> items) {
    this.items = items;
  }

  @Override
  public Iterator<Object> iterator() {
    return Collections.unmodifiableList(items).iterator();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public boolean contains(Object o) {
    Set<Object> i = index;
    if (i == null) {
      i = new HashSet<>(items);
      index = i;
    }
    return i.contains(o);
  }
}
