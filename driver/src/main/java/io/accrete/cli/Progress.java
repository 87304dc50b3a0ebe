package io.accrete.cli;

import java.io.PrintStream;

/**
 * A one-line progress report for long commands, redrawn at most a few times a second, on a
 * terminal only ({@link Terminal}): into a pipe or a log file its carriage-return animation
 * would be a pile of partial lines, so there it draws nothing and the command's own summary
 * line is the whole report.
 */
final class Progress {
  private final PrintStream out;
  private final String what;
  private final boolean live;
  private long lastDraw;
  private boolean drawn;

  Progress(PrintStream out, String what) {
    this.out = out;
    this.what = what;
    this.live = Terminal.isTerminal();
  }

  void update(long n) {
    long now = System.nanoTime();
    if (live && (!drawn || now - lastDraw > 250_000_000L)) {
      lastDraw = now;
      drawn = true;
      out.print("\r" + what + ": " + n);
      out.flush();
    }
  }

  /** Draws a bar: {@code what [#######-------]  52%  1,234 / 2,345 unit}. */
  void update(long n, long total, String unit) {
    long now = System.nanoTime();
    if (live && (!drawn || now - lastDraw > 250_000_000L || n == total)) {
      lastDraw = now;
      drawn = true;
      int width = 30;
      int filled = total == 0 ? width : (int) (width * n / total);
      out.printf("\r%s [%s%s] %3d%%  %,d / %,d %s", what, "#".repeat(filled), "-".repeat(width - filled),
          total == 0 ? 100 : 100 * n / total, n, total, unit);
      out.flush();
    }
  }

  /** Clears the bar, so the caller's summary line starts at the left margin. */
  void done() {
    if (drawn) {
      out.print("\r" + " ".repeat(what.length() + 80) + "\r");
      out.flush();
      drawn = false;
    }
  }
}
