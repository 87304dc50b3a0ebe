package io.accrete.sql;

/**
 * A SQL statement Accrete cannot run as written: the message says what and where, and
 * {@link #sqlState()} says what kind of failure it is in PostgreSQL's terms.
 */
public final class AccreteSqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;

  /** An error with a message for the user. */
  public AccreteSqlException(String message) {
    this(null, message);
  }

  /** An error with a message for the user and the failure behind it. */
  public AccreteSqlException(String message, Throwable cause) {
    super(message, cause);
    this.sqlState = null;
  }

  /** An error with PostgreSQL's SQLSTATE for its kind (e.g. 23505) and a message for the user. */
  public AccreteSqlException(String sqlState, String message) {
    super(message);
    this.sqlState = sqlState;
  }

  /** An error with PostgreSQL's SQLSTATE, a message for the user and the failure behind it. */
  public AccreteSqlException(String sqlState, String message, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /** PostgreSQL's SQLSTATE for this failure, or null when none is known. */
  public String sqlState() {
    return sqlState;
  }
}
