package io.accrete.db;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.index.IndexOrder;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Database values: reads, views over time, entities, identity and sharing. */
class DatabaseTest {
  static Keyword k(String s) {
    return Keyword.intern(s);
  }

  static List<Datom> list(Iterable<Datom> ds) {
    List<Datom> out = new ArrayList<>();
    ds.forEach(out::add);
    return out;
  }

  @Test
  void datomsSeekAndIndexRange() {
    Connection conn = TestData.movies();
    Database db = conn.db();
    List<Datom> years = list(db.datoms(k(":avet"), k(":movie/year")));
    assertEquals(20, years.size());
    for (int i = 1; i < years.size(); i++) {
      assertTrue((Long) years.get(i - 1).v() <= (Long) years.get(i).v(), "AVET is sorted by value");
    }
    List<Datom> eighties = list(db.indexRange(k(":movie/year"), 1980L, 1990L));
    assertEquals(years.stream().filter(d -> (Long) d.v() >= 1980 && (Long) d.v() < 1990).count(), eighties.size());
    assertEquals(3, list(db.datoms(k(":avet"), k(":movie/year"), 1987L)).size());
    // Integers widen to the attribute's type.
    assertEquals(3, list(db.datoms(k(":avet"), k(":movie/year"), 1987)).size());
    long aliens = list(db.datoms(k(":avet"), k(":movie/title"), "Aliens")).get(0).e();
    assertEquals(3, list(db.datoms(k(":eavt"), aliens, k(":movie/cast"))).size());
    // VAET: who refers to James Cameron, and through which attribute.
    long cameron = list(db.datoms(k(":avet"), k(":person/name"), "James Cameron")).get(0).e();
    for (Datom d : db.datoms(k(":vaet"), cameron)) {
      assertEquals(cameron, d.v());
      assertEquals(db.entid(k(":movie/director")), d.a());
    }
    // seekDatoms runs from a position to the end of the index.
    List<Datom> fromYear = list(db.seekDatoms(k(":avet"), k(":movie/year"), 2000L));
    assertEquals(2003L, fromYear.get(0).v());
    assertTrue(fromYear.size() > 1, "seek continues past the attribute");
    assertThrows(AccreteException.class, () -> db.datoms(k(":nope")));
    assertThrows(AccreteException.class, () -> db.datoms(k(":avet"), k(":no/attr")));
    assertTrue(list(db.datoms(k(":eavt"), k(":no/such-ident"))).isEmpty());
  }

