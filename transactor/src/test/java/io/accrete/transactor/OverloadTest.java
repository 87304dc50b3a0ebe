package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload (issue 17): a flood of {@code transactAsync} far beyond what local storage sustains,
 * in a process with a 256 MB heap ({@link OverloadProcess}), for {@code -Doverload.seconds}
 * (20 in CI; 600 for the ten minutes). The process must not run out of memory — writers
 * wait for room in the transaction queue instead of filling the heap — every transaction must
 * be acknowledged or refused with an Accrete error, lookups beside the flood stay fast, and a
 * query that would make more rows than the heap holds is refused.
 */
class OverloadTest {
  @TempDir
  Path dir;

  /**
   * The same flood through a transactor: the peer keeps at most
   * {@link DurableConnection#MAX_QUEUED} transactions in flight (a writer waits for one to be
   * answered), the transactor refuses what its queue cannot hold with {@code :db.error/busy};
   * every transaction gets an answer — none is left hanging by a permit that was not returned.
   */
  @Test
  void aFloodThroughATransactorIsAnsweredInFull() throws Exception {
    String uri = "accrete:sql://flood-" + System.nanoTime() + "?" + TestTransactor.url();
    assertTrue(io.accrete.Peer.createDatabase(uri));
    io.accrete.Connection c = io.accrete.Peer.connect(uri);
    c.transact("[{:db/ident :f/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").get();
    java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong busy = new java.util.concurrent.atomic.AtomicLong();
    java.util.List<Throwable> other = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<java.util.concurrent.CompletableFuture<?>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    java.util.List<Thread> writers = new java.util.ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          all.add(c.transactAsync(java.util.List.of(java.util.Map.of(io.accrete.Keyword.intern(":f/n"),
              next.getAndIncrement()))).whenComplete((r, e) -> {
                if (e == null) {
                  acknowledged.incrementAndGet();
                } else if (e.getCause() instanceof io.accrete.AccreteException a && a.code().name().equals("busy")) {
                  busy.incrementAndGet();
                } else {
                  other.add(e);
                }
              }));
        }
      });
      t.start();
      writers.add(t);
    }
    for (Thread t : writers) {
      t.join(120_000);
      assertFalse(t.isAlive(), "a writer waits for room that never comes (a permit was not returned)");
    }
    java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
        .exceptionally(e -> null).get(300, java.util.concurrent.TimeUnit.SECONDS);
    System.out.printf("flood through a transactor: %d sent, %d acknowledged, %d busy, %d other%n", all.size(),
        acknowledged.get(), busy.get(), other.size());
    assertEquals(java.util.List.of(), other.subList(0, Math.min(3, other.size())), "answers are acknowledgments or busy");
    assertEquals(all.size(), acknowledged.get() + busy.get());
    assertTrue(acknowledged.get() > 1000, "the flood got work done: " + acknowledged.get());
    assertEquals(acknowledged.get(), ((Number) io.accrete.Peer.q("[:find (count ?e) . :where [?e :f/n]]",
        c.sync().get(60, java.util.concurrent.TimeUnit.SECONDS))).longValue(), "what was acknowledged is there");
    io.accrete.Peer.deleteDatabase(uri);
  }

  @Test
  void aFloodOfWritesKeepsMemoryAndLatencyBounded() throws Exception {
    long seconds = Long.getLong("overload.seconds", 20);
    // A small heap wants small novelty: index early, and hold writers back before a 256 MB heap fills.
    String uri = "accrete:local://" + dir.resolve("flood") + "?indexThreshold=20000&backpressure=100000";
    try (ChildJvm p = ChildJvm.start("overload", OverloadProcess.class,
        List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), uri, String.valueOf(seconds))) {
      String line = p.await(l -> l.startsWith("RESULT") || l.contains("OutOfMemoryError"), seconds + 600);
      assertTrue(line.startsWith("RESULT"), "the process ran out of memory: " + line);
      Map<String, String> r = new HashMap<>();
      for (String kv : line.substring("RESULT ".length()).split(" ")) {
        String[] f = kv.split("=", 2);
        r.put(f[0], f[1]);
      }
      System.out.println("overload: " + line);
      long submitted = Long.parseLong(r.get("submitted"));
      long acknowledged = Long.parseLong(r.get("acknowledged"));
      assertTrue(acknowledged > 0, line);
      assertEquals(submitted, acknowledged + Long.parseLong(r.get("refused")), "every transaction got an answer: " + line);
      assertEquals("0", r.get("unclear"), "refusals are Accrete errors: " + line);
      assertTrue(Double.parseDouble(r.get("p99ms")) < 1000, "lookups beside the flood stay fast: " + line);
      assertEquals(":db.error/query-too-large", r.get("tooLarge"), line);
    }
  }
}
