package io.accrete.storage;

import java.nio.charset.StandardCharsets;

/** Reads what {@link Out} wrote; any overrun is reported as a corrupt blob by the caller. */
final class In {
  private final byte[] buf;
  private int pos;
  private final int end;

  In(byte[] buf, int pos, int end) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  boolean atEnd() {
    return pos >= end;
  }

  int u8() {
    if (pos >= end) {
      throw new IndexOutOfBoundsException("read past the end");
    }
    return buf[pos++] & 0xFF;
  }

  long varint() {
    long v = 0;
    int shift = 0;
    while (true) {
      int b = u8();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
      shift += 7;
      if (shift > 63) {
        throw new IllegalStateException("varint too long");
      }
    }
  }

  long zigzag() {
    long v = varint();
    return (v >>> 1) ^ -(v & 1);
  }

  int i32() {
    return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
  }

  long i64() {
    return ((long) i32() << 32) | (i32() & 0xFFFFFFFFL);
  }

  byte[] bytes() {
    int len = (int) varint();
    if (len < 0 || pos + len > end) {
      throw new IndexOutOfBoundsException("length " + len + " past the end");
    }
    byte[] b = new byte[len];
    System.arraycopy(buf, pos, b, 0, len);
    pos += len;
    return b;
  }

  String string() {
    int len = (int) varint();
    if (len < 0 || pos + len > end) {
      throw new IndexOutOfBoundsException("length " + len + " past the end");
    }
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }
}
