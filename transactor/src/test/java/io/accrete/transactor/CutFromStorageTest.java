package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import com.zaxxer.hikari.HikariDataSource;
import io.accrete.storage.SqlStorage;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The active transactor cut off from storage while its peers still reach it: a standby takes
 * the lease over and acknowledges a write through a new peer; a peer that then calls
 * {@code sync()} must see that write (never the deposed transactor's older basis) and must move
 * to the new transactor. All real processes: two transactors and two peers as JVMs of their own,
 * embedded PostgreSQL, and relays on loopback that go silent (bytes and closes held, nothing
 * closed).
 */
class CutFromStorageTest {
  private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

  @Test
  void syncSeesWhatTheNewTransactorAcknowledged() throws Exception {
    cutFromStorage(false);
  }

  @Test
  void aPeerWhoseLinkToTheCutOffTransactorGoesSilentFindsTheNewOne() throws Exception {
    cutFromStorage(true);
  }

  /**
   * Transactor A reaches PostgreSQL only through a relay, standby B directly; peer P writes 1
   * through A, then A's storage relay goes silent ({@code silentLink}: P's link to A too). B takes
   * over, peer Q writes 2 through B; P syncs and must read 1 and 2, then write through B. Once
   * the network is back, A finds the lease taken and stops.
   */
  private static void cutFromStorage(boolean silentLink) throws Exception {
    String jdbc = TestTransactor.freshStorage(silentLink ? "cutlink" : "cutstore");
    String uri = "accrete:sql://db?" + jdbc;
    try (Relay toStorage = new Relay(); Relay toA = new Relay()) {
      toStorage.target(port(jdbc));
      int portA = freePort();
      toA.target(portA);
      try (ChildJvm a = ChildJvm.start("tx-a", TransactorProcess.class, List.of(), through(jdbc, toStorage),
          FailoverTest.HEARTBEAT, FailoverTest.LEASE, "-", String.valueOf(portA), "127.0.0.1:" + toA.port())) {
        a.await("active: epoch 1", 60);
        try (ChildJvm b = FailoverTest.transactor("tx-b", jdbc)) {
          b.await("standby:", 60);
          FailoverTest.createWithSchema(uri).release();
          try (ChildJvm p = peer("peer-p", uri)) {
            p.send("WRITE 1");
            p.await("WROTE 1 ", 60);

            toStorage.hold(true);
            if (silentLink) {
              toA.hold(true);
            }
            b.await("active: epoch 2", 60);
            try (ChildJvm q = peer("peer-q", uri)) {
              q.send("WRITE 2");
              q.await("WROTE 2 ", 60);

              p.send("SYNC");
              assertEquals("SEES [1,2]", p.await(l -> l.startsWith("SEES") || l.startsWith("FAILED"), 60),
                  "sync sees every write acknowledged before it began, whoever acknowledged it");
              p.send("WRITE 3");
              String wrote = p.await(l -> l.startsWith("WROTE 3 ") || l.startsWith("FAILED"), 60);
              assertTrue(wrote.startsWith("WROTE 3 "), "P writes through the new transactor: " + wrote);
              q.send("SYNC");
              assertEquals("SEES [1,2,3]", q.await(l -> l.startsWith("SEES"), 60));
              if (!silentLink) {
                a.await("cannot prove the lease", 10);
              }

              toStorage.hold(false);
              toA.hold(false);
              a.await("deposed", 90);
              assertTrue(a.process().waitFor(30, TimeUnit.SECONDS));
              assertEquals(3, a.process().exitValue(), "A found the lease taken and stopped");
              p.send("SYNC");
              assertEquals("SEES [1,2,3]", p.await(l -> l.startsWith("SEES [1,2,3]") || l.startsWith("FAILED"), 60));
            }
          }
        }
      }
    }
  }

  /**
   * In one process: the transactor's own connection refuses {@code sync} while the transactor
   * cannot prove its lease (storage silent), and answers again once a heartbeat reaches storage
   * and shows the lease is still its own.
   */
  @Test
  void aTransactorThatCannotProveItsLeaseRefusesSyncUntilStorageConfirmsIt() throws Exception {
    String jdbc = TestTransactor.freshStorage("unproven");
    try (Relay toStorage = new Relay()) {
      toStorage.target(port(jdbc));
      Transactor t = Transactor.start(Transactor.Options.of(through(jdbc, toStorage), "127.0.0.1", 0, System.out)
          .withTimings(200, 1000));
      try {
        t.activated().get(60, TimeUnit.SECONDS);
        assertTrue(io.accrete.Peer.createDatabase("accrete:sql://db?" + jdbc));
        io.accrete.Connection c = t.connection("db");
        c.transact(FailoverTest.SCHEMA).get(30, TimeUnit.SECONDS);
        assertNotNull(c.sync().get(10, TimeUnit.SECONDS));
        toStorage.hold(true);
        Thread.sleep(1500);
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> c.sync().get(10, TimeUnit.SECONDS));
        assertEquals(TransactorLink.UNAVAILABLE, ((io.accrete.AccreteException) e.getCause()).code());
        assertTrue(e.getCause().getMessage().contains("cannot prove it still holds the lease"), e.getCause().getMessage());
        toStorage.hold(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!t.leaseProven() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(Transactor.State.ACTIVE, t.state(), "nobody else took the lease: still active");
        assertNotNull(c.sync().get(10, TimeUnit.SECONDS), "answers again once storage confirms the lease");
      } finally {
        t.close();
      }
    }
  }

  /**
   * A storage session that hangs inside a transaction holding the lease row (a transactor frozen
   * or cut off in the middle of a fenced write) does not keep the next transactor from taking
   * the lease: PostgreSQL ends the idle transaction and frees the row.
   */
  @Test
  void aHungStorageSessionDoesNotBlockTheNextTransactor() throws Exception {
    String jdbc = TestTransactor.freshStorage("hung");
    try (Relay toStorage = new Relay()) {
      toStorage.target(port(jdbc));
      Transactor first = Transactor.start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000));
      first.activated().get(60, TimeUnit.SECONDS);
      first.close(); // released: a standby may take over at once
      try (HikariDataSource pool = SqlStorage.pool(through(jdbc, toStorage))) {
        Connection c = pool.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("SELECT val FROM " + SqlProvider.TABLE + " WHERE id = ? FOR SHARE")) {
          s.setString(1, "root:" + Lease.ROOT);
          assertTrue(s.executeQuery().next());
        }
        toStorage.hold(true); // the session stays open, idle in its transaction
        long start = System.nanoTime();
        Transactor next = Transactor.start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000));
        try {
          assertEquals(2L, next.activated().get(60, TimeUnit.SECONDS));
          double waited = (System.nanoTime() - start) / 1e9;
          System.out.printf("the next transactor took the lease %.1f s after the session hung%n", waited);
          assertTrue(waited < 20, "took " + waited + " s");
        } finally {
          next.close();
          toStorage.hold(false);
        }
        SQLException ended = assertThrows(SQLException.class, c::commit, "the server ended the hung session");
        assertTrue(ended.getMessage().contains("idle-in-transaction"), ended.getMessage());
        pool.evictConnection(c);
      }
    }
  }

  private static ChildJvm peer(String tag, String uri) throws Exception {
    ChildJvm p = ChildJvm.start(tag, PeerProcess.class, List.of(), uri);
    p.await("READY", 60);
    return p;
  }

  static int port(String jdbc) {
    Matcher m = HOST_PORT.matcher(jdbc);
    assertTrue(m.find(), jdbc);
    return Integer.parseInt(m.group(2));
  }

  /** The same JDBC URL, reaching PostgreSQL through {@code relay}. */
  static String through(String jdbc, Relay relay) {
    return HOST_PORT.matcher(jdbc).replaceFirst("//127.0.0.1:" + relay.port() + "/");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
