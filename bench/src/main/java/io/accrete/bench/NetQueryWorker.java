package io.accrete.bench;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A peer process of {@link NetBench}: {@code NetQueryWorker <uri> <threads> <warmup s> <seconds>}
 * connects, syncs, runs the query of {@link #QUERY} on its threads with random names (warm-up
 * first), and prints {@code QUERIES <count> <seconds>}.
 */
public final class NetQueryWorker {
  /** People of a name older than 40: an AVET lookup, then an EAVT read per match. */
  static final String QUERY = "[:find (count ?e) . :in $ ?n :where [?e :person/name ?n] [?e :person/age ?a] [(> ?a 40)]]";

  private NetQueryWorker() {}

  public static void main(String[] args) throws Exception {
    Connection c = Peer.connect(args[0]);
    int threads = Integer.parseInt(args[1]);
    double warmup = Double.parseDouble(args[2]);
    double seconds = Double.parseDouble(args[3]);
    Database db = c.sync().get(60, TimeUnit.SECONDS);
    System.out.println("READY " + db.basisT());
    System.out.flush();
    LongAdder done = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int seed = i;
      Thread t = new Thread(() -> {
        SplittableRandom r = new SplittableRandom(seed);
        while (!stop.get()) {
          Peer.q(QUERY, c.db(), PersonRows.name(r.nextInt(PersonRows.NAMES)));
          done.increment();
        }
      });
      t.start();
      ts.add(t);
    }
    Thread.sleep((long) (warmup * 1000));
    long before = done.sum();
    long start = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    long count = done.sum() - before;
    double took = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread t : ts) {
      t.join();
    }
    System.out.println("QUERIES " + count + " " + took);
    System.out.flush();
    c.release();
    System.exit(0);
  }
}
