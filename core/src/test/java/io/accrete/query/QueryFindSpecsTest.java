package io.accrete.query;

import static io.accrete.query.QuerySupport.bag;
import static io.accrete.query.QuerySupport.coll;
import static io.accrete.query.QuerySupport.edn;
import static io.accrete.query.QuerySupport.kw;
import static io.accrete.query.QuerySupport.maps;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static io.accrete.query.QuerySupport.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.edn.EdnList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Find specs, return maps, :with, pull in :find, map-form queries and queries given as data. */
class QueryFindSpecsTest {
  final Database db = QuerySupport.movies().db();

  // ---------------------------------------------------------------- the four find shapes

  @Test
  void relationFindReturnsASetOfRows() {
    Object r = Peer.q("[:find ?title ?year :where [?m :movie/title ?title] [?m :movie/year ?year]"
        + " [(< ?year 1982)]]", db);
    assertInstanceOf(Collection.class, r);
    assertEquals(3, ((Collection<?>) r).size());
    assertEquals(setOf(row("Alien", 1979L), row("Mad Max", 1979L), row("Mad Max 2", 1981L)), rel(r));
  }

  @Test
  void relationFindRemovesDuplicateRows() {
    Object r = Peer.q("[:find ?y :where [_ :movie/year ?y]]", db);
    assertEquals(14, ((Collection<?>) r).size(), "20 movies, 14 distinct years");
  }

  @Test
  void relationFindWithNoMatchIsEmpty() {
    Object r = Peer.q("[:find ?t :where [?m :movie/title ?t] [?m :movie/year 1900]]", db);
    assertTrue(((Collection<?>) r).isEmpty());
  }

  @Test
  void collectionFind() {
    Object r = Peer.q("[:find [?title ...] :where [?m :movie/year 1987] [?m :movie/title ?title]]", db);
    assertInstanceOf(Collection.class, r);
    assertEquals(3, ((Collection<?>) r).size());
    assertEquals(setOf("Predator", "Lethal Weapon", "RoboCop"), coll(r));
  }

  @Test
  void collectionFindIsDistinct() {
    Collection<?> r = Peer.q("[:find [?y ...] :where [_ :movie/year ?y]]", db);
    assertEquals(14, r.size());
    assertEquals(setOf(1979L, 1981L, 1982L, 1984L, 1985L, 1986L, 1987L, 1988L, 1989L, 1990L, 1991L,
        1992L, 1995L, 2003L), coll(r));
  }

  @Test
  void collectionFindWithNoMatchIsEmpty() {
    Collection<?> r = Peer.q("[:find [?t ...] :where [?m :movie/title ?t] [?m :movie/year 1900]]", db);
    assertTrue(r.isEmpty());
  }

  @Test
  void tupleFind() {
    Object r = Peer.q("[:find [?title ?year ?dir] :where [?m :movie/title \"Die Hard\"]"
        + " [?m :movie/title ?title] [?m :movie/year ?year] [?m :movie/director ?d]"
        + " [?d :person/name ?dir]]", db);
    assertInstanceOf(List.class, r);
    assertEquals(List.of("Die Hard", 1988L, "John McTiernan"), List.copyOf((List<?>) r));
  }

  @Test
  void tupleFindWithNoMatchIsNil() {
    assertNull(Peer.q("[:find [?t ?y] :where [?m :movie/title ?t] [?m :movie/year ?y]"
        + " [(> ?y 2020)]]", db));
  }

  @Test
  void tupleFindOfAggregates() {
    List<?> r = Peer.q("[:find [(min ?y) (max ?y) (count ?y)] :where [_ :movie/year ?y]]", db);
    assertEquals(List.of(1979L, 2003L, 14L), List.copyOf(r));
  }

  @Test
  void scalarFind() {
    Object r = Peer.q("[:find ?year . :where [?m :movie/title \"Aliens\"] [?m :movie/year ?year]]", db);
    assertEquals(1986L, r);
  }

  @Test
  void scalarFindWithNoMatchIsNil() {
    assertNull(Peer.q("[:find ?y . :where [?m :movie/title \"Titanic\"] [?m :movie/year ?y]]", db));
  }

