package io.accrete.model;

import io.accrete.Keyword;
import io.accrete.edn.Edn;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.UUID;

/**
 * The model's own value rules: which Java values an attribute type accepts (and what they
 * become), value order inside one type, and the four index orders. Written from the
 * documented semantics, not from Accrete's code.
 */
final class MValues {
  private MValues() {}

  /**
   * The canonical value of {@code raw} for a non-ref type, or null when the type does not accept
   * it: longs accept Long/Integer/Short/Byte, doubles Double/Float, instants Date/Instant,
   * everything else exactly its own Java type.
   */
  static Object canon(VType t, Object raw) {
    switch (t) {
      case LONG:
        if (raw instanceof Long) {
          return raw;
        }
        if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
          return ((Number) raw).longValue();
        }
        return null;
      case STRING:
        return raw instanceof String ? raw : null;
      case DOUBLE:
        if (raw instanceof Double) {
          return raw;
        }
        return raw instanceof Float f ? Double.valueOf(f) : null;
      case BOOLEAN:
        return raw instanceof Boolean ? raw : null;
      case INSTANT:
        if (raw instanceof Date d) {
          return new Date(d.getTime());
        }
        return raw instanceof Instant i ? new Date(i.toEpochMilli()) : null;
      case KEYWORD:
        return raw instanceof Keyword ? raw : null;
      case UUID:
        return raw instanceof UUID ? raw : null;
      case BIGDEC:
        return raw instanceof BigDecimal ? raw : null;
      case BYTES:
        return raw instanceof byte[] b ? new Bytes(b) : null;
      default:
        throw new IllegalArgumentException("canon of " + t);
    }
  }

  /** A value read from Accrete in model form. */
  static Object fromAccrete(Object v) {
    if (v instanceof byte[] b) {
      return new Bytes(b);
    }
    return v;
  }

  /** A fresh Java value to hand to Accrete for a model value. */
  static Object toRaw(Object v) {
    if (v instanceof Bytes b) {
      return b.copy();
    }
    if (v instanceof Date d) {
      return new Date(d.getTime());
    }
    return v;
  }

  /** Natural order inside a type (UTF-16 strings, unsigned bytes, BigDecimal by value then scale). */
  static int compare(Object x, Object y) {
    if (x instanceof Long a && y instanceof Long b) {
      return Long.compare(a, b);
    }
    if (x instanceof String a && y instanceof String b) {
      return a.compareTo(b);
    }
    if (x instanceof Double a && y instanceof Double b) {
      return Double.compare(a, b);
    }
    if (x instanceof Boolean a && y instanceof Boolean b) {
      return Boolean.compare(a, b);
    }
    if (x instanceof Date a && y instanceof Date b) {
      return Long.compare(a.getTime(), b.getTime());
    }
    if (x instanceof Keyword a && y instanceof Keyword b) {
      if (a.namespace() == null || b.namespace() == null) {
        if (a.namespace() != null) {
          return 1;
        }
        if (b.namespace() != null) {
          return -1;
        }
      } else {
        int c = a.namespace().compareTo(b.namespace());
        if (c != 0) {
          return c;
        }
      }
      return a.name().compareTo(b.name());
    }
    if (x instanceof UUID a && y instanceof UUID b) {
      return a.compareTo(b);
    }
    if (x instanceof BigDecimal a && y instanceof BigDecimal b) {
      int c = a.compareTo(b);
      return c != 0 ? c : Integer.compare(a.scale(), b.scale());
    }
    if (x instanceof Bytes a && y instanceof Bytes b) {
      return Arrays.compareUnsigned(a.b, b.b);
    }
    // Different types never meet inside one attribute; any consistent order will do.
    return x.getClass().getName().compareTo(y.getClass().getName());
  }

  /** The key order of an index ("eavt", "aevt", "avet", "vaet"), then tx and added when full. */
  static Comparator<MDatom> order(String index, boolean full) {
    int kind;
    switch (index) {
      case "eavt":
        kind = 0;
        break;
      case "aevt":
        kind = 1;
        break;
      case "avet":
        kind = 2;
        break;
      case "vaet":
        kind = 3;
        break;
      default:
        throw new IllegalArgumentException(index);
    }
    return (x, y) -> {
      int c;
      switch (kind) {
        case 0:
          c = Long.compare(x.e(), y.e());
          if (c == 0) {
            c = Long.compare(x.a(), y.a());
          }
          if (c == 0) {
            c = compare(x.v(), y.v());
          }
          break;
        case 1:
          c = Long.compare(x.a(), y.a());
          if (c == 0) {
            c = Long.compare(x.e(), y.e());
          }
          if (c == 0) {
            c = compare(x.v(), y.v());
          }
          break;
        case 2:
          c = Long.compare(x.a(), y.a());
          if (c == 0) {
            c = compare(x.v(), y.v());
          }
          if (c == 0) {
            c = Long.compare(x.e(), y.e());
          }
          break;
        default:
          c = compare(x.v(), y.v());
          if (c == 0) {
            c = Long.compare(x.a(), y.a());
          }
          if (c == 0) {
            c = Long.compare(x.e(), y.e());
          }
          break;
      }
      if (c != 0 || !full) {
        return c;
      }
      c = Long.compare(x.tx(), y.tx());
      return c != 0 ? c : Boolean.compare(x.added(), y.added());
    };
  }

  /** EDN text of a model value. */
  static String show(Object v) {
    return v instanceof Bytes ? v.toString() : Edn.print(v);
  }
}
