package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The functions and aggregates issue 15 names, each with a value worked out by hand, as PostgreSQL
 * gives it: POSITION, DATE_PART, TO_CHAR, TO_DATE, AGE, CURRENT_DATE, ARRAY_AGG, BOOL_AND/OR,
 * FILTER, ILIKE and SIMILAR TO, SUBSTR, {@code timestamp - timestamp}, and DISTINCT ON.
 */
class PostgresFunctionsTest {
  private static List<String> row(java.sql.Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      rs.next();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getString(i));
      }
      return out;
    }
  }

  @Test
  void namedFunctionsGivePostgresqlsValues() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE visit (id INTEGER, who TEXT, paid BOOLEAN, amount NUMERIC(8,2), at DATE)");
      s.executeUpdate("INSERT INTO visit VALUES (1, 'Ann', true, 10.50, DATE '2024-01-31'), (2, 'bob', false, 4.00,"
          + " DATE '2024-02-29'), (3, 'Ann', true, NULL, NULL)");
      assertEquals(List.of("2", "2024", "2", "Jan 31, 2024", "2024-03-05"), row(sql,
          "SELECT POSITION('n' IN 'Ann'), DATE_PART('year', at), date_part('month', DATE '2024-02-29'),"
              + " TO_CHAR(at, 'Mon DD, YYYY'), TO_DATE('05/03/2024', 'DD/MM/YYYY') FROM visit WHERE id = 1"));
      assertEquals(List.of("1 mon 1 day", "true"), row(sql,
          "SELECT AGE(DATE '2024-03-01', DATE '2024-01-31'), CURRENT_DATE - 1 < CURRENT_DATE"));
      assertEquals(List.of("false", "true", "2", "10.50"), row(sql,
          "SELECT BOOL_AND(paid), BOOL_OR(paid), COUNT(*) FILTER (WHERE paid), SUM(amount) FILTER (WHERE paid) FROM visit"));
      assertEquals(List.of("[Ann, Ann, bob]"), row(sql, "SELECT ARRAY_AGG(who ORDER BY who) FROM visit"));
      assertEquals(List.of("2", "1"), row(sql, "SELECT COUNT(*) FILTER (WHERE who ILIKE 'a%'),"
          + " COUNT(*) FILTER (WHERE who SIMILAR TO '(b|c)%') FROM visit"));
      assertEquals(List.of("ob", "29"), row(sql, "SELECT SUBSTR(who, 2), at - DATE '2024-01-31' FROM visit WHERE id = 2"));
      assertEquals(List.of("+1 03:00:00.000"), row(sql,
          "SELECT TIMESTAMP '2024-01-02 03:00:00' - TIMESTAMP '2024-01-01 00:00:00'"));
    }
  }

  /** PostgreSQL's DISTINCT ON: the first row of each group in the query's order. */
  @Test
  void distinctOn() throws Exception {
    try (java.sql.Connection sql = SqlSupport.sql(Peer.connect(TestData.freshUri())); Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE pay (id INTEGER, dept TEXT, amount NUMERIC(8,2))");
      s.executeUpdate("INSERT INTO pay VALUES (1, 'a', 5), (2, 'a', 9), (3, 'b', 7), (4, 'b', NULL), (5, 'c', 1)");
      assertEquals(List.of(List.of("a", "2"), List.of("b", "3"), List.of("c", "5")), SqlSupport.rows(sql,
          "SELECT DISTINCT ON (dept) dept, id FROM pay ORDER BY dept, amount DESC NULLS LAST").stream()
          .map(r -> List.of(String.valueOf(r.get(0)), String.valueOf(r.get(1)))).toList());
      assertEquals(List.of(List.of("a", "1"), List.of("b", "3"), List.of("c", "5")), SqlSupport.rows(sql,
          "SELECT DISTINCT ON (1) dept AS d, id FROM pay ORDER BY 1, 2").stream()
          .map(r -> List.of(String.valueOf(r.get(0)), String.valueOf(r.get(1)))).toList());
      assertEquals(3, SqlSupport.rows(sql, "SELECT DISTINCT ON (dept) * FROM pay ORDER BY dept, id DESC").size());
    }
  }
}