  @Test
  void scalarFindOfAggregate() {
    assertEquals(2003L, (Object) Peer.q("[:find (max ?y) . :where [_ :movie/year ?y]]", db));
    assertEquals(20L, (Object) Peer.q("[:find (count ?m) . :where [?m :movie/title]]", db));
  }

  @Test
  void aggregateOverNoRowsIsNoResult() {
    assertNull(Peer.q("[:find (count ?m) . :where [?m :movie/year 1900]]", db));
    assertTrue(((Collection<?>) Peer.q("[:find (count ?m) :where [?m :movie/year 1900]]", db)).isEmpty());
  }

  // ---------------------------------------------------------------- return maps

  @Test
  void keysReturnMaps() {
    Object r = Peer.q("[:find ?title ?year :keys title year :where [?m :movie/title ?title]"
        + " [?m :movie/year ?year] [(< ?year 1980)]]", db);
    assertEquals(setOf(Map.of(kw(":title"), "Alien", kw(":year"), 1979L),
        Map.of(kw(":title"), "Mad Max", kw(":year"), 1979L)), maps(r));
  }

  @Test
  void strsReturnMaps() {
    Object r = Peer.q("[:find ?title ?year :strs title year :where [?m :movie/title ?title]"
        + " [?m :movie/year ?year] [(>= ?year 1995)]]", db);
    assertEquals(setOf(Map.of("title", "Braveheart", "year", 1995L),
        Map.of("title", "Terminator 3: Rise of the Machines", "year", 2003L)), maps(r));
  }

  @Test
  void symsReturnMaps() {
    Object r = Peer.q("[:find ?title :syms t :where [?m :movie/title ?title] [?m :movie/year 1986]]", db);
    assertEquals(setOf(Map.of(sym("t"), "Aliens")), maps(r));
  }

  @Test
  void keysWithAggregates() {
    Object r = Peer.q("[:find ?y (count ?m) :keys year n :where [?m :movie/year ?y] [(< ?y 1983)]]", db);
    assertEquals(setOf(Map.of(kw(":year"), 1979L, kw(":n"), 2L), Map.of(kw(":year"), 1981L, kw(":n"), 1L),
        Map.of(kw(":year"), 1982L, kw(":n"), 1L)), maps(r));
  }

  @Test
  void keysWithPull() {
    Object r = q("[:find (pull ?m [:movie/title]) ?y :keys movie year :where [?m :movie/year ?y]"
        + " [(> ?y 2000)]]", db);
    assertEquals(setOf(Map.of(kw(":movie"), Map.of(kw(":movie/title"), "Terminator 3: Rise of the Machines"),
        kw(":year"), 2003L)), maps(r));
  }

  // ---------------------------------------------------------------- :with

  @Test
  void withKeepsDuplicates() {
    Collection<?> r = Peer.q("[:find ?y :with ?m :where [?m :movie/year ?y]]", db);
    assertEquals(20, r.size());
    List<List<Object>> rows = bag(r);
    assertEquals(3, Collections.frequency(rows, row(1987L)));
    assertEquals(3, Collections.frequency(rows, row(1985L)));
    assertEquals(1, Collections.frequency(rows, row(2003L)));
  }

  @Test
  void withChangesAggregateInput() {
    assertEquals(27832L, (Object) Peer.q("[:find (sum ?y) . :where [_ :movie/year ?y]]", db),
        "without :with the distinct years are summed");
    assertEquals(39743L, (Object) Peer.q("[:find (sum ?y) . :with ?m :where [?m :movie/year ?y]]", db),
        "with :with every movie's year counts");
  }

  @Test
  void withGroupsAggregatePerFindVariable() {
    // Cast members per director (Donner: 3 Lethal Weapons, 4 distinct people; :with ?m counts
    // each appearance).
    Object r = Peer.q("[:find ?dn (count ?p) :with ?m :where [?d :person/name \"Richard Donner\"]"
        + " [?d :person/name ?dn] [?m :movie/director ?d] [?m :movie/cast ?p]]", db);
    assertEquals(setOf(row("Richard Donner", 9L)), rel(r));
    Object distinct = Peer.q("[:find ?dn (count-distinct ?p) :where [?d :person/name \"Richard Donner\"]"
        + " [?d :person/name ?dn] [?m :movie/director ?d] [?m :movie/cast ?p]]", db);
    assertEquals(setOf(row("Richard Donner", 4L)), rel(distinct));
  }

