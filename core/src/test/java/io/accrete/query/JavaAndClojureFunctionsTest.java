package io.accrete.query;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.edn.Edn;
import io.accrete.edn.EdnException;
import io.accrete.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Query functions Datomic users write that are Java or Clojure rather than Datalog. */
class JavaAndClojureFunctionsTest {
  private static final Database DB = TestData.movies().db();

  @Test
  void instanceMethodsAreCalledOnTheirFirstArgument() {
    assertEquals(List.of("Die Hard"), List.copyOf((java.util.Collection<?>) Peer.q(
        "[:find [?t ...] :where [_ :movie/title ?t] [(.startsWith ?t \"Die\")]]", DB)));
    assertEquals("HARD", Peer.q("[:find ?u . :in ?s :where [(.toUpperCase ?s) ?u]]", "hard"));
    assertEquals(3L, ((Number) Peer.q("[:find ?n . :in ?s :where [(.indexOf ?s \"d\") ?n]]", "hard")).longValue());
    assertEquals(2L, ((Number) Peer.q("[:find ?n . :in ?l :where [(.size ?l) ?n]]", List.of(1L, 2L))).longValue(),
        "looked up on a public interface of a private class");
    AccreteException none = assertThrows(AccreteException.class,
        () -> Peer.q("[:find ?u . :in ?s :where [(.noSuchMethod ?s) ?u]]", "x"));
    assertTrue(none.getMessage().contains("noSuchMethod") && none.getMessage().contains("java.lang.String"),
        none.getMessage());
  }

  @Test
  void queryTextReadsClojureRegularExpressions() {
    assertEquals(List.of("Lethal", "Weapon", "2"), Peer.q("[:find ?p . :where [?m :movie/title \"Lethal Weapon 2\"]"
        + " [?m :movie/title ?t] [(clojure.string/split ?t #\"\\s+\") ?p]]", DB));
    assertEquals("a-b", Peer.q("[:find ?r . :in ?s :where [(clojure.string/replace ?s #\"(\\w)_\" \"$1-\") ?r]]", "a_b"));
    // EDN itself has no regular expressions: data files still refuse them.
    assertThrows(EdnException.class, () -> Edn.read("#\"x\""));
    assertEquals("#\"a+\"", Edn.print(Edn.readQuery("#\"a+\"")));
  }

  @Test
  void collectionsAndConversions() {
    assertEquals(List.of(0L, 2L, 4L), Peer.q("[:find ?r . :where [(range 0 6 2) ?r]]", DB));
    assertEquals((Object) 3L, Peer.q("[:find ?v . :where [(hash-map :a 3) ?m] [(get ?m :a) ?v]]", DB));
    assertEquals("none", Peer.q("[:find ?v . :where [(hash-map :a 3) ?m] [(get ?m :b \"none\") ?v]]", DB));
    assertEquals("[1 \"a\" :k]", Peer.q("[:find ?s . :where [(vector 1 \"a\" :k) ?v] [(pr-str ?v) ?s]]", DB));
    assertEquals(Long.class, Peer.q("[:find ?t . :where [(type 1) ?t]]", DB));
    assertEquals(Boolean.TRUE, Peer.q("[:find ?b . :where [(true? true) ?b]]", DB));
    assertEquals((Object) 2L, Peer.q("[:find ?x . :where [(long 2.9) ?x]]", DB), "truncates as Clojure's long");
    AccreteException runaway = assertThrows(AccreteException.class,
        () -> Peer.q("[:find (count ?x) . :where [(range 100000000) [?x ...]]]", DB));
    assertTrue(runaway.getMessage().contains("range"), runaway.getMessage());
  }

  @Test
  void aQueryInsideAQuery() {
    assertEquals((Object) 20L, Peer.q("[:find ?n . :in $ :where [(q [:find (count ?m) . :where [?m :movie/title]] $) ?n]]", DB));
  }
}
