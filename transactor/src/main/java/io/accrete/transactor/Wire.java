package io.accrete.transactor;

import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.TempId;
import io.accrete.edn.EdnList;
import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The values a transaction carries from a peer to the transactor (and tempids and errors
 * back), as tagged binary: every Java type the API accepts keeps its type, and a list stays
 * distinct from a vector.
 */
final class Wire {
  private static final int NULL = 0;
  private static final int TRUE = 1;
  private static final int FALSE = 2;
  private static final int LONG = 3;
  private static final int INT = 4;
  private static final int DOUBLE = 5;
  private static final int FLOAT = 6;
  private static final int STRING = 7;
  private static final int KEYWORD = 8;
  private static final int SYMBOL = 9;
  private static final int DATE = 10;
  private static final int UUID_TAG = 11;
  private static final int BIGINT = 12;
  private static final int BIGDEC = 13;
  private static final int URI_TAG = 14;
  private static final int BYTES = 15;
  private static final int VECTOR = 16;
  private static final int LIST = 17;
  private static final int SET = 18;
  private static final int MAP = 19;
  private static final int TEMPID = 20;
  private static final int CHAR = 21;
  private static final int FN = 22;
  /** Deepest nesting a frame may have: a malformed frame must not overflow the stack. */
  private static final int MAX_DEPTH = 64;

  private Wire() {}

  static void write(ByteBuf out, Object v) {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (v instanceof Long l) {
      out.writeByte(LONG).writeLong(l);
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      out.writeByte(INT).writeInt(((Number) v).intValue());
    } else if (v instanceof Double d) {
      out.writeByte(DOUBLE).writeDouble(d);
    } else if (v instanceof Float f) {
      out.writeByte(FLOAT).writeFloat(f);
    } else if (v instanceof String s) {
      out.writeByte(STRING);
      string(out, s);
    } else if (v instanceof Keyword k) {
      out.writeByte(KEYWORD);
      string(out, k.namespace());
      string(out, k.name());
    } else if (v instanceof Symbol s) {
      out.writeByte(SYMBOL);
      string(out, s.namespace());
      string(out, s.name());
    } else if (v instanceof java.time.Instant i) {
      // The transactor stores it as a Date (milliseconds), as an embedded transaction does.
      out.writeByte(DATE).writeLong(i.toEpochMilli());
    } else if (v instanceof Date d) {
      out.writeByte(DATE).writeLong(d.getTime());
    } else if (v instanceof UUID u) {
      out.writeByte(UUID_TAG).writeLong(u.getMostSignificantBits()).writeLong(u.getLeastSignificantBits());
    } else if (v instanceof BigInteger b) {
      out.writeByte(BIGINT);
      bytes(out, b.toByteArray());
    } else if (v instanceof BigDecimal b) {
      out.writeByte(BIGDEC).writeInt(b.scale());
      bytes(out, b.unscaledValue().toByteArray());
    } else if (v instanceof URI u) {
      out.writeByte(URI_TAG);
      string(out, u.toString());
    } else if (v instanceof byte[] b) {
      out.writeByte(BYTES);
      bytes(out, b);
    } else if (v instanceof Character c) {
      out.writeByte(CHAR).writeChar(c);
    } else if (v instanceof io.accrete.DbFunction f) {
      out.writeByte(FN);
      write(out, f.definition()); // its map; read back through DbFunction.of
    } else if (v instanceof TempId t) {
      out.writeByte(TEMPID);
      write(out, t.partition());
      out.writeLong(t.idx());
    } else if (v instanceof List<?> l) {
      out.writeByte(v instanceof EdnList ? LIST : VECTOR).writeInt(l.size());
      for (Object x : l) {
        write(out, x);
      }
    } else if (v instanceof Set<?> s) {
      out.writeByte(SET).writeInt(s.size());
      for (Object x : s) {
        write(out, x);
      }
    } else if (v instanceof Map<?, ?> m) {
      out.writeByte(MAP).writeInt(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        write(out, e.getKey());
        write(out, e.getValue());
      }
    } else if (v instanceof Object[] a) {
      write(out, java.util.Arrays.asList(a));
    } else {
      throw new IllegalArgumentException("A value of class " + v.getClass().getName() + " (" + v
          + ") cannot be sent to the transactor; use the types of the Java API (String, Long, Keyword, List, Map, …)");
    }
  }

  static Object read(ByteBuf in) {
    return read(in, 0);
  }

  private static Object read(ByteBuf in, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("values nested deeper than " + MAX_DEPTH);
    }
    int tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case LONG -> in.readLong();
      case INT -> in.readInt();
      case DOUBLE -> in.readDouble();
      case FLOAT -> in.readFloat();
      case STRING -> string(in);
      case KEYWORD -> Keyword.of(string(in), named(string(in), "a keyword"));
      case SYMBOL -> Symbol.of(string(in), named(string(in), "a symbol"));
      case DATE -> new Date(in.readLong());
      case UUID_TAG -> new UUID(in.readLong(), in.readLong());
      case BIGINT -> new BigInteger(bytes(in));
      case BIGDEC -> {
        int scale = in.readInt();
        yield new BigDecimal(new BigInteger(bytes(in)), scale);
      }
      case URI_TAG -> URI.create(named(string(in), "a URI"));
      case BYTES -> bytes(in);
      case CHAR -> in.readChar();
      case TEMPID -> new TempId(as(Keyword.class, read(in, depth + 1), "a tempid's partition"), in.readLong());
      case FN -> io.accrete.DbFunction.of(as(Map.class, read(in, depth + 1), "a database function"));
      case VECTOR, LIST -> {
        int n = count(in);
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(read(in, depth + 1));
        }
        yield tag == LIST ? EdnList.of(l.toArray()) : l;
      }
      case SET -> {
        int n = count(in);
        Set<Object> s = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
          s.add(read(in, depth + 1));
        }
        yield s;
      }
      case MAP -> {
        int n = count(in);
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          m.put(read(in, depth + 1), read(in, depth + 1));
        }
        yield m;
      }
      default -> throw new IllegalArgumentException("unknown value tag " + tag);
    };
  }

  /** A count that the remaining bytes can hold: a malformed frame must not allocate wildly. */
  private static String named(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " needs a name");
    }
    return name;
  }

  /** {@code v} as a {@code type}, or a malformed-frame error naming what it should have been. */
  private static <T> T as(Class<T> type, Object v, String what) {
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException(what + " must be a " + type.getSimpleName() + ", not "
          + (v == null ? "nil" : v.getClass().getSimpleName()));
    }
    return type.cast(v);
  }

  private static int count(ByteBuf in) {
    int n = in.readInt();
    if (n < 0 || n > in.readableBytes()) {
      throw new IllegalArgumentException("bad element count " + n);
    }
    return n;
  }

  static void string(ByteBuf out, String s) {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    bytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  static String string(ByteBuf in) {
    int n = in.readInt();
    if (n == -1) {
      return null;
    }
    in.readerIndex(in.readerIndex() - 4);
    return new String(bytes(in), StandardCharsets.UTF_8);
  }

  static void bytes(ByteBuf out, byte[] b) {
    out.writeInt(b.length).writeBytes(b);
  }

  static byte[] bytes(ByteBuf in) {
    int n = count(in);
    byte[] b = new byte[n];
    in.readBytes(b);
    return b;
  }
}
