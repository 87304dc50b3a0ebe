package io.accrete;

import io.accrete.edn.Edn;
import io.accrete.edn.EdnPrintable;
import io.accrete.index.Values;

/**
 * A datom: the fact that entity {@code e} has value {@code v} for attribute {@code a}, asserted
 * ({@code added}) or retracted in transaction {@code tx}. Immutable.
 *
 * <p>{@code a} is the attribute's entity id; {@code tx} is the transaction's entity id (use
 * {@link Peer#toT} for its {@code t}). Values are Java objects as described in {@link Database}.
 */
public final class Datom implements EdnPrintable {
  private final long e;
  private final long a;
  private final Object v;
  private final long tx;
  private final boolean added;

  /** A datom. Values are stored as given; callers pass canonical values. */
  public Datom(long e, long a, Object v, long tx, boolean added) {
    this.e = e;
    this.a = a;
    this.v = v;
    this.tx = tx;
    this.added = added;
  }

  /** The entity id. */
  public long e() {
    return e;
  }

  /** The attribute's entity id. */
  public long a() {
    return a;
  }

  /** The value. */
  public Object v() {
    return v;
  }

  /** The transaction's entity id. */
  public long tx() {
    return tx;
  }

  /** True for an assertion, false for a retraction. */
  public boolean added() {
    return added;
  }

  /** Field {@code i} as Datomic numbers them: 0 e, 1 a, 2 v, 3 tx, 4 added. */
  public Object get(int i) {
    switch (i) {
      case 0:
        return e;
      case 1:
        return a;
      case 2:
        return v;
      case 3:
        return tx;
      case 4:
        return added;
      default:
        throw new IndexOutOfBoundsException("a datom has fields 0 to 4, not " + i);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Datom d
        && d.e == e
        && d.a == a
        && d.tx == tx
        && d.added == added
        && Values.equal(d.v, v);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(e);
    h = 31 * h + Long.hashCode(a);
    h = 31 * h + Values.hash(v);
    h = 31 * h + Long.hashCode(tx);
    return 31 * h + (added ? 1 : 0);
  }

  /** Prints {@code #datom [e a v tx added]}, the value in EDN. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    printEdn(sb);
    return sb.toString();
  }

  @Override
  public void printEdn(StringBuilder out) {
    out.append("#datom [").append(e).append(' ').append(a).append(' ');
    Edn.print(v, out);
    out.append(' ').append(tx).append(' ').append(added).append(']');
  }
}
