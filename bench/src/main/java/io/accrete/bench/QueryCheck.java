package io.accrete.bench;

import io.accrete.bench.PeopleQueries.Loaded;
import io.accrete.bench.PeopleQueries.Prepared;
import io.accrete.bench.PeopleQueries.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that the query benchmarks give the same answers on Accrete and on Datomic: loads the
 * people into both (in this JVM, untimed), runs every query once on each, maps entity ids back
 * to person numbers and compares the whole results, and compares their sizes with the
 * generator's. Exits with status 1 and prints the first differences when anything disagrees.
 *
 * <pre>
 * java -cp … io.accrete.bench.QueryCheck [--large]
 * </pre>
 *
 * {@code --large} also runs {@code rule-large}, which takes minutes.
 */
public final class QueryCheck {
  private QueryCheck() {}

  public static void main(String[] args) throws Exception {
    boolean large = List.of(args).contains("--large");
    Side accrete = new AccreteSide();
    Side datomic = new DatomicSide();
    boolean ok = true;
    try {
      Loaded la = PeopleQueries.load(accrete, "query-check");
      Loaded ld = PeopleQueries.load(datomic, "query-check");
      Map<Query, Prepared> pa = PeopleQueries.prepare(accrete, la);
      Map<Query, Prepared> pd = PeopleQueries.prepare(datomic, ld);
      for (Query q : Query.values()) {
        if (q.slow && !large) {
          continue;
        }
        long ta = System.nanoTime();
        List<String> a = PeopleQueries.normalize(pa.get(q).run(accrete), la);
        long td = System.nanoTime();
        List<String> d = PeopleQueries.normalize(pd.get(q).run(datomic), ld);
        long end = System.nanoTime();
        long want = PeopleQueries.expectedSize(q, la.persons());
        boolean scalar = q == Query.RULE || q == Query.RULE_LARGE;
        long sa = scalar ? Long.parseLong(a.get(0)) : a.size();
        long sd = scalar ? Long.parseLong(d.get(0)) : d.size();
        List<String> onlyA = new ArrayList<>(a);
        onlyA.removeAll(d);
        List<String> onlyD = new ArrayList<>(d);
        onlyD.removeAll(a);
        boolean same = a.equals(d) && sa == want;
        ok &= same;
        System.out.printf("%-10s Accrete %5d, Datomic %5d, expected %5d: %-9s (first calls: Accrete %.0f ms, Datomic %.0f ms)%n",
            q.label(), sa, sd, want, same ? "same" : "DIFFERENT", (td - ta) / 1e6, (end - td) / 1e6);
        if (!same) {
          System.out.println("  only on Accrete: " + onlyA.subList(0, Math.min(5, onlyA.size())));
          System.out.println("  only on Datomic: " + onlyD.subList(0, Math.min(5, onlyD.size())));
        }
      }
    } finally {
      accrete.drop();
      datomic.drop();
      datomic.shutdown();
    }
    System.exit(ok ? 0 : 1);
  }
}
