package io.accrete.query;

import static io.accrete.query.QuerySupport.kw;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.edn.Edn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Peer.explain: the plan's shape, estimates and actual rows, and clause-order independence. */
class QueryExplainTest {
  static final int PEOPLE = 3000;
  static Database db;
  static long ivan20;
  static long ivan45;

  static final Keyword STEPS = kw(":steps");
  static final Keyword CLAUSE = kw(":clause");
  static final Keyword STRATEGY = kw(":strategy");
  static final Keyword ESTIMATED = kw(":estimated-rows");
  static final Keyword ACTUAL = kw(":actual-rows");

  @BeforeAll
  static void load() {
    Connection c = QuerySupport.conn("""
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]
        """);
    StringBuilder tx = new StringBuilder("[");
    for (int i = 0; i < PEOPLE; i++) {
      tx.append("{:name \"P").append(i).append("\" :age ").append(i % 100).append("}");
    }
    tx.append("{:db/id \"i1\" :name \"Ivan\" :age 20} {:db/id \"i2\" :name \"Ivan\" :age 45}]");
    var report = c.transact(tx.toString()).join();
    ivan20 = report.tempid("i1");
    ivan45 = report.tempid("i2");
    db = c.db();
  }

  @SuppressWarnings("unchecked")
  static List<Map<Keyword, Object>> steps(Map<Keyword, Object> plan) {
    return (List<Map<Keyword, Object>>) plan.get(STEPS);
  }

  static String clause(Map<Keyword, Object> step) {
    return Edn.print(step.get(CLAUSE));
  }

  @Test
  void planShape() {
    String query = "[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]";
    Map<Keyword, Object> plan = Peer.explain(query, db);
    assertEquals(query, plan.get(kw(":query")));
    assertEquals(2L, plan.get(kw(":result-size")));
    assertInstanceOf(Number.class, plan.get(kw(":ms")));
    List<Map<Keyword, Object>> steps = steps(plan);
    assertEquals(2, steps.size());
    for (Map<Keyword, Object> s : steps) {
      assertInstanceOf(Number.class, s.get(ESTIMATED), "estimated rows in " + s);
      assertInstanceOf(Number.class, s.get(ACTUAL), "actual rows in " + s);
      assertInstanceOf(String.class, s.get(STRATEGY), "strategy in " + s);
      assertInstanceOf(Number.class, s.get(kw(":ms")), "time in " + s);
    }
  }

  @Test
  void mostSelectiveClauseRunsFirst() {
    Map<Keyword, Object> plan = Peer.explain("[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]", db);
    List<Map<Keyword, Object>> steps = steps(plan);
    assertEquals("[?e :name \"Ivan\"]", clause(steps.get(0)));
    assertTrue(((String) steps.get(0).get(STRATEGY)).contains("AVET"), steps.get(0).toString());
    assertEquals(2L, ((Number) steps.get(0).get(ESTIMATED)).longValue());
    assertEquals(2L, ((Number) steps.get(0).get(ACTUAL)).longValue());
    assertEquals("[?e :age ?a]", clause(steps.get(1)));
    assertTrue(((String) steps.get(1).get(STRATEGY)).contains("EAVT"), steps.get(1).toString());
    assertEquals(2L, ((Number) steps.get(1).get(ACTUAL)).longValue());
  }

  @Test
  void clauseOrderDoesNotMatter() {
    String a = "[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]";
    String b = "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a]]";
    for (String query : List.of(a, b)) {
      assertEquals(setOf(row(ivan20, 20L), row(ivan45, 45L)), rel(q(query, db)), query);
      List<Map<Keyword, Object>> steps = steps(Peer.explain(query, db));
      assertEquals("[?e :name \"Ivan\"]", clause(steps.get(0)), query);
      assertEquals("[?e :age ?a]", clause(steps.get(1)), query);
    }
  }

  @Test
  void estimatesFollowIndexCounts() {
    List<Map<Keyword, Object>> steps = steps(Peer.explain("[:find ?e :where [?e :age 7]]", db));
    assertEquals(1, steps.size());
    assertEquals(30L, ((Number) steps.get(0).get(ESTIMATED)).longValue(), "ages 0..99 over 3000 people");
    assertEquals(30L, ((Number) steps.get(0).get(ACTUAL)).longValue());
    List<Map<Keyword, Object>> all = steps(Peer.explain("[:find ?e :where [?e :age]]", db));
    assertEquals((long) PEOPLE + 2, ((Number) all.get(0).get(ESTIMATED)).longValue());
  }

  @Test
  void rangePredicateBecomesIndexRange() {
    Map<Keyword, Object> plan = Peer.explain("[:find ?e :where [?e :age ?a] [(>= ?a 98)]]", db);
    List<Map<Keyword, Object>> steps = steps(plan);
    assertTrue(((String) steps.get(0).get(STRATEGY)).contains("AVET range"), steps.get(0).toString());
    assertEquals(60L, ((Number) steps.get(0).get(ACTUAL)).longValue());
    assertEquals(60L, plan.get(kw(":result-size")));
    assertEquals(60, ((java.util.Collection<?>) q("[:find ?e :where [?e :age ?a] [(>= ?a 98)]]", db)).size());
  }

  @Test
  void filtersAndNestedClausesAreListed() {
    Map<Keyword, Object> plan = Peer.explain("[:find ?n :in $ ?min :where [?e :name ?n] [?e :age ?a]"
        + " [(>= ?a ?min)] (not [?e :name \"Ivan\"])]", db, 99L);
    List<Map<Keyword, Object>> steps = steps(plan);
    assertEquals(30L, plan.get(kw(":result-size")));
    assertTrue(steps.stream().anyMatch(s -> String.valueOf(s.get(STRATEGY)).startsWith("filter")), steps.toString());
    assertTrue(steps.stream().anyMatch(s -> "anti-join".equals(s.get(STRATEGY))), steps.toString());
    assertTrue(steps.stream().anyMatch(s -> Long.valueOf(1).equals(s.get(kw(":depth")))),
        "the not's own pattern is a nested step: " + steps);
  }

  @Test
  void explainWithNoMatchesReportsZeroRows() {
    Map<Keyword, Object> plan = Peer.explain("[:find ?e :where [?e :name \"Nobody\"] [?e :age ?a]]", db);
    assertEquals(0L, plan.get(kw(":result-size")));
    List<Map<Keyword, Object>> steps = steps(plan);
    assertEquals("[?e :name \"Nobody\"]", clause(steps.get(0)));
    assertEquals(0L, ((Number) steps.get(0).get(ACTUAL)).longValue());
  }
}
