package io.accrete.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Runs SQL statements from {@code -e}, a file or piped input on one connection, as psql does
 * without a terminal: results go to stdout, and a failed statement is one line on stderr,
 * {@code ERROR:  message (SQLSTATE xxxxx)}, after {@code FILE:LINE: } when it came from a file
 * or stdin. A failure does not stop the statements after it; the caller exits with 1 if any
 * failed. Java stack traces only with {@code verbose}.
 */
final class SqlRunner {
  private final Connection connection;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean csv;
  private final boolean verbose;
  private int failures;

  SqlRunner(Connection connection, PrintStream out, PrintStream err, boolean csv, boolean verbose) {
    this.connection = connection;
    this.out = out;
    this.err = err;
    this.csv = csv;
    this.verbose = verbose;
  }

  /** The statements that failed so far. */
  int failures() {
    return failures;
  }

  /**
   * Runs every statement of some input, each as soon as it is complete.
   *
   * @param where the name errors give before the line ({@code q.sql}, {@code <stdin>}), or null for {@code -e}
   */
  void run(BufferedReader in, String where) throws IOException {
    SqlStatements split = new SqlStatements();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      for (SqlStatements.Statement s : split.feed(line)) {
        execute(s, where);
      }
    }
    SqlStatements.Statement last = split.finish();
    if (last != null) {
      execute(last, where);
    }
  }

  private void execute(SqlStatements.Statement s, String where) {
    try (Statement st = connection.createStatement()) {
      // One result per statement: Accrete's statements never return several (and Avatica's
      // getMoreResults cannot be trusted to end a loop over them).
      if (st.execute(s.sql())) {
        ResultTable.print(st.getResultSet(), csv, out);
      } else if (!csv) { // a command tag would corrupt CSV for the program reading it
        out.println(tag(s.sql(), st.getUpdateCount()));
      }
    } catch (SQLException | RuntimeException e) {
      fail(e, where == null ? "" : where + ":" + s.line() + ": ");
    } finally {
      out.flush();
    }
  }

  private void fail(Exception e, String location) {
    failures++;
    Throwable t = io.accrete.jdbc.SqlFailures.translate(e);
    String message = String.valueOf(t.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ");
    String state = t instanceof SQLException s ? s.getSQLState() : null;
    err.println(location + "ERROR:  " + message + (state != null ? " (SQLSTATE " + state + ")" : ""));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
  }

  /** psql's command tag: {@code INSERT 0 3}, {@code UPDATE 2}, {@code CREATE TABLE}. */
  static String tag(String sql, long count) {
    String[] words = sql.strip().split("\\s+", 3);
    String verb = words[0].toUpperCase(Locale.ROOT);
    return switch (verb) {
      case "INSERT" -> "INSERT 0 " + count;
      case "UPDATE", "DELETE", "MERGE" -> verb + " " + count;
      case "CREATE", "DROP", "ALTER" -> words.length > 1 ? verb + " " + words[1].toUpperCase(Locale.ROOT) : verb;
      default -> verb;
    };
  }
}
