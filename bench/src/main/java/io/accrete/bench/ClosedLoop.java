package io.accrete.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop clients: each of {@code n} threads repeats one operation (a small transaction
 * and the wait for its acknowledgement) as fast as it completes, for a fixed time. The
 * operations completed are counted in one-second windows after a warm-up, so the result is a
 * median rate per second (robust to a noisy neighbour on a shared machine) plus the mean.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** One client: its own state (a JDBC connection, an id counter), opened on its own thread. */
  interface Client extends AutoCloseable {
    /** One operation, returning when it is acknowledged. */
    void call() throws Exception;

    /** Frees what the client opened (its connection); nothing by default. */
    @Override
    default void close() throws java.sql.SQLException {}
  }

  /** Opens client number {@code index} (0-based). */
  interface Opener {
    Client open(int index) throws Exception;
  }

  /**
   * Rates measured: the median and mean operations per second over the measured windows, and
   * each window's rate.
   */
  record Result(double median, double mean, long ops, double[] perSecond) {}

  /**
   * Runs {@code clients} threads: opens every client, then loops for {@code warmup} seconds
   * (not counted) and {@code seconds} one-second windows (counted). The first failure of any
   * client stops the run and is thrown.
   */
  static Result run(int clients, Opener opener, double warmup, int seconds) throws Exception {
    LongAdder done = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int index = c;
      Thread t = new Thread(() -> {
        boolean counted = false;
        try (Client client = opener.open(index)) {
          ready.countDown();
          counted = true;
          go.await();
          while (!stop.get() && failure.get() == null) {
            client.call();
            done.increment();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          if (!counted) {
            ready.countDown();
          }
        }
      }, "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    // Every client is open (its connection made) before the clock starts.
    ready.await();
    go.countDown();
    sleep(warmup, failure);
    double[] rates = new double[seconds];
    long first = done.sum();
    long last = first;
    long windowStart = System.nanoTime();
    for (int w = 0; w < seconds && failure.get() == null; w++) {
      sleep(1.0, failure);
      long now = System.nanoTime();
      long sum = done.sum();
      rates[w] = (sum - last) / ((now - windowStart) / 1e9);
      last = sum;
      windowStart = now;
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
    }
    return new Result(median(rates), Arrays.stream(rates).average().orElse(0), last - first, rates);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static void sleep(double seconds, AtomicReference<Throwable> failure) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long left;
    while ((left = end - System.nanoTime()) > 0 && failure.get() == null) {
      Thread.sleep(Math.max(1, Math.min(50, left / 1_000_000)));
    }
  }
}
