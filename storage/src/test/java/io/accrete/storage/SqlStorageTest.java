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
