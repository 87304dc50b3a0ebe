package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.spi.DatabaseUri;
import io.accrete.transactor.TxnHistory.Mop;
import io.accrete.transactor.TxnHistory.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Multi-key transactions under combined faults, checked as Elle checks them
 * ({@link TxnHistory}): clients on a peer in this JVM and on peers in processes of their own run
 * transactions that read several lists and append to others, while faults follow each other —
 * the active transactor killed with SIGKILL, the active transactor cut from PostgreSQL (its
 * connection silent while the standby takes the lease), a peer process killed and started
 * again, PostgreSQL (a server of the test's own, committing with fsync) stopped and started
 * again or killed with SIGKILL and started again, the peers cut from the transactor (its
 * advertised address is a relay that goes silent), the peer in this JVM cut from PostgreSQL, the
 * peer processes cut from PostgreSQL. {@value #FAULTS} faults in CI (every kind at least once);
 * {@code -Dhistory.faults=N} for a long run.
 */
class MultiKeyHistoryTest {
  private static final int FAULTS = Integer.getInteger("history.faults", 10);
  private static final int KEYS = 5;
  /**
   * Kinds of fault, taken in turn: transactor kill, transactor cut from storage, peer process kill,
   * PostgreSQL restart, peers cut from the transactor, a peer cut from PostgreSQL, PostgreSQL
   * killed (SIGKILL, every process of the server), peer processes cut from PostgreSQL.
   */
  private static final int KINDS = 8;

  /**
   * A transactor in a process of its own, reaching PostgreSQL through one relay and reached by
   * peers through another (it advertises the relay's address); either can go silent.
   */
  private record Tx(ChildJvm jvm, Relay toStorage, Relay fromPeers) implements AutoCloseable {
    static Tx start(String tag, String jdbc) throws Exception {
      Relay storage = new Relay();
      storage.target(CutFromStorageTest.port(jdbc));
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Relay peers = new Relay();
      peers.target(port);
      return new Tx(ChildJvm.start(tag, TransactorProcess.class, List.of(), CutFromStorageTest.through(jdbc, storage),
          FailoverTest.HEARTBEAT, FailoverTest.LEASE, "-", String.valueOf(port), "127.0.0.1:" + peers.port()),
          storage, peers);
    }

    @Override
    public void close() throws Exception {
      jvm.close();
      toStorage.close();
      fromPeers.close();
    }
  }

  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path dir;

  private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres(java.nio.file.Path data, int port)
      throws java.io.IOException {
    // Commits wait for the WAL's fsync (the embedded server's default does not): a server killed
    // with SIGKILL must not lose what it acknowledged.
    return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(data)
        .setCleanDataDirectory(false).setPort(port).setServerConfig("synchronous_commit", "on")
        .setServerConfig("fsync", "on").start();
  }

  /** SIGKILL to the postmaster and every process it started, as a crash would; returns once all are gone. */
  private static void killPostgres(java.nio.file.Path data) throws Exception {
    long pid = Long.parseLong(java.nio.file.Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postmaster " + pid));
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(0, postmaster);
    for (ProcessHandle h : all) {
      h.destroyForcibly();
    }
    for (ProcessHandle h : all) {
      h.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @SuppressWarnings("resource") // the restarted server is closed in finally
  void multiKeyTransactionsUnderCombinedFaultsHaveNoAnomalies() throws Exception {
    int pgPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    java.nio.file.Path pgData = dir.resolve("pgdata");
    io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = postgres(pgData, pgPort); // restarted as a fault
    String jdbc = pg.getJdbcUrl("postgres", "postgres");
    String uri = "accrete:sql://lists?" + jdbc;
    List<Tx> transactors = new ArrayList<>();
    TxnHistory history = new TxnHistory();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    List<Throwable> died = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger peerKills = new AtomicInteger();
    Map<String, Integer> faults = new LinkedHashMap<>();
    Connection peer = null;
    Relay peerStorage = new Relay();
    Relay processStorage = new Relay(); // between the peer processes and PostgreSQL
    try {
      Tx active = Tx.start("tx-0", jdbc);
      transactors.add(active);
      active.jvm().await("active:", 60);
      Tx standby = Tx.start("tx-1", jdbc);
      transactors.add(standby);
      standby.jvm().await("standby:", 60);
      assertTrue(Peer.createDatabase(uri));
      peerStorage.target(pgPort);
      processStorage.target(pgPort);
      String processUri = "accrete:sql://lists?" + CutFromStorageTest.through(jdbc, processStorage);
      // The peer in this JVM reaches PostgreSQL through a relay (partitioned as a fault).
      peer = new SqlProvider().openPeer(DatabaseUri.parse("accrete:sql://lists?"
          + CutFromStorageTest.through(jdbc, peerStorage)));
      peer.transact(ListTxns.schema()).get(60, TimeUnit.SECONDS);

      for (int id = 0; id < 3; id++) {
        int client = id;
        Connection c = peer;
        clients.add(thread(died, () -> inProcess(client, c, history, stop)));
      }
      for (int id = 3; id < 5; id++) {
        int client = id;
        clients.add(thread(died, () -> inPeerProcess(client, processUri, history, stop, peerKills)));
      }
      Thread.sleep(3000);
      for (int f = 0; f < FAULTS; f++) {
        switch (f % KINDS) {
          case 0 -> {
            active.jvm().kill();
            standby.jvm().await("active: epoch", 60);
            faults.merge("transactor killed", 1, Integer::sum);
          }
          case 1 -> {
            active.toStorage().hold(true); // connections stay open, no byte moves
            standby.jvm().await("active: epoch", 60);
            active.toStorage().hold(false);
            active.jvm().await("deposed", 90);
            faults.merge("transactor cut from storage", 1, Integer::sum);
          }
          case 4 -> {
            active.fromPeers().hold(true); // peers reach storage, not the transactor
            Thread.sleep(3000);
            active.fromPeers().hold(false);
            faults.merge("peers cut from the transactor", 1, Integer::sum);
          }
          case 5 -> {
            peerStorage.hold(true); // the peer in this JVM reaches the transactor, not storage
            Thread.sleep(3000);
            peerStorage.hold(false);
            faults.merge("a peer cut from PostgreSQL", 1, Integer::sum);
          }
          case 3, 6 -> {
            if (f % KINDS == 6) {
              killPostgres(pgData); // every transactor and peer loses storage, mid-commit
              pg.close(); // its pg_ctl stop finds no server; this frees the data directory's lock
            } else {
              pg.close(); // every transactor and peer loses storage for a while
            }
            Thread.sleep(1000);
            pg = postgres(pgData, pgPort);
            Thread.sleep(4000); // the lease settles: the active one keeps it, or the standby takes it
            faults.merge(f % KINDS == 6 ? "PostgreSQL killed" : "PostgreSQL restarted", 1, Integer::sum);
          }
          case 7 -> {
            processStorage.hold(true); // peer processes reach the transactor, not storage
            Thread.sleep(3000);
            processStorage.hold(false);
            faults.merge("peer processes cut from PostgreSQL", 1, Integer::sum);
          }
          default -> {
            int before = peerKills.get();
            peerKills.incrementAndGet(); // the next peer process to see it is killed mid-transaction
            long until = System.currentTimeMillis() + 60_000;
            while (peerKills.get() > before && System.currentTimeMillis() < until) {
              Thread.sleep(20);
            }
            faults.merge("peer process killed", 1, Integer::sum);
          }
        }
        boolean restarted = f % KINDS == 3 || f % KINDS == 6;
        boolean failedOver = f % KINDS < 2 || (restarted && !active.jvm().process().isAlive());
        if (failedOver) {
          if (restarted) {
            standby.jvm().await("active: epoch", 60);
          }
          active.close();
          active = standby;
          standby = Tx.start("tx-" + (f + 2), jdbc);
          transactors.add(standby);
          standby.jvm().await("standby:", 60);
        } else if (!standby.jvm().process().isAlive()) { // a standby that gave up during the outage
          standby.close();
          standby = Tx.start("tx-" + (f + 2), jdbc);
          transactors.add(standby);
          standby.jvm().await("standby:", 60);
        }
        Thread.sleep(1500);
      }
      Thread.sleep(1500);
      stop.set(true);
      for (Thread t : clients) {
        t.join(180_000);
        assertFalse(t.isAlive(), "a client is stuck");
      }
      assertEquals(List.of(), died, "clients died");
      Map<Long, List<Long>> fin = new LinkedHashMap<>();
      io.accrete.Database db = peer.sync().get(60, TimeUnit.SECONDS);
      for (long k = 0; k < KEYS; k++) {
        fin.put(k, ListTxns.list(db, k));
      }
      List<String> anomalies = history.check(fin);
      System.out.printf("multi-key history: %d faults %s; %d transactions: %d ok, %d unknown, %d refused;"
          + " %d non-empty reads; %d anomalies%n", FAULTS, faults, history.size(), history.count(Outcome.OK),
          history.count(Outcome.UNKNOWN), history.count(Outcome.FAIL), history.nonEmptyReads(), anomalies.size());
      assertEquals(List.of(), anomalies.subList(0, Math.min(10, anomalies.size())));
      assertEquals(FAULTS, faults.values().stream().mapToInt(Integer::intValue).sum(), "every fault was injected");
      assertTrue(history.count(Outcome.OK) > 100, "clients got work done: " + history.count(Outcome.OK));
      assertTrue(history.nonEmptyReads() > 50, "reads saw data, so the read checks checked something");
    } finally {
      stop.set(true);
      for (Thread t : clients) {
        t.join(60_000);
      }
      if (peer != null) {
        peer.release();
      }
      for (Tx t : transactors) {
        t.close();
      }
      peerStorage.close();
      processStorage.close();
      pg.close();
    }
  }

  private static Thread thread(List<Throwable> died, ThrowingRunnable r) {
    Thread t = new Thread(() -> {
      try {
        r.run();
      } catch (Throwable e) {
        died.add(e);
      }
    });
    t.start();
    return t;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** A random transaction: reads first (they see the state before the transaction's own appends), appends to other keys. */
  private static List<Mop> transaction(Random r, int client, long[] seq, boolean readOnly) {
    List<Long> keys = new ArrayList<>();
    for (long k = 0; k < KEYS; k++) {
      keys.add(k);
    }
    java.util.Collections.shuffle(keys, r);
    int n = 1 + r.nextInt(4);
    List<Mop> mops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long k = keys.get(i);
      if (readOnly || r.nextBoolean()) {
        mops.add(Mop.read(k, null));
      } else {
        mops.add(Mop.append(k, client * 1_000_000_000L + seq[0]++));
      }
    }
    mops.sort((a, b) -> Boolean.compare(a.append(), b.append()));
    return mops;
  }

  private static void inProcess(int client, Connection c, TxnHistory history, AtomicBoolean stop) {
    Random r = new Random(client);
    long[] seq = {0};
    while (!stop.get()) {
      boolean readOnly = r.nextInt(4) == 0;
      boolean synced = r.nextBoolean();
      List<Mop> mops = transaction(r, client, seq, readOnly);
      long invoked = System.nanoTime();
      ListTxns.Result res = readOnly ? ListTxns.read(c, mops, synced) : ListTxns.write(c, mops);
      if (!readOnly || res.outcome() == Outcome.OK) { // a failed read wrote nothing: not history
        history.add(new TxnHistory.Txn(client, res.mops(), readOnly && synced, invoked, System.nanoTime(),
            res.outcome(), res.t()));
      }
    }
  }

  private static void inPeerProcess(int client, String uri, TxnHistory history, AtomicBoolean stop,
      AtomicInteger kills) throws Exception {
    Random r = new Random(client);
    long[] seq = {0};
    int id = 0;
    ChildJvm p = started(client, uri);
    try {
      while (!stop.get()) {
        boolean readOnly = r.nextInt(4) == 0;
        boolean synced = r.nextBoolean();
        List<Mop> mops = transaction(r, client, seq, readOnly);
        String req = ++id + "";
        long invoked = System.nanoTime();
        p.send(readOnly ? "Q " + req + " " + (synced ? 1 : 0) + " " + ListTxns.encode(mops)
            : "W " + req + " " + ListTxns.encode(mops));
        int k = kills.get();
        if (k > 0 && kills.compareAndSet(k, k - 1)) {
          p.kill(); // the transaction in flight: its outcome is unknown
          if (!readOnly) {
            history.add(new TxnHistory.Txn(client, mops, false, invoked, System.nanoTime(), Outcome.UNKNOWN));
          }
          p = started(client, uri);
          continue;
        }
        String prefix = "R " + req + " ";
        String line = p.await(l -> l.startsWith(prefix), 120);
        String rest = line.substring(prefix.length());
        int hash = rest.indexOf(" # ");
        String[] f = (hash < 0 ? rest : rest.substring(0, hash)).split(" ", 3);
        Outcome o = Outcome.valueOf(f[0]);
        long t = Long.parseLong(f[1]);
        Map<Long, List<Long>> reads = ListTxns.parseReads(f.length > 2 ? f[2] : "");
        List<Mop> done = new ArrayList<>();
        for (Mop m : mops) {
          done.add(m.append() || o != Outcome.OK ? m : Mop.read(m.key(), reads.getOrDefault(m.key(), List.of())));
        }
        if (!readOnly || o == Outcome.OK) {
          history.add(new TxnHistory.Txn(client, done, readOnly && synced, invoked, System.nanoTime(), o, t));
        }
      }
    } finally {
      p.close();
    }
  }

  private static ChildJvm started(int client, String uri) throws Exception {
    ChildJvm p = ChildJvm.start("peer-" + client, TxnPeerProcess.class, List.of(), uri);
    try {
      p.await("READY", 90);
    } catch (AssertionError e) {
      // Where it is stuck: the JVM prints its threads on SIGQUIT, and the failure carries them.
      p.signal("QUIT");
      Thread.sleep(2000);
      throw new AssertionError("peer-" + client + " did not open its connection within 90 s; its threads: "
          + p.output(), e);
    }
    return p;
  }
}
