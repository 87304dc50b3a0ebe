package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What BI tools and SQL clients ask of a JDBC driver, asked of the embedded driver and of
 * {@code accrete serve} through the remote one (the surefire run is in America/New_York): the
 * catalog in {@link DatabaseMetaData} and {@code information_schema}, escapes and the functions
 * the metadata lists, types and isolation, with values worked out by hand from the data below.
 */
class ClientCompatibilityTest {
  static String dbUri;
  static AccreteServer server;

  @BeforeAll
  static void start() throws Exception {
    assertEquals("America/New_York", java.util.TimeZone.getDefault().getID(), "run by surefire in New York time");
    dbUri = "accrete:mem://compat-" + System.nanoTime();
    Peer.createDatabase(dbUri);
    try (Connection c = DriverManager.getConnection("jdbc:" + dbUri); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE dept (id SERIAL PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE, budget NUMERIC(10,2))");
      s.executeUpdate("CREATE TABLE emp (id INTEGER PRIMARY KEY, name TEXT NOT NULL, dept_id INTEGER REFERENCES dept (id),"
          + " hired DATE, starts TIME, seen TIMESTAMP, active BOOLEAN)");
      s.executeUpdate("CREATE VIEW staff AS SELECT name FROM emp");
      s.executeUpdate("INSERT INTO dept (name, budget) VALUES ('ops', 100.50), ('eng', 2000)");
      s.executeUpdate("INSERT INTO emp VALUES (1, 'ann', 1, DATE '2020-02-29', TIME '09:15:00', TIMESTAMP '2024-03-10 02:30:00', true),"
          + " (2, 'bob', 2, '2021-01-01', '17:45:30', '2024-11-03 01:30:00', false), (3, 'cy', NULL, NULL, NULL, NULL, NULL)");
    }
    server = AccreteServer.start(new AccreteServer.Options(dbUri, "127.0.0.1", 0, null, null, null, 5, 5,
        new PrintStream(OutputStream.nullOutputStream())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<String> urls() {
    return Stream.of("jdbc:" + dbUri, server.jdbcUrl());
  }

  private static List<String> column(ResultSet rs, String... labels) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < labels.length; i++) {
          b.append(i == 0 ? "" : "|").append(rs.getString(labels[i]));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("urls")
  void tablesAreTypedAndOrdered(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      DatabaseMetaData md = c.getMetaData();
      List<String> tables = column(md.getTables(null, "accrete", "%", null), "TABLE_TYPE", "TABLE_NAME");
      assertEquals(List.of("SYSTEM TABLE|datoms", "SYSTEM TABLE|db__attrs", "SYSTEM TABLE|db__foreign_keys",
          "SYSTEM TABLE|db__idents", "SYSTEM TABLE|db__primary_keys", "SYSTEM TABLE|dept__history",
          "SYSTEM TABLE|emp__history", "SYSTEM TABLE|transactions", "TABLE|dept", "TABLE|emp", "VIEW|staff"), tables);
      assertEquals(List.of("dept", "emp"), column(md.getTables(null, null, "%", new String[] {"TABLE"}), "TABLE_NAME"));
      assertEquals(List.of("SYSTEM TABLE", "SYSTEM VIEW", "TABLE", "VIEW"), column(md.getTableTypes(), "TABLE_TYPE"));
      assertTrue(column(md.getTables(null, "information_schema", "col%", null), "TABLE_TYPE", "TABLE_NAME")
          .contains("SYSTEM VIEW|columns"));
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void columnsKeysAndIndexes(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of(
          "id|" + Types.INTEGER + "|int4|10|0|0|NO", "name|" + Types.VARCHAR + "|text|2147483647|null|0|NO",
          "dept_id|" + Types.INTEGER + "|int4|10|0|1|NO", "hired|" + Types.DATE + "|date|13|null|1|NO",
          "starts|" + Types.TIME + "|time|15|3|1|NO", "seen|" + Types.TIMESTAMP + "|timestamp|29|3|1|NO",
          "active|" + Types.BOOLEAN + "|bool|1|null|1|NO"),
          column(md.getColumns(null, "accrete", "emp", null), "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE",
              "DECIMAL_DIGITS", "NULLABLE", "IS_AUTOINCREMENT"));
      assertEquals(List.of("id|serial|nextval('dept_id_seq'::regclass)|YES", "name|varchar|null|NO",
          "budget|numeric|null|NO"),
          column(md.getColumns(null, null, "dept", "%"), "COLUMN_NAME", "TYPE_NAME", "COLUMN_DEF", "IS_AUTOINCREMENT"));
      assertEquals(List.of("40", "10|2"), List.of(
          column(md.getColumns(null, null, "dept", "name"), "COLUMN_SIZE").get(0),
          column(md.getColumns(null, null, "dept", "budget"), "COLUMN_SIZE", "DECIMAL_DIGITS").get(0)));
      assertEquals(List.of("emp|id|1|emp_pkey"),
          column(md.getPrimaryKeys(null, "accrete", "emp"), "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"));
      assertEquals(List.of("dept|id|emp|dept_id|1|emp_dept_id_fkey|dept_pkey"),
          column(md.getImportedKeys(null, "accrete", "emp"), "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_NAME",
              "FKCOLUMN_NAME", "KEY_SEQ", "FK_NAME", "PK_NAME"));
      assertEquals(List.of("emp|dept_id"), column(md.getExportedKeys(null, null, "dept"), "FKTABLE_NAME", "FKCOLUMN_NAME"));
      assertEquals(List.of("false|dept_name_key|name", "false|dept_pkey|id"),
          column(md.getIndexInfo(null, null, "dept", false, true), "NON_UNIQUE", "INDEX_NAME", "COLUMN_NAME"));
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void informationSchemaOverTheConnection(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      assertEquals(List.of("dept_id|integer|YES", "hired|date|YES", "id|integer|NO", "name|text|NO"),
          column(s.executeQuery("SELECT column_name, data_type, is_nullable FROM information_schema.columns"
              + " WHERE table_name = 'emp' AND column_name IN ('id', 'name', 'dept_id', 'hired') ORDER BY 1"),
              "column_name", "data_type", "is_nullable"));
      assertEquals(List.of("emp_dept_id_fkey|dept_pkey"),
          column(s.executeQuery("SELECT constraint_name, unique_constraint_name FROM information_schema.referential_constraints"),
              "constraint_name", "unique_constraint_name"));
    }
  }

  /** Every function DatabaseMetaData lists runs through JDBC's {fn …} escape. */
  @ParameterizedTest
  @MethodSource("urls")
  void listedFunctionsRun(String url) throws Exception {
    java.util.Map<String, String> args = java.util.Map.ofEntries(
        java.util.Map.entry("ATAN2", "1, 1"), java.util.Map.entry("MOD", "7, 3"), java.util.Map.entry("POWER", "2, 3"),
        java.util.Map.entry("ROUND", "1.55, 1"), java.util.Map.entry("TRUNCATE", "1.55, 1"), java.util.Map.entry("PI", ""),
        java.util.Map.entry("RAND", ""), java.util.Map.entry("CHAR", "65"), java.util.Map.entry("CONCAT", "'a', 'b'"),
        java.util.Map.entry("DIFFERENCE", "'a', 'b'"), java.util.Map.entry("INSERT", "'abcdef', 2, 3, 'X'"),
        java.util.Map.entry("LEFT", "'abc', 2"), java.util.Map.entry("RIGHT", "'abc', 2"),
        java.util.Map.entry("LOCATE", "'b', 'abc'"), java.util.Map.entry("REPEAT", "'a', 3"),
        java.util.Map.entry("REPLACE", "'abc', 'b', 'x'"), java.util.Map.entry("SPACE", "2"),
        java.util.Map.entry("SUBSTRING", "'abc', 2, 1"), java.util.Map.entry("CONVERT", "1, SQL_VARCHAR"),
        java.util.Map.entry("DATABASE", ""), java.util.Map.entry("IFNULL", "NULL, 1"), java.util.Map.entry("USER", ""),
        java.util.Map.entry("CURDATE", ""), java.util.Map.entry("CURTIME", ""), java.util.Map.entry("NOW", ""),
        java.util.Map.entry("TIMESTAMPADD", "SQL_TSI_DAY, 1, TIMESTAMP '2024-03-07 10:11:12'"),
        java.util.Map.entry("TIMESTAMPDIFF", "SQL_TSI_DAY, TIMESTAMP '2024-03-07 10:11:12', TIMESTAMP '2024-03-09 10:11:12'"),
        java.util.Map.entry("TO_DATE", "'2024-03-07', 'YYYY-MM-DD'"),
        java.util.Map.entry("TO_TIMESTAMP", "'2024-03-07 10:11:12', 'YYYY-MM-DD HH24:MI:SS'"),
        // the ones JDBC 4 added, with SQL's own syntax inside the escape
        java.util.Map.entry("POSITION", "'b' IN 'abc'"), java.util.Map.entry("CURRENT_DATE", ""),
        java.util.Map.entry("CURRENT_TIME", ""), java.util.Map.entry("CURRENT_TIMESTAMP", ""),
        java.util.Map.entry("EXTRACT", "YEAR FROM TIMESTAMP '2024-03-07 10:11:12'"));
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      DatabaseMetaData md = c.getMetaData();
      List<String> failed = new ArrayList<>();
      int ran = 0;
      for (String list : List.of(md.getNumericFunctions(), md.getStringFunctions(), md.getSystemFunctions(),
          md.getTimeDateFunctions())) {
        for (String f : list.split(",")) {
          String arg = args.getOrDefault(f, md.getTimeDateFunctions().contains(f) ? "TIMESTAMP '2024-03-07 10:11:12'"
              : md.getStringFunctions().contains(f) ? "'Ab c'" : "1");
          try (ResultSet rs = s.executeQuery("SELECT {fn " + f + "(" + arg + ")}")) {
            rs.next();
            ran++;
          } catch (SQLException e) {
            failed.add(f + ": " + e.getMessage());
          }
        }
      }
      assertEquals(List.of(), failed);
      assertTrue(ran > 50, "ran " + ran);
    }
  }

  /**
   * What a PostgreSQL user writes, worked out by hand from the rows above: the dialect's
   * functions and casts, PostgreSQL's column names, overflow and cast errors with their
   * SQLSTATEs, a sorted series, Datalog joined with a table, and a shown tx_instant pasted back
   * into AS OF naming the same transaction in New York time.
   */
  @ParameterizedTest
  @MethodSource("urls")
  void postgresDialectAsAUserWritesIt(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT name ILIKE 'A%', left(name, 2), initcap(name), split_part('a,b', ',', 2),"
          + " position('n' in name), count(*) OVER (), hired::text, date_part('year', hired), 't'::bool,"
          + " to_char(hired, 'YYYY/MM'), btrim('  x  '), 2147483647::int8 + 1 FROM emp WHERE id = 1")) {
        assertTrue(rs.next());
        assertEquals("true|an|Ann|b|2|1|2020-02-29|2020|true|2020/02|x|2147483648", joined(rs));
        assertEquals("?column?", rs.getMetaData().getColumnLabel(1));
        assertEquals("left", rs.getMetaData().getColumnLabel(2));
        assertEquals("hired", rs.getMetaData().getColumnLabel(7));
      }
      try (ResultSet rs = s.executeQuery("SELECT string_agg(emp.name, ',' ORDER BY emp.name DESC), bool_and(active),"
          + " count(*) FILTER (WHERE dept_id IS NULL), percentile_cont(0.5) WITHIN GROUP (ORDER BY emp.id), avg(budget)"
          + " FROM emp LEFT JOIN dept ON dept.id = emp.dept_id")) {
        assertTrue(rs.next());
        assertEquals("cy,bob,ann|false|1|2.0|1050.2500000000000000", joined(rs));
      }
      try (ResultSet rs = s.executeQuery("SELECT interval '2 days', interval '1 day 2 hours', interval '3 months',"
          + " interval '90 minutes', timestamp '2024-01-02' - timestamp '2024-01-01 01:00', interval '14 months'")) {
        assertTrue(rs.next());
        assertEquals("2 days|1 day 02:00:00|3 mons|01:30:00|23:00:00|1 year 2 mons", joined(rs));
      }
      String escaped = c.nativeSQL("SELECT {fn CURRENT_DATE()}, x::int8 FROM t {limit 2}");
      assertFalse(escaped.contains("{"), escaped);
      assertTrue(escaped.contains("CURRENT_DATE") && escaped.contains("CAST(x AS int8)"), escaped);
      try (ResultSet rs = s.executeQuery("SELECT x FROM generate_series(1, 5) AS g(x) ORDER BY x DESC LIMIT 2")) {
        assertEquals(List.of("5", "4"), column(rs, "x"));
      }
      try (ResultSet rs = s.executeQuery("SELECT e.name FROM datalog('[:find ?n :where [?e :emp/name ?n]]') AS d"
          + " JOIN emp e ON e.name = d.n WHERE e.active ORDER BY 1")) {
        assertEquals(List.of("ann"), column(rs, "name"));
      }
      String[][] errors = {{"SELECT 9223372036854775807 + 1", "22003"}, {"SELECT 'maybe'::bool", "22P02"},
          {"SELECT '2024-02-30'::date", "22008"}, {"SELECT nosuch(1)", "42883"}, {"SELECT 1/0", "22012"}};
      for (String[] e : errors) {
        SQLException x = assertThrows(SQLException.class, () -> s.executeQuery(e[0]).next(), e[0]);
        assertEquals(e[1], x.getSQLState(), url + ": " + e[0] + ": " + x.getMessage());
      }
      String shown;
      long tx;
      try (ResultSet rs = s.executeQuery("SELECT tx, tx_instant FROM transactions ORDER BY t DESC LIMIT 1")) {
        assertTrue(rs.next());
        tx = rs.getLong(1);
        shown = rs.getString(2);
      }
      try (ResultSet rs = s.executeQuery("SELECT max(tx) FROM transactions FOR SYSTEM_TIME AS OF TIMESTAMP '" + shown + "'")) {
        assertTrue(rs.next());
        assertEquals(tx, rs.getLong(1), url + ": AS OF " + shown);
      }
    }
  }

  private static String joined(ResultSet rs) throws SQLException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      b.append(i == 1 ? "" : "|").append(rs.getString(i));
    }
    return b.toString();
  }

  @ParameterizedTest
  @MethodSource("urls")
  void valuesTypesAndIsolation(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // sqlline's first call: no warning, no error
      assertEquals(Connection.TRANSACTION_REPEATABLE_READ, c.getTransactionIsolation());
      assertTrue(c.getMetaData().supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE));
      assertTrue(c.getAutoCommit());
      c.commit(); // nothing to do: silent
      c.rollback();
      try (ResultSet rs = s.executeQuery("SELECT id, hired, starts, seen, hired + 1, hired - DATE '2020-01-01',"
          + " {fn DATABASE()} FROM emp WHERE id = 1")) {
        rs.next();
        assertEquals(Integer.class, rs.getObject(1).getClass());
        assertEquals(java.sql.Date.valueOf("2020-02-29"), rs.getDate(2));
        assertEquals("2020-02-29", rs.getString(2));
        assertEquals(java.sql.Time.valueOf("09:15:00"), rs.getTime(3));
        if (url.startsWith("jdbc:accrete:mem")) {
          // a wall-clock time New York skipped (DST began at 02:00 on 2024-03-10) shows unchanged; Avatica's
          // server reads it through the JVM's calendar, which moves it to 03:30 (noted, not yet fixed)
          assertEquals("2024-03-10 02:30:00", rs.getString(4).substring(0, 19));
          assertEquals(java.time.LocalDateTime.of(2024, 3, 10, 2, 30), rs.getObject(4, java.time.LocalDateTime.class));
        }
        assertEquals(java.time.LocalDate.of(2020, 3, 1), rs.getObject(5, java.time.LocalDate.class));
        assertEquals(59, rs.getInt(6));
        assertTrue(dbUri.endsWith(rs.getString(7)), rs.getString(7));
      }
      try (ResultSet rs = s.executeQuery("SELECT AVG(x) - 2, CAST(1.5E10 AS DOUBLE) FROM (VALUES (1), (3)) AS t (x)")) {
        rs.next();
        assertEquals("0.0000000000000000", rs.getString(1)); // not BigDecimal's 0E-16
        assertEquals("1.5E10", rs.getString(2));
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM generate_series(1, 3) AS g")) {
        assertEquals("g", rs.getMetaData().getColumnLabel(1));
      }
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT hired + 'x' FROM emp"));
      assertTrue(e.getSQLState().startsWith("42") || e.getSQLState().equals("22P02"), e.getSQLState() + " " + e.getMessage());
      assertEquals("42P01", assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT * FROM information_schema.nosuch")).getSQLState());
    }
  }

  /** An operator's row limit caps every query's answer; a client's smaller setMaxRows still wins. */
  @Test
  void serverRowLimit() throws Exception {
    try (AccreteServer limited = AccreteServer.start(new AccreteServer.Options(dbUri, "127.0.0.1", 0, null, null, null,
        5, 5, new PrintStream(OutputStream.nullOutputStream()), "10min", 2));
        Connection c = DriverManager.getConnection(limited.jdbcUrl()); Statement s = c.createStatement()) {
      assertEquals(List.of("1", "2"), column(s.executeQuery("SELECT id FROM emp ORDER BY id"), "id"));
      try (java.sql.PreparedStatement p = c.prepareStatement("SELECT id FROM emp WHERE id > ? ORDER BY id")) {
        p.setInt(1, 0);
        assertEquals(List.of("1", "2"), column(p.executeQuery(), "id"));
      }
      s.setMaxRows(1);
      assertEquals(List.of("1"), column(s.executeQuery("SELECT id FROM emp ORDER BY id"), "id"));
    }
  }

  @Test
  void driverRefusesNoIsolation() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:" + dbUri)) {
      assertEquals("0A000", assertThrows(SQLException.class,
          () -> c.setTransactionIsolation(Connection.TRANSACTION_NONE)).getSQLState());
    }
  }
}
