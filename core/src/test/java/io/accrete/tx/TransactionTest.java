package io.accrete.tx;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.edn.Edn;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transaction forms and their semantics, through the public API. */
class TransactionTest {
  static final String SCHEMA = """
      [{:db/ident :person/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :person/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :person/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :person/nick :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
       {:db/ident :person/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
       {:db/ident :person/best :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :person/ssn :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/value}
       {:db/ident :person/address :db/valueType :db.type/ref :db/cardinality :db.cardinality/one
        :db/isComponent true}
       {:db/ident :person/sex :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :address/street :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :tx/source :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :sex/male} {:db/ident :sex/female}]
      """;

  Connection conn;

  @BeforeEach
  void setUp() {
    conn = Peer.connect(TestData.freshUri());
    tx(SCHEMA);
  }

  TxReport tx(String edn) {
    return conn.transact(edn).join();
  }

  AccreteException fails(String edn) {
    long before = conn.db().basisT();
    CompletionException e = assertThrows(CompletionException.class, () -> conn.transact(edn).join());
    assertEquals(before, conn.db().basisT(), "a failed transaction changes nothing");
    return (AccreteException) e.getCause();
  }

  Object q1(long e, String attr) {
    return conn.db().entity(e).get(attr);
  }

  long id(TxReport r, String tempid) {
    return r.tempid(tempid);
  }

  @Test
  void mapAndListFormsAssert() {
    TxReport r = tx("""
        [{:db/id "a" :person/name "Ann" :person/age 30 :person/nick ["annie" "a"]}
         [:db/add "b" :person/name "Bob"]
         [:db/add "b" :person/friend "a"]]""");
    long a = id(r, "a");
    long b = id(r, "b");
    assertEquals("Ann", q1(a, ":person/name"));
    assertEquals(30L, q1(a, ":person/age"));
    assertEquals(Set.of("annie", "a"), q1(a, ":person/nick"));
    assertEquals(Set.of(conn.db().entity(a)), q1(b, ":person/friend"));
    // tx data: the tx instant first, then six datoms, all in this transaction.
    assertEquals(7, r.txData().size());
    assertEquals(Keyword.intern(":db/txInstant"), conn.db().ident(r.txData().get(0).a()));
    for (Datom d : r.txData()) {
      assertEquals(r.tx(), d.tx());
      assertTrue(d.added());
    }
    assertEquals(Peer.toT(r.tx()), r.dbAfter().basisT());
  }

  @Test
  void cardinalityOneReplacesAndRedundantDatomsAreDropped() {
    long a = id(tx("[{:db/id \"a\" :person/name \"Ann\" :person/age 30}]"), "a");
    TxReport r = tx("[[:db/add " + a + " :person/age 31] [:db/add " + a + " :person/name \"Ann\"]]");
    // Only the age changed: retract 30, assert 31; the name is redundant.
    assertEquals(3, r.txData().size());
    Set<String> got = new HashSet<>();
    for (Datom d : r.txData().subList(1, 3)) {
      got.add(d.v() + ":" + d.added());
    }
    assertEquals(Set.of("30:false", "31:true"), got);
    assertEquals(31L, q1(a, ":person/age"));
    // The old value lives on in history and as of the earlier t.
    Database before = r.dbBefore();
    assertEquals(30L, conn.db().asOf(before.basisT()).entity(a).get(":person/age"));
  }

  @Test
  void nestedComponentAndReverseMaps() {
    TxReport r = tx("""
        [{:db/id "a" :person/name "Ann"
          :person/address {:address/street "Main St"}
          :person/friend [{:person/email "bob@x" :person/name "Bob"}]
          :person/_best [{:db/id "c" :person/name "Cid"}]}]""");
    long a = id(r, "a");
    Entity ann = conn.db().entity(a);
    Entity addr = (Entity) ann.get(":person/address");
    assertEquals("Main St", addr.get(":address/street"));
    assertEquals(ann, addr.get(":person/_address"), "component reverse ref gives one entity");
    Entity bob = (Entity) ((Set<?>) ann.get(":person/friend")).iterator().next();
    assertEquals("Bob", bob.get(":person/name"));
    assertEquals(ann, conn.db().entity(id(r, "c")).get(":person/best"));
    // A non-component nested map needs :db/id or a unique attribute.
    AccreteException e = fails("[{:person/name \"X\" :person/friend {:person/name \"Y\"}}]");
    assertEquals(":db.error/invalid-nested-entity", e.code().toString());
  }

