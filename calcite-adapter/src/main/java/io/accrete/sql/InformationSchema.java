package io.accrete.sql;

import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * PostgreSQL's {@code information_schema} over the tables of {@link Mapping}: {@code schemata},
 * {@code tables}, {@code columns}, {@code views}, {@code table_constraints},
 * {@code key_column_usage}, {@code referential_constraints}, {@code constraint_column_usage} and
 * {@code check_constraints}, with PostgreSQL's column names and words ({@code BASE TABLE},
 * {@code YES}/{@code NO}, {@code character varying}). Like every table, they follow the database
 * value of the statement: {@code AS OF} a past moment shows the tables of then.
 *
 * <p>Tables SQL created show what their CREATE TABLE declared (types, NOT NULL, defaults,
 * identity columns, constraints with their names); tables of namespaces show their keys as
 * {@link KeysTables} has them (the key {@code db__id}, a UNIQUE constraint per unique attribute,
 * foreign keys from refs).
 */
final class InformationSchema extends AbstractSchema {
  /** The schema's name. */
  static final String NAME = "information_schema";

  private final AccreteSchema accrete;
  private final Map<String, Table> tables;

  InformationSchema(AccreteSchema accrete) {
    this.accrete = accrete;
    SqlSession s = accrete.session();
    Map<String, Table> t = new LinkedHashMap<>();
    add(t, new Info(s, "schemata", this::schemata, "catalog_name", "schema_name", "schema_owner"));
    add(t, new Info(s, "tables", this::tables, "table_catalog", "table_schema", "table_name", "table_type",
        "is_insertable_into", "is_typed"));
    add(t, new Info(s, "columns", this::columns, "table_catalog", "table_schema", "table_name", "column_name",
        "#ordinal_position", "column_default", "is_nullable", "data_type", "#character_maximum_length",
        "#numeric_precision", "#numeric_precision_radix", "#numeric_scale", "#datetime_precision",
        "udt_catalog", "udt_schema", "udt_name", "is_identity", "identity_generation", "is_generated",
        "is_updatable"));
    add(t, new Info(s, "views", this::views, "table_catalog", "table_schema", "table_name", "view_definition",
        "check_option", "is_updatable", "is_insertable_into"));
    add(t, new Info(s, "table_constraints", this::tableConstraints, "constraint_catalog", "constraint_schema",
        "constraint_name", "table_catalog", "table_schema", "table_name", "constraint_type", "is_deferrable",
        "initially_deferred", "enforced"));
    add(t, new Info(s, "key_column_usage", this::keyColumnUsage, "constraint_catalog", "constraint_schema",
        "constraint_name", "table_catalog", "table_schema", "table_name", "column_name", "#ordinal_position",
        "#position_in_unique_constraint"));
    add(t, new Info(s, "referential_constraints", this::referentialConstraints, "constraint_catalog",
        "constraint_schema", "constraint_name", "unique_constraint_catalog", "unique_constraint_schema",
        "unique_constraint_name", "match_option", "update_rule", "delete_rule"));
    add(t, new Info(s, "constraint_column_usage", this::constraintColumnUsage, "table_catalog", "table_schema",
        "table_name", "column_name", "constraint_catalog", "constraint_schema", "constraint_name"));
    add(t, new Info(s, "check_constraints", this::checkConstraints, "constraint_catalog", "constraint_schema",
        "constraint_name", "check_clause"));
    this.tables = Map.copyOf(t);
  }

  private static void add(Map<String, Table> tables, Info table) {
    tables.put(table.name, table);
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tables;
  }

  /** A table of this schema: its columns are text, or integers where the name starts with '#'. */
  private static final class Info extends AccreteTable {
    private final BiFunction<Database, String, List<Object[]>> rows;

    Info(SqlSession session, String name, BiFunction<Database, String, List<Object[]>> rows, String... columns) {
      super(session, name, columns(columns));
      this.rows = rows;
    }

    private static List<Column> columns(String[] names) {
      List<Column> out = new ArrayList<>();
      for (String n : names) {
        out.add(n.startsWith("#") ? Column.system(n.substring(1), ValueType.LONG) : Column.system(n, ValueType.STRING));
      }
      return out;
    }

    /** Every column may be NULL, as in PostgreSQL's views (numbers too: a key's position in a foreign key's). */
    @Override
    RelDataType columnType(Column c, RelDataTypeFactory f) {
      return f.createTypeWithNullability(super.columnType(c, f), true);
    }

    @Override
    double rowCount(Database db) {
      return 100;
    }

    @Override
    Iterator<Object[]> rows(Database db, ScanSpec spec, List<Condition.Bound> bound) {
      return rows.apply(db, session.databaseName()).iterator();
    }
  }

