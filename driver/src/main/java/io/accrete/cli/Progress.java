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

  void done() {
    if (drawn) {
      out.print("\r" + " ".repeat(what.length() + 24) + "\r");
    }
  }
}
