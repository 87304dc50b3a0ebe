package io.accrete;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.testing.TestData;
import java.io.StringReader;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The parts of Datomic's Java API a migration leans on: report maps, log maps, Util, squuids. */
class DatomicApiTest {
  @Test
  void aTransactionReportIsDatomicsMap() {
    Connection c = Peer.connect(TestData.freshUri());
    TxReport r = c.transactAsync(Util.list(Util.map(Keyword.intern(":db/ident"), Keyword.intern(":a/b"),
        Keyword.intern(":db/valueType"), Keyword.intern(":db.type/string"),
        Keyword.intern(":db/cardinality"), Keyword.intern(":db.cardinality/one")))).join();
    Map<Keyword, Object> m = r;
    assertSame(r.dbBefore(), m.get(Connection.DB_BEFORE));
    assertSame(r.dbAfter(), m.get(Connection.DB_AFTER));
    assertEquals(r.txData(), m.get(Connection.TX_DATA));
    assertEquals(r.tempids(), m.get(Connection.TEMPIDS));
    assertEquals(4, m.size());
    long t = r.dbAfter().basisT();
    assertTrue(c.syncSchema(t).join().basisT() >= t);
    assertTrue(c.syncExcise(t).join().basisT() >= t);
    assertTrue(c.syncIndex(t).join().basisT() >= t);
  }

  @Test
  void logEntriesAreMapsOfTAndData() {
    Connection c = Peer.connect(TestData.freshUri());
    TxReport r = c.transact("[{:db/ident :x/y}]").join();
    Log.Entry last = null;
    for (Log.Entry e : c.log().txRange(r.dbAfter().basisT(), null)) {
      last = e;
    }
    assertNotNull(last);
    assertEquals(r.dbAfter().basisT(), last.get(Log.T));
    assertEquals(r.txData(), last.get(Log.DATA));
  }

  @Test
  void utilReadsAndBuildsDatomicData() {
    assertEquals(List.of(1L, "a"), Util.list(1L, "a"));
    assertEquals(Map.of(Keyword.intern(":k"), 1L), Util.map(Keyword.intern(":k"), 1L));
    assertThrows(IllegalArgumentException.class, () -> Util.map(1L));
    Object tx = Util.read("[{:db/id #db/id [:db.part/user] :a/b \"x\"}]");
    assertTrue(tx instanceof List<?> l && l.size() == 1, String.valueOf(tx));
    assertEquals(2, Util.readAll(new StringReader("[:a] {:b 1}")).size());
  }

  @Test
  void squuidsCarryTheirSecond() {
    long before = System.currentTimeMillis() / 1000 * 1000;
    UUID a = Peer.squuid();
    UUID b = Peer.squuid();
    assertNotEquals(a, b);
    assertTrue(Peer.squuidTimeMillis(a) >= before && Peer.squuidTimeMillis(a) <= System.currentTimeMillis());
    assertEquals(4, a.version(), "still a random (version 4) UUID");
  }

