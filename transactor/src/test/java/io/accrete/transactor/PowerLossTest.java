package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss on local storage (issue 17): a database is created and written (transactions,
 * index jobs that write segments and roots) on a file system that loses power at one operation
 * — a write, a sync, a rename, a creation or a deletion — and forgets what was not synced,
 * whole or torn ({@link PowerLossFileSystem}). At every crash point the database opened
 * afterwards, on the real directory, holds every transaction that was acknowledged, reads
 * whole ({@code accrete verify} finds nothing), and takes new transactions. CI runs
 * {@value #CI_POINTS} crash points; {@code -Dpowerloss.points=N} runs more.
 */
class PowerLossTest {
  private static final int CI_POINTS = 200;
  private static final int TRANSACTIONS = 24;
  private static final String PAD = " ".repeat(2500);

  @TempDir
  Path tmp;

  @Test
  void recoveryLosesNoAcknowledgedTransactionAndServesNothingTorn() throws Exception {
    long total = run(tmp.resolve("dry"), Long.MAX_VALUE, null).operations;
    assertTrue(total > 100, "the workload writes: " + total + " operations");
    int points = Integer.getInteger("powerloss.points", CI_POINTS);
    Random rnd = new Random(17);
    List<String> failures = new ArrayList<>();
    int crashedWithAcks = 0;
    for (int i = 0; i < points; i++) {
      long at = 1 + (total * i) / points + rnd.nextInt((int) Math.max(1, total / points));
      boolean torn = i % 2 == 1;
      Path dir = tmp.resolve("crash-" + i);
      Outcome o = run(dir, at, torn ? new Random(i) : null);
      String problem = check(dir, o);
      if (problem != null) {
        failures.add("crash at operation " + at + (torn ? " (torn)" : "") + ": " + problem);
      }
      if (!o.acknowledged.isEmpty()) {
        crashedWithAcks++;
      }
      deleteTree(dir);
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + points + " crash points failed, e.g. " + failures.subList(0,
        Math.min(5, failures.size())));
    assertTrue(crashedWithAcks > points / 2, "most crashes came after acknowledged transactions: " + crashedWithAcks);
  }

  /** What the workload saw before the power went. */
  private record Outcome(long operations, boolean created, Set<Long> acknowledged) {}

  private static Outcome run(Path dir, long failAt, Random torn) throws Exception {
    Files.createDirectories(dir);
    PowerLossFileSystem fs = new PowerLossFileSystem();
    fs.failFrom(failAt);
    Set<Long> acknowledged = new HashSet<>();
    boolean created = false;
    Settings settings = Settings.of(Map.of("indexThreshold", "150", "gcRetention", "0s"),
        DatabaseUri.parse("accrete:local://" + dir));
    DurableConnection c = null;
    try {
      LocalStorage storage = new LocalStorage(fs.wrap(dir));
      created = DurableConnection.create(storage, settings);
      c = DurableConnection.open("powerloss", storage, settings, () -> { });
      c.transact("[{:db/ident :p/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one"
          + " :db/unique :db.unique/identity} {:db/ident :p/s :db/valueType :db.type/string"
          + " :db/cardinality :db.cardinality/one}]").join();
      for (long t = 0; t < TRANSACTIONS; t++) {
        List<Object> tx = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          // 2.5 KB a row: the log outgrows its first 1 MB file, so a new one is made midway.
          tx.add(Map.of(Keyword.intern(":p/n"), t * 100 + i, Keyword.intern(":p/s"), "row " + t + "-" + i + PAD));
        }
        c.transact(tx).join();
        acknowledged.add(t);
        if (t % 8 == 7) {
          c.requestIndex(); // index jobs beside the transactions
        }
      }
      c.syncIndex(c.db().basisT()).join();
    } catch (RuntimeException e) {
      if (!fs.isOff()) {
        throw e; // a failure that is not the power loss
      }
    } finally {
      if (c != null) {
        try {
          c.release();
        } catch (RuntimeException e) {
          if (!fs.isOff()) {
            throw e;
          }
        }
      }
    }
    long ops = fs.operations();
    if (failAt != Long.MAX_VALUE) {
      fs.powerLoss(torn);
    }
    return new Outcome(ops, created, acknowledged);
  }

  /** Null when the database after the crash is whole and holds what was acknowledged. */
  private static String check(Path dir, Outcome o) {
    String uri = "accrete:local://" + dir;
    boolean exists = Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT));
    if (!exists) {
      return o.created ? "the database was created but is gone" : null;
    }
    try {
      Verify.Report r = Verify.verify(uri, step -> { });
      if (!r.ok()) {
        return "verify: " + r.problems();
      }
      Connection c = Peer.connect(uri);
      try {
        Database db = c.db();
        for (long t : o.acknowledged) {
          Object n = Peer.q("[:find (count ?e) . :in $ ?lo ?hi :where [?e :p/n ?n] [(<= ?lo ?n)] [(< ?n ?hi)]]", db,
              t * 100, t * 100 + 20);
          if (n == null || ((Number) n).longValue() != 20) {
            return "acknowledged transaction " + t + " has " + n + " of its 20 rows";
          }
        }
        c.transact("[{:db/doc \"after the power came back\"}]").join(); // it takes transactions again
      } finally {
        c.release();
      }
      return null;
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  private static void deleteTree(Path p) throws Exception {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }
}
