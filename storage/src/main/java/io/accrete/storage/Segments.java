package io.accrete.storage;

import io.accrete.index.Branch;
import io.accrete.index.NodeLoader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/** Walks the segments a root refers to, for backup and garbage collection. */
public final class Segments {
  private Segments() {}

  /** Every segment key reachable from the root's trees (branches are read, leaves are not). */
  public static Set<String> reachable(Storage storage, DbRoot root) {
    return reachable(storage::get, storage.describe(), root, Set.of());
  }

  /**
   * The segment keys reachable from {@code root} that are not in {@code stop}; a subtree whose
   * root is in {@code stop} is skipped whole (segments are immutable, so a shared key means a
   * shared subtree). {@code read} gives a segment's bytes, e.g. through a cache.
   */
  public static Set<String> reachable(Function<String, byte[]> read, String where, DbRoot root, Set<String> stop) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> toVisit = new ArrayDeque<>();
    for (String key : root.keys()) {
      toVisit.push(key);
    }
    NodeLoader none = key -> {
      throw new IllegalStateException("not loading " + key);
    };
    while (!toVisit.isEmpty()) {
      String key = toVisit.pop();
      if (stop.contains(key) || !out.add(key)) {
        continue;
      }
      byte[] blob = read.apply(key);
      if (blob == null) {
        throw new StorageException("missing-segment", "Segment " + key + " is missing from " + where);
      }
      if (blob.length > 3 && blob[3] == Blobs.BRANCH) {
        Branch b = SegmentCodec.decodeBranch(blob, key, where, none);
        for (int i = 0; i < b.size(); i++) {
          toVisit.push(b.childRef(i).storageKey());
        }
      }
    }
    return out;
  }

  /**
   * Reads and decodes a segment whole (checksum, then every datom or child), for verification;
   * a missing or damaged one fails with an error naming it.
   */
  public static void check(Storage storage, String key) {
    SegmentCodec.check(storage.get(key), key, storage.describe());
  }

  /**
   * Every datom a segment holds, decoded: a leaf's datoms, the first datom of each child of a
   * branch (branches repeat their children's first keys), or the datoms a full-text index was
   * built from. For verification, e.g. that an
   * excision left no trace in storage.
   */
  public static java.util.List<io.accrete.Datom> datoms(Storage storage, String key) {
    byte[] blob = storage.get(key);
    SegmentCodec.check(blob, key, storage.describe());
    java.util.List<io.accrete.Datom> out = new java.util.ArrayList<>();
    if (SegmentCodec.isFulltext(blob)) {
      out.addAll(io.accrete.db.Fulltext.datoms(SegmentCodec.decodeFulltext(blob, key, storage.describe()),
          SegmentCodec.fulltextAttribute(blob, key, storage.describe())));
    } else if (blob.length > 3 && blob[3] == Blobs.BRANCH) {
      Branch b = SegmentCodec.decodeBranch(blob, key, storage.describe(), k -> {
        throw new IllegalStateException("not loading " + k);
      });
      for (int i = 0; i < b.size(); i++) {
        out.add(b.firstKey(i));
      }
    } else {
      io.accrete.index.Leaf leaf = SegmentCodec.decodeLeaf(blob, key, storage.describe());
      for (int i = 0; i < leaf.size(); i++) {
        out.add(new io.accrete.Datom(leaf.e(i), leaf.a(i), leaf.v(i), leaf.tx(i), leaf.added(i)));
      }
    }
    return out;
  }

  /** The segments {@code before} refers to and {@code after} does not: garbage once after is the root. */
  public static Set<String> retired(Function<String, byte[]> read, String where, DbRoot before, DbRoot after) {
    return reachable(read, where, before, reachable(read, where, after, Set.of()));
  }
}
