package io.accrete.schema;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The value types of attributes ({@code :db.type/*}) and the Java types their values take.
 * {@link #coerce} turns what a caller passes into the canonical Java value, widening where no
 * information is lost (an {@code Integer} for a long attribute), and refuses everything else.
 */
public enum ValueType {
  STRING("string", String.class),
  LONG("long", Long.class),
  DOUBLE("double", Double.class),
  FLOAT("float", Float.class),
  BOOLEAN("boolean", Boolean.class),
  INSTANT("instant", Date.class),
  UUID("uuid", java.util.UUID.class),
  KEYWORD("keyword", Keyword.class),
  SYMBOL("symbol", Symbol.class),
  REF("ref", Long.class),
  BIGINT("bigint", BigInteger.class),
  BIGDEC("bigdec", BigDecimal.class),
  URI("uri", java.net.URI.class),
  BYTES("bytes", byte[].class),
  TUPLE("tuple", List.class),
  /** A database function ({@code #db/fn}), or the symbol of a static Java method. */
  FN("fn", io.accrete.DbFunction.class);

  private final Keyword ident;
  private final Class<?> javaType;

  ValueType(String name, Class<?> javaType) {
    this.ident = Keyword.of("db.type", name);
    this.javaType = javaType;
  }

  /** The ident of this type, for example {@code :db.type/string}. */
  public Keyword ident() {
    return ident;
  }

  /** The Java class values of this type have when they cross the API. */
  public Class<?> javaType() {
    return javaType;
  }

  /** The type named by an ident such as {@code :db.type/long}, or null. */
  public static ValueType of(Keyword ident) {
    if (ident == null || !"db.type".equals(ident.namespace())) {
      return null;
    }
    for (ValueType t : values()) {
      if (t.ident == ident || t.ident.equals(ident)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Returns the canonical value for {@code v}, or null when {@code v} is not a value of this
   * type. References ({@link #REF}) and tuples are checked by the caller, which knows how to
   * resolve entities and tuple element types; here a ref must already be an entity id.
   */
  public Object coerce(Object v) {
    switch (this) {
      case STRING:
        return v instanceof String ? v : null;
      case LONG:
      case REF:
        if (v instanceof Long) {
          return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return ((Number) v).longValue();
        }
        return null;
      case DOUBLE:
        if (v instanceof Double) {
          return v;
        }
        return v instanceof Float f ? (double) f : null;
      case FLOAT:
        if (v instanceof Float) {
          return v;
        }
        if (v instanceof Double d && (d.isNaN() || d.isInfinite() || (double) d.floatValue() == d)) {
          return d.floatValue();
        }
        return null;
      case BOOLEAN:
        return v instanceof Boolean ? v : null;
      case INSTANT:
        if (v instanceof Date d) {
          // java.sql.Timestamp and friends are Dates too; keep only the millisecond instant.
          return d.getClass() == Date.class ? d : new Date(d.getTime());
        }
        return v instanceof Instant i ? Date.from(i) : null;
      case UUID:
        return v instanceof java.util.UUID ? v : null;
      case KEYWORD:
        return v instanceof Keyword ? v : null;
      case SYMBOL:
        return v instanceof Symbol ? v : null;
      case BIGINT:
        if (v instanceof BigInteger) {
          return v;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return BigInteger.valueOf(((Number) v).longValue());
        }
        return null;
      case BIGDEC:
        return v instanceof BigDecimal ? v : null;
      case URI:
        return v instanceof java.net.URI ? v : null;
      case BYTES:
        return v instanceof byte[] ? v : null;
      case TUPLE:
        return v instanceof List ? v : null;
      case FN:
        return v instanceof io.accrete.DbFunction || v instanceof Symbol ? v : null;
      default:
        throw new AssertionError(this);
    }
  }

  /** The type of a Java value as it would be stored, or null for values of no type. */
  public static ValueType ofValue(Object v) {
    if (v instanceof String) {
      return STRING;
    } else if (v instanceof Long) {
      return LONG;
    } else if (v instanceof Double) {
      return DOUBLE;
    } else if (v instanceof Float) {
      return FLOAT;
    } else if (v instanceof Boolean) {
      return BOOLEAN;
    } else if (v instanceof Date) {
      return INSTANT;
    } else if (v instanceof java.util.UUID) {
      return UUID;
    } else if (v instanceof Keyword) {
      return KEYWORD;
    } else if (v instanceof Symbol) {
      return SYMBOL;
    } else if (v instanceof io.accrete.DbFunction) {
      return FN;
    } else if (v instanceof BigInteger) {
      return BIGINT;
    } else if (v instanceof BigDecimal) {
      return BIGDEC;
    } else if (v instanceof URI) {
      return URI;
    } else if (v instanceof byte[]) {
      return BYTES;
    } else if (v instanceof List) {
      return TUPLE;
    }
    return null;
  }
}
