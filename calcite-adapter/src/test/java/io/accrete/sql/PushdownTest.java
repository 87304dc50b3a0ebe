package io.accrete.sql;

import static io.accrete.sql.SqlSupport.explain;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EXPLAIN PLAN shows which index every scan reads and what was pushed into it. */
class PushdownTest {
  static Connection conn;
  static java.sql.Connection sql;

  @BeforeAll
  static void load() throws Exception {
    conn = TestData.movies();
    sql = sql(conn);
  }

  @AfterAll
  static void close() throws Exception {
    sql.close();
  }

  static void plan(String query, String... fragments) throws Exception {
    String plan = explain(sql, query);
    for (String f : fragments) {
      assertTrue(plan.contains(f), () -> "expected '" + f + "' in:\n" + plan);
    }
  }

  @Test
  void equalityReadsAvet() throws Exception {
    plan("SELECT born FROM person WHERE name = 'James Cameron'",
        "index=[AVET person/name]", "filter=[[name = 'James Cameron']]", "columns=[[name, born]]");
  }

  @Test
  void rangesAndInListsReadAvetRanges() throws Exception {
    plan("SELECT title FROM movie WHERE \"year\" BETWEEN 1980 AND 1985",
        "index=[AVET movie/year]", "year >= 1980 AND year <= 1985");
    plan("SELECT title FROM movie WHERE \"year\" IN (1984, 1987)",
        "index=[AVET movie/year]", "year IN (1984, 1987)");
    plan("SELECT name FROM person WHERE born < TIMESTAMP '1925-01-01 00:00:00'",
        "index=[AVET person/born]", "born < ");
  }

  @Test
  void likeWithALiteralPrefixReadsAnAvetRangeAndKeepsThePattern() throws Exception {
    plan("SELECT name FROM person WHERE name LIKE 'James%'",
        "index=[AVET person/name]", "name >= 'James' AND name < 'Jamet'", "LIKE");
    plan("SELECT name FROM person WHERE name LIKE 'Jam_s C%'", "index=[AVET person/name]", "name >= 'Jam' AND name < 'Jan'");
    for (String pattern : new String[] {"James%", "Jam_s C%", "J%n", "James Cameron", "Ja\\%", "%Cameron", "R%", "Zz%"}) {
      String pushed = "SELECT name FROM person WHERE name LIKE '" + pattern + "' ORDER BY name";
      String kept = "SELECT name FROM person WHERE name || '' LIKE '" + pattern + "' ORDER BY name";
      org.junit.jupiter.api.Assertions.assertEquals(SqlSupport.rows(sql, kept), SqlSupport.rows(sql, pushed), pattern);
    }
    assertFalse(SqlSupport.rows(sql, "SELECT name FROM person WHERE name LIKE 'James%'").isEmpty(), "the data has Jameses");
    assertFalse(explain(sql, "SELECT name FROM person WHERE name LIKE '%Cameron'").contains("AVET"),
        "no prefix, no range");
  }

  @Test
  void entityIdsReadEavt() throws Exception {
    plan("SELECT title FROM movie WHERE db__id = 17592186045477", "index=[EAVT db__id]");
    plan("SELECT title FROM movie WHERE db__id IN (1, 2, 3)", "index=[EAVT db__id]", "db__id IN (1, 2, 3)");
  }

  @Test
  void refsAndIdentsReadVaet() throws Exception {
    plan("SELECT title FROM movie WHERE sequel = 17592186045484", "index=[VAET movie/sequel]");
    plan("SELECT movie FROM movie_x_cast WHERE \"cast\" = 17592186045421", "index=[VAET movie/cast]");
  }

  @Test
  void nullTestsArePushedAndTheBestIndexWins() throws Exception {
    plan("SELECT name FROM person WHERE death IS NULL AND name = 'Ted Kotcheff'",
        "index=[AVET person/name]", "death IS NULL");
    plan("SELECT name FROM person WHERE death IS NOT NULL", "death IS NOT NULL", "AEVT");
  }

  @Test
  void parametersArePushedToo() throws Exception {
    plan("SELECT born FROM person WHERE name = ?", "index=[AVET person/name]", "name = ?0");
  }

  @Test
  void limitsAndProjectionsReachTheScan() throws Exception {
    plan("SELECT title FROM movie LIMIT 5", "limit=[5]", "columns=[[title]]");
    plan("SELECT title FROM movie LIMIT 5 OFFSET 2", "limit=[7]");
  }

