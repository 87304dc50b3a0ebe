package io.accrete.transactor;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.TxReport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The transactor's end of one peer link: the handshake (version and shared secret), then the
 * peer's requests. Transactions go to the database's transactor thread; their replies are
 * queued on the link's event loop after the novelty push of the same commit, so a peer always
 * sees its transaction in the stream before the reply. A peer with too many transactions in
 * flight is not read from until some complete (back pressure through TCP).
 */
final class PeerSession extends SimpleChannelInboundHandler<ByteBuf> {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Transactions in flight per link before the link stops being read. */
  private static final int MAX_IN_FLIGHT = 512;

  private final Transactor transactor;
  private final byte[] nonce = new byte[Protocol.NONCE_BYTES];
  private Transactor.Served db;
  private String peer = "?";
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private Channel channel;
  private Outbox outbox;
  /** Set when the transactor turns peers away: close once nothing of this link's is in flight. */
  private volatile boolean steppingDown;
  private volatile long leftAt;

  PeerSession(Transactor transactor) {
    this.transactor = transactor;
  }

  /** Queues a frame for this link, in order with the pushes of its database. */
  void send(ByteBuf frame) {
    outbox.send(frame);
  }

  Channel channel() {
    return channel;
  }

  /** After each burst of writes, on the event loop: read again once enough transactions are done. */
  private void resume() {
    if (!channel.config().isAutoRead() && db != null && inFlight.get() < MAX_IN_FLIGHT / 2) {
      channel.config().setAutoRead(true);
    }
    closeIfIdle();
  }

  /**
   * The transactor cannot prove its lease: the peer is told to leave this link (LEAVE) and looks
   * the lease up again; the link closes once every transaction in flight on it has its real
   * outcome (they are in storage writes that succeed or fail on their own) and the peer had time
   * to stop sending on it (what it sent meanwhile is refused unapplied, and resent elsewhere).
   */
  void stepDown() {
    if (steppingDown) {
      return;
    }
    leftAt = System.nanoTime();
    steppingDown = true;
    send(channel.alloc().buffer(1).writeByte(Protocol.LEAVE));
    // Frames the peer sent before it read LEAVE are read (and refused) in the grace period.
    channel.eventLoop().schedule(this::closeIfIdle, grace(), TimeUnit.MILLISECONDS);
  }

  private long grace() {
    return 2 * transactor.options().heartbeatMillis();
  }

