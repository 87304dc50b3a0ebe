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

  /** Releases the connection's resources; the next {@link Peer#connect} makes a new one. */
  void release();
}
