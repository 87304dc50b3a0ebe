package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ApplierTest {
  @Test
  void runsInlineOnlyWhenNothingIsPendingAndKeepsTheOrder() throws Exception {
    Applier applier = new Applier("test-applier");
    try {
      Thread caller = Thread.currentThread();
      List<String> order = new CopyOnWriteArrayList<>();
      assertTrue(applier.runHereIfIdle(() -> order.add(Thread.currentThread() == caller ? "inline 1" : "elsewhere")));

      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      applier.execute(() -> {
        started.countDown();
        await(release);
        order.add("queued 2");
      });
      applier.execute(() -> order.add("queued 3"));
      assertTrue(started.await(10, TimeUnit.SECONDS));
      assertFalse(applier.runHereIfIdle(() -> order.add("never")), "a task is running: nothing runs inline");
      release.countDown();
      applier.supply(() -> null).get(10, TimeUnit.SECONDS);

      assertFalse(applier.runHereIfIdle(() -> false), "the task said it did not do its work");
      // The queued tasks are done; their count drops just after their futures complete.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!applier.runHereIfIdle(() -> order.add("inline 4")) && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(List.of("inline 1", "queued 2", "queued 3", "inline 4"), order);
      assertEquals(7, applier.supply(() -> 7).get(10, TimeUnit.SECONDS));
    } finally {
      applier.shutdown();
    }
  }

  private static void await(CountDownLatch l) {
    try {
      assertTrue(l.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
