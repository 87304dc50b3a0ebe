package io.accrete.query;

import static io.accrete.query.QuerySupport.coll;
import static io.accrete.query.QuerySupport.inst;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Database;
import io.accrete.Peer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Built-in aggregates, grouping, :with, and user aggregates (registered and Class/method). */
public class QueryAggregatesTest {
  final Database db = QuerySupport.movies().db();

  static final Set<String> TITLES = Set.of("Alien", "Aliens", "Braveheart", "Commando", "Die Hard",
      "First Blood", "Lethal Weapon", "Lethal Weapon 2", "Lethal Weapon 3", "Mad Max", "Mad Max 2",
      "Mad Max Beyond Thunderdome", "Predator", "Predator 2", "Rambo III", "Rambo: First Blood Part II",
      "RoboCop", "Terminator 2: Judgment Day", "Terminator 3: Rise of the Machines", "The Terminator");

  @BeforeAll
  static void register() {
    Peer.registerAggregate("qtest-longest", values -> values.stream().map(String.class::cast)
        .max((a, b) -> a.length() != b.length() ? Integer.compare(a.length(), b.length()) : b.compareTo(a))
        .orElse(null));
    Peer.registerAggregate("qtest-bag-size", values -> (long) values.size());
  }

  /** A bag of numbers as a relation [[i x]] so duplicates survive (:with ?i). */
  static List<List<Object>> bagOf(Object... xs) {
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      out.add(List.of((long) i, xs[i]));
    }
    return out;
  }

  static Object agg(String aggregate, Object... xs) {
    return q("[:find " + aggregate + " . :with ?i :in [[?i ?x]]]", bagOf(xs));
  }

  // ---------------------------------------------------------------- count

  @Test
  void countAndCountDistinct() {
    Object r = q("[:find (count ?y) (count-distinct ?y) :with ?m :where [?m :movie/year ?y]]", db);
    assertEquals(setOf(row(20L, 14L)), rel(r));
    assertEquals(14L, q("[:find (count ?y) . :where [_ :movie/year ?y]]", db), "no :with: distinct years");
    assertEquals(5L, agg("(count ?x)", 1L, 1L, 2L, 2L, 2L));
    assertEquals(2L, agg("(count-distinct ?x)", 1L, 1L, 2L, 2L, 2L));
  }

  @Test
  void countPerGroup() {
    Object r = q("[:find ?t (count ?p) :where [?m :movie/title ?t] [?m :movie/cast ?p]"
        + " [(contains? #{\"Terminator 2: Judgment Day\" \"Braveheart\" \"Alien\"} ?t)]]", db);
    assertEquals(setOf(row("Terminator 2: Judgment Day", 4L), row("Braveheart", 2L), row("Alien", 3L)), rel(r));
  }

  // ---------------------------------------------------------------- sum, avg, median, variance

  @Test
  void sum() {
    assertEquals(6L, agg("(sum ?x)", 1L, 2L, 3L));
    assertEquals(4.0, agg("(sum ?x)", 1.5, 2.5));
    assertEquals(5.5, agg("(sum ?x)", 3L, 2.5));
    assertEquals(4L, agg("(sum ?x)", 2L, 2L), "a bag: both 2s count");
  }

  @Test
  void otherAggregatedVariablesKeepTheirRows() {
    // The tuples aggregated are over all find variables: ?m keeps the three 1987 movies apart.
    Object r = q("[:find (sum ?y) (count ?m) :where [?m :movie/year ?y] [(= ?y 1987)]]", db);
    assertEquals(setOf(row(5961L, 3L)), rel(r));
    assertEquals(1987L, q("[:find (sum ?y) . :where [?m :movie/year ?y] [(= ?y 1987)]]", db));
  }

  @Test
  void avg() {
    assertEquals(2.5, agg("(avg ?x)", 1L, 2L, 3L, 4L));
    assertEquals(3.0, agg("(avg ?x)", 2L, 4L));
    assertEquals(1987.0, q("[:find (avg ?y) . :with ?m :where [?m :movie/year ?y] [(>= ?y 1985)]"
        + " [(<= ?y 1990)]]", db));
  }

  @Test
  void medianOddCount() {
    assertEquals(2L, agg("(median ?x)", 3L, 1L, 2L));
    assertEquals(5L, agg("(median ?x)", 9L, 5L, 5L, 1L, 7L));
    assertEquals(1987L, q("[:find (median ?y) . :with ?m :where [?m :movie/year ?y] [(>= ?y 1985)]"
        + " [(<= ?y 1990)]]", db), "11 movies from 1985 to 1990");
  }

  @Test
  void medianOfAnEvenCountTruncatesTheMiddlePairsMeanAsDatomicDoes() {
    // Datomic: (quot (+ lo hi) 2), in the values' type: 2 and 3 give 2, 2.5 and 2.5 give 2.0.
    assertEquals(2L, agg("(median ?x)", 4L, 1L, 3L, 2L));
    assertEquals(2L, agg("(median ?x)", 1L, 3L));
    assertEquals(-2L, agg("(median ?x)", -2L, -3L), "toward zero");
    assertEquals(2.0, agg("(median ?x)", 1.0, 2.5, 2.5, 3.0));
    // 14 distinct years: the 7th and 8th are 1987 and 1988.
    assertEquals(1987L, q("[:find (median ?y) . :where [_ :movie/year ?y]]", db));
  }

  @Test
  void varianceAndStddevArePopulationStatistics() {
    assertEquals(1.25, agg("(variance ?x)", 1L, 2L, 3L, 4L));
    assertEquals(Math.sqrt(1.25), agg("(stddev ?x)", 1L, 2L, 3L, 4L));
    assertEquals(0.0, agg("(variance ?x)", 7L));
    Object r = q("[:find (variance ?y) (stddev ?y) :with ?m :where [?m :movie/year ?y] [(>= ?y 1985)]"
        + " [(<= ?y 1990)]]", db);
    assertEquals(setOf(row(28.0 / 11, Math.sqrt(28.0 / 11))), rel(r));
  }

  // ---------------------------------------------------------------- min and max

  @Test
  void minMaxOfNumbersStringsInstants() {
    assertEquals(setOf(row(1979L, 2003L)), rel(q("[:find (min ?y) (max ?y) :where [_ :movie/year ?y]]", db)));
    assertEquals(setOf(row("Alan Rickman", "Veronica Cartwright")),
        rel(q("[:find (min ?n) (max ?n) :where [_ :person/name ?n]]", db)));
    assertEquals(setOf(row(inst("1926-11-30"), inst("1979-12-05"))),
        rel(q("[:find (min ?b) (max ?b) :where [_ :person/born ?b]]", db)));
    assertEquals(-2.5, agg("(min ?x)", 3L, -2.5, 1L));
  }

  @Test
  void minMaxPerGroup() {
    Object r = q("[:find ?d (count ?m) (min ?y) (max ?y) :where [?m :movie/director ?p]"
        + " [?p :person/name ?d] [?m :movie/year ?y]"
        + " [(contains? #{\"George Miller\" \"James Cameron\" \"John McTiernan\"} ?d)]]", db);
    assertEquals(setOf(row("George Miller", 3L, 1979L, 1985L), row("James Cameron", 3L, 1984L, 1991L),
        row("John McTiernan", 2L, 1987L, 1988L)), rel(r));
  }

  @Test
  void minNAndMaxN() {
    Object r = q("[:find [(min 2 ?y) (max 3 ?y)] :where [_ :movie/year ?y]]", db);
    List<?> t = (List<?>) r;
    assertEquals(List.of(1979L, 1981L), List.copyOf((List<?>) t.get(0)), "ascending");
    assertEquals(List.of(2003L, 1995L, 1992L), List.copyOf((List<?>) t.get(1)), "descending");
    Object all = agg("(max 10 ?x)", 1L, 3L, 2L);
    assertEquals(List.of(3L, 2L, 1L), List.copyOf((List<?>) all), "n larger than the group gives all");
  }

  @Test
  void minNPerGroup() {
    Object r = q("[:find ?d (min 2 ?t) :where [?m :movie/director ?p] [?p :person/name ?d]"
        + " [?m :movie/title ?t] [(= ?d \"Richard Donner\")]]", db);
    List<List<Object>> rows = QuerySupport.bag(r);
    assertEquals(1, rows.size());
    assertEquals("Richard Donner", rows.get(0).get(0));
    assertEquals(List.of("Lethal Weapon", "Lethal Weapon 2"), List.copyOf((List<?>) rows.get(0).get(1)));
  }

  // ---------------------------------------------------------------- distinct, rand, sample

  @Test
  void distinctAggregate() {
    Object r = q("[:find (distinct ?y) . :with ?m :where [?m :movie/year ?y] [(< ?y 1986)]]", db);
    assertInstanceOf(Set.class, r);
    assertEquals(setOf(1979L, 1981L, 1982L, 1984L, 1985L), new HashSet<>((Set<?>) r));
    Object perYear = q("[:find ?y (distinct ?n) :where [?m :movie/year ?y] [(< ?y 1980)] [?m :movie/cast ?p]"
        + " [?p :person/name ?n]]", db);
    List<List<Object>> rows = QuerySupport.bag(perYear);
    assertEquals(1, rows.size());
    assertEquals(Set.of("Tom Skerritt", "Sigourney Weaver", "Veronica Cartwright", "Mel Gibson",
        "Steve Bisley", "Joanne Samuel"), new HashSet<>((Set<?>) rows.get(0).get(1)));
  }

  @Test
  void randPicksAMember() {
    for (int i = 0; i < 5; i++) {
      Object t = q("[:find (rand ?t) . :where [_ :movie/title ?t]]", db);
      assertTrue(TITLES.contains(t), String.valueOf(t));
    }
  }

  @Test
  void randNPicksNMembersWithReplacement() {
    Object r = q("[:find (rand 5 ?t) . :where [_ :movie/title ?t]]", db);
    List<?> picked = (List<?>) r;
    assertEquals(5, picked.size());
    assertTrue(TITLES.containsAll(picked), picked.toString());
  }

  @Test
  void sampleIsDistinctAndBounded() {
    for (int i = 0; i < 5; i++) {
      List<?> s = (List<?>) q("[:find (sample 3 ?t) . :where [_ :movie/title ?t]]", db);
      assertEquals(3, s.size());
      assertEquals(3, new HashSet<>(s).size(), "sample picks distinct values");
      assertTrue(TITLES.containsAll(s), s.toString());
    }
    List<?> all = (List<?>) q("[:find (sample 50 ?t) . :where [_ :movie/title ?t]]", db);
    assertEquals(TITLES, new HashSet<>(all), "a sample bigger than the group is the whole group");
    List<?> dup = (List<?>) agg("(sample 5 ?x)", 1L, 1L, 1L, 2L);
    assertEquals(Set.of(1L, 2L), new HashSet<>(dup));
    assertEquals(2, dup.size());
  }

  // ---------------------------------------------------------------- user aggregates

  @Test
  void registeredAggregate() {
    assertEquals("Terminator 3: Rise of the Machines", q("[:find (qtest-longest ?t) . :where [_ :movie/title ?t]]", db));
    Object r = q("[:find ?y (qtest-longest ?t) :where [?m :movie/year ?y] [(< ?y 1982)] [?m :movie/title ?t]]", db);
    assertEquals(setOf(row(1979L, "Mad Max"), row(1981L, "Mad Max 2")), rel(r));
    assertEquals(20L, q("[:find (qtest-bag-size ?y) . :with ?m :where [?m :movie/year ?y]]", db),
        "a user aggregate sees the bag when :with is given");
  }

  @Test
  void staticMethodAggregate() {
    Object r = q("[:find (io.accrete.query.QueryAggregatesTest/joinSorted ?t) . :where [?m :movie/year 1987]"
        + " [?m :movie/title ?t]]", db);
    assertEquals("Lethal Weapon|Predator|RoboCop", r);
  }

  @Test
  void staticMethodAggregateWithConstantArgument() {
    Object r = q("[:find ?d (io.accrete.query.QueryAggregatesTest/firstN 2 ?t) :where [?m :movie/director ?p]"
        + " [?p :person/name ?d] [?m :movie/title ?t] [(= ?d \"James Cameron\")]]", db);
    assertEquals(setOf(row("James Cameron", "Aliens|Terminator 2: Judgment Day")), rel(r));
  }

  /** A user aggregate: the group's values, sorted and joined with |. */
  public static String joinSorted(Collection<?> values) {
    return values.stream().map(String::valueOf).sorted().collect(Collectors.joining("|"));
  }

  /** A user aggregate with a constant argument: the first n sorted values joined with |. */
  public static String firstN(Long n, Collection<?> values) {
    return values.stream().map(String::valueOf).sorted().limit(n).collect(Collectors.joining("|"));
  }
}