  // ---- the rows ----

  private Map<String, Table> mapped() {
    return accrete.tableMap();
  }

  private List<Object[]> schemata(Database db, String catalog) {
    return List.of(new Object[] {catalog, AccreteSql.SCHEMA, "accrete"},
        new Object[] {catalog, NAME, "accrete"});
  }

  private List<Object[]> tables(Database db, String catalog) {
    List<Object[]> out = new ArrayList<>();
    for (Map.Entry<String, Table> t : mapped().entrySet()) {
      boolean writable = t.getValue() instanceof EntityTable || t.getValue() instanceof ManyTable;
      out.add(new Object[] {catalog, AccreteSql.SCHEMA, t.getKey(), "BASE TABLE", writable ? "YES" : "NO", "NO"});
    }
    for (String v : views(db).keySet()) {
      out.add(new Object[] {catalog, AccreteSql.SCHEMA, v, "VIEW", "NO", "NO"});
    }
    for (String t : tables.keySet()) {
      out.add(new Object[] {catalog, NAME, t, "VIEW", "NO", "NO"}); // PostgreSQL's are views too
    }
    return out;
  }

  private List<Object[]> views(Database db, String catalog) {
    List<Object[]> out = new ArrayList<>();
    for (Map.Entry<String, String> v : views(db).entrySet()) {
      out.add(new Object[] {catalog, AccreteSql.SCHEMA, v.getKey(), v.getValue(), "NONE", "NO", "NO"});
    }
    return out;
  }

  /** The views SQL created, name to query text. */
  private static Map<String, String> views(Database db) {
    Map<String, String> out = new LinkedHashMap<>();
    if (db.attribute(SqlDdl.VIEW_NAME) == null) {
      return out;
    }
    for (Datom d : db.datoms(Keyword.of(null, "aevt"), SqlDdl.VIEW_NAME)) {
      Object query = Datoms.value(db, d.e(), SqlDdl.VIEW_QUERY);
      if (query != null) {
        out.put((String) d.v(), (String) query);
      }
    }
    return out;
  }

  private List<Object[]> columns(Database db, String catalog) {
    RelDataTypeFactory f = new JavaTypeFactoryImpl(AccreteTypeSystem.INSTANCE);
    List<Object[]> out = new ArrayList<>();
    for (Map.Entry<String, Table> e : mapped().entrySet()) {
      Table table = e.getValue();
      TableDef def = table instanceof EntityTable t ? t.def : null;
      List<String> key = keyColumns(e.getKey());
      long ordinal = 0;
      for (RelDataTypeField field : table.getRowType(f).getFieldList()) {
        TableDef.Col col = def == null ? null : def.column(field.getName());
        boolean notNull = col != null ? col.notNull() : key.contains(field.getName()) || !field.getType().isNullable();
        PgType type = PgType.of(field.getType(), col == null ? null : col.type());
        boolean serial = col != null && col.type().toUpperCase(java.util.Locale.ROOT).matches("(SMALL|BIG)?SERIAL[248]?");
        boolean identity = col != null && col.sequence() != null && !serial;
        String dflt = col == null ? null : serial ? "nextval('" + col.sequence() + "'::regclass)" : col.defaultSql();
        out.add(new Object[] {catalog, AccreteSql.SCHEMA, e.getKey(), field.getName(), ++ordinal, dflt,
            notNull ? "NO" : "YES", type.dataType(), type.length(), type.precision(), type.radix(), type.scale(),
            type.datetimePrecision(), catalog, "pg_catalog", type.udtName(), identity ? "YES" : "NO",
            identity ? "BY DEFAULT" : null, "NEVER",
            table instanceof EntityTable || table instanceof ManyTable ? "YES" : "NO"});
      }
    }
    return out;
  }

  /** A constraint: its name, table, kind, columns and, for a foreign key, what it references. */
  private record Constraint(String name, String table, String type, List<String> columns, String refTable,
      List<String> refColumns, String check) {}

  private List<String> keyColumns(String table) {
    List<String> out = new ArrayList<>();
    if (mapped().get("db__primary_keys") instanceof KeysTables.PrimaryKeys pk) {
      for (Object[] r : pk.all()) {
        if (r[0].equals(table)) {
          out.add((String) r[1]);
        }
      }
    }
    return out;
  }