  @Test
  void whatCannotBePushedStaysAbove() throws Exception {
    String plan = explain(sql, "SELECT title FROM movie WHERE title LIKE '%T' AND \"year\" > 1980");
    assertTrue(plan.contains("LIKE") && plan.contains("year > 1980"), plan);
    assertFalse(plan.contains("filter=[[title"), plan);
  }

  @Test
  void joinsAlongRefsLookUpThroughTheIndexes() throws Exception {
    String q = "SELECT m.title FROM movie m JOIN movie_x_director d ON d.movie = m.db__id"
        + " JOIN person p ON p.db__id = d.director WHERE p.name = 'James Cameron'";
    plan(q, "index=[AVET person/name]", "lookup=[VAET movie/director]", "director = $outer0",
        "lookup=[EAVT db__id]", "db__id = $outer0");
    plan("SELECT m.title, s.title FROM movie m LEFT JOIN movie s ON s.db__id = m.sequel WHERE m.\"year\" = 1984",
        "joinType=[left], lookup=[EAVT db__id]");
  }

  /**
   * An OR across both sides of a join restricts each side by its own parts of the branches, as
   * in PostgreSQL: the person scan reads two names through AVET instead of every person; on a
   * LEFT join only the right side may be narrowed (every left row stays in the answer).
   */
  @Test
  void orsAcrossAJoinRestrictEachSide() throws Exception {
    String q = "SELECT m.title, p.name FROM movie m, movie_x_director d, person p WHERE d.movie = m.db__id"
        + " AND p.db__id = d.director AND ((p.name = 'James Cameron' AND m.\"year\" > 1985)"
        + " OR (p.name = 'Ridley Scott' AND m.\"year\" < 1985))";
    plan(q, "index=[AVET person/name]", "name IN ('James Cameron', 'Ridley Scott')");
    // Branches testing several columns of a side: each column every branch tests gets its own
    // OR, which the scan reads through an index.
    plan("SELECT m.title FROM movie m, movie_x_director d, person p WHERE d.movie = m.db__id"
        + " AND p.db__id = d.director AND ((p.name = 'James Cameron' AND p.born > TIMESTAMP '1950-01-01 00:00:00'"
        + " AND m.\"year\" > 1985) OR (p.name = 'Ridley Scott' AND p.born < TIMESTAMP '1950-01-01 00:00:00'"
        + " AND m.\"year\" < 1985))", "index=[AVET person/name]", "name IN ('James Cameron', 'Ridley Scott')");
    java.util.Set<String> answers = new java.util.TreeSet<>();
    for (java.util.List<Object> r : SqlSupport.rows(sql, q)) {
      answers.add(r.get(0) + " / " + r.get(1));
    }
    java.util.Set<String> datalog = new java.util.TreeSet<>();
    for (Object o : (java.util.Collection<?>) io.accrete.Peer.q("[:find ?t ?n :where [?m :movie/title ?t] [?m :movie/year ?y]"
        + " [?m :movie/director ?p] [?p :person/name ?n]"
        + " (or (and [(= ?n \"James Cameron\")] [(> ?y 1985)]) (and [(= ?n \"Ridley Scott\")] [(< ?y 1985)]))]",
        conn.db())) {
      java.util.List<?> r = (java.util.List<?>) o;
      datalog.add(r.get(0) + " / " + r.get(1));
    }
    assertFalse(datalog.isEmpty());
    org.junit.jupiter.api.Assertions.assertEquals(datalog, answers);

    String left = "SELECT m.title, s.title FROM movie m LEFT JOIN movie s ON s.db__id = m.sequel"
        + " AND ((m.\"year\" = 1984 AND s.\"year\" > 1980) OR (m.\"year\" = 1979 AND s.\"year\" > 1980))";
    String plan = explain(sql, left);
    assertFalse(plan.contains("filter=[[year IN (1979, 1984)"), "the preserved side keeps every row:\n" + plan);
    org.junit.jupiter.api.Assertions.assertEquals(
        SqlSupport.rows(sql, "SELECT count(*) FROM movie").get(0).get(0),
        (long) SqlSupport.rows(sql, left).size(), "a LEFT join answers every left row");
  }

  @Test
  void timeTravelShowsInThePlan() throws Exception {
    plan("SELECT title FROM movie FOR SYSTEM_TIME AS OF T(1000)", "time=[FOR SYSTEM_TIME AS OF T(1000)]");
  }
}
