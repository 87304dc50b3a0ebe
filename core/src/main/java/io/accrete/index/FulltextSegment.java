package io.accrete.index;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A full-text index kept in storage beside the durable trees: one attribute's current values as
 * those trees hold them, under a segment key. Its bytes are read at first use and decoded once
 * (by {@link #decoded}), then shared by every database value over the same trees.
 */
public final class FulltextSegment {
  private final String key;
  private final Supplier<byte[]> bytes;
  private volatile Object decoded;

  /** A segment stored under {@code key} whose bytes {@code bytes} reads. */
  public FulltextSegment(String key, Supplier<byte[]> bytes) {
    this.key = key;
    this.bytes = bytes;
  }

  /** The storage key. */
  public String key() {
    return key;
  }

  /** The index's bytes, read from storage. */
  public byte[] bytes() {
    return bytes.get();
  }

  /** The index decoded by {@code decode}, the first caller's result kept for the others. */
  @SuppressWarnings("unchecked")
  public <T> T decoded(Function<byte[], T> decode) {
    Object d = decoded;
    if (d == null) {
      synchronized (this) {
        d = decoded;
        if (d == null) {
          d = decode.apply(bytes());
          decoded = d;
        }
      }
    }
    return (T) d;
  }
}
