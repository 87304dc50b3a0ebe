package io.accrete.storage;

import io.accrete.Datom;
import io.accrete.index.IndexOrder;
import io.accrete.index.IndexTree;
import io.accrete.index.Indexes;
import io.accrete.index.Node;
import io.accrete.index.NodeRef;
import io.accrete.index.SortedIndex;

/**
 * The mutable root of a database in storage: which index trees are current (their root
 * segments, with what a reference needs to route without loading them), the {@code t} they
 * cover, and the counters at that point. Replaced by compare-and-set after each indexing job.
 */
public record DbRoot(String dbId, long indexBasisT, long nextT, long lastTxInstant, Tree[] trees,
    java.util.Map<Long, String> fulltext) {
  // fulltext: the segment of each :db/fulltext attribute's stored index, by attribute id.
  /** One tree's root: null key for an empty tree. */
  public record Tree(String key, long count, int height, Datom firstKey) {}

  /** The trees in root order: current then history, for EAVT, AEVT, AVET, VAET. */
  public static DbRoot of(String dbId, long indexBasisT, long nextT, long lastTxInstant, Indexes idx) {
    Tree[] trees = new Tree[8];
    int k = 0;
    for (IndexOrder o : IndexOrder.values()) {
      SortedIndex s = idx.get(o);
      trees[k++] = tree(s.baseCurrent());
      trees[k++] = tree(s.baseHistory());
    }
    java.util.Map<Long, String> fulltext = new java.util.TreeMap<>();
    idx.fulltext().forEach((attr, seg) -> fulltext.put(attr, seg.key()));
    return new DbRoot(dbId, indexBasisT, nextT, lastTxInstant, trees, fulltext);
  }

  /** Every segment key the root names directly: the trees' roots and the full-text indexes. */
  public java.util.List<String> keys() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Tree t : trees) {
      if (t.key() != null) {
        out.add(t.key());
      }
    }
    out.addAll(fulltext.values());
    return out;
  }

  private static Tree tree(IndexTree t) {
    Node r = t.root();
    if (r == null) {
      return new Tree(null, 0, -1, null);
    }
    if (r.storageKey() == null) {
      throw new IllegalStateException("tree root was not stored");
    }
    return new Tree(r.storageKey(), r.count(), r.height(), r.firstKey());
  }

  /** The indexes these trees make, loading through {@code store}. */
  public Indexes indexes(TreeStore store) {
    SortedIndex[] s = new SortedIndex[4];
    int k = 0;
    for (IndexOrder o : IndexOrder.values()) {
      IndexTree cur = load(o, false, trees[k++], store);
      IndexTree hist = load(o, true, trees[k++], store);
      s[o.ordinal()] = SortedIndex.of(o, cur, hist);
    }
    java.util.Map<Long, io.accrete.index.FulltextSegment> ft = new java.util.HashMap<>();
    fulltext.forEach((attr, key) -> ft.put(attr, store.fulltext(key)));
    return Indexes.of(s[0], s[1], s[2], s[3]).withFulltext(ft);
  }

  private static IndexTree load(IndexOrder o, boolean full, Tree t, TreeStore store) {
    if (t.key() == null) {
      return IndexTree.empty(o, full);
    }
    return IndexTree.of(o, full, new NodeRef(t.key(), t.count(), t.firstKey(), t.height(), store));
  }

  /** The root as a blob. */
  public byte[] encode() {
    Out o = new Out(512);
    o.string(dbId);
    o.varint(indexBasisT);
    o.varint(nextT);
    o.zigzag(lastTxInstant);
    for (Tree t : trees) {
      if (t.key() == null) {
        o.u8(0);
        continue;
      }
      o.u8(1);
      o.string(t.key());
      o.varint(t.count());
      o.varint(t.height());
      SegmentCodec.writeDatom(o, t.firstKey());
    }
    // Added after format 1's first roots; a root without it ends here and has no full-text.
    o.varint(fulltext.size());
    for (java.util.Map.Entry<Long, String> e : fulltext.entrySet()) {
      o.varint(e.getKey());
      o.string(e.getValue());
    }
    return Blobs.wrap(Blobs.ROOT, o.array(), o.size(), false);
  }

  /** Reads a root blob. */
  public static DbRoot decode(byte[] blob, String where) {
    byte[] p = Blobs.unwrap(Blobs.ROOT, blob, "root", where);
    try {
      In in = new In(p, 0, p.length);
      String id = in.string();
      long basis = in.varint();
      long next = in.varint();
      long instant = in.zigzag();
      Tree[] trees = new Tree[8];
      for (int i = 0; i < 8; i++) {
        if (in.u8() == 0) {
          trees[i] = new Tree(null, 0, -1, null);
        } else {
          String key = in.string();
          long count = in.varint();
          int height = (int) in.varint();
          trees[i] = new Tree(key, count, height, SegmentCodec.readDatom(in));
        }
      }
      java.util.Map<Long, String> fulltext = new java.util.TreeMap<>();
      if (!in.atEnd()) {
        long n = in.varint();
        for (long i = 0; i < n; i++) {
          long attr = in.varint();
          fulltext.put(attr, in.string());
        }
      }
      return new DbRoot(id, basis, next, instant, trees, java.util.Collections.unmodifiableMap(fulltext));
    } catch (RuntimeException e) {
      throw SegmentCodec.corrupt("root", where, e);
    }
  }
}
