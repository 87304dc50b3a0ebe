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
  void beforeLimitsAnExcisionByTransactionInstant() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact("[{:db/id \"datomic.tx\" :db/txInstant #inst \"2025-12-01T00:00:00Z\"} "
        + ExcisionScenario.SCHEMA.substring(1)).join();
    c.transact("[{:db/id \"datomic.tx\" :db/txInstant #inst \"2026-01-01T00:00:00Z\"}"
        + " {:p/name \"old\" :p/note \"from january\"}]").join();
    c.transact("[{:db/id \"datomic.tx\" :db/txInstant #inst \"2026-03-01T00:00:00Z\"}"
        + " {:p/name \"new\" :p/note \"from march\"}]").join();
    c.transact("[{:db/excise :p/note :db.excise/before #inst \"2026-02-01T00:00:00Z\"}]").join();
    Collection<?> notes = (Collection<?>) Peer.q("[:find [?v ...] :where [_ :p/note ?v]]", c.db().history());
    assertEquals(Set.of("from march"), Set.copyOf(notes));
    Collection<?> names = (Collection<?>) Peer.q("[:find [?v ...] :where [_ :p/name ?v]]", c.db());
    assertEquals(Set.of("old", "new"), Set.copyOf(names), "other attributes of the same transactions stay");
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

  /**
   * Random histories on two attributes (values changed, retracted and asserted again), random
   * merges into trees, then a random excision: every index order, current and history, holds
   * exactly what a naive model keeps (the datoms before the request's limit go, and so does a
   * retraction whose assertion went).
   */
  @Test
  void randomExcisionsLeaveWhatANaiveModelKeeps() {
    for (int seed = 1; seed <= 40; seed++) {
      java.util.Random rnd = new java.util.Random(seed);
      Connection c = Peer.connect(TestData.freshUri());
      c.transact("[{:db/ident :r/k :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :r/tags :db/valueType :db.type/long :db/cardinality :db.cardinality/many}]").join();
      List<Long> ids = new java.util.ArrayList<>();
      List<Long> ts = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(c.transact("[{:db/id \"e\" :r/k " + i + "}]").join().tempids().get("e"));
      }
      for (int step = 0; step < 25; step++) {
        long e = ids.get(rnd.nextInt(ids.size()));
        int v = rnd.nextInt(4);
        String op = switch (rnd.nextInt(4)) {
          case 0 -> "[:db/add " + e + " :r/k " + v + "]";
          case 1 -> "[:db/add " + e + " :r/tags " + v + "]";
          case 2 -> "[:db/retract " + e + " :r/tags " + v + "]";
          default -> "[:db/retract " + e + " :r/k " + v + "]";
        };
        try {
          ts.add(c.transact("[" + op + "]").join().dbAfter().basisT());
        } catch (CompletionException ignored) {
          // retracting what is not there: not a transaction
        }
        if (rnd.nextInt(8) == 0) {
          c.requestIndex();
        }
      }
      List<io.accrete.Datom> before = ExcisionScenario.datoms(c.db().history());
      boolean byAttr = rnd.nextBoolean();
      long target = byAttr ? c.db().entid(Keyword.intern(rnd.nextBoolean() ? ":r/k" : ":r/tags"))
          : ids.get(rnd.nextInt(ids.size()));
      Long beforeT = rnd.nextBoolean() || ts.isEmpty() ? null : ts.get(rnd.nextInt(ts.size()));
      io.accrete.TxReport r = c.transact("[{:db/excise " + target
          + (beforeT == null ? "" : " :db.excise/beforeT " + beforeT) + "}]").join();
      if (rnd.nextBoolean()) {
        c.requestIndex();
      }
      long limit = io.accrete.schema.Ids.toTx(beforeT == null ? r.dbAfter().basisT() : beforeT);
      Set<io.accrete.Datom> expected = new java.util.HashSet<>(kept(before, d -> (byAttr ? d.a() == target
          : d.e() == target) && d.tx() < limit));
      expected.addAll(r.txData());
      String where = "seed " + seed + (byAttr ? " attribute " : " entity ") + target + " beforeT " + beforeT;
      Database db = c.db();
      for (String index : List.of(":eavt", ":aevt", ":avet", ":vaet")) {
        List<io.accrete.Datom> inOrder = new java.util.ArrayList<>();
        db.history().datoms(Keyword.intern(index)).forEach(inOrder::add);
        Set<io.accrete.Datom> want = new java.util.HashSet<>(expected);
        if (index.equals(":vaet")) {
          want.removeIf(d -> !db.attribute(d.a()).isRef());
        }
        assertSameDatoms(want, Set.copyOf(inOrder), where + " " + index);
        assertEquals(want.size(), inOrder.size(), where + " " + index + ": each datom once");
      }
      List<io.accrete.Datom> current = new java.util.ArrayList<>();
      db.datoms(Keyword.intern(":eavt")).forEach(current::add);
      assertSameDatoms(currentOf(expected), Set.copyOf(current), where + " (current)");
      c.release();
    }
  }

  /** Names only the datoms that differ. */
  private static void assertSameDatoms(Set<io.accrete.Datom> want, Set<io.accrete.Datom> got, String where) {
    Set<io.accrete.Datom> missing = new java.util.HashSet<>(want);
    missing.removeAll(got);
    Set<io.accrete.Datom> extra = new java.util.HashSet<>(got);
    extra.removeAll(want);
    assertTrue(missing.isEmpty() && extra.isEmpty(), where + ": missing " + missing + ", extra " + extra);
  }

  /** The history without the datoms {@code gone} names and the retractions of assertions it names. */
  private static List<io.accrete.Datom> kept(List<io.accrete.Datom> history,
      java.util.function.Predicate<io.accrete.Datom> gone) {
    List<io.accrete.Datom> sorted = new java.util.ArrayList<>(new java.util.HashSet<>(history));
    sorted.sort(java.util.Comparator.comparingLong(io.accrete.Datom::e).thenComparingLong(io.accrete.Datom::a)
        .thenComparing(d -> String.valueOf(d.v())).thenComparingLong(io.accrete.Datom::tx));
    List<io.accrete.Datom> out = new java.util.ArrayList<>();
    io.accrete.Datom lastAssertion = null;
    boolean lastGone = false;
    for (io.accrete.Datom d : sorted) {
      boolean sameKey = lastAssertion != null && lastAssertion.e() == d.e() && lastAssertion.a() == d.a()
          && lastAssertion.v().equals(d.v());
      boolean drop = gone.test(d) || (!d.added() && sameKey && lastGone);
      if (d.added()) {
        lastAssertion = d;
        lastGone = drop;
      }
      if (!drop) {
        out.add(d);
      }
    }
    return out;
  }

  /** The datoms current in a history: per key, the last datom, when it is an assertion. */
  private static Set<io.accrete.Datom> currentOf(Set<io.accrete.Datom> history) {
    java.util.Map<List<Object>, io.accrete.Datom> last = new java.util.HashMap<>();
    for (io.accrete.Datom d : history) {
      last.merge(List.of(d.e(), d.a(), d.v()), d, (x, y) -> x.tx() > y.tx() ? x : y);
    }
    Set<io.accrete.Datom> out = new java.util.HashSet<>();
    for (io.accrete.Datom d : last.values()) {
      if (d.added()) {
        out.add(d);
      }
    }
    return out;
  }

}
