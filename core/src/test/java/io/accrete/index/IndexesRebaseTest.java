package io.accrete.index;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Datom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Indexes#rebase}: the novelty carried over onto trees merged from an earlier snapshot
 * reads exactly as the indexes it came from, in every order, current and history, and keeps
 * doing so as more transactions (retractions of datoms now in the trees included) and merges
 * follow.
 */
class IndexesRebaseTest {
  /** Attributes 10–13; 13 is a reference (VAET), 12 keeps no history. */
  static final AttributeKinds KINDS = new AttributeKinds() {
    @Override
    public boolean isRef(long a) {
      return a == 13;
    }

    @Override
    public boolean keepsHistory(long a) {
      return a != 12;
    }
  };

  @Test
  void rebasedNoveltyReadsAsTheIndexesItCameFrom() {
    for (int seed = 0; seed < 40; seed++) {
      Random r = new Random(seed);
      Map<List<Object>, Datom> current = new LinkedHashMap<>();
      long[] tx = {1000};
      Indexes idx = Indexes.empty();
      if (r.nextBoolean()) {
        idx = apply(idx, r, current, tx, 1 + r.nextInt(6)).merged(); // trees to start from
      }
      idx = apply(idx, r, current, tx, 1 + r.nextInt(6));
      Indexes snapshot = idx;
      Indexes merged = snapshot.merged();
      idx = apply(idx, r, current, tx, r.nextInt(6));
      Indexes rebased = idx.rebase(snapshot, merged);
      assertNotNull(rebased, "seed " + seed);
      assertSameDatoms(idx, rebased, "seed " + seed + " rebased");
      // Later transactions (retracting datoms the merged trees now hold) and merges agree too.
      for (int round = 0; round < 3; round++) {
        Random same = new Random(seed * 31L + round);
        Map<List<Object>, Datom> copy = new LinkedHashMap<>(current);
        long[] txCopy = {tx[0]};
        idx = apply(idx, same, current, tx, 2);
        rebased = apply(rebased, new Random(seed * 31L + round), copy, txCopy, 2);
        assertSameDatoms(idx, rebased, "seed " + seed + " round " + round);
      }
      assertSameDatoms(idx.merged(), rebased.merged(), "seed " + seed + " merged");
    }
  }

  @Test
  void rebaseRefusesIndexesMergedOrChangedOtherwise() {
    Random r = new Random(7);
    Map<List<Object>, Datom> current = new LinkedHashMap<>();
    long[] tx = {1000};
    Indexes snapshot = apply(Indexes.empty(), r, current, tx, 3);
    Indexes merged = snapshot.merged();
    Indexes later = apply(snapshot, r, current, tx, 2);
    assertNull(later.merged().rebase(snapshot, merged), "trees other than the snapshot's");
    // A history entry of the snapshot gone (as an excision removes it) is refused.
    Datom retraction = null;
    for (Datom d : snapshot.get(IndexOrder.EAVT).novHistory.toList()) {
      retraction = d;
    }
    if (retraction != null) {
      Indexes excised = later.without(List.of(retraction), KINDS);
      assertNull(excised.rebase(snapshot, merged));
    }
  }

  /** {@code txs} random transactions: new datoms, retractions of current ones, re-assertions. */
  private static Indexes apply(Indexes idx, Random r, Map<List<Object>, Datom> current, long[] tx, int txs) {
    for (int t = 0; t < txs; t++) {
      long id = ++tx[0];
      Map<List<Object>, Datom> batch = new LinkedHashMap<>();
      int n = 1 + r.nextInt(120);
      for (int i = 0; i < n; i++) {
        if (!current.isEmpty() && r.nextInt(3) == 0) {
          List<List<Object>> keys = new ArrayList<>(current.keySet());
          List<Object> k = keys.get(r.nextInt(keys.size()));
          if (!batch.containsKey(k)) {
            Datom d = current.get(k);
            batch.put(k, new Datom(d.e(), d.a(), d.v(), id, false));
          }
        } else {
          long e = r.nextInt(60);
          long a = 10 + r.nextInt(4);
          Object v = a == 13 ? (Object) (long) r.nextInt(60) : (Object) (long) r.nextInt(8);
          List<Object> k = List.of(e, a, v);
          if (!current.containsKey(k) && !batch.containsKey(k)) {
            batch.put(k, new Datom(e, a, v, id, true));
          }
        }
      }
      record(batch, current);
      idx = idx.apply(new ArrayList<>(batch.values()), KINDS);
    }
    return idx;
  }

  /** Applies a transaction's datoms, by e-a-v key, to the model of what is current. */
  static void record(Map<List<Object>, Datom> batch, Map<List<Object>, Datom> current) {
    for (Map.Entry<List<Object>, Datom> en : batch.entrySet()) {
      if (en.getValue().added()) {
        current.put(en.getKey(), en.getValue());
      } else {
        current.remove(en.getKey());
      }
    }
  }

  static void assertSameDatoms(Indexes want, Indexes got, String what) {
    Datom lo = new Datom(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN, Long.MIN_VALUE, false);
    Datom hi = new Datom(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX, Long.MAX_VALUE, true);
    for (IndexOrder order : IndexOrder.values()) {
      SortedIndex w = want.get(order);
      SortedIndex g = got.get(order);
      assertEquals(IndexStructuresTest.drain(w.current(lo, hi)), IndexStructuresTest.drain(g.current(lo, hi)),
          what + " current " + order);
      assertEquals(IndexStructuresTest.drain(w.history(lo, hi)), IndexStructuresTest.drain(g.history(lo, hi)),
          what + " history " + order);
    }
  }
}