  @Test
  void timeTravelByTTxAndDate() throws Exception {
    Connection conn = Peer.connect(TestData.freshUri());
    conn.transact("[{:db/ident :v/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    TxReport r1 = conn.transact("[{:db/id \"e\" :v/n 1}]").join();
    long e = r1.tempid("e");
    Thread.sleep(5);
    TxReport r2 = conn.transact("[[:db/add " + e + " :v/n 2]]").join();
    Date between = new Date(((Date) r2.txData().get(0).v()).getTime() - 1);
    TxReport r3 = conn.transact("[[:db/retract " + e + " :v/n 2]]").join();
    Database db = conn.db();
    long t1 = r1.dbAfter().basisT();
    assertEquals(1L, db.asOf(t1).entity(e).get(":v/n"));
    assertEquals(1L, db.asOf(r1.tx()).entity(e).get(":v/n"), "a tx id works as well as a t");
    assertEquals(1L, db.asOf(between).entity(e).get(":v/n"), "a Date picks the last tx before it");
    assertEquals(2L, db.asOf(r2.dbAfter().basisT()).entity(e).get(":v/n"));
    assertNull(db.entity(e).get(":v/n"));
    assertEquals(Long.valueOf(t1), db.asOf(t1).asOfT());
    // since: only what was added after t and is still true.
    assertEquals(0, list(db.since(t1).datoms(k(":eavt"), e)).size());
    assertEquals(List.of(2L), list(db.asOf(r2.dbAfter().basisT()).since(t1).datoms(k(":eavt"), e))
        .stream().map(Datom::v).toList());
    // history: every assertion and retraction, in EAVT order by tx.
    List<Datom> h = list(db.history().datoms(k(":eavt"), e, k(":v/n")));
    assertEquals(List.of("1 true", "1 false", "2 true", "2 false"),
        h.stream().map(d -> d.v() + " " + d.added()).toList());
    assertEquals(2, list(db.history().asOf(r2.dbAfter().basisT()).since(t1).datoms(k(":eavt"), e)).size());
    assertEquals(r3.dbAfter().basisT(), db.basisT());
    assertThrows(AccreteException.class, () -> db.asOf("yesterday"));
  }

  @Test
  void filterHidesDatoms() {
    Connection conn = TestData.movies();
    long year = conn.db().entid(k(":movie/year"));
    Database noYears = conn.db().filter((db, d) -> d.a() != year);
    assertTrue(noYears.isFiltered());
    assertEquals(0, list(noYears.datoms(k(":aevt"), k(":movie/year"))).size());
    assertEquals(20, list(noYears.datoms(k(":aevt"), k(":movie/title"))).size());
    long aliens = list(noYears.datoms(k(":avet"), k(":movie/title"), "Aliens")).get(0).e();
    assertNull(noYears.entity(aliens).get(":movie/year"));
    Database alsoNoTitles = noYears.filter((db, d) -> !"Aliens".equals(d.v()));
    assertEquals(19, list(alsoNoTitles.datoms(k(":aevt"), k(":movie/title"))).size());
  }

  @Test
  void entitiesNavigateBothWaysAndCompareByIdAndDatabase() {
    Connection conn = TestData.movies();
    Database db = conn.db();
    long aliens = list(db.datoms(k(":avet"), k(":movie/title"), "Aliens")).get(0).e();
    Entity m = db.entity(aliens);
    assertEquals(aliens, m.get(":db/id"));
    assertEquals(Set.of(":movie/title", ":movie/year", ":movie/director", ":movie/cast"), m.keySet());
    Entity cameron = (Entity) ((Set<?>) m.get(k(":movie/director"))).iterator().next();
    assertEquals("James Cameron", cameron.get(":person/name"));
    assertTrue(((Set<?>) cameron.get(":movie/_director")).contains(m));
    assertEquals(db.entity(aliens), m);
    assertEquals(db.entity(aliens).hashCode(), m.hashCode());
    assertNotEquals(db.asOf(db.basisT()).entity(aliens), m, "another database value");
    assertSame(m, m.touch());
    assertNull(m.get(":movie/sequel"));
    assertNull(m.get(":no/attr"));
    assertNull(db.entity(k(":no/ident")));
    assertEquals(db, m.db());
  }

  @Test
  void identsEntidsAttributes() {
    Database db = TestData.movies().db();
    long title = db.entid(k(":movie/title"));
    assertEquals(k(":movie/title"), db.ident(title));
    assertEquals(k(":movie/title"), db.attribute(title).ident());
    assertEquals(k(":db.type/string"), db.attribute(":movie/title").valueType());
    assertNull(db.attribute(k(":no/attr")));
    assertNull(db.entid(k(":no/attr")));
  }

  @Test
  void valuesShareUnchangedStructure() {
    Connection conn = Peer.connect(TestData.freshUri() + "");
    conn.transact("[{:db/ident :s/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    List<Object> tx = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      tx.add(java.util.Map.of(k(":s/n"), (long) i));
    }
    conn.transact(tx).join();
    conn.requestIndex();
    Db before = (Db) conn.db();
    conn.transact("[{:s/n -1}]").join();
    Db after = (Db) conn.db();
    for (IndexOrder o : IndexOrder.values()) {
      assertSame(before.indexes().get(o).baseCurrent(), after.indexes().get(o).baseCurrent(),
          "a transaction adds novelty and shares the durable trees");
    }
    conn.requestIndex();
    Db merged = (Db) conn.db();
    assertEquals(30_001, list(merged.datoms(k(":aevt"), k(":s/n"))).size());
    assertEquals(30_000, list(before.datoms(k(":aevt"), k(":s/n"))).size(), "old values are unchanged");
  }

  @Test
  void connectionsAndUris() {
    String uri = TestData.freshUri();
    assertFalse(Peer.createDatabase(uri), "already exists");
    assertSame(Peer.connect(uri), Peer.connect(uri));
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :u/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    c.release();
    assertThrows(AccreteException.class, c::db);
    Connection again = Peer.connect(uri);
    assertNotSame(c, again);
    assertNotNull(again.db().attribute(k(":u/n")), "data survives a release");
    assertEquals(again.db().basisT(), again.sync().join().basisT());
    assertTrue(Peer.deleteDatabase(uri));
    assertFalse(Peer.deleteDatabase(uri));
    AccreteException e = assertThrows(AccreteException.class, () -> Peer.connect(uri));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("mem://x")).getMessage().contains("accrete:"));
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("accrete:nope://x")).getMessage().contains("nope"));
    assertThrows(AccreteException.class, () -> Peer.connect("accrete:mem://x?bogus=1"));
    assertEquals(1000, Peer.toT(Peer.toTx(1000)));
    assertEquals(13194139534312L, Peer.toTx(1000), "the same tx ids as Datomic");
  }
}
