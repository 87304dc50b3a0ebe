package io.accrete.transactor;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.storage.SqlStorage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer's link to the transactor of one database: finds it through the storage's lease,
 * connects (TLS and the shared secret if configured), subscribes to the database's novelty, and
 * carries requests with a timeout each. When the link drops it reconnects by itself, to the same
 * transactor or to the standby that took over. Requests made while no transactor is connected
 * wait up to {@code writeWaitMillis}; a transaction sent on a link that then drops, or that
 * gets no answer in time, fails as of unknown outcome; a transaction the transactor refused
 * because it had just been deposed was not written and is sent again to its successor.
 */
final class TransactorLink {
  /** Nothing was sent: no transactor could be reached. */
  static final Keyword UNAVAILABLE = Keyword.of("db.error", "transactor-unavailable");
  /** Sent, but the answer never came: it may or may not have been applied. */
  static final Keyword UNKNOWN = Keyword.of("db.error", "transaction-outcome-unknown");

  /** What the transactor pushes, delivered on the link's event loop in the order sent. */
  interface Pushes {
    /** Everything up to {@code basisT} is in the log; what follows arrives as novelty. */
    void subscribed(long basisT);

    void novelty(byte[] logBatch);

    void indexed(byte[] root);
  }

  /** A reply: a number (t, basis, count) and, for transactions, the tempids. */
  record Reply(long value, Map<Object, Long> tempids) {}

  private static final class Call {
    final int type;
    final byte[] body;
    final boolean transaction;
    final CompletableFuture<Reply> future = new CompletableFuture<>();
    /** The link it was last sent on. */
    volatile Channel sentOn;

