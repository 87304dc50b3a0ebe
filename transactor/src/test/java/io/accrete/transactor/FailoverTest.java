package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Transactors and peers as separate JVMs on loopback over a real PostgreSQL: peers see each
 * other's writes after {@code sync}; killing the active transactor with SIGKILL under load hands
 * the lease to the standby without losing an acknowledged transaction or applying one twice;
 * the killed transactor comes back as the next standby; peers ride out the restart of their only
 * transactor.
 */
class FailoverTest {
  static final String SCHEMA = "[{:db/ident :w/value :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";
  static final String HEARTBEAT = "200";
  static final String LEASE = "1000";

  static ChildJvm transactor(String tag, String jdbc) throws Exception {
    return ChildJvm.start(tag, TransactorProcess.class, List.of(), jdbc, HEARTBEAT, LEASE);
  }

  /** Creates the database, connects this JVM as a peer and transacts {@link #SCHEMA}. */
  static Connection createWithSchema(String uri) throws Exception {
    assertTrue(Peer.createDatabase(uri));
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).get(30, TimeUnit.SECONDS);
    return c;
  }

  /** A {@link PeerProcess} of {@code uri}, connected. */
  static ChildJvm peerProcess(String uri) throws Exception {
    ChildJvm p = ChildJvm.start("peer", PeerProcess.class, List.of(), uri);
    p.await("READY", 60);
    return p;
  }

  static Set<Long> values(Database db) {
    Set<Long> s = new TreeSet<>();
    for (Object o : (Collection<?>) Peer.q("[:find [?v ...] :where [_ :w/value ?v]]", db)) {
      s.add((Long) o);
    }
    return s;
  }

  @Test
  void twoPeerProcessesSeeEachOthersWritesAfterSync() throws Exception {
    String jdbc = TestTransactor.freshStorage("peers");
    String uri = "accrete:sql://shared?" + jdbc;
    try (ChildJvm tx = transactor("transactor", jdbc)) {
      tx.await("active:", 60);
      Connection c = createWithSchema(uri);
      try (ChildJvm other = peerProcess(uri)) {
        Set<Long> all = new TreeSet<>();
        for (long i = 1; i <= 20; i++) {
          other.send("WRITE " + (2 * i + 1));
          c.transact("[{:db/id \"x\" :w/value " + 2 * i + "}]").get(30, TimeUnit.SECONDS);
          all.add(2 * i);
          all.add(2 * i + 1);
        }
        other.await("WROTE 41 ", 60);
        assertEquals(all, values(c.sync().get(30, TimeUnit.SECONDS)), "this peer sees the other's writes after sync");
        other.send("SYNC");
        String seen = other.await(l -> l.startsWith("SEES"), 60);
        assertEquals("SEES " + all.toString().replace(" ", ""), seen, "the other peer sees this one's writes after sync");
      }
      c.release();
    }
  }

  @Test
  void peersRideOutARestartOfTheirOnlyTransactor() throws Exception {
    String jdbc = TestTransactor.freshStorage("restart");
    String uri = "accrete:sql://restarted?" + jdbc;
    try (ChildJvm first = transactor("tx-first", jdbc)) {
      first.await("active:", 60);
      Connection c = createWithSchema(uri);
      try (ChildJvm other = peerProcess(uri)) {
        Set<Long> all = new TreeSet<>();
        for (long v = 1; v <= 5; v++) {
          c.transact("[{:db/id \"x\" :w/value " + v + "}]").get(30, TimeUnit.SECONDS);
          other.send("WRITE " + (100 + v));
          other.await("WROTE " + (100 + v) + " ", 60);
          all.add(v);
          all.add(100 + v);
        }
        first.kill();
        assertEquals(all, values(c.sync().get(30, TimeUnit.SECONDS)), "with no transactor, sync reads the log");
        // A write sent while no transactor runs waits for the next one (within accrete.writeWaitMillis).
        var waiting = c.transact("[{:db/id \"x\" :w/value 6}]");
        Thread.sleep(500);
        assertFalse(waiting.isDone(), "the write waits for a transactor");
        try (ChildJvm second = transactor("tx-second", jdbc)) {
          second.await("active:", 60);
          waiting.get(30, TimeUnit.SECONDS);
          all.add(6L);
          other.send("WRITE 106");
          other.await("WROTE 106 ", 60);
          all.add(106L);
          assertEquals(all, values(c.sync().get(30, TimeUnit.SECONDS)), "this peer sees every write after the restart");
          other.send("SYNC");
          assertEquals("SEES " + all.toString().replace(" ", ""), other.await(l -> l.startsWith("SEES"), 60),
              "the other peer too");
        }
      } finally {
        c.release();
      }
    }
  }

  @Test
  void killNineOfTheActiveTransactorUnderLoad() throws Exception {
    String jdbc = TestTransactor.freshStorage("failover");
    String uri = "accrete:sql://orders?" + jdbc;
    List<ChildJvm> all = new ArrayList<>();
    try {
      ChildJvm active = transactor("tx-0", jdbc);
      all.add(active);
      active.await("active:", 60);
      ChildJvm standby = transactor("tx-1", jdbc);
      all.add(standby);
      standby.await("standby:", 60);
      Connection c = createWithSchema(uri);

      Set<Long> acked = ConcurrentHashMap.newKeySet();
      Set<Long> unknown = ConcurrentHashMap.newKeySet();
      Set<Long> refused = ConcurrentHashMap.newKeySet();
      List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicLong next = new AtomicLong();
      AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
      AtomicLong resumedAt = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            long v = next.incrementAndGet();
            long invoked = System.nanoTime();
            try {
              c.transact("[{:db/id \"x\" :w/value " + v + "}]").get(60, TimeUnit.SECONDS);
              acked.add(v);
              if (invoked > killedAt.get()) {
                resumedAt.compareAndSet(0, System.nanoTime()); // the first write sent after the kill
              }
            } catch (ExecutionException e) {
              AccreteException a = (AccreteException) e.getCause();
              (TransactorLink.UNKNOWN.equals(a.code()) ? unknown : refused).add(v);
              errors.add(a.code() + " " + a.getMessage());
            } catch (Exception e) {
              errors.add(e.toString());
            }
          }
        });
        t.start();
        writers.add(t);
      }
      List<Double> pauses = new ArrayList<>();
      for (int round = 2; round <= 4; round++) {
        Thread.sleep(1500);
        int before = acked.size();
        resumedAt.set(0);
        long killed = System.nanoTime();
        killedAt.set(killed);
        active.kill();
        standby.await("active:", 30);
        while (resumedAt.get() == 0 && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(30)) {
          Thread.sleep(10);
        }
        pauses.add((resumedAt.get() - killed) / 1e9);
        assertTrue(acked.size() >= before, "writes go on");
        active = standby;
        standby = transactor("tx-" + round, jdbc); // the killed one comes back, as the standby
        all.add(standby);
        standby.await("standby:", 60);
      }
      Thread.sleep(1000);
      stop.set(true);
      for (Thread t : writers) {
        t.join(120_000);
      }
      Database db = c.sync().get(30, TimeUnit.SECONDS);
      Collection<?> counts = (Collection<?>) Peer.q("[:find ?v (count ?e) :where [?e :w/value ?v]]", db);
      Set<Long> present = new TreeSet<>();
      for (Object row : counts) {
        List<?> r = (List<?>) row;
        assertEquals(1L, ((Number) r.get(1)).longValue(), "value " + r.get(0) + " was applied more than once");
        present.add((Long) r.get(0));
      }
      for (long v : acked) {
        assertTrue(present.contains(v), "acknowledged " + v + " was lost");
      }
      for (long v : refused) {
        assertFalse(present.contains(v), "refused " + v + " was applied: " + errors);
      }
      for (long v : present) {
        assertTrue(acked.contains(v) || unknown.contains(v), v + " appeared from nowhere");
      }
      System.out.printf("failover: %d acknowledged, %d of unknown outcome (%d of them applied), %d refused;"
          + " writes resumed %s s after each SIGKILL%n", acked.size(), unknown.size(),
          unknown.stream().filter(present::contains).count(), refused.size(), pauses);
      assertTrue(acked.size() > 100, "writers got work done: " + acked.size());
      for (double p : pauses) {
        assertTrue(p > 0 && p < 15, "writes resumed after a failover: " + pauses);
      }
      c.release();
      Connection reopened = Peer.connect(uri);
      assertEquals(present, values(reopened.db()), "a new peer reads the same from storage");
      reopened.release();
    } finally {
      for (ChildJvm j : all) {
        j.close();
      }
    }
  }
}
