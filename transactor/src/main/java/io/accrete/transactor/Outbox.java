package io.accrete.transactor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frames bound for one link, from any thread, written in the order given with one task on
 * the link's event loop and one flush per burst: a group commit's push and its replies cost one
 * wake-up and one system call, not one per transaction.
 */
final class Outbox {
  private final Channel channel;
  private final Queue<ByteBuf> frames = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable afterDrain;

  /** {@code afterDrain} runs on the event loop after each burst (e.g. to resume reading). */
  Outbox(Channel channel, Runnable afterDrain) {
    this.channel = channel;
    this.afterDrain = afterDrain;
  }

  void send(ByteBuf frame) {
    frames.add(frame);
    if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this::drain);
    }
  }

  private void drain() {
    scheduled.set(false);
    ByteBuf f;
    boolean wrote = false;
    while ((f = frames.poll()) != null) {
      if (channel.isActive()) {
        channel.write(f, channel.voidPromise());
        wrote = true;
      } else {
        f.release();
      }
    }
    if (wrote) {
      channel.flush();
    }
    afterDrain.run();
  }
}
