package io.accrete.jdbc;

import java.sql.SQLException;

/**
 * Failures as JDBC callers see them, embedded and through {@code accrete serve}: an SQLException
 * with PostgreSQL's SQLSTATE and one message that says what went wrong (Accrete's own words
 * where it has them), not a chain of wrappers.
 */
public final class SqlFailures {
  private SqlFailures() {}

  /**
   * An SQLException whose message also says its root cause's (Calcite's "Error while preparing
   * statement" says only which statement).
   */
  static SQLException explained(SQLException e) {
    if (e instanceof org.apache.calcite.avatica.AvaticaSqlException a && a.getErrorMessage() != null) {
      // The server's one line, without Avatica's "Error -1 (23505) :" in front.
      String message = a.getErrorMessage();
      return new SQLException(message.startsWith("Remote driver error: ")
          ? message.substring("Remote driver error: ".length()) : message, a.getSQLState(), e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String state = sqlState(e);
    String why = root.getMessage();
    if (state != null && state != e.getSQLState()) {
      // Accrete's own error: its message says what and where; PostgreSQL's SQLSTATE says what kind.
      return new SQLException(accreteMessage(e), state, e);
    }
    if (root == e || why == null || String.valueOf(e.getMessage()).contains(why)) {
      return e;
    }
    return new SQLException(e.getMessage() + ": " + why, e.getSQLState(), e.getErrorCode(), e);
  }

  /**
   * The SQLSTATE of the first {@link io.accrete.sql.AccreteSqlException} in the chain that has one,
   * else the exception's own (or null).
   *
   * @param e a failure
   * @return PostgreSQL's SQLSTATE for it, or null
   */
  public static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.accrete.sql.AccreteSqlException a && a.sqlState() != null) {
        return a.sqlState();
      }
    }
    return e instanceof SQLException s ? s.getSQLState() : null;
  }

  private static String accreteMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.accrete.sql.AccreteSqlException a && a.sqlState() != null) {
        return a.getMessage();
      }
    }
    return e.getMessage();
  }

  /**
   * The exception a JDBC caller should see for a failure: an SQLException with PostgreSQL's
   * SQLSTATE when Accrete knows it and a message that says what went wrong; an {@link Error} stays one.
   *
   * @param t what failed
   * @return an SQLException, or {@code t} itself when it is an Error
   */
  public static Throwable translate(Throwable t) {
    if (t instanceof SQLException e) {
      return explained(e);
    }
    if (t instanceof Error) {
      return t;
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.toString();
    String state = sqlState(t);
    return state != null ? new SQLException(accreteMessage(t), state, t) : new SQLException(message, t);
  }
}
