package io.accrete.query;

import static io.accrete.query.QuerySupport.coll;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Database;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Negation and disjunction: not, not-join, or, or-join (with required vars), and inside or. */
class QueryNotOrTest {
  final Database db = QuerySupport.movies().db();

  @Test
  void notWithOneClause() {
    Object r = q("[:find [?t ...] :where [?m :movie/title ?t] (not [?m :movie/sequel _])]", db);
    assertEquals(setOf("RoboCop", "Commando", "Die Hard", "Terminator 3: Rise of the Machines", "Rambo III",
        "Predator 2", "Lethal Weapon 3", "Aliens", "Mad Max Beyond Thunderdome", "Braveheart"), coll(r));
  }

  @Test
  void notWithSeveralClausesAndLocalVariables() {
    Object r = q("[:find [?name ...] :where [_ :movie/cast ?p] [?p :person/name ?name]"
        + " (not [?m :movie/cast ?p] [?m :movie/year ?y] [(< ?y 1985)])]", db);
    assertEquals(setOf("Alan Rickman", "Alexander Godunov", "Alyssa Milano", "Bruce Willis", "Carl Weathers",
        "Carrie Henn", "Charles Napier", "Claire Danes", "Danny Glover", "Edward Furlong", "Elpidia Carrillo",
        "Gary Busey", "Joe Pesci", "Marc de Jonge", "Nancy Allen", "Nick Stahl", "Peter Weller",
        "Rae Dawn Chong", "Robert Patrick", "Ronny Cox", "Ruben Blades", "Sophie Marceau", "Tina Turner"), coll(r));
  }

  @Test
  void notWithPredicateOnly() {
    Object r = q("[:find [?y ...] :where [_ :movie/year ?y] (not [(< ?y 1990)])]", db);
    assertEquals(setOf(1990L, 1991L, 1992L, 1995L, 2003L), coll(r));
  }

  @Test
  void notOnInputVariable() {
    Object r = q("[:find [?title ...] :in $ [?title ...] :where (not [_ :movie/title ?title])]", db,
        List.of("Alien", "Titanic", "Heat"));
    assertEquals(setOf("Titanic", "Heat"), coll(r));
  }

  @Test
  void notJoin() {
    Object r = q("[:find (count ?p) . :where [_ :movie/cast ?p] (not-join [?p] [?m :movie/cast ?p]"
        + " [?m :movie/year 1987])]", db);
    assertEquals(28L, r, "37 actors, 9 of them in a 1987 movie");
  }

  @Test
  void notJoinDirectorsWhoAlsoActed() {
    Object r = q("[:find [?name ...] :where [_ :movie/director ?d] [?d :person/name ?name]"
        + " (not (not-join [?d] [_ :movie/cast ?d]))]", db);
    assertEquals(setOf("Mel Gibson"), coll(r));
  }

  @Test
  void orOfPatterns() {
    Object r = q("[:find [?t ...] :where (or [?m :movie/year 1979] [?m :movie/year 1981]) [?m :movie/title ?t]]", db);
    assertEquals(setOf("Alien", "Mad Max", "Mad Max 2"), coll(r));
  }

  @Test
  void orWithAndBranches() {
    Object r = q("[:find [?t ...] :where [?m :movie/title ?t] (or (and [?m :movie/year 1987] [?m :movie/sequel _])"
        + " (and [?m :movie/year 1985] [?m :trivia _]))]", db);
    assertEquals(setOf("Predator", "Lethal Weapon", "Commando"), coll(r));
  }

  @Test
  void orWithOneEmptyBranch() {
    Object r = q("[:find [?t ...] :where (or [?m :movie/year 1900] [?m :movie/year 1995]) [?m :movie/title ?t]]", db);
    assertEquals(setOf("Braveheart"), coll(r));
  }

