package io.accrete.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * A record of segments that stopped being reachable when an indexing job replaced the root,
 * stored under {@code gc/<20-digit epoch millis of the replacement>-<uuid>}. Garbage
 * collection deletes them once that moment is older than the retention window: until then a
 * database value made from the old root may still read them.
 */
public final class GarbageList {
  private GarbageList() {}

  /** The key prefix of garbage lists. */
  public static final String PREFIX = "gc/";

  /** A fresh key for a list of segments retired at {@code millis}. */
  public static String key(long millis) {
    return String.format("%s%020d-%s", PREFIX, millis, UUID.randomUUID());
  }

  /** When the segments of the list under {@code key} were retired (epoch millis). */
  public static long retiredAt(String key) {
    try {
      return Long.parseLong(key.substring(PREFIX.length(), PREFIX.length() + 20));
    } catch (RuntimeException e) {
      throw new StorageException("corrupt-blob", "Garbage list key " + key + " does not name a time");
    }
  }

  /** When a segment was written (epoch millis), or -1 for keys that are not segment keys. */
  public static long writtenAt(String segmentKey) {
    return TreeStore.keyTime(segmentKey);
  }

  /** The key prefix of segments. */
  public static final String SEGMENT_PREFIX = "seg/";

  public static byte[] encode(Collection<String> keys) {
    Out o = new Out(64 + keys.size() * 48);
    o.varint(keys.size());
    for (String k : keys) {
      o.string(k);
    }
    return Blobs.wrap(Blobs.GARBAGE, o.array(), o.size(), false);
  }

  public static List<String> decode(byte[] blob, String key, String where) {
    byte[] p = Blobs.unwrap(Blobs.GARBAGE, blob, key, where);
    try {
      In in = new In(p, 0, p.length);
      int n = (int) in.varint();
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(in.string());
      }
      return out;
    } catch (RuntimeException e) {
      throw SegmentCodec.corrupt(key, where, e);
    }
  }
}
