package io.accrete.query;

import static io.accrete.query.QuerySupport.coll;
import static io.accrete.query.QuerySupport.edn;
import static io.accrete.query.QuerySupport.fails;
import static io.accrete.query.QuerySupport.kw;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static io.accrete.query.QuerySupport.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Connection;
import io.accrete.Database;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules: plain, several definitions, nested, recursive (right, left, mutual), required bindings. */
class QueryRulesTest {
  final Database db = QuerySupport.movies().db();

  static final String RULES = """
      [[(directed ?d ?t) [?m :movie/director ?p] [?p :person/name ?d] [?m :movie/title ?t]]
       [(acted ?name ?m) [?m :movie/cast ?p] [?p :person/name ?name]]
       [(costar ?a ?b) (acted ?a ?m) (acted ?b ?m) [(!= ?a ?b)]]
       [(classic ?m) [?m :movie/year ?y] [(< ?y 1980)]]
       [(classic ?m) [?m :movie/title "Braveheart"]]
       [(follows ?m ?s) [?m :movie/sequel ?s]]
       [(follows ?m ?s) [?m :movie/sequel ?x] (follows ?x ?s)]
       [(later ?a ?b) [?a :movie/sequel ?b]]
       [(later ?a ?b) (later ?a ?x) [?x :movie/sequel ?b]]
       [(odd-hop ?a ?b) [?a :movie/sequel ?b]]
       [(odd-hop ?a ?b) (even-hop ?a ?x) [?x :movie/sequel ?b]]
       [(even-hop ?a ?b) (odd-hop ?a ?x) [?x :movie/sequel ?b]]
       [(sequels-of [?m] ?s) [?m :movie/sequel ?s]]
       [(sequels-of [?m] ?s) [?m :movie/sequel ?x] (sequels-of ?x ?s)]
       [(solo-directed ?m) [?m :movie/director ?d]
                           (not-join [?m ?d] [?m :movie/director ?d2] [(!= ?d ?d2)])]
       [(old-or-sequel ?m) (or-join [?m] [?m :movie/sequel _] (and [?m :movie/year ?y] [(< ?y 1982)]))]]
      """;

  final Object rules = edn(RULES);

  static final Set<List<Object>> ALL_LATER = Set.of(
      List.of("The Terminator", "Terminator 2: Judgment Day"),
      List.of("The Terminator", "Terminator 3: Rise of the Machines"),
      List.of("Terminator 2: Judgment Day", "Terminator 3: Rise of the Machines"),
      List.of("First Blood", "Rambo: First Blood Part II"), List.of("First Blood", "Rambo III"),
      List.of("Rambo: First Blood Part II", "Rambo III"),
      List.of("Predator", "Predator 2"),
      List.of("Lethal Weapon", "Lethal Weapon 2"), List.of("Lethal Weapon", "Lethal Weapon 3"),
      List.of("Lethal Weapon 2", "Lethal Weapon 3"),
      List.of("Alien", "Aliens"),
      List.of("Mad Max", "Mad Max 2"), List.of("Mad Max", "Mad Max Beyond Thunderdome"),
      List.of("Mad Max 2", "Mad Max Beyond Thunderdome"));

  Object query(String q, Object... more) {
    Object[] in = new Object[more.length + 2];
    in[0] = db;
    in[1] = rules;
    System.arraycopy(more, 0, in, 2, more.length);
    return q(q, in);
  }

  @Test
  void ruleWithConstantArgument() {
    assertEquals(setOf("RoboCop"), coll(query("[:find [?t ...] :in $ % :where (directed \"Paul Verhoeven\" ?t)]")));
  }

  @Test
  void ruleWithInputArgument() {
    Object r = query("[:find [?t ...] :in $ % ?d :where (directed ?d ?t)]", "George Miller");
    assertEquals(setOf("Mad Max", "Mad Max 2", "Mad Max Beyond Thunderdome"), coll(r));
  }

  @Test
  void ruleWithSeveralDefinitions() {
    Object r = query("[:find [?t ...] :in $ % :where (classic ?m) [?m :movie/title ?t]]");
    assertEquals(setOf("Alien", "Mad Max", "Braveheart"), coll(r));
  }

  @Test
  void ruleCallingRule() {
    Object r = query("[:find [?b ...] :in $ % :where (costar \"Sigourney Weaver\" ?b)]");
    assertEquals(setOf("Tom Skerritt", "Veronica Cartwright", "Carrie Henn", "Michael Biehn"), coll(r));
  }

  @Test
  void ruleBothWaysBound() {
    Object r = query("[:find ?a ?b :in $ % :where (costar ?a ?b) [(= ?a \"Sophie Marceau\")]]");
    assertEquals(setOf(row("Sophie Marceau", "Mel Gibson")), rel(r));
  }

