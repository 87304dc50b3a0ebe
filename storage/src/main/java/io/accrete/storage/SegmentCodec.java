package io.accrete.storage;

import io.accrete.Datom;
import io.accrete.index.Branch;
import io.accrete.index.Leaf;
import io.accrete.index.Node;
import io.accrete.index.NodeLoader;
import io.accrete.index.NodeRef;
import io.accrete.index.Values;

/**
 * Index tree nodes as segments. A leaf is stored column by column: entity, attribute and
 * transaction as zigzag deltas of their predecessors (sorted columns make most deltas one
 * byte), added flags as a bitset, values with a repeat marker for runs of equal values (AVET
 * and AEVT have long runs); the whole is LZ4 compressed in {@link Blobs}. A branch stores, per
 * child, its segment key, datom count and first datom.
 */
final class SegmentCodec {
  private SegmentCodec() {}

  static byte[] encodeLeaf(Leaf leaf) {
    int n = leaf.size();
    Out o = new Out(n * 12 + 16);
    o.varint(n);
    long prev = 0;
    for (int i = 0; i < n; i++) {
      o.zigzag(leaf.e(i) - prev);
      prev = leaf.e(i);
    }
    prev = 0;
    for (int i = 0; i < n; i++) {
      o.zigzag(leaf.a(i) - prev);
      prev = leaf.a(i);
    }
    prev = 0;
    for (int i = 0; i < n; i++) {
      o.zigzag(leaf.tx(i) - prev);
      prev = leaf.tx(i);
    }
    o.u8(leaf.hasRetractions() ? 1 : 0);
    if (leaf.hasRetractions()) {
      for (int i = 0; i < n; i += 8) {
        int bits = 0;
        for (int k = 0; k < 8 && i + k < n; k++) {
          bits |= (leaf.added(i + k) ? 1 : 0) << k;
        }
        o.u8(bits);
      }
    }
    Object pv = null;
    for (int i = 0; i < n; i++) {
      Object v = leaf.v(i);
      if (i > 0 && Values.equal(v, pv) && v != null && v.getClass() == pv.getClass()) {
        o.u8(ValueCodec.SAME);
      } else {
        ValueCodec.write(o, v);
      }
      pv = v;
    }
    return Blobs.wrap(Blobs.LEAF, o.array(), o.size(), true);
  }

  /**
   * Decodes a segment fully (its checksum, then every datom of a leaf or every child of a
   * branch), for verification; a missing or damaged one fails with an error naming it.
   */
  static void check(byte[] blob, String key, String where) {
    if (blob == null) {
      throw new StorageException("missing-segment", "Segment " + key + " is missing from " + where);
    }
    if (blob.length > 3 && blob[3] == Blobs.FULLTEXT) {
      Blobs.unwrap(Blobs.FULLTEXT, blob, key, where);
    } else if (blob.length > 3 && blob[3] == Blobs.BRANCH) {
      decodeBranch(blob, key, where, k -> {
        throw new IllegalStateException("not loading " + k);
      });
    } else {
      decodeLeaf(blob, key, where);
    }
  }

  /**
   * A stored full-text index ({@link io.accrete.db.Fulltext#write}) of attribute {@code attr} as
   * a segment blob: the attribute's id (8 bytes), then the index.
   */
  static byte[] encodeFulltext(long attr, byte[] index) {
    byte[] p = java.nio.ByteBuffer.allocate(8 + index.length).putLong(attr).put(index).array();
    return Blobs.wrap(Blobs.FULLTEXT, p, p.length, true);
  }

  /** The attribute id a full-text segment indexes. */
  static long fulltextAttribute(byte[] blob, String key, String where) {
    return java.nio.ByteBuffer.wrap(Blobs.unwrap(Blobs.FULLTEXT, blob, key, where)).getLong();
  }

  /** The index a full-text segment holds. */
  static byte[] decodeFulltext(byte[] blob, String key, String where) {
    byte[] p = Blobs.unwrap(Blobs.FULLTEXT, blob, key, where);
    return java.util.Arrays.copyOfRange(p, 8, p.length);
  }

  static boolean isFulltext(byte[] blob) {
    return blob.length > 3 && blob[3] == Blobs.FULLTEXT;
  }

  static Leaf decodeLeaf(byte[] blob, String key, String where) {
    byte[] p = Blobs.unwrap(Blobs.LEAF, blob, key, where);
    try {
      In in = new In(p, 0, p.length);
      int n = (int) in.varint();
      long[] e = new long[n];
      long[] a = new long[n];
      long[] tx = new long[n];
      Object[] v = new Object[n];
      long prev = 0;
      for (int i = 0; i < n; i++) {
        prev += in.zigzag();
        e[i] = prev;
      }
      prev = 0;
      for (int i = 0; i < n; i++) {
        prev += in.zigzag();
        a[i] = prev;
      }
      prev = 0;
      for (int i = 0; i < n; i++) {
        prev += in.zigzag();
        tx[i] = prev;
      }
      boolean[] added = null;
      if (in.u8() == 1) {
        added = new boolean[n];
        for (int i = 0; i < n; i += 8) {
          int bits = in.u8();
          for (int k = 0; k < 8 && i + k < n; k++) {
            added[i + k] = (bits & (1 << k)) != 0;
          }
        }
      }
      for (int i = 0; i < n; i++) {
        int tag = in.u8();
        v[i] = tag == ValueCodec.SAME ? v[i - 1] : ValueCodec.read(in, tag);
      }
      return Leaf.of(e, a, v, tx, added);
    } catch (RuntimeException ex) {
      throw corrupt(key, where, ex);
    }
  }

  static byte[] encodeBranch(Branch b) {
    Out o = new Out(b.size() * 48 + 16);
    o.varint(b.height());
    o.varint(b.size());
    for (int i = 0; i < b.size(); i++) {
      Node c = b.childRef(i);
      if (c.storageKey() == null) {
        throw new IllegalStateException("child " + i + " of a branch was not stored before it");
      }
      o.string(c.storageKey());
      o.varint(b.count(i));
      writeDatom(o, b.firstKey(i));
    }
    return Blobs.wrap(Blobs.BRANCH, o.array(), o.size(), true);
  }

  static Branch decodeBranch(byte[] blob, String key, String where, NodeLoader loader) {
    byte[] p = Blobs.unwrap(Blobs.BRANCH, blob, key, where);
    try {
      In in = new In(p, 0, p.length);
      int height = (int) in.varint();
      int n = (int) in.varint();
      Node[] children = new Node[n];
      for (int i = 0; i < n; i++) {
        String ck = in.string();
        long count = in.varint();
        Datom first = readDatom(in);
        children[i] = new NodeRef(ck, count, first, height - 1, loader);
      }
      return Branch.of(children);
    } catch (RuntimeException ex) {
      throw corrupt(key, where, ex);
    }
  }

  static void writeDatom(Out o, Datom d) {
    o.zigzag(d.e());
    o.zigzag(d.a());
    ValueCodec.write(o, d.v());
    o.zigzag(d.tx());
    o.u8(d.added() ? 1 : 0);
  }

  static Datom readDatom(In in) {
    long e = in.zigzag();
    long a = in.zigzag();
    Object v = ValueCodec.read(in);
    long tx = in.zigzag();
    return new Datom(e, a, v, tx, in.u8() == 1);
  }

  static StorageException corrupt(String key, String where, RuntimeException ex) {
    if (ex instanceof StorageException se) {
      return se;
    }
    return new StorageException("corrupt-blob", "Blob " + key + " in " + where
        + " passed its checksum but cannot be decoded (" + ex + "); restore from a backup", ex);
  }
}
