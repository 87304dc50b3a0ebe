package io.accrete.sql;

import static io.accrete.sql.SqlSupport.bag;
import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Query shapes where Calcite's planning gave wrong answers (found by the differential test
 * against PostgreSQL), each with PostgreSQL's answer worked out by hand from the rows below.
 */
class PlannerAnswersTest {
  private java.sql.Connection sql;

  @BeforeEach
  void tables() throws Exception {
    sql = SqlSupport.sql(Peer.connect(TestData.freshUri()));
    try (Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE a (id INTEGER PRIMARY KEY, k INTEGER, v TEXT, n NUMERIC(10,2))");
      s.executeUpdate("CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id), v TEXT, n NUMERIC(10,2))");
      s.executeUpdate("INSERT INTO a VALUES (1, 10, 'x', 1.50), (2, 20, NULL, NULL), (3, 20, 'y', 2.25)");
      s.executeUpdate("INSERT INTO b VALUES (1, 1, 'x', 1.50), (2, 2, NULL, NULL), (3, 2, 'z', 7.00), (4, NULL, 'w', 0.10)");
    }
  }

  @Test
  void subQueries() throws Exception {
    // an uncorrelated EXISTS beside a correlated one (Calcite's decorrelator made it always true)
    assertEquals(List.of(), rows(sql, "SELECT b.id FROM b WHERE EXISTS (SELECT 1 FROM a WHERE a.id = b.a_id)"
        + " AND EXISTS (SELECT 1 FROM a a2 WHERE a2.k = 99)"));
    assertEquals(bag(List.of(row(1L), row(2L), row(3L))), bag(rows(sql, "SELECT b.id FROM b WHERE EXISTS"
        + " (SELECT 1 FROM a WHERE a.id = b.a_id) AND NOT EXISTS (SELECT 1 FROM a a2 WHERE a2.k = 99)")));
    // a correlated scalar sub-query in a CASE branch that simplifies away (it failed to plan)
    assertEquals(bag(List.of(row((Object) null), row((Object) null), row((Object) null))), bag(rows(sql,
        "SELECT CASE WHEN a.k IS DISTINCT FROM a.k THEN (SELECT b.n FROM b WHERE b.id = a.id) END FROM a")));
    // x IN (an empty sub-query) OR c (empty-input pruning dropped every row)
    assertEquals(List.of(row(1L)), rows(sql, "SELECT id FROM a WHERE (upper('b') IN (SELECT v FROM b WHERE 1 = 0))"
        + " OR id = 1"));
  }

  @Test
  void correlatedExistsWithAKeyIsASemiOrAntiJoin() throws Exception {
    String exists = "SELECT a.id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id AND b.n > 1)";
    assertEquals(bag(List.of(row(1L), row(2L))), bag(rows(sql, exists)));
    // b.v <> a.v is NULL for a 2's rows: no row makes the condition true, so NOT EXISTS keeps it
    assertEquals(bag(List.of(row(1L), row(2L), row(3L))), bag(rows(sql,
        "SELECT a.id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id AND b.v <> a.v)")));
    assertEquals(List.of(), rows(sql, "SELECT a.id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id"
        + " AND b.v <> a.v)"));
    String anti = "SELECT b.id FROM b WHERE NOT EXISTS (SELECT * FROM a WHERE a.id = b.a_id AND a.k = 20)";
    assertEquals(bag(List.of(row(1L), row(4L))), bag(rows(sql, anti)));
    // Joined as they are: no distinct outer keys, counts or left join (Calcite's decorrelation)
    assertTrue(plan(exists).contains("joinType=[semi]") && !plan(exists).contains("Aggregate"), plan(exists));
    assertTrue(plan(anti).contains("joinType=[anti]") && !plan(anti).contains("Aggregate"), plan(anti));
  }

