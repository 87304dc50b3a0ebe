package io.accrete.query;

import static io.accrete.query.QuerySupport.coll;
import static io.accrete.query.QuerySupport.inst;
import static io.accrete.query.QuerySupport.kw;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static io.accrete.query.QuerySupport.sym;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Database;
import io.accrete.Peer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Predicates and function expressions: every built-in, Java static methods, user functions. */
public class QueryFunctionsTest {
  final Database db = QuerySupport.movies().db();

  @BeforeAll
  static void register() {
    Peer.registerFunction("qtest-shout", a -> a[0].toString().toUpperCase() + "!");
    Peer.registerFunction("qtest-long?", a -> ((String) a[0]).length() > (Long) a[1]);
    Peer.registerFunction("qtest-split", a -> List.of(((String) a[0]).split(" ")));
  }

  /** The value of {@code [(expr) ?r]} with inputs bound to ?a, ?b, ?c… (null when no binding). */
  static Object call(String expr, Object... args) {
    return q("[:find ?r . :in" + vars(args.length) + " :where [" + expr + " ?r]]", args);
  }

  /** Whether the predicate {@code [(expr)]} holds with inputs bound to ?a, ?b, ?c… */
  static boolean holds(String expr, Object... args) {
    Object r = q("[:find ?ok . :in" + vars(args.length) + " :where [" + expr + "] [(ground :yes) ?ok]]", args);
    return r != null;
  }

