package io.accrete.sql;

import java.sql.Timestamp;
import org.apache.calcite.linq4j.function.NonDeterministic;

/**
 * The SQL functions that name a moment other than by timestamp in
 * {@code FOR SYSTEM_TIME AS OF}: {@code T(n)} (for a parameter, {@code T(CAST(? AS BIGINT))}) is the database as of a {@code t} or transaction
 * id, {@code SINCE(x)} only the datoms after a {@code t}, transaction id or timestamp. They mark
 * the clause for the adapter's snapshot rule and have no value of their own. Public only because
 * Calcite calls them by reflection. Marked non-deterministic so the planner never evaluates one
 * early: used elsewhere, they fail when the statement runs, as a SQL error.
 */
@NonDeterministic
public final class TimeFunctions {
  private TimeFunctions() {}

  /** {@code FOR SYSTEM_TIME AS OF T(n)}: as of a t or transaction id. */
  public static Timestamp t(long t) {
    throw outside("T(" + t + ")");
  }

  /** {@code FOR SYSTEM_TIME AS OF SINCE(n)}: datoms after a t or transaction id. */
  public static Timestamp since(long t) {
    throw outside("SINCE(" + t + ")");
  }

  /** {@code FOR SYSTEM_TIME AS OF SINCE(TIMESTAMP '…')}: datoms after an instant. */
  public static Timestamp since(Timestamp ts) {
    throw outside("SINCE(" + ts + ")");
  }

  private static AccreteSqlException outside(String call) {
    return new AccreteSqlException(call + " names a moment only inside FOR SYSTEM_TIME AS OF,"
        + " as in: SELECT * FROM person FOR SYSTEM_TIME AS OF " + call);
  }
}
