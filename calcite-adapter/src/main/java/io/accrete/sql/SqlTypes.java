package io.accrete.sql;

import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.edn.Edn;
import io.accrete.schema.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.TimestampString;

/**
 * Accrete value types as SQL types, and values between the two.
 *
 * <table>
 *   <caption>The mapping</caption>
 *   <tr><th>Accrete</th><th>SQL</th><th>as</th></tr>
 *   <tr><td>string</td><td>VARCHAR</td><td></td></tr>
 *   <tr><td>long, ref</td><td>BIGINT</td><td>a ref is the entity id</td></tr>
 *   <tr><td>double</td><td>DOUBLE</td><td></td></tr>
 *   <tr><td>float</td><td>REAL</td><td></td></tr>
 *   <tr><td>boolean</td><td>BOOLEAN</td><td></td></tr>
 *   <tr><td>instant</td><td>TIMESTAMP(3)</td><td>UTC</td></tr>
 *   <tr><td>uuid</td><td>VARCHAR</td><td>canonical text, 36 characters</td></tr>
 *   <tr><td>keyword, symbol</td><td>VARCHAR</td><td>EDN text: {@code :genre/drama}</td></tr>
 *   <tr><td>bigint</td><td>DECIMAL(19, 0)</td><td></td></tr>
 *   <tr><td>bigdec</td><td>DECIMAL</td><td></td></tr>
 *   <tr><td>uri</td><td>VARCHAR</td><td></td></tr>
 *   <tr><td>bytes</td><td>VARBINARY</td><td></td></tr>
 *   <tr><td>tuple</td><td>ARRAY or one column per position</td><td>see {@link Mapping}</td></tr>
 * </table>
 *
 * <p>Inside Calcite a row holds the "internal" forms: TIMESTAMP as epoch milliseconds, VARBINARY as
 * {@link ByteString}, DECIMAL as {@link BigDecimal}.
 */
final class SqlTypes {
  private SqlTypes() {}

  /** Marks a SQL value no Accrete value of the column's type can equal. */
  static final Object NO_VALUE = new Object() {
    @Override
    public String toString() {
      return "NO_VALUE";
    }
  };

  /** The SQL type of a scalar value type, nullable. */
  static RelDataType of(RelDataTypeFactory f, ValueType t) {
    RelDataType base = switch (t) {
      case STRING, UUID, KEYWORD, SYMBOL, URI, FN -> f.createSqlType(SqlTypeName.VARCHAR);
      case LONG, REF -> f.createSqlType(SqlTypeName.BIGINT);
      case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
      case FLOAT -> f.createSqlType(SqlTypeName.REAL);
      case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
      case INSTANT -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case BIGINT -> f.createSqlType(SqlTypeName.DECIMAL, 19, 0);
      case BIGDEC -> unconstrainedDecimal(f);
      case BYTES -> f.createSqlType(SqlTypeName.VARBINARY);
      case TUPLE -> throw new IllegalArgumentException("a tuple has no scalar SQL type");
    };
    return f.createTypeWithNullability(base, true);
  }

  /**
   * A bigdec with no declared scale (PostgreSQL's unconstrained NUMERIC) as a DECIMAL with room for
   * a fraction: Calcite's bare DECIMAL has scale 0, to which a written 1.25 was cast (and lost its
   * fraction). The values keep their own scale; {@link Modification} drops the zeros the cast adds.
   */
  static RelDataType unconstrainedDecimal(RelDataTypeFactory f) {
    int precision = f.getTypeSystem().getMaxPrecision(SqlTypeName.DECIMAL);
    return f.createSqlType(SqlTypeName.DECIMAL, precision, Math.min(18, precision / 2));
  }

  /** The SQL type name users read in the docs and in {@code db__attrs}. */
  static String name(ValueType t) {
    return switch (t) {
      case STRING, UUID, KEYWORD, SYMBOL, URI, FN -> "VARCHAR";
      case LONG, REF -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case FLOAT -> "REAL";
      case BOOLEAN -> "BOOLEAN";
      case INSTANT -> "TIMESTAMP";
      case BIGINT, BIGDEC -> "DECIMAL";
      case BYTES -> "VARBINARY";
      case TUPLE -> "ARRAY";
    };
  }

