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
 */
record Column(String name, Kind kind, Attribute attr, ValueType type, int position) {

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
      default -> SqlTypes.of(f, type);
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
      default -> SqlTypes.toSql(type, v);
    };
  }
}