  @Test
  void orJoin() {
    Object r = q("[:find [?name ...] :where (or-join [?p] [_ :movie/director ?p]"
        + " (and [?m :movie/cast ?p] [?m :movie/year 1995])) [?p :person/name ?name]]", db);
    assertEquals(setOf("George Miller", "George Ogilvie", "George P. Cosmatos", "James Cameron", "John McTiernan",
        "Jonathan Mostow", "Mark L. Lester", "Mel Gibson", "Paul Verhoeven", "Peter MacDonald", "Richard Donner",
        "Ridley Scott", "Sophie Marceau", "Stephen Hopkins", "Ted Kotcheff"), coll(r));
  }

  @Test
  void orJoinWithRequiredVariable() {
    Object r = q("[:find ?t ?label :where [?m :movie/title ?t] [?m :movie/director ?d] [?d :person/name \"James Cameron\"]"
        + " (or-join [[?m] ?label] (and [?m :movie/year ?y] [(< ?y 1985)] [(ground \"early\") ?label])"
        + " (and [?m :movie/year ?y] [(>= ?y 1985)] [(ground \"late\") ?label]))]", db);
    assertEquals(setOf(row("The Terminator", "early"), row("Aliens", "late"),
        row("Terminator 2: Judgment Day", "late")), rel(r));
  }

  @Test
  void orJoinWithRequiredVariableWrittenFirst() {
    Object r = q("[:find ?t ?label :where (or-join [[?m] ?label] (and [?m :movie/year ?y] [(< ?y 1985)]"
        + " [(ground \"early\") ?label]) (and [?m :movie/year ?y] [(>= ?y 1985)] [(ground \"late\") ?label]))"
        + " [?m :movie/title ?t] [?m :movie/director ?d] [?d :person/name \"James Cameron\"]]", db);
    assertEquals(setOf(row("The Terminator", "early"), row("Aliens", "late"),
        row("Terminator 2: Judgment Day", "late")), rel(r));
  }

  @Test
  void orJoinBindingNewVariable() {
    Object r = q("[:find ?t ?who :where [?m :movie/title \"Braveheart\"] [?m :movie/title ?t]"
        + " (or-join [?m ?who] (and [?m :movie/director ?p] [?p :person/name ?who])"
        + " (and [?m :movie/cast ?p] [?p :person/name ?who]))]", db);
    assertEquals(setOf(row("Braveheart", "Mel Gibson"), row("Braveheart", "Sophie Marceau")), rel(r));
  }

  @Test
  void orInsideNot() {
    Object r = q("[:find (count ?m) . :where [?m :movie/title _] (not (or [?m :movie/year 1987] [?m :movie/year 1985]))]", db);
    assertEquals(14L, r, "20 movies less 3 from 1987 and 3 from 1985");
  }

  @Test
  void notInsideOr() {
    Object r = q("[:find [?t ...] :where [?m :movie/title ?t] [?m :movie/year ?y] [(< ?y 1983)]"
        + " (or (not [?m :movie/sequel _]) [?m :movie/title \"Alien\"])]", db);
    assertEquals(Set.of("Alien"), coll(r));
  }

  @Test
  void clauseOrderDoesNotChangeResults() {
    String[] orders = {
        "[:find ?n :where [?m :movie/title \"Die Hard\"] [?m :movie/cast ?p] [?p :person/name ?n] (not [?p :person/death _])]",
        "[:find ?n :where (not [?p :person/death _]) [?p :person/name ?n] [?m :movie/cast ?p] [?m :movie/title \"Die Hard\"]]",
        "[:find ?n :where [?p :person/name ?n] (not [?p :person/death _]) [?m :movie/title \"Die Hard\"] [?m :movie/cast ?p]]"};
    for (String q : orders) {
      assertEquals(setOf(row("Bruce Willis"), row("Alan Rickman")), rel(q(q, db)), q);
    }
  }

  @Test
  void negationOfEverythingIsEmpty() {
    Collection<?> r = (Collection<?>) q("[:find ?t :where [?m :movie/title ?t] (not [?m :movie/year _])]", db);
    assertEquals(0, r.size());
  }
}
