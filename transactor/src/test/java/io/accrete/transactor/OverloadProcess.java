package io.accrete.transactor;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Keyword;
import io.accrete.Peer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Overload in a process with a small heap: {@code OverloadProcess <uri> <seconds>}. Four
 * threads submit transactions with {@code transactAsync} as fast as they can — far beyond what
 * the storage sustains — for the given time, while a reader looks entities up and times each
 * lookup, and a query that would make more rows than the heap holds is tried. Prints
 * {@code RESULT} with the counts, the lookups' latency and the heap after collection, or dies
 * with {@code OutOfMemoryError}.
 */
public final class OverloadProcess {
  private OverloadProcess() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    long seconds = Long.parseLong(args[1]);
    Peer.createDatabase(uri);
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :o/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one"
        + " :db/unique :db.unique/identity} {:db/ident :o/s :db/valueType :db.type/string"
        + " :db/cardinality :db.cardinality/one}]").get(60, TimeUnit.SECONDS);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong submitted = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong unclear = new AtomicLong();
    AtomicLong next = new AtomicLong();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          List<Object> tx = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            long n = next.getAndIncrement();
            tx.add(Map.of(Keyword.intern(":o/n"), n, Keyword.intern(":o/s"), "row " + n + " of the flood"));
          }
          submitted.incrementAndGet();
          c.transactAsync(tx).whenComplete((r, e) -> {
            if (e == null) {
              acknowledged.incrementAndGet();
            } else if (e instanceof AccreteException || e.getCause() instanceof AccreteException) {
              refused.incrementAndGet();
            } else {
              unclear.incrementAndGet();
              e.printStackTrace();
            }
          });
        }
      }, "writer-" + w);
      t.start();
      writers.add(t);
    }
    List<Long> latencies = new ArrayList<>();
    Random rnd = new Random(1);
    while (System.nanoTime() < end) {
      long k = (long) rnd.nextInt((int) Math.max(1, Math.min(Integer.MAX_VALUE, acknowledged.get() * 20)));
      long t0 = System.nanoTime();
      c.db().entid(List.of(Keyword.intern(":o/n"), k));
      latencies.add(System.nanoTime() - t0);
      Thread.sleep(20);
    }
    for (Thread t : writers) {
      t.join();
    }
    System.out.println("FLOODED");
    String tooLarge;
    try {
      Peer.q("[:find ?a ?b :where [?a :o/n] [?b :o/n]]", c.db());
      tooLarge = "answered";
    } catch (AccreteException e) {
      tooLarge = e.code().toString();
    }
    System.out.println("QUERIED " + tooLarge);
    c.sync().get(600, TimeUnit.SECONDS); // everything queued has run
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (acknowledged.get() + refused.get() + unclear.get() < submitted.get() && System.nanoTime() < waitUntil) {
      Thread.sleep(50);
    }
    latencies.sort(null);
    System.gc();
    long heap = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
        heap += p.getCollectionUsage().getUsed();
      }
    }
    System.out.printf("RESULT submitted=%d acknowledged=%d refused=%d unclear=%d lookups=%d p50ms=%.1f p99ms=%.1f"
        + " maxms=%.1f heapAfterGcMb=%d maxHeapMb=%d tooLarge=%s%n", submitted.get(), acknowledged.get(), refused.get(),
        unclear.get(), latencies.size(), ms(latencies, 0.5), ms(latencies, 0.99), ms(latencies, 1.0), heap >> 20,
        Runtime.getRuntime().maxMemory() >> 20, tooLarge);
    c.release();
    System.exit(0);
  }

  private static double ms(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
  }
}
