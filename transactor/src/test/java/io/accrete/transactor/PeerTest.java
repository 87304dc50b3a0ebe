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
    assertTrue(c.syncIndex(r.dbAfter().basisT()).get(30, TimeUnit.SECONDS).basisT() >= r.dbAfter().basisT(),
        "syncIndex through the transactor");
    assertNotNull(reports.poll(10, TimeUnit.SECONDS));
    TxReport second = reports.poll(10, TimeUnit.SECONDS);
    assertEquals(r.dbAfter().basisT(), second.dbAfter().basisT());
    assertEquals(r.dbBefore().basisT(), second.dbBefore().basisT());
    Peer.deleteDatabase(uri);
  }

  /** Every datom of a value, history included, as text: two peers must agree exactly. */
  private static java.util.Set<String> allDatoms(io.accrete.Database db) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (io.accrete.Datom d : db.history().datoms(io.accrete.Keyword.intern(":eavt"))) {
      out.add(d.e() + " " + d.a() + " " + d.v() + " " + d.tx() + " " + d.added());
    }
    return out;
  }

  @Test
  void aReadingPeerThatAppliesBatchesWholeAgreesWithTheWriter() throws Exception {
    String uri = uri("batches");
    assertTrue(Peer.createDatabase(uri));
    SqlProvider provider = new SqlProvider();
    PeerConnection writer = provider.openPeer(io.accrete.spi.DatabaseUri.parse(uri));
    PeerConnection reader = provider.openPeer(io.accrete.spi.DatabaseUri.parse(uri));
    writer.transact("[{:db/ident :c/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
        + " {:db/ident :c/key :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
        + " {:db/ident :c/tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}]").get(30, TimeUnit.SECONDS);
    List<java.util.concurrent.CompletableFuture<TxReport>> pending = new java.util.ArrayList<>();
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 400; i++) {
      String key = "k" + r.nextInt(20);
      String tx = switch (r.nextInt(3)) {
        case 0 -> "[{:c/key \"" + key + "\" :c/n " + i + " :c/tags :t" + r.nextInt(4) + "}]";
        case 1 -> "[[:db/retract [:c/key \"" + key + "\"] :c/tags :t" + r.nextInt(4) + "]]";
        default -> "[[:db/retractEntity [:c/key \"" + key + "\"]]]";
      };
      pending.add(writer.transact(tx)); // many in flight: the transactor batches them
    }
    for (java.util.concurrent.CompletableFuture<TxReport> f : pending) {
      try {
        TxReport report = f.get(30, TimeUnit.SECONDS);
        // The writer's own report holds the values right before and after its transaction.
        assertNull(report.dbAfter().asOfT(), "a whole value, not a filtered one");
        assertTrue(report.dbBefore().basisT() < report.dbAfter().basisT());
        assertFalse(report.txData().isEmpty());
      } catch (java.util.concurrent.ExecutionException e) {
        // a retraction of an entity that does not exist yet: refused, nothing written
      }
    }
    io.accrete.Database w = writer.sync().get(30, TimeUnit.SECONDS);
    io.accrete.Database rd = reader.sync().get(30, TimeUnit.SECONDS);
    assertEquals((Object) w.basisT(), (Object) rd.basisT());
    assertEquals(allDatoms(w), allDatoms(rd));
    Object fromWriter = Peer.q("[:find ?k ?n :where [?e :c/key ?k] [?e :c/n ?n]]", w);
    Object fromReader = Peer.q("[:find ?k ?n :where [?e :c/key ?k] [?e :c/n ?n]]", rd);
    assertEquals(fromWriter, fromReader);
    writer.release();
    reader.release();
    Peer.deleteDatabase(uri);
  }
}