  @Test
  void recursiveRuleFromBoundStart() {
    Object r = query("[:find [?t ...] :in $ % ?start :where [?m :movie/title ?start] (follows ?m ?s)"
        + " [?s :movie/title ?t]]", "The Terminator");
    assertEquals(setOf("Terminator 2: Judgment Day", "Terminator 3: Rise of the Machines"), coll(r));
  }

  @Test
  void recursiveRuleFromBoundEnd() {
    Object r = query("[:find [?t ...] :in $ % ?end :where [?s :movie/title ?end] (follows ?m ?s)"
        + " [?m :movie/title ?t]]", "Mad Max Beyond Thunderdome");
    assertEquals(setOf("Mad Max", "Mad Max 2"), coll(r));
  }

  @Test
  void recursiveRuleUnbound() {
    Object r = query("[:find ?a ?b :in $ % :where (follows ?m ?s) [?m :movie/title ?a] [?s :movie/title ?b]]");
    assertEquals(ALL_LATER, rel(r));
  }

  @Test
  void leftRecursiveRule() {
    Object r = query("[:find ?a ?b :in $ % :where (later ?m ?s) [?m :movie/title ?a] [?s :movie/title ?b]]");
    assertEquals(ALL_LATER, rel(r));
    Object from = query("[:find [?b ...] :in $ % :where [?m :movie/title \"First Blood\"] (later ?m ?s)"
        + " [?s :movie/title ?b]]");
    assertEquals(setOf("Rambo: First Blood Part II", "Rambo III"), coll(from));
  }

  @Test
  void mutuallyRecursiveRules() {
    Object odd = query("[:find ?a ?b :in $ % :where (odd-hop ?m ?s) [?m :movie/title ?a] [?s :movie/title ?b]"
        + " [(clojure.string/starts-with? ?a \"Mad\")]]");
    assertEquals(setOf(row("Mad Max", "Mad Max 2"), row("Mad Max 2", "Mad Max Beyond Thunderdome")), rel(odd));
    Object even = query("[:find ?a ?b :in $ % :where (even-hop ?m ?s) [?m :movie/title ?a] [?s :movie/title ?b]]");
    assertEquals(setOf(row("The Terminator", "Terminator 3: Rise of the Machines"),
        row("First Blood", "Rambo III"), row("Lethal Weapon", "Lethal Weapon 3"),
        row("Mad Max", "Mad Max Beyond Thunderdome")), rel(even));
  }

  @Test
  void requiredBindingRuleWaitsForItsInput() {
    // The rule call comes first, but ?m is only bound by the pattern after it.
    Object r = query("[:find [?t ...] :in $ % :where (sequels-of ?m ?s) [?m :movie/title \"Lethal Weapon\"]"
        + " [?s :movie/title ?t]]");
    assertEquals(setOf("Lethal Weapon 2", "Lethal Weapon 3"), coll(r));
  }

  @Test
  void requiredBindingRuleWithInput() {
    Object r = query("[:find [?t ...] :in $ % [?title ...] :where [?m :movie/title ?title] (sequels-of ?m ?s)"
        + " [?s :movie/title ?t]]", List.of("Alien", "Predator", "Braveheart"));
    assertEquals(setOf("Aliens", "Predator 2"), coll(r));
  }

  @Test
  void requiredBindingRuleNeverBoundIsAnError() {
    fails(() -> query("[:find ?s :in $ % :where (sequels-of ?m ?s)]"), "sequels-of");
  }

  @Test
  void ruleWithNotJoinInside() {
    Object r = query("[:find [?t ...] :in $ % :where (solo-directed ?m) [?m :movie/title ?t]]");
    Set<Object> titles = coll(r);
    assertEquals(19, titles.size());
    assertEquals(false, titles.contains("Mad Max Beyond Thunderdome"));
  }

  @Test
  void ruleWithOrAndInside() {
    Object r = query("[:find [?t ...] :in $ % :where (old-or-sequel ?m) [?m :movie/title ?t]"
        + " [?m :movie/year ?y] [(< ?y 1987)]]");
    assertEquals(setOf("The Terminator", "First Blood", "Rambo: First Blood Part II", "Alien", "Mad Max",
        "Mad Max 2"), coll(r));
  }

  @Test
  void ruleCallWithBlank() {
    Object r = query("[:find (count ?m) . :in $ % :where (follows ?m _)]");
    assertEquals(10L, r);
  }

  @Test
  void ruleCallWithRepeatedVariable() {
    Object r = query("[:find ?m :in $ % :where (follows ?m ?m)]");
    assertEquals(Set.of(), rel(r));
  }