  @Test
  void upsertThroughIdentityAndTempidUnification() {
    long bob = id(tx("[{:db/id \"b\" :person/email \"bob@x\" :person/name \"Bob\"}]"), "b");
    TxReport r = tx("[{:db/id \"x\" :person/email \"bob@x\" :person/age 40}]");
    assertEquals(bob, id(r, "x"));
    assertEquals(40L, q1(bob, ":person/age"));
    assertEquals("Bob", q1(bob, ":person/name"));
    // Two tempids with the same new identity value become one entity.
    TxReport u = tx("""
        [{:db/id "p" :person/email "new@x" :person/name "New"}
         {:db/id "q" :person/email "new@x" :person/age 5}]""");
    assertEquals(id(u, "p"), id(u, "q"));
    // Maps without :db/id upsert too.
    tx("[{:person/email \"bob@x\" :person/age 41}]");
    assertEquals(41L, q1(bob, ":person/age"));
  }

  @Test
  void lookupRefsAndIdentsResolve() {
    long bob = id(tx("[{:db/id \"b\" :person/email \"bob@x\"}]"), "b");
    tx("[[:db/add [:person/email \"bob@x\"] :person/name \"Bob\"] "
        + "[:db/add [:person/email \"bob@x\"] :person/sex :sex/male]]");
    assertEquals("Bob", q1(bob, ":person/name"));
    assertEquals(Keyword.intern(":sex/male"), q1(bob, ":person/sex"), "enum refs come back as idents");
    AccreteException e = fails("[[:db/add [:person/email \"nobody@x\"] :person/name \"N\"]]");
    assertEquals(":db.error/not-an-entity", e.code().toString());
    assertTrue(e.getMessage().contains("nobody@x"), e.getMessage());
    e = fails("[[:db/add [:person/name \"Bob\"] :person/age 1]]");
    assertEquals(":db.error/lookup-ref-attr-not-unique", e.code().toString());
    e = fails("[[:db/add \"x\" :person/sex :sex/unknown]]");
    assertTrue(e.getMessage().contains(":sex/unknown"), e.getMessage());
  }

  @Test
  void retractForms() {
    long a = id(tx("[{:db/id \"a\" :person/name \"Ann\" :person/nick [\"x\" \"y\" \"z\"] :person/age 3}]"), "a");
    tx("[[:db/retract " + a + " :person/nick \"x\"] [:db/retract " + a + " :person/nick \"absent\"]]");
    assertEquals(Set.of("y", "z"), q1(a, ":person/nick"));
    tx("[[:db/retract " + a + " :person/nick]]");
    assertNull(q1(a, ":person/nick"));
    TxReport r = tx("[[:db/retract " + a + " :person/age 99]]");
    assertEquals(1, r.txData().size(), "retracting an absent value is a no-op");
  }

  @Test
  void retractEntityTakesComponentsAndReferences() {
    TxReport r = tx("""
        [{:db/id "a" :person/name "Ann" :person/address {:db/id "addr" :address/street "Main"}}
         {:db/id "b" :person/name "Bob" :person/best "a" :person/friend "a"}]""");
    long a = id(r, "a");
    long addr = id(r, "addr");
    long b = id(r, "b");
    tx("[[:db/retractEntity " + a + "]]");
    Database db = conn.db();
    assertTrue(db.entity(a).keySet().isEmpty());
    assertTrue(db.entity(addr).keySet().isEmpty(), "components go with their owner");
    assertEquals(Set.of(":person/name"), db.entity(b).keySet(), "references to it are retracted");
    int retractions = 0;
    for (Datom d : db.history().datoms(Keyword.intern(":eavt"), a)) {
      retractions += d.added() ? 0 : 1;
    }
    assertEquals(2, retractions, "history keeps Ann's name and address as retracted");
  }

  @Test
  void casSucceedsAndFails() {
    long a = id(tx("[{:db/id \"a\" :person/age 1}]"), "a");
    tx("[[:db/cas " + a + " :person/age 1 2]]");
    assertEquals(2L, q1(a, ":person/age"));
    AccreteException e = fails("[[:db/cas " + a + " :person/age 1 3]]");
    assertEquals(":db.error/cas-failed", e.code().toString());
    assertTrue(e.getMessage().contains("expected 1, found 2"), e.getMessage());
    tx("[[:db.fn/cas " + a + " :person/name nil \"set-if-absent\"]]");
    assertEquals("set-if-absent", q1(a, ":person/name"));
  }

  @Test
  void txMetadataAndExplicitInstant() {
    TxReport r = tx("[{:db/id \"a\" :person/name \"A\"} {:db/id \"datomic.tx\" :tx/source \"import\"}]");
    assertEquals("import", conn.db().entity(r.tx()).get(":tx/source"));
    TxReport r2 = tx("[[:db/add \"accrete.tx\" :tx/source \"second\"]]");
    assertEquals("second", conn.db().entity(r2.tx()).get(":tx/source"));
    Date last = (Date) r2.txData().get(0).v();
    Date later = new Date(last.getTime() + 5000);
    TxReport r3 = conn.transact(List.of(Map.of(Keyword.intern(":db/id"), "datomic.tx",
        Keyword.intern(":db/txInstant"), later))).join();
    assertEquals(later, r3.txData().get(0).v());
    assertEquals(1, r3.txData().size());
    AccreteException e = fails("[{:db/id \"datomic.tx\" :db/txInstant #inst \"2001-01-01\"}]");
    assertEquals(":db.error/past-tx-instant", e.code().toString());
  }

