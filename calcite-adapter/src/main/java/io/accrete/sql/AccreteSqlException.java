package io.accrete.sql;

/** A SQL statement Accrete cannot run as written: the message says what and where. */
public final class AccreteSqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message for the user. */
  public AccreteSqlException(String message) {
    super(message);
  }

  /** An error with a message for the user and the failure behind it. */
  public AccreteSqlException(String message, Throwable cause) {
    super(message, cause);
  }
}
