package io.accrete.transactor;

import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.spi.DatabaseProvider;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.LogCodec;
import io.accrete.storage.Segments;
import io.accrete.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks a durable database end to end, for {@code accrete verify}: the root, every segment it
 * reaches and every log batch read and checked against their checksums, the whole log in order,
 * and the four indexes holding the same datoms (VAET: those of reference attributes), history
 * included. Reads only; the database may be in use meanwhile (it checks the root it finds).
 */
public final class Verify {
  private Verify() {}

  /** What was checked, and every problem found (none: the database is whole). */
  public record Report(long segments, long logEntries, Map<String, Long> datomsPerIndex, List<String> problems) {
    /** Whether nothing is wrong. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Verifies the durable database at {@code uri}; {@code progress} hears each step as it starts. */
  public static Report verify(String uri, Consumer<String> progress) {
    DatabaseUri u = DatabaseUri.parse(uri);
    if (!(DatabaseProvider.of(u) instanceof DurableProvider provider)) {
      throw Errors.db("invalid-uri", "verify needs a durable database (accrete:local: or accrete:sql:), not " + uri);
    }
    List<String> problems = new ArrayList<>();
    Map<String, Long> counts = new java.util.LinkedHashMap<>();
    long segments = 0;
    long logEntries = 0;
    try (Storage storage = provider.reader(u)) {
      progress.accept("root and segments");
      StoredConnection.Loaded loaded;
      try {
        loaded = StoredConnection.load(uri, storage, Settings.of(Map.of(), u));
        Set<String> reached = Segments.reachable(storage, loaded.root());
        segments = reached.size();
        for (String key : reached) {
          Segments.check(storage, key);
        }
      } catch (RuntimeException e) {
        problems.add(e.getMessage());
        return new Report(segments, logEntries, counts, problems);
      }
      progress.accept("log");
      try {
        long last = 0;
        for (LogCodec.Entry e : DurableLog.read(storage, 0, Long.MAX_VALUE)) {
          if (e.t() <= last) {
            problems.add("Log entry t " + e.t() + " follows t " + last + ": the log holds a t twice or out of order");
          }
          last = e.t();
          logEntries++;
        }
        // The bootstrap transaction is in the first trees only; every later one is logged.
        long basis = loaded.root().indexBasisT();
        if (last < basis && basis > io.accrete.schema.Bootstrap.BOOTSTRAP_T) {
          problems.add("The log ends at t " + last + " but the root's trees cover up to t "
              + loaded.root().indexBasisT() + ": log batches are missing");
        }
      } catch (RuntimeException e) {
        problems.add(e.getMessage());
      }
      progress.accept("indexes");
      try {
        compareIndexes(loaded.db(), counts, problems);
      } catch (RuntimeException e) {
        problems.add(e.getMessage());
      }
    }
    return new Report(segments, logEntries, counts, problems);
  }

  /**
   * Every index of the whole history holds the same datoms: counts and an order-independent
   * digest per index, sorted order checked on the way.
   */
  private static void compareIndexes(Db db, Map<String, Long> counts, List<String> problems) {
    Db history = (Db) db.history();
    long[] eavt = digest(history, "eavt", counts, problems); // {count, digest, ref count, ref digest}
    for (String index : new String[] {"aevt", "avet"}) {
      long[] d = digest(history, index, counts, problems);
      if (d[0] != eavt[0] || d[1] != eavt[1]) {
        problems.add("Index " + index.toUpperCase() + " holds " + d[0] + " datoms and EAVT " + eavt[0]
            + (d[0] == eavt[0] ? ", but not the same ones" : "") + ": the indexes disagree");
      }
    }
    long[] vaet = digest(history, "vaet", counts, problems);
    if (vaet[0] != eavt[2] || vaet[1] != eavt[3]) {
      problems.add("Index VAET holds " + vaet[0] + " datoms and EAVT " + eavt[2] + " of reference attributes"
          + (vaet[0] == eavt[2] ? ", but not the same ones" : "") + ": the indexes disagree");
    }
  }

  /**
   * {count, digest, count and digest of the datoms of reference attributes} of an index, its
   * key order checked on the way; one pass.
   */
  private static long[] digest(Db db, String index, Map<String, Long> counts, List<String> problems) {
    long[] out = new long[4];
    Datom prev = null;
    io.accrete.index.IndexOrder order = io.accrete.index.IndexOrder.valueOf(index.toUpperCase());
    for (Datom d : db.datoms(Keyword.intern(":" + index))) {
      if (prev != null && order.compare(prev, d, false) > 0) {
        problems.add("Index " + index.toUpperCase() + " is out of order at " + d);
      }
      prev = d;
      long h = mix(d);
      out[0]++;
      out[1] += h;
      Attribute a = db.attribute(d.a());
      if (a != null && a.isRef()) {
        out[2]++;
        out[3] += h;
      }
    }
    counts.put(index.toUpperCase(), out[0]);
    return out;
  }

  private static long mix(Datom d) {
    long h = d.e() * 0x9E3779B97F4A7C15L;
    h = (h ^ d.a()) * 0xBF58476D1CE4E5B9L;
    h = (h ^ io.accrete.index.Values.hash(d.v())) * 0x94D049BB133111EBL;
    h = (h ^ d.tx()) * 0x9E3779B97F4A7C15L;
    return h ^ (d.added() ? 1 : 0) ^ (h >>> 31);
  }
}
