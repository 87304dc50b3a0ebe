package io.accrete.query;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code fulltext} in Datalog: Datomic's binding shape, analyzer, query syntax and time travel. */
class FulltextTest {
  private static final String SCHEMA = "[{:db/ident :doc/title :db/valueType :db.type/string"
      + " :db/cardinality :db.cardinality/one :db/fulltext true}"
      + " {:db/ident :doc/tag :db/valueType :db.type/string :db/cardinality :db.cardinality/many :db/fulltext true}"
      + " {:db/ident :doc/plain :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

  private static Connection fresh() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact(SCHEMA).join();
    return c;
  }

  private static Set<String> titles(Database db, String search) {
    Collection<?> r = Peer.q("[:find [?t ...] :in $ ?s :where [(fulltext $ :doc/title ?s) [[?e ?t]]]]", db, search);
    return new TreeSet<>(r.stream().map(String.class::cast).toList());
  }

  @Test
  void bindsEntityValueTxAndScoreBestFirst() {
    Connection c = fresh();
    c.transact("[{:doc/title \"red fox\"} {:doc/title \"red red red fox\"} {:doc/title \"blue whale\"}]").join();
    Database db = c.db();
    List<?> rows = new ArrayList<>((Collection<?>) Peer.q(
        "[:find ?e ?v ?tx ?score :where [(fulltext $ :doc/title \"red\") [[?e ?v ?tx ?score]]]]", db));
    assertEquals(2, rows.size());
    for (Object row : rows) {
      List<?> r = (List<?>) row;
      Object e = r.get(0);
      assertEquals(r.get(1), Peer.q("[:find ?v . :in $ ?e :where [?e :doc/title ?v]]", db, e));
      assertEquals(r.get(2), Peer.q("[:find ?tx . :in $ ?e :where [?e :doc/title _ ?tx]]", db, e));
      assertTrue(((Number) r.get(3)).doubleValue() > 0, "a positive score: " + r);
    }
    Object best = Peer.q("[:find (max ?score) . :where [(fulltext $ :doc/title \"red\") [[_ ?v _ ?score]]]"
        + " [(= ?v \"red red red fox\")]]", db);
    Object other = Peer.q("[:find (max ?score) . :where [(fulltext $ :doc/title \"red\") [[_ ?v _ ?score]]]"
        + " [(= ?v \"red fox\")]]", db);
    assertTrue(((Number) best).doubleValue() > ((Number) other).doubleValue(), "more occurrences score higher");
  }

  @Test
  void analyzerAndQuerySyntaxAreDatomics() {
    Connection c = fresh();
    c.transact("[{:doc/title \"The Aliens of Mars\"} {:doc/title \"Alien\"} {:doc/title \"Mars Attacks!\"}"
        + " {:doc/title \"Attack of the Clones\"}]").join();
    Database db = c.db();
    assertEquals(Set.of("Alien"), titles(db, "ALIEN"), "case-insensitive, no stemming");
    assertEquals(Set.of("Alien", "The Aliens of Mars"), titles(db, "alien*"), "prefix");
    assertEquals(Set.of("The Aliens of Mars"), titles(db, "\"aliens of mars\""), "a phrase across a stop word");
    assertEquals(Set.of("The Aliens of Mars", "Mars Attacks!"), titles(db, "mars"));
    assertEquals(Set.of("Mars Attacks!"), titles(db, "+mars +attacks"), "required terms");
    assertEquals(Set.of(), titles(db, "the"), "stop words alone find nothing");
    AccreteException bad = assertThrows(AccreteException.class, () -> titles(db, "\"unclosed"));
    assertTrue(bad.getMessage().contains("Invalid full-text query") && bad.getMessage().contains(":doc/title"),
        bad.getMessage());
  }

  @Test
  void eachValueOfACardinalityManyAttributeIsADocument() {
    Connection c = fresh();
    c.transact("[{:db/id \"d\" :doc/title \"one\" :doc/tag [\"green apple\" \"red cherry\"]}]").join();
    Collection<?> r = (Collection<?>) Peer.q("[:find ?v :where [(fulltext $ :doc/tag \"cherry apple\") [[_ ?v]]]]",
        c.db());
    assertEquals(2, r.size());
  }

  @Test
  void searchesTheDatabaseValueItIsGiven() {
    Connection c = fresh();
    c.transact("[{:db/id \"d\" :doc/title \"first draft\"}]").join();
    Database before = c.db();
    Object e = Peer.q("[:find ?e . :where [?e :doc/title]]", before);
    c.transact(List.of(List.of(":db/add", e, ":doc/title", "final copy"))).join();
    Database after = c.db();
    assertEquals(Set.of("first draft"), titles(before, "draft"));
    assertEquals(Set.of(), titles(after, "draft"), "the replaced value is gone from the present");
    assertEquals(Set.of("final copy"), titles(after, "final"));
    assertEquals(Set.of("first draft"), titles(after.asOf(before.basisT()), "draft"), "as of before the change");
    c.transact(List.of(List.of(":db/retractEntity", e))).join();
    assertEquals(Set.of(), titles(c.db(), "final"));
    assertEquals(Set.of("final copy"), titles(after, "final"), "an older value still answers as it did");
  }

  @Test
  void onlyFulltextStringAttributesAreSearched() {
    Connection c = fresh();
    AccreteException notFt = assertThrows(AccreteException.class, () -> Peer.q(
        "[:find ?e :where [(fulltext $ :doc/plain \"x\") [[?e]]]]", c.db()));
    assertTrue(notFt.getMessage().contains(":doc/plain") && notFt.getMessage().contains(":db/fulltext"),
        notFt.getMessage());
    Exception notString = assertThrows(Exception.class, () -> c.transact("[{:db/ident :doc/n"
        + " :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/fulltext true}]").join());
    assertTrue(String.valueOf(notString.getMessage()).contains(":db.type/string"), notString.getMessage());
  }
}
