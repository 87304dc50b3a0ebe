package io.accrete.transactor;

import io.accrete.storage.DbRoot;
import io.accrete.storage.GarbageList;
import io.accrete.storage.Segments;
import io.accrete.storage.Storage;
import io.accrete.storage.TreeStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reclaims the segments no root refers to any more.
 *
 * <p>Each indexing job that replaces the root records the segments it retired in a
 * {@link GarbageList} stamped with the time of the replacement. A sweep deletes every segment
 * that the current root cannot reach, unless a garbage list younger than the retention window
 * names it (a database value made before the replacement may still read it). Segments no list
 * names are left by indexing jobs that failed before their root was written; they were never
 * visible, and are deleted once they were written before the window. Runs on the indexing
 * thread, so no job is writing segments meanwhile.
 */
final class GarbageCollector {
  private static final int PAGE = 1000;

  private final Storage storage;
  private final TreeStore trees;

  GarbageCollector(Storage storage, TreeStore trees) {
    this.storage = storage;
    this.trees = trees;
  }

  /** Records what replacing {@code before} by {@code after} at {@code now} made unreachable. */
  void retire(DbRoot before, DbRoot after, long now) {
    Set<String> retired = Segments.retired(trees::blob, storage.describe(), before, after);
    if (!retired.isEmpty()) {
      storage.put(GarbageList.key(now), GarbageList.encode(retired));
    }
  }

  /**
   * Deletes the segments that became garbage at or before {@code olderThan} (epoch millis) and
   * the lists that named them; returns how many segments were deleted.
   */
  long collect(long olderThan) {
    byte[] rootBytes = storage.getRoot(DurableConnection.ROOT);
    if (rootBytes == null) {
      return 0;
    }
    DbRoot root = DbRoot.decode(rootBytes, storage.describe());
    Set<String> keep = new HashSet<>(Segments.reachable(trees::blob, storage.describe(), root, Set.of()));
    List<String> dueLists = new java.util.ArrayList<>();
    for (String list : allKeys(GarbageList.PREFIX)) {
      if (GarbageList.retiredAt(list) <= olderThan) {
        dueLists.add(list);
      } else {
        byte[] blob = storage.get(list);
        if (blob != null) {
          keep.addAll(GarbageList.decode(blob, list, storage.describe()));
        }
      }
    }
    List<String> garbage = new java.util.ArrayList<>();
    for (String seg : allKeys(GarbageList.SEGMENT_PREFIX)) {
      long written = GarbageList.writtenAt(seg); // -1: not a key Accrete made; left alone
      if (written >= 0 && written <= olderThan && !keep.contains(seg)) {
        garbage.add(seg);
      }
    }
    storage.deleteMany(garbage);
    // Lists go last: a sweep cut short leaves them to name their segments next time.
    for (String list : dueLists) {
      storage.delete(list);
    }
    return garbage.size();
  }

  private List<String> allKeys(String prefix) {
    List<String> out = new java.util.ArrayList<>();
    String after = null;
    while (true) {
      List<String> page = storage.keys(prefix, after, PAGE);
      out.addAll(page);
      if (page.size() < PAGE) {
        return out;
      }
      after = page.get(page.size() - 1);
    }
  }
}
