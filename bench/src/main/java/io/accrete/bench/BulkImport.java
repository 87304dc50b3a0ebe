package io.accrete.bench;

import io.accrete.Connection;
import io.accrete.TxReport;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Imports persons into an Accrete database the way Datomic's import guidance says: big
 * transactions, several in flight, so the transactor always has the next one queued while the
 * previous one is being made durable. The client thread builds each transaction from
 * {@link PersonRows} inside the timed loop (overlapping the transactor thread, as a real import
 * would).
 */
final class BulkImport {
  private BulkImport() {}

  /**
   * What one import took.
   *
   * @param persons persons imported
   * @param datoms their datoms ({@link PersonRows#DATOMS_PER_PERSON} each; each transaction's
   *     own {@code :db/txInstant} datom is not counted)
   * @param transactions transactions submitted
   * @param ackSeconds from the first submit to the last acknowledgement
   * @param indexSeconds the {@code requestIndex()} after it (0 when not asked)
   */
  record Result(long persons, long datoms, int transactions, double ackSeconds, double indexSeconds) {
    double ackRate() {
      return datoms / ackSeconds;
    }

    double totalRate() {
      return datoms / (ackSeconds + indexSeconds);
    }
  }

  /**
   * Transacts persons {@code first .. first + persons - 1} in transactions of {@code perTx}
   * persons with at most {@code window} unacknowledged, then, with {@code index}, asks for the
   * novelty to be indexed and waits for that.
   */
  static Result run(Connection conn, long first, long persons, int perTx, int window, boolean index) {
    ArrayDeque<CompletableFuture<TxReport>> inFlight = new ArrayDeque<>();
    int txs = 0;
    long start = System.nanoTime();
    for (long from = first; from < first + persons; from += perTx) {
      long to = Math.min(from + perTx, first + persons);
      inFlight.add(conn.transact(PersonRows.batch(from, to)));
      txs++;
      if (inFlight.size() >= window) {
        inFlight.poll().join();
      }
    }
    while (!inFlight.isEmpty()) {
      inFlight.poll().join();
    }
    long acked = System.nanoTime();
    double indexSeconds = 0;
    if (index) {
      conn.requestIndex();
      indexSeconds = (System.nanoTime() - acked) / 1e9;
    }
    return new Result(persons, persons * PersonRows.DATOMS_PER_PERSON, txs, (acked - start) / 1e9, indexSeconds);
  }
}
