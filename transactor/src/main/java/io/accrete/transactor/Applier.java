package io.accrete.transactor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs a peer's changes to its value one at a time, in the order given: on a thread of its own,
 * or, when nothing is queued or running, at once on the calling thread (a push applied on the
 * link's event loop saves a thread hand-off on every transaction's way back).
 */
final class Applier {
  private final ExecutorService thread;
  private final ReentrantLock turn = new ReentrantLock();
  /** Tasks handed to the thread and not yet finished: while any are, nothing runs inline. */
  private final AtomicInteger queued = new AtomicInteger();

  Applier(String name) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code task} on the applier's thread, after everything given before. */
  void execute(Runnable task) {
    queued.incrementAndGet();
    try {
      thread.execute(() -> {
        turn.lock();
        try {
          task.run();
        } finally {
          turn.unlock();
          queued.decrementAndGet();
        }
      });
    } catch (RuntimeException e) {
      queued.decrementAndGet(); // shut down: the connection was released
      throw e;
    }
  }

  /** {@link #execute} with a result. */
  <T> CompletableFuture<T> supply(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    execute(() -> {
      try {
        f.complete(task.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /**
   * Runs {@code task} here and now if nothing is queued or running, and returns what it
   * returns (false: it did not do its work, which must then be {@link #execute}d); false
   * without running it otherwise.
   */
  boolean runHereIfIdle(BooleanSupplier task) {
    if (queued.get() != 0 || !turn.tryLock()) {
      return false;
    }
    try {
      return queued.get() == 0 && task.getAsBoolean();
    } finally {
      turn.unlock();
    }
  }

  void shutdown() {
    thread.shutdownNow();
  }
}
