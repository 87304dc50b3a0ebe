package io.accrete.storage;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Values in bytes: a type tag, then the value in the shortest form that keeps it exact. */
final class ValueCodec {
  private ValueCodec() {}

  static final int NIL = 0;
  static final int FALSE = 1;
  static final int TRUE = 2;
  static final int LONG = 3;
  static final int DOUBLE = 4;
  static final int FLOAT = 5;
  static final int STRING = 6;
  static final int KEYWORD = 7;
  static final int SYMBOL = 8;
  static final int INSTANT = 9;
  static final int UUID_TAG = 10;
  static final int BIGINT = 11;
  static final int BIGDEC = 12;
  static final int URI_TAG = 13;
  static final int BYTES = 14;
  static final int TUPLE = 15;
  /** In a value column: the same value as the previous datom's. */
  static final int SAME = 16;
  /** A database function, as its {@code #db/fn} EDN text. */
  static final int FN = 17;

  static void write(Out o, Object v) {
    if (v == null) {
      o.u8(NIL);
    } else if (v instanceof Boolean b) {
      o.u8(b ? TRUE : FALSE);
    } else if (v instanceof Long l) {
      o.u8(LONG);
      o.zigzag(l);
    } else if (v instanceof String s) {
      o.u8(STRING);
      o.string(s);
    } else if (v instanceof Keyword k) {
      o.u8(KEYWORD);
      o.string(k.namespace() == null ? "" : k.namespace());
      o.string(k.name());
    } else if (v instanceof Double d) {
      o.u8(DOUBLE);
      o.i64(Double.doubleToRawLongBits(d));
    } else if (v instanceof Date d) {
      o.u8(INSTANT);
      o.zigzag(d.getTime());
    } else if (v instanceof Float f) {
      o.u8(FLOAT);
      o.i32(Float.floatToRawIntBits(f));
    } else if (v instanceof Symbol s) {
      o.u8(SYMBOL);
      o.string(s.namespace() == null ? "" : s.namespace());
      o.string(s.name());
    } else if (v instanceof UUID u) {
      o.u8(UUID_TAG);
      o.i64(u.getMostSignificantBits());
      o.i64(u.getLeastSignificantBits());
    } else if (v instanceof BigInteger b) {
      o.u8(BIGINT);
      o.bytes(b.toByteArray());
    } else if (v instanceof BigDecimal b) {
      o.u8(BIGDEC);
      o.zigzag(b.scale());
      o.bytes(b.unscaledValue().toByteArray());
    } else if (v instanceof URI u) {
      o.u8(URI_TAG);
      o.string(u.toString());
    } else if (v instanceof byte[] b) {
      o.u8(BYTES);
      o.bytes(b);
    } else if (v instanceof io.accrete.DbFunction f) {
      o.u8(FN);
      o.string(io.accrete.edn.Edn.print(f.definition()));
    } else if (v instanceof List<?> l) {
      o.u8(TUPLE);
      o.varint(l.size());
      for (Object x : l) {
        write(o, x);
      }
    } else {
      throw new IllegalArgumentException("cannot store a value of " + v.getClass().getName());
    }
  }

  static Object read(In in) {
    return read(in, in.u8());
  }

  static Object read(In in, int tag) {
    switch (tag) {
      case NIL:
        return null;
      case FALSE:
        return Boolean.FALSE;
      case TRUE:
        return Boolean.TRUE;
      case LONG:
        return in.zigzag();
      case DOUBLE:
        return Double.longBitsToDouble(in.i64());
      case FLOAT:
        return Float.intBitsToFloat(in.i32());
      case STRING:
        return in.string();
      case KEYWORD: {
        String ns = in.string();
        return Keyword.of(ns.isEmpty() ? null : ns, in.string());
      }
      case SYMBOL: {
        String ns = in.string();
        return Symbol.of(ns.isEmpty() ? null : ns, in.string());
      }
      case INSTANT:
        return new Date(in.zigzag());
      case UUID_TAG:
        return new UUID(in.i64(), in.i64());
      case BIGINT:
        return new BigInteger(in.bytes());
      case BIGDEC: {
        int scale = (int) in.zigzag();
        return new BigDecimal(new BigInteger(in.bytes()), scale);
      }
      case URI_TAG:
        return URI.create(in.string());
      case FN:
        return io.accrete.DbFunction.of((java.util.Map<?, ?>) io.accrete.edn.Edn.read(in.string()));
      case BYTES:
        return in.bytes();
      case TUPLE: {
        int n = (int) in.varint();
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          out.add(read(in));
        }
        return Collections.unmodifiableList(out);
      }
      default:
        throw new IllegalStateException("unknown value tag " + tag);
    }
  }
}
