package io.accrete.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the encodings segments and log batches use (varints, zigzag). */
final class Out {
  private byte[] buf;
  private int n;

  Out(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void room(int k) {
    if (n + k > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + k));
    }
  }

  void u8(int b) {
    room(1);
    buf[n++] = (byte) b;
  }

  /** An unsigned varint (7 bits a byte, high bit set on all but the last). */
  void varint(long v) {
    room(10);
    while ((v & ~0x7FL) != 0) {
      buf[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[n++] = (byte) v;
  }

  /** A signed varint, zigzag encoded so small magnitudes stay short. */
  void zigzag(long v) {
    varint((v << 1) ^ (v >> 63));
  }

  void i32(int v) {
    room(4);
    buf[n++] = (byte) (v >>> 24);
    buf[n++] = (byte) (v >>> 16);
    buf[n++] = (byte) (v >>> 8);
    buf[n++] = (byte) v;
  }

  void i64(long v) {
    i32((int) (v >>> 32));
    i32((int) v);
  }

  void bytes(byte[] b) {
    varint(b.length);
    raw(b, 0, b.length);
  }

  void raw(byte[] b, int off, int len) {
    room(len);
    System.arraycopy(b, off, buf, n, len);
    n += len;
  }

  void string(String s) {
    bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  int size() {
    return n;
  }

  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, n);
  }
}
