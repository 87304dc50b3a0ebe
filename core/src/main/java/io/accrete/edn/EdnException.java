package io.accrete.edn;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import java.util.Map;

/**
 * Malformed EDN. The message says what is wrong and where, for example {@code Unterminated
 * string starting at line 3, column 7}; {@link #line()} and {@link #column()} give the place
 * (1-based) as numbers, and {@link #data()} holds them as {@code :line} and {@code :column}.
 * The code is always {@code :edn/parse-error}.
 */
public class EdnException extends AccreteException {
  private static final long serialVersionUID = 1L;

  /** The code of every EDN parse error. */
  public static final Keyword PARSE_ERROR = Keyword.of("edn", "parse-error");

  private static final Keyword LINE = Keyword.of(null, "line");
  private static final Keyword COLUMN = Keyword.of(null, "column");

  private final int line;
  private final int column;

  /**
   * A parse error at a place in the text.
   *
   * @param message the complete message, naming the problem and the place
   * @param line the 1-based line of the offending place
   * @param column the 1-based column of the offending place
   */
  public EdnException(String message, int line, int column) {
    this(message, line, column, null);
  }

  /** A parse error at a place in the text, caused by another exception (a failing tag reader). */
  public EdnException(String message, int line, int column, Throwable cause) {
    super(PARSE_ERROR, message, Map.of(LINE, (long) line, COLUMN, (long) column), cause);
    this.line = line;
    this.column = column;
  }

  /** The 1-based line of the offending place. */
  public int line() {
    return line;
  }

  /** The 1-based column of the offending place, counted in characters. */
  public int column() {
    return column;
  }
}
