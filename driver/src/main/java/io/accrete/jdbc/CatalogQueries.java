package io.accrete.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that answers {@link DatabaseMetaData}'s catalog calls from {@code information_schema}
 * (embedded and remote connections alike, since it is plain SQL on the connection): tables with
 * their JDBC types ({@code TABLE}, {@code VIEW}, {@code SYSTEM TABLE} for Accrete's own and the
 * history tables, {@code SYSTEM VIEW} for {@code information_schema}) in JDBC's order, columns
 * with PostgreSQL's type names, sizes and digits as pgjdbc reports them, keys, unique indexes and
 * the types that exist. Each method returns the statement and its parameters.
 */
final class CatalogQueries {
  private CatalogQueries() {}

  /** A statement and the strings bound to its parameters. */
  record Query(String sql, List<String> params) {}

  private static final String TABLE_TYPE = "CASE WHEN table_schema = 'information_schema' THEN 'SYSTEM VIEW'"
      + " WHEN table_type = 'VIEW' THEN 'VIEW'"
      + " WHEN table_name IN ('datoms', 'transactions') OR table_name LIKE 'db\\_\\_%' ESCAPE '\\'"
      + " OR table_name LIKE '%\\_\\_history' ESCAPE '\\' THEN 'SYSTEM TABLE' ELSE 'TABLE' END";

  /** The table types, in the order {@code getTableTypes} lists them. */
  static final List<String> TABLE_TYPES = List.of("SYSTEM TABLE", "SYSTEM VIEW", "TABLE", "VIEW");

