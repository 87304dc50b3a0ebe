package io.accrete.model;

import java.util.Arrays;
import java.util.Base64;

/** A byte array compared, hashed and printed by content (the model's form of bytes values). */
final class Bytes {
  final byte[] b;

  Bytes(byte[] b) {
    this.b = b.clone();
  }

  byte[] copy() {
    return b.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes x && Arrays.equals(x.b, b);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(b);
  }

  @Override
  public String toString() {
    return "#bytes \"" + Base64.getEncoder().encodeToString(b) + "\"";
  }
}