  private void closeIfIdle() {
    if (steppingDown && inFlight.get() == 0 && channel.isActive()
        && System.nanoTime() - leftAt >= TimeUnit.MILLISECONDS.toNanos(grace())) {
      channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    outbox = new Outbox(channel, this::resume);
    RANDOM.nextBytes(nonce);
    ByteBuf out = ctx.alloc().buffer();
    out.writeByte(Protocol.CHALLENGE).writeInt(Protocol.MAGIC).writeShort(Protocol.VERSION).writeBytes(nonce);
    ctx.writeAndFlush(out);
    ctx.executor().schedule(() -> {
      if (db == null && ctx.channel().isActive()) {
        transactor.logPeerProblem(ctx.channel().remoteAddress(), "slow",
            "peer " + ctx.channel().remoteAddress() + " did not complete the handshake in time; closed");
        ctx.close();
      }
    }, transactor.silence(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
    int type = in.readUnsignedByte();
    if (db == null) {
      if (type != Protocol.HELLO) {
        refuse(ctx, "protocol", "expected a HELLO frame first, got type " + type + "; is this an Accrete peer?");
        return;
      }
      hello(ctx, in);
      return;
    }
    switch (type) {
      case Protocol.PING -> send(ctx.alloc().buffer(1).writeByte(Protocol.PONG));
      case Protocol.PONG -> { }
      case Protocol.TRANSACT -> transact(ctx, in.readLong(), in);
      case Protocol.SUBSCRIBE -> {
        long req = in.readLong();
        db.subscribe(this, basis -> ctx.alloc().buffer(17).writeByte(Protocol.SUBSCRIBED).writeLong(req).writeLong(basis));
      }
      case Protocol.SYNC -> sync(ctx, in.readLong());
      case Protocol.INDEX -> {
        long req = in.readLong();
        blocking(ctx, req, () -> {
          db.conn.requestIndex();
          return 0L;
        });
      }
      case Protocol.GC -> {
        long req = in.readLong();
        long olderThan = in.readLong();
        blocking(ctx, req, () -> transactor.gc(db, olderThan));
      }
      case Protocol.DELETE -> {
        long req = in.readLong();
        String name = db.name;
        Channel self = ctx.channel();
        blocking(ctx, req, () -> transactor.delete(name, self) ? 1L : 0L);
      }
      case Protocol.RENAME -> {
        long req = in.readLong();
        String name = db.name;
        String newName = Wire.string(in);
        Channel self = ctx.channel();
        blocking(ctx, req, () -> transactor.rename(name, newName, self) ? 1L : 0L);
      }
      default -> {
        transactor.log("peer " + peer + " sent an unknown frame type " + type + "; closed the link");
        ctx.close();
      }
    }
  }

  private void hello(ChannelHandlerContext ctx, ByteBuf in) {
    if (!Protocol.magic(in)) {
      refuse(ctx, "protocol", "not an Accrete peer (bad magic)");
      return;
    }
    int version = in.readUnsignedShort();
    if (version != Protocol.VERSION) {
      refuse(ctx, "unsupported-version", "this transactor speaks protocol version " + Protocol.VERSION
          + ", the peer " + version + "; run the same Accrete version on both");
      return;
    }
    String name = Wire.string(in);
    String peerName = Wire.string(in);
    byte[] proof = Wire.bytes(in);
    if (name == null || peerName == null) {
      refuse(ctx, "protocol", "a HELLO needs a database and a peer name");
      return;
    }
    peer = peerName + "@" + ctx.channel().remoteAddress();
    if (!Protocol.verify(transactor.options().secret(), nonce, name, peerName, proof)) {
      refuse(ctx, "unauthenticated", "peer " + peer + " did not prove the transactor's shared secret;"
          + " give the peer the same secret (accrete.secret, accrete.secretFile or ACCRETE_SECRET)");
      return;
    }
    ctx.channel().config().setAutoRead(false); // no requests until the database is open
    Protocol.authenticated(ctx.pipeline());
    transactor.blocking().execute(() -> {
      Transactor.Served s;
      try {
        s = transactor.serve(name);
      } catch (RuntimeException e) {
        ctx.executor().execute(() -> refuse(ctx, code(e), message(e)));
        return;
      }
      ctx.executor().execute(() -> {
        if (s == null) {
          refuse(ctx, "db-not-found", "Database " + name + " does not exist in this transactor's storage");
          return;
        }
        db = s;
        ByteBuf out = ctx.alloc().buffer(9).writeByte(Protocol.WELCOME).writeLong(transactor.epoch());
        ctx.writeAndFlush(out);
        ctx.channel().config().setAutoRead(true);
      });
    });
  }

  /**
   * The basis, only while no other transactor can have acknowledged anything since: otherwise
   * the peer reads the log in storage (which holds every acknowledged transaction) instead.
   */
  private void sync(ChannelHandlerContext ctx, long req) {
    if (steppingDown || !transactor.leaseProven()) {
      error(ctx, req, TransactorLink.UNAVAILABLE, "Cannot sync here: " + transactor.unproven());
      transactor.lapsed();
      return;
    }
    ok(ctx, req, db.conn.db().basisT());
  }

  private void transact(ChannelHandlerContext ctx, long req, ByteBuf in) {
    if (steppingDown || !transactor.leaseProven()) {
      // Not applied: the peer keeps it for the next transactor, as for a deposed one. A link
      // that is closing takes nothing new even if the lease was proven again meanwhile: what
      // it took could still be in flight when it closes.
      error(ctx, req, DurableConnection.DEPOSED, "Not written: " + (steppingDown
          ? "the transactor at " + transactor.endpoint() + " is closing this link (its lease was not proven)"
          : transactor.unproven()));
      transactor.lapsed();
      return;
    }
    Object tx;
    try {
      tx = Wire.read(in);
    } catch (RuntimeException e) {
      error(ctx, req, Keyword.of("db.error", "malformed"), "The transaction could not be decoded: " + e.getMessage());
      return;
    }
    if (!(tx instanceof List<?> list)) {
      error(ctx, req, Keyword.of("db.error", "invalid-tx"), "A transaction is a list of forms, not " + tx);
      return;
    }
    if (inFlight.incrementAndGet() >= MAX_IN_FLIGHT) {
      ctx.channel().config().setAutoRead(false);
    }
    // Completed on the database's transactor thread after the commit's push was queued, so
    // the reply follows the push through the outbox.
    db.conn.transactQueued(list).whenComplete((report, err) -> {
      inFlight.decrementAndGet();
      if (err != null) {
        error(ctx, req, codeOf(err), message(err));
      } else {
        txOk(ctx, req, report);
      }
    });
  }

  private void txOk(ChannelHandlerContext ctx, long req, TxReport report) {
    ByteBuf out = ctx.alloc().buffer();
    out.writeByte(Protocol.TX_OK).writeLong(req).writeLong(((io.accrete.Database) report.dbAfter()).basisT());
    Map<Object, Long> tempids = report.tempids();
    try {
      Wire.write(out, tempids);
    } catch (RuntimeException e) {
      out.release();
      error(ctx, req, Keyword.of("db.error", "tempids"), "Cannot send the tempids back: " + e.getMessage());
      return;
    }
    send(out);
  }

  private void blocking(ChannelHandlerContext ctx, long req, Callable<Long> work) {
    transactor.blocking().execute(() -> {
      try {
        ok(ctx, req, work.call());
      } catch (Exception e) {
        error(ctx, req, codeOf(e), message(e));
      }
    });
  }

  private void ok(ChannelHandlerContext ctx, long req, long value) {
    send(ctx.alloc().buffer(17).writeByte(Protocol.OK).writeLong(req).writeLong(value));
  }

  private void error(ChannelHandlerContext ctx, long req, Keyword code, String message) {
    ByteBuf out = ctx.alloc().buffer();
    out.writeByte(Protocol.ERROR).writeLong(req);
    Wire.string(out, code.namespace());
    Wire.string(out, code.name());
    Wire.string(out, message);
    send(out);
  }

  private void refuse(ChannelHandlerContext ctx, String code, String message) {
    transactor.logPeerProblem(ctx.channel().remoteAddress(), code,
        "refused peer " + peer + " (" + ctx.channel().remoteAddress() + "): " + message);
    ByteBuf out = ctx.alloc().buffer();
    out.writeByte(Protocol.REFUSED);
    Wire.string(out, code);
    Wire.string(out, message);
    ctx.writeAndFlush(out).addListener(f -> ctx.close());
  }

  private static Keyword codeOf(Throwable e) {
    Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    return t instanceof AccreteException a ? a.code() : Keyword.of("db.error", "transaction-failed");
  }

  private static String code(Throwable e) {
    return codeOf(e).name();
  }

  private static String message(Throwable e) {
    Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    return t instanceof AccreteException ? t.getMessage() : String.valueOf(t);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e) {
      if (e.state() == IdleState.READER_IDLE) {
        transactor.log("peer " + peer + " went silent; closed its link");
        ctx.close();
      } else if (e.state() == IdleState.WRITER_IDLE) {
        send(ctx.alloc().buffer(1).writeByte(Protocol.PING));
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (db != null) {
      db.unsubscribe(this);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof io.netty.handler.ssl.NotSslRecordException) {
      transactor.logPeerProblem(ctx.channel().remoteAddress(), "plain", "peer at " + ctx.channel().remoteAddress()
          + " does not speak TLS; closed the link"
          + " (peers of a TLS transactor need accrete.tls.truststore)");
      ctx.close();
      return;
    }
    if (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof javax.net.ssl.SSLException tls) {
      transactor.logPeerProblem(ctx.channel().remoteAddress(), "tls", "peer at " + ctx.channel().remoteAddress()
          + " failed the TLS handshake (" + tls.getMessage()
          + "); closed the link" + (tls.getMessage() != null && tls.getMessage().contains("certificate")
              ? " (peers of this transactor need accrete.tls.keystore with a certificate it trusts)" : ""));
      ctx.close();
      return;
    }
    String what = cause instanceof io.netty.handler.codec.DecoderException || cause instanceof IndexOutOfBoundsException
        || cause instanceof IllegalArgumentException ? "sent a malformed frame" : "failed";
    transactor.log("peer " + peer + " (" + ctx.channel().remoteAddress() + ") " + what + ": " + cause.getMessage()
        + "; closed the link");
    ctx.close();
  }
}