  /** Every constraint of every table, PostgreSQL's kinds in its order. */
  private List<Constraint> constraints(Database db) {
    Map<String, Table> mapped = mapped();
    List<Constraint> out = new ArrayList<>();
    Map<String, List<String>> primary = new LinkedHashMap<>();
    if (mapped.get("db__primary_keys") instanceof KeysTables.PrimaryKeys pk) {
      for (Object[] r : pk.all()) {
        primary.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add((String) r[1]);
      }
    }
    for (Map.Entry<String, List<String>> p : primary.entrySet()) {
      out.add(new Constraint(pkName(p.getKey()), p.getKey(), "PRIMARY KEY", p.getValue(), null, null, null));
    }
    for (Map.Entry<String, Table> e : mapped.entrySet()) {
      if (!(e.getValue() instanceof EntityTable t)) {
        continue;
      }
      if (t.def != null) {
        Map<String, String> names = new HashMap<>();
        t.def.constraints(e.getKey()).forEach((name, d) -> names.put(d, name));
        for (List<String> u : t.def.uniques()) {
          out.add(new Constraint(names.get(TableDef.descriptor("UNIQUE", u, null)), e.getKey(), "UNIQUE", u,
              null, null, null));
        }
        for (Column c : t.columns) { // UNIQUE written on a column: a unique attribute
          List<String> one = List.of(c.name());
          if (c.kind() == Column.Kind.VALUE && c.attr() != null && c.attr().isUnique()
              && !t.def.primaryKey().equals(one) && !t.def.uniques().contains(one)) {
            out.add(new Constraint(e.getKey() + "_" + c.name() + "_key", e.getKey(), "UNIQUE", one, null, null, null));
          }
        }
        for (String c : t.def.checks()) {
          out.add(new Constraint(names.get(TableDef.descriptor("CHECK", null, c)), e.getKey(), "CHECK", List.of(),
              null, null, c));
        }
      } else {
        for (Column c : t.columns) {
          if (c.kind() == Column.Kind.VALUE && c.attr() != null && c.attr().isUnique()) {
            out.add(new Constraint(e.getKey() + "_" + c.name() + "_key", e.getKey(), "UNIQUE", List.of(c.name()),
                null, null, null));
          }
        }
      }
    }
    if (mapped.get("db__foreign_keys") instanceof KeysTables.ForeignKeys fks) {
      Map<List<String>, Constraint> byName = new LinkedHashMap<>();
      for (Object[] r : fks.all(db)) {
        List<String> id = List.of((String) r[0], (String) r[4]);
        Constraint c = byName.computeIfAbsent(id, k -> new Constraint((String) r[4], (String) r[0], "FOREIGN KEY",
            new ArrayList<>(), (String) r[2], new ArrayList<>(), null));
        c.columns().add((String) r[1]);
        c.refColumns().add((String) r[3]);
      }
      out.addAll(byName.values());
    }
    return out;
  }

  private String pkName(String table) {
    if (mapped().get(table) instanceof EntityTable t && t.def != null) {
      for (Map.Entry<String, String> c : t.def.constraints(table).entrySet()) {
        if (c.getValue().equals("PRIMARY KEY")) {
          return c.getKey();
        }
      }
    }
    return table + "_pkey";
  }

  /** The PRIMARY KEY or UNIQUE constraint of {@code table} on exactly {@code columns}, or null. */
  private static Constraint uniqueOn(List<Constraint> all, String table, List<String> columns) {
    for (Constraint c : all) {
      if (c.table().equals(table) && (c.type().equals("PRIMARY KEY") || c.type().equals("UNIQUE"))
          && c.columns().equals(columns)) {
        return c;
      }
    }
    return null;
  }

  private List<Object[]> tableConstraints(Database db, String catalog) {
    List<Object[]> out = new ArrayList<>();
    for (Constraint c : constraints(db)) {
      out.add(new Object[] {catalog, AccreteSql.SCHEMA, c.name(), catalog, AccreteSql.SCHEMA, c.table(), c.type(),
          "NO", "NO", "YES"});
    }
    return out;
  }

  private List<Object[]> keyColumnUsage(Database db, String catalog) {
    List<Constraint> all = constraints(db);
    List<Object[]> out = new ArrayList<>();
    for (Constraint c : all) {
      Constraint referenced = c.refTable() == null ? null : uniqueOn(all, c.refTable(), c.refColumns());
      for (int i = 0; i < c.columns().size(); i++) {
        Long inUnique = null;
        if (c.refTable() != null) {
          int at = referenced == null ? -1 : referenced.columns().indexOf(c.refColumns().get(i));
          inUnique = at < 0 ? (long) i + 1 : (long) at + 1;
        }
        out.add(new Object[] {catalog, AccreteSql.SCHEMA, c.name(), catalog, AccreteSql.SCHEMA, c.table(),
            c.columns().get(i), (long) i + 1, inUnique});
      }
    }
    return out;
  }

