package io.accrete.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.testing.TestData;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read SPI sees what the database value shows: its time view, its schema, its counts. */
class IndexAccessTest {
  private static final Keyword NAME = Keyword.of("item", "name");

  @Test
  void cursorsShowTheValuesViewAndCountsEstimateTheBasis() {
    Connection conn = Peer.connect(TestData.freshUri());
    try {
      conn.transact(List.of(Map.of(Keyword.of("db", "ident"), NAME, Keyword.of("db", "valueType"),
          Keyword.of("db.type", "string"), Keyword.of("db", "cardinality"), Keyword.of("db.cardinality", "one")))).join();
      Database before = conn.transact(List.of(Map.of(NAME, "apple"), Map.of(NAME, "banana"))).join().dbAfter();
      Database after = conn.transact(List.of(Map.of(NAME, "cherry"))).join().dbAfter();

      IndexAccess now = IndexAccess.of(after);
      long a = now.schema().attribute(NAME).id();
      assertEquals(List.of("apple", "banana", "cherry"), names(now, a));
      assertEquals(List.of("apple", "banana"), names(IndexAccess.of(after.asOf(before.basisT())), a),
          "an asOf view's cursors read the past");
      assertEquals(List.of("apple", "banana", "cherry"), names(IndexAccess.of(after.asOf(before.basisT())).unfiltered(), a));
      assertEquals(3, now.estimateCurrent(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, a, Values.MIN),
          IndexAccess.hi(Long.MAX_VALUE, a, Values.MAX)));
      assertEquals(1, now.estimateCurrent(IndexOrder.AVET, IndexAccess.lo(Long.MIN_VALUE, a, "b"),
          IndexAccess.hi(Long.MAX_VALUE, a, "bz")), "banana alone lies in [b, bz]");

      DatomCursor banana = now.cursorAV(a, "banana");
      assertTrue(banana.next());
      long e = banana.e();
      assertEquals("banana", now.value(e, a));
      assertTrue(now.cursorEA(e, a).next());
      assertTrue(now.cursorE(e).next());
      assertNotNull(now.schema().attribute(NAME));
    } finally {
      conn.release();
    }
  }

  @Test
  void aDatabaseOfAnotherMakeIsRefusedByName() {
    Database foreign = (Database) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Database.class},
        (p, m, args) -> null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndexAccess.of(foreign));
    assertTrue(e.getMessage().contains("not an Accrete database value"), e.getMessage());
  }

  private static List<String> names(IndexAccess db, long a) {
    List<String> out = new ArrayList<>();
    Datom lo = IndexAccess.lo(Long.MIN_VALUE, a, Values.MIN);
    Datom hi = IndexAccess.hi(Long.MAX_VALUE, a, Values.MAX);
    DatomCursor c = db.cursor(IndexOrder.AVET, lo, hi);
    while (c.next()) {
      out.add((String) c.v());
    }
    return out;
  }
}
