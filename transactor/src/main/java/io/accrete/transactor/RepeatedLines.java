package io.accrete.transactor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps a log readable when the same thing happens again and again (a misconfigured peer that
 * reconnects every second): a line of a given key is written at most once per interval, with
 * how many were left out since the last one.
 */
final class RepeatedLines {
  private final long intervalMillis;
  private final Consumer<String> out;
  private final Map<String, long[]> seen = new ConcurrentHashMap<>(); // key -> {last written at, left out}

  RepeatedLines(long intervalMillis, Consumer<String> out) {
    this.intervalMillis = intervalMillis;
    this.out = out;
  }

  /** Writes {@code line} unless a line of {@code key} was written less than the interval ago. */
  void write(String key, String line, long nowMillis) {
    long[] s = seen.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE, 0});
    String written;
    synchronized (s) {
      if (s[0] != Long.MIN_VALUE && nowMillis - s[0] < intervalMillis) {
        s[1]++;
        return;
      }
      written = s[1] == 0 ? line : line + " (and " + s[1] + " more like it in the last "
          + (nowMillis - s[0]) / 1000 + " s)";
      s[0] = nowMillis;
      s[1] = 0;
    }
    if (seen.size() > 10_000) {
      seen.clear(); // many distinct peers: forget rather than grow without bound
    }
    out.accept(written);
  }
}
