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
}
