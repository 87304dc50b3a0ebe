package io.accrete.storage;

import io.accrete.index.Branch;
import io.accrete.index.NodeLoader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/** Walks the segments a root refers to, for backup and garbage collection. */
public final class Segments {
  private Segments() {}

  /** Every segment key reachable from the root's trees (branches are read, leaves are not). */
  public static Set<String> reachable(Storage storage, DbRoot root) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (DbRoot.Tree t : root.trees()) {
      if (t.key() != null) {
        todo.push(t.key());
      }
    }
    NodeLoader none = key -> {
      throw new IllegalStateException("not loading " + key);
    };
    while (!todo.isEmpty()) {
      String key = todo.pop();
      if (!out.add(key)) {
        continue;
      }
      byte[] blob = storage.get(key);
      if (blob == null) {
        throw new StorageException("missing-segment", "Segment " + key + " is missing from " + storage.describe());
      }
      if (blob.length > 3 && blob[3] == Blobs.BRANCH) {
        Branch b = SegmentCodec.decodeBranch(blob, key, storage.describe(), none);
        for (int i = 0; i < b.size(); i++) {
          todo.push(b.childRef(i).storageKey());
        }
      }
    }
    return out;
  }
}