  private static String vars(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(" ?").append((char) ('a' + i));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- comparison

  @Test
  void equality() {
    assertTrue(holds("(= ?a ?b)", 1L, 1L));
    assertTrue(holds("(= ?a ?b)", "x", "x"));
    assertTrue(holds("(= ?a ?b ?c)", kw(":k"), kw(":k"), kw(":k")));
    assertFalse(holds("(= ?a ?b)", 1L, 2L));
    assertFalse(holds("(= ?a ?b ?c)", 1L, 1L, 2L));
    assertFalse(holds("(= ?a ?b)", 1L, 1.0), "= is not numeric equivalence: (= 1 1.0) is false");
    assertTrue(holds("(= ?a \"x\")", "x"));
  }

  @Test
  void numericEquivalence() {
    assertTrue(holds("(== ?a ?b)", 1L, 1.0));
    assertTrue(holds("(== ?a ?b ?c)", 2L, 2.0, 2L));
    assertFalse(holds("(== ?a ?b)", 1L, 2L));
  }

  @Test
  void inequality() {
    assertTrue(holds("(!= ?a ?b)", 1L, 2L));
    assertFalse(holds("(!= ?a ?b)", "a", "a"));
    assertTrue(holds("(not= ?a ?b)", "a", "b"));
    assertFalse(holds("(not= ?a ?b)", 3L, 3L));
  }

  @Test
  void ordering() {
    assertTrue(holds("(< ?a ?b)", 1L, 2L));
    assertFalse(holds("(< ?a ?b)", 2L, 2L));
    assertTrue(holds("(< ?a ?b ?c)", 1L, 2L, 3L));
    assertFalse(holds("(< ?a ?b ?c)", 1L, 3L, 2L));
    assertTrue(holds("(<= ?a ?b ?c)", 1L, 1L, 2L));
    assertTrue(holds("(> ?a ?b)", "b", "a"));
    assertFalse(holds("(> ?a ?b)", "a", "b"));
    assertTrue(holds("(>= ?a ?b)", 3L, 3L));
    assertTrue(holds("(>= ?a 2 1)", 3L));
    assertTrue(holds("(< ?a ?b)", inst("1950-01-01"), inst("1960-01-01")));
  }

  @Test
  void orderingAcrossNumericTypes() {
    // Clojure compares numbers by value whatever their types: (<= 1 1.0) and (>= 1 1.0) hold.
    assertAll(
        () -> assertTrue(holds("(< ?a ?b)", 1L, 1.5), "(< 1 1.5)"),
        () -> assertTrue(holds("(> ?a ?b)", 2.5, 2L), "(> 2.5 2)"),
        () -> assertTrue(holds("(<= ?a ?b)", 1L, 1.0), "(<= 1 1.0) is true"),
        () -> assertTrue(holds("(>= ?a ?b)", 1L, 1.0), "(>= 1 1.0) is true"),
        () -> assertTrue(holds("(<= ?a ?b)", 1.0, 1L), "(<= 1.0 1) is true"),
        () -> assertTrue(holds("(>= ?a ?b)", 1.0, 1L), "(>= 1.0 1) is true"),
        () -> assertFalse(holds("(< ?a ?b)", 1L, 1.0), "(< 1 1.0) is false"),
        () -> assertFalse(holds("(> ?a ?b)", 1.0, 1L), "(> 1.0 1) is false"));
  }

  @Test
  void rangeFilterOnLongAttributeWithDoubleBound() {
    // The planner turns these into AVET bounds; the answer must be the same as the plain filter.
    Object r = q("[:find [?t ...] :where [?m :movie/year ?y] [(>= ?y 1995.0)] [?m :movie/title ?t]]", db);
    assertEquals(setOf("Braveheart", "Terminator 3: Rise of the Machines"), coll(r));
    Object r2 = q("[:find [?t ...] :where [?m :movie/year ?y] [(<= ?y 1979.0)] [?m :movie/title ?t]]", db);
    assertEquals(setOf("Alien", "Mad Max"), coll(r2));
  }

  @Test
  void comparisonPredicatesOnMovies() {
    Object r = q("[:find ?t :where [?m :movie/year ?y] [(<= 1990 ?y 1992)] [?m :movie/title ?t]]", db);
    assertEquals(setOf(row("Predator 2"), row("Terminator 2: Judgment Day"), row("Lethal Weapon 3")), rel(r));
  }

  @Test
  void constantOnlyPredicates() {
    assertEquals(setOf("Braveheart"), coll(q("[:find [?t ...] :where [?m :movie/year 1995] [(< 1 2)]"
        + " [?m :movie/title ?t]]", db)));
    assertEquals(Set.of(), coll(q("[:find [?t ...] :where [?m :movie/year 1995] [(> 1 2)]"
        + " [?m :movie/title ?t]]", db)));
  }

  @Test
  void predicatesUseClojureTruthiness() {
    assertFalse(holds("(identity ?a)", false));
    assertTrue(holds("(identity ?a)", "x"));
    assertTrue(holds("(identity ?a)", 0L), "0 is truthy");
    assertTrue(holds("(not= ?a ?b ?c)", 1L, 1L, 2L));
    assertFalse(holds("(not= ?a ?b ?c)", 1L, 1L, 1L));
  }

  // ---------------------------------------------------------------- arithmetic

  @Test
  void addSubtractMultiply() {
    assertEquals(6L, call("(+ ?a ?b ?c)", 1L, 2L, 3L));
    assertEquals(3.5, call("(+ ?a ?b)", 1L, 2.5));
    assertEquals(5L, call("(- ?a ?b ?c)", 10L, 3L, 2L));
    assertEquals(-5L, call("(- ?a)", 5L));
    assertEquals(24L, call("(* ?a ?b ?c)", 2L, 3L, 4L));
    assertEquals(7.5, call("(* ?a ?b)", 3L, 2.5));
  }

  @Test
  void divisionOfLongsTruncates() {
    assertEquals(3L, call("(/ ?a ?b)", 7L, 2L));
    assertEquals(-3L, call("(/ ?a ?b)", -7L, 2L));
    assertEquals(4L, call("(/ ?a ?b)", 8L, 2L));
    assertEquals(3.5, call("(/ ?a ?b)", 7.0, 2L));
  }

  @Test
  void quotRemMod() {
    assertEquals(-3L, call("(quot ?a ?b)", -7L, 2L));
    assertEquals(-1L, call("(rem ?a ?b)", -7L, 2L));
    assertEquals(1L, call("(mod ?a ?b)", -7L, 2L));
    assertEquals(-1L, call("(mod ?a ?b)", 7L, -2L));
    assertEquals(1L, call("(rem ?a ?b)", 7L, -2L));
    assertEquals(3L, call("(quot ?a ?b)", 10L, 3L));
  }

  @Test
  void bigNumbersStayExact() {
    assertEquals(new java.math.BigInteger("3"), call("(+ ?a ?b)", java.math.BigInteger.ONE, 2L));
    assertEquals(new java.math.BigDecimal("3.0"), call("(* ?a ?b)", new java.math.BigDecimal("1.5"), 2L));
    assertEquals(new java.math.BigInteger("9223372036854775808"),
        call("(+ ?a ?b)", new java.math.BigInteger("9223372036854775807"), 1L));
  }

  @Test
  void incDecMaxMin() {
    assertEquals(42L, call("(inc ?a)", 41L));
    assertEquals(0.5, call("(dec ?a)", 1.5));
    assertEquals(7L, call("(max ?a ?b ?c)", 3L, 7L, 5L));
    assertEquals(3L, call("(min ?a ?b ?c)", 3L, 7L, 5L));
    assertEquals(2.5, call("(max ?a ?b)", 1L, 2.5));
    assertEquals("b", call("(max ?a ?b)", "a", "b"));
  }

  @Test
  void arithmeticOnMovies() {
    Object r = q("[:find ?t ?decade :where [?m :movie/title ?t] [?m :movie/year ?y] [(< ?y 1982)]"
        + " [(quot ?y 10) ?d] [(* ?d 10) ?decade]]", db);
    assertEquals(setOf(row("Alien", 1970L), row("Mad Max", 1970L), row("Mad Max 2", 1980L)), rel(r));
  }

  // ---------------------------------------------------------------- strings and values

  @Test
  void strConcatenates() {
    assertEquals("a1:k/w2.5", call("(str \"a\" 1 :k/w nil 2.5)"));
    assertEquals("Die Hard (1988)", call("(str ?a \" (\" ?b \")\")", "Die Hard", 1988L));
    assertEquals("", call("(str)"));
  }

  @Test
  void subs() {
    assertEquals("el", call("(subs ?a 1 3)", "hello"));
    assertEquals("llo", call("(subs ?a 2)", "hello"));
  }

  @Test
  void countOfStringsAndCollections() {
    assertEquals(3L, call("(count ?a)", "abc"));
    assertEquals(2L, call("(count ?a)", List.of(1L, 2L)));
    Object r = q("[:find ?t :where [?m :movie/title ?t] [(count ?t) ?n] [(> ?n 30)]]", db);
    assertEquals(setOf(row("Terminator 3: Rise of the Machines")), rel(r));
  }

  @Test
  void compareAndIdentity() {
    assertEquals(-1L, ((Number) call("(compare ?a ?b)", 1L, 2L)).longValue());
    assertEquals(0L, ((Number) call("(compare ?a ?b)", 2L, 2L)).longValue());
    assertEquals(1L, Long.signum(((Number) call("(compare ?a ?b)", "b", "a")).longValue()));
    assertEquals("same", call("(identity ?a)", "same"));
  }

  @Test
  void numberPredicates() {
    assertTrue(holds("(pos? ?a)", 3L));
    assertFalse(holds("(pos? ?a)", 0L));
    assertTrue(holds("(neg? ?a)", -0.5));
    assertFalse(holds("(neg? ?a)", 0L));
    assertTrue(holds("(zero? ?a)", 0L));
    assertTrue(holds("(zero? ?a)", 0.0));
    assertFalse(holds("(zero? ?a)", 1L));
    assertTrue(holds("(even? ?a)", 4L));
    assertFalse(holds("(even? ?a)", 3L));
    assertTrue(holds("(odd? ?a)", -3L));
    assertFalse(holds("(odd? ?a)", 0L));
  }

  @Test
  void evenAndOddYears() {
    Object odd = q("[:find [?y ...] :where [_ :movie/year ?y] [(odd? ?y)] [(< ?y 1986)]]", db);
    assertEquals(setOf(1979L, 1981L, 1985L), coll(odd));
  }

  @Test
  void containsOnSetsMapsAndVectors() {
    assertTrue(holds("(contains? ?a ?b)", Set.of(1L, 2L), 2L));
    assertFalse(holds("(contains? ?a ?b)", Set.of(1L, 2L), 3L));
    assertTrue(holds("(contains? ?a ?b)", Map.of(kw(":k"), 1L), kw(":k")));
    assertTrue(holds("(contains? #{\"x\" \"y\"} ?a)", "y"));
    assertTrue(holds("(contains? ?a 1)", List.of("a", "b")), "contains? on a vector takes an index");
    Object r = q("[:find [?t ...] :in $ ?wanted :where [?m :movie/year ?y] [(contains? ?wanted ?y)]"
        + " [?m :movie/title ?t]]", db, Set.of(1979L, 1995L));
    assertEquals(setOf("Alien", "Mad Max", "Braveheart"), coll(r));
  }

  @Test
  void namesNamespacesKeywords() {
    assertEquals("title", call("(name ?a)", kw(":movie/title")));
    assertEquals("movie", call("(namespace ?a)", kw(":movie/title")));
    assertEquals("x", call("(name ?a)", sym("a/x")));
    assertNull(call("(namespace ?a)", kw(":plain")), "nil binds nothing");
    assertEquals(kw(":a/b"), call("(keyword ?a ?b)", "a", "b"));
    assertEquals(kw(":x"), call("(keyword ?a)", "x"));
    Object attrs = q("[:find [?n ...] :where [?m :movie/title \"Commando\"] [?m ?a _] [?a :db/ident ?i]"
        + " [(namespace ?i) ?ns] [(= ?ns \"movie\")] [(name ?i) ?n]]", db);
    assertEquals(setOf("title", "year", "director", "cast"), coll(attrs));
  }

  @Test
  void groundBindsConstants() {
    assertEquals(42L, call("(ground 42)"));
    Object r = q("[:find ?x :where [(ground [1 2 2 3]) [?x ...]]]", db);
    assertEquals(setOf(row(1L), row(2L), row(3L)), rel(r));
    Object rels = q("[:find ?n ?k :where [(ground [[1 :a] [2 :b]]) [[?n ?k]]]]", db);
    assertEquals(setOf(row(1L, kw(":a")), row(2L, kw(":b"))), rel(rels));
    Object tup = q("[:find ?b . :where [(ground [1 2 3]) [?a ?b]]]", db);
    assertEquals(2L, tup);
  }

  @Test
  void tupleAndUntuple() {
    assertEquals(List.of(1L, "a"), List.copyOf((List<?>) call("(tuple ?a ?b)", 1L, "a")));
    Object r = q("[:find ?y . :in ?t :where [(untuple ?t) [?x ?y]]]", List.of(1L, 2L));
    assertEquals(2L, r);
    Object blank = q("[:find ?z . :in ?t :where [(untuple ?t) [_ _ ?z]]]", List.of("a", "b", "c"));
    assertEquals("c", blank);
  }

  @Test
  void tupleOfMovieValues() {
    Object r = q("[:find ?pair :where [?m :movie/year 1995] [?m :movie/title ?t] [?m :movie/year ?y]"
        + " [(tuple ?t ?y) ?pair]]", db);
    assertEquals(setOf(row(List.of("Braveheart", 1995L))), rel(r));
  }

  // ---------------------------------------------------------------- regular expressions

  @Test
  void rePattern() {
    Object p = call("(re-pattern ?a)", "[0-9]+");
    assertInstanceOf(Pattern.class, p);
    assertEquals("[0-9]+", ((Pattern) p).pattern());
  }

  @Test
  void reFindMatchesSeq() {
    String pre = "[:find ?r . :in ?s :where [(re-pattern \"[0-9]+\") ?re] ";
    assertEquals("12", q(pre + "[(re-find ?re ?s) ?r]]", "ab12cd345"));
    assertEquals("123", q(pre + "[(re-matches ?re ?s) ?r]]", "123"));
    assertNull(q(pre + "[(re-matches ?re ?s) ?r]]", "12a"));
    Object seq = q("[:find [?m ...] :in ?s :where [(re-pattern \"[0-9]+\") ?re] [(re-seq ?re ?s) [?m ...]]]",
        "a1b22c333");
    assertEquals(setOf("1", "22", "333"), coll(seq));
  }

  @Test
  void reFindWithGroups() {
    Object r = q("[:find ?user ?host :in ?s :where [(re-pattern \"(\\\\w+)@(\\\\w+)\") ?re]"
        + " [(re-find ?re ?s) [_ ?user ?host]]]", "mail ann@acme now");
    assertEquals(setOf(row("ann", "acme")), rel(r));
  }

  @Test
  void reFindAsPredicateOnMovies() {
    Object r = q("[:find [?t ...] :where [?m :movie/title ?t] [(re-pattern \"^Mad Max\") ?re]"
        + " [(re-find ?re ?t)]]", db);
    assertEquals(setOf("Mad Max", "Mad Max 2", "Mad Max Beyond Thunderdome"), coll(r));
  }

  // ---------------------------------------------------------------- clojure.string

  @Test
  void stringPredicates() {
    assertTrue(holds("(clojure.string/starts-with? ?a \"Term\")", "Terminator"));
    assertFalse(holds("(clojure.string/starts-with? ?a \"term\")", "Terminator"));
    assertTrue(holds("(clojure.string/ends-with? ?a \"tor\")", "Terminator"));
    assertTrue(holds("(clojure.string/includes? ?a \"min\")", "Terminator"));
    assertFalse(holds("(clojure.string/includes? ?a \"xyz\")", "Terminator"));
    assertTrue(holds("(clojure.string/blank? ?a)", "  "));
    assertFalse(holds("(clojure.string/blank? ?a)", " x "));
  }

  @Test
  void stringCase() {
    assertEquals("abc", call("(clojure.string/lower-case ?a)", "AbC"));
    assertEquals("ABC", call("(clojure.string/upper-case ?a)", "AbC"));
  }

  @Test
  void stringFunctionsOnMovies() {
    Object r = q("[:find [?t ...] :where [?m :movie/title ?t] [(clojure.string/lower-case ?t) ?l]"
        + " [(clojure.string/includes? ?l \"weapon\")] [(clojure.string/ends-with? ?t \"3\")]]", db);
    assertEquals(setOf("Lethal Weapon 3"), coll(r));
  }

  // ---------------------------------------------------------------- database functions

  @Test
  void missing() {
    Object r = q("[:find [?name ...] :where [?p :person/name ?name] [(missing? $ ?p :person/born)]]", db);
    assertEquals(setOf("Peter MacDonald", "Stephen Hopkins", "Carrie Henn", "Joanne Samuel"), coll(r));
  }

  @Test
  void getElse() {
    Object r = q("[:find ?name ?d :where [?m :movie/title \"Rambo III\"] [?m :movie/cast ?p]"
        + " [?p :person/name ?name] [(get-else $ ?p :person/death \"alive\") ?d]]", db);
    assertEquals(setOf(row("Sylvester Stallone", "alive"), row("Richard Crenna", inst("2003-01-17")),
        row("Marc de Jonge", inst("1996-06-06"))), rel(r));
  }

  @Test
  void getSome() {
    Object r = q("[:find ?name ?attr ?date :where [?m :movie/title \"Rambo III\"] [?m :movie/cast ?p]"
        + " [?p :person/name ?name] [(get-some $ ?p :person/death :person/born) [?a ?date]]"
        + " [?a :db/ident ?attr]]", db);
    assertEquals(setOf(row("Sylvester Stallone", kw(":person/born"), inst("1946-07-06")),
        row("Richard Crenna", kw(":person/death"), inst("2003-01-17")),
        row("Marc de Jonge", kw(":person/death"), inst("1996-06-06"))), rel(r));
  }

  @Test
  void getSomeWithNothingPresentBindsNothing() {
    Object r = q("[:find [?name ...] :where [?p :person/name ?name]"
        + " [(get-some $ ?p :person/death :person/born) ?x]]", db);
    assertEquals(46, ((java.util.Collection<?>) r).size(), "50 people, 4 without born or death");
  }

  // ---------------------------------------------------------------- binding forms of results

  @Test
  void functionResultBindings() {
    Object scalar = q("[:find ?x . :where [(ground 5) ?x]]", db);
    assertEquals(5L, scalar);
    Object tuple = q("[:find ?a ?b :where [(ground [1 2]) [?a ?b]]]", db);
    assertEquals(setOf(row(1L, 2L)), rel(tuple));
    Object collection = q("[:find ?a :where [(ground [\"x\" \"y\"]) [?a ...]]]", db);
    assertEquals(setOf(row("x"), row("y")), rel(collection));
    Object relation = q("[:find ?a ?b :where [(ground [[1 \"x\"] [2 \"y\"]]) [[?a ?b]]]]", db);
    assertEquals(setOf(row(1L, "x"), row(2L, "y")), rel(relation));
    Object blank = q("[:find ?b :where [(ground [[1 \"x\"] [2 \"y\"]]) [[_ ?b]]]]", db);
    assertEquals(setOf(row("x"), row("y")), rel(blank));
  }

  @Test
  void functionOutputAlreadyBoundActsAsFilter() {
    Object r = q("[:find ?t :where [?m :movie/title ?t] [?m :movie/year ?y] [(ground 1984) ?y]]", db);
    assertEquals(setOf(row("The Terminator")), rel(r));
  }

  @Test
  void functionWithNilResultBindsNothing() {
    Object r = q("[:find ?name :where [?p :person/name ?name] [(re-pattern \"^Mel\") ?re]"
        + " [(re-find ?re ?name) ?match]]", db);
    assertEquals(setOf(row("Mel Gibson")), rel(r));
  }

  // ---------------------------------------------------------------- Java and user functions

  @Test
  void javaStaticMethods() {
    assertEquals(5L, call("(java.lang.Math/abs ?a)", -5L));
    assertEquals(2.5, call("(java.lang.Math/abs ?a)", -2.5));
    assertEquals(7L, call("(java.lang.Math/max ?a ?b)", 3L, 7L));
    assertEquals(42L, call("(java.lang.Integer/parseInt ?a)", "42"), "ints come back as longs");
    assertEquals("1988", call("(java.lang.String/valueOf ?a)", 1988L));
  }

  @Test
  void javaStaticMethodAsPredicateAndFunction() {
    assertTrue(holds("(java.lang.Boolean/parseBoolean ?a)", "true"));
    assertFalse(holds("(java.lang.Boolean/parseBoolean ?a)", "nope"));
    Object r = q("[:find [?y ...] :where [_ :movie/year ?y] [(java.lang.Math/floorMod ?y 100) ?r]"
        + " [(< ?r 80)]]", db);
    assertEquals(setOf(1979L, 2003L), coll(r));
  }

  @Test
  void javaStaticMethodOfTestClass() {
    assertEquals("<<Alien>>", call("(io.accrete.query.QueryFunctionsTest/bracket ?a)", "Alien"));
  }

  public static String bracket(String s) {
    return "<<" + s + ">>";
  }

  @Test
  void registeredFunctions() {
    assertEquals("HI!", call("(qtest-shout ?a)", "hi"));
    Object r = q("[:find [?loud ...] :where [?m :movie/year 1987] [?m :movie/title ?t] [(qtest-shout ?t) ?loud]]", db);
    assertEquals(setOf("PREDATOR!", "LETHAL WEAPON!", "ROBOCOP!"), coll(r));
    Object pred = q("[:find [?t ...] :where [?m :movie/title ?t] [(qtest-long? ?t 30)]]", db);
    assertEquals(setOf("Terminator 3: Rise of the Machines"), coll(pred));
    Object words = q("[:find [?w ...] :where [?m :movie/title \"Lethal Weapon 2\"] [?m :movie/title ?t]"
        + " [(qtest-split ?t) [?w ...]]]", db);
    assertEquals(setOf("Lethal", "Weapon", "2"), coll(words));
  }

  @Test
  void functionsNamespacedUnderClojureCore() {
    assertEquals(4L, call("(clojure.core/inc ?a)", 3L));
  }
}
