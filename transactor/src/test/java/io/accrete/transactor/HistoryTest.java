package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.spi.DatabaseUri;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Concurrent clients on two peers append to lists through transactions and read them, while
 * the active transactor (a JVM of its own) is killed with SIGKILL and the standby takes over,
 * twice; every operation is recorded and the history is checked ({@link ListAppendHistory}).
 */
class HistoryTest {
  private static final String SCHEMA = """
      [{:db/ident :list/key :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :list/elem :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""";
  private static final int KEYS = 4;

  /** The lists in a database value: each key's elements in transaction order. */
  static Map<Long, List<Long>> lists(Database db) {
    Collection<?> rows = (Collection<?>) Peer.q(
        "[:find ?k ?v ?tx :where [?e :list/key ?k ?tx] [?e :list/elem ?v]]", db);
    Map<Long, TreeMap<Long, Long>> byTx = new TreeMap<>();
    for (Object row : rows) {
      List<?> r = (List<?>) row;
      byTx.computeIfAbsent((Long) r.get(0), k -> new TreeMap<>()).put((Long) r.get(2), (Long) r.get(1));
    }
    Map<Long, List<Long>> out = new TreeMap<>();
    byTx.forEach((k, m) -> out.put(k, new ArrayList<>(m.values())));
    return out;
  }

  @Test
  void listAppendHistoryAcrossFailoversHasNoAnomalies() throws Exception {
    String jdbc = TestTransactor.freshStorage("history");
    String uri = "accrete:sql://lists?" + jdbc;
    List<ChildJvm> transactors = new ArrayList<>();
    ListAppendHistory history = new ListAppendHistory();
    try {
      ChildJvm active = FailoverTest.transactor("tx-0", jdbc);
      transactors.add(active);
      active.await("active:", 60);
      ChildJvm standby = FailoverTest.transactor("tx-1", jdbc);
      transactors.add(standby);
      standby.await("standby:", 60);
      assertTrue(Peer.createDatabase(uri));
      SqlProvider provider = new SqlProvider();
      List<PeerConnection> peers = List.of(provider.openPeer(DatabaseUri.parse(uri)),
          provider.openPeer(DatabaseUri.parse(uri)));
      peers.get(0).transact(SCHEMA).get(30, TimeUnit.SECONDS);

      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int id = 0; id < 6; id++) {
        int client = id;
        PeerConnection c = peers.get(id % 2);
        Thread t = new Thread(() -> run(client, c, history, stop));
        t.start();
        clients.add(t);
      }
      for (int round = 2; round <= 3; round++) {
        Thread.sleep(2000);
        active.kill();
        standby.await("active:", 30);
        active = standby;
        standby = FailoverTest.transactor("tx-" + round, jdbc);
        transactors.add(standby);
        standby.await("standby:", 60);
      }
      Thread.sleep(1500);
      stop.set(true);
      for (Thread t : clients) {
        t.join(120_000);
      }
      Map<Long, List<Long>> fin = lists(peers.get(0).sync().get(30, TimeUnit.SECONDS));
      assertEquals(fin, lists(peers.get(1).sync().get(30, TimeUnit.SECONDS)), "both peers end equal");
      List<String> anomalies = history.check(fin);
      System.out.printf("history: %d operations; appends %d ok, %d unknown, %d refused; reads %d; anomalies %d%n",
          history.size(), history.count(true, ListAppendHistory.Outcome.OK),
          history.count(true, ListAppendHistory.Outcome.UNKNOWN), history.count(true, ListAppendHistory.Outcome.FAIL),
          history.count(false, ListAppendHistory.Outcome.OK), anomalies.size());
      assertEquals(List.of(), anomalies);
      assertTrue(history.count(true, ListAppendHistory.Outcome.OK) > 200, "clients got work done");
      for (PeerConnection p : peers) {
        p.release();
      }
    } finally {
      for (ChildJvm j : transactors) {
        j.close();
      }
    }
  }

  private static void run(int client, PeerConnection c, ListAppendHistory history, AtomicBoolean stop) {
    Random r = new Random(client);
    long seq = 0;
    while (!stop.get()) {
      long invoked = System.nanoTime();
      if (r.nextInt(10) < 6) {
        long key = r.nextInt(KEYS);
        long value = client * 1_000_000L + seq++;
        ListAppendHistory.Outcome outcome;
        try {
          c.transact("[{:db/id \"e\" :list/key " + key + " :list/elem " + value + "}]").get(60, TimeUnit.SECONDS);
          outcome = ListAppendHistory.Outcome.OK;
        } catch (ExecutionException e) {
          outcome = e.getCause() instanceof AccreteException a && TransactorLink.UNKNOWN.equals(a.code())
              ? ListAppendHistory.Outcome.UNKNOWN : ListAppendHistory.Outcome.FAIL;
        } catch (Exception e) {
          outcome = ListAppendHistory.Outcome.UNKNOWN;
        }
        history.add(new ListAppendHistory.Op(client, true, key, value, false, invoked, System.nanoTime(), outcome, null));
      } else {
        boolean synced = r.nextBoolean();
        try {
          Database db = synced ? c.sync().get(60, TimeUnit.SECONDS) : c.db();
          history.add(new ListAppendHistory.Op(client, false, -1, -1, synced, invoked, System.nanoTime(),
              ListAppendHistory.Outcome.OK, lists(db)));
        } catch (Exception e) {
          // A sync that found no transactor and no storage: no read to record.
        }
      }
    }
  }
}
