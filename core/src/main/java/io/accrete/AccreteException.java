package io.accrete;

import java.util.Map;

/**
 * An error Accrete reports to its user: a bad transaction, an unknown attribute, malformed
 * EDN, a bad query. The message says what went wrong and where, in the user's terms;
 * {@link #code()} is a stable keyword (such as {@code :db.error/not-an-entity}, the names
 * Datomic uses where Datomic has one) that programs can branch on.
 */
public class AccreteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Keyword code;
  private final Map<Keyword, Object> data;

  /** An error with a code and a message. */
  public AccreteException(Keyword code, String message) {
    this(code, message, Map.of(), null);
  }

  /** An error with a code, a message and the exception that caused it. */
  public AccreteException(Keyword code, String message, Throwable cause) {
    this(code, message, Map.of(), cause);
  }

  /**
   * An error with a code, a message, data naming what is at fault (for example the datom or
   * the form), and an optional cause.
   */
  public AccreteException(Keyword code, String message, Map<Keyword, Object> data, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.data = Map.copyOf(data);
  }

  /** The error's stable code, for example {@code :db.error/unique-conflict}. */
  public Keyword code() {
    return code;
  }

  /** Data about the error: for example {@code :datom} or {@code :form}; may be empty. */
  public Map<Keyword, Object> data() {
    return data;
  }
}