  @Test
  void attributesSpeakDatomicsNames() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact("[{:db/ident :n/t :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
        + " :db/fulltext true :db/noHistory true}]").join();
    Attribute a = c.db().attribute(Keyword.intern(":n/t"));
    assertEquals(Attribute.TYPE_STRING, a.valueType());
    assertTrue(a.hasFulltext() && a.hasNoHistory());
  }

  @Test
  void databaseNamesStatsAndEntidAt() {
    String uri = TestData.freshUri();
    String name = uri.substring("accrete:mem://".length());
    assertTrue(Peer.getDatabaseNames("accrete:mem://*").contains(name));
    assertThrows(AccreteException.class, () -> Peer.getDatabaseNames("accrete:mem://x"));
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :s/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    TxReport r = c.transact("[{:s/n 1} {:s/n 2}]").join();
    Database db = c.db();
    Map<Keyword, Object> stats = db.dbStats();
    assertEquals(Map.of(Keyword.intern(":count"), 2L),
        ((Map<?, ?>) stats.get(Keyword.intern(":attrs"))).get(Keyword.intern(":s/n")));
    assertTrue((Long) stats.get(Keyword.intern(":datoms")) > 2);
    long t = r.dbBefore().basisT() + 1; // the t of the transaction that made both
    long from = db.entidAt(Keyword.intern(":db.part/user"), t);
    assertEquals(2L, ((Number) Peer.q("[:find (count ?e) . :in $ ?from :where [?e :s/n] [(>= ?e ?from)]]", db,
        from)).longValue(), "entities made from t on");
    assertEquals(from, db.entidAt(":db.part/user", Peer.toTx(t)), "a transaction id names the same t");
    assertTrue(db.entidAt(Keyword.intern(":db.part/user"), new Date(0)) < from);
  }

  @Test
  void indexPullReadsAnAttributeInIndexOrder() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact("[{:db/ident :r/rank :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
        + " {:db/ident :r/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").join();
    c.transact("[{:r/rank 30 :r/name \"c\"} {:r/rank 10 :r/name \"a\"} {:r/rank 20 :r/name \"b\"}"
        + " {:r/name \"no rank\"}]").join();
    Database db = c.db();
    List<Object> names = new java.util.ArrayList<>();
    for (Map<Object, Object> m : db.indexPull(Map.of(Keyword.intern(":index"), Keyword.intern(":avet"),
        Keyword.intern(":selector"), Util.read("[:r/name]"), Keyword.intern(":start"), List.of(Keyword.intern(":r/rank"), 15L)))) {
      names.add(m.get(Keyword.intern(":r/name")));
    }
    assertEquals(List.of("b", "c"), names, "by value, from 15 on, only entities with the attribute");
    int n = 0;
    for (Map<Object, Object> m : db.indexPull(Map.of(Keyword.intern(":index"), Keyword.intern(":aevt"),
        Keyword.intern(":selector"), Util.read("[:r/rank]"), Keyword.intern(":start"), List.of(Keyword.intern(":r/rank"))))) {
      assertNotNull(m.get(Keyword.intern(":r/rank")));
      n++;
    }
    assertEquals(3, n);
    assertThrows(AccreteException.class, () -> db.indexPull(Map.of(Keyword.intern(":index"), Keyword.intern(":eavt"),
        Keyword.intern(":selector"), Util.read("[*]"), Keyword.intern(":start"), List.of(Keyword.intern(":r/rank")))),
        "index-pull reads :avet or :aevt");
  }

  @Test
  void aDatabaseKeepsItsIdInEveryValue() {
    String uri = TestData.freshUri();
    Connection c = Peer.connect(uri);
    Database first = c.db();
    String id = first.id();
    assertTrue(id.startsWith(uri.substring("accrete:mem://".length())), id);
    TxReport r = c.transact("[{:db/ident :i/d :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    assertEquals(id, r.dbAfter().id());
    assertEquals(id, r.dbAfter().asOf(first.basisT()).id());
    assertEquals(id, r.dbAfter().since(first.basisT()).history().id());
    assertEquals(id, r.dbAfter().filter((db, d) -> true).id());
    assertEquals(id, r.dbAfter().with("[{:i/d 1}]").dbAfter().id(), "a speculative value");
    assertNotEquals(id, Peer.connect(TestData.freshUri()).db().id(), "another database");
    assertTrue(Peer.deleteDatabase(uri));
    assertTrue(Peer.createDatabase(uri));
    assertNotEquals(id, Peer.connect(uri).db().id(), "a new database of the same name");
  }

  @Test
  void aRenamedMemoryDatabaseKeepsItsIdAndData() {
    String uri = TestData.freshUri();
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :m/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    c.transact("[{:m/v 7}]").join();
    String id = c.db().id();
    String newName = "renamed-" + UUID.randomUUID();
    assertTrue(Peer.renameDatabase(uri, newName));
    assertThrows(AccreteException.class, () -> Peer.connect(uri));
    assertFalse(Peer.renameDatabase(uri, newName + "x"));
    assertTrue(Peer.getDatabaseNames("accrete:mem://*").contains(newName));
    Database db = Peer.connect("accrete:mem://" + newName).db();
    assertEquals(id, db.id());
    assertEquals(7L, (Object) Peer.q("[:find ?v . :where [_ :m/v ?v]]", db));
    String other = TestData.freshUri();
    AccreteException e = assertThrows(AccreteException.class, () -> Peer.renameDatabase(other, newName));
    assertEquals("db-exists", e.code().name());
    assertThrows(AccreteException.class, () -> Peer.renameDatabase(other, "a/b"));
    Peer.deleteDatabase("accrete:mem://" + newName);
  }

  @Test
  void shutdownReleasesConnections() {
    String uri = TestData.freshUri();
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :z/z}]").join();
    Peer.shutdown(true);
    assertNotSame(c, Peer.connect(uri), "a new connection after shutdown");
    assertNotNull(Peer.connect(uri).db().entid(Keyword.intern(":z/z")), "the data stays");
  }
}
