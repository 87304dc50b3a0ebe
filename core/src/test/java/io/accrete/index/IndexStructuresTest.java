package io.accrete.index;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Datom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The persistent structures against {@code java.util.TreeMap} as a reference: random inserts,
 * replacements and removals, then seeks, ranges and counts in every order.
 */
class IndexStructuresTest {
  private static Datom random(Random r, boolean full) {
    return random(r, full, true);
  }

  /**
   * A random datom; VAET holds references only, so its values are longs. Strings and keywords
   * share long prefixes so that sets must look past their key prefixes ({@link Values#prefix}).
   */
  private static Datom random(Random r, boolean full, boolean strings) {
    long e = r.nextInt(400);
    long a = 10 + r.nextInt(6);
    Object v = !strings || r.nextBoolean() ? (Object) (long) r.nextInt(50) : switch (r.nextInt(3)) {
      case 0 -> "s" + r.nextInt(50);
      case 1 -> "same-prefix-" + r.nextInt(50);
      default -> io.accrete.Keyword.intern(":p/k" + r.nextInt(50));
    };
    return new Datom(e, a, v, 1000 + r.nextInt(30), !full || r.nextBoolean());
  }

  private static Comparator<Datom> cmp(IndexOrder o, boolean full) {
    return (x, y) -> o.compare(x, y, full);
  }

