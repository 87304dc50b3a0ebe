package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Log;
import io.accrete.Peer;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.GarbageList;
import io.accrete.storage.LocalStorage;
import io.accrete.storage.Storage;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wall clocks that disagree and jump (issue 17): the lease is timed by each process's monotonic
 * clock, so a transactor whose wall clock jumps keeps its lease and a standby whose clock runs
 * hours ahead does not take over early; transaction instants never go backwards; a peer decides
 * whether a transactor is alive without comparing clocks; and garbage collection measures its
 * retention window by the monotonic clock, so a jump ahead deletes nothing an older database value
 * still reads.
 */
class ClockSkewTest {
  private static final long HOUR = 3_600_000;
  private static final String SCHEMA = "[{:db/ident :w/value :db/valueType :db.type/long"
      + " :db/cardinality :db.cardinality/one}]";

  /** The system's wall clock moved by an offset that the test changes while it runs. */
  static final class SkewedClock implements InstantSource {
    final AtomicLong offset = new AtomicLong();

    SkewedClock(long offsetMillis) {
      offset.set(offsetMillis);
    }

    @Override
    public long millis() {
      return System.currentTimeMillis() + offset.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }
  }

  @TempDir
  Path dir;

  private static Transactor start(String jdbc, InstantSource clock) {
    return Transactor.start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000)
        .withClock(clock));
  }

  @Test
  void aJumpingClockChangesNeitherTheLeaseNorTheOrderOfInstants() throws Exception {
    String jdbc = TestTransactor.freshStorage("skew");
    SkewedClock aClock = new SkewedClock(0);
    Transactor a = start(jdbc, aClock);
    Transactor b = null;
    Connection c = null;
    try {
      a.activated().get(30, TimeUnit.SECONDS);
      b = start(jdbc, new SkewedClock(3 * HOUR)); // a standby living three hours ahead
      String uri = "accrete:sql://skew?" + jdbc;
      assertTrue(Peer.createDatabase(uri));
      c = Peer.connect(uri);
      c.transact(SCHEMA).get(30, TimeUnit.SECONDS);
      long written = 0;
      for (long offset : new long[] {0, -2 * HOUR, 2 * HOUR, 0}) {
        aClock.offset.set(offset);
        written += writeFor(c, written, 1500);
        assertEquals(Transactor.State.ACTIVE, a.state(), "a jump of the wall clock to " + offset + " ms cost the lease");
        assertEquals(Transactor.State.STANDBY, b.state(), "the standby three hours ahead took over early");
      }
      a.close(); // released: the standby takes over at once
      b.activated().get(30, TimeUnit.SECONDS);
      written += writeFor(c, written, 1500);

      Database db = c.sync().get(30, TimeUnit.SECONDS);
      assertEquals(written, ((Number) Peer.q("[:find (count ?e) . :where [?e :w/value]]", db)).longValue());
      Keyword txInstant = Keyword.intern(":db/txInstant");
      long last = Long.MIN_VALUE;
      int entries = 0;
      for (Log.Entry e : c.log().txRange(null, null)) {
        Date instant = null;
        for (io.accrete.Datom d : e.data()) {
          if (txInstant.equals(db.ident(d.a()))) {
            instant = (Date) d.v();
          }
        }
        assertNotNull(instant, "transaction " + e.t() + " has an instant");
        assertTrue(instant.getTime() >= last, "transaction " + e.t() + "'s instant " + instant.toInstant()
            + " is before its predecessor's " + Instant.ofEpochMilli(last));
        last = instant.getTime();
        entries++;
      }
      assertTrue(entries > written / 2, "the log was read: " + entries + " entries");
      assertTrue(last >= System.currentTimeMillis() + 2 * HOUR, "the standby's clock, three hours ahead, stamped the last ones");
    } finally {
      if (c != null) {
        c.release();
      }
      a.close();
      if (b != null) {
        b.close();
      }
    }
  }

  /** Writes one value per transaction for {@code millis}; returns how many were acknowledged. */
  private static long writeFor(Connection c, long from, long millis) throws Exception {
    long n = 0;
    long end = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < end) {
      c.transact(List.of(Map.of(Keyword.intern(":w/value"), from + n))).get(30, TimeUnit.SECONDS);
      n++;
    }
    return n;
  }

  @Test
  void aPeerDeletesThroughATransactorWhoseClockIsHoursBehind() throws Exception {
    // The heartbeat's stamp is two hours old the moment it is written: a peer comparing it with
    // its own clock took the transactor for dead and deleted the rows under it, and the
    // transactor went on serving the deleted database from memory.
    String jdbc = TestTransactor.freshStorage("skewdel");
    Transactor t = start(jdbc, new SkewedClock(-2 * HOUR));
    try {
      t.activated().get(30, TimeUnit.SECONDS);
      String uri = "accrete:sql://gone?" + jdbc;
      assertTrue(Peer.createDatabase(uri));
      Connection c = Peer.connect(uri);
      c.transact(SCHEMA).get(30, TimeUnit.SECONDS);
      c.transact(List.of(Map.of(Keyword.intern(":w/value"), 1L))).get(30, TimeUnit.SECONDS);
      assertTrue(Peer.deleteDatabase(uri));
      assertTrue(Peer.createDatabase(uri), "the name is free again");
      Connection again = Peer.connect(uri);
      Database fresh = again.sync().get(30, TimeUnit.SECONDS);
      assertNull(fresh.entid(Keyword.intern(":w/value")), "the new database knows nothing of the deleted one");
      again.transact(SCHEMA).get(30, TimeUnit.SECONDS);
      again.transact(List.of(Map.of(Keyword.intern(":w/value"), 2L))).get(30, TimeUnit.SECONDS);
      assertEquals((Object) 2L, Peer.q("[:find ?v . :where [_ :w/value ?v]]", again.sync().get(30, TimeUnit.SECONDS)));
      again.release();
    } finally {
      t.close();
    }
  }

  @Test
  void aClockJumpingAheadDeletesNoSegmentAnOlderValueStillReads() throws Exception {
    SkewedClock clock = new SkewedClock(0);
    Settings settings = Settings.of(Map.of("indexThreshold", "100", "gcRetention", "5s"),
        DatabaseUri.parse("accrete:local://" + dir));
    Storage storage = new LocalStorage(dir);
    assertTrue(DurableConnection.create(storage, settings));
    DurableConnection c = DurableConnection.open("skew", storage, settings, () -> { }, DurableConnection.Listener.NONE,
        io.accrete.tx.FunctionPolicy.ALL, clock);
    try {
      c.transact(SCHEMA).join();
      for (long i = 0; i < 300; i++) {
        c.transact(List.of(Map.of(Keyword.intern(":w/value"), i))).join();
      }
      c.syncIndex(c.db().basisT()).join();
      Database before = c.db();
      long count = countValues(before);
      clock.offset.set(2 * HOUR); // every list stamped before now looks two hours old
      Set<String> retired = new HashSet<>();
      long start = System.nanoTime();
      long round = 0;
      // Three seconds of index jobs (sweeps run at most once a second), inside the 5 s window.
      while (System.nanoTime() - start < 3_000_000_000L) {
        List<Object> tx = new ArrayList<>();
        for (long i = 0; i < 150; i++) {
          tx.add(Map.of(Keyword.intern(":w/value"), 1_000_000 + round * 1000 + i));
        }
        c.transact(tx).join();
        c.syncIndex(c.db().basisT()).join();
        retired.addAll(namedByLists(storage));
        round++;
      }
      assertFalse(retired.isEmpty(), "index jobs retired segments");
      Set<String> present = new HashSet<>(storage.keys(GarbageList.SEGMENT_PREFIX, null, 1_000_000));
      assertTrue(present.containsAll(retired), "segments retired seconds ago were deleted");
      c.trees().clearCache();
      assertEquals(count, countValues(before), "the value from before the jump reads whole");
      // The collector still collects: after the window, by the monotonic clock, they go.
      Thread.sleep(5500);
      c.transact(List.of(Map.of(Keyword.intern(":w/value"), -1L))).join();
      c.requestIndex();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (storage.keys(GarbageList.SEGMENT_PREFIX, null, 1_000_000).containsAll(retired)
          && System.nanoTime() < deadline) {
        c.transact(List.of(Map.of(Keyword.intern(":w/value"), -2L))).join();
        c.requestIndex();
        Thread.sleep(200);
      }
      assertFalse(storage.keys(GarbageList.SEGMENT_PREFIX, null, 1_000_000).containsAll(retired),
          "retired segments are collected once the window has passed");
    } finally {
      c.release();
    }
  }

  private static long countValues(Database db) {
    return ((Number) Peer.q("[:find (count ?e) . :where [?e :w/value]]", db)).longValue();
  }

  private static Set<String> namedByLists(Storage storage) {
    Set<String> out = new HashSet<>();
    for (String list : storage.keys(GarbageList.PREFIX, null, 1_000_000)) {
      byte[] blob = storage.get(list);
      if (blob != null) {
        out.addAll(GarbageList.decode(blob, list, storage.describe()));
      }
    }
    return out;
  }
}
