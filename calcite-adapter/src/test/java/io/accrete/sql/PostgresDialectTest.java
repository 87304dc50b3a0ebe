package io.accrete.sql;

import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a PostgreSQL user writes means the same here: functions and operators of PostgreSQL's library. */
class PostgresDialectTest {
  @Test
  void postgresFunctionsInAnyCase() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE film (title TEXT, made INTEGER)");
      s.executeUpdate("INSERT INTO film VALUES ('Alien', 1979), ('aliens', 1986), ('Heat', 1995)");
      assertEquals(List.of(row("Alien"), row("aliens")),
          rows(sql, "SELECT title FROM film WHERE title ILIKE 'ali%' ORDER BY title"));
      assertEquals(List.of(row("Al", "en", "lie")),
          rows(sql, "SELECT left(title, 2), RIGHT(title, 2), substr(title, 2, 3) FROM film WHERE made = 1979"));
      assertEquals(List.of(row("b", "a-b", "Hello World")),
          rows(sql, "SELECT split_part('a,b,c', ',', 2), concat_ws('-', 'a', 'b'), initcap('hello world')"));
      assertEquals(List.of(row("Alien,Heat,aliens")),
          rows(sql, "SELECT string_agg(title, ',' ORDER BY title) FROM film"));
      assertEquals(List.of(row(true)), rows(sql, "SELECT 'Heat' SIMILAR TO 'H%'"));
    }
  }

  /** AVG of a decimal keeps the fraction, as PostgreSQL's numeric does (it was rounded to the argument's scale). */
  @Test
  void averagesOfDecimalsKeepTheFraction() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE price (v NUMERIC, w NUMERIC(10,2))");
      s.executeUpdate("INSERT INTO price VALUES (1.25, 1.25), (2.5, 2.5), (4, 4)");
      List<List<Object>> avg = rows(sql, "SELECT avg(v), avg(w), sum(v) FROM price");
      assertEquals(0, new java.math.BigDecimal("2.583333333333333").compareTo(
          ((java.math.BigDecimal) avg.get(0).get(0)).setScale(15, java.math.RoundingMode.DOWN)), avg.toString());
      assertEquals(0, new java.math.BigDecimal("2.583333333333333").compareTo(
          ((java.math.BigDecimal) avg.get(0).get(1)).setScale(15, java.math.RoundingMode.DOWN)), avg.toString());
      assertEquals(0, new java.math.BigDecimal("7.75").compareTo((java.math.BigDecimal) avg.get(0).get(2)));
    }
  }

  /** What newcomers wrote first: words PostgreSQL does not reserve as names, :: casts, date(…), session functions. */
  @Test
  void postgresSyntaxAndSessionFunctions() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE movie (title TEXT, year INTEGER, value NUMERIC(10,2), made DATE)");
      s.executeUpdate("INSERT INTO movie VALUES ('Alien', 1979, 1.5, DATE '1979-05-25'), ('Heat', 1995, 2.25, DATE '1995-12-15')");
      assertEquals(List.of(row(1979, "Alien"), row(1995, "Heat")),
          rows(sql, "SELECT year, title AS value FROM movie ORDER BY year"));
      assertEquals(List.of(row("1979", 6, 1.5, 1979L)),
          rows(sql, "SELECT year::text, '5'::int + 1, value::float8, year::int8 FROM movie WHERE title = 'Alien'"));
      assertEquals(List.of(row(1L)), rows(sql, "SELECT count(*) FROM movie WHERE made < date('1990-01-01')"));
      assertEquals(List.of(row(java.sql.Timestamp.valueOf("1979-05-01 00:00:00"), java.sql.Timestamp.valueOf("1979-01-01 00:00:00"))),
          rows(sql, "SELECT date_trunc('month', made), DATE_TRUNC('year', made) FROM movie WHERE year = 1979"));
      assertEquals(List.of(row(true)), rows(sql, "SELECT now() IS NOT NULL"));
      assertEquals(List.of(row("accrete", "accrete")), rows(sql, "SELECT current_schema, current_schema()"));
      assertEquals(List.of(row("ALIEN")), rows(sql, "SELECT {fn ucase(title)} FROM movie WHERE year = 1979"));
      String version = (String) rows(sql, "SELECT version()").get(0).get(0);
      assertEquals(true, version.startsWith("PostgreSQL 15"), version);
      assertEquals(List.of(row("accrete")), rows(sql, "SHOW search_path"));
      s.execute("SET application_name = 'dbeaver'");
      assertEquals(List.of(row("dbeaver")), rows(sql, "show application_name"));
      // The JDBC driver turns this into an SQLException with the same SQLSTATE (SqlFailures).
      AccreteSqlException e = org.junit.jupiter.api.Assertions.assertThrows(AccreteSqlException.class,
          () -> rows(sql, "SHOW no_such_setting"));
      assertEquals("42704", e.sqlState(), e.getMessage());
    }
  }
}
