package io.accrete.transactor;

import io.accrete.db.Errors;
import io.accrete.spi.DatabaseUri;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tuning of a durable database connection, from the URI's query part and system properties
 * ({@code accrete.<name>}), URI first:
 *
 * <ul>
 *   <li>{@code indexThreshold}: novelty datoms that start a background indexing job (100000);
 *   <li>{@code backpressure}: novelty datoms at which writers wait for indexing (1000000);
 *   <li>{@code cacheBytes}: compressed segments kept in memory ({@code 256m}, at most an
 *       eighth of the heap);
 *   <li>{@code cacheDatoms}: datoms of decoded segments kept in memory (4000000, at most what
 *       a quarter of the heap holds at ~100 bytes a datom);
 *   <li>{@code batch}: most transactions made durable by one group commit (256);
 *   <li>{@code gcRetention}: how long segments an indexing job retired stay readable for
 *       older database values before garbage collection deletes them ({@code 1h}; {@code s},
 *       {@code m}, {@code h}, {@code d} units; {@code never} turns automatic collection off,
 *       leaving {@link io.accrete.Connection#gcStorage} to the user).
 * </ul>
 */
public record Settings(long indexThreshold, long backpressure, long cacheBytes, long cacheDatoms, int batch,
    long gcRetentionMillis) {
  /** {@link #gcRetentionMillis} when automatic collection is off. */
  static final long NEVER = -1;
  private static final long HEAP = Runtime.getRuntime().maxMemory();

  static Settings of(Map<String, String> params, DatabaseUri uri) {
    Map<String, String> p = new LinkedHashMap<>(params);
    Settings s = new Settings(
        number(p.remove("indexThreshold"), "indexThreshold", 100_000, uri),
        number(p.remove("backpressure"), "backpressure", 1_000_000, uri),
        // The caches' defaults shrink with the heap: a process started with a small -Xmx must
        // not fill it with cached segments (a 256 MB heap ran out under a write flood).
        number(p.remove("cacheBytes"), "cacheBytes", Math.min(256L << 20, HEAP / 8), uri),
        number(p.remove("cacheDatoms"), "cacheDatoms", Math.min(4_000_000, HEAP / 4 / 100), uri),
        (int) number(p.remove("batch"), "batch", 256, uri),
        duration(p.remove("gcRetention"), "gcRetention", 3_600_000, uri));
    if (!p.isEmpty()) {
      throw Errors.db("invalid-uri", "Unknown option " + p.keySet().iterator().next() + " in " + uri
          + "; known: indexThreshold, backpressure, cacheBytes, cacheDatoms, batch, gcRetention");
    }
    if (s.backpressure < s.indexThreshold) {
      throw Errors.db("invalid-uri", "backpressure must be at least indexThreshold in " + uri);
    }
    return s;
  }

  private static long number(String text, String name, long dflt, DatabaseUri uri) {
    String v = text != null ? text : System.getProperty("accrete." + name);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase();
    long mult = 1;
    if (t.endsWith("k")) {
      mult = 1L << 10;
    } else if (t.endsWith("m")) {
      mult = 1L << 20;
    } else if (t.endsWith("g")) {
      mult = 1L << 30;
    }
    if (mult > 1) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t) * mult;
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw Errors.db("invalid-uri", name + " in " + uri + " must be a positive number (k, m, g allowed), not " + v);
    }
  }

  private static long duration(String text, String name, long dflt, DatabaseUri uri) {
    String v = text != null ? text : System.getProperty("accrete." + name);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase();
    if (t.equals("never")) {
      return NEVER;
    }
    long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 's' -> 1000L;
      case 'm' -> 60_000L;
      case 'h' -> 3_600_000L;
      case 'd' -> 86_400_000L;
      default -> 0;
    };
    try {
      if (unit == 0) {
        throw new NumberFormatException();
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw Errors.db("invalid-uri", name + " in " + uri + " must be a duration such as 90s, 30m, 1h, 7d"
          + " or never, not " + v);
    }
  }
}
