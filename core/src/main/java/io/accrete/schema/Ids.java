package io.accrete.schema;

/**
 * Entity ids: 64-bit longs whose bits 42 and up hold the partition's entity id and whose low
 * 42 bits hold a counter shared with transaction {@code t}s, as in Datomic. The transaction
 * entity of {@code t} is {@code toTx(t)}, in the {@code :db.part/tx} partition.
 */
public final class Ids {
  private Ids() {}

  /** Bits of the counter part of an entity id. */
  public static final int PART_SHIFT = 42;
  /** The mask of the counter part. */
  public static final long COUNTER_MASK = (1L << PART_SHIFT) - 1;
  /** The largest partition id that fits in an entity id. */
  public static final long MAX_PARTITION = (1L << 20) - 1;

  /** The {@code t} of a transaction id (or of a {@code t}, unchanged). */
  public static long toT(long txOrT) {
    return txOrT & COUNTER_MASK;
  }

  /** The transaction id of a {@code t} (or of a transaction id, unchanged). */
  public static long toTx(long t) {
    return (Bootstrap.TX_PART << PART_SHIFT) | (t & COUNTER_MASK);
  }

  /** The partition id of an entity id. */
  public static long part(long eid) {
    return eid >>> PART_SHIFT;
  }

  /** The entity id with counter {@code n} in partition {@code part}. */
  public static long eid(long part, long n) {
    return (part << PART_SHIFT) | (n & COUNTER_MASK);
  }

  /** True when {@code x} is a transaction id rather than a {@code t}. */
  public static boolean isTx(long x) {
    return part(x) == Bootstrap.TX_PART;
  }
}
