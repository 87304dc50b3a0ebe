package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Log;
import io.accrete.Peer;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.MemStorage;
import io.accrete.storage.Storage;
import io.accrete.storage.StorageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A log write whose outcome is unknown (the connection dropped; the server may still apply it
 * later): the transactor writes the same batch again before the next one, so its t is never
 * given to another batch and the log never holds two versions of a transaction.
 */
class UncertainLogWriteTest {
  /** A real storage whose next log writes fail as a dropped connection does, landing now, later or never. */
  static final class DroppingStorage implements Storage {
    final MemStorage real = new MemStorage("uncertain");
    /** How many of the next log writes fail. */
    int failNext;
    /** Whether a failing write lands anyway, before the error: the answer was lost. */
    boolean landsAnyway;
    /** Failed writes that did not land, to be delivered late by the test. */
    final List<Map.Entry<String, byte[]>> held = new ArrayList<>();
    /** Deliver the held writes just before the next log write: after any check the writer made. */
    boolean deliverBeforeNextLogPut;

    @Override
    public byte[] get(String key) {
      return real.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
      if (key.startsWith("log/") && deliverBeforeNextLogPut && failNext == 0) {
        deliverBeforeNextLogPut = false;
        deliverLate();
      }
      if (key.startsWith("log/") && failNext > 0) {
        failNext--;
        if (landsAnyway) {
          real.put(key, value);
        } else {
          held.add(Map.entry(key, value.clone()));
        }
        throw new StorageException("unreachable", "the connection to the test storage dropped");
      }
      real.put(key, value);
    }

    void deliverLate() {
      for (Map.Entry<String, byte[]> e : held) {
        real.put(e.getKey(), e.getValue());
      }
      held.clear();
    }

    @Override
    public byte[] getRoot(String name) {
      return real.getRoot(name);
    }

    @Override
    public boolean casRoot(String name, byte[] expected, byte[] value) {
      return real.casRoot(name, expected, value);
    }

    @Override
    public void delete(String key) {
      real.delete(key);
    }

    @Override
    public void deleteRoot(String name) {
      real.deleteRoot(name);
    }

    @Override
    public List<String> keys(String prefix, String after, int limit) {
      return real.keys(prefix, after, limit);
    }

    @Override
    public String describe() {
      return "test storage";
    }

    @Override
    public void close() {}
  }

  private static final String SCHEMA = "[{:db/ident :k/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  private static DurableConnection open(Storage s) {
    Settings settings = Settings.of(Map.of(), DatabaseUri.parse("accrete:mem://uncertain"));
    return DurableConnection.open("test", s, settings, () -> { });
  }

  private static Set<Long> values(io.accrete.Database db) {
    Set<Long> out = new HashSet<>();
    for (Object v : (Collection<?>) Peer.q("[:find [?n ...] :where [_ :k/n ?n]]", db)) {
      out.add((Long) v);
    }
    return out;
  }

  private static void write(Connection c, long n) {
    c.transact(List.of(Map.of(Keyword.intern(":k/n"), n))).join();
  }

  /** Every t appears once in the log, in order. */
  private static void assertLogIsOneHistory(Storage s) {
    DurableConnection again = open(s);
    try {
      long last = 0;
      for (Log.Entry e : again.log().txRange(null, null)) {
        assertTrue(e.t() > last, "t " + e.t() + " after " + last + ": the log holds a t twice");
        last = e.t();
        for (Datom d : e.data()) {
          assertEquals(e.t(), Peer.toT(d.tx()), "a datom of another transaction in entry " + e.t());
        }
      }
    } finally {
      again.release();
    }
  }

  @Test
  void aWriteThatLandsLateIsTheOneItsTHolds() {
    DroppingStorage s = new DroppingStorage();
    assertTrue(DurableConnection.create(s, Settings.of(Map.of(), DatabaseUri.parse("accrete:mem://u"))));
    DurableConnection c = open(s);
    try {
      c.transact(SCHEMA).join();
      write(c, 1);
      s.failNext = 1;
      CompletionException unknown = assertThrows(CompletionException.class, () -> write(c, 2));
      assertTrue(unknown.getCause().getMessage().contains("may or may not have been applied"),
          unknown.getCause().getMessage());
      // The server applies it after all, late: after anything the transactor could have read,
      // just before its next log write.
      s.deliverBeforeNextLogPut = true;
      write(c, 3);
      assertEquals(Set.of(1L, 2L, 3L), values(c.db()), "the late write is adopted, not overwritten by 3");
    } finally {
      c.release();
    }
    assertLogIsOneHistory(s);
    DurableConnection reopened = open(s);
    try {
      assertEquals(Set.of(1L, 2L, 3L), values(reopened.db()));
    } finally {
      reopened.release();
    }
  }

  @Test
  void aWriteThatNeverLandedIsWrittenBeforeTheNextAndOnlyOnce() {
    DroppingStorage s = new DroppingStorage();
    assertTrue(DurableConnection.create(s, Settings.of(Map.of(), DatabaseUri.parse("accrete:mem://u"))));
    DurableConnection c = open(s);
    try {
      c.transact(SCHEMA).join();
      s.failNext = 2; // the unknown write, then its first rewrite: storage is still away
      assertThrows(CompletionException.class, () -> write(c, 2));
      CompletionException refused = assertThrows(CompletionException.class, () -> write(c, 3));
      assertTrue(refused.getCause().getMessage().contains("was not applied"), refused.getCause().getMessage());
      write(c, 4);
      assertEquals(Set.of(2L, 4L), values(c.db()), "2 is written once storage answers; 3 was refused");
      s.deliverLate(); // the first attempts arrive now: the same bytes under the same keys
      write(c, 5);
    } finally {
      c.release();
    }
    assertLogIsOneHistory(s);
    DurableConnection reopened = open(s);
    try {
      assertEquals(Set.of(2L, 4L, 5L), values(reopened.db()));
    } finally {
      reopened.release();
    }
  }

  @Test
  void aWriteWhoseAnswerWasLostIsNotWrittenTwice() {
    DroppingStorage s = new DroppingStorage();
    assertTrue(DurableConnection.create(s, Settings.of(Map.of(), DatabaseUri.parse("accrete:mem://u"))));
    DurableConnection c = open(s);
    try {
      c.transact(SCHEMA).join();
      s.failNext = 1;
      s.landsAnyway = true;
      assertThrows(CompletionException.class, () -> write(c, 7));
      write(c, 8);
      assertEquals(Set.of(7L, 8L), values(c.db()));
    } finally {
      c.release();
    }
    assertLogIsOneHistory(s);
  }
}
