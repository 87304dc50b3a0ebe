package io.accrete.conn;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.TxReport;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.tx.TxProcessor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What every connection does the same way, whatever holds its data: the current value,
 * {@code sync}, the report queue, EDN transactions and release. Subclasses apply transactions
 * and call {@link #publish} and {@link #deliver} as values and reports become durable.
 */
public abstract class BaseConnection implements Connection {
  protected final String uri;
  protected volatile Db db;
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile BlockingQueue<TxReport> reports;
  private volatile boolean released;

  private record Waiter(long t, CompletableFuture<Database> future) {}

  protected BaseConnection(String uri, Db initial) {
    this.uri = uri;
    this.db = initial;
  }

  /** The database URI. */
  public String uri() {
    return uri;
  }

  @Override
  public CompletableFuture<TxReport> transact(String txEdn) {
    try {
      return transact(TxProcessor.parse(txEdn));
    } catch (AccreteException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public Database db() {
    checkOpen();
    return db;
  }

  @Override
  public CompletableFuture<Database> sync() {
    return CompletableFuture.completedFuture(db());
  }

  @Override
  public CompletableFuture<Database> sync(long t) {
    Db now = (Db) db();
    if (now.basisT() >= t) {
      return CompletableFuture.completedFuture(now);
    }
    CompletableFuture<Database> f = new CompletableFuture<>();
    synchronized (waiters) {
      waiters.add(new Waiter(t, f));
    }
    completeWaiters(db);
    return f;
  }

  /** Makes {@code now} the current value and wakes the syncs it satisfies. */
  protected void publish(Db now) {
    db = now;
    completeWaiters(now);
  }

  private void completeWaiters(Db now) {
    synchronized (waiters) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (now.basisT() >= w.t) {
          w.future.complete(now);
          it.remove();
        }
      }
    }
  }

  /** Whether a report queue is attached (reports are wanted). */
  protected boolean hasReportQueue() {
    return reports != null;
  }

  /** Hands a committed transaction's report to the report queue, if one is attached. */
  protected void deliver(TxReport report) {
    BlockingQueue<TxReport> q = reports;
    if (q != null) {
      q.offer(report);
    }
  }

  @Override
  public synchronized BlockingQueue<TxReport> txReportQueue() {
    if (reports == null) {
      reports = new LinkedBlockingQueue<>();
    }
    return reports;
  }

  @Override
  public synchronized void removeTxReportQueue() {
    reports = null;
  }

  /** Marks the connection released; true the first time. */
  protected synchronized boolean markReleased() {
    if (released) {
      return false;
    }
    released = true;
    synchronized (waiters) {
      for (Waiter w : waiters) {
        w.future.completeExceptionally(Errors.db("connection-released", "The connection to " + uri
            + " was released while waiting for t " + w.t));
      }
      waiters.clear();
    }
    return true;
  }

  protected boolean isReleased() {
    return released;
  }

  protected void checkOpen() {
    if (released) {
      throw Errors.db("connection-released", "The connection to " + uri
          + " was released; call Peer.connect again");
    }
  }

  @Override
  public String toString() {
    return "#connection " + uri;
  }
}
