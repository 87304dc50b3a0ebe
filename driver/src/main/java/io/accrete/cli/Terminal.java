package io.accrete.cli;

/**
 * Whether the command line talks to a person at a terminal. Progress bars redraw one line with
 * carriage returns, which is noise in a pipe or a log file, and an interactive SQL shell needs a
 * terminal to edit lines in: both ask here.
 *
 * <p>The system property {@value #PROPERTY} ({@code true} or {@code false}) overrides the
 * answer, for tests (which never have a console) and for a wrapper that knows better.
 */
final class Terminal {
  /** The system property that overrides {@link #isTerminal()}. */
  static final String PROPERTY = "accrete.terminal";

  private Terminal() {}

  /** True when stdin and stdout are a terminal ({@link System#console()}), unless overridden. */
  static boolean isTerminal() {
    String forced = System.getProperty(PROPERTY);
    if (forced != null && !forced.isBlank()) {
      return Boolean.parseBoolean(forced.strip());
    }
    return System.console() != null;
  }
}
