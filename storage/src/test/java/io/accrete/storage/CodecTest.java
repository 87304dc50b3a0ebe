package io.accrete.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.index.Branch;
import io.accrete.index.IndexOrder;
import io.accrete.index.IndexTree;
import io.accrete.index.Leaf;
import io.accrete.index.Node;
import io.accrete.index.Values;
import io.accrete.schema.Ids;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Segments, log batches and roots survive a round trip; damage is detected and named. */
class CodecTest {
  static final List<Object> VALUES = Arrays.asList(1L, -5L, Long.MAX_VALUE, 2.5, Double.NaN, 1.5f, "text",
      "", "ünïcødé ✓", Keyword.intern(":a/b"), Keyword.intern(":plain"), Symbol.intern("x/y"), true, false,
      new Date(-86400000L), UUID.randomUUID(), new BigInteger("123456789012345678901234567890"),
      new BigDecimal("-1.2300"), URI.create("http://x/y?z"), new byte[] {1, 2, (byte) 255},
      Arrays.asList("a", null, 3L));

  static List<Datom> randomDatoms(Random r, int n, boolean retractions) {
    List<Datom> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object v = VALUES.get(r.nextInt(VALUES.size()));
      out.add(new Datom(Ids.eid(4, 1000 + r.nextInt(5000)), 10 + r.nextInt(40), v,
          Ids.toTx(1000 + r.nextInt(300)), !retractions || r.nextBoolean()));
    }
    return out;
  }

  static void assertSameDatoms(List<Datom> expected, Leaf leaf) {
    assertEquals(expected.size(), leaf.size());
    for (int i = 0; i < leaf.size(); i++) {
      Datom d = expected.get(i);
      assertEquals(d.e(), leaf.e(i));
      assertEquals(d.a(), leaf.a(i));
      assertTrue(Values.equal(d.v(), leaf.v(i)), d.v() + " vs " + leaf.v(i));
      assertEquals(d.tx(), leaf.tx(i));
      assertEquals(d.added(), leaf.added(i));
    }
  }

  @Test
  void leavesRoundTripEveryValueType() {
    Random r = new Random(3);
    for (boolean full : new boolean[] {false, true}) {
      for (IndexOrder order : IndexOrder.values()) {
        List<Datom> ds = randomDatoms(r, 3000, full);
        ds.sort((x, y) -> order.compare(x, y, full));
        IndexTree t = IndexTree.empty(order, full).merge(dedupe(ds, order, full));
        collectLeaves(t.root(), leaf -> {
          Leaf back = SegmentCodec.decodeLeaf(SegmentCodec.encodeLeaf(leaf), "k", "test");
          List<Datom> want = new ArrayList<>();
          for (int i = 0; i < leaf.size(); i++) {
            want.add(new Datom(leaf.e(i), leaf.a(i), leaf.v(i), leaf.tx(i), leaf.added(i)));
          }
          assertSameDatoms(want, back);
        });
      }
    }
  }

  private static List<Datom> dedupe(List<Datom> sorted, IndexOrder o, boolean full) {
    List<Datom> out = new ArrayList<>();
    for (Datom d : sorted) {
      if (out.isEmpty() || o.compare(out.get(out.size() - 1), d, full) != 0) {
        out.add(full ? d : new Datom(d.e(), d.a(), d.v(), d.tx(), true));
      }
    }
    return out;
  }

  interface LeafCheck {
    void check(Leaf l);
  }

  private static void collectLeaves(Node n, LeafCheck c) {
    if (n instanceof Leaf l) {
      c.check(l);
    } else if (n instanceof Branch b) {
      for (int i = 0; i < b.size(); i++) {
        collectLeaves(b.child(i), c);
      }
    }
  }

  @Test
  void treesPersistAndLoadLazily() {
    MemStorage storage = new MemStorage("t");
    TreeStore store = new TreeStore(storage, 1 << 20, 10_000);
    Random r = new Random(5);
    List<Datom> ds = dedupe(sorted(randomDatoms(r, 20_000, false)), IndexOrder.EAVT, false);
    IndexTree tree = IndexTree.empty(IndexOrder.EAVT, false).merge(ds);
    Map<String, byte[]> pending = new LinkedHashMap<>();
    IndexTree light = store.persist(tree, pending);
    storage.putAll(pending);
    assertTrue(pending.size() > 5, "leaves and branches written");
    // Persisting again writes nothing new.
    Map<String, byte[]> again = new LinkedHashMap<>();
    store.persist(light, again);
    assertTrue(again.isEmpty(), "already stored: " + again.keySet());
    // A cold store reads the same datoms through references.
    assertReadsCold(storage, light, ds, 97);
  }

  /** A cold store over {@code storage} reads every {@code step}th datom of {@code ds} through the light tree's root. */
  private static void assertReadsCold(MemStorage storage, IndexTree light, List<Datom> ds, int step) {
    TreeStore cold = new TreeStore(storage, 1 << 20, 10_000);
    Node root = light.root();
    IndexTree reloaded = IndexTree.of(IndexOrder.EAVT, false,
        new io.accrete.index.NodeRef(root.storageKey(), root.count(), root.firstKey(), root.height(), cold));
    assertEquals(ds.size(), reloaded.count());
    for (int i = 0; i < ds.size(); i += step) {
      assertEquals(ds.get(i), reloaded.find(ds.get(i)));
    }
  }

  /**
   * A write of a tree's segments that fails (storage away) leaves no node thinking it is stored:
   * persisting the same tree again writes every segment, and a cold store reads it whole. (The
   * nodes kept their keys before, so the next root named segments that never reached storage.)
   */
  @Test
  void aFailedWriteIsWrittenAgain() {
    MemStorage storage = new MemStorage("t");
    TreeStore store = new TreeStore(storage, 1 << 20, 10_000);
    List<Datom> ds = dedupe(sorted(randomDatoms(new Random(6), 5_000, false)), IndexOrder.EAVT, false);
    IndexTree tree = IndexTree.empty(IndexOrder.EAVT, false).merge(ds);
    Map<String, byte[]> failed = new LinkedHashMap<>();
    store.persist(tree, failed);
    store.notWritten(failed.keySet()); // storage.putAll threw: nothing was written
    Map<String, byte[]> retried = new LinkedHashMap<>();
    IndexTree light = store.persist(tree, retried);
    assertEquals(failed.size(), retried.size(), "every segment is written again");
    assertTrue(java.util.Collections.disjoint(failed.keySet(), retried.keySet()), "under new keys");
    storage.putAll(retried);
    store.written(retried.keySet());
    assertReadsCold(storage, light, ds, 31);
  }

  private static List<Datom> sorted(List<Datom> ds) {
    ds.sort(IndexOrder.EAVT::compareKey);
    return ds;
  }

  @Test
  void logBatchesRoundTrip() {
    Random r = new Random(9);
    List<LogCodec.Entry> batch = new ArrayList<>();
    for (long t = 1000; t < 1010; t++) {
      List<Datom> ds = new ArrayList<>();
      for (Datom d : randomDatoms(r, 50, true)) {
        ds.add(new Datom(d.e(), d.a(), d.v(), Ids.toTx(t), d.added()));
      }
      batch.add(new LogCodec.Entry(t, t + 7, ds));
    }
    List<LogCodec.Entry> back = LogCodec.decode(LogCodec.encode(batch), "log/x", "test");
    assertEquals(batch.size(), back.size());
    for (int i = 0; i < batch.size(); i++) {
      assertEquals(batch.get(i).t(), back.get(i).t());
      assertEquals(batch.get(i).nextT(), back.get(i).nextT());
      List<Datom> a = batch.get(i).datoms();
      List<Datom> b = back.get(i).datoms();
      assertEquals(a.size(), b.size());
      for (int k = 0; k < a.size(); k++) {
        assertEquals(a.get(k), b.get(k));
      }
    }
    assertEquals("log/00000000000000001009", LogCodec.key(1009));
    assertEquals(1009, LogCodec.lastT(LogCodec.key(1009)));
  }

  @Test
  void damageIsDetectedAndNamed() {
    Random r = new Random(2);
    List<Datom> ds = dedupe(sorted(randomDatoms(r, 500, false)), IndexOrder.EAVT, false);
    Leaf leaf = (Leaf) IndexTree.empty(IndexOrder.EAVT, false).merge(ds).root();
    byte[] blob = SegmentCodec.encodeLeaf(leaf);
    for (int i = 14; i < blob.length; i += Math.max(1, blob.length / 20)) {
      byte[] bad = blob.clone();
      bad[i] ^= 0x40;
      StorageException e = assertThrows(StorageException.class, () -> SegmentCodec.decodeLeaf(bad, "seg/k", "test storage"));
      assertEquals(":storage/corrupt-blob", e.code().toString());
      assertTrue(e.getMessage().contains("seg/k") && e.getMessage().contains("test storage"), e.getMessage());
    }
    StorageException foreign = assertThrows(StorageException.class,
        () -> SegmentCodec.decodeLeaf("{\"json\": true}".getBytes(), "seg/j", "test"));
    assertEquals(":storage/foreign-blob", foreign.code().toString());
    StorageException kind = assertThrows(StorageException.class,
        () -> LogCodec.decode(blob, "log/k", "test"));
    assertEquals(":storage/corrupt-blob", kind.code().toString());
    StorageException truncated = assertThrows(StorageException.class,
        () -> SegmentCodec.decodeLeaf(Arrays.copyOf(blob, 8), "seg/t", "test"));
    assertFalse(truncated.getMessage().isBlank());
  }

  @Test
  void segmentsAreCompact() {
    // Sorted longs and repeated attributes: a few bytes per datom.
    List<Datom> ds = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ds.add(new Datom(Ids.eid(4, 1000 + i), 72, (long) (i % 100), Ids.toTx(1000 + i / 100), true));
    }
    Leaf leaf = (Leaf) IndexTree.empty(IndexOrder.EAVT, false).merge(ds).root();
    byte[] blob = SegmentCodec.encodeLeaf(leaf);
    assertTrue(blob.length < 2000 * 6, "bytes per datom: " + blob.length / 2000.0);
  }
}
