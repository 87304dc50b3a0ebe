package io.accrete.query;

import static io.accrete.query.QuerySupport.edn;
import static io.accrete.query.QuerySupport.fails;
import static io.accrete.query.QuerySupport.kw;
import static io.accrete.query.QuerySupport.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.AccreteException;
import io.accrete.Database;
import io.accrete.Peer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad queries and inputs: each is an AccreteException whose message names the offender. */
class QueryErrorsTest {
  final Database db = QuerySupport.movies().db();

  @org.junit.jupiter.api.Test
  void aRunawayProductIsRefusedClearly() {
    System.setProperty("accrete.maxQueryRows", "100");
    try {
      io.accrete.AccreteException e = org.junit.jupiter.api.Assertions.assertThrows(io.accrete.AccreteException.class,
          () -> io.accrete.Peer.q("[:find (count ?a) . :with ?b ?c :where [?a :movie/title] [?b :person/name]"
              + " [?c :movie/year]]", db));
      org.junit.jupiter.api.Assertions.assertEquals(io.accrete.Keyword.of("db.error", "query-too-large"), e.code());
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("share no variable")
          && e.getMessage().contains("accrete.maxQueryRows"), e.getMessage());
      // Under the limit the same shape answers.
      org.junit.jupiter.api.Assertions.assertEquals((Object) 20L, io.accrete.Peer.q(
          "[:find (count ?a) . :where [?a :movie/title]]", db));
    } finally {
      System.clearProperty("accrete.maxQueryRows");
    }
  }
  final Object rules = edn("[[(classic ?m) [?m :movie/year ?y] [(< ?y 1980)]]]");

  // ---------------------------------------------------------------- :find and :with

  @Test
  void unboundVariableInFind() {
    fails(() -> q("[:find ?title ?rating :where [?m :movie/title ?title]]", db), "?rating");
  }

  @Test
  void unboundVariableInFindAggregate() {
    fails(() -> q("[:find (max ?rating) :where [?m :movie/title ?title]]", db), "?rating");
  }

  @Test
  void unboundVariableInWith() {
    fails(() -> q("[:find ?title :with ?z :where [?m :movie/title ?title]]", db), "?z");
  }

  @Test
  void findVariableBoundOnlyInsideNot() {
    // ?y exists only inside the negation, so the query can never bind it, whatever the data.
    fails(() -> q("[:find ?y :where [?m :movie/title _] (not [?m :movie/year ?y])]", db), "?y");
  }

  @Test
  void findVariableBoundOnlyInsideNotWhenRowsSurvive() {
    fails(() -> q("[:find ?y :where [?m :movie/title _] (not [?m :movie/year ?y] [(< ?y 1980)])]", db), "?y");
  }

  @Test
  void findVariableLocalToOrJoin() {
    fails(() -> q("[:find ?y :where [?m :movie/title _] (or-join [?m] [?m :movie/year ?y])]", db), "?y");
  }

  @Test
  void keysCountMismatch() {
    fails(() -> q("[:find ?t ?y :keys title :where [?m :movie/title ?t] [?m :movie/year ?y]]", db), ":keys");
  }

  @Test
  void keysAndStrsTogether() {
    fails(() -> q("[:find ?t :keys t :strs t :where [?m :movie/title ?t]]", db), ":strs");
  }

  @Test
  void missingFind() {
    fails(() -> q("[:where [?m :movie/title ?t]]", db), ":find");
  }

  @Test
  void unknownSection() {
    fails(() -> q("[:find ?t :wehre [?m :movie/title ?t]]", db), ":wehre");
  }

  @Test
  void nilQuery() {
    fails(() -> q(null, db), "nil");
  }

  @Test
  void notAQuery() {
    fails(() -> q("42", db), "42");
  }

  // ---------------------------------------------------------------- functions

  @Test
  void unknownFunction() {
    fails(() -> q("[:find ?title ?loud :where [?m :movie/title ?title] [(shout ?title) ?loud]]", db), "shout");
  }

  @Test
  void unknownPredicate() {
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] [(blockbuster? ?title)]]", db), "blockbuster?");
  }

  @Test
  void unknownFunctionEvenWhenNothingMatches() {
    // Functions are resolved from the query, not from the data: no rows is no excuse.
    fails(() -> q("[:find ?title ?loud :where [?m :movie/year 1900] [?m :movie/title ?title]"
        + " [(shout ?title) ?loud]]", db), "shout");
  }

  @Test
  void unknownJavaMethod() {
    fails(() -> q("[:find ?x :in ?a :where [(java.lang.Math/noSuchMethod ?a) ?x]]", 1L), "noSuchMethod");
    fails(() -> q("[:find ?x :in ?a :where [(com.example.Missing/fn ?a) ?x]]", 1L), "com.example.Missing");
  }

  @Test
  void wrongArityOfBuiltins() {
    fails(() -> q("[:find ?s :where [?m :movie/title ?t] [(subs ?t 0 1 2) ?s]]", db), "subs");
    fails(() -> q("[:find ?s :where [?m :movie/year ?y] [(inc ?y 1) ?s]]", db), "inc");
    fails(() -> q("[:find ?s :where [?m :movie/year ?y] [(quot ?y) ?s]]", db), "quot");
    fails(() -> q("[:find ?s :where [?m :movie/year ?y] [(get-else $ ?m :movie/sequel) ?s]]", db), "get-else");
    fails(() -> q("[:find ?m :where [?m :movie/year ?y] [(missing? $ ?m)]]", db), "missing?");
  }

  @Test
  void wrongArityEvenWhenNothingMatches() {
    fails(() -> q("[:find ?s :where [?m :movie/year 1900] [?m :movie/title ?t] [(subs ?t 0 1 2) ?s]]", db), "subs");
  }

  @Test
  void wrongArgumentTypes() {
    fails(() -> q("[:find ?x :in ?a :where [(inc ?a) ?x]]", "one"), "inc");
    fails(() -> q("[:find ?x :in ?a :where [(subs ?a 5) ?x]]", "abc"), "subs");
  }

  @Test
  void divisionByZeroAndOverflow() {
    fails(() -> q("[:find ?x :in ?a :where [(/ ?a 0) ?x]]", 1L), "zero");
    fails(() -> q("[:find ?x :in ?a :where [(+ ?a 1) ?x]]", Long.MAX_VALUE), "overflow");
  }

  @Test
  void getElseOnUnknownAttribute() {
    fails(() -> q("[:find ?r :where [?m :movie/title _] [(get-else $ ?m :movie/rating 0) ?r]]", db),
        ":movie/rating");
  }

  @Test
  void getElseOnCardinalityManyAttribute() {
    fails(() -> q("[:find ?r :where [?m :movie/title _] [(get-else $ ?m :movie/cast 0) ?r]]", db),
        ":movie/cast");
  }

  @Test
  void functionResultShapeMismatch() {
    fails(() -> q("[:find ?x :where [(ground 5) [?x ...]]]", db), "collection");
    fails(() -> q("[:find ?a ?b :where [(ground [1]) [?a ?b]]]", db), "[1]");
  }

  // ---------------------------------------------------------------- rules

  @Test
  void unknownRule() {
    fails(() -> q("[:find ?title :in $ % :where [?m :movie/title ?title] (blockbuster ?m)]", db, rules),
        "blockbuster");
  }

  @Test
  void ruleCallWithoutRules() {
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] (blockbuster ?m)]", db), "blockbuster");
  }

  @Test
  void unknownRuleEvenWhenNothingMatches() {
    fails(() -> q("[:find ?m :in $ % :where [?m :movie/year 1900] (blockbuster ?m)]", db, rules), "blockbuster");
  }

  @Test
  void ruleWrongArity() {
    fails(() -> q("[:find ?m :in $ % :where (classic ?m ?x)]", db, rules), "classic");
  }

  @Test
  void ruleThatDoesNotBindItsHead() {
    fails(() -> q("[:find ?m ?x :in $ % :where (r ?m ?x)]", db, edn("[[(r ?m ?x) [?m :movie/year 1987]]]")),
        "?x");
  }

  @Test
  void malformedRules() {
    fails(() -> q("[:find ?m :in $ % :where (classic ?m)]", db, edn("[(classic ?m) [?m :movie/year 1979]]")),
        "classic");
    fails(() -> q("[:find ?m :in $ % :where (r ?m)]", db, edn("[[(r ?m) [?m :movie/year 1979]] [(r ?m ?n) [?m :movie/year ?n]]]")),
        "different arities");
    fails(() -> q("[:find ?m :in $ % :where (classic ?m)]", db, (Object) null), "%");
  }

  // ---------------------------------------------------------------- clauses

  @Test
  void malformedWhereClauses() {
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] \"this is not a clause\"]", db), "this is not a clause");
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] []]", db), "[]");
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] 42]", db), "42");
    fails(() -> q("[:find ?t :where [?m :movie/title ?t ?tx true :extra]]", db), ":extra");
    fails(() -> q("[:find ?t :where [?m :movie/title ?t] (not)]", db), "not");
    fails(() -> q("[:find ?t :where [?m :movie/title ?t] (or-join ?m [?m :movie/year 1979])]", db), "or-join");
    fails(() -> q("[:find ?t :where [?m :movie/title ?t] (and [?m :movie/year 1979])]", db), "and");
    fails(() -> q("[:find ?t :where [?m :movie/title (?t)]]", db), "(?t)");
  }

  @Test
  void malformedBindings() {
    fails(() -> q("[:find ?x :where [(ground [1 2]) [?x 3]]]", db), "3");
    fails(() -> q("[:find ?x :in [?x :y] :where]", List.of(1L, 2L)), ":y");
  }

  @Test
  void orBranchesWithDifferentVariables() {
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] (or [?m :movie/year ?y] [?m :movie/director ?d])]", db),
        "or");
  }

  @Test
  void orBranchesWithDifferentVariablesSecondBranchBindsMore() {
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] (or [?m :movie/year 1987] [?m :movie/director ?d])]", db),
        "?d");
  }

  @Test
  void orBranchesWithDifferentVariablesWhenABranchIsEmpty() {
    fails(() -> q("[:find ?title :where [?m :movie/title ?title] (or [?m :movie/director ?d] [?m :movie/year 1900])]", db),
        "?d");
  }

  @Test
  void unknownAggregate() {
    fails(() -> q("[:find (average ?y) :where [_ :movie/year ?y]]", db), "average");
  }

  @Test
  void aggregateWithWrongArguments() {
    fails(() -> q("[:find (sample ?y) :where [_ :movie/year ?y]]", db), "sample");
    fails(() -> q("[:find (count 1 2 ?y) :where [_ :movie/year ?y]]", db), "count");
    fails(() -> q("[:find (sum ?t) :where [_ :movie/title ?t]]", db), "sum");
  }

  @Test
  void unknownAttributeInPattern() {
    fails(() -> q("[:find ?r :where [?m :movie/title _] [?m :movie/rating ?r]]", db), ":movie/rating");
  }

  @Test
  void unknownSource() {
    fails(() -> q("[:find ?t :in $ :where [$2 ?m :movie/title ?t]]", db), "$2");
    fails(() -> q("[:find ?t :in $a :where [?m :movie/title ?t]]", db), "$");
  }

  @Test
  void insufficientBindingForPredicate() {
    fails(() -> q("[:find ?t :where [?m :movie/title ?t] [(> ?x 1)]]", db), "?x");
  }

  @Test
  void insufficientBindingForFunction() {
    fails(() -> q("[:find ?t ?y :where [?m :movie/title ?t] [(inc ?x) ?y]]", db), "?x");
  }

  @Test
  void insufficientBindingForNotJoin() {
    fails(() -> q("[:find ?m :where [?m :movie/title _] (not-join [?q] [?q :movie/year 1987])]", db), "?q");
  }

  // ---------------------------------------------------------------- inputs

  @Test
  void tooManyInputs() {
    fails(() -> q("[:find ?t :in $ ?y :where [?m :movie/year ?y] [?m :movie/title ?t]]", db, 1987L, 1988L),
        "3 were given");
  }

  @Test
  void tooFewInputs() {
    fails(() -> q("[:find ?t :in $ ?y :where [?m :movie/year ?y] [?m :movie/title ?t]]", db), "expects 2");
  }

  @Test
  void nilInput() {
    fails(() -> q("[:find ?t :in $ ?y :where [?m :movie/year ?y] [?m :movie/title ?t]]", db, null), "?y");
  }

  @Test
  void nilDatabase() {
    fails(() -> q("[:find ?t :where [?m :movie/title ?t]]", (Object) null), "$");
  }

  @Test
  void collectionInputGivenAScalar() {
    fails(() -> q("[:find ?x :in [?x ...]]", 5L), "?x");
  }

  @Test
  void tupleInputTooShort() {
    fails(() -> q("[:find ?x ?y :in [?x ?y]]", List.of(1L)), "?y");
  }

  @Test
  void sourceInputNotADatabase() {
    fails(() -> q("[:find ?t :in $ :where [?m :movie/title ?t]]", "not a database"), "$", "String");
  }

  @Test
  void pullPatternInputMissing() {
    fails(() -> q("[:find (pull ?m ?p) :where [?m :movie/year 1987]]", db), "?p");
  }

  // ---------------------------------------------------------------- timeout

  static final String EXPENSIVE = "[:find (count ?s) . :where [?a :person/name ?x] [?b :person/name ?y]"
      + " [?c :person/name ?z] [(str ?x ?y ?z) ?s]]";

  @Test
  void queryTimeout() {
    Map<Object, Object> m = new HashMap<>();
    m.put(kw(":query"), EXPENSIVE);
    m.put(kw(":args"), List.of(db));
    m.put(kw(":timeout"), 1L);
    AccreteException e = assertThrows(AccreteException.class, () -> Peer.query(m));
    assertEquals(kw(":db.error/query-timeout"), e.code());
  }

  @Test
  void generousTimeoutLetsTheQueryFinish() {
    Map<Object, Object> m = new HashMap<>();
    m.put(kw(":query"), edn(EXPENSIVE));
    m.put(kw(":args"), List.of(db));
    m.put(kw(":timeout"), 120_000L);
    assertEquals(125_000L, Peer.query(m), "50 names, three times over");
  }

  @Test
  void aCancelledQueryStops() throws Exception {
    java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    Peer.registerFunction("cancel-test-count", args -> calls.incrementAndGet() > 0);
    Map<Object, Object> m = new HashMap<>();
    // 50^4 rows: minutes of work unless it stops.
    m.put(kw(":query"), "[:find (count ?x) . :where [?a :person/name ?x] [?b :person/name ?y]"
        + " [?c :person/name ?z] [?d :person/name ?w] [(cancel-test-count ?x ?y ?z ?w)]]");
    m.put(kw(":args"), List.of(db));
    java.util.concurrent.Future<Object> f = Peer.queryAsync(m);
    long until = System.currentTimeMillis() + 30_000;
    while (calls.get() == 0 && System.currentTimeMillis() < until) {
      Thread.sleep(5);
    }
    assertTrue(calls.get() > 0, "the query ran");
    assertTrue(f.cancel(true));
    assertThrows(java.util.concurrent.CancellationException.class, f::get);
    Thread.sleep(300); // the step in progress ends
    long after = calls.get();
    Thread.sleep(500);
    assertEquals(after, calls.get(), "the query stopped working when it was cancelled");
    assertTrue(after < 6_250_000L, "it did not run to its end");
  }

  @Test
  void anInterruptedThreadStopsItsQuery() {
    Map<Object, Object> m = new HashMap<>();
    m.put(kw(":query"), EXPENSIVE);
    m.put(kw(":args"), List.of(db));
    Thread.currentThread().interrupt();
    try {
      AccreteException e = assertThrows(AccreteException.class, () -> Peer.query(m));
      assertEquals(kw(":db.error/query-cancelled"), e.code());
    } finally {
      Thread.interrupted(); // clear it for the next test
    }
  }

  @Test
  void aStringThatIsNotARegularExpressionIsNamed() {
    fails(() -> q("[:find ?s . :where [(clojure.string/split \"a[b\" \"[\") ?s]]", db), "not a regular expression");
    fails(() -> q("[:find ?s . :where [(re-pattern \"(\") ?s]]", db), "not a regular expression");
  }

  @Test
  void queryMapWithoutQuery() {
    fails(() -> Peer.query(Map.of(kw(":args"), List.of(db))), ":query");
  }
}
