package io.accrete.index;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Datom;
import io.accrete.Keyword;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Indexes#apply} of whole transactions (long runs of assertions go in as sorted runs
 * per order) reads exactly as applying the same datoms one at a time, in every order, current
 * and history: datoms in any order, retractions among assertions, several transactions in one
 * call, values whose prefixes do not decide (long strings sharing a start, large longs).
 */
class IndexesApplyTest {
  @Test
  void wholeTransactionsReadAsDatomByDatom() {
    for (int seed = 0; seed < 30; seed++) {
      Random r = new Random(seed);
      Map<List<Object>, Datom> current = new LinkedHashMap<>();
      Indexes whole = Indexes.empty();
      Indexes single = Indexes.empty();
      long tx = 1000;
      for (int round = 0; round < 12; round++) {
        List<Datom> datoms = new ArrayList<>();
        int txs = 1 + r.nextInt(3);
        for (int t = 0; t < txs; t++) {
          datoms.addAll(transaction(r, current, ++tx));
        }
        whole = whole.apply(datoms, IndexesRebaseTest.KINDS);
        for (Datom d : datoms) {
          single = single.apply(List.of(d), IndexesRebaseTest.KINDS);
        }
        IndexesRebaseTest.assertSameDatoms(single, whole, "seed " + seed + " round " + round);
        if (r.nextInt(4) == 0) {
          whole = whole.merged();
          single = single.merged();
        }
      }
    }
  }

  /** One transaction's datoms in random order: mostly new, some retracting current datoms. */
  private static List<Datom> transaction(Random r, Map<List<Object>, Datom> current, long tx) {
    Map<List<Object>, Datom> batch = new LinkedHashMap<>();
    int n = r.nextInt(4) == 0 ? r.nextInt(20) : 20 + r.nextInt(400);
    for (int i = 0; i < n; i++) {
      if (!current.isEmpty() && r.nextInt(5) == 0) {
        List<List<Object>> keys = new ArrayList<>(current.keySet());
        List<Object> k = keys.get(r.nextInt(keys.size()));
        if (!batch.containsKey(k)) {
          Datom d = current.get(k);
          batch.put(k, new Datom(d.e(), d.a(), d.v(), tx, false));
        }
      } else {
        long e = r.nextInt(r.nextBoolean() ? 80 : 4000);
        long a = 10 + r.nextInt(4);
        Object v = a == 13 ? (Object) (long) r.nextInt(80) : value(r);
        List<Object> k = List.of(e, a, v);
        if (!current.containsKey(k) && !batch.containsKey(k)) {
          batch.put(k, new Datom(e, a, v, tx, true));
        }
      }
    }
    IndexesRebaseTest.record(batch, current);
    List<Datom> out = new ArrayList<>(batch.values());
    if (r.nextBoolean()) {
      Collections.shuffle(out, r);
    } else {
      out.sort((x, y) -> IndexOrder.EAVT.compareKey(x, y)); // as the transaction processor emits them
    }
    return out;
  }

  private static Object value(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> (long) r.nextInt(10);
      case 1 -> (1L << 50) + r.nextInt(10); // a long the prefix does not hold exactly
      case 2 -> "name-shared-start-" + r.nextInt(10);
      case 3 -> "s" + r.nextInt(10);
      default -> Keyword.of("k", "v" + r.nextInt(10));
    };
  }
}