  // ---------------------------------------------------------------- pull in :find

  @Test
  void pullWithLiteralPattern() {
    Object r = Peer.q("[:find (pull ?m [:movie/title :movie/year]) :where [?m :movie/sequel _]"
        + " [?m :movie/year 1987]]", db);
    assertEquals(setOf(row(Map.of(kw(":movie/title"), "Predator", kw(":movie/year"), 1987L)),
        row(Map.of(kw(":movie/title"), "Lethal Weapon", kw(":movie/year"), 1987L))), rel(r));
  }

  @Test
  void pullNestedRefsNextToAVariable() {
    Object r = Peer.q("[:find ?y (pull ?m [:movie/title {:movie/director [:person/name]}])"
        + " :where [?m :movie/title \"Die Hard\"] [?m :movie/year ?y]]", db);
    Map<Object, Object> expected = new LinkedHashMap<>();
    expected.put(kw(":movie/title"), "Die Hard");
    expected.put(kw(":movie/director"), List.of(Map.of(kw(":person/name"), "John McTiernan")));
    assertEquals(setOf(row(1988L, expected)), rel(r));
  }

  @Test
  void pullPatternAsInput() {
    Object pattern = List.of(kw(":movie/year"));
    Object r = Peer.q("[:find (pull ?m ?pat) . :in $ ?pat ?t :where [?m :movie/title ?t]]",
        db, pattern, "Aliens");
    assertEquals(Map.of(kw(":movie/year"), 1986L), r);
    Object r2 = Peer.q("[:find (pull ?m ?pat) . :in $ ?pat ?t :where [?m :movie/title ?t]]",
        db, edn("[:movie/title]"), "Aliens");
    assertEquals(Map.of(kw(":movie/title"), "Aliens"), r2);
  }

  @Test
  void pullInCollectionFind() {
    Collection<?> r = Peer.q("[:find [(pull ?p [:person/name]) ...] :where [?m :movie/title \"Aliens\"]"
        + " [?m :movie/cast ?p]]", db);
    assertEquals(setOf(Map.of(kw(":person/name"), "Sigourney Weaver"),
        Map.of(kw(":person/name"), "Carrie Henn"), Map.of(kw(":person/name"), "Michael Biehn")), coll(r));
  }

  @Test
  void pullWildcardIncludesDbId() {
    Long id = Peer.q("[:find ?m . :where [?m :movie/title \"Braveheart\"]]", db);
    Map<?, ?> m = Peer.q("[:find (pull ?m [*]) . :where [?m :movie/title \"Braveheart\"]]", db);
    assertEquals(id, m.get(kw(":db/id")));
    assertEquals(1995L, m.get(kw(":movie/year")));
  }

  // ---------------------------------------------------------------- map form and data

  @Test
  void mapFormQueryAsText() {
    Object r = Peer.q("{:find [?t] :in [$ ?y] :where [[?m :movie/year ?y] [?m :movie/title ?t]]}",
        db, 1986L);
    assertEquals(setOf(row("Aliens")), rel(r));
  }

  @Test
  void mapFormQueryAsData() {
    Map<Object, Object> q = new LinkedHashMap<>();
    q.put(kw(":find"), List.of(List.of(sym("?t"), sym("..."))));
    q.put(kw(":in"), List.of(sym("$"), sym("?y")));
    q.put(kw(":where"), List.of(List.of(sym("?m"), kw(":movie/year"), sym("?y")),
        List.of(sym("?m"), kw(":movie/title"), sym("?t"))));
    assertEquals(setOf("Predator", "Lethal Weapon", "RoboCop"), coll(Peer.q(q, db, 1987L)));
  }

  @Test
  void mapFormWithKeysAndWith() {
    Object r = Peer.q("{:find [?y (count ?m)] :keys [year n] :with [] :where [[?m :movie/year ?y]"
        + " [(= ?y 1985)]]}", db);
    assertEquals(setOf(Map.of(kw(":year"), 1985L, kw(":n"), 3L)), maps(r));
  }