  @Test
  void aggregatesJoinedOnTheirKeysReadOnlyTheKeysTheyMeet() throws Exception {
    // Decorrelated, these join a with sums per a_id; the summed rows are first restricted to the
    // a_ids the filtered a has (RestrictedAggregateRule). Groups stay whole: the sums are all rows'.
    many();
    // a_id 1: n = 1, 51, …, 351 (sum 1,408); a_id 2: 2, 52, …, 352 (sum 1,416); 3: 1,424
    String sums = "SELECT a.id FROM a WHERE a.k = 20 AND 1420 > (SELECT sum(m.n) FROM many m WHERE m.a_id = a.id)";
    assertEquals(List.of(row(2L)), rows(sql, sums));
    assertEquals(bag(List.of(row(1L), row(2L))), bag(rows(sql,
        "SELECT a.id FROM a WHERE a.id IN (1, 2) AND 8 = (SELECT count(*) FROM many m WHERE m.a_id = a.id)")));
    assertEquals(bag(List.of(row(2L, 1416L), row(3L, 1424L))), bag(rows(sql, "SELECT a.id, c.s FROM a JOIN"
        + " (SELECT a_id, sum(n) AS s FROM many GROUP BY a_id) c ON c.a_id = a.id WHERE a.k = 20")));
    String plan = plan(sums);
    assertTrue(plan.indexOf("Aggregate") < plan.lastIndexOf("Join"), plan);
  }

  @Test
  void semiJoinsMayReadTheirScannedSideByKeys() throws Exception {
    many();
    // many ⋉ a: the distinct a.id of a's one row with k = 10 read many by a_id (SemiJoinByLookupRule)
    String in = "SELECT m.id FROM many m WHERE m.a_id IN (SELECT a.id FROM a WHERE a.k = 10) AND m.n > 100";
    assertEquals(bag(List.of(row(101L), row(151L), row(201L), row(251L), row(301L), row(351L))), bag(rows(sql, in)));
    assertTrue(plan(in).contains("lookup=[AVET many/a_id]"), plan(in));
    // the same keys twice in the other side: each row of many still once
    assertEquals(List.of(row(8L)), rows(sql, "SELECT count(*) FROM many m WHERE m.a_id IN (SELECT b.a_id FROM b)"
        + " AND m.a_id = 2"));
  }

  /** 400 rows, a_id = id % 50, n = id. */
  private void many() throws Exception {
    try (Statement s = sql.createStatement()) {
      s.executeUpdate("CREATE TABLE many (id INTEGER PRIMARY KEY, a_id INTEGER, n INTEGER)");
      s.executeUpdate("INSERT INTO many SELECT g, g % 50, g FROM generate_series(1, 400) AS t(g)");
    }
  }

  private String plan(String query) throws Exception {
    StringBuilder b = new StringBuilder();
    for (List<Object> r : rows(sql, "EXPLAIN PLAN FOR " + query)) {
      b.append(r.get(0)).append('\n');
    }
    return b.toString();
  }

  @Test
  void joins() throws Exception {
    // IS NOT DISTINCT FROM join keys match NULL with NULL
    assertEquals(bag(List.of(row(1L, 1L), row(2L, 2L))), bag(rows(sql,
        "SELECT a.id, b.id FROM a JOIN b ON b.a_id = a.id WHERE a.v IS NOT DISTINCT FROM b.v")));
    // RIGHT and FULL joins keep equal rows (Calcite's nested loop kept unmatched rows in a set)
    assertEquals(bag(List.of(row(10L), row(20L), row(20L))), bag(rows(sql,
        "SELECT a.k FROM b RIGHT JOIN a ON b.a_id = a.id AND 1 = 2")));
    assertEquals(7, rows(sql, "SELECT a.k FROM b FULL JOIN a ON b.a_id = a.id AND 1 = 2").size());
    assertEquals(bag(List.of(row(20L, 1L), row(20L, 1L), row(20L, 2L), row(20L, 3L), row(null, 4L), row(10L, null))),
        bag(rows(sql, "SELECT a.k, b.id FROM b FULL JOIN a ON b.a_id < a.id")));
  }

  @Test
  void setOperationsAndDecimals() throws Exception {
    // ORDER BY … LIMIT over a UNION (distinct): not pushed into its inputs before duplicates go
    assertEquals(List.of(row(10L), row(20L), row(1000L)), rows(sql,
        "SELECT k FROM a UNION SELECT 1000 ORDER BY 1 LIMIT 3"));
    // a SUM of decimals beside a literal of larger scale keeps both scales
    assertEquals(List.of(row(new java.math.BigDecimal("1.125"))),
        rows(sql, "SELECT COALESCE(SUM(n), 1.125) FROM a WHERE FALSE"));
  }
}
