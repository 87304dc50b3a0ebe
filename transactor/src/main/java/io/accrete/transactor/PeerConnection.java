package io.accrete.transactor;

import io.accrete.AccreteException;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.TxReport;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.storage.DbRoot;
import io.accrete.storage.LogCodec;
import io.accrete.storage.SqlStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A peer: a connection that reads its database straight from storage (segments through a
 * two-tier cache) and follows the novelty its transactor pushes, so queries run here on
 * immutable values and never burden the transactor. Transactions, {@link #sync()},
 * {@link #requestIndex()} and garbage collection go to the transactor over a
 * {@link TransactorLink}; when the transactor is away, reads keep working on the last value
 * and the link reconnects by itself.
 *
 * <p>Everything that changes the value (novelty, new index roots, catching up from the log)
 * runs one at a time through the {@link Applier}, in the order the transactor sent it: each
 * transaction is applied exactly once, in t order, and a gap is filled from the log in storage.
 * A small push with no gap, arriving when nothing else is pending, is applied at once on the
 * link's event loop; everything else (storage reads above all) runs on the applier's thread.
 */
final class PeerConnection extends StoredConnection implements TransactorLink.Pushes {
  /** Reports of recently applied transactions, for the replies to this peer's own transactions. */
  private static final int RECENT_REPORTS = 1024;
  /** Pushes of up to this many datoms may be applied on the link's event loop (bigger ones would hold it up). */
  private static final long INLINE_DATOMS = 4096;

  private final SqlStorage storage;
  private final Runnable onRelease;
  private final Applier applier;
  private final TransactorLink link;
  private final Map<Long, TxReport> reports = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, TxReport> e) {
      return size() > RECENT_REPORTS;
    }
  };
  // Owned by whoever has the applier's turn.
  private long rootBasisT;

  private PeerConnection(String uri, String name, Loaded loaded, SqlStorage storage, SqlStorage coord,
      PeerOptions options, Runnable onRelease) {
    super(uri, loaded, storage);
    this.storage = storage;
    this.rootBasisT = loaded.root().indexBasisT();
    this.onRelease = onRelease;
    this.applier = new Applier("accrete-peer " + name);
    this.link = new TransactorLink(name, "database " + name, coord, options, this);
  }

  /** Opens a database as a peer: its root and log from storage, then the link to its transactor. */
  static PeerConnection open(String uri, String name, SqlStorage storage, SqlStorage coord, Settings settings,
      PeerOptions options, Runnable onRelease) {
    PeerConnection c = new PeerConnection(uri, name, load(SqlStorage.redact(uri), storage, settings), storage, coord,
        options, onRelease);
    c.link.start();
    return c;
  }

  // ---- pushes, on the link's event loop: applied in order through the applier ----

  @Override
  public void subscribed(long basisT) {
    applier.execute(() -> tryCatchUp(basisT));
  }

  @Override
  public void novelty(byte[] logBatch) {
    // Decided here, on the link's thread, before the replies that follow this push are read:
    // a transaction of this peer's in the batch is still in flight now.
    boolean mine = link.transactionsInFlight();
    boolean perTransaction = hasReportQueue() || mine;
    List<LogCodec.Entry> entries = LogCodec.decode(logBatch, "novelty", "the transactor's push");
    if (entries.isEmpty()) {
      return;
    }
    // Small and in order: applied here, before this link reads the replies that follow it.
    if (datoms(entries) <= INLINE_DATOMS && applier.runHereIfIdle(
        () -> entries.get(0).t() <= db.nextT() && applyInOrder(entries, mine, perTransaction))) {
      return;
    }
    applier.execute(() -> {
      if (entries.get(0).t() > db.nextT()
          && (!tryCatchUp(entries.get(0).t() - 1) || entries.get(0).t() > db.nextT())) {
        return; // a gap storage could not fill now: the next push or sync reads the log again
      }
      applyInOrder(entries, mine, perTransaction);
    });
  }

  /** Applies a push that follows on from the current value; always true (done). */
  private boolean applyInOrder(List<LogCodec.Entry> entries, boolean mine, boolean perTransaction) {
    if (perTransaction || !applyTogether(entries)) {
      apply(entries, mine);
    }
    return true;
  }

  private static long datoms(List<LogCodec.Entry> entries) {
    long n = 0;
    for (LogCodec.Entry e : entries) {
      n += e.datoms().size();
    }
    return n;
  }

  /**
   * Applies a batch nobody here needs transaction by transaction (no report queue, none of this
   * peer's transactions in it) in one index pass and one new value: a read-mostly peer pays
   * less per transaction. False (nothing done) when the batch changes schema or excises, which
   * must be applied transaction by transaction.
   */
  private boolean applyTogether(List<LogCodec.Entry> entries) {
    List<io.accrete.Datom> all = new java.util.ArrayList<>();
    LogCodec.Entry last = null;
    for (LogCodec.Entry e : entries) {
      if (e.t() <= db.basisT()) {
        continue;
      }
      for (io.accrete.Datom d : e.datoms()) {
        if (io.accrete.schema.Schema.definesSchema(d.a()) || d.a() == io.accrete.schema.Bootstrap.EXCISE) {
          return false;
        }
      }
      all.addAll(e.datoms());
      last = e;
    }
    if (last == null) {
      return true;
    }
    Db after = db.applyLogged(last.t(), last.nextT(), all);
    for (LogCodec.Entry e : entries) {
      if (e.t() > db.basisT()) {
        log.addRecent(List.of(e));
      }
    }
    publish(after);
    return true;
  }

  @Override
  public void indexed(byte[] rootBytes) {
    applier.execute(() -> adopt(DbRoot.decode(rootBytes, "the transactor's push")));
  }

  // ---- with the applier's turn ----

  /** Reads the log up to at least {@code t} (a newer index root first, if storage has one). */
  private void catchUp(long t) {
    byte[] rootBytes = storage.getRoot(DurableConnection.ROOT);
    DbRoot root = rootBytes == null ? null : DbRoot.decode(rootBytes, storage.describe());
    if (db.basisT() < t || (root != null && root.indexBasisT() > rootBasisT)) {
      apply(DurableLog.read(storage, db.basisT() + 1, Long.MAX_VALUE), link.transactionsInFlight());
    }
    if (root != null && root.indexBasisT() > rootBasisT) {
      adopt(root);
    }
  }

  /** {@link #catchUp} for pushes, which have nobody to tell: false (and said on stderr) when storage is away. */
  private boolean tryCatchUp(long t) {
    try {
      catchUp(t);
      return true;
    } catch (RuntimeException e) {
      // Reads go on from the current value; the next push or sync tries again.
      System.err.println("accrete: peer of " + SqlStorage.redact(uri) + " could not catch up from storage: "
          + e.getMessage());
      return false;
    }
  }

  /**
   * Applies transactions one by one, each with its report for the report queue; {@code keep}:
   * this peer's own transactions may be among them, so the reports are also kept for
   * {@link #transact} to pick up (only then: kept reports hold old values, and their novelty, alive).
   */
  private void apply(List<LogCodec.Entry> entries, boolean keep) {
    for (LogCodec.Entry e : entries) {
      Db before = db;
      if (e.t() <= before.basisT()) {
        continue; // already here (the log read and the push overlap)
      }
      Db after = before.applyLogged(e.t(), e.nextT(), e.datoms());
      log.addRecent(List.of(e));
      log.excise(excisions(before, e.datoms()));
      TxReport report = new TxReport(before, after, e.datoms(), Map.of());
      if (keep) {
        synchronized (reports) {
          reports.put(e.t(), report);
        }
      }
      publish(after);
      deliver(report);
    }
  }

  /** Switches to newer durable trees: the novelty they cover is dropped from memory. */
  private void adopt(DbRoot root) {
    if (root.indexBasisT() <= rootBasisT) {
      return;
    }
    if (root.indexBasisT() > db.basisT()) {
      apply(DurableLog.read(storage, db.basisT() + 1, Long.MAX_VALUE), link.transactionsInFlight());
    }
    Db opened = Db.open(root.indexes(trees), root.indexBasisT(), root.nextT(), root.lastTxInstant());
    Db rebuilt = replayAfter(opened.withId(root.dbId()), root.indexBasisT());
    rootBasisT = root.indexBasisT();
    log.excisedInStorageThrough(root.indexBasisT());
    publish(rebuilt);
  }

  // ---- the Connection API ----

  /** Transactions sent and not yet answered, at most {@link DurableConnection#MAX_QUEUED}. */
  private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(
      DurableConnection.MAX_QUEUED);

  @Override
  public CompletableFuture<TxReport> transact(List<?> txData) {
    if (isReleased()) {
      return CompletableFuture.failedFuture(Errors.db("connection-released", "The connection to "
          + SqlStorage.redact(uri) + " was released; call Peer.connect again"));
    }
    ByteBuf body = Unpooled.buffer();
    try {
      Wire.write(body, txData);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new AccreteException(Keyword.of("db.error", "invalid-value"), e.getMessage()));
    }
    byte[] bytes = new byte[body.readableBytes()];
    body.readBytes(bytes);
    try {
      inFlight.acquire(); // a flood of transactAsync waits here, not in the heap
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(Errors.db("interrupted", "Interrupted while waiting to send a"
          + " transaction to the transactor of " + SqlStorage.redact(uri) + "; nothing was sent"));
    }
    CompletableFuture<TransactorLink.Reply> sent;
    try {
      sent = link.call(Protocol.TRANSACT, bytes, true);
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    sent.whenComplete((reply, err) -> inFlight.release());
    return sent.thenCompose(reply -> sync(reply.value()).thenApply(now -> {
      TxReport r;
      synchronized (reports) {
        r = reports.remove(reply.value());
      }
      if (r == null) { // thousands of transactions came in between: take it from the log
        List<LogCodec.Entry> e = DurableLog.read(storage, reply.value(), reply.value() + 1);
        r = new TxReport(now.asOf(reply.value() - 1), now.asOf(reply.value()),
            e.isEmpty() ? List.of() : e.get(0).datoms(), Map.of());
      }
      return new TxReport(r.dbBefore(), r.dbAfter(), r.txData(), reply.tempids());
    }));
  }

  /**
   * A value with every transaction committed before the call: asks the transactor for its basis
   * (or, when none is connected, reads the log in storage, which holds every acknowledged one).
   */
  @Override
  public CompletableFuture<Database> sync() {
    checkOpen();
    if (link.connected()) {
      return link.call(Protocol.SYNC, new byte[0], false).handle((reply, error) -> {
        if (error == null) {
          return sync(reply.value());
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        // The transactor went away meanwhile: the log in storage still holds every acknowledged one.
        return cause instanceof AccreteException a && TransactorLink.UNAVAILABLE.equals(a.code())
            ? syncFromStorage() : CompletableFuture.<Database>failedFuture(cause);
      }).thenCompose(f -> f);
    }
    return syncFromStorage();
  }

  private CompletableFuture<Database> syncFromStorage() {
    return applier.supply(() -> {
      catchUp(Long.MAX_VALUE);
      return db;
    });
  }

  /**
   * Waits for {@code t} to arrive by push; when a push could not be applied (storage away while
   * filling a gap), reads the log itself and fails the wait if storage is still away.
   */
  @Override
  public CompletableFuture<Database> sync(long t) {
    CompletableFuture<Database> f = super.sync(t);
    if (!f.isDone()) {
      // The push of t comes before the reply that names it, so this task runs after that push.
      applier.execute(() -> {
        if (db.basisT() < t) {
          try {
            catchUp(t);
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        }
      });
    }
    return f;
  }

  /**
   * This peer's values lack excised datoms as soon as it applies the request; storage loses
   * them when the transactor indexes, which this asks for once {@code t} is here (off the
   * caller's thread: the call waits for the transactor).
   */
  @Override
  public CompletableFuture<io.accrete.Database> syncExcise(long t) {
    return sync(t).thenApplyAsync(d -> {
      requestIndex();
      return db();
    });
  }

  @Override
  public void requestIndex() {
    checkOpen();
    await(link.call(Protocol.INDEX, new byte[0], false), "index");
    // The new root was pushed before the reply: once the applier has taken it, it is in use here.
    try {
      applier.supply(() -> null).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public long gcStorage(java.time.Instant olderThan) {
    checkOpen();
    ByteBuf b = Unpooled.buffer(8).writeLong(olderThan.toEpochMilli());
    return await(link.call(Protocol.GC, b.array(), false), "collect garbage");
  }

  /** Deletes the database through its transactor, so it stops serving it first. */
  boolean deleteThroughTransactor() {
    return await(link.call(Protocol.DELETE, new byte[0], false), "delete") == 1;
  }

  /** Renames the database through its transactor, so it stops serving it first. */
  boolean renameThroughTransactor(String newName) {
    ByteBuf b = Unpooled.buffer();
    Wire.string(b, newName);
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    return await(link.call(Protocol.RENAME, bytes, false), "rename") == 1;
  }

  boolean transactorConnected() {
    return link.connected();
  }

  private long await(CompletableFuture<TransactorLink.Reply> f, String what) {
    try {
      return f.get(1, TimeUnit.HOURS).value();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.db("interrupted", "Interrupted while asking the transactor to " + what);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AccreteException a ? a
          : new AccreteException(Keyword.of("db.error", what.replace(' ', '-') + "-failed"), e.getCause().toString(), e.getCause());
    } catch (TimeoutException e) {
      throw Errors.db("timeout", "The transactor did not " + what + " within an hour");
    }
  }

  @Override
  public void release() {
    if (!markReleased()) {
      return;
    }
    link.close();
    applier.shutdown();
    onRelease.run();
  }
}
