package io.accrete.storage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest extends StorageContract {
  @TempDir
  static Path base;
  private static int n;

  @Override
  protected Storage open() {
    return new LocalStorage(base.resolve("s" + n++));
  }

  @Test
  void writesLeaveNoTemporaryFiles() throws Exception {
    storage.put("seg/x", b("x"));
    try (var s = Files.walk(((LocalStorage) storage).dir())) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }

  @Test
  void badKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> storage.put("../escape", b("x")));
    assertThrows(IllegalArgumentException.class, () -> storage.put("/abs", b("x")));
  }

  @Test
  void anUnwritableDirectoryIsNamed() throws Exception {
    Path file = base.resolve("a-file");
    Files.writeString(file, "not a directory");
    StorageException e = assertThrows(StorageException.class, () -> new LocalStorage(file.resolve("db")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  private static String logKey(int i) {
    return LogCodec.key(i);
  }

  private static java.util.List<Path> segments(Path dir) throws Exception {
    try (var s = Files.list(dir.resolve(".wal"))) {
      return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
    }
  }

  @Test
  void logBatchesAreAppendedToSegmentsAndFoundAgainAfterReopening() throws Exception {
    Path dir = ((LocalStorage) storage).dir();
    java.util.Random r = new java.util.Random(7);
    java.util.Map<String, byte[]> written = new java.util.TreeMap<>();
    for (int i = 1; i <= 170; i++) { // 17 MB: segments of 1, 2, 4 and 8 MiB, then a fifth
      byte[] v = new byte[100_000 + r.nextInt(1000)];
      r.nextBytes(v);
      storage.put(logKey(i), v);
      written.put(logKey(i), v);
    }
    assertFalse(Files.exists(dir.resolve("log")), "no file per batch");
    assertEquals(5, segments(dir).size());
    storage.put(logKey(170), written.get(logKey(170))); // a retry is fine
    try (LocalStorage again = new LocalStorage(dir)) {
      for (int i = 170; i >= 1; i -= 7) { // out of order: earlier segments come and go from the cache
        assertArrayEquals(written.get(logKey(i)), again.get(logKey(i)), logKey(i));
      }
      java.util.List<String> all = new java.util.ArrayList<>();
      for (String after = null; ; ) {
        java.util.List<String> page = again.keys("log/", after, 11);
        all.addAll(page);
        if (page.size() < 11) {
          break;
        }
        after = page.get(page.size() - 1);
      }
      assertEquals(new java.util.ArrayList<>(written.keySet()), all);
      again.put(logKey(171), b("next"));
      assertArrayEquals(b("next"), again.get(logKey(171)));
    }
    assertArrayEquals(b("next"), storage.get(logKey(171)), "another instance on the directory reads on");
    assertNull(storage.get(logKey(172)));
  }

  @Test
  void aTornLastRecordEndsTheLogAndIsWrittenOver() throws Exception {
    Path dir = ((LocalStorage) storage).dir();
    storage.put(logKey(1), b("one"));
    storage.put(logKey(2), b("two"));
    storage.put(logKey(3), b("three"));
    storage.close();
    Path seg = segments(dir).get(0);
    byte[] bytes = Files.readAllBytes(seg);
    int last = bytes.length - 1;
    while (bytes[last] == 0) {
      last--;
    }
    bytes[last] ^= 1; // the crash tore the last record
    Files.write(seg, bytes);
    storage = new LocalStorage(dir);
    assertArrayEquals(b("two"), storage.get(logKey(2)));
    assertNull(storage.get(logKey(3)), "a torn record was never acknowledged");
    assertEquals(java.util.List.of(logKey(1), logKey(2)), storage.keys("log/", null, 10));
    storage.put(logKey(3), b("three again"));
    storage.close();
    storage = new LocalStorage(dir);
    assertArrayEquals(b("three again"), storage.get(logKey(3)));
  }

  @Test
  void damageBeforeIntactRecordsIsRefusedNotWrittenOver() throws Exception {
    Path dir = ((LocalStorage) storage).dir();
    for (int i = 1; i <= 5; i++) {
      storage.put(logKey(i), b("batch " + i));
    }
    storage.close();
    Path seg = segments(dir).get(0);
    byte[] bytes = Files.readAllBytes(seg);
    bytes[20] ^= 1; // inside the first record
    Files.write(seg, bytes);
    storage = new LocalStorage(dir);
    StorageException e = assertThrows(StorageException.class, () -> storage.put(logKey(6), b("six")));
    assertTrue(e.getMessage().contains(seg.toString()) && e.getMessage().contains("damaged at offset 0"),
        e.getMessage());
    assertArrayEquals(bytes, Files.readAllBytes(seg), "nothing was written over");
  }

  @Test
  void aLogBatchCannotBeDeleted() {
    storage.put(logKey(1), b("one"));
    StorageException e = assertThrows(StorageException.class, () -> storage.delete(logKey(1)));
    assertTrue(e.getMessage().contains("append-only log"), e.getMessage());
    assertArrayEquals(b("one"), storage.get(logKey(1)));
  }

  @Test
  void rewritingTheLogReplacesSegmentsWholeAndTheLogGoesOn() throws Exception {
    Path dir = ((LocalStorage) storage).dir();
    java.util.Random r = new java.util.Random(11);
    java.util.Map<String, byte[]> written = new java.util.TreeMap<>();
    for (int i = 1; i <= 40; i++) { // 4 MB: three segments, the last one the tail
      byte[] v = new byte[100_000];
      r.nextBytes(v);
      storage.put(logKey(i), v);
      written.put(logKey(i), v);
    }
    assertEquals(3, segments(dir).size());
    java.util.Map<String, byte[]> smaller = new java.util.TreeMap<>();
    for (int i : new int[] {2, 9, 25, 39}) { // in sealed segments and in the tail
      smaller.put(logKey(i), b("excised " + i));
    }
    storage.rewrite(smaller);
    written.putAll(smaller);
    storage.put(logKey(41), b("after")); // appended to the rewritten tail
    written.put(logKey(41), b("after"));
    try (LocalStorage reopened = new LocalStorage(dir)) {
      for (LocalStorage s : java.util.List.of((LocalStorage) storage, reopened)) {
        for (java.util.Map.Entry<String, byte[]> e : written.entrySet()) {
          assertArrayEquals(e.getValue(), s.get(e.getKey()), e.getKey());
        }
        assertEquals(new java.util.ArrayList<>(written.keySet()), s.keys("log/", null, 100));
      }
    }
    assertEquals(3, segments(dir).size(), "segments replaced, none added");
  }
}
