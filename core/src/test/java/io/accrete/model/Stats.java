package io.accrete.model;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the generated sequences exercised; printed with -Dmodel.stats=true. */
final class Stats {
  private Stats() {}

  static final boolean ENABLED = Boolean.getBoolean("model.stats");
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  static void count(String what) {
    count(what, 1);
  }

  static void count(String what, long n) {
    if (ENABLED) {
      COUNTS.computeIfAbsent(what, k -> new LongAdder()).add(n);
    }
  }

  static String report() {
    StringBuilder sb = new StringBuilder("model test coverage:\n");
    new TreeMap<>(COUNTS).forEach((k, v) -> sb.append(String.format("  %-50s %d%n", k, v.sum())));
    return sb.toString();
  }
}
