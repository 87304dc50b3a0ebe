package io.accrete;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a database: transact through it, take database values from it. Thread-safe;
 * {@link Peer#connect} returns one shared connection per database.
 */
public interface Connection {
  /** The report map's key of the database before a transaction ({@code :db-before}), as Datomic's. */
  Keyword DB_BEFORE = Keyword.intern(":db-before");
  /** The report map's key of the database after it ({@code :db-after}). */
  Keyword DB_AFTER = Keyword.intern(":db-after");
  /** The report map's key of its datoms ({@code :tx-data}). */
  Keyword TX_DATA = Keyword.intern(":tx-data");
  /** The report map's key of its resolved tempids ({@code :tempids}). */
  Keyword TEMPIDS = Keyword.intern(":tempids");

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
   * Datomic's asynchronous transact; {@link #transact(List)} already returns without waiting,
   * so this is the same call.
   */
  default CompletableFuture<TxReport> transactAsync(List<?> txData) {
    return transact(txData);
  }

  /**
   * A future of a database value whose durable indexes include {@code t}: asks for indexing
   * and waits for it (Datomic's {@code syncIndex}).
   */
  default CompletableFuture<Database> syncIndex(long t) {
    // Indexing waits for storage (and, on a peer, for the transactor's answer): never on the
    // thread that completed the sync, which may be the one that must read that answer.
    return sync(t).thenApplyAsync(db -> {
      requestIndex();
      return db();
    });
  }

  /**
   * A future of a database value whose schema includes every schema change up to {@code t}.
   * Schema travels with the log here, so this is {@link #sync(long)}.
   */
  default CompletableFuture<Database> syncSchema(long t) {
    return sync(t);
  }

  /**
   * A future of a database value in which every excision up to {@code t} is done: the value of
   * an excision's transaction already lacks the excised datoms, and in memory so does the log;
   * durable storage takes them out of its index segments and log at the next indexing job, which
   * this future waits for. Segments that held them go at the next storage garbage collection
   * ({@link #gcStorage}).
   */
  default CompletableFuture<Database> syncExcise(long t) {
    return sync(t);
  }

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
