package io.accrete.bench;

import io.accrete.Connection;
import io.accrete.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A few queries over the imported persons, timed cold and warm. Cold: the connection is
 * released and opened again, so its tree store starts with empty caches and every segment a
 * query touches is read from storage and decoded (the operating system's page cache and
 * PostgreSQL's shared buffers stay warm: this measures Accrete's own read path). Warm: the same
 * query repeated, its median. Each result is checked against what {@link PersonRows} implies.
 */
final class StorageQueries {
  private StorageQueries() {}

  /**
   * One query: EDN text, its inputs after the database, and the answer it must give.
   *
   * @param name a short label
   * @param what a description for the table
   */
  record Query(String name, String what, String edn, Object[] inputs, Object expected) {}

  /**
   * One query's timings on one database.
   *
   * @param coldMs median of the cold runs in milliseconds (NaN when not measured)
   * @param warmUs median of the warm runs in microseconds
   * @param warmRuns how many warm runs the median is of
   */
  record Timing(Query query, double coldMs, double warmUs, int warmRuns) {}

  /** The queries, for a database of persons {@code 0 .. persons - 1}. */
  static List<Query> queries(long persons) {
    String name = PersonRows.name(persons / 2);
    long join = 0;
    long old = 0;
    for (long i = 0; i < persons; i++) {
      long age = PersonRows.age(i);
      if (age < 30 && PersonRows.name(i).equals(name)) {
        join++;
      }
      if (age >= 90) {
        old++;
      }
    }
    long someone = persons * 2 / 3;
    return List.of(
        new Query("count", "count: (count ?e) of [?e :person/age]",
            "[:find (count ?e) . :where [?e :person/age]]", new Object[0], persons),
        new Query("unique", "unique: lookup by email, then the name",
            "[:find ?n . :in $ ?m :where [?e :person/email ?m] [?e :person/name ?n]]",
            new Object[] {PersonRows.email(someone)}, PersonRows.name(someone)),
        new Query("join", "join: one name (~1/" + PersonRows.NAMES + ") and age < 30, counted",
            "[:find (count ?e) . :in $ ?n :where [?e :person/name ?n] [?e :person/age ?a] [(< ?a 30)]]",
            new Object[] {name}, join),
        new Query("range", "range: age ≥ 90 (~10%), counted",
            "[:find (count ?e) . :where [?e :person/age ?a] [(>= ?a 90)]]", new Object[0], old));
  }

  /**
   * Times every query on the database at {@code uri}: with {@code cold}, {@code coldRuns}
   * first calls on a freshly opened connection each; then warm runs for {@code warmSeconds}
   * after as long again of warm-up. Returns the timings and, in {@code openMs}, the median
   * time to open a connection (NaN without {@code cold}).
   */
  static List<Timing> measure(String uri, List<Query> queries, boolean cold, int coldRuns, double warmSeconds,
      double[] openMs) {
    List<Timing> out = new ArrayList<>();
    List<Double> opens = new ArrayList<>();
    for (Query q : queries) {
      double[] colds = new double[cold ? coldRuns : 0];
      for (int k = 0; k < colds.length; k++) {
        Peer.connect(uri).release();
        long t0 = System.nanoTime();
        Connection c = Peer.connect(uri);
        long t1 = System.nanoTime();
        Object r = run(c, q);
        long t2 = System.nanoTime();
        check(uri, q, r);
        opens.add((t1 - t0) / 1e6);
        colds[k] = (t2 - t1) / 1e6;
      }
      Connection c = Peer.connect(uri);
      loop(c, q, warmSeconds, null);
      List<Double> warm = new ArrayList<>();
      loop(c, q, warmSeconds, warm);
      double[] w = warm.stream().mapToDouble(Double::doubleValue).toArray();
      out.add(new Timing(q, cold ? ClosedLoop.median(colds) : Double.NaN, ClosedLoop.median(w), w.length));
    }
    openMs[0] = opens.isEmpty() ? Double.NaN : ClosedLoop.median(opens.stream().mapToDouble(Double::doubleValue).toArray());
    return out;
  }

  /** Runs {@code q} for {@code seconds} (at least 3 times), adding each run's microseconds to {@code times} if given. */
  private static void loop(Connection c, Query q, double seconds, List<Double> times) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int runs = 0;
    while (runs < 3 || System.nanoTime() < end) {
      long t0 = System.nanoTime();
      Object r = run(c, q);
      long t1 = System.nanoTime();
      if (runs == 0) {
        check(c.toString(), q, r);
      }
      if (times != null) {
        times.add((t1 - t0) / 1e3);
      }
      runs++;
    }
  }

  private static Object run(Connection c, Query q) {
    Object[] in = new Object[q.inputs().length + 1];
    in[0] = c.db();
    System.arraycopy(q.inputs(), 0, in, 1, q.inputs().length);
    return Peer.q(q.edn(), in);
  }

  private static void check(String where, Query q, Object r) {
    Object got = r instanceof Number n ? (Object) n.longValue() : r;
    Object want = q.expected() instanceof Number n ? (Object) n.longValue() : q.expected();
    if (!Objects.equals(got, want)) {
      throw new IllegalStateException("query " + q.name() + " on " + where + " gave " + r + ", expected " + q.expected());
    }
  }
}
