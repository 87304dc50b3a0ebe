package io.accrete;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A temporary id for a new entity in a given partition, as {@link Peer#tempid} makes (strings
 * work as tempids too, in {@code :db.part/user}). Equal tempids in one transaction name the
 * same new entity. EDN form: {@code #db/id [:db.part/user -1]}.
 */
public final class TempId implements io.accrete.edn.EdnPrintable {
  private static final AtomicLong NEXT = new AtomicLong(-1_000_000);

  private final Keyword partition;
  private final long idx;

  /** A tempid with an explicit negative index, like {@code #db/id [:db.part/user -1]}. */
  public TempId(Keyword partition, long idx) {
    this.partition = partition;
    this.idx = idx;
  }

  /** A fresh tempid, distinct from every other in this JVM. */
  public static TempId next(Keyword partition) {
    return new TempId(partition, NEXT.decrementAndGet());
  }

  /** The partition the new entity goes into. */
  public Keyword partition() {
    return partition;
  }

  /** The tempid's index (negative). */
  public long idx() {
    return idx;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TempId t && t.idx == idx && t.partition.equals(partition);
  }

  @Override
  public int hashCode() {
    return partition.hashCode() * 31 + Long.hashCode(idx);
  }

  @Override
  public void printEdn(StringBuilder out) {
    out.append("#db/id [").append(partition).append(' ').append(idx).append(']');
  }

  @Override
  public String toString() {
    return "#db/id [" + partition + " " + idx + "]";
  }
}
