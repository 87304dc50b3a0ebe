package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of a database in use, restored into another backend, answer as the original. */
class BackupTest {
  @TempDir
  Path dir;

  private static final String[] QUERIES = {
      "[:find (count ?e) . :where [?e :item/sku]]",
      "[:find (sum ?q) . :where [?e :item/qty ?q]]",
      "[:find (count ?e) . :where [?e :item/tags :even]]",
  };

  private static Object answer(Database db, String q) {
    return Peer.q(q, db);
  }

  @Test
  void localBackupRestoresIntoPostgresql() {
    String local = "accrete:local://" + dir.resolve("shop") + "?indexThreshold=2000";
    assertTrue(Peer.createDatabase(local));
    Connection c = Peer.connect(local);
    c.transact(DurableContract.SCHEMA).join();
    c.transact(DurableContract.items(0, 3000)).join();
    c.requestIndex();
    long middle = c.db().basisT();
    List<Object> updates = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      updates.add(Map.of(Keyword.intern(":item/sku"), "sku-" + i, Keyword.intern(":item/qty"), 10_000L + i));
    }
    c.transact(updates).join();
    c.transact("[[:db/retractEntity [:item/sku \"sku-7\"]]]").join(); // after the root: only in the log
    Database original = c.db();

    Path backup = dir.resolve("backup");
    long[] progress = {0};
    long blobs = Backups.backup(local, backup, n -> progress[0] = n);
    assertTrue(blobs > 10 && progress[0] > 0, "blobs " + blobs + ", progress " + progress[0]);
    c.transact(DurableContract.items(5000, 5)).join(); // the source stays writable: no lock taken

    String sql = "accrete:sql://restored" + System.nanoTime() + "?" + TestTransactor.url();
    try {
      Backups.restore(backup, sql, n -> { });
      Database restored = Peer.connect(sql).db();
      assertEquals(original.basisT(), restored.basisT());
      for (String q : QUERIES) {
        assertEquals(answer(original, q), answer(restored, q), q);
        assertEquals(answer(original.asOf(middle), q), answer(restored.asOf(middle), q), "as of " + middle + ": " + q);
        assertEquals(answer(original.history(), q), answer(restored.history(), q), "history: " + q);
      }
      assertNull(answer(restored, "[:find ?e . :where [?e :item/sku \"sku-7\"]]"));
      Peer.connect(sql).transact(DurableContract.items(9000, 1)).join();

      AccreteException exists = assertThrows(AccreteException.class, () -> Backups.restore(backup, sql, n -> { }));
      assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
      assertEquals(3000 - 1 + 1L, answer(Peer.connect(sql).db(), QUERIES[0]), "a refused restore changes nothing");
    } finally {
      Peer.deleteDatabase(sql);
    }

    AccreteException again = assertThrows(AccreteException.class, () -> Backups.backup(local, backup, n -> { }));
    assertTrue(again.getMessage().contains("already holds a backup"), again.getMessage());
    c.release();
    assertEquals(3004L, answer(Peer.connect(local).db(), QUERIES[0]), "the source reopens: no lock was left behind");
    Peer.deleteDatabase(local);
  }

  @Test
  void restoreIntoLocalReleasesItsLock() {
    String src = "accrete:local://" + dir.resolve("src");
    Peer.createDatabase(src);
    Peer.connect(src).transact(DurableContract.SCHEMA).join();
    Peer.connect(src).transact(DurableContract.items(0, 10)).join();
    Backups.backup(src, dir.resolve("b"), n -> { });
    String dst = "accrete:local://" + dir.resolve("dst");
    Backups.restore(dir.resolve("b"), dst, n -> { });
    assertEquals(10L, answer(Peer.connect(dst).db(), QUERIES[0]));
    Peer.deleteDatabase(src);
    Peer.deleteDatabase(dst);
  }

  @Test
  void badBackupsAndTargetsAreNamed() throws Exception {
    AccreteException mem = assertThrows(AccreteException.class,
        () -> Backups.backup("accrete:mem://x", dir.resolve("m"), n -> { }));
    assertTrue(mem.getMessage().contains("durable database"), mem.getMessage());
    AccreteException missing = assertThrows(AccreteException.class,
        () -> Backups.backup("accrete:local://" + dir.resolve("nothing"), dir.resolve("n"), n -> { }));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

    Path partial = dir.resolve("partial");
    Files.createDirectories(partial.resolve("seg"));
    Files.write(partial.resolve("seg").resolve("x"), new byte[] {1, 2, 3});
    AccreteException incomplete = assertThrows(AccreteException.class,
        () -> Backups.restore(partial, "accrete:local://" + dir.resolve("r"), n -> { }));
    assertTrue(incomplete.getMessage().contains("no complete backup"), incomplete.getMessage());
    assertFalse(Files.exists(dir.resolve("r").resolve("roots").resolve("root")));
  }
}