  @Test
  void conflictsAndTypeErrorsAreRefused() {
    long a = id(tx("[{:db/id \"a\" :person/name \"A\" :person/ssn \"1\"}]"), "a");
    assertEquals(":db.error/datoms-conflict",
        fails("[[:db/add " + a + " :person/age 1] [:db/add " + a + " :person/age 2]]").code().toString());
    assertEquals(":db.error/datoms-conflict",
        fails("[[:db/add " + a + " :person/nick \"n\"] [:db/retract " + a + " :person/nick \"n\"]]").code().toString());
    AccreteException u = fails("[{:db/id \"b\" :person/ssn \"1\"}]");
    assertEquals(":db.error/unique-conflict", u.code().toString());
    assertTrue(u.getMessage().contains(":person/ssn") && u.getMessage().contains(String.valueOf(a)), u.getMessage());
    assertEquals(":db.error/unique-conflict",
        fails("[{:db/id \"b\" :person/ssn \"9\"} {:db/id \"c\" :person/ssn \"9\"}]").code().toString());
    AccreteException t = fails("[[:db/add " + a + " :person/age \"old\"]]");
    assertEquals(":db.error/wrong-type-for-attribute", t.code().toString());
    assertTrue(t.getMessage().contains(":person/age") && t.getMessage().contains("\"old\""), t.getMessage());
    AccreteException un = fails("[[:db/add " + a + " :person/unknown 1]]");
    assertEquals(":db.error/not-an-attribute", un.code().toString());
    assertTrue(un.getMessage().contains(":person/unknown"), un.getMessage());
    assertEquals(":db.error/invalid-entity-id",
        fails("[[:db/add 999999999999 :person/age 1]]").code().toString());
    assertEquals(":db.error/tempid-not-an-entity",
        fails("[[:db/add " + a + " :person/best \"ghost\"]]").code().toString());
    assertEquals(":db.error/nil-value", fails("[[:db/add " + a + " :person/age nil]]").code().toString());
    assertEquals(":db.error/invalid-tx-form", fails("[[:db/add " + a + " :person/age]]").code().toString());
    assertEquals(":edn/parse-error", fails("[[:db/add ").code().toString());
    // A retraction and the same value's unique claim by another entity in one transaction is fine.
    long b = id(tx("[{:db/id \"b\" :person/name \"B\"}]"), "b");
    tx("[[:db/retract " + a + " :person/ssn \"1\"] [:db/add " + b + " :person/ssn \"1\"]]");
    assertEquals("1", q1(b, ":person/ssn"));
  }

  @Test
  void attributesCannotBeUsedInTheTransactionThatInstallsThem() {
    AccreteException e = fails("""
        [{:db/ident :thing/size :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:thing/size 3}]""");
    assertEquals(":db.error/not-an-attribute", e.code().toString());
  }

  @Test
  void withIsSpeculative() {
    Database db = conn.db();
    TxReport r = db.with(Edn.readAll("[{:db/id \"a\" :person/name \"Spec\"}]").get(0) instanceof List<?> l ? l : null);
    assertEquals("Spec", r.dbAfter().entity(r.tempid("a")).get(":person/name"));
    assertEquals(db.basisT(), conn.db().basisT(), "with writes nothing");
    TxReport r2 = r.dbAfter().with("[{:db/id \"b\" :person/name \"Spec2\"}]");
    assertSame(db, r.dbBefore());
    assertEquals(db.nextT(), r.dbAfter().basisT());
    assertTrue(r2.dbAfter().basisT() > r.dbAfter().basisT());
    assertThrows(AccreteException.class, () -> db.history().with(List.of()));
  }

  @Test
  void reportQueueSeesEveryTransaction() throws Exception {
    var q = conn.txReportQueue();
    TxReport r = tx("[{:person/name \"Q\"}]");
    assertSame(r, q.poll(1, java.util.concurrent.TimeUnit.SECONDS));
    conn.removeTxReportQueue();
  }

  @Test
  void logReadsBackTransactions() {
    TxReport r1 = tx("[{:person/name \"L1\"}]");
    TxReport r2 = tx("[{:person/name \"L2\"}]");
    List<Long> ts = new ArrayList<>();
    for (var e : conn.log().txRange(Peer.toT(r1.tx()), null)) {
      ts.add(e.t());
      assertFalse(e.data().isEmpty());
    }
    assertEquals(List.of(Peer.toT(r1.tx()), Peer.toT(r2.tx())), ts);
    int n = 0;
    for (var e : conn.log().txRange(r1.tx(), r2.tx())) {
      assertEquals(r1.txData(), e.data());
      n++;
    }
    assertEquals(1, n);
  }
}
