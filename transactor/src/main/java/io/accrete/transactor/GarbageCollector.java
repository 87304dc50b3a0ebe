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
 *
 * <p>The automatic sweep ({@link #collectSeen}) measures the window by this process's monotonic
 * clock from when it first saw each list or stray segment, not by the wall-clock stamps in the
 * keys: a wall clock that jumps ahead, or a successor transactor whose clock runs ahead of its
 * predecessor's, would otherwise delete segments retired a moment ago while older database
 * values still read them. The stamps serve {@link #collect}, where the user names a wall-clock
 * moment.
 */
final class GarbageCollector {
  private static final int PAGE = 1000;

  private final Storage storage;
  private final TreeStore trees;
  /** Lists and stray segments by when (System.nanoTime) this collector first knew of them. */
  private final java.util.Map<String, Long> firstSeen = new java.util.HashMap<>();

  GarbageCollector(Storage storage, TreeStore trees) {
    this.storage = storage;
    this.trees = trees;
  }

  /** Records what replacing {@code before} by {@code after} at {@code now} made unreachable. */
  void retire(DbRoot before, DbRoot after, long now) {
    Set<String> retired = Segments.retired(trees::blob, storage.describe(), before, after);
    if (!retired.isEmpty()) {
      String key = GarbageList.key(now);
      storage.put(key, GarbageList.encode(retired));
      firstSeen.put(key, System.nanoTime());
    }
  }

  /**
   * Deletes the segments of lists this collector has known for at least {@code retentionMillis}
   * by its own monotonic clock, and stray segments (named by no list, reachable from no root)
   * it has seen stray that long; returns how many segments were deleted.
   */
  long collectSeen(long retentionMillis) {
    long now = System.nanoTime();
    long window = retentionMillis * 1_000_000L;
    java.util.function.Predicate<String> old = key -> now - firstSeen.computeIfAbsent(key, k -> now) >= window;
    return sweep(old, seg -> GarbageList.writtenAt(seg) >= 0 && old.test(seg));
  }

  /**
   * Deletes the segments that became garbage at or before {@code olderThan} (epoch millis) and
   * the lists that named them; returns how many segments were deleted.
   */
  long collect(long olderThan) {
    return sweep(list -> GarbageList.retiredAt(list) <= olderThan, seg -> {
      long written = GarbageList.writtenAt(seg); // -1: not a key Accrete made; left alone
      return written >= 0 && written <= olderThan;
    });
  }

  /** Deletes the lists {@code listDue} accepts with their segments, and the stray segments {@code strayDue} accepts. */
  private long sweep(java.util.function.Predicate<String> listDue, java.util.function.Predicate<String> strayDue) {
    byte[] rootBytes = storage.getRoot(DurableConnection.ROOT);
    if (rootBytes == null) {
      return 0;
    }
    DbRoot root = DbRoot.decode(rootBytes, storage.describe());
    Set<String> keep = new HashSet<>(Segments.reachable(trees::blob, storage.describe(), root, Set.of()));
    List<String> dueLists = new java.util.ArrayList<>();
    Set<String> named = new HashSet<>(); // by due lists
    for (String list : allKeys(GarbageList.PREFIX)) {
      boolean due = listDue.test(list);
      if (due) {
        dueLists.add(list);
      }
      byte[] blob = storage.get(list);
      if (blob != null) {
        (due ? named : keep).addAll(GarbageList.decode(blob, list, storage.describe()));
      }
    }
    List<String> garbage = new java.util.ArrayList<>();
    for (String seg : allKeys(GarbageList.SEGMENT_PREFIX)) {
      if (!keep.contains(seg) && (named.contains(seg) || strayDue.test(seg))) {
        garbage.add(seg);
      }
    }
    storage.deleteMany(garbage);
    // Lists go last: a sweep cut short leaves them to name their segments next time.
    for (String list : dueLists) {
      storage.delete(list);
    }
    firstSeen.keySet().removeAll(garbage);
    firstSeen.keySet().removeAll(dueLists);
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
