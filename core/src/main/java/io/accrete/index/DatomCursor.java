package io.accrete.index;

import io.accrete.Datom;

/**
 * A forward cursor over datoms in an index order. Reading the current datom's fields does not
 * allocate, so scans of many datoms stay cheap; {@link #datom()} materializes one.
 *
 * <p>Call {@link #next()} before the first access; it returns false when the cursor is done.
 */
public abstract class DatomCursor {
  /** Moves to the next datom; false when there is none. */
  public abstract boolean next();

  /** The current datom's entity id. */
  public abstract long e();

  /** The current datom's attribute id. */
  public abstract long a();

  /** The current datom's value. */
  public abstract Object v();

  /** The current datom's transaction id. */
  public abstract long tx();

  /** The current datom's added flag. */
  public abstract boolean added();

  /** The current datom as an object. */
  public Datom datom() {
    return new Datom(e(), a(), v(), tx(), added());
  }

  /** A cursor with no datoms. */
  public static DatomCursor empty() {
    return EmptyCursor.INSTANCE;
  }

  private static final class EmptyCursor extends DatomCursor {
    static final EmptyCursor INSTANCE = new EmptyCursor();

    @Override
    public boolean next() {
      return false;
    }

    @Override
    public long e() {
      throw new IllegalStateException("empty cursor");
    }

    @Override
    public long a() {
      throw new IllegalStateException("empty cursor");
    }

    @Override
    public Object v() {
      throw new IllegalStateException("empty cursor");
    }

    @Override
    public long tx() {
      throw new IllegalStateException("empty cursor");
    }

    @Override
    public boolean added() {
      throw new IllegalStateException("empty cursor");
    }
  }
}