  @Test
  void datomSetMatchesTreeMapUnderRandomEdits() {
    for (IndexOrder order : IndexOrder.values()) {
      for (boolean full : new boolean[] {false, true}) {
        Random r = new Random(order.ordinal() * 7 + (full ? 1 : 0));
        TreeMap<Datom, Datom> ref = new TreeMap<>(cmp(order, full));
        DatomSet set = DatomSet.empty(order, full);
        List<DatomSet> versions = new ArrayList<>();
        List<List<Datom>> snapshots = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
          DatomSet.Transient t = set.asTransient();
          for (int i = 0; i < 150; i++) {
            Datom d = randomEdit(t, ref, r, order, full, r.nextInt(4) == 0);
            assertEquals(ref.get(d), t.find(d));
          }
          set = t.persistent();
          versions.add(set);
          snapshots.add(new ArrayList<>(ref.values()));
          assertEquals(ref.size(), set.size());
        }
        checkVersionsAndRanges(order, full, versions, snapshots, set, ref, r);
      }
    }
  }

  /** Every old version still reads as it was (structural sharing never mutates); the last one's ranges and counts. */
  private static void checkVersionsAndRanges(IndexOrder order, boolean full, List<DatomSet> versions,
      List<List<Datom>> snapshots, DatomSet last, TreeMap<Datom, Datom> ref, Random r) {
    for (int i = 0; i < versions.size(); i++) {
      assertEquals(snapshots.get(i), versions.get(i).toList(), order + " version " + i);
    }
    checkRanges(order, full, ref, last::cursor, last::count, r, order != IndexOrder.VAET);
  }

  /** A random add or removal, on the transient and the reference both. */
  private static Datom randomEdit(DatomSet.Transient t, TreeMap<Datom, Datom> ref, Random r, IndexOrder order,
      boolean full, boolean remove) {
    Datom d = random(r, full, order != IndexOrder.VAET);
    if (remove) {
      t.remove(d);
      ref.remove(d);
    } else {
      t.add(d);
      ref.put(d, d);
    }
    return d;
  }

  /**
   * Sorted runs added whole ({@code addSorted}: leaves merged, nodes rebuilt and split) mixed
   * with single adds and removals, against a TreeMap; runs appended past the end, runs spread
   * through the set, runs into an empty set; old versions unchanged.
   */
  @Test
  void datomSetSortedRunsMatchTreeMap() {
    for (IndexOrder order : IndexOrder.values()) {
      for (boolean full : new boolean[] {false, true}) {
        Random r = new Random(50 + order.ordinal() * 7 + (full ? 1 : 0));
        TreeMap<Datom, Datom> ref = new TreeMap<>(cmp(order, full));
        DatomSet set = DatomSet.empty(order, full);
        List<DatomSet> versions = new ArrayList<>();
        List<List<Datom>> snapshots = new ArrayList<>();
        long nextE = 400;
        for (int round = 0; round < 80; round++) {
          if (round % 20 == 0) {
            set = DatomSet.empty(order, full);
            ref.clear();
          }
          DatomSet.Transient t = set.asTransient();
          for (int step = 0; step < 4; step++) {
            int kind = r.nextInt(3);
            if (kind == 0) {
              for (int i = 0; i < 20; i++) {
                randomEdit(t, ref, r, order, full, r.nextBoolean());
              }
              continue;
            }
            TreeMap<Datom, Datom> run = new TreeMap<>(cmp(order, full));
            int n = r.nextInt(r.nextBoolean() ? 40 : 700);
            for (int i = 0; i < n; i++) {
              Datom d = random(r, full, order != IndexOrder.VAET);
              if (kind == 2) { // past every entity so far: appends in EAVT and AEVT
                d = new Datom(nextE + i / 6, d.a(), d.v(), d.tx(), d.added());
              }
              run.put(d, d);
            }
            nextE += n / 6 + 1;
            Datom[] ds = run.values().toArray(new Datom[0]);
            long[] pv = new long[ds.length];
            boolean[] exact = new boolean[ds.length];
            for (int i = 0; i < ds.length; i++) {
              pv[i] = Values.prefix(ds[i].v());
              exact[i] = Values.prefixIsExact(ds[i].v());
            }
            t.addSorted(ds, pv, exact, ds.length);
            for (Datom d : ds) {
              ref.put(d, d);
              assertSame(d, t.find(d));
            }
          }
          set = t.persistent();
          versions.add(set);
          snapshots.add(new ArrayList<>(ref.values()));
          assertEquals(ref.size(), set.size());
        }
        checkVersionsAndRanges(order, full, versions, snapshots, set, ref, r);
      }
    }
  }

  @Test
  void indexTreeMergeMatchesTreeMap() {
    for (IndexOrder order : IndexOrder.values()) {
      for (boolean full : new boolean[] {false, true}) {
        Random r = new Random(100 + order.ordinal() * 7 + (full ? 1 : 0));
        TreeMap<Datom, Datom> ref = new TreeMap<>(cmp(order, full));
        IndexTree tree = IndexTree.empty(order, full);
        List<IndexTree> versions = new ArrayList<>();
        List<List<Datom>> snapshots = new ArrayList<>();
        for (int round = 0; round < 25; round++) {
          TreeMap<Datom, Datom> batch = new TreeMap<>(cmp(order, full));
          int n = r.nextInt(3000);
          for (int i = 0; i < n; i++) {
            Datom d = random(r, false);
            if (full) {
              d = new Datom(d.e(), d.a(), d.v(), d.tx(), r.nextBoolean());
            } else if (ref.containsKey(d) && r.nextInt(3) == 0) {
              d = new Datom(d.e(), d.a(), d.v(), d.tx(), false); // a removal
            }
            batch.put(d, d);
          }
          for (Datom d : batch.values()) {
            if (!full && !d.added()) {
              ref.remove(d);
            } else {
              ref.put(d, d);
            }
          }
          tree = tree.merge(new ArrayList<>(batch.values()));
          versions.add(tree);
          snapshots.add(new ArrayList<>(ref.values()));
          assertEquals(ref.size(), tree.count());
          for (Datom d : batch.values()) {
            assertEquals(ref.get(d), tree.find(d));
          }
        }
        for (int i = 0; i < versions.size(); i++) {
          assertEquals(snapshots.get(i), drain(versions.get(i).cursor(min(), max())), order + " v" + i);
        }
        IndexTree t = tree;
        checkRanges(order, full, ref, t::cursor, t::count, r, true);
      }
    }
  }

  @Test
  void indexTreeShrinksWhenEverythingIsRemoved() {
    IndexTree tree = IndexTree.empty(IndexOrder.EAVT, false);
    List<Datom> all = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      all.add(new Datom(i, 10, (long) i, 1000, true));
    }
    tree = tree.merge(all);
    assertEquals(20_000, tree.count());
    assertTrue(tree.height() >= 1);
    List<Datom> removals = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      if (i != 777) {
        removals.add(new Datom(i, 10, (long) i, 1000, false));
      }
    }
    tree = tree.merge(removals);
    assertEquals(1, tree.count());
    assertEquals(0, tree.height());
    assertEquals(List.of(new Datom(777, 10, 777L, 1000, true)), drain(tree.cursor(min(), max())));
  }

  /**
   * A reader answers ranges asked one after another as fresh cursors do: ascending starts (with
   * repeats, as rows of one entity repeat), ranges read only in part, and starts in any order.
   */
  @Test
  void rangeReaderMatchesFreshCursors() {
    for (IndexOrder order : IndexOrder.values()) {
      for (boolean full : new boolean[] {false, true}) {
        Random r = new Random(300 + order.ordinal() * 7 + (full ? 1 : 0));
        TreeMap<Datom, Datom> ref = new TreeMap<>(cmp(order, full));
        for (int i = 0; i < 12_000; i++) {
          Datom d = random(r, full, order != IndexOrder.VAET);
          ref.put(d, d);
        }
        IndexTree tree = IndexTree.empty(order, full).merge(new ArrayList<>(ref.values()));
        assertTrue(tree.height() >= 1, "several leaves");
        for (boolean ascending : new boolean[] {true, false}) {
          List<Datom> starts = new ArrayList<>();
          for (int i = 0; i < 2_000; i++) {
            Datom d = random(r, full, order != IndexOrder.VAET);
            starts.add(d);
            if (r.nextInt(5) == 0) {
              starts.add(d); // the same range again
            }
          }
          if (ascending) {
            starts.sort(cmp(order, full));
          }
          RangeReader reader = tree.reader();
          for (Datom lo : starts) {
            // Short ranges (one key, as a lookup reads) and long ones crossing leaves.
            Datom hi = r.nextInt(4) == 0 ? max()
                : new Datom(lo.e(), lo.a(), lo.v(), Long.MAX_VALUE, true);
            if (r.nextInt(3) == 0) {
              lo = new Datom(lo.e(), lo.a(), lo.v(), Long.MIN_VALUE, false);
            }
            List<Datom> expected = new ArrayList<>(ref.subMap(lo, true, hi, true).values());
            int take = r.nextInt(3) == 0 ? r.nextInt(3) : Integer.MAX_VALUE;
            List<Datom> got = new ArrayList<>();
            DatomCursor c = reader.range(lo, hi);
            while (got.size() < take && c.next()) {
              got.add(c.datom());
            }
            Datom from = lo;
            Datom to = hi;
            assertEquals(expected.subList(0, Math.min(take, expected.size())), got,
                () -> order + (full ? " full " : " ") + show(from) + " .. " + show(to));
          }
        }
      }
    }
  }

  /** The current reader of an index with novelty merges each range with the novelty's entries. */
  @Test
  void currentReaderMergesNovelty() {
    IndexOrder order = IndexOrder.AEVT;
    TreeMap<Datom, Datom> ref = new TreeMap<>(cmp(order, false));
    List<Datom> base = new ArrayList<>();
    for (int e = 0; e < 5_000; e++) {
      base.add(new Datom(e, 10, (long) e, 1000, true));
    }
    base.sort(cmp(order, false));
    IndexTree tree = IndexTree.empty(order, false).merge(base);
    base.forEach(d -> ref.put(d, d));
    DatomSet.Transient nov = DatomSet.empty(order, false).asTransient();
    for (int e = 0; e < 5_000; e += 7) {
      Datom retraction = new Datom(e, 10, (long) e, 1001, false);
      nov.add(retraction); // a tombstone hides the tree's datom
      ref.remove(retraction);
      Datom added = new Datom(e + 1, 10, (long) -e, 1001, true);
      nov.add(added);
      ref.put(added, added);
    }
    SortedIndex idx = new SortedIndex(order, tree, IndexTree.empty(order, true), nov.persistent(),
        DatomSet.empty(order, true));
    RangeReader reader = idx.currentReader();
    for (int e = 0; e < 5_000; e += 3) {
      Datom lo = new Datom(e, 10, Values.MIN, Long.MIN_VALUE, false);
      Datom hi = new Datom(e, 10, Values.MAX, Long.MAX_VALUE, true);
      assertEquals(new ArrayList<>(ref.subMap(lo, true, hi, true).values()), drain(reader.range(lo, hi)), "e " + e);
    }
  }

  private interface Range {
    DatomCursor open(Datom lo, Datom hi);
  }

  private interface Count {
    long count(Datom lo, Datom hi);
  }

  private static void checkRanges(IndexOrder order, boolean full, TreeMap<Datom, Datom> ref, Range range,
      Count count, Random r, boolean strings) {
    assertEquals(new ArrayList<>(ref.values()), drain(range.open(min(), max())));
    for (int i = 0; i < 300; i++) {
      Datom x = random(r, full, strings);
      Datom y = random(r, full, strings);
      Datom lo = order.compare(x, y, full) <= 0 ? x : y;
      Datom hi = lo == x ? y : x;
      List<Datom> expected = new ArrayList<>(ref.subMap(lo, true, hi, true).values());
      assertEquals(expected, drain(range.open(lo, hi)), order + " " + lo + " .. " + hi);
      assertEquals(expected.size(), count.count(lo, hi));
    }
  }

  private static String show(Datom d) {
    return "[" + d.e() + " " + d.a() + " " + d.v() + " " + d.tx() + " " + d.added() + "]";
  }

  private static Datom min() {
    return new Datom(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN, Long.MIN_VALUE, false);
  }

  private static Datom max() {
    return new Datom(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX, Long.MAX_VALUE, true);
  }

  static List<Datom> drain(DatomCursor c) {
    List<Datom> out = new ArrayList<>();
    while (c.next()) {
      out.add(c.datom());
    }
    return out;
  }
}