  /** An Accrete value in its SQL internal form. */
  static Object toSql(ValueType t, Object v) {
    if (v == null) {
      return null;
    }
    return switch (t) {
      case STRING, LONG, REF, DOUBLE, FLOAT, BOOLEAN, BIGDEC -> v;
      case INSTANT -> ((Date) v).getTime();
      case UUID, KEYWORD, SYMBOL, URI -> v.toString();
      case FN -> io.accrete.edn.Edn.print(v); // a database function's #db/fn text, read-only in SQL
      case BIGINT -> new BigDecimal((BigInteger) v);
      case BYTES -> new ByteString((byte[]) v);
      case TUPLE -> {
        List<Object> out = new ArrayList<>();
        for (Object x : (List<?>) v) {
          out.add(x == null ? null : toSql(ValueType.ofValue(x), x));
        }
        yield out;
      }
    };
  }

  /** Any value as display text: strings as they are, everything else in EDN. */
  static String display(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    return Edn.print(v);
  }

  /**
   * A SQL literal or parameter value (Calcite's literal forms or JDBC objects) in the SQL
   * internal form of a column of type {@code t}; {@link #NO_VALUE} when no value of the type can
   * equal it; null when it cannot be compared exactly here (the filter then stays in Calcite).
   */
  static Object internal(ValueType t, Object x) {
    if (x instanceof NlsString s) {
      x = s.getValue();
    }
    switch (t) {
      case STRING, UUID, KEYWORD, SYMBOL, URI:
        return x instanceof String ? x : null;
      case LONG, REF:
        if (x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte) {
          return ((Number) x).longValue();
        }
        if (x instanceof BigDecimal d) {
          try {
            return d.longValueExact();
          } catch (ArithmeticException e) {
            return null;
          }
        }
        return null;
      case DOUBLE:
        return x instanceof Number n && !(x instanceof BigDecimal d && !isExactDouble(d))
            ? (Object) n.doubleValue() : null;
      case FLOAT:
        if (x instanceof BigDecimal d && new BigDecimal(d.floatValue()).compareTo(d) == 0) {
          return d.floatValue();
        }
        return x instanceof Float ? x : null;
      case BOOLEAN:
        return x instanceof Boolean ? x : null;
      case INSTANT:
        if (x instanceof TimestampString ts) {
          return ts.getMillisSinceEpoch();
        }
        if (x instanceof java.sql.Timestamp ts) {
          return ts.getTime();
        }
        return x instanceof Long ? x : null;
      case BIGINT:
        if (x instanceof BigDecimal d) {
          return d.stripTrailingZeros().scale() <= 0 ? d.setScale(0) : NO_VALUE;
        }
        return x instanceof Long l ? BigDecimal.valueOf(l) : null;
      default:
        return null;
    }
  }

  private static boolean isExactDouble(BigDecimal d) {
    return new BigDecimal(d.doubleValue()).compareTo(d) == 0;
  }

  /**
   * The Accrete value of a SQL internal value for an index seek, or {@link #NO_VALUE} when no
   * value of the type can equal it.
   */
  static Object toAccrete(ValueType t, Object internal) {
    try {
      return switch (t) {
        case STRING, LONG, REF, DOUBLE, FLOAT, BOOLEAN -> internal;
        case INSTANT -> new Date((Long) internal);
        case UUID -> UUID.fromString((String) internal);
        case KEYWORD -> keyword((String) internal);
        case SYMBOL -> Symbol.intern((String) internal);
        case URI -> new java.net.URI((String) internal);
        case BIGINT -> ((BigDecimal) internal).toBigIntegerExact();
        default -> NO_VALUE;
      };
    } catch (IllegalArgumentException | ArithmeticException | URISyntaxException e) {
      return NO_VALUE; // text that is no uuid, uri or keyword equals no such value
    }
  }

  private static Object keyword(String text) {
    return text.startsWith(":") && text.length() > 1 ? Keyword.intern(text) : NO_VALUE;
  }
}
