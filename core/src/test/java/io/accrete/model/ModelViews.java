package io.accrete.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The model's expected contents of every index, for a set of retained datoms: each index is
 * sorted once in full order (key, tx, added), and the views are linear passes over it, so they
 * come out in index order without sorting again. VAET holds ref attributes only.
 */
final class ModelViews {
  static final String[] INDEXES = {"eavt", "aevt", "avet", "vaet"};

  private final Map<String, List<MDatom>> full = new HashMap<>();
  private final Map<String, List<MDatom>> current = new HashMap<>();

  ModelViews(List<MDatom> retained, LongPredicate isRef) {
    for (String idx : INDEXES) {
      List<MDatom> l = new ArrayList<>();
      for (MDatom d : retained) {
        if (!idx.equals("vaet") || isRef.test(d.a())) {
          l.add(d);
        }
      }
      l.sort(MValues.order(idx, true));
      full.put(idx, l);
    }
  }

  /** Every retained datom, in full index order. */
  List<MDatom> history(String idx) {
    return full.get(idx);
  }

  /** The datoms true as of {@code tx}: per key, the last datom at or before it, if an assertion. */
  List<MDatom> asOf(String idx, long tx) {
    List<MDatom> out = new ArrayList<>();
    List<MDatom> l = full.get(idx);
    int i = 0;
    while (i < l.size()) {
      MDatom first = l.get(i);
      MDatom last = null;
      while (i < l.size() && sameKey(l.get(i), first)) {
        if (l.get(i).tx() <= tx) {
          last = l.get(i);
        }
        i++;
      }
      if (last != null && last.added()) {
        out.add(last);
      }
    }
    return out;
  }

  private static boolean sameKey(MDatom x, MDatom y) {
    return x.e() == y.e() && x.a() == y.a() && x.v().equals(y.v());
  }

  /** The current datoms (do not modify the list). */
  List<MDatom> current(String idx) {
    return current.computeIfAbsent(idx, i -> asOf(i, Long.MAX_VALUE));
  }

  static List<MDatom> filter(List<MDatom> ds, Predicate<MDatom> keep) {
    List<MDatom> out = new ArrayList<>();
    for (MDatom d : ds) {
      if (keep.test(d)) {
        out.add(d);
      }
    }
    return out;
  }

  static List<MDatom> txAtMost(List<MDatom> ds, long tx) {
    return filter(ds, d -> d.tx() <= tx);
  }

  static List<MDatom> txAfter(List<MDatom> ds, long tx) {
    return filter(ds, d -> d.tx() > tx);
  }
}
