package io.accrete.transactor;

import com.zaxxer.hikari.HikariDataSource;
import io.accrete.db.Errors;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.LogCodec;
import io.accrete.storage.SqlStorage;
import io.accrete.storage.StorageException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A transactor over PostgreSQL storage, serving every database in it to peers over the network.
 *
 * <p>It listens at once, then takes the storage's {@link Lease}: at once when nobody holds it,
 * otherwise as a standby, when the holder's heartbeat has not changed for {@code leaseMillis}
 * (compare-and-set with the next epoch, so of two racing standbys one wins). Once active it
 * writes the heartbeat every {@code heartbeatMillis}, opens a database when a peer first asks
 * for it (reading its root and log: everything the previous transactor acknowledged), and fences
 * every storage write on the lease. If a write finds the lease taken, this transactor is
 * deposed: it closes its links and stops for good ({@link #stopped()}), and a supervisor may
 * start it again as a standby.
 *
 * <p>It answers peers only while it can prove the lease is still its own: a heartbeat that
 * reached storage at most {@code leaseMillis} (less a safety margin) ago, measured from before
 * it was sent. A standby takes over only after the heartbeat it saw has stayed unchanged for
 * {@code leaseMillis}, and it first replaces that very heartbeat (compare-and-set), so no
 * standby can hold the lease while this proof lasts. When the proof lapses (storage silent or
 * unreachable from here) it stops answering {@code sync}, refuses new links and transactions,
 * closes the links it has so peers look up the lease again, and says so in its log; a later
 * heartbeat that reaches storage resumes it, one that finds the lease taken deposes it.
 * Acknowledged transactions need no such check: each was committed by a write fenced on the
 * lease, which is proof at that moment.
 */
public final class Transactor implements AutoCloseable {
  /** What a transactor is doing. */
  public enum State { STANDBY, ACTIVE, DEPOSED, CLOSED }

  /**
   * How to run a transactor.
   *
   * @param jdbcUrl PostgreSQL storage ({@code jdbc:postgresql://host:port/db?user=…})
   * @param host address to listen on
   * @param port port to listen on (0: any free port)
   * @param advertise {@code host:port} peers should connect to, or null for the bound address
   * @param secret the shared secret peers must prove, or null to accept any peer
   * @param tls TLS on the link, or null for plain TCP
   * @param heartbeatMillis how often the active transactor proves it is alive
   * @param leaseMillis how long a standby waits for a silent heartbeat before it takes over
   * @param log where one-line status messages go
   * @param allowedFunctions the static Java methods transaction data may run ({@link #withAllowedFunctions})
   * @param clock the wall clock that stamps transactions and heartbeats ({@link #withClock}); the lease
   *     itself is timed by {@link System#nanoTime}, never by a wall clock
   */
  public record Options(String jdbcUrl, String host, int port, String advertise, byte[] secret, TlsKeys tls,
      long heartbeatMillis, long leaseMillis, PrintStream log, java.util.List<String> allowedFunctions,
      java.time.InstantSource clock) {
    /** Options with the system's wall clock. */
    public Options(String jdbcUrl, String host, int port, String advertise, byte[] secret, TlsKeys tls,
        long heartbeatMillis, long leaseMillis, PrintStream log, java.util.List<String> allowedFunctions) {
      this(jdbcUrl, host, port, advertise, secret, tls, heartbeatMillis, leaseMillis, log, allowedFunctions,
          java.time.InstantSource.system());
    }

    /** Options as before static methods were allowed: none may run from transaction data. */
    public Options(String jdbcUrl, String host, int port, String advertise, byte[] secret, TlsKeys tls,
        long heartbeatMillis, long leaseMillis, PrintStream log) {
      this(jdbcUrl, host, port, advertise, secret, tls, heartbeatMillis, leaseMillis, log, java.util.List.of());
    }

    /** Plain options: no secret, no TLS, heartbeat 1 s, lease 5 s, no static methods allowed. */
    public static Options of(String jdbcUrl, String host, int port, PrintStream log) {
      return new Options(jdbcUrl, host, port, null, null, null, 1000, 5000, log);
    }

    /**
     * The same options, letting transaction data run the static methods the patterns name
     * ({@link io.accrete.tx.FunctionPolicy}: {@code com.acme.Bank/transfer}, {@code com.acme.*},
     * {@code *}) as transaction functions and predicates. By default none may: any peer that
     * reaches the transactor sends transaction data. Database functions ({@code #db/fn}) always run.
     */
    public Options withAllowedFunctions(java.util.List<String> patterns) {
      io.accrete.tx.FunctionPolicy.allowing(patterns); // refuse bad patterns now
      return new Options(jdbcUrl, host, port, advertise, secret, tls, heartbeatMillis, leaseMillis, log,
          java.util.List.copyOf(patterns), clock);
    }

    /** The same options with other timings. */
    public Options withTimings(long heartbeat, long lease) {
      return new Options(jdbcUrl, host, port, advertise, secret, tls, heartbeat, lease, log, allowedFunctions, clock);
    }

    /** The same options with a shared secret. */
    public Options withSecret(byte[] s) {
      return new Options(jdbcUrl, host, port, advertise, s, tls, heartbeatMillis, leaseMillis, log, allowedFunctions, clock);
    }

    /** The same options with TLS: the transactor's certificate and key in a keystore. */
    public Options withTls(Path keystore, String password) {
      return new Options(jdbcUrl, host, port, advertise, secret, new TlsKeys(keystore, password, null, null),
          heartbeatMillis, leaseMillis, log, allowedFunctions, clock);
    }

    /**
     * The same options with mutual TLS: peers must present a certificate that {@code truststore}
     * trusts (after {@link #withTls}).
     */
    public Options withPeerCertificates(Path truststore, String password) {
      if (tls == null) {
        throw new IllegalStateException("peer certificates need TLS: call withTls first");
      }
      return new Options(jdbcUrl, host, port, advertise, secret,
          new TlsKeys(tls.keystore(), tls.keystorePassword(), truststore, password), heartbeatMillis, leaseMillis, log,
          allowedFunctions, clock);
    }

    /**
     * The same options with another wall clock for transaction instants and heartbeat stamps:
     * the seam through which tests skew and jump a transactor's clock. Transaction instants
     * never go backwards whatever it does ({@code :db/txInstant} is at least the previous one's).
     */
    public Options withClock(java.time.InstantSource c) {
      return new Options(jdbcUrl, host, port, advertise, secret, tls, heartbeatMillis, leaseMillis, log,
          allowedFunctions, java.util.Objects.requireNonNull(c, "clock"));
    }

    /** The same options, advertising another endpoint to peers (a proxy, a NAT address). */
    public Options withAdvertise(String endpoint) {
      return new Options(jdbcUrl, host, port, endpoint, secret, tls, heartbeatMillis, leaseMillis, log, allowedFunctions, clock);
    }
  }

  /**
   * The transactor's TLS material, in Java keystores (PKCS12 or JKS) as {@code keytool} makes them.
   *
   * @param keystore the transactor's certificate and key
   * @param keystorePassword its password
   * @param peerTruststore certificates peers' own certificates must chain to (mutual TLS), or null
   *     when peers present none
   * @param peerTruststorePassword its password
   */
  public record TlsKeys(Path keystore, String keystorePassword, Path peerTruststore, String peerTruststorePassword) {}

  /** A database this transactor serves, and the links following its novelty. */
  final class Served implements DurableConnection.Listener {
    final String name;
    final DurableConnection conn;
    private final Set<PeerSession> subscribers = ConcurrentHashMap.newKeySet();

    private Served(String name, SqlStorage storage) {
      this.name = name;
      this.conn = DurableConnection.open(uriOf(name), storage, Settings.of(Map.of(), DatabaseUri.parse(uriOf(name))),
          storage::close, this, io.accrete.tx.FunctionPolicy.allowing(options.allowedFunctions()), options.clock());
    }

    /**
     * Registers a link for pushes and sends it {@code reply} with the basis up to which it must
     * read the log itself: no push can come between the basis and the reply.
     */
    void subscribe(PeerSession s, java.util.function.LongFunction<ByteBuf> reply) {
      synchronized (subscribers) {
        subscribers.add(s);
        s.send(reply.apply(conn.db().basisT()));
      }
    }

    void unsubscribe(PeerSession s) {
      subscribers.remove(s);
    }

    @Override
    public void committed(List<LogCodec.Entry> entries, byte[] blob) {
      push(Protocol.NOVELTY, blob);
    }

    @Override
    public void indexed(byte[] rootBytes) {
      push(Protocol.INDEXED, rootBytes);
    }

    @Override
    public void deposed(StorageException e) {
      Transactor.this.deposed(e.getMessage());
    }

    @Override
    public void beforeSync() {
      if (!leaseProven()) {
        lapsed();
        throw new io.accrete.AccreteException(TransactorLink.UNAVAILABLE, "Cannot sync " + name + ": " + unproven());
      }
    }

    private void push(int type, byte[] payload) {
      synchronized (subscribers) {
        if (subscribers.isEmpty()) {
          return;
        }
        ByteBuf frame = io.netty.buffer.Unpooled.buffer(5 + payload.length);
        frame.writeByte(type).writeInt(payload.length).writeBytes(payload);
        for (PeerSession s : subscribers) {
          Channel ch = s.channel();
          if (!ch.isWritable()) {
            // A peer that cannot keep up is cut off; it catches up from storage when it reconnects.
            log("peer " + ch.remoteAddress() + " of " + name + " fell too far behind; disconnected it");
            subscribers.remove(s);
            ch.close();
            continue;
          }
          s.send(frame.retainedDuplicate());
        }
        frame.release();
      }
    }

    /** Stops serving: closes the links following it (but {@code keep}, which awaits a reply). */
    void close(Channel keep) {
      for (PeerSession s : subscribers) {
        if (s.channel() != keep) {
          s.channel().close();
        }
      }
      conn.release();
    }
  }

  private static final String TABLE = SqlProvider.TABLE;

  private final Options options;
  private final String id = UUID.randomUUID().toString();
  private final HikariDataSource pool;
  private final SqlStorage coord;
  private final EventLoopGroup group;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel server;
  private final String endpoint;
  private final SslContext tls;
  private final Map<String, Served> served = new ConcurrentHashMap<>();
  private final RepeatedLines peerProblems = new RepeatedLines(60_000, this::log);
  /** Blocking work (opening and deleting databases, indexing on request) off the event loops. */
  private final ExecutorService blocking;
  private final Thread leaseThread;
  private final CompletableFuture<State> stopped = new CompletableFuture<>();
  private final CompletableFuture<Long> active = new CompletableFuture<>();
  private volatile State state = State.STANDBY;
  // Owned by the lease thread (and read by others once active).
  private volatile Lease lease;
  private volatile byte[] leaseBytes;
  private volatile SqlStorage fence;
  private byte[] lastBeat;
  private long beats;
  private byte[] observed;
  private long observedAt;
  private boolean announcedStandby;
  private boolean storageDown;
  /** Until when (System.nanoTime) no standby can have taken the lease; set by the lease thread. */
  private volatile long provenUntil;
  /** Whether the proof lapsed and peers are turned away (until a heartbeat reaches storage). */
  private volatile boolean suspended;

  private Transactor(Options options) {
    this.options = options;
    this.pool = SqlStorage.pool(options.jdbcUrl());
    try {
      this.coord = new SqlStorage(pool, false, TABLE, "");
      coord.getRoot(Lease.ROOT); // fail now, clearly, when storage cannot be reached
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    this.tls = options.tls() == null ? null : Tls.server(options.tls());
    this.blocking = Executors.newCachedThreadPool(new DefaultThreadFactory("accrete-transactor-work", true));
    this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("accrete-transactor-io", true),
        NioIoHandler.newFactory());
    try {
      this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 64 << 20))
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              channels.add(ch);
              if (tls != null) {
                ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
              }
              // Small frames until the peer proves the secret (PeerSession lifts the limit).
              Protocol.frame(ch.pipeline(), options.heartbeatMillis(), silence(), Protocol.HANDSHAKE_FRAME);
              ch.pipeline().addLast("session", new PeerSession(Transactor.this));
            }
          })
          .bind(options.host(), options.port()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      blocking.shutdownNow();
      pool.close();
      throw Errors.db("cannot-listen", "Cannot listen on " + options.host() + ":" + options.port() + ": "
          + e.getMessage() + "; choose another --host/--port");
    }
    int bound = ((InetSocketAddress) server.localAddress()).getPort();
    this.endpoint = options.advertise() != null ? options.advertise() : advertised(options.host(), bound);
    this.leaseThread = new Thread(this::leaseLoop, "accrete-transactor-lease");
    this.leaseThread.setDaemon(true);
  }

  /**
   * Starts a transactor: listens, then takes the lease now or waits as a standby. Fails at once,
   * clearly, when the storage cannot be reached or the port cannot be bound.
   */
  public static Transactor start(Options options) {
    Transactor t = new Transactor(options);
    boolean certificates = options.tls() != null && options.tls().peerTruststore() != null;
    t.log("transactor " + t.id.substring(0, 8) + " listening at " + t.endpoint
        + (certificates ? " (TLS; peers need a certificate)" : t.tls != null ? " (TLS)" : "")
        + (options.secret() == null && !certificates
            ? "; no shared secret: any peer that reaches this port may transact" : "")
        + "; storage " + t.coord.describe());
    t.leaseThread.start();
    t.group.next().scheduleAtFixedRate(t::checkProof, options.heartbeatMillis(), options.heartbeatMillis(),
        TimeUnit.MILLISECONDS);
    return t;
  }

  private static String advertised(String host, int port) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "127.0.0.1";
      }
    }
    return host + ":" + port;
  }

  long silence() {
    return Math.max(3 * options.heartbeatMillis(), 3000);
  }

  /** Where peers reach this transactor. */
  public String endpoint() {
    return endpoint;
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** What it is doing now. */
  public State state() {
    return state;
  }

  /** The epoch of its lease, once active. */
  public long epoch() {
    Lease l = lease;
    return l == null ? 0 : l.epoch();
  }

  /** Completes with the epoch when this transactor becomes the active one. */
  public CompletableFuture<Long> activated() {
    return active;
  }

  /** Completes when it stops: {@link State#DEPOSED} or {@link State#CLOSED}. */
  public CompletableFuture<State> stopped() {
    return stopped;
  }

  Options options() {
    return options;
  }

  SslContext tls() {
    return tls;
  }

  ExecutorService blocking() {
    return blocking;
  }

  void log(String line) {
    options.log().println("accrete transactor: " + line);
  }

  /**
   * Logs a problem with a peer at {@code remote}, of a {@code kind}; repeats from the same host
   * (a peer that keeps reconnecting with a wrong secret or certificate) once a minute at most.
   */
  void logPeerProblem(java.net.SocketAddress remote, String kind, String line) {
    String host = remote instanceof InetSocketAddress a ? a.getHostString() : String.valueOf(remote);
    peerProblems.write(host + " " + kind, line, System.currentTimeMillis());
  }

  String uriOf(String name) {
    return "accrete:sql://" + name + "?" + options.jdbcUrl();
  }

  /**
   * Whether this transactor is active and can prove it still holds the lease: no standby can
   * have taken it over before now. Only then may it answer {@code sync} or take a transaction.
   */
  boolean leaseProven() {
    return state == State.ACTIVE && System.nanoTime() - provenUntil < 0;
  }

  /** Why {@link #leaseProven()} is false, for errors sent to peers. */
  String unproven() {
    return state != State.ACTIVE
        ? "the transactor at " + endpoint + " is not the active one (" + state.name().toLowerCase() + ")"
        : "the transactor at " + endpoint + " cannot prove it still holds the lease of " + coord.describe()
            + " (no heartbeat reached storage in the last " + proofMillis() + " ms)";
  }

  /** How long after sending a heartbeat that reached storage the lease is proven: the lease less a margin for clock drift. */
  private long proofMillis() {
    return options.leaseMillis() - Math.max(options.leaseMillis() / 5, 1);
  }

  /**
   * Every heartbeat period, on an event loop: once the proof has lapsed, turn peers away — a
   * standby may hold the lease by now, so this transactor's basis may be old.
   */
  private void checkProof() {
    if (state != State.ACTIVE || suspended || leaseProven()) {
      return;
    }
    suspend();
  }

  private void suspend() {
    synchronized (this) {
      if (suspended || state != State.ACTIVE) {
        return;
      }
      suspended = true;
    }
    log("cannot prove the lease any more: no heartbeat reached storage in the last " + proofMillis()
        + " ms; stopped answering peers and closing their links (they look up the lease again);"
        + " resuming if a heartbeat reaches storage, stopping if another transactor took the lease");
    for (Channel ch : channels) {
      PeerSession s = ch.pipeline().get(PeerSession.class);
      if (s == null || s.channel() == null) {
        ch.close();
      } else {
        s.stepDown();
      }
    }
  }

  /** A sync or transaction found the proof lapsed: turn peers away now rather than at the next check. */
  void lapsed() {
    if (state == State.ACTIVE && !leaseProven()) {
      group.execute(this::suspend);
    }
  }

  private void proven(long sentAt) {
    provenUntil = sentAt + proofMillis() * 1_000_000L;
    if (suspended) {
      synchronized (this) {
        suspended = false;
      }
      log("a heartbeat reached storage again: the lease (epoch " + lease.epoch() + ") is still this transactor's;"
          + " answering peers again");
    }
  }

  /** The database a peer asked for, opened on first use; null when storage has no such database. */
  Served serve(String name) {
    if (!leaseProven()) {
      throw Errors.db("not-active", "T" + unproven().substring(1));
    }
    return served.computeIfAbsent(name, n -> {
      SqlStorage plain = new SqlStorage(pool, false, TABLE, n + "/");
      if (plain.getRoot(DurableConnection.ROOT) == null) {
        return null;
      }
      return new Served(n, plain.fenced(coord, Lease.ROOT, leaseBytes));
    });
  }

  /**
   * This transactor's own connection to a database it serves: transactions on it skip the
   * network (an application that embeds the transactor, or a measurement of the network's
   * cost). Waits until this transactor is active.
   */
  public io.accrete.Connection connection(String db) {
    try {
      active.get(1, TimeUnit.HOURS);
    } catch (Exception e) {
      throw Errors.db("not-active", "This transactor did not become active: " + e.getMessage());
    }
    Served s = serve(db);
    if (s == null) {
      throw Errors.db("db-not-found", "Database " + db + " does not exist in " + coord.describe());
    }
    return s.conn;
  }

  /**
   * Deletes a database: stops serving it (closing its links but {@code requester}'s), then
   * removes its rows (fenced). True if it existed.
   */
  boolean delete(String name, Channel requester) {
    SqlStorage st = stopServing(name, requester);
    boolean existed = st.getRoot(DurableConnection.ROOT) != null;
    st.deleteAll();
    return existed;
  }

  /** Renames a database's rows after it stops serving it, as {@link #delete} does. */
  boolean rename(String name, String newName, Channel requester) {
    SqlStorage st = stopServing(name, requester);
    return st.getRoot(DurableConnection.ROOT) != null && st.renamePrefix(newName + "/");
  }

  /** Stops serving a database (its other peers' links close) and gives its storage, fenced by the lease. */
  private SqlStorage stopServing(String name, Channel requester) {
    Served s = served.remove(name);
    if (s != null) {
      s.close(requester);
    }
    return new SqlStorage(pool, false, TABLE, name + "/").fenced(coord, Lease.ROOT, leaseBytes);
  }

  /** Index and garbage requests of peers. */
  long gc(Served s, long olderThanMillis) {
    return s.conn.gcStorage(Instant.ofEpochMilli(olderThanMillis));
  }

  private void leaseLoop() {
    while ((state == State.STANDBY || state == State.ACTIVE) && !Thread.currentThread().isInterrupted()) {
      try {
        if (state == State.STANDBY) {
          tryAcquire();
        } else {
          beat();
        }
      } catch (StorageException e) {
        if (DurableConnection.isFenced(e)) {
          deposed(e.getMessage());
          return;
        }
        observed = null; // a standby that cannot read storage restarts its wait
        if (!storageDown) {
          storageDown = true;
          log("storage unreachable (" + e.getMessage() + "); retrying every " + options.heartbeatMillis() + " ms");
        }
        sleep();
        continue;
      } catch (RuntimeException e) {
        log("lease check failed: " + e);
      }
      if (storageDown) {
        storageDown = false;
        log("storage reachable again");
      }
      sleep();
    }
  }

  private void sleep() {
    try {
      Thread.sleep(options.heartbeatMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void tryAcquire() {
    byte[] current = coord.getRoot(Lease.ROOT);
    if (current == null) {
      acquire(null, null, 1);
      return;
    }
    Lease holder = Lease.decode(current, coord.describe());
    byte[] beat = coord.getRoot(Lease.HEARTBEAT);
    byte[] seen = concat(current, beat);
    long now = System.nanoTime();
    if (!Arrays.equals(seen, observed)) {
      observed = seen;
      observedAt = now;
      if (!announcedStandby) {
        announcedStandby = true;
        log("standby: transactor " + holder.holder().substring(0, 8) + " (epoch " + holder.epoch() + ") at "
            + holder.endpoint() + " holds the lease; taking over if its heartbeat stops for "
            + options.leaseMillis() + " ms");
      }
      return;
    }
    if (Lease.released(beat) && Lease.beatEpoch(beat) == holder.epoch()) {
      log("transactor " + holder.holder().substring(0, 8) + " (epoch " + holder.epoch() + ") stopped cleanly; taking over");
      acquire(current, beat, holder.epoch() + 1);
      return;
    }
    if (now - observedAt >= options.leaseMillis() * 1_000_000L) {
      log("the heartbeat of epoch " + holder.epoch() + " stopped " + options.leaseMillis() + " ms ago; taking over");
      acquire(current, beat, holder.epoch() + 1);
    }
  }

  /**
   * Takes the lease from {@code expected} (null: nobody held it). The heartbeat goes first, by
   * compare-and-set from {@code seenBeat}, the one that stayed unchanged for the lease: had the
   * holder written another since, the holder would still prove its lease, so this fails and the
   * wait starts again. Once replaced, the holder's next heartbeat fails and it stops answering.
   */
  private void acquire(byte[] expected, byte[] seenBeat, long epoch) {
    long sentAt = System.nanoTime();
    byte[] beat = Lease.beat(epoch, 0, options.clock().millis());
    if (expected != null && !coord.casRoot(Lease.HEARTBEAT, seenBeat, beat)) {
      observed = null; // the holder beat after all, or another standby claimed it first
      return;
    }
    Lease next = new Lease(epoch, id, endpoint, options.clock().millis(), options.leaseMillis());
    byte[] bytes = next.encode();
    if (!coord.casRoot(Lease.ROOT, expected, bytes)) {
      observed = null; // another transactor won the race; watch the new holder
      return;
    }
    lease = next;
    leaseBytes = bytes;
    fence = coord.fenced(coord, Lease.ROOT, bytes);
    if (expected == null) {
      byte[] old = coord.getRoot(Lease.HEARTBEAT);
      if (!fence.casRoot(Lease.HEARTBEAT, old, beat)) {
        throw new StorageException("fenced", "The heartbeat changed while taking the lease");
      }
    }
    lastBeat = beat;
    proven(sentAt);
    state = State.ACTIVE;
    log("active: epoch " + epoch + ", peers connect to " + endpoint);
    active.complete(epoch);
  }

  private void beat() {
    long sentAt = System.nanoTime();
    byte[] next = Lease.beat(lease.epoch(), ++beats, options.clock().millis());
    if (fence.casRoot(Lease.HEARTBEAT, lastBeat, next)) {
      lastBeat = next;
      proven(sentAt);
      return;
    }
    byte[] now = coord.getRoot(Lease.HEARTBEAT);
    if (Lease.beatEpoch(now) == lease.epoch() && !Lease.released(now)) {
      // Only this transactor writes beats of its epoch: an earlier attempt that failed on the
      // connection reached storage after all. Not a proof (it may be old); the next beat is.
      lastBeat = now;
      return;
    }
    throw new StorageException("fenced", "Another transactor wrote the heartbeat (epoch " + Lease.beatEpoch(now) + ")");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + (b == null ? 0 : b.length));
    if (b != null) {
      System.arraycopy(b, 0, out, a.length, b.length);
    }
    return out;
  }

  /** Called when a write found the lease taken: stop serving, for good. */
  void deposed(String why) {
    synchronized (this) {
      if (state != State.ACTIVE && state != State.STANDBY) {
        return;
      }
      state = State.DEPOSED;
    }
    log("deposed: another transactor took the lease (" + why + "); stopping without writing anything more");
    // Not on the caller's thread: it may be a database's transactor thread, which shutdown joins.
    Thread t = new Thread(() -> {
      shutdown();
      stopped.complete(State.DEPOSED);
    }, "accrete-transactor-deposed");
    t.setDaemon(true);
    t.start();
  }

  /** Stops serving: closes links, releases databases and storage. The lease lapses by itself. */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED || state == State.DEPOSED) {
        return;
      }
      state = State.CLOSED;
    }
    shutdown();
    log("stopped");
    stopped.complete(State.CLOSED);
  }

  private void shutdown() {
    leaseThread.interrupt();
    try {
      leaseThread.join(5000); // no beat may follow the released one
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    for (Served s : served.values()) {
      s.close(null);
    }
    served.clear();
    if (state == State.CLOSED && fence != null) {
      // Stopped cleanly with nothing left to write: tell the standby to take over now rather
      // than after the lease.
      try {
        fence.casRoot(Lease.HEARTBEAT, lastBeat, Lease.beat(lease.epoch(), Lease.RELEASED, options.clock().millis()));
      } catch (RuntimeException e) {
        log("could not release the lease (" + e.getMessage() + "); a standby takes over after " + options.leaseMillis() + " ms");
      }
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    blocking.shutdownNow();
    active.completeExceptionally(Errors.db("transactor-stopped", "The transactor stopped before it became active"));
    pool.close();
  }
}
