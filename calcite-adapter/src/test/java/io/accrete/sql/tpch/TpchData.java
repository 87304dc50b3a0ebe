package io.accrete.sql.tpch;

import io.accrete.Connection;
import io.accrete.Keyword;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchColumnType;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The TPC-H data set (rows from {@code io.trino.tpch}, the reference generator's Java port) as
 * datoms in an Accrete database, and as the standard tables in PostgreSQL, so the same SQL runs
 * on both.
 *
 * <p>In Accrete each table is one attribute namespace and each column one card-one attribute
 * with the standard column name: {@code :lineitem/l_orderkey}, {@code :orders/o_orderdate}, … —
 * which the SQL layer shows as table {@code lineitem}, column {@code l_orderkey}. A row is one
 * entity. Keys are plain {@code long} attributes, not references, so joins are value joins
 * exactly as the SQL writes them; single-column primary keys ({@code o_orderkey},
 * {@code c_custkey}, …) are {@code :db.unique/identity}. Value types:
 *
 * <table>
 *   <caption>TPC-H column types in Accrete and PostgreSQL</caption>
 *   <tr><th>TPC-H</th><th>Accrete</th><th>PostgreSQL</th></tr>
 *   <tr><td>identifier</td><td>long</td><td>INTEGER</td></tr>
 *   <tr><td>integer</td><td>long</td><td>INTEGER</td></tr>
 *   <tr><td>decimal</td><td>double</td><td>DECIMAL(15,2)</td></tr>
 *   <tr><td>date</td><td>instant, UTC midnight</td><td>DATE</td></tr>
 *   <tr><td>text</td><td>string</td><td>VARCHAR(n)</td></tr>
 * </table>
 *
 * <p>The standard DDL declares some text columns {@code CHAR(n)}; they are {@code VARCHAR(n)}
 * here because PostgreSQL returns {@code CHAR} values blank-padded, and the answers of the two
 * systems are compared value by value. The generator yields the same rows for the same scale
 * factor every time, so both loads hold the same data.
 */
public final class TpchData {
  /** Entities (rows) per Accrete transaction. */
  public static final int BATCH = 5_000;

  private static final Keyword IDENT = Keyword.of("db", "ident");
  private static final Keyword VALUE_TYPE = Keyword.of("db", "valueType");
  private static final Keyword CARDINALITY = Keyword.of("db", "cardinality");
  private static final Keyword UNIQUE = Keyword.of("db", "unique");
  private static final Keyword DOC = Keyword.of("db", "doc");

  /** Primary keys of the standard schema, by table. */
  private static final Map<String, List<String>> PRIMARY_KEYS = Map.of(
      "region", List.of("r_regionkey"),
      "nation", List.of("n_nationkey"),
      "supplier", List.of("s_suppkey"),
      "customer", List.of("c_custkey"),
      "part", List.of("p_partkey"),
      "partsupp", List.of("ps_partkey", "ps_suppkey"),
      "orders", List.of("o_orderkey"),
      "lineitem", List.of("l_orderkey", "l_linenumber"));

  private TpchData() {}

  /** The eight tables, smallest first. */
  public static List<TpchTable<?>> tables() {
    return List.of(TpchTable.REGION, TpchTable.NATION, TpchTable.SUPPLIER, TpchTable.CUSTOMER,
        TpchTable.PART, TpchTable.PART_SUPPLIER, TpchTable.ORDERS, TpchTable.LINE_ITEM);
  }

  /** The primary-key columns of a table, by TPC-H table name ({@code lineitem}, …). */
  public static List<String> primaryKey(String table) {
    List<String> key = PRIMARY_KEYS.get(table);
    if (key == null) {
      throw new IllegalArgumentException("no TPC-H table " + table);
    }
    return key;
  }

  /** The attribute of a column: {@code :<table>/<column>}. */
  public static Keyword attribute(TpchTable<?> table, TpchColumn<?> column) {
    return Keyword.of(table.getTableName(), column.getColumnName());
  }

  /** The attribute of a column named by table and column: {@code attribute("orders", "o_orderkey")}. */
  public static Keyword attribute(String table, String column) {
    return Keyword.of(table, column);
  }

  /** The schema of all eight tables, as transaction data. */
  public static List<Map<Keyword, Object>> schema() {
    return schema(false);
  }

  /**
   * The schema, with the money columns as {@code :db.type/bigdec} (SQL DECIMAL, compared exactly
   * with PostgreSQL's numeric) when {@code decimals}, else as doubles.
   */
  public static List<Map<Keyword, Object>> schema(boolean decimals) {
    List<Map<Keyword, Object>> tx = new ArrayList<>();
    for (TpchTable<?> t : tables()) {
      List<String> key = primaryKey(t.getTableName());
      for (TpchColumn<?> c : t.getColumns()) {
        Map<Keyword, Object> a = new HashMap<>();
        a.put(IDENT, attribute(t, c));
        a.put(VALUE_TYPE, Keyword.of("db.type", decimals && c.getType().getBase() == TpchColumnType.Base.DOUBLE
            ? "bigdec" : accreteType(c.getType())));
        a.put(CARDINALITY, Keyword.of("db.cardinality", "one"));
        a.put(DOC, "TPC-H " + t.getTableName() + "." + c.getColumnName());
        if (key.size() == 1 && key.get(0).equals(c.getColumnName())) {
          a.put(UNIQUE, Keyword.of("db.unique", "identity"));
        }
        tx.add(a);
      }
    }
    return tx;
  }

  private static String accreteType(TpchColumnType type) {
    return switch (type.getBase()) {
      case IDENTIFIER, INTEGER -> "long";
      case DOUBLE -> "double";
      case DATE -> "instant";
      case VARCHAR -> "string";
    };
  }

  /**
   * The Accrete value of one column of a generated row: {@code Long}, {@code Double},
   * {@code String}, or a {@link Date} at UTC midnight.
   */
  public static <E extends TpchEntity> Object value(TpchColumn<E> column, E row) {
    return switch (column.getType().getBase()) {
      case IDENTIFIER -> column.getIdentifier(row);
      case INTEGER -> (long) column.getInteger(row);
      case DOUBLE -> column.getDouble(row);
      case DATE -> new Date(column.getDate(row) * 86_400_000L);
      case VARCHAR -> column.getString(row);
    };
  }

  /** The generated rows of a table at a scale factor (one part: the whole table). */
  public static <E extends TpchEntity> Iterable<E> rows(TpchTable<E> table, double scaleFactor) {
    return table.createGenerator(scaleFactor, 1, 1);
  }

  /**
   * Transacts the schema and every row of the eight tables at {@code scaleFactor} into
   * {@code conn}, {@value #BATCH} entities per transaction, waiting for each.
   *
   * @return the rows loaded per table name, in load order
   */
  public static Map<String, Long> load(Connection conn, double scaleFactor) {
    return load(conn, scaleFactor, false);
  }

  /**
   * As {@link #load(Connection, double)}, with the money columns as exact decimals (two places,
   * as PostgreSQL's DECIMAL(15,2) holds them) when {@code decimals}.
   *
   * @return the rows loaded per table name, in load order
   */
  public static Map<String, Long> load(Connection conn, double scaleFactor, boolean decimals) {
    return load(conn, scaleFactor, decimals, true);
  }

  /**
   * As {@link #load(Connection, double, boolean)}; without {@code keys} no attribute is
   * {@code :db.unique/identity}: the key columns hold unique values that nothing declares.
   *
   * @return the rows loaded per table name, in load order
   */
  public static Map<String, Long> load(Connection conn, double scaleFactor, boolean decimals, boolean keys) {
    List<Map<Keyword, Object>> schema = schema(decimals);
    if (!keys) {
      schema.forEach(a -> a.remove(UNIQUE));
    }
    conn.transact(schema).join();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (TpchTable<?> t : tables()) {
      counts.put(t.getTableName(), loadTable(conn, t, scaleFactor, decimals));
    }
    return counts;
  }

  /**
   * Transacts every row of one table at {@code scaleFactor}, {@value #BATCH} entities per
   * transaction; the schema ({@link #schema()}) must be installed.
   *
   * @return the rows loaded
   */
  public static <E extends TpchEntity> long loadTable(Connection conn, TpchTable<E> table, double scaleFactor) {
    return loadTable(conn, table, scaleFactor, false);
  }

  private static <E extends TpchEntity> long loadTable(Connection conn, TpchTable<E> table, double scaleFactor,
      boolean decimals) {
    List<TpchColumn<E>> columns = table.getColumns();
    Keyword[] attrs = new Keyword[columns.size()];
    for (int i = 0; i < attrs.length; i++) {
      attrs[i] = attribute(table, columns.get(i));
    }
    long n = 0;
    List<Map<Keyword, Object>> batch = new ArrayList<>(BATCH);
    for (E row : rows(table, scaleFactor)) {
      Map<Keyword, Object> entity = new HashMap<>(attrs.length * 2);
      for (int i = 0; i < attrs.length; i++) {
        Object v = value(columns.get(i), row);
        entity.put(attrs[i], decimals && v instanceof Double d
            ? java.math.BigDecimal.valueOf(d).setScale(2, java.math.RoundingMode.HALF_UP) : v);
      }
      batch.add(entity);
      n++;
      if (batch.size() == BATCH) {
        conn.transact(batch).join();
        batch = new ArrayList<>(BATCH);
      }
    }
    if (!batch.isEmpty()) {
      conn.transact(batch).join();
    }
    return n;
  }

  /** The standard {@code CREATE TABLE} of a table (types as in the class comment). */
  public static String createTable(TpchTable<?> table) {
    StringBuilder sb = new StringBuilder("CREATE TABLE ").append(table.getTableName()).append(" (");
    for (TpchColumn<?> c : table.getColumns()) {
      sb.append(c.getColumnName()).append(' ').append(postgresType(c.getType())).append(" NOT NULL, ");
    }
    sb.append("PRIMARY KEY (").append(String.join(", ", primaryKey(table.getTableName()))).append("))");
    return sb.toString();
  }

  private static String postgresType(TpchColumnType type) {
    return switch (type.getBase()) {
      case IDENTIFIER, INTEGER -> "INTEGER";
      case DOUBLE -> "DECIMAL(15,2)";
      case DATE -> "DATE";
      case VARCHAR -> "VARCHAR(" + type.getPrecision().orElseThrow() + ")";
    };
  }

  /**
   * Creates the eight tables in a PostgreSQL database (dropping earlier ones of the same names)
   * and fills them with the rows at {@code scaleFactor}, one {@code COPY} per table, then
   * {@code ANALYZE}s them so the planner has statistics, as after any real load.
   *
   * @param c a pgjdbc connection; left in autocommit mode
   * @return the rows loaded per table name, in load order
   * @throws SQLException when PostgreSQL refuses
   */
  public static Map<String, Long> loadPostgres(java.sql.Connection c, double scaleFactor) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      for (TpchTable<?> t : tables()) {
        s.execute("DROP TABLE IF EXISTS " + t.getTableName());
        s.execute(createTable(t));
      }
    }
    for (TpchTable<?> t : tables()) {
      counts.put(t.getTableName(), copy(c, t, scaleFactor));
    }
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
    return counts;
  }

  private static <E extends TpchEntity> long copy(java.sql.Connection c, TpchTable<E> table, double scaleFactor)
      throws SQLException {
    List<TpchColumn<E>> columns = table.getColumns();
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY " + table.getTableName() + " FROM STDIN");
    try {
      StringBuilder chunk = new StringBuilder(1 << 20);
      long n = 0;
      for (E row : rows(table, scaleFactor)) {
        for (int i = 0; i < columns.size(); i++) {
          if (i > 0) {
            chunk.append('\t');
          }
          appendCopyValue(chunk, columns.get(i), row);
        }
        chunk.append('\n');
        n++;
        if (chunk.length() > (1 << 20) - 1_000) {
          write(in, chunk);
        }
      }
      write(in, chunk);
      in.endCopy();
      return n;
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static void write(CopyIn in, StringBuilder chunk) throws SQLException {
    byte[] b = chunk.toString().getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(b, 0, b.length);
    chunk.setLength(0);
  }

  /** One value in COPY's text format. */
  private static <E extends TpchEntity> void appendCopyValue(StringBuilder sb, TpchColumn<E> column, E row) {
    switch (column.getType().getBase()) {
      case IDENTIFIER -> sb.append(column.getIdentifier(row));
      case INTEGER -> sb.append(column.getInteger(row));
      // Double.toString is the shortest text that reads back as the same double, so
      // PostgreSQL's DECIMAL(15,2) holds exactly the cents the generator made.
      case DOUBLE -> sb.append(column.getDouble(row));
      case DATE -> sb.append(LocalDate.ofEpochDay(column.getDate(row)));
      case VARCHAR -> {
        // The generator's text has no tabs, newlines or backslashes, but COPY would misread them.
        for (char ch : column.getString(row).toCharArray()) {
          switch (ch) {
            case '\\' -> sb.append("\\\\");
            case '\t' -> sb.append("\\t");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            default -> sb.append(ch);
          }
        }
      }
    }
  }
}
