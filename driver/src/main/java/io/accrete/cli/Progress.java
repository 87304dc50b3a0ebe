package io.accrete.cli;

import java.io.PrintStream;

/** A one-line progress report for long commands, redrawn at most a few times a second. */
final class Progress {
  private final PrintStream out;
  private final String what;
  private long lastDraw;
  private boolean drawn;

  Progress(PrintStream out, String what) {
    this.out = out;
    this.what = what;
  }

  void update(long n) {
    long now = System.nanoTime();
    if (now - lastDraw > 250_000_000L) {
      lastDraw = now;
      drawn = true;
      out.print("\r" + what + ": " + n);
      out.flush();
    }
  }

  /** Draws a bar: {@code what [#######-------]  52%  1,234 / 2,345 unit}. */
  void update(long n, long total, String unit) {
    long now = System.nanoTime();
    if (now - lastDraw > 250_000_000L || n == total) {
      lastDraw = now;
      drawn = true;
      int width = 30;
      int filled = total == 0 ? width : (int) (width * n / total);
      out.printf("\r%s [%s%s] %3d%%  %,d / %,d %s", what, "#".repeat(filled), "-".repeat(width - filled),
          total == 0 ? 100 : 100 * n / total, n, total, unit);
      out.flush();
    }
  }

  void done() {
    if (drawn) {
      out.print("\r" + " ".repeat(what.length() + 80) + "\r");
    }
  }
}
