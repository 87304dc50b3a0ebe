package io.accrete.sql;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;

/**
 * Whether a running statement must stop: its JDBC {@code cancel()} (Calcite's cancel flag), its
 * {@code setQueryTimeout}, or the session's {@code statement_timeout} (PostgreSQL's setting, which
 * {@code SET} and the server's default give). Scans ask it as they read, so a runaway join or
 * aggregate stops within a few thousand rows of the moment, with PostgreSQL's 57014.
 */
final class Cancellation {
  private static final java.util.regex.Pattern DURATION =
      java.util.regex.Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|min|h|d)?\\s*");
  private static final Cancellation NEVER = new Cancellation(null, Long.MAX_VALUE, null);

  private final AtomicBoolean flag;
  /** When the statement must have ended (epoch millis), or Long.MAX_VALUE. */
  private final long deadline;
  private final String timeoutText;

  private Cancellation(AtomicBoolean flag, long deadline, String timeoutText) {
    this.flag = flag;
    this.deadline = deadline;
    this.timeoutText = timeoutText;
  }

  /** The statement's cancellation, from its context and its session. */
  static Cancellation of(DataContext root, SqlSession session) {
    if (root == null) {
      return NEVER;
    }
    AtomicBoolean flag = DataContext.Variable.CANCEL_FLAG.get(root);
    Long jdbc = root.get(DataContext.Variable.TIMEOUT.camelName) instanceof Number n && n.longValue() > 0
        ? n.longValue() : null;
    Long setting = session == null ? null : millis(session.setting("statement_timeout"));
    long timeout = Math.min(jdbc == null ? Long.MAX_VALUE : jdbc, setting == null || setting <= 0 ? Long.MAX_VALUE
        : setting);
    long start = root.get(DataContext.Variable.UTC_TIMESTAMP.camelName) instanceof Number s ? s.longValue()
        : System.currentTimeMillis();
    if (flag == null && timeout == Long.MAX_VALUE) {
      return NEVER;
    }
    return new Cancellation(flag, timeout == Long.MAX_VALUE ? Long.MAX_VALUE : start + timeout,
        timeout == Long.MAX_VALUE ? null : timeout + " ms");
  }

  /** Throws 57014 when the statement was canceled or ran past its timeout. */
  void check() {
    if (flag != null && flag.get()) {
      throw new AccreteSqlException("57014", "canceling statement due to user request");
    }
    if (deadline != Long.MAX_VALUE && System.currentTimeMillis() > deadline) {
      throw new AccreteSqlException("57014", "canceling statement due to statement timeout (" + timeoutText + ")");
    }
  }

  /**
   * PostgreSQL's {@code statement_timeout} value in milliseconds: a number of milliseconds or a
   * number with a unit (ms, s, min, h, d); 0 or none means no timeout.
   */
  static Long millis(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    java.util.regex.Matcher m = DURATION.matcher(value.toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new AccreteSqlException("22023", "invalid value for parameter \"statement_timeout\": \"" + value + "\"");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    double factor = switch (unit) {
      case "s" -> 1_000;
      case "min" -> 60_000;
      case "h" -> 3_600_000;
      case "d" -> 86_400_000;
      default -> 1;
    };
    return (long) (n * factor);
  }
}