    Call(int type, byte[] body, boolean transaction) {
      this.type = type;
      this.body = body;
      this.transaction = transaction;
    }
  }

  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2,
      new DefaultThreadFactory("accrete-peer-io", true), NioIoHandler.newFactory());
  private static final long CONNECT_MILLIS = 5000;

  private final String db;
  private final String what;
  private final SqlStorage coord;
  private final PeerOptions options;
  private final Pushes pushes;
  private final SslContext tls;
  private final String peerName = "peer-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Call> inFlight = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final List<Call> waiting = new ArrayList<>(); // guarded by lock
  private final Thread connector;
  private Channel channel; // guarded by lock; set once subscribed
  private volatile String problem = "connecting to the transactor";
  private volatile boolean closed;

  TransactorLink(String db, String what, SqlStorage coord, PeerOptions options, Pushes pushes) {
    this.db = db;
    this.what = what;
    this.coord = coord;
    this.options = options;
    this.pushes = pushes;
    this.tls = options.truststore() == null ? null
        : Tls.client(options.truststore(), options.truststorePassword(), options.keystore(), options.keystorePassword());
    this.connector = new Thread(this::connectLoop, "accrete-peer-link " + db);
    this.connector.setDaemon(true);
  }

  void start() {
    connector.start();
  }

  boolean connected() {
    synchronized (lock) {
      return channel != null;
    }
  }

  /** Whether a transaction of this peer's was sent and not yet answered. */
  boolean transactionsInFlight() {
    for (Call c : inFlight.values()) {
      if (c.transaction) {
        return true;
      }
    }
    return false;
  }

  /** Why there is no link now (for messages). */
  String problem() {
    return problem;
  }

  /**
   * Sends a request and completes with its reply. {@code transaction}: not to be sent twice once
   * it may have reached the transactor.
   */
  CompletableFuture<Reply> call(int type, byte[] body, boolean transaction) {
    Call c = new Call(type, body, transaction);
    // Indexing, garbage collection and deletion may take long; everything else gets the
    // transaction timeout.
    boolean slow = type == Protocol.INDEX || type == Protocol.GC || type == Protocol.DELETE
        || type == Protocol.RENAME;
    long timeout = slow ? Math.max(options.txTimeoutMillis(), 600_000) : options.txTimeoutMillis();
    synchronized (lock) {
      if (closed) {
        c.future.completeExceptionally(new AccreteException(UNAVAILABLE, "The connection to " + what + " was released"));
        return c.future;
      }
      if (channel != null) {
        send(channel, c);
      } else {
        waiting.add(c);
        GROUP.schedule(() -> giveUpWaiting(c), options.writeWaitMillis(), TimeUnit.MILLISECONDS);
      }
    }
    GROUP.schedule(() -> timeOut(c, timeout), timeout, TimeUnit.MILLISECONDS);
    return c.future;
  }

  private void giveUpWaiting(Call c) {
    synchronized (lock) {
      if (!waiting.remove(c)) {
        return;
      }
    }
    c.future.completeExceptionally(new AccreteException(UNAVAILABLE, "No transactor is reachable for " + what + " ("
        + problem + "); nothing was sent, reads still work — start or check `accrete transactor --storage …`"));
  }

  private void timeOut(Call c, long timeout) {
    if (c.future.isDone()) {
      return;
    }
    synchronized (lock) {
      waiting.remove(c);
    }
    inFlight.values().remove(c);
    c.future.completeExceptionally(new AccreteException(c.transaction ? UNKNOWN : UNAVAILABLE, "The transactor of "
        + what + " did not answer within " + timeout + " ms"
        + (c.transaction ? "; the transaction may or may not have been applied: check before retrying" : "")));
  }

  // Called with the lock held.
  private void send(Channel ch, Call c) {
    long id = ids.incrementAndGet();
    c.sentOn = ch;
    inFlight.put(id, c);
    ByteBuf out = ch.alloc().buffer(9 + c.body.length);
    out.writeByte(c.type).writeLong(id).writeBytes(c.body);
    outbox(ch).send(out);
  }

  private static final io.netty.util.AttributeKey<Outbox> OUTBOX = io.netty.util.AttributeKey.valueOf("accrete.outbox");

  /** The link's outbox: requests of many client threads leave in one write and one flush. */
  private static Outbox outbox(Channel ch) {
    Outbox o = ch.attr(OUTBOX).get();
    if (o == null) {
      Outbox mine = new Outbox(ch, () -> { });
      o = ch.attr(OUTBOX).setIfAbsent(mine);
      o = o == null ? mine : o;
    }
    return o;
  }

  private void connectLoop() {
    long backoff = 100;
    while (!closed) {
      boolean ok = false;
      if (!connected()) {
        try {
          connectOnce();
          ok = true;
          backoff = 100;
        } catch (RuntimeException e) {
          problem = e.getMessage();
        }
      }
      synchronized (lock) {
        try {
          if (channel != null || closed) {
            lock.wait(); // until the link drops
          } else if (!ok) {
            lock.wait(backoff);
            backoff = Math.min(backoff * 2, 1000);
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void connectOnce() {
    byte[] bytes = coord.getRoot(Lease.ROOT);
    if (bytes == null) {
      throw new AccreteException(UNAVAILABLE, "no transactor has run on " + coord.describe() + " yet");
    }
    Lease lease = Lease.decode(bytes, coord.describe());
    int colon = lease.endpoint().lastIndexOf(':');
    String host = lease.endpoint().substring(0, colon);
    int port = Integer.parseInt(lease.endpoint().substring(colon + 1));
    Handler handler = new Handler(host + ":" + port);
    ChannelFuture f = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_MILLIS)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), host, port));
            }
            Protocol.frame(ch.pipeline(), 1000, 5000);
            ch.pipeline().addLast("link", handler);
          }
        }).connect(host, port);
    if (!f.awaitUninterruptibly(CONNECT_MILLIS + 1000) || !f.isSuccess()) {
      f.channel().close();
      throw new AccreteException(UNAVAILABLE, "the transactor at " + lease.endpoint() + " (epoch " + lease.epoch()
          + ") is not reachable" + (f.cause() != null ? ": " + f.cause().getMessage() : ""));
    }
    Channel ch = f.channel();
    try {
      handler.welcome.get(CONNECT_MILLIS, TimeUnit.MILLISECONDS);
      Call subscribe = new Call(Protocol.SUBSCRIBE, new byte[0], false);
      synchronized (lock) {
        send(ch, subscribe);
      }
      subscribe.future.get(CONNECT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      ch.close();
      throw e.getCause() instanceof AccreteException a ? a : new AccreteException(UNAVAILABLE, e.getCause().toString());
    } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
      ch.close();
      throw new AccreteException(UNAVAILABLE, "the transactor at " + lease.endpoint() + " did not complete the handshake");
    }
    synchronized (lock) {
      if (!ch.isActive()) {
        throw new AccreteException(UNAVAILABLE, "the link to " + lease.endpoint() + " dropped right after the handshake");
      }
      channel = ch;
      problem = "connected to " + lease.endpoint();
      for (Call c : waiting) {
        send(ch, c);
      }
      waiting.clear();
    }
  }

  private void dropped(Channel ch, String why) {
    synchronized (lock) {
      if (channel == ch) {
        channel = null;
        problem = why;
      }
      lock.notifyAll();
    }
    // Everything sent on this link (a transactor that stepped down leaves its old link open while
    // a new one carries later calls): requests that are safe to repeat wait for the next link.
    for (Map.Entry<Long, Call> e : inFlight.entrySet()) {
      Call c = e.getValue();
      if (c.sentOn != ch || !inFlight.remove(e.getKey(), c)) {
        continue;
      }
      if (c.transaction) {
        c.future.completeExceptionally(new AccreteException(UNKNOWN, "The link to the transactor of " + what
            + " dropped (" + why + ") before it answered; the transaction may or may not have been applied:"
            + " check before retrying"));
      } else {
        synchronized (lock) {
          if (channel != null) {
            send(channel, c);
          } else {
            waiting.add(c);
            GROUP.schedule(() -> giveUpWaiting(c), options.writeWaitMillis(), TimeUnit.MILLISECONDS);
          }
        }
      }
    }
  }

  void close() {
    Channel ch;
    synchronized (lock) {
      closed = true;
      ch = channel;
      channel = null;
      lock.notifyAll();
    }
    connector.interrupt();
    if (ch != null) {
      ch.close();
    }
  }

  /** One connection's inbound side. */
  private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
    final CompletableFuture<Long> welcome = new CompletableFuture<>();
    private final String endpoint;
    private boolean challenged;

    Handler(String endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
      int type = in.readUnsignedByte();
      switch (type) {
        case Protocol.CHALLENGE -> challenge(ctx, in);
        case Protocol.WELCOME -> welcome.complete(in.readLong());
        case Protocol.REFUSED -> {
          String code = Wire.string(in);
          String message = Wire.string(in);
          welcome.completeExceptionally(new AccreteException(Keyword.of("db.error", code),
              "the transactor at " + endpoint + " refused this peer: " + message));
        }
        case Protocol.SUBSCRIBED -> {
          Call c = inFlight.remove(in.readLong());
          pushes.subscribed(in.readLong());
          if (c != null) {
            c.future.complete(new Reply(0, Map.of()));
          }
        }
        case Protocol.NOVELTY -> pushes.novelty(Wire.bytes(in));
        case Protocol.INDEXED -> pushes.indexed(Wire.bytes(in));
        case Protocol.TX_OK -> {
          Call c = inFlight.remove(in.readLong());
          long t = in.readLong();
          @SuppressWarnings("unchecked")
          Map<Object, Long> tempids = (Map<Object, Long>) Wire.read(in);
          if (c != null) {
            c.future.complete(new Reply(t, tempids));
          }
        }
        case Protocol.OK -> {
          Call c = inFlight.remove(in.readLong());
          if (c != null) {
            c.future.complete(new Reply(in.readLong(), Map.of()));
          }
        }
        case Protocol.ERROR -> {
          Call c = inFlight.remove(in.readLong());
          Keyword code = Keyword.of(Wire.string(in), Wire.string(in));
          String message = Wire.string(in);
          if (c == null) {
            return;
          }
          if (DurableConnection.DEPOSED.equals(code)) {
            // Not written: wait for its successor. The deposed transactor closes this link
            // itself; meanwhile nothing more is sent on it.
            synchronized (lock) {
              if (channel == ctx.channel()) {
                channel = null;
                problem = "the transactor at " + endpoint + " was deposed";
                lock.notifyAll();
              }
              waiting.add(c);
            }
            GROUP.schedule(() -> giveUpWaiting(c), options.writeWaitMillis(), TimeUnit.MILLISECONDS);
          } else {
            c.future.completeExceptionally(new AccreteException(code, message));
          }
        }
        case Protocol.LEAVE -> {
          // The transactor cannot prove its lease: send nothing more on this link (it closes it
          // once our calls on it are answered) and look the lease up again.
          synchronized (lock) {
            if (channel == ctx.channel()) {
              channel = null;
              problem = "the transactor at " + endpoint + " stepped down (it cannot prove its lease)";
              lock.notifyAll();
            }
          }
        }
        case Protocol.PING -> ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(Protocol.PONG));
        case Protocol.PONG -> { }
        default -> throw new IllegalArgumentException("unknown frame type " + type + " from the transactor");
      }
    }

    private void challenge(ChannelHandlerContext ctx, ByteBuf in) {
      challenged = true;
      if (!Protocol.magic(in)) {
        welcome.completeExceptionally(new AccreteException(UNAVAILABLE, endpoint + " is not an Accrete transactor"));
        ctx.close();
        return;
      }
      int version = in.readUnsignedShort();
      if (version != Protocol.VERSION) {
        welcome.completeExceptionally(new AccreteException(Keyword.of("db.error", "unsupported-version"),
            "the transactor at " + endpoint + " speaks protocol version " + version + ", this peer "
                + Protocol.VERSION + "; run the same Accrete version on both"));
        ctx.close();
        return;
      }
      byte[] nonce = new byte[Protocol.NONCE_BYTES];
      in.readBytes(nonce);
      ByteBuf out = ctx.alloc().buffer();
      out.writeByte(Protocol.HELLO).writeInt(Protocol.MAGIC).writeShort(Protocol.VERSION);
      Wire.string(out, db);
      Wire.string(out, peerName);
      Wire.bytes(out, Protocol.proof(options.secret(), nonce, db, peerName));
      ctx.writeAndFlush(out);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent e) {
        if (e.state() == IdleState.READER_IDLE) {
          problem = "the transactor at " + endpoint + " went silent";
          ctx.close();
        } else if (e.state() == IdleState.WRITER_IDLE) {
          ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(Protocol.PING));
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      welcome.completeExceptionally(new AccreteException(UNAVAILABLE, "the transactor at " + endpoint
          + (challenged ? " closed the link" : " closed the link before the handshake (TLS on one side only?"
              + " set accrete.tls.truststore on peers of a TLS transactor)")));
      dropped(ctx.channel(), "the link to " + endpoint + " closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      problem = "the link to " + endpoint + " failed: " + cause.getMessage();
      if (!challenged) { // e.g. the transactor refused this peer's certificate, or it has none
        String m = String.valueOf(cause.getMessage());
        boolean tlsFailed = tls != null || cause instanceof javax.net.ssl.SSLException
            || cause.getCause() instanceof javax.net.ssl.SSLException;
        String why = (tlsFailed ? "the TLS handshake with the transactor at " : "the link to the transactor at ")
            + endpoint + " failed" + (tlsFailed ? "" : " before the handshake") + ": " + m
            + (m.contains("bad_certificate") || m.contains("certificate_required")
                ? " (it authenticates peers by certificate: set accrete.tls.keystore to one it trusts)" : "");
        problem = why; // what a writer that gives up waiting for a link is told, too
        welcome.completeExceptionally(new AccreteException(UNAVAILABLE, why));
      }
      ctx.close();
    }
  }
}
