package io.accrete.jdbc;

import java.sql.SQLException;

/**
 * Failures as JDBC callers see them, embedded and through {@code accrete serve}: an SQLException
 * with PostgreSQL's SQLSTATE and one message that says what went wrong (Accrete's own words
 * where it has them; see {@link io.accrete.sql.SqlErrors}), not a chain of wrappers.
 */
public final class SqlFailures {
  private SqlFailures() {}

  /** What Avatica's client puts before the server's own message. */
  private static final String REMOTE = "Remote driver error: ";
  /** How Avatica's server reports an error it was given (its spelling): the message is Accrete's one line. */
  private static final java.util.regex.Pattern SERVER_MESSAGE = java.util.regex.Pattern.compile(
      "^AvaticaRuntimeException: \\[Messs?age: '(.*?)', Error code: '");

  /** An SQLException a caller should see in place of {@code e}. */
  static SQLException explained(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.apache.calcite.avatica.AvaticaSqlException a && a.getErrorMessage() != null) {
        // The server's one line, without Avatica's "Error while executing SQL …" and "Error -1 (23505) :".
        String message = a.getErrorMessage();
        int server = message.lastIndexOf(REMOTE);
        if (server < 0 && a.getStackTraces() != null) {
          // A failed prepare says only "while preparing SQL: …"; the server's words are in its report.
          for (String trace : a.getStackTraces()) {
            java.util.regex.Matcher m = SERVER_MESSAGE.matcher(trace);
            if (m.find()) {
              return new SQLException(m.group(1), a.getSQLState(), e);
            }
          }
        }
        return new SQLException(server >= 0 ? message.substring(server + REMOTE.length()) : message,
            a.getSQLState(), e);
      }
    }
    return io.accrete.sql.SqlErrors.toSqlException(e);
  }

  /**
   * The SQLSTATE of a failure as {@link #translate} would give it.
   *
   * @param e a failure
   * @return PostgreSQL's SQLSTATE for it
   */
  public static String sqlState(Throwable e) {
    Throwable t = translate(e);
    return t instanceof SQLException s ? s.getSQLState() : null;
  }

  /**
   * The exception a JDBC caller should see for a failure: an SQLException with PostgreSQL's
   * SQLSTATE and a message that says what went wrong. Only the JVM's own distress (out of memory)
   * stays an {@link Error}; a statement's {@code ExceptionInInitializerError} (Calcite folding
   * {@code 1/0} while planning) or stack overflow is the statement's failure.
   *
   * @param t what failed
   * @return an SQLException, or {@code t} itself when it is a {@link VirtualMachineError} other than a stack overflow
   */
  public static Throwable translate(Throwable t) {
    if (t instanceof SQLException e) {
      return explained(e);
    }
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
      return t;
    }
    if (t instanceof StackOverflowError) {
      return new SQLException("stack depth limit exceeded (the statement nests too deeply)", "54001", t);
    }
    return io.accrete.sql.SqlErrors.toSqlException(t);
  }
}
