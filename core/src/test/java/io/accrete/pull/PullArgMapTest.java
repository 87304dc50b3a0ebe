package io.accrete.pull;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.Util;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pull with an arg-map ({@code :selector :eid :timeout}): the same answers, and a pull that stops. */
class PullArgMapTest {
  private static final Keyword SELECTOR = Keyword.intern(":selector");
  private static final Keyword EID = Keyword.intern(":eid");
  private static final Keyword TIMEOUT = Keyword.intern(":timeout");
  private static final Object WIDE = Util.read("[:n/v {(:n/kids :limit nil) [:n/v]}]");
  private static Database db;

  @BeforeAll
  static void load() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact("[{:db/ident :n/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
        + " {:db/ident :n/kids :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]").join();
    List<Object> tx = new ArrayList<>();
    List<Object> kids = new ArrayList<>();
    for (long i = 1; i <= 30_000; i++) {
      tx.add(Map.of(Keyword.intern(":db/id"), "k" + i, Keyword.intern(":n/v"), i));
      kids.add("k" + i);
    }
    tx.add(Map.of(Keyword.intern(":n/v"), 0L, Keyword.intern(":n/kids"), kids));
    c.transact(tx).join();
    db = c.db();
  }

  @Test
  void anArgMapPullsWhatThePatternPulls() {
    List<Object> root = List.of(Keyword.intern(":n/v"), 0L);
    Map<Object, Object> m = db.pull(Map.of(SELECTOR, WIDE, EID, root, TIMEOUT, 60_000L));
    assertEquals(db.pull(WIDE, root), m);
    assertEquals(30_000, ((List<?>) m.get(Keyword.intern(":n/kids"))).size());
    assertNull(db.pull(Map.of(SELECTOR, WIDE, EID, List.of(Keyword.intern(":n/v"), -1L))), "no such entity");
  }

  @Test
  void aPullStopsAtItsTimeout() {
    AccreteException e = assertThrows(AccreteException.class,
        () -> db.pull(Map.of(SELECTOR, WIDE, EID, List.of(Keyword.intern(":n/v"), 0L), TIMEOUT, 1L)));
    assertEquals(Keyword.intern(":db.error/pull-timeout"), e.code());
  }

  @Test
  void anInterruptedThreadStopsItsPull() {
    Thread.currentThread().interrupt();
    try {
      AccreteException e = assertThrows(AccreteException.class,
          () -> db.pull(Map.of(SELECTOR, WIDE, EID, List.of(Keyword.intern(":n/v"), 0L))));
      assertEquals(Keyword.intern(":db.error/pull-cancelled"), e.code());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void badArgMapsAreNamed() {
    AccreteException unknown = assertThrows(AccreteException.class,
        () -> db.pull(Map.of(SELECTOR, WIDE, EID, 1L, Keyword.intern(":limit"), 3L)));
    assertTrue(unknown.getMessage().contains(":limit"), unknown.getMessage());
    assertThrows(AccreteException.class, () -> db.pull(Map.of(SELECTOR, WIDE)), "no :eid");
    assertThrows(AccreteException.class, () -> db.pull(Map.of(SELECTOR, WIDE, EID, 1L, TIMEOUT, -5L)));
  }
}