  private List<Object[]> referentialConstraints(Database db, String catalog) {
    List<Constraint> all = constraints(db);
    List<Object[]> out = new ArrayList<>();
    for (Constraint c : all) {
      if (c.refTable() != null) {
        Constraint referenced = uniqueOn(all, c.refTable(), c.refColumns());
        out.add(new Object[] {catalog, AccreteSql.SCHEMA, c.name(), catalog, AccreteSql.SCHEMA,
            referenced == null ? null : referenced.name(), "NONE", "NO ACTION", "NO ACTION"});
      }
    }
    return out;
  }

  /** As PostgreSQL: a key's own columns, a foreign key's referenced columns. */
  private List<Object[]> constraintColumnUsage(Database db, String catalog) {
    List<Object[]> out = new ArrayList<>();
    for (Constraint c : constraints(db)) {
      String table = c.refTable() != null ? c.refTable() : c.table();
      for (String column : c.refTable() != null ? c.refColumns() : c.columns()) {
        out.add(new Object[] {catalog, AccreteSql.SCHEMA, table, column, catalog, AccreteSql.SCHEMA, c.name()});
      }
    }
    return out;
  }

  private List<Object[]> checkConstraints(Database db, String catalog) {
    List<Object[]> out = new ArrayList<>();
    for (Constraint c : constraints(db)) {
      if (c.check() != null) {
        out.add(new Object[] {catalog, AccreteSql.SCHEMA, c.name(), "(" + c.check() + ")"});
      }
    }
    return out;
  }

  /** How {@code information_schema.columns} describes a column's type, as PostgreSQL does. */
  record PgType(String dataType, String udtName, Long length, Long precision, Long radix, Long scale,
      Long datetimePrecision) {
    private static PgType integral(String name, String udt, long bits) {
      return new PgType(name, udt, null, bits, 2L, 0L, null);
    }

    private static PgType plain(String name, String udt) {
      return new PgType(name, udt, null, null, null, null, null);
    }

    /** A column's type: what CREATE TABLE declared, else its SQL type. */
    static PgType of(RelDataType type, String declared) {
      String d = declared == null ? "" : declared.toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ").trim();
      String base = d.replaceAll("\\s*\\(.*", "");
      Long n = d.matches(".*\\(\\s*\\d+.*") ? Long.valueOf(d.replaceAll("^[^(]*\\(\\s*(\\d+).*$", "$1")) : null;
      switch (base) {
        case "TEXT":
          return plain("text", "text");
        case "VARCHAR", "CHARACTER VARYING":
          return new PgType("character varying", "varchar", n, null, null, null, null);
        case "CHAR", "CHARACTER", "BPCHAR":
          return new PgType("character", "bpchar", n == null ? 1L : n, null, null, null, null);
        case "UUID":
          return plain("uuid", "uuid");
        case "BYTEA":
          return plain("bytea", "bytea");
        case "BIGINT", "INT8", "BIGSERIAL", "SERIAL8":
          return integral("bigint", "int8", 64);
        case "TIMESTAMPTZ":
          return new PgType("timestamp with time zone", "timestamptz", null, null, null, null, 3L);
        default:
          if (d.startsWith("TIMESTAMP") && d.contains("WITH TIME ZONE") && !d.contains("WITHOUT")) {
            return new PgType("timestamp with time zone", "timestamptz", null, null, null, null, 3L);
          }
          break;
      }
      return switch (type.getSqlTypeName()) {
        case SMALLINT -> integral("smallint", "int2", 16);
        case INTEGER -> integral("integer", "int4", 32);
        case BIGINT -> integral("bigint", "int8", 64);
        case REAL -> new PgType("real", "float4", null, 24L, 2L, null, null);
        case DOUBLE, FLOAT -> new PgType("double precision", "float8", null, 53L, 2L, null, null);
        case DECIMAL -> d.isEmpty() && type.getScale() > 0 || d.equals("NUMERIC") || d.equals("DECIMAL")
            ? new PgType("numeric", "numeric", null, null, 10L, null, null) // unconstrained
            : new PgType("numeric", "numeric", null, (long) type.getPrecision(), 10L, (long) type.getScale(), null);
        case BOOLEAN -> plain("boolean", "bool");
        case DATE -> new PgType("date", "date", null, null, null, null, 0L);
        case TIME -> new PgType("time without time zone", "time", null, null, null, null, 3L);
        case TIMESTAMP -> new PgType("timestamp without time zone", "timestamp", null, null, null, null, 3L);
        case VARBINARY, BINARY -> plain("bytea", "bytea");
        case ARRAY -> plain("ARRAY", "_" + of(type.getComponentType(), null).udtName());
        default -> plain("text", "text");
      };
    }
  }
}
