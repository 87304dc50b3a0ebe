package io.accrete.storage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every storage backend must do; each backend's test extends this with its storage. */
public abstract class StorageContract {
  protected Storage storage;

  /** A fresh, empty storage. */
  protected abstract Storage open();

  @BeforeEach
  void setUp() {
    storage = open();
  }

  @AfterEach
  void tearDown() {
    storage.close();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void rewriteReplacesBlobsThatExistAndSkipsTheRest() {
    storage.put("log/00000000000000000001", b("one"));
    storage.put("log/00000000000000000002", b("two"));
    storage.put("seg/a", b("segment"));
    storage.rewrite(Map.of("log/00000000000000000001", b("1"), "seg/a", b("s"), "log/00000000000000000009", b("x")));
    assertArrayEquals(b("1"), storage.get("log/00000000000000000001"));
    assertArrayEquals(b("two"), storage.get("log/00000000000000000002"));
    assertArrayEquals(b("s"), storage.get("seg/a"));
    assertNull(storage.get("log/00000000000000000009"), "a key that held nothing stays empty");
    storage.put("log/00000000000000000003", b("three")); // the log goes on after a rewrite
    assertArrayEquals(b("three"), storage.get("log/00000000000000000003"));
    assertEquals(List.of("log/00000000000000000001", "log/00000000000000000002", "log/00000000000000000003"),
        storage.keys("log/", null, 10));
  }

  @Test
  void blobsAreStoredAndRead() {
    assertNull(storage.get("seg/a"));
    storage.put("seg/a", b("one"));
    assertArrayEquals(b("one"), storage.get("seg/a"));
    storage.put("seg/a", b("one")); // a retry is fine
    assertArrayEquals(b("one"), storage.get("seg/a"));
    byte[] big = new byte[3 << 20];
    new java.util.Random(1).nextBytes(big);
    storage.put("seg/big", big);
    assertArrayEquals(big, storage.get("seg/big"));
    storage.put("seg/empty", new byte[0]);
    assertArrayEquals(new byte[0], storage.get("seg/empty"));
  }

  @Test
  void aKeyWrittenAgainWithOtherBytesIsRefusedAndKeepsItsOwn() {
    for (String key : new String[] {"seg/a", "log/00000000000000000007"}) {
      storage.put(key, b("first"));
      StorageException e = assertThrows(StorageException.class, () -> storage.put(key, b("second")));
      assertEquals(io.accrete.Keyword.of("storage", "conflict"), e.code());
      assertTrue(e.getMessage().contains(key), e.getMessage());
      assertArrayEquals(b("first"), storage.get(key));
      Map<String, byte[]> batch = new LinkedHashMap<>();
      batch.put(key + "-new", b("new"));
      batch.put(key, b("third"));
      assertThrows(StorageException.class, () -> storage.putAll(batch));
      assertArrayEquals(b("first"), storage.get(key));
      storage.put(key, b("first")); // a retry with the same bytes is still fine
    }
  }

  @Test
  void putAllWritesEverything() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      m.put("log/" + String.format("%05d", i), b("v" + i));
    }
    storage.putAll(m);
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(b("v" + i), storage.get("log/" + String.format("%05d", i)));
    }
  }

  @Test
  void keysListInOrderFromAPoint() {
    for (int i = 9; i >= 0; i--) {
      storage.put("log/" + String.format("%03d", i), b("x"));
    }
    storage.put("seg/zzz", b("y"));
    assertEquals(List.of("log/000", "log/001", "log/002"), storage.keys("log/", null, 3));
    assertEquals(List.of("log/005", "log/006"), storage.keys("log/", "log/004", 2));
    assertEquals(List.of("log/009"), storage.keys("log/", "log/008", 10));
    assertEquals(List.of(), storage.keys("log/", "log/009", 10));
    assertEquals(List.of("seg/zzz"), storage.keys("seg/", null, 10));
    assertEquals(List.of(), storage.keys("nothing/", null, 10));
  }

  @Test
  void rootsChangeByCompareAndSet() {
    assertNull(storage.getRoot("root"));
    assertFalse(storage.casRoot("root", b("x"), b("y")), "nothing to compare with yet");
    assertTrue(storage.casRoot("root", null, b("1")));
    assertFalse(storage.casRoot("root", null, b("2")), "already set");
    assertFalse(storage.casRoot("root", b("0"), b("2")), "stale expectation");
    assertTrue(storage.casRoot("root", b("1"), b("2")));
    assertArrayEquals(b("2"), storage.getRoot("root"));
    storage.deleteRoot("root");
    assertNull(storage.getRoot("root"));
  }

  @Test
  void concurrentCompareAndSetLetsExactlyOneWinnerPerStep() throws Exception {
    storage.casRoot("counter", null, b("0"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger wins = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      fs.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 25; i++) {
          while (true) {
            byte[] cur = storage.getRoot("counter");
            int n = Integer.parseInt(new String(cur, StandardCharsets.UTF_8));
            if (storage.casRoot("counter", cur, b(String.valueOf(n + 1)))) {
              wins.incrementAndGet();
              break;
            }
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    assertEquals(100, wins.get());
    assertEquals("100", new String(storage.getRoot("counter"), StandardCharsets.UTF_8));
  }

  @Test
  void deleteRemovesBlobs() {
    storage.put("seg/d", b("d"));
    storage.delete("seg/d");
    assertNull(storage.get("seg/d"));
    storage.delete("seg/never"); // not an error
  }

  @Test
  void describesItself() {
    assertFalse(storage.describe().isBlank());
  }
}
