package io.accrete.sql;

import io.accrete.index.DatomCursor;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Rows made one per datom from a list of cursors read one after the other. */
final class CursorRows implements Iterator<Object[]> {
  private final List<DatomCursor> cursors;
  private final Function<DatomCursor, Object[]> row;
  private int i;
  private Object[] next;

  CursorRows(List<DatomCursor> cursors, Function<DatomCursor, Object[]> row) {
    this.cursors = cursors;
    this.row = row;
  }

  @Override
  public boolean hasNext() {
    while (next == null && i < cursors.size()) {
      DatomCursor c = cursors.get(i);
      if (c.next()) {
        next = row.apply(c);
      } else {
        i++;
      }
    }
    return next != null;
  }

  @Override
  public Object[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object[] r = next;
    next = null;
    return r;
  }
}
