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
      // PostgreSQL's digits, not an unconstrained NUMERIC's 18 places (2.583333333333333300)
      assertEquals(List.of("2.5833333333333333|0.50000000000000000000"),
          texts(sql, "SELECT avg(v), (SELECT avg(v) FROM price WHERE v < 1 OR v = 2.5) / 5 FROM price"));
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

  /** The first column's values as text, as a client prints them. */
  private static List<String> texts(java.sql.Connection c, String sql) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          b.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  /** Dates as PostgreSQL computes with them: days added and between, intervals written its way, weeks from Monday. */
  @Test
  void dateArithmeticAndIntervals() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE shift (id INTEGER PRIMARY KEY, day DATE, starts TIME)");
      s.executeUpdate("INSERT INTO shift VALUES (1, DATE '2024-02-28', TIME '08:30:00'), (2, NULL, NULL), (3, '2024-03-04', '17:00:00')");
      assertEquals(List.of("2024-02-29|2024-02-29|2024-02-18|2|6"),
          texts(sql, "SELECT day + 1, 1 + day, day - 10, DATE '2024-03-01' - day, day - 1 - day + 7 FROM shift WHERE id = 1"));
      assertEquals(List.of("null|null"), texts(sql, "SELECT day + 1, day - day FROM shift WHERE id = 2"));
      assertEquals(List.of("3"), texts(sql, "SELECT id FROM shift WHERE day - 3 > DATE '2024-02-28'"));
      assertEquals(List.of("2024-03-02|2024-05-28|2024-02-28 02:00:00|2024-02-27 23:30:00"),
          texts(sql, "SELECT day + interval '3 days', day + INTERVAL '3 months', CAST(day AS TIMESTAMP) + interval '1 day' - interval '22 hours',"
              + " CAST(day AS TIMESTAMP) - interval '30 minutes' FROM shift WHERE id = 1"));
      assertEquals(List.of("2024-02-26 00:00:00|2024-03-04 00:00:00"),
          texts(sql, "SELECT date_trunc('week', DATE '2024-03-03'), date_trunc('week', TIMESTAMP '2024-03-04 23:59:00')"));
      // :: binds tighter than any operator, as in PostgreSQL
      assertEquals(List.of("1"), texts(sql, "SELECT id FROM shift WHERE day BETWEEN '2024-01-01'::date AND '2024-02-29'::date"));
      assertEquals(List.of("8.0|-0.5|true"), texts(sql, "SELECT 2 ^ 3, -0.5::float8, 1 < 2::int"));
    }
  }

  /** DATE, TIME and INTEGER columns come back as those types (they were TIMESTAMP and BIGINT), in any time zone. */
  @Test
  void declaredTypesRoundTrip() throws Exception {
    io.accrete.Connection conn = Peer.connect(TestData.freshUri());
    try (java.sql.Connection sql = SqlSupport.sql(conn); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE shift (id INTEGER PRIMARY KEY, n SMALLINT, day DATE, starts TIME)");
      s.executeUpdate("INSERT INTO shift VALUES (1, 7, DATE '2024-02-28', TIME '08:30:00'), (2, NULL, NULL, NULL)");
      try (java.sql.PreparedStatement p = sql.prepareStatement("INSERT INTO shift VALUES (?, ?, ?, ?)")) {
        p.setInt(1, 3);
        p.setShort(2, (short) 9);
        p.setDate(3, java.sql.Date.valueOf("2023-12-31"));
        p.setTime(4, java.sql.Time.valueOf("23:59:58"));
        p.executeUpdate();
      }
      try (java.sql.ResultSet rs = s.executeQuery("SELECT id, n, day, starts FROM shift ORDER BY id")) {
        java.sql.ResultSetMetaData md = rs.getMetaData();
        assertEquals(List.of(java.sql.Types.INTEGER, java.sql.Types.SMALLINT, java.sql.Types.DATE, java.sql.Types.TIME),
            List.of(md.getColumnType(1), md.getColumnType(2), md.getColumnType(3), md.getColumnType(4)));
        rs.next();
        assertEquals(1, rs.getObject(1));
        assertEquals(java.sql.Date.valueOf("2024-02-28"), rs.getDate(3));
        assertEquals(java.sql.Time.valueOf("08:30:00"), rs.getTime(4));
        rs.next();
        assertEquals(null, rs.getObject(3));
        rs.next();
        assertEquals(java.sql.Date.valueOf("2023-12-31"), rs.getDate(3));
        assertEquals(java.sql.Time.valueOf("23:59:58"), rs.getTime(4));
      }
      assertEquals(List.of("3"), texts(sql, "SELECT id FROM shift WHERE day = DATE '2023-12-31' AND starts > TIME '12:00:00'"));
      try (java.sql.PreparedStatement p = sql.prepareStatement("SELECT id FROM shift WHERE day = ?")) {
        p.setDate(1, java.sql.Date.valueOf("2024-02-28"));
        try (java.sql.ResultSet rs = p.executeQuery()) {
          rs.next();
          assertEquals(1, rs.getInt(1));
        }
      }
      // The values are instants for Datalog: midnight UTC, and the time of day on 1970-01-01.
      java.util.Collection<?> days = (java.util.Collection<?>) Peer.q("[:find [?d ...] :where [_ :shift/day ?d]]", conn.db());
      assertEquals(java.util.Set.of(java.time.Instant.parse("2024-02-28T00:00:00Z"), java.time.Instant.parse("2023-12-31T00:00:00Z")),
          days.stream().map(x -> ((java.util.Date) x).toInstant()).collect(java.util.stream.Collectors.toSet()));
    }
  }

  /** generate_series in FROM, PERCENTILE_CONT and PERCENTILE_DISC, AVG of integers as a decimal, CASE of texts unpadded. */
  @Test
  void seriesPercentilesAndAverages() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      assertEquals(List.of("1", "2", "3"), texts(sql, "SELECT * FROM generate_series(1, 3)"));
      assertEquals(List.of("10", "7", "4"), texts(sql, "SELECT g FROM generate_series(10, 2, -3) AS g"));
      assertEquals(List.of("6"), texts(sql, "SELECT sum(x) FROM generate_series(1, 3) AS t (x)"));
      s.executeUpdate("CREATE TABLE score (id INTEGER, v INTEGER)");
      s.executeUpdate("INSERT INTO score VALUES (1, 10), (2, 20), (3, 40), (4, NULL), (5, 30)");
      assertEquals(List.of("25.0|20|32.5|17.5"), texts(sql, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v),"
          + " percentile_disc(0.5) WITHIN GROUP (ORDER BY v), PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY v),"
          + " percentile_cont(0.75) WITHIN GROUP (ORDER BY v DESC) FROM score"));
      // percentile_disc answers in the type it orders; over a descending order it counts from the top
      assertEquals(List.of("30|20|40|10"), texts(sql, "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY v DESC),"
          + " percentile_disc(0.75) WITHIN GROUP (ORDER BY v DESC), percentile_disc(0) WITHIN GROUP (ORDER BY v DESC),"
          + " percentile_disc(1) WITHIN GROUP (ORDER BY v DESC) FROM score"));
      assertEquals(List.of("25.0000000000000000|2.7500000000000000"), texts(sql, "SELECT avg(v), avg(id) FROM score WHERE v IS NOT NULL"));
      assertEquals(List.of("x|", "long|"), texts(sql, "SELECT CASE WHEN id = 1 THEN 'x' ELSE 'long' END || '|' FROM score WHERE id < 3 ORDER BY id"));
      SqlSupport.fails(sql, "SELECT * FROM generate_series(1, 3, 0)", "step size cannot equal zero");
      // in the select list: a row per value (and per row of FROM)
      assertEquals(List.of("1", "2", "3"), texts(sql, "SELECT generate_series(1, 3)"));
      assertEquals(List.of("1|1", "1|2", "2|1", "2|2"),
          texts(sql, "SELECT id, generate_series(1, 2) AS k FROM score WHERE id < 3 ORDER BY id, k"));
    }
  }

  /**
   * Answers that were wrong without an error: a reordered column list over a system table (its
   * scan was taken for the table's own order), a sorted one-column table function (arrays'
   * names), integer arithmetic that overflowed (it wrapped; PostgreSQL fails with 22003).
   */
  @Test
  void reorderedColumnsSortedSeriesAndOverflow() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      List<List<Object>> txs = rows(sql, "SELECT tx, t FROM transactions ORDER BY t LIMIT 2");
      List<List<Object>> swapped = rows(sql, "SELECT t, tx, tx_instant FROM transactions ORDER BY t LIMIT 2");
      for (int i = 0; i < txs.size(); i++) {
        assertEquals(txs.get(i).get(1), swapped.get(i).get(0), "t");
        assertEquals(txs.get(i).get(0), swapped.get(i).get(1), "tx");
      }
      assertEquals(List.of("10", "9", "8"), texts(sql, "SELECT x FROM generate_series(1, 10) g(x) ORDER BY x DESC LIMIT 3"));
      assertEquals(List.of("5", "4"), texts(sql, "SELECT * FROM generate_series(1, 5) ORDER BY 1 DESC LIMIT 2"));
      assertEquals(List.of("2999999999", "3000000001"), texts(sql, "SELECT * FROM generate_series(2999999999, 3000000001, 2)"));
      assertEquals(List.of("9223372036854775806", "9223372036854775807"),
          texts(sql, "SELECT * FROM generate_series(9223372036854775806, 9223372036854775807)"));
      assertEquals(List.of("1"), texts(sql, "SELECT * FROM datalog('[:find ?e :where [?e :db/ident :db/add]]') ORDER BY 1"));
      for (String overflow : new String[] {"SELECT 9223372036854775807 + 1", "SELECT 2147483647 + 1",
          "SELECT -(-9223372036854775807 - 1)", "SELECT 3037000500 * 3037000500", "SELECT x * 2147483647 FROM generate_series(2, 2) g(x)"}) {
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> rows(sql, overflow));
        assertEquals("22003", SqlErrors.classify(e)[0], overflow + ": " + e);
      }
      assertEquals(List.of("9223372036854775807|-2|7.5"), texts(sql, "SELECT 9223372036854775806 + 1, 5 - 7, 2.5 * 3"));
    }
  }

  /** Unnamed result columns are named as PostgreSQL names them; btrim, reverse, trunc and make_date exist. */
  @Test
  void columnNamesAndMoreFunctions() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*), 1 + 1, upper('a'), CAST(1 AS INTEGER), '1'::text,"
            + " CASE WHEN true THEN 1 END, (SELECT max(x) FROM generate_series(1, 2) g(x)), EXISTS (SELECT 1),"
            + " sum(1) FILTER (WHERE true), coalesce(NULL, 1), 1 AS one, btrim('  a '), reverse('abc'),"
            + " trunc(1.557, 2), trunc(-1.5), make_date(2024, 2, 29)")) {
      List<String> labels = new java.util.ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        labels.add(rs.getMetaData().getColumnLabel(i));
      }
      assertEquals(List.of("count", "?column?", "upper", "int4", "text", "case", "max", "exists", "sum", "coalesce",
          "one", "btrim", "reverse", "trunc", "trunc", "make_date"), labels);
      assertEquals(true, rs.next());
      assertEquals("a|cba|1.55|-1|2024-02-29", rs.getString(12) + "|" + rs.getString(13) + "|" + rs.getString(14) + "|"
          + rs.getString(15) + "|" + rs.getString(16));
    }
  }

  /** to_char of numbers as PostgreSQL formats them; of dates and timestamps as before. */
  @Test
  void toCharOfNumbers() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri()))) {
      assertEquals(List.of(" 1,234.50|  .50| 0.50|  -5|012|1,234.5| ###|   0|-12.3|12 |<12>| 2.5|2024/03|10:11"),
          texts(sql, "SELECT to_char(1234.5, '9,999.99'), to_char(0.5, '9.99'), to_char(0.5, '0.99'), to_char(-5, '999'),"
              + " to_char(12, 'FM000'), to_char(1234.5, 'FM9,999.99'), to_char(12345, '999'), to_char(0, '999'),"
              + " to_char(-12.3, 'S99.9'), to_char(12, '99MI'), to_char(-12, '99PR'), to_char(2.5::float8, '9.9'),"
              + " to_char(DATE '2024-03-07', 'YYYY/MM'), to_char(TIMESTAMP '2024-03-07 10:11:12', 'HH24:MI')"));
    }
  }

  /**
   * Unconstrained decimals keep their own scale through CASE, sums, views and division, as
   * PostgreSQL's numeric does (TPC-H Q14's share had 30 decimals; Q15's view refused its rows
   * as DECIMAL(19, 18)).
   */
  @Test
  void unconstrainedDecimalsKeepTheirScale() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE li (id INTEGER PRIMARY KEY, price NUMERIC, disc NUMERIC)");
      s.executeUpdate("INSERT INTO li VALUES (1, 848744.20, 0.05), (2, 100.10, 0.10)");
      assertEquals(List.of("99.9888280845461395"), texts(sql,
          "SELECT 100.00 * sum(CASE WHEN id = 1 THEN price * (1 - disc) ELSE 0 END) / sum(price * (1 - disc)) FROM li"));
      assertEquals(List.of("848744.2|1", "0|2"), texts(sql, "SELECT CASE WHEN id = 1 THEN price ELSE 0 END, CAST(id AS NUMERIC) FROM li ORDER BY id"));
      // AVG of quotients of 16 and 20 decimals has 20, as PostgreSQL's (it was cut to 16); a cast
      // written with a precision rounds or pads, one without keeps the value's own scale
      assertEquals(List.of("-0.37500000000000000000"), texts(sql, "SELECT avg(disc / -0.2) FROM li WHERE id = 1 OR id = 2"));
      assertEquals(List.of("848744.20|848744|0.05|0.050"), texts(sql,
          "SELECT CAST(price AS NUMERIC(38, 2)), CAST(price AS DECIMAL(38, 0)), CAST(disc AS NUMERIC), disc::numeric(10,3) FROM li WHERE id = 1"));
      s.executeUpdate("CREATE VIEW revenue (supplier, total) AS SELECT id, sum(price * (1 - disc)) FROM li GROUP BY id");
      assertEquals(List.of("1|806306.990"), texts(sql, "SELECT supplier, total FROM revenue WHERE total = (SELECT max(total) FROM revenue)"));
    }
  }

  /** JDBC's escapes as the JDBC specification defines them. */
  @Test
  void jdbcEscapes() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri()), "database", "shop"); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE a (id INTEGER, name TEXT)");
      s.executeUpdate("CREATE TABLE b (a_id INTEGER, n INTEGER)");
      s.executeUpdate("INSERT INTO a VALUES (1, 'x%y'), (2, 'xzy'), (3, 'q')");
      s.executeUpdate("INSERT INTO b VALUES (1, 10)");
      assertEquals(List.of("1|10", "2|null", "3|null"),
          texts(sql, "SELECT a.id, b.n FROM {oj a LEFT OUTER JOIN b ON b.a_id = a.id} ORDER BY a.id"));
      assertEquals(List.of("1"), texts(sql, "SELECT id FROM a WHERE name LIKE 'x!%%' {escape '!'}"));
      assertEquals(List.of("2"), texts(sql, "SELECT id FROM a ORDER BY id {limit 1 offset 1}"));
      assertEquals(List.of("shop|2024-03-07|Q"), texts(sql, "SELECT {fn DATABASE()}, {d '2024-03-07'}, {fn UCASE(name)} FROM a WHERE id = 3"));
      assertEquals(List.of("{oj a}"), texts(sql, "SELECT '{oj a}'"), "escapes inside quotes are text");
      // the functions JDBC 4 added to the escape syntax are passed on as SQL has them
      assertEquals(List.of("true|2024|2|3|3"), texts(sql, "SELECT {fn CURRENT_DATE()} = current_date,"
          + " {fn EXTRACT(YEAR FROM DATE '2024-05-01')}, {fn POSITION('b' IN 'abc')}, {fn CHAR_LENGTH(name)},"
          + " {fn octet_length('abc')} FROM a WHERE id = 2"));
      Throwable unknown = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> texts(sql, "SELECT {fn nosuch(1)}"));
      assertEquals("42883", SqlErrors.classify(unknown)[0], unknown.toString());
    }
  }

  /** Text cast to boolean, date and timestamp reads what PostgreSQL reads, and fails with its SQLSTATEs. */
  @Test
  void textCastsAsPostgresReadsThem() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri()))) {
      assertEquals(List.of("true|true|false|false|true|null"),
          texts(sql, "SELECT 't'::bool, ' YES '::boolean, 'off'::bool, CAST('0' AS BOOLEAN), 'tr'::bool, CAST(NULL AS VARCHAR)::bool"));
      assertEquals(List.of("2024-01-02 03:04:00|2024-01-02 08:00:00|2024-01-02|2024-05-17 01:00:00|2024-05-17 00:00:00"),
          texts(sql, "SELECT '2024-01-02 03:04'::timestamp, '2024-01-02 10:00+02'::timestamptz AS tz,"
              + " '2024-01-02T10:00'::date, TIMESTAMP '2024-05-17 01:00', timestamp '2024-05-17'"));
      String[][] bad = {{"SELECT 'maybe'::bool", "22P02"}, {"SELECT CAST('x' AS DATE)", "22007"},
          {"SELECT '2024-02-30'::date", "22008"}, {"SELECT '2024-01-02 25:00'::timestamp", "22008"}};
      for (String[] b : bad) {
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> texts(sql, b[0]));
        assertEquals(b[1], SqlErrors.classify(e)[0], b[0] + ": " + e);
      }
    }
  }
}