  @Test
  void ruleInsideNot() {
    Object r = query("[:find (count ?m) . :in $ % :where [?m :movie/title _] (not (follows ?x ?m))]");
    assertEquals(10L, r, "20 movies, 10 of which are sequels");
  }

  @Test
  void ruleInsideOr() {
    Object r = query("[:find [?t ...] :in $ % :where (or (classic ?m) [?m :movie/year 2003]) [?m :movie/title ?t]]");
    assertEquals(setOf("Alien", "Mad Max", "Braveheart", "Terminator 3: Rise of the Machines"), coll(r));
  }

  @Test
  void rulesAsTextInput() {
    Object r = q("[:find [?t ...] :in $ % :where (classic ?m) [?m :movie/title ?t]]", db, RULES);
    assertEquals(setOf("Alien", "Mad Max", "Braveheart"), coll(r));
  }

  @Test
  void rulesAsJavaData() {
    Object data = List.of(
        List.of(List.of(sym("made-in"), sym("?m"), sym("?y")), List.of(sym("?m"), kw(":movie/year"), sym("?y"))),
        List.of(List.of(sym("old"), sym("?m")), List.of(sym("made-in"), sym("?m"), sym("?y")),
            List.of(List.of(sym("<"), sym("?y"), 1981L))));
    Object r = q("[:find [?t ...] :in $ % :where (old ?m) [?m :movie/title ?t]]", db, data);
    assertEquals(setOf("Alien", "Mad Max"), coll(r));
  }

  @Test
  void concurrentRecursiveQueries() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Object>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        futures.add(pool.submit(() -> rel(query("[:find ?a ?b :in $ % :where (follows ?m ?s)"
            + " [?m :movie/title ?a] [?s :movie/title ?b]]"))));
      }
      for (java.util.concurrent.Future<Object> f : futures) {
        assertEquals(ALL_LATER, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- graphs of our own

  static final String GRAPH = """
      [{:db/ident :node/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :node/next :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
      """;
  static final String REACH = """
      [[(reach ?a ?b) [?a :node/next ?b]]
       [(reach ?a ?b) [?a :node/next ?x] (reach ?x ?b)]]
      """;

  @Test
  void recursionTerminatesOnCycles() {
    Connection c = QuerySupport.conn(GRAPH, """
        [{:db/id "a" :node/name "a" :node/next ["b"]}
         {:db/id "b" :node/name "b" :node/next ["c"]}
         {:db/id "c" :node/name "c" :node/next ["a" "d"]}
         {:db/id "d" :node/name "d"}
         {:db/id "e" :node/name "e" :node/next ["e"]}]
        """);
    Object r = q("[:find [?n ...] :in $ % ?from :where [?a :node/name ?from] (reach ?a ?b) [?b :node/name ?n]]",
        c.db(), REACH, "a");
    assertEquals(setOf("a", "b", "c", "d"), coll(r));
    Object self = q("[:find [?n ...] :in $ % :where (reach ?a ?a) [?a :node/name ?n]]", c.db(), REACH);
    assertEquals(setOf("a", "b", "c", "e"), coll(self));
    Object none = q("[:find [?n ...] :in $ % ?from :where [?a :node/name ?from] (reach ?a ?b) [?b :node/name ?n]]",
        c.db(), REACH, "d");
    assertEquals(Set.of(), coll(none));
  }

  @Test
  void transitiveClosureOfALongChain() {
    int n = 60;
    StringBuilder tx = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      tx.append("{:db/id \"n").append(i).append("\" :node/name \"n").append(i).append('"');
      if (i + 1 < n) {
        tx.append(" :node/next [\"n").append(i + 1).append("\"]");
      }
      tx.append("}");
    }
    Connection c = QuerySupport.conn(GRAPH, tx.append("]").toString());
    Object fromHead = q("[:find (count ?b) . :in $ % :where [?a :node/name \"n0\"] (reach ?a ?b)]", c.db(), REACH);
    assertEquals((long) n - 1, fromHead);
    Object toTail = q("[:find (count ?a) . :in $ % :where [?b :node/name \"n" + (n - 1) + "\"] (reach ?a ?b)]",
        c.db(), REACH);
    assertEquals((long) n - 1, toTail);
    Collection<?> pairs = q("[:find ?a ?b :in $ % :where (reach ?a ?b)]", c.db(), REACH) instanceof Collection<?> x
        ? x : List.of();
    assertEquals(n * (n - 1) / 2, pairs.size());
    Set<Object> distinctStarts = new HashSet<>();
    for (Object p : pairs) {
      distinctStarts.add(((List<?>) p).get(0));
    }
    assertEquals(n - 1, distinctStarts.size());
  }
}
