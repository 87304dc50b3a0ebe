package io.accrete.spi;

import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.schema.Schema;

/**
 * The read SPI: a database value's covering indexes as cursors, for readers outside the core
 * that do their own planning (the SQL layer). A cursor shows exactly what the value shows —
 * its {@code asOf}, {@code since}, {@code history} and filter apply — in the order's sort
 * order; counts are estimates from the counted index trees, cheap enough to ask while
 * planning. Besides this interface the SPI consists of the types it hands out:
 * {@link DatomCursor}, {@link IndexOrder}, the bounds {@code Values.MIN}/{@code Values.MAX}
 * of seek keys ({@link #lo}, {@link #hi}) and the immutable {@link Schema} with the
 * {@code io.accrete.schema} types it names (see that package).
 *
 * <p>Every {@link Database} value made by Accrete is one: {@link #of} gives it.
 */
public interface IndexAccess {
  /**
   * The indexes of an Accrete database value.
   *
   * @throws IllegalArgumentException for a {@link Database} implemented elsewhere
   */
  static IndexAccess of(Database db) {
    if (db instanceof IndexAccess a) {
      return a;
    }
    throw new IllegalArgumentException("not an Accrete database value: "
        + (db == null ? "null" : db.getClass().getName()));
  }

  /** The lowest seek key with these components: below every datom that has them. */
  static Datom lo(long e, long a, Object v) {
    return new Datom(e, a, v, Long.MIN_VALUE, false);
  }

  /** The highest seek key with these components: above every datom that has them. */
  static Datom hi(long e, long a, Object v) {
    return new Datom(e, a, v, Long.MAX_VALUE, true);
  }

  /** The schema of the value's basis (time travel does not take the schema back, as in Datomic). */
  Schema schema();

  /** The same value without {@code asOf}, {@code since}, {@code history} or filter. */
  IndexAccess unfiltered();

  /** The datoms this value shows from {@code lo} to {@code hi} (inclusive) in an index order. */
  DatomCursor cursor(IndexOrder order, Datom lo, Datom hi);

  /** The datoms of entity {@code e} (EAVT). */
  DatomCursor cursorE(long e);

  /** The datoms of entity {@code e} and attribute {@code a} (EAVT). */
  DatomCursor cursorEA(long e, long a);

  /** The datoms with attribute {@code a} and value {@code v} (AVET). */
  DatomCursor cursorAV(long a, Object v);

  /** The datoms referring to entity {@code v} through attribute {@code a} (VAET). */
  DatomCursor cursorVA(long v, long a);

  /** The first value of {@code e}'s attribute {@code a}, or null. */
  Object value(long e, long a);

  /**
   * An estimate of the current datoms of the basis from {@code lo} to {@code hi} (views not
   * applied): exact for indexed datoms, counting unindexed retractions as additions.
   */
  long estimateCurrent(IndexOrder order, Datom lo, Datom hi);
}
