package io.accrete.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that the transaction workloads write the same facts on Accrete and on Datomic: runs
 * each workload once on both (in this JVM, untimed), reads every person back from EAVT, maps
 * {@code :follows} entity ids back to person numbers, and compares the two dumps person by
 * person. Exits with status 1 and prints the first differences when they disagree.
 */
public final class TxCheck {
  private TxCheck() {}

  public static void main(String[] args) throws Exception {
    boolean ok = true;
    for (String workload : List.of("load", "single")) {
      List<String> a = dump(new AccreteSide(), workload);
      List<String> d = dump(new DatomicSide(), workload);
      int diffs = 0;
      for (int i = 0; i < Math.max(a.size(), d.size()); i++) {
        String x = i < a.size() ? a.get(i) : "<missing>";
        String y = i < d.size() ? d.get(i) : "<missing>";
        if (!x.equals(y)) {
          if (diffs++ < 5) {
            System.out.println(workload + " person " + i + ":\n  Accrete " + x + "\n  Datomic " + y);
          }
        }
      }
      System.out.println(workload + ": " + a.size() + " persons on Accrete, " + d.size() + " on Datomic, "
          + diffs + " differ" + (a.isEmpty() ? "" : "; e.g. " + a.get(a.size() - 1)));
      ok &= diffs == 0 && !a.isEmpty();
    }
    datomic.Peer.shutdown(true);
    System.exit(ok ? 0 : 1);
  }

  private static List<String> dump(Side side, String workload) throws Exception {
    side.create("check-" + workload);
    try {
      side.transact(People.schema(side::kw));
      List<People.Person> persons = People.generate(People.LOAD_PERSONS);
      long[] eids;
      if (workload.equals("load")) {
        eids = new long[persons.size()];
        for (List<Object> tx : People.loadTx(persons, side::kw)) {
          Object report = side.transact(tx);
          for (Object form : tx) {
            String tempid = (String) ((Map<?, ?>) form).get(side.kw("db/id"));
            eids[Integer.parseInt(tempid.substring(1))] = side.resolve(report, tempid);
          }
        }
      } else {
        eids = new long[People.SINGLE_PERSONS];
        List<People.SingleTx> txs = People.singleTx(persons.subList(0, eids.length), side::kw);
        for (int i = 0; i < txs.size(); i++) {
          txs.get(i).fill(eids);
          eids[i] = side.resolve(side.transact(txs.get(i).tx()), "p");
        }
      }
      Map<Long, Integer> person = new HashMap<>();
      for (int i = 0; i < eids.length; i++) {
        person.put(eids[i], i);
      }
      List<String> out = new ArrayList<>();
      for (long eid : eids) {
        Map<String, Object> attrs = new TreeMap<>();
        for (Object[] av : side.entity(eid)) {
          String attr = (String) av[0];
          if (attr.equals("follows")) {
            @SuppressWarnings("unchecked")
            TreeSet<Integer> f = (TreeSet<Integer>) attrs.computeIfAbsent(attr, k -> new TreeSet<Integer>());
            Integer target = person.get((Long) av[1]);
            f.add(target == null ? -1 : target);
          } else if (attrs.put(attr, av[1]) != null) {
            attrs.put(attr, "<several values>");
          }
        }
        out.add(attrs.toString());
      }
      return out;
    } finally {
      side.drop();
    }
  }
}
