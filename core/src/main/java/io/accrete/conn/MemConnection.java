package io.accrete.conn;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Log;
import io.accrete.TxReport;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.index.Indexes;
import io.accrete.tx.Excision;
import io.accrete.tx.TxProcessor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection with its transactor in the same process: transactions run one at a time under
 * a lock on the caller's thread (no hand-off, so a single-entity transaction costs
 * microseconds), each producing the next database value. When the novelty passes a threshold
 * a background thread merges it into new durable trees, then the transactions committed
 * meanwhile are replayed on top and the result swapped in.
 */
public final class MemConnection extends BaseConnection {
  private final long indexThreshold;
  private final ReentrantLock txLock = new ReentrantLock();
  private final TxLog log;
  private final ExecutorService indexer;
  private Future<?> indexing;
  /** Excisions committed so far: one during an indexing job removes from the trees it merged. */
  private volatile long excisions;
  private final Runnable onRelease;

  MemConnection(String uri, Db initial, TxLog log, long indexThreshold, Runnable onRelease) {
    super(uri, initial);
    this.indexThreshold = indexThreshold;
    this.onRelease = onRelease;
    this.log = log;
    this.indexer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "accrete-indexer " + uri);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<TxReport> transact(List<?> txData) {
    try {
      return CompletableFuture.completedFuture(transactNow(txData));
    } catch (AccreteException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new AccreteException(
          io.accrete.Keyword.of("db.error", "transaction-failed"),
          "Transaction failed: " + e, e));
    }
  }

  private TxReport transactNow(List<?> txData) {
    checkOpen();
    TxReport report;
    txLock.lock();
    try {
      Db before = db;
      report = TxProcessor.process(before, txData, System.currentTimeMillis());
      Db after = (Db) report.dbAfter();
      if (Excision.requested(report.txData())) {
        log.excise(Excision.specs(before, report.txData()));
        excisions++;
      }
      log.append(after.basisT(), report.txData());
      publish(after);
      maybeIndex(after);
    } finally {
      txLock.unlock();
    }
    deliver(report);
    return report;
  }

  /** Starts a background indexing job when novelty is large and none is running. */
  private void maybeIndex(Db now) {
    if (now.indexes().noveltyDatoms() >= indexThreshold && (indexing == null || indexing.isDone())) {
      long excised = excisions;
      indexing = indexer.submit(() -> index(now, excised));
    }
  }

  /**
   * Merges the novelty of {@code snapshot} (taken after {@code excisedBefore} excisions) into
   * durable trees and swaps the result in. What transactions changed meanwhile is carried over
   * by comparing the novelties ({@link Indexes#rebase}) rather than by applying those
   * transactions again, which doubled the indexing work of an import; only those committed
   * during that comparison are replayed, the last few under the lock.
   */
  private void index(Db snapshot, long excisedBefore) {
    Indexes merged = snapshot.indexes().merged();
    Db now = db;
    // An excision since the snapshot must also leave the merged trees: replay it.
    Indexes rebased = excisions != excisedBefore ? null : now.indexes().rebase(snapshot.indexes(), merged);
    Db replayed = rebased != null
        ? now.next(rebased, now.schema(), now.basisT(), now.nextT(), now.lastTxInstant())
        : snapshot.next(merged, snapshot.schema(), snapshot.basisT(), snapshot.nextT(),
            snapshot.lastTxInstant());
    replayed = replayAfter(replayed, db.nextT());
    txLock.lock();
    try {
      Db cur = db;
      replayed = replayAfter(replayed, cur.nextT());
      publish(cur.next(replayed.indexes(), cur.schema(), cur.basisT(), cur.nextT(), cur.lastTxInstant()));
    } finally {
      txLock.unlock();
    }
  }

  /** {@code from} with the logged transactions after its basis applied. */
  private Db replayAfter(Db from, long nextT) {
    Db out = from;
    for (io.accrete.Log.Entry e : log.after(from.basisT())) {
      out = out.applyLogged(e.t(), nextT, e.data());
    }
    return out;
  }

  @Override
  public void requestIndex() {
    checkOpen();
    Future<?> f;
    txLock.lock();
    try {
      Db now = db;
      long excised = excisions;
      f = indexer.submit(() -> index(now, excised));
      indexing = f;
    } finally {
      txLock.unlock();
    }
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.db("interrupted", "Interrupted while indexing " + uri);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AccreteException(io.accrete.Keyword.of("db.error", "index-failed"),
          "Indexing " + uri + " failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public Log log() {
    return log.view(db);
  }

  /** The latest value, also after release (the provider keeps it for the next connection). */
  Db latest() {
    return db;
  }

  TxLog txLog() {
    return log;
  }

  @Override
  public void release() {
    txLock.lock();
    try {
      if (!markReleased()) {
        return;
      }
    } finally {
      txLock.unlock();
    }
    indexer.shutdownNow();
    onRelease.run();
  }
}
