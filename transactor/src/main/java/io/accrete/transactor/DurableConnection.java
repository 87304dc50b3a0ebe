package io.accrete.transactor;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.TxReport;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.index.IndexOrder;
import io.accrete.index.Indexes;
import io.accrete.index.SortedIndex;
import io.accrete.storage.DbRoot;
import io.accrete.storage.LogCodec;
import io.accrete.storage.Storage;
import io.accrete.storage.StorageException;
import io.accrete.storage.TreeStore;
import io.accrete.schema.Ids;
import io.accrete.tx.Excision;
import io.accrete.tx.TxProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection whose transactor runs in this process over durable storage.
 *
 * <p>One transactor thread takes transactions from a queue in batches: it applies each to the
 * value the previous one produced, writes the whole batch to the log as one blob (one sync, or
 * one PostgreSQL commit: group commit), and only then publishes the new value and completes
 * the futures. When nothing is queued and no commit is running, {@link #transact} commits in
 * the caller's thread instead, sparing a lone writer two thread hand-offs per transaction. Nothing is visible or acknowledged before it is durable. When the novelty passes
 * a threshold, a background job merges it into new index trees, writes the segments that
 * changed, then the root (compare-and-set), and the transactor thread swaps the new trees in,
 * carrying over what transactions changed meanwhile ({@link io.accrete.index.Indexes#rebase}).
 * Past a second threshold writers wait for the
 * job. Opening a database reads the root and replays the log written after it.
 */
public final class DurableConnection extends StoredConnection {
  private final Storage storage;
  private final Settings settings;
  private final Runnable onRelease;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  /**
   * The most transactions waiting in {@link #queue}: beyond it a writer waits for room (back
   * pressure on a flood of {@code transactAsync}), or, on an event loop, is refused with
   * {@code :db.error/busy}; without it the queue would hold the flood until the heap ran out.
   */
  static final int MAX_QUEUED = Integer.getInteger("accrete.maxQueuedTransactions", 10_000);
  private final java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(MAX_QUEUED);
  /** Outcomes of indexing jobs, for the transactor thread; each also wakes it through the queue. */
  private final java.util.Queue<Object> indexEvents = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Thread transactor;
  private final ExecutorService indexer;
  private final GarbageCollector gc;
  // Owned by the indexer thread: when (System.nanoTime) the last automatic sweep ran.
  private long lastGc = System.nanoTime();
  /** Held while committing, by the transactor thread or a caller; guards the fields below. */
  private final java.util.concurrent.locks.ReentrantLock committing = new java.util.concurrent.locks.ReentrantLock();
  private DbRoot root;
  private byte[] rootBytes;
  private Future<?> indexing;
  /** True from starting a job until the transactor thread has taken in its outcome. */
  private boolean indexPending;
  private Uncertain uncertain;
  /**
   * Excision requests committed whose datoms storage still holds (in log batches and in the
   * segments of the current root): the next indexing job takes them out.
   */
  private final List<Excision.Spec> excisions = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Listener listener = Listener.NONE;
  /** The wall clock transactions are stamped with ({@code :db/txInstant}); a seam for clock-skew tests. */
  private volatile java.time.InstantSource clock = java.time.InstantSource.system();
  /** The static methods transactions may run; everything for a database its process embeds. */
  private volatile io.accrete.tx.FunctionPolicy functions = io.accrete.tx.FunctionPolicy.ALL;

  /**
   * Told what the transactor thread makes durable, in commit order, before the transactions'
   * futures complete: how the network transactor pushes novelty to peers.
   */
  interface Listener {
    Listener NONE = new Listener() {};

    /** A batch is durable (as {@code blob} in the log) and published. */
    default void committed(List<LogCodec.Entry> entries, byte[] blob) {}

    /** New index trees are in use; {@code rootBytes} is the root now in storage. */
    default void indexed(byte[] rootBytes) {}

    /** A write was refused because this transactor no longer holds the storage's lease. */
    default void deposed(StorageException e) {}

    /**
     * Before {@link #sync()} answers with this connection's value: throws when another
     * transactor may have acknowledged transactions this one has not seen.
     */
    default void beforeSync() {}
  }

  /** This connection's value, unless its listener says it may be behind another transactor's. */
  @Override
  public CompletableFuture<io.accrete.Database> sync() {
    try {
      listener.beforeSync();
    } catch (AccreteException e) {
      return CompletableFuture.failedFuture(e);
    }
    return super.sync();
  }

  private record Request(List<?> tx, CompletableFuture<TxReport> future) {}

  private record Indexed(DbRoot root, byte[] rootBytes, Indexes indexes, Db snapshot,
      CompletableFuture<Void> done, List<Excision.Spec> excised) {}

  private record IndexFailed(Throwable error, CompletableFuture<Void> done) {}

  /** {@link #requestIndex}: index what is committed now and say when it is swapped in. */
  private record IndexRequest(CompletableFuture<Void> done) {}

  /** Wakes the transactor thread to take in an indexing outcome. */
  private static final Object WAKE = new Object();

  /** A log write that failed: it may still have reached storage. */
  private record Uncertain(String key, byte[] blob, Db after, List<LogCodec.Entry> entries, List<TxReport> reports) {}

  /**
   * Storage failures that prove nothing was written (the disk was full, the fence refused the
   * write): their batch is forgotten. After any other failure the batch may still land later
   * (a server that applied it after the connection gave up), so it is written again, not
   * forgotten, before anything else may take its t.
   */
  private static boolean nothingWritten(RuntimeException e) {
    return e instanceof StorageException se && (FENCED.equals(se.code())
        || Keyword.of("storage", "disk-full").equals(se.code()));
  }

  private DurableConnection(String uri, Loaded loaded, Storage storage, Settings settings, Runnable onRelease) {
    super(uri, loaded, storage);
    this.storage = storage;
    this.settings = settings;
    this.root = loaded.root();
    this.rootBytes = loaded.rootBytes();
    this.excisions.addAll(loaded.excisions());
    this.onRelease = onRelease;
    this.gc = new GarbageCollector(storage, trees);
    this.indexer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "accrete-indexer " + uri);
      t.setDaemon(true);
      return t;
    });
    this.transactor = new Thread(this::run, "accrete-transactor " + uri);
    this.transactor.setDaemon(true);
    this.transactor.start();
  }

  /**
   * Creates a database in empty storage: the bootstrap transaction, indexed and written with
   * its root. False when the storage already holds a database.
   */
  static boolean create(Storage storage, Settings settings) {
    if (storage.getRoot(ROOT) != null) {
      return false;
    }
    Db boot = Db.bootstrap();
    TreeStore trees = new TreeStore(storage, settings.cacheBytes(), settings.cacheDatoms());
    Map<String, byte[]> pending = new LinkedHashMap<>();
    Indexes light = persist(trees, boot.indexes().merged(), pending);
    write(trees, pending);
    DbRoot r = DbRoot.of(UUID.randomUUID().toString(), boot.basisT(), boot.nextT(), boot.lastTxInstant(), light);
    return storage.casRoot(ROOT, null, r.encode());
  }

  /** Opens the database in {@code storage}: its root, then the log written after it. */
  static DurableConnection open(String uri, Storage storage, Settings settings, Runnable onRelease) {
    return open(uri, storage, settings, onRelease, Listener.NONE);
  }

  /** Like {@link #open(String, Storage, Settings, Runnable)}, telling {@code listener} of commits. */
  static DurableConnection open(String uri, Storage storage, Settings settings, Runnable onRelease,
      Listener listener) {
    return open(uri, storage, settings, onRelease, listener, io.accrete.tx.FunctionPolicy.ALL);
  }

  /** Like {@link #open(String, Storage, Settings, Runnable, Listener)}, running only the static methods {@code functions} allows. */
  static DurableConnection open(String uri, Storage storage, Settings settings, Runnable onRelease,
      Listener listener, io.accrete.tx.FunctionPolicy functions) {
    return open(uri, storage, settings, onRelease, listener, functions, java.time.InstantSource.system());
  }

  /** Like {@link #open(String, Storage, Settings, Runnable, Listener, io.accrete.tx.FunctionPolicy)}, stamping transactions by {@code clock}. */
  static DurableConnection open(String uri, Storage storage, Settings settings, Runnable onRelease,
      Listener listener, io.accrete.tx.FunctionPolicy functions, java.time.InstantSource clock) {
    DurableConnection c = new DurableConnection(uri, load(uri, storage, settings), storage, settings, onRelease);
    c.listener = listener; // before any transaction: the caller has not had the connection yet
    c.functions = functions;
    c.clock = clock;
    return c;
  }

  /**
   * Writes the segments {@link #persist} made; when that fails (storage away), their nodes
   * forget the keys, so the next indexing job writes them again instead of naming segments that
   * never reached storage.
   */
  private static void write(TreeStore trees, Map<String, byte[]> pending) {
    try {
      trees.storage().putAll(pending);
    } catch (RuntimeException | Error e) {
      trees.notWritten(pending.keySet());
      throw e;
    }
    trees.written(pending.keySet());
  }

  private static Indexes persist(TreeStore trees, Indexes merged, Map<String, byte[]> pending) {
    SortedIndex[] s = new SortedIndex[4];
    for (IndexOrder o : IndexOrder.values()) {
      SortedIndex x = merged.get(o);
      s[o.ordinal()] = SortedIndex.of(o, trees.persist(x.baseCurrent(), pending),
          trees.persist(x.baseHistory(), pending));
    }
    return Indexes.of(s[0], s[1], s[2], s[3]);
  }

  @Override
  public CompletableFuture<TxReport> transact(List<?> txData) {
    CompletableFuture<TxReport> f = new CompletableFuture<>();
    if (isReleased()) {
      f.completeExceptionally(released());
      return f;
    }
    Request r = new Request(txData, f);
    if (queue.isEmpty() && committing.tryLock()) {
      try {
        if (isReleased()) {
          f.completeExceptionally(released());
        } else {
          takeIndexEvents();
          commit(new ArrayList<>(List.of(r)));
        }
        return f;
      } finally {
        committing.unlock();
      }
    }
    try {
      room.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.completeExceptionally(Errors.db("interrupted", "Interrupted while waiting for room in the queue of "
          + uri + "; nothing was written"));
      return f;
    }
    if (isReleased()) { // released while this writer waited: nobody will take the queue again
      room.release();
      f.completeExceptionally(released());
      return f;
    }
    queue.add(r);
    return f;
  }

  private AccreteException released() {
    return Errors.db("connection-released", "The connection to " + uri + " was released; call Peer.connect again");
  }

  /**
   * Like {@link #transact}, but always committed by the transactor thread, which completes the
   * future: for callers on an event loop, which must not wait for a sync.
   */
  CompletableFuture<TxReport> transactQueued(List<?> txData) {
    CompletableFuture<TxReport> f = new CompletableFuture<>();
    if (isReleased()) {
      f.completeExceptionally(released());
      return f;
    }
    if (!room.tryAcquire()) {
      f.completeExceptionally(Errors.db("busy", "The transactor's queue for " + uri + " holds " + MAX_QUEUED
          + " transactions; this one was refused and nothing was written: retry later"));
      return f;
    }
    queue.add(new Request(txData, f));
    return f;
  }

  private void run() {
    while (!isReleased()) {
      Object first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      committing.lock();
      try {
        takeIndexEvents();
        if (first != null) {
          commitQueued(first);
        }
      } finally {
        committing.unlock();
      }
    }
    room.release(MAX_QUEUED); // writers waiting for room wake, see the release and fail
    // Released: whatever is still queued fails, clearly.
    for (Object o : queue) {
      if (o instanceof Request r) {
        room.release();
        r.future.completeExceptionally(Errors.db("connection-released", "The connection to " + uri
            + " was released before this transaction ran; nothing was written"));
      }
    }
  }

  /** Commits {@code first} and what else is queued, in batches between index requests. */
  private void commitQueued(Object first) {
    List<Object> batch = new ArrayList<>();
    batch.add(first);
    queue.drainTo(batch, settings.batch() - 1);
    List<Request> requests = new ArrayList<>(batch.size());
    for (Object o : batch) {
      if (o instanceof Request r) {
        room.release();
        requests.add(r);
      } else if (o instanceof IndexRequest ir) {
        if (!requests.isEmpty()) {
          commit(requests);
          requests = new ArrayList<>();
        }
        awaitIndexing();
        startIndexing(db, ir.done);
      }
    }
    if (!requests.isEmpty()) {
      commit(requests);
    }
  }

  /** Applies a batch, makes it durable with one log write, then publishes and acknowledges. */
  private void commit(List<Request> requests) {
    if (!resolveUncertain(requests)) {
      return;
    }
    Db cur = db;
    List<LogCodec.Entry> entries = new ArrayList<>();
    List<Request> ok = new ArrayList<>();
    List<TxReport> reports = new ArrayList<>();
    for (Request r : requests) {
      try {
        TxReport report = TxProcessor.process(cur, r.tx, clock.millis(), functions);
        cur = (Db) report.dbAfter();
        entries.add(new LogCodec.Entry(cur.basisT(), cur.nextT(), report.txData()));
        ok.add(r);
        reports.add(report);
      } catch (AccreteException e) {
        r.future.completeExceptionally(e);
      } catch (RuntimeException e) {
        r.future.completeExceptionally(new AccreteException(Keyword.of("db.error", "transaction-failed"),
            "Transaction failed: " + e, e));
      }
    }
    if (ok.isEmpty()) {
      return;
    }
    String key = LogCodec.key(cur.basisT());
    byte[] blob = LogCodec.encode(entries);
    try {
      storage.put(key, blob);
    } catch (RuntimeException e) {
      if (isFenced(e)) {
        // Definitely not written: the fence is checked in the same storage transaction.
        for (Request r : ok) {
          r.future.completeExceptionally(deposed((StorageException) e));
        }
        listener.deposed((StorageException) e);
        return;
      }
      if (nothingWritten(e)) {
        for (Request r : ok) {
          r.future.completeExceptionally(new StorageException("write-failed", "The transaction could not be"
              + " made durable in " + storage.describe() + " (" + e.getMessage() + "); it was not applied"
              + " — check storage and retry", e));
        }
        return;
      }
      uncertain = new Uncertain(key, blob, cur, entries, reports);
      for (Request r : ok) {
        r.future.completeExceptionally(new StorageException("write-failed", "The transaction could not be"
            + " confirmed durable in " + storage.describe() + " (" + e.getMessage() + "); it may or may not"
            + " have been applied: the transactor writes it again before the next transaction, so read"
            + " before retrying", e));
      }
      return;
    }
    log.addRecent(entries);
    noteExcisions(reports);
    publish(cur);
    listener.committed(entries, blob);
    for (int i = 0; i < ok.size(); i++) {
      ok.get(i).future.complete(reports.get(i));
      deliver(reports.get(i));
    }
    maybeIndex(cur);
  }

  /**
   * Excision requests among committed transactions: their datoms leave the log kept in memory
   * now (the values already lack them), and storage at the next indexing job.
   */
  private void noteExcisions(List<TxReport> reports) {
    for (TxReport r : reports) {
      List<Excision.Spec> specs = excisions((Db) r.dbBefore(), r.txData());
      if (!specs.isEmpty()) {
        excisions.addAll(specs);
        log.excise(specs);
      }
    }
  }

  /**
   * Waits for {@code t}, then, while an excision up to it is not yet carried out in storage, for
   * an indexing job: it writes trees without the excised datoms and rewrites the log batches
   * that held them before it writes its root.
   */
  @Override
  public CompletableFuture<io.accrete.Database> syncExcise(long t) {
    return sync(t).thenCompose(d -> {
      long tx = Ids.toTx(t);
      if (excisions.stream().noneMatch(s -> s.requestTx() <= tx)) {
        return CompletableFuture.completedFuture(db());
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      queue.add(new IndexRequest(done));
      return done.thenApply(v -> db());
    });
  }

  /** The code of a write refused by the storage's fence. */
  static final Keyword FENCED = Keyword.of("storage", "fenced");
  /** The code of a transaction refused because its transactor lost the lease: not applied. */
  public static final Keyword DEPOSED = Keyword.of("db.error", "transactor-deposed");

  static boolean isFenced(Throwable e) {
    return e instanceof AccreteException a && FENCED.equals(a.code());
  }

  private AccreteException deposed(StorageException e) {
    return new AccreteException(DEPOSED, "The transactor of " + uri + " lost its lease to another"
        + " transactor before this transaction was written; nothing was written, so it is safe to retry", e);
  }

  /**
   * After a log write whose outcome is unknown, writes the same batch again (the same key and
   * bytes: a no-op if the first attempt landed, even late) and then adopts it, so its t is never
   * given to another batch. False (and the new batch fails, unapplied) while storage is still
   * unreachable.
   */
  private boolean resolveUncertain(List<Request> requests) {
    if (uncertain == null) {
      return true;
    }
    try {
      storage.put(uncertain.key, uncertain.blob);
    } catch (RuntimeException e) {
      if (isFenced(e)) {
        listener.deposed((StorageException) e);
      }
      for (Request r : requests) {
        r.future.completeExceptionally(isFenced(e) ? deposed((StorageException) e)
            : new StorageException("unreachable", "Storage " + storage.describe() + " is still failing ("
                + e.getMessage() + "); the transaction was not applied", e));
      }
      return false;
    }
    Uncertain u = uncertain;
    uncertain = null;
    log.addRecent(u.entries);
    noteExcisions(u.reports);
    publish(u.after);
    listener.committed(u.entries, u.blob);
    for (TxReport report : u.reports) {
      deliver(report);
    }
    return true;
  }

  private void maybeIndex(Db now) {
    long novelty = now.indexes().noveltyDatoms();
    if (novelty >= settings.indexThreshold() && !indexPending) {
      startIndexing(now, null);
    }
    if (novelty >= settings.backpressure()) {
      // Back pressure: writers wait here (the queue fills) until the durable trees catch up.
      awaitIndexing();
    }
  }

  /** Waits for a running indexing job and handles its outcome. */
  private void awaitIndexing() {
    if (indexing == null) {
      return;
    }
    try {
      indexing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
      // A failure arrives as IndexFailed.
    }
    takeIndexEvents();
  }

  private void takeIndexEvents() {
    Object o;
    while ((o = indexEvents.poll()) != null) {
      handleIndexEvent(o);
    }
  }

  private void indexEvent(Object o) {
    indexEvents.add(o);
    queue.add(WAKE);
  }

  private void startIndexing(Db snapshot, CompletableFuture<Void> done) {
    DbRoot prev = root;
    byte[] prevBytes = rootBytes;
    indexPending = true;
    long snapshotTx = Ids.toTx(snapshot.basisT());
    List<Excision.Spec> excising = excisions.stream().filter(s -> s.requestTx() <= snapshotTx).toList();
    indexing = indexer.submit(() -> {
      try {
        Map<String, byte[]> pending = new LinkedHashMap<>();
        Indexes merged = snapshot.indexes().merged();
        Indexes light = persist(trees, merged, pending)
            .withFulltext(fulltext(snapshot, merged, pending, !excising.isEmpty()));
        write(trees, pending); // every segment is durable before the root names it
        if (!excising.isEmpty()) {
          // Before the root: a crash in between leaves the requests after the old root's t,
          // so the next open applies them again and the next job rewrites the log again.
          DurableLog.exciseStored(storage, excising);
        }
        DbRoot next = DbRoot.of(prev.dbId(), snapshot.basisT(), snapshot.nextT(), snapshot.lastTxInstant(), light);
        byte[] bytes = next.encode();
        if (!storage.casRoot(ROOT, prevBytes, bytes)) {
          throw new StorageException("root-conflict", "The root of " + uri + " in " + storage.describe()
              + " was changed by another process; only one transactor may write a database");
        }
        indexEvent(new Indexed(next, bytes, light, snapshot, done, excising));
        collectGarbage(prev, next);
      } catch (StorageException e) {
        if (isFenced(e)) {
          listener.deposed(e);
        }
        indexEvent(new IndexFailed(e, done));
      } catch (java.util.concurrent.CancellationException e) {
        if (done != null) {
          done.completeExceptionally(e);
        }
        throw e;
      } catch (RuntimeException e) {
        indexEvent(new IndexFailed(e, done));
      }
    });
  }

  /**
   * The stored full-text indexes of {@code merged} (the snapshot's novelty merged into its
   * trees), added to {@code pending}: an attribute's index is built again from the merged trees
   * when the novelty changed its values (or an excision runs), else the last one is kept.
   */
  private Map<Long, io.accrete.index.FulltextSegment> fulltext(Db snapshot, Indexes merged,
      Map<String, byte[]> pending, boolean rebuildAll) {
    Map<Long, io.accrete.index.FulltextSegment> out = new java.util.HashMap<>();
    SortedIndex novelty = snapshot.indexes().get(IndexOrder.AEVT);
    for (io.accrete.Attribute a : snapshot.schema().attributes()) {
      if (!a.isFulltext()) {
        continue;
      }
      io.accrete.Datom lo = io.accrete.db.Keys.lo(Long.MIN_VALUE, a.id(), io.accrete.index.Values.MIN);
      io.accrete.Datom hi = io.accrete.db.Keys.hi(Long.MAX_VALUE, a.id(), io.accrete.index.Values.MAX);
      io.accrete.index.FulltextSegment last = snapshot.indexes().fulltext().get(a.id());
      if (last != null && !rebuildAll && !novelty.noveltyCurrent(lo, hi).next()) {
        out.put(a.id(), last);
        continue;
      }
      List<io.accrete.Datom> values = new ArrayList<>();
      io.accrete.index.DatomCursor c = merged.get(IndexOrder.AEVT).current(lo, hi);
      while (c.next()) {
        if (c.added() && c.v() instanceof String) {
          values.add(c.datom());
        }
      }
      out.put(a.id(), trees.persistFulltext(a.id(), io.accrete.db.Fulltext.write(values), pending));
    }
    return out;
  }

  /**
   * On the indexer thread, after a new root: records what it retired, and sweeps when the
   * retention window allows. The root is already written, so a failure here loses nothing: the
   * segments it did not record are swept as never-referenced ones later.
   */
  private void collectGarbage(DbRoot prev, DbRoot next) {
    try {
      gc.retire(prev, next, clock.millis());
      long retention = settings.gcRetentionMillis();
      long now = System.nanoTime();
      if (retention != Settings.NEVER && now - lastGc >= Math.max(retention / 4, 1000) * 1_000_000L) {
        lastGc = now;
        gc.collectSeen(retention);
      }
    } catch (RuntimeException e) {
      if (isReleased()) {
        return; // interrupted by release; the next sweep catches up
      }
      System.err.println("accrete: garbage collection of " + uri + " failed (it will be retried): " + e.getMessage());
    }
  }

  /** Deletes the segments retired before {@code olderThan}; runs between indexing jobs. */
  @Override
  public long gcStorage(java.time.Instant olderThan) {
    checkOpen();
    try {
      return indexer.submit(() -> gc.collect(olderThan.toEpochMilli())).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.db("interrupted", "Interrupted while collecting garbage of " + uri);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r
          : new AccreteException(Keyword.of("db.error", "gc-failed"), "Garbage collection of " + uri
              + " failed: " + e.getCause(), e.getCause());
    }
  }

  private void handleIndexEvent(Object o) {
    indexPending = false;
    if (o instanceof Indexed ix) {
      Db snap = ix.snapshot;
      // The novelty since the snapshot is carried onto the new trees by comparing the two
      // novelties (Indexes.rebase) instead of applying those transactions again on this thread,
      // which held up every writer; refused after an excision since, which is replayed.
      Db now = db;
      long snapTx = Ids.toTx(snap.basisT());
      boolean excisedSince = excisions.stream().anyMatch(e -> e.requestTx() > snapTx);
      io.accrete.index.Indexes rebased = excisedSince ? null : now.indexes().rebase(snap.indexes(), ix.indexes);
      Db rebuilt;
      if (rebased != null) {
        rebuilt = now.next(rebased, now.schema(), now.basisT(), now.nextT(), now.lastTxInstant());
        log.dropRecentUpTo(snap.basisT());
      } else {
        rebuilt = replayAfter(snap.next(ix.indexes, snap.schema(), snap.basisT(), snap.nextT(),
            snap.lastTxInstant()), snap.basisT());
      }
      root = ix.root;
      rootBytes = ix.rootBytes;
      excisions.removeAll(ix.excised);
      log.excisedInStorageThrough(snap.basisT());
      publish(rebuilt);
      listener.indexed(ix.rootBytes);
      if (ix.done != null) {
        ix.done.complete(null);
      }
    } else if (o instanceof IndexFailed f) {
      // The durable trees did not advance; the next threshold crossing tries again. Novelty
      // keeps everything readable meanwhile.
      if (f.done != null) {
        f.done.completeExceptionally(f.error);
      } else {
        System.err.println("accrete: indexing " + uri + " failed (it will be retried): " + f.error.getMessage());
      }
    }
  }

  /** Writes the novelty to the durable trees now and waits until they are in use. */
  @Override
  public void requestIndex() {
    checkOpen();
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new IndexRequest(done));
    try {
      done.get(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.db("interrupted", "Interrupted while indexing " + uri);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AccreteException(Keyword.of("db.error", "index-failed"),
          "Indexing " + uri + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw Errors.db("index-timeout", "Indexing " + uri + " took longer than 10 minutes");
    }
  }

  @Override
  public void release() {
    if (!markReleased()) {
      return;
    }
    transactor.interrupt();
    try {
      transactor.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    committing.lock(); // a commit in a caller's thread finishes before the indexer stops
    committing.unlock();
    indexer.shutdownNow();
    try {
      indexer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    onRelease.run();
  }
}