  @Test
  void listQueryAsDataWithPlainListsForFunctionCalls() {
    List<Object> q = List.of(kw(":find"), sym("?t"), kw(":where"),
        List.of(sym("?m"), kw(":movie/year"), sym("?y")),
        List.of(List.of(sym("<"), sym("?y"), 1980L)),
        List.of(List.of(sym("str"), sym("?y"), "!"), sym("?label")),
        List.of(sym("?m"), kw(":movie/title"), sym("?title")),
        List.of(List.of(sym("str"), sym("?title"), " ", sym("?label")), sym("?t")));
    assertEquals(setOf(row("Alien 1979!"), row("Mad Max 1979!")), rel(Peer.q(q, db)));
  }

  @Test
  void listQueryAsDataWithEdnListsForFunctionCallsAndNot() {
    List<Object> q = List.of(kw(":find"), sym("?t"), kw(":where"),
        List.of(sym("?m"), kw(":movie/year"), sym("?y")),
        List.of(EdnList.of(sym(">"), sym("?y"), 1990L)),
        EdnList.of(sym("not"), List.of(sym("?m"), kw(":movie/year"), 2003L)),
        List.of(sym("?m"), kw(":movie/title"), sym("?t")));
    assertEquals(setOf(row("Terminator 2: Judgment Day"), row("Lethal Weapon 3"), row("Braveheart")),
        rel(Peer.q(q, db)));
  }

  @Test
  void listQueryAsDataWithPlainListNotOrAnd() {
    List<Object> q = List.of(kw(":find"), sym("?t"), kw(":where"),
        List.of(sym("?m"), kw(":movie/title"), sym("?t")),
        List.of(sym("or"),
            List.of(sym("and"), List.of(sym("?m"), kw(":movie/year"), 1987L),
                List.of(sym("?m"), kw(":movie/sequel"), sym("_"))),
            List.of(sym("?m"), kw(":movie/year"), 2003L)),
        List.of(sym("not"), List.of(sym("?m"), kw(":movie/title"), "Predator")));
    assertEquals(setOf(row("Lethal Weapon"), row("Terminator 3: Rise of the Machines")), rel(Peer.q(q, db)));
  }

  @Test
  void aggregateAsEdnListInFind() {
    List<Object> q = List.of(kw(":find"), EdnList.of(sym("count"), sym("?m")), kw(":where"),
        List.of(sym("?m"), kw(":movie/year"), 1987L));
    assertEquals(setOf(row(3L)), rel(Peer.q(q, db)));
  }

  @Test
  void aggregateAsPlainListInFindNextToAVariable() {
    List<Object> q = List.of(kw(":find"), sym("?y"), List.of(sym("count"), sym("?m")), kw(":where"),
        List.of(sym("?m"), kw(":movie/year"), sym("?y")), List.of(List.of(sym("<"), sym("?y"), 1981L)));
    assertEquals(setOf(row(1979L, 2L)), rel(Peer.q(q, db)));
  }

  @Test
  void aggregateAsPlainListAloneInFind() {
    // A plain java List starting with a non-variable symbol can only be an aggregate (a tuple
    // find spec holds variables, aggregates or pulls, never a bare function symbol).
    List<Object> q = List.of(kw(":find"), List.of(sym("count"), sym("?m")), kw(":where"),
        List.of(sym("?m"), kw(":movie/year"), 1987L));
    assertEquals(setOf(row(3L)), rel(Peer.q(q, db)));
  }

  @Test
  void scalarAggregateAsPlainList() {
    List<Object> q = List.of(kw(":find"), List.of(sym("max"), sym("?y")), sym("."), kw(":where"),
        List.of(sym("_"), kw(":movie/year"), sym("?y")));
    assertEquals(2003L, (Object) Peer.q(q, db));
  }

  @Test
  void sameQueryTextTwiceGivesSameResultWithDifferentInputs() {
    String q = "[:find [?t ...] :in $ ?y :where [?m :movie/year ?y] [?m :movie/title ?t]]";
    assertEquals(setOf("Alien", "Mad Max"), coll(Peer.q(q, db, 1979L)));
    assertEquals(setOf("Braveheart"), coll(Peer.q(q, db, 1995L)));
  }

  @Test
  void resultSetsCompareByValue() {
    Set<?> a = (Set<?>) Peer.q("[:find ?t :where [?m :movie/title ?t] [?m :movie/year 1995]]", db);
    assertEquals(Set.of(List.of("Braveheart")), a);
  }
}
