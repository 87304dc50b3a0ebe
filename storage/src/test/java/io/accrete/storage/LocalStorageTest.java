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
}
