package io.accrete.sql;

import com.google.common.collect.AbstractIterator;
import io.accrete.index.DatomCursor;
import java.util.List;
import java.util.function.Function;

/** Rows made one per datom from a list of cursors read one after the other. */
final class CursorRows extends AbstractIterator<Object[]> {
  private final List<DatomCursor> cursors;
  private final Function<DatomCursor, Object[]> row;
  private int i;

  CursorRows(List<DatomCursor> cursors, Function<DatomCursor, Object[]> row) {
    this.cursors = cursors;
    this.row = row;
  }

  @Override
  protected Object[] computeNext() {
    while (i < cursors.size()) {
      DatomCursor c = cursors.get(i);
      if (c.next()) {
        return row.apply(c);
      }
      i++;
    }
    return endOfData();
  }
}