  static Query tables(String schemaPattern, String tablePattern, String[] types) {
    List<String> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\","
        + " table_schema AS \"TABLE_SCHEM\", table_name AS \"TABLE_NAME\", " + TABLE_TYPE + " AS \"TABLE_TYPE\","
        + " CAST(NULL AS VARCHAR) AS \"REMARKS\", CAST(NULL AS VARCHAR) AS \"TYPE_CAT\","
        + " CAST(NULL AS VARCHAR) AS \"TYPE_SCHEM\", CAST(NULL AS VARCHAR) AS \"TYPE_NAME\","
        + " CAST(NULL AS VARCHAR) AS \"SELF_REFERENCING_COL_NAME\", CAST(NULL AS VARCHAR) AS \"REF_GENERATION\""
        + " FROM information_schema.tables WHERE 1 = 1");
    like(sql, params, "table_schema", schemaPattern);
    like(sql, params, "table_name", tablePattern);
    sql.append(") AS t");
    if (types != null) {
      sql.append(" WHERE \"TABLE_TYPE\" IN (");
      for (int i = 0; i < types.length; i++) {
        sql.append(i == 0 ? "?" : ", ?");
        params.add(types[i]);
      }
      if (types.length == 0) {
        sql.append("NULL");
      }
      sql.append(')');
    }
    sql.append(" ORDER BY \"TABLE_TYPE\", \"TABLE_SCHEM\", \"TABLE_NAME\"");
    return new Query(sql.toString(), params);
  }

  static Query tableTypes() {
    StringBuilder sql = new StringBuilder("SELECT * FROM (VALUES ");
    for (int i = 0; i < TABLE_TYPES.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("('").append(TABLE_TYPES.get(i)).append("')");
    }
    return new Query(sql.append(") AS t (\"TABLE_TYPE\") ORDER BY 1").toString(), List.of());
  }

  /** pgjdbc's JDBC type of each PostgreSQL type name (booleans as BOOLEAN, not BIT). */
  private static final String DATA_TYPE = "CASE udt_name WHEN 'int2' THEN " + Types.SMALLINT
      + " WHEN 'int4' THEN " + Types.INTEGER + " WHEN 'int8' THEN " + Types.BIGINT
      + " WHEN 'float4' THEN " + Types.REAL + " WHEN 'float8' THEN " + Types.DOUBLE
      + " WHEN 'numeric' THEN " + Types.NUMERIC + " WHEN 'varchar' THEN " + Types.VARCHAR
      + " WHEN 'bpchar' THEN " + Types.CHAR + " WHEN 'text' THEN " + Types.VARCHAR
      + " WHEN 'bool' THEN " + Types.BOOLEAN + " WHEN 'date' THEN " + Types.DATE
      + " WHEN 'time' THEN " + Types.TIME + " WHEN 'timestamp' THEN " + Types.TIMESTAMP
      + " WHEN 'timestamptz' THEN " + Types.TIMESTAMP + " WHEN 'bytea' THEN " + Types.BINARY
      + " WHEN 'uuid' THEN " + Types.OTHER + " ELSE CASE WHEN data_type = 'ARRAY' THEN " + Types.ARRAY
      + " ELSE " + Types.OTHER + " END END";

  /** pgjdbc's column sizes: precision for numbers, length for text, display width for times. */
  private static final String COLUMN_SIZE = "CASE udt_name WHEN 'int2' THEN 5 WHEN 'int4' THEN 10"
      + " WHEN 'int8' THEN 19 WHEN 'float4' THEN 8 WHEN 'float8' THEN 17 WHEN 'bool' THEN 1"
      + " WHEN 'date' THEN 13 WHEN 'time' THEN 15 WHEN 'timestamp' THEN 29 WHEN 'timestamptz' THEN 35"
      + " WHEN 'uuid' THEN 36 WHEN 'numeric' THEN COALESCE(numeric_precision, 1000)"
      + " ELSE COALESCE(character_maximum_length, 2147483647) END";

  private static final String DECIMAL_DIGITS = "CASE WHEN udt_name IN ('int2', 'int4', 'int8') THEN 0"
      + " WHEN udt_name = 'float4' THEN 8 WHEN udt_name = 'float8' THEN 17"
      + " WHEN udt_name = 'numeric' THEN COALESCE(numeric_scale, 0)"
      + " WHEN udt_name IN ('time', 'timestamp', 'timestamptz') THEN datetime_precision END";

  static Query columns(String schemaPattern, String tablePattern, String columnPattern) {
    List<String> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", table_schema AS \"TABLE_SCHEM\","
        + " table_name AS \"TABLE_NAME\", column_name AS \"COLUMN_NAME\", CAST(" + DATA_TYPE + " AS INTEGER) AS \"DATA_TYPE\","
        + " CASE WHEN column_default LIKE 'nextval(%' AND udt_name = 'int4' THEN 'serial'"
        + " WHEN column_default LIKE 'nextval(%' AND udt_name = 'int8' THEN 'bigserial' ELSE udt_name END AS \"TYPE_NAME\","
        + " CAST(" + COLUMN_SIZE + " AS INTEGER) AS \"COLUMN_SIZE\", CAST(NULL AS INTEGER) AS \"BUFFER_LENGTH\","
        + " CAST(" + DECIMAL_DIGITS + " AS INTEGER) AS \"DECIMAL_DIGITS\", 10 AS \"NUM_PREC_RADIX\","
        + " CASE WHEN is_nullable = 'NO' THEN " + DatabaseMetaData.columnNoNulls + " ELSE "
        + DatabaseMetaData.columnNullable + " END AS \"NULLABLE\", CAST(NULL AS VARCHAR) AS \"REMARKS\","
        + " column_default AS \"COLUMN_DEF\", CAST(NULL AS INTEGER) AS \"SQL_DATA_TYPE\","
        + " CAST(NULL AS INTEGER) AS \"SQL_DATETIME_SUB\", CAST(character_maximum_length * 4 AS INTEGER) AS \"CHAR_OCTET_LENGTH\","
        + " CAST(ordinal_position AS INTEGER) AS \"ORDINAL_POSITION\", is_nullable AS \"IS_NULLABLE\","
        + " CAST(NULL AS VARCHAR) AS \"SCOPE_CATALOG\", CAST(NULL AS VARCHAR) AS \"SCOPE_SCHEMA\","
        + " CAST(NULL AS VARCHAR) AS \"SCOPE_TABLE\", CAST(NULL AS SMALLINT) AS \"SOURCE_DATA_TYPE\","
        + " CASE WHEN is_identity = 'YES' OR column_default LIKE 'nextval(%' THEN 'YES' ELSE 'NO' END AS \"IS_AUTOINCREMENT\","
        + " 'NO' AS \"IS_GENERATEDCOLUMN\" FROM information_schema.columns WHERE 1 = 1");
    like(sql, params, "table_schema", schemaPattern);
    like(sql, params, "table_name", tablePattern);
    like(sql, params, "column_name", columnPattern);
    sql.append(" ORDER BY \"TABLE_SCHEM\", \"TABLE_NAME\", \"ORDINAL_POSITION\"");
    return new Query(sql.toString(), params);
  }

  /** The primary key's columns, named after the table's PRIMARY KEY constraint. */
  static Query primaryKeys(String table) {
    return new Query("SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", k.table_schema AS \"TABLE_SCHEM\","
        + " k.table_name AS \"TABLE_NAME\", k.column_name AS \"COLUMN_NAME\","
        + " CAST(k.ordinal_position AS SMALLINT) AS \"KEY_SEQ\", k.constraint_name AS \"PK_NAME\""
        + " FROM information_schema.key_column_usage k JOIN information_schema.table_constraints c"
        + " ON c.constraint_name = k.constraint_name AND c.table_name = k.table_name"
        + " WHERE c.constraint_type = 'PRIMARY KEY' AND k.table_name = ? ORDER BY k.column_name", List.of(table));
  }

  /** The PRIMARY KEY and UNIQUE constraints as unique indexes (every attribute is in AVET besides). */
  static Query indexInfo(String table) {
    return new Query("SELECT CAST(NULL AS VARCHAR) AS \"TABLE_CAT\", k.table_schema AS \"TABLE_SCHEM\","
        + " k.table_name AS \"TABLE_NAME\", FALSE AS \"NON_UNIQUE\", CAST(NULL AS VARCHAR) AS \"INDEX_QUALIFIER\","
        + " k.constraint_name AS \"INDEX_NAME\", CAST(" + DatabaseMetaData.tableIndexOther + " AS SMALLINT) AS \"TYPE\","
        + " CAST(k.ordinal_position AS SMALLINT) AS \"ORDINAL_POSITION\", k.column_name AS \"COLUMN_NAME\","
        + " 'A' AS \"ASC_OR_DESC\", CAST(NULL AS BIGINT) AS \"CARDINALITY\", CAST(NULL AS BIGINT) AS \"PAGES\","
        + " CAST(NULL AS VARCHAR) AS \"FILTER_CONDITION\""
        + " FROM information_schema.key_column_usage k JOIN information_schema.table_constraints c"
        + " ON c.constraint_name = k.constraint_name AND c.table_name = k.table_name"
        + " WHERE c.constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND k.table_name = ?"
        + " ORDER BY \"NON_UNIQUE\", \"TYPE\", \"INDEX_NAME\", \"ORDINAL_POSITION\"", List.of(table));
  }

  /** The PRIMARY KEY constraint's name of the table in column {@code pk_table}. */
  static final String PK_NAME = "(SELECT MIN(c.constraint_name) FROM information_schema.table_constraints c"
      + " WHERE c.table_name = pk_table AND c.constraint_type = 'PRIMARY KEY')";

  /**
   * The types a column can have, as PostgreSQL names them: name, JDBC type, precision, literal
   * prefix and suffix, create parameters, auto-increment.
   */
  private static final Object[][] TYPES = {
      {"bool", Types.BOOLEAN, 1, null, null, null, false},
      {"bytea", Types.BINARY, 2147483647, "'\\x", "'", null, false},
      {"int8", Types.BIGINT, 19, null, null, null, false},
      {"bigserial", Types.BIGINT, 19, null, null, null, true},
      {"bpchar", Types.CHAR, 10485760, "'", "'", "length", false},
      {"numeric", Types.NUMERIC, 1000, null, null, "precision,scale", false},
      {"int4", Types.INTEGER, 10, null, null, null, false},
      {"serial", Types.INTEGER, 10, null, null, null, true},
      {"int2", Types.SMALLINT, 5, null, null, null, false},
      {"float4", Types.REAL, 8, null, null, null, false},
      {"float8", Types.DOUBLE, 17, null, null, null, false},
      {"text", Types.VARCHAR, 2147483647, "'", "'", null, false},
      {"varchar", Types.VARCHAR, 10485760, "'", "'", "max length", false},
      {"uuid", Types.OTHER, 36, "'", "'", null, false},
      {"date", Types.DATE, 13, "DATE '", "'", null, false},
      {"time", Types.TIME, 15, "TIME '", "'", null, false},
      {"timestamp", Types.TIMESTAMP, 29, "TIMESTAMP '", "'", null, false},
      {"timestamptz", Types.TIMESTAMP, 35, "TIMESTAMP '", "'", null, false},
  };

  static Query typeInfo() {
    StringBuilder sql = new StringBuilder("SELECT * FROM (VALUES ");
    for (int i = 0; i < TYPES.length; i++) {
      Object[] t = TYPES[i];
      int jdbc = (Integer) t[1];
      boolean number = jdbc == Types.SMALLINT || jdbc == Types.INTEGER || jdbc == Types.BIGINT
          || jdbc == Types.REAL || jdbc == Types.DOUBLE || jdbc == Types.NUMERIC;
      boolean text = jdbc == Types.CHAR || jdbc == Types.VARCHAR;
      sql.append(i == 0 ? "(" : ", (").append(quote(t[0])).append(", ").append(jdbc).append(", ").append(t[2])
          .append(", ").append(quote(t[3])).append(", ").append(quote(t[4])).append(", ").append(quote(t[5]))
          .append(", ").append(DatabaseMetaData.typeNullable).append(", ").append(text ? "TRUE" : "FALSE")
          .append(", ").append(DatabaseMetaData.typeSearchable).append(", ").append(number ? "FALSE" : "TRUE")
          .append(", FALSE, ").append(t[6])
          .append(", ").append(quote(t[0])).append(", 0, ").append(jdbc == Types.NUMERIC ? 1000 : 0)
          .append(", ").append(number ? 10 : 0).append(')');
    }
    sql.append(") AS t (\"TYPE_NAME\", \"DATA_TYPE\", \"PRECISION\", \"LITERAL_PREFIX\", \"LITERAL_SUFFIX\","
        + " \"CREATE_PARAMS\", \"NULLABLE\", \"CASE_SENSITIVE\", \"SEARCHABLE\", \"UNSIGNED_ATTRIBUTE\","
        + " \"FIXED_PREC_SCALE\", \"AUTO_INCREMENT\", \"LOCAL_TYPE_NAME\", \"MINIMUM_SCALE\", \"MAXIMUM_SCALE\","
        + " \"NUM_PREC_RADIX\") ORDER BY \"DATA_TYPE\", \"TYPE_NAME\"");
    return new Query("SELECT \"TYPE_NAME\", CAST(\"DATA_TYPE\" AS INTEGER) AS \"DATA_TYPE\","
        + " CAST(\"PRECISION\" AS INTEGER) AS \"PRECISION\", \"LITERAL_PREFIX\", \"LITERAL_SUFFIX\", \"CREATE_PARAMS\","
        + " CAST(\"NULLABLE\" AS SMALLINT) AS \"NULLABLE\", \"CASE_SENSITIVE\", CAST(\"SEARCHABLE\" AS SMALLINT) AS \"SEARCHABLE\","
        + " \"UNSIGNED_ATTRIBUTE\", \"FIXED_PREC_SCALE\", \"AUTO_INCREMENT\", \"LOCAL_TYPE_NAME\","
        + " CAST(\"MINIMUM_SCALE\" AS SMALLINT) AS \"MINIMUM_SCALE\", CAST(\"MAXIMUM_SCALE\" AS SMALLINT) AS \"MAXIMUM_SCALE\","
        + " CAST(NULL AS INTEGER) AS \"SQL_DATA_TYPE\", CAST(NULL AS INTEGER) AS \"SQL_DATETIME_SUB\","
        + " CAST(\"NUM_PREC_RADIX\" AS INTEGER) AS \"NUM_PREC_RADIX\" FROM (" + sql + ") AS types", List.of());
  }

  private static String quote(Object s) {
    return s == null ? "CAST(NULL AS VARCHAR)" : "'" + s.toString().replace("'", "''") + "'";
  }

  /** {@code AND column LIKE ?} for a JDBC pattern; nothing for null (any). */
  private static void like(StringBuilder sql, List<String> params, String column, String pattern) {
    if (pattern != null) {
      sql.append(" AND ").append(column).append(" LIKE ? ESCAPE '\\'");
      params.add(pattern);
    }
  }
}
