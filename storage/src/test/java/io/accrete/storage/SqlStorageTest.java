package io.accrete.storage;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SqlStorageTest extends StorageContract {
  private static int n;

  @Override
  protected Storage open() {
    return new SqlStorage(TestPostgres.url(), "accrete_kvs", "contract" + (n++) + "-" + System.nanoTime() + "/");
  }

  @Test
  void prefixesKeepDatabasesApart() {
    Storage other = new SqlStorage(TestPostgres.url(), "accrete_kvs", "other-" + System.nanoTime() + "/");
    try {
      storage.put("seg/shared-name", b("mine"));
      assertNull(other.get("seg/shared-name"));
      other.put("seg/shared-name", b("theirs"));
      assertArrayEquals(b("mine"), storage.get("seg/shared-name"));
      ((SqlStorage) other).deleteAll();
      assertArrayEquals(b("mine"), storage.get("seg/shared-name"));
    } finally {
      other.close();
    }
  }

  @Test
  void fencedWritesStopOnceTheFenceChanges() {
    SqlStorage sql = (SqlStorage) storage;
    SqlStorage fence = new SqlStorage(TestPostgres.url(), "accrete_kvs", "fence-" + System.nanoTime() + "/");
    try {
      // A fence lives in the same table and pool as the storage it guards.
      assertThrows(IllegalArgumentException.class, () -> sql.fenced(fence, "lease", b("epoch 1")));
      SqlStorage coord = sql.sibling("coord-" + System.nanoTime() + "/");
      assertTrue(coord.casRoot("lease", null, b("epoch 1")));
      SqlStorage writer = sql.fenced(coord, "lease", b("epoch 1"));
      writer.put("log/1", b("one"));
      assertTrue(writer.casRoot("root", null, b("r1")));
      assertTrue(coord.casRoot("lease", b("epoch 1"), b("epoch 2"))); // another writer takes over
      StorageException e = assertThrows(StorageException.class, () -> writer.put("log/2", b("two")));
      assertEquals(":storage/fenced", e.code().toString());
      assertThrows(StorageException.class, () -> writer.casRoot("root", b("r1"), b("r2")));
      assertThrows(StorageException.class, () -> writer.delete("log/1"));
      assertNull(storage.get("log/2"), "nothing was written");
      assertArrayEquals(b("r1"), storage.getRoot("root"));
      assertArrayEquals(b("one"), writer.get("log/1"), "reads are not fenced");
      sql.fenced(coord, "lease", b("epoch 2")).put("log/2", b("two"));
      assertArrayEquals(b("two"), storage.get("log/2"));
    } finally {
      fence.close();
    }
  }

  /**
   * A compare-and-set whose connection drops after PostgreSQL applied it is retried on a fresh
   * connection; the retry must report the write as done (it is), not as a conflict, and a
   * writer whose retry finds another writer's equal value must still lose.
   */
  @Test
  void aCompareAndSetWhoseAnswerWasLostIsRecognisedOnRetry() throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^:/]+:(\\d+)/").matcher(TestPostgres.url());
    assertTrue(m.find(), TestPostgres.url());
    try (CommitDroppingRelay relay = new CommitDroppingRelay(Integer.parseInt(m.group(1)))) {
      String prefix = "lost-answer-" + System.nanoTime() + "/";
      Storage viaRelay = new SqlStorage(TestPostgres.url().replace(m.group(0), "//127.0.0.1:" + relay.port() + "/"),
          "accrete_kvs", prefix);
      Storage direct = ((SqlStorage) storage).sibling(prefix);
      try {
        relay.arm();
        assertTrue(viaRelay.casRoot("root", null, b("r1")), "the create was applied");
        assertTrue(relay.fired(), "the relay dropped the answer to COMMIT");
        relay.arm();
        assertTrue(viaRelay.casRoot("root", b("r1"), b("r2")), "the update was applied");
        assertTrue(relay.fired());
        assertArrayEquals(b("r2"), direct.getRoot("root"));

        // Another writer's equal value is not this writer's success.
        assertTrue(direct.casRoot("root", b("r2"), b("r3")));
        relay.arm();
        assertFalse(viaRelay.casRoot("root", b("r2"), b("r3")), "r3 is another writer's");
        assertArrayEquals(b("r3"), direct.getRoot("root"));
      } finally {
        viaRelay.close();
      }
    }
  }

  @Test
  void unreachableServerIsReportedClearly() {
    long start = System.nanoTime();
    StorageException e = assertThrows(StorageException.class, () -> {
      Storage s = new SqlStorage("jdbc:postgresql://127.0.0.1:1/nope?user=x&password=secret", "accrete_kvs", "x/");
      try {
        s.get("seg/a");
      } finally {
        s.close();
      }
    });
    assertEquals(":storage/unreachable", e.code().toString());
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), "passwords stay out of messages");
    assertTrue(System.nanoTime() - start < 30_000_000_000L, "gives up within the timeout");
  }

  @Test
  void badJdbcUrlsAreRefused() {
    StorageException e = assertThrows(StorageException.class, () -> new SqlStorage("jdbc:mysql://x/y", "accrete_kvs", "x/"));
    assertTrue(e.getMessage().contains("jdbc:postgresql"), e.getMessage());
  }
}
