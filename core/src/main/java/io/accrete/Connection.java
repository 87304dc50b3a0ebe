package io.accrete;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a database: transact through it, take database values from it. Thread-safe;
 * {@link Peer#connect} returns one shared connection per database.
 */
public interface Connection {
  /**
   * Submits a transaction (a list of list forms and map forms) and returns its future report.
   * A failed transaction completes the future exceptionally with an {@link AccreteException}
   * and changes nothing.
   */
  CompletableFuture<TxReport> transact(List<?> txData);

  /** Like {@link #transact(List)}, with the transaction as EDN text (one vector of forms). */
  CompletableFuture<TxReport> transact(String txEdn);

  /** The current database value. */
  Database db();

  /** A future of a database value that includes every transaction committed before the call. */
  CompletableFuture<Database> sync();

  /** A future of a database value with basis at least {@code t}. */
  CompletableFuture<Database> sync(long t);

  /**
   * A queue that receives the report of every transaction committed from now on. Each call
   * returns the connection's queue; {@link #removeTxReportQueue} detaches it.
   */
  BlockingQueue<TxReport> txReportQueue();

  /** Stops delivering reports to the queue. */
  void removeTxReportQueue();

  /** The transaction log. */
  Log log();

  /** Asks for the novelty to be merged into the durable indexes now; returns when done. */
  void requestIndex();

  /**
   * Deletes the storage garbage that indexing retired before {@code olderThan}: index segments
   * no current root refers to. Database values made before then may no longer read their older
   * segments, so pass a moment older than any database value still in use. Durable databases
   * also collect by themselves after their {@code gcRetention} window; in-memory databases have
   * no storage garbage. Returns the number of segments deleted.
   */
  default long gcStorage(java.time.Instant olderThan) {
    return 0;
  }

  /** Releases the connection's resources; the next {@link Peer#connect} makes a new one. */
  void release();
}
