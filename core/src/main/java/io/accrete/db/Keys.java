package io.accrete.db;

import io.accrete.Datom;

/**
 * Seek keys: datoms whose tx bounds sort before or after every real transaction. The core's
 * name for the read SPI's {@link io.accrete.spi.IndexAccess#lo} and {@link io.accrete.spi.IndexAccess#hi}.
 */
public final class Keys {
  private Keys() {}

  /** The lowest key with these components: below every datom with them. */
  public static Datom lo(long e, long a, Object v) {
    return io.accrete.spi.IndexAccess.lo(e, a, v);
  }

  /** The highest key with these components: above every datom with them. */
  public static Datom hi(long e, long a, Object v) {
    return io.accrete.spi.IndexAccess.hi(e, a, v);
  }
}
