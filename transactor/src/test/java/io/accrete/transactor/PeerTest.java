package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.TxReport;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A peer of a transactor in this JVM: transactions, pushes, sync and the report queue. */
class PeerTest {
  private static String uri(String name) {
    return "accrete:sql://" + name + "-" + System.nanoTime() + "?" + TestTransactor.url();
  }

  @Test
  void transactsThroughTheTransactorAndReadsLocally() throws Exception {
    String uri = uri("peer");
    assertTrue(Peer.createDatabase(uri));
    Connection c = Peer.connect(uri);
    assertInstanceOf(PeerConnection.class, c);
    BlockingQueue<TxReport> reports = c.txReportQueue();
    c.transact("[{:db/ident :p/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").get(30, TimeUnit.SECONDS);
    TxReport r = c.transact("[{:db/id \"a\" :p/name \"Ada\"}]").get(30, TimeUnit.SECONDS);
    assertNotNull(r.tempid("a"));
    assertEquals(r.dbAfter().basisT(), c.db().basisT());
    assertEquals(List.of("Ada"), List.copyOf((java.util.Collection<?>) Peer.q("[:find [?n ...] :where [_ :p/name ?n]]", c.db())));
    assertNotNull(reports.poll(10, TimeUnit.SECONDS));
    TxReport second = reports.poll(10, TimeUnit.SECONDS);
    assertEquals(r.dbAfter().basisT(), second.dbAfter().basisT());
    assertEquals(r.dbBefore().basisT(), second.dbBefore().basisT());
    Peer.deleteDatabase(uri);
  }
}
