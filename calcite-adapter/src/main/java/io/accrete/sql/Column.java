package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.schema.ValueType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * One column of a table: where its values come from and its SQL type.
 *
 * @param name the SQL name
 * @param kind where the values come from
 * @param attr the attribute read, or null for {@link Kind#ID} and system columns
 * @param type the Accrete type of the values (for {@link Kind#TUPLE_PART}, the component's)
 * @param position the tuple position for {@link Kind#TUPLE_PART}, else -1
 * @param declared the SQL type a CREATE TABLE declared when it shows the values in another form
 *     than their Accrete type does (DATE and TIME of an instant, INTEGER and SMALLINT of a long),
 *     else null
 */
record Column(String name, Kind kind, Attribute attr, ValueType type, int position, SqlTypeName declared) {
  Column(String name, Kind kind, Attribute attr, ValueType type, int position) {
    this(name, kind, attr, type, position, null);
  }

  /** The SQL types a declared column may show its values as (see {@link #declared}). */
  static SqlTypeName presentation(String declaredType, ValueType type) {
    String t = declaredType.toUpperCase(java.util.Locale.ROOT).trim();
    if (type == ValueType.INSTANT) {
      if (t.equals("DATE")) {
        return SqlTypeName.DATE;
      }
      if (t.startsWith("TIME") && !t.startsWith("TIMESTAMP") && !t.contains("WITH TIME ZONE") && !t.startsWith("TIMETZ")) {
        return SqlTypeName.TIME;
      }
    } else if (type == ValueType.LONG) {
      return switch (t) {
        case "INTEGER", "INT", "INT4", "SERIAL" -> SqlTypeName.INTEGER;
        case "SMALLINT", "INT2", "SMALLSERIAL" -> SqlTypeName.SMALLINT;
        default -> null;
      };
    }
    return null;
  }

  Column withDeclared(SqlTypeName shown) {
    return new Column(name, kind, attr, type, position, shown);
  }

  /** Where a column's values come from. */
  enum Kind {
    /** The entity id of the row. */
    ID,
    /** The attribute's value. */
    VALUE,
    /** The ident of the entity a ref points to (an enum), as text. */
    IDENT,
    /** One position of a tuple value. */
    TUPLE_PART,
    /** A homogeneous tuple as an array. */
    ARRAY,
    /** A column of a system table, filled by the table itself. */
    SYSTEM
  }

  static Column id(String name) {
    return new Column(name, Kind.ID, null, ValueType.REF, -1);
  }

  static Column system(String name, ValueType type) {
    return new Column(name, Kind.SYSTEM, null, type, -1);
  }

  /** The type condition values on the column take (an ident column compares text). */
  ValueType conditionType() {
    return kind == Kind.IDENT ? ValueType.STRING : type;
  }

  /** Whether the scan can test conditions on the column (arrays it cannot). */
  boolean filterable() {
    return kind != Kind.ARRAY && type != ValueType.TUPLE;
  }

  /** Whether an index over the column's values orders them as SQL does. */
  boolean naturalOrder() {
    return switch (type) {
      case STRING, LONG, REF, DOUBLE, FLOAT, BOOLEAN, INSTANT, BIGINT -> kind != Kind.IDENT;
      default -> false;
    };
  }

  RelDataType sqlType(RelDataTypeFactory f) {
    return switch (kind) {
      case ID -> f.createSqlType(SqlTypeName.BIGINT);
      case IDENT -> f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR), true);
      case ARRAY -> f.createTypeWithNullability(
          f.createArrayType(SqlTypes.of(f, attr.tupleType()), -1), true);
      case SYSTEM -> type == ValueType.REF || type == ValueType.LONG
          ? f.createSqlType(SqlTypeName.BIGINT) : SqlTypes.of(f, type);
      default -> declared == null ? SqlTypes.of(f, type)
          : f.createTypeWithNullability(declared == SqlTypeName.TIME
              ? f.createSqlType(declared, 3) : f.createSqlType(declared), true);
    };
  }

  private static final long DAY = 86_400_000L;

  /**
   * A SQL literal or parameter value in this column's internal form (see
   * {@link SqlTypes#internal}): days for a DATE, milliseconds of the day for a TIME.
   */
  Object internal(Object x) {
    if (declared == null || x == null) {
      return SqlTypes.internal(conditionType(), x);
    }
    return switch (declared) {
      case DATE -> x instanceof org.apache.calcite.util.DateString d ? (Object) d.getDaysSinceEpoch()
          : x instanceof Integer ? x
          : x instanceof java.sql.Date d ? (Object) (int) d.toLocalDate().toEpochDay()
          : x instanceof java.time.LocalDate d ? (Object) (int) d.toEpochDay() : null;
      case TIME -> x instanceof org.apache.calcite.util.TimeString t ? (Object) t.getMillisOfDay()
          : x instanceof Integer ? x
          : x instanceof java.sql.Time t ? (Object) (int) (t.toLocalTime().toNanoOfDay() / 1_000_000)
          : x instanceof java.time.LocalTime t ? (Object) (int) (t.toNanoOfDay() / 1_000_000) : null;
      default -> {
        Object v = SqlTypes.internal(type, x);
        if (!(v instanceof Long l)) {
          yield v;
        }
        boolean fits = declared == SqlTypeName.INTEGER ? l == l.intValue() : l == l.shortValue();
        yield !fits ? SqlTypes.NO_VALUE : declared == SqlTypeName.INTEGER ? (Object) l.intValue() : (Object) l.shortValue();
      }
    };
  }

  /** The Accrete value of an internal value of this column, for an index seek. */
  Object seekValue(Object internal) {
    if (declared == null) {
      return SqlTypes.toAccrete(type, internal);
    }
    return switch (declared) {
      case DATE -> new java.util.Date(((Integer) internal) * DAY);
      case TIME -> new java.util.Date((Integer) internal);
      default -> ((Number) internal).longValue();
    };
  }

  /** This column's SQL internal value for an attribute value of the row (null stays null). */
  Object fromValue(Object v, io.accrete.Database db) {
    if (v == null) {
      return null;
    }
    return switch (kind) {
      case IDENT -> {
        io.accrete.Keyword k = db.ident(v);
        yield k == null ? null : k.toString();
      }
      case TUPLE_PART -> {
        Object part = ((java.util.List<?>) v).get(position);
        yield part == null ? null : SqlTypes.toSql(type, part);
      }
      case ARRAY -> SqlTypes.toSql(ValueType.TUPLE, v);
      default -> declared == null ? SqlTypes.toSql(type, v) : shown(v);
    };
  }

  private Object shown(Object v) {
    return switch (declared) {
      case DATE -> (int) Math.floorDiv(((java.util.Date) v).getTime(), DAY);
      case TIME -> (int) Math.floorMod(((java.util.Date) v).getTime(), DAY);
      case INTEGER -> ((Long) v).intValue();
      case SMALLINT -> ((Long) v).shortValue();
      default -> SqlTypes.toSql(type, v);
    };
  }
}
