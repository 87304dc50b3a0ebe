package io.accrete.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.testing.ExcisionScenario;
import io.accrete.testing.TestData;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Excision on the in-memory connection: in novelty, in merged trees, and its rules. */
class ExcisionTest {

  @Test
  void excisedDatomsAreGoneFromNoveltyHistoryAndLog() {
    ExcisionScenario s = new ExcisionScenario(Peer.connect(TestData.freshUri())).load(false);
    s.checkGone(s.excise());
  }

  @Test
  void excisedDatomsAreGoneFromMergedTreesAndStayGoneAfterIndexing() {
    ExcisionScenario s = new ExcisionScenario(Peer.connect(TestData.freshUri())).load(true);
    s.conn.requestIndex(); // everything in durable trees before the excision
    s.checkGone(s.excise());
    s.conn.requestIndex(); // and the merge after it brings nothing back
    s.checkGone(s.conn.db());
    s.conn.transact("[{:p/name \"carl\" :p/email \"carl@example.org\"}]").join();
    s.conn.requestIndex();
    s.checkGone(s.conn.db());
  }

  @Test
  void attrsLimitAnEntitysExcision() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact(ExcisionScenario.SCHEMA).join();
    c.transact("[{:p/name \"dee\" :p/email \"dee@example.org\" :p/note \"keep me\"}]").join();
    long dee = c.db().entid(List.of(Keyword.intern(":p/name"), "dee"));
    c.transact("[{:db/excise " + dee + " :db.excise/attrs [:p/email]}]").join();
    Database db = c.db();
    assertNull(db.entity(dee).get(":p/email"));
    assertEquals("keep me", db.entity(dee).get(":p/note"));
    assertEquals("dee", db.entity(dee).get(":p/name"));
  }

  @Test
  void aRetractionGoesWithTheAssertionItEnded() {
    // beforeT cuts between an assertion and its retraction: history must not keep the
    // retraction of a value it no longer has (a replay of the log would fail on it).
    Connection c = Peer.connect(TestData.freshUri());
    c.transact(ExcisionScenario.SCHEMA).join();
    c.transact("[{:p/name \"eve\" :p/email \"first@example.org\"}]").join();
    long cut = c.db().basisT() + 1;
    c.transact("[{:p/name \"eve\" :p/email \"second@example.org\"}]").join();
    c.transact("[{:db/excise :p/email :db.excise/beforeT " + cut + "}]").join();
    Database db = c.db();
    Collection<?> emails = (Collection<?>) Peer.q(
        "[:find ?v ?added :where [?e :p/email ?v _ ?added]]", db.history());
    assertEquals(Set.of(List.of("second@example.org", true)), Set.copyOf(emails));
    c.requestIndex();
    assertEquals("second@example.org", c.db().entity(List.of(Keyword.intern(":p/name"), "eve")).get(":p/email"));
  }

  @Test
  void theRulesOfARequestAreChecked() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact(ExcisionScenario.SCHEMA).join();
    assertInvalid(c, "[{:db/excise :db/ident}]", "system entity");
    assertInvalid(c, "[{:db/excise :p/email :db.excise/attrs [:p/name]}]", "is an attribute");
    c.transact("[{:db/ident :color/red}]").join();
    long before = c.db().basisT();
    c.transact("[{:db/excise :color/red}]").join(); // an enum value is data, not schema
    assertTrue(c.db().basisT() > before);
  }

  private static void assertInvalid(Connection c, String tx, String why) {
    CompletionException e = assertThrows(CompletionException.class, () -> c.transact(tx).join());
    AccreteException a = assertInstanceOf(AccreteException.class, e.getCause());
    assertEquals(Keyword.of("db.error", "invalid-excision"), a.code());
    assertTrue(a.getMessage().contains(why), a.getMessage());
  }
}
