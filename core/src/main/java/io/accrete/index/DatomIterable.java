package io.accrete.index;

import io.accrete.Datom;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** An {@code Iterable} over a cursor; each iteration opens a fresh cursor. */
public final class DatomIterable implements Iterable<Datom> {
  private final Supplier<DatomCursor> cursors;

  public DatomIterable(Supplier<DatomCursor> cursors) {
    this.cursors = cursors;
  }

  @Override
  public Iterator<Datom> iterator() {
    DatomCursor c = cursors.get();
    return new Iterator<>() {
      private Boolean ready;

      @Override
      public boolean hasNext() {
        if (ready == null) {
          ready = c.next();
        }
        return ready;
      }

      @Override
      public Datom next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = null;
        return c.datom();
      }
    };
  }
}
