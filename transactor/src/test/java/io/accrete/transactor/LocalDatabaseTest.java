package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.db.Db;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDatabaseTest extends DurableContract {
  @TempDir
  static Path base;
  private static int n;

  @Override
  protected String freshUri(String options) {
    return "accrete:local://" + base.resolve("db" + n++) + (options.isEmpty() ? "" : "?" + options);
  }

  @Test
  void databaseNamesAreTheDirectoriesHoldingOne(@TempDir Path dir) throws Exception {
    assertTrue(Peer.createDatabase("accrete:local://" + dir.resolve("b")));
    assertTrue(Peer.createDatabase("accrete:local://" + dir.resolve("a")));
    Files.createDirectories(dir.resolve("not-a-database"));
    assertEquals(List.of("a", "b"), Peer.getDatabaseNames("accrete:local://" + dir.resolve("*")));
  }

  @Test
  void badUrisAndDirectoriesAreNamed() throws Exception {
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("accrete:local://relative/x"))
        .getMessage().contains("absolute"));
    Path foreign = base.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    AccreteException e = assertThrows(AccreteException.class,
        () -> Peer.createDatabase("accrete:local://" + foreign));
    assertTrue(e.getMessage().contains(foreign.toString()) && e.getMessage().contains("not an Accrete"), e.getMessage());
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("accrete:local://" + foreign))
        .getMessage().contains("no Accrete database"));
    assertTrue(assertThrows(AccreteException.class, () -> Peer.createDatabase(freshUri("bogus=1")))
        .getMessage().contains("bogus"));
  }

  /**
   * With back pressure at the index threshold, a commit that brings the novelty to it waits for
   * the indexing job before the next batch is applied, so no value ever holds more novelty than
   * the threshold plus one group-commit batch (without the wait, commits go on while the job
   * writes its trees and the novelty overshoots).
   */
  @Test
  void writersWaitWhenIndexingFallsBehind() throws Exception {
    int threads = 8;
    int perTx = 10 * 3 + 1; // ten items of three datoms, and the transaction's instant
    Connection c = Peer.connect(create("indexThreshold=500&backpressure=500"));
    c.transact(SCHEMA).join();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<TxReport>> fs = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int n = i;
      fs.add(pool.submit(() -> c.transact(items(n * 10, 10)).join()));
    }
    long most = 0;
    for (Future<TxReport> f : fs) {
      most = Math.max(most, ((Db) f.get().dbAfter()).indexes().noveltyDatoms());
    }
    pool.shutdown();
    assertTrue(most >= 500, "the novelty reached the threshold: " + most);
    assertTrue(most <= 500 + threads * perTx, "the novelty stayed within one batch of the back pressure: " + most);
    assertEquals(6000, count(c.db(), "[:find (count ?e) . :where [?e :item/sku]]"));
  }
}
