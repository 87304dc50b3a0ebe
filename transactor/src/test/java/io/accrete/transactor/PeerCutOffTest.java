package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Peer;
import io.accrete.spi.DatabaseUri;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer cut off from its transactor (its connection closed, new ones refused) keeps answering
 * reads, says clearly that writes cannot reach a transactor, and once the network is back
 * reconnects by itself and catches up with what another peer wrote meanwhile.
 */
class PeerCutOffTest {
  /** An active transactor that peers reach only through {@code relay}, and the database {@code uri} on it. */
  private static Transactor behind(Relay relay, String jdbc, String uri) throws Exception {
    Transactor t = Transactor.start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000)
        .withAdvertise("127.0.0.1:" + relay.port()));
    relay.target(t.port());
    t.activated().get(30, TimeUnit.SECONDS);
    assertTrue(Peer.createDatabase(uri));
    return t;
  }

  @Test
  void aPeerCutOffReadsOnAndCatchesUpWhenReconnected() throws Exception {
    String jdbc = TestTransactor.freshStorage("cutoff");
    String uri = "accrete:sql://db?" + jdbc;
    try (Relay relay = new Relay()) {
      Transactor t = behind(relay, jdbc, uri);
      try {
        SqlProvider provider = new SqlProvider();
        System.setProperty("accrete.writeWaitMillis", "1500");
        PeerConnection a;
        PeerConnection b;
        try {
          a = provider.openPeer(DatabaseUri.parse(uri));
          a.transact(FailoverTest.SCHEMA).get(30, TimeUnit.SECONDS);
          a.transact("[{:db/id \"x\" :w/value 0}]").get(30, TimeUnit.SECONDS);
          assertEquals(1, relay.connections());
          b = provider.openPeer(DatabaseUri.parse(uri));
          b.transact("[{:db/id \"x\" :w/value 1}]").get(30, TimeUnit.SECONDS);
        } finally {
          System.clearProperty("accrete.writeWaitMillis");
        }

        // a has seen b's write before the cut, so nothing pushed earlier can arrive late.
        Set<Long> before = FailoverTest.values(a.sync().get(30, TimeUnit.SECONDS));
        assertEquals(Set.of(0L, 1L), before);
        relay.refuse(true);
        relay.cut(0); // a's link
        for (long v = 2; v < 12; v++) {
          b.transact("[{:db/id \"x\" :w/value " + v + "}]").get(30, TimeUnit.SECONDS);
        }
        assertEquals(before, FailoverTest.values(a.db()), "the cut-off peer still reads its last value");
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> a.transact("[{:db/id \"x\" :w/value 99}]").get(30, TimeUnit.SECONDS));
        assertEquals(TransactorLink.UNAVAILABLE, ((AccreteException) e.getCause()).code());
        assertTrue(e.getCause().getMessage().contains("No transactor is reachable") && e.getCause().getMessage().contains("reads still work"),
            e.getCause().getMessage());

        relay.refuse(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!a.transactorConnected() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertTrue(a.transactorConnected(), "the peer reconnected by itself");
        Set<Long> expected = new TreeSet<>();
        for (long v = 0; v < 12; v++) {
          expected.add(v);
        }
        assertEquals(expected, FailoverTest.values(a.sync().get(30, TimeUnit.SECONDS)), "it caught up");
        a.transact("[{:db/id \"x\" :w/value 12}]").get(30, TimeUnit.SECONDS);
        expected.add(12L);
        assertEquals(expected, FailoverTest.values(b.sync().get(30, TimeUnit.SECONDS)));
        a.release();
        b.release();
      } finally {
        t.close();
      }
    }
  }

  /**
   * Every call has a timeout: with the network silent (nothing closed, nothing delivered), a
   * transaction fails after {@code accrete.txTimeoutMillis} as of unknown outcome, and a sync
   * answers from the log in storage instead of waiting.
   */
  @Test
  void callsTimeOutWhenTheNetworkGoesSilent() throws Exception {
    String jdbc = TestTransactor.freshStorage("silent");
    String uri = "accrete:sql://db?" + jdbc;
    try (Relay relay = new Relay()) {
      Transactor t = behind(relay, jdbc, uri);
      try {
        System.setProperty("accrete.txTimeoutMillis", "700");
        PeerConnection a;
        try {
          a = new SqlProvider().openPeer(DatabaseUri.parse(uri));
        } finally {
          System.clearProperty("accrete.txTimeoutMillis");
        }
        a.transact(FailoverTest.SCHEMA).get(30, TimeUnit.SECONDS);
        a.transact("[{:db/id \"x\" :w/value 1}]").get(30, TimeUnit.SECONDS);
        relay.hold(true);
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> a.transact("[{:db/id \"x\" :w/value 2}]").get(30, TimeUnit.SECONDS));
        double waited = (System.nanoTime() - start) / 1e9;
        assertEquals(TransactorLink.UNKNOWN, ((AccreteException) e.getCause()).code());
        assertTrue(e.getCause().getMessage().contains("did not answer within 700 ms"), e.getCause().getMessage());
        assertTrue(waited < 5, "it failed after the timeout, not later: " + waited + " s");
        assertEquals(Set.of(1L), FailoverTest.values(a.sync().get(10, TimeUnit.SECONDS)),
            "sync answers from storage (the held transaction has not reached the transactor)");
        relay.hold(false);
        a.release();
      } finally {
        t.close();
      }
    }
  }
}
