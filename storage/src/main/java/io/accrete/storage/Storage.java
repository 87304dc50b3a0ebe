package io.accrete.storage;

import java.util.List;
import java.util.Map;

/**
 * Where a database lives: immutable blobs by key (index segments, log batches) plus a few
 * mutable roots changed only by compare-and-set. Storage knows nothing about datoms. Every
 * write is durable when the call returns; a failed write throws a {@link StorageException}
 * that names the resource and leaves nothing partial behind.
 */
public interface Storage extends AutoCloseable {
  /** The blob stored under {@code key}, or null when there is none. */
  byte[] get(String key);

  /**
   * Stores an immutable blob. Writing a key again with the same bytes is allowed (retries);
   * other bytes under a key that has some fail with {@code :storage/conflict} and write
   * nothing: blobs are never changed in place.
   */
  void put(String key, byte[] value);

  /** Stores several blobs durably, with one sync or one round trip where the backend can. */
  default void putAll(Map<String, byte[]> blobs) {
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  /**
   * Replaces blobs that exist with new bytes, each atomically (a reader sees the old bytes or
   * the new, never a mix); keys that hold nothing are skipped. Blobs are otherwise immutable:
   * only excision, which takes datoms out of log batches for good, changes one in place. A
   * backend that cannot fails with {@code :storage/unsupported} and changes nothing.
   */
  default void rewrite(Map<String, byte[]> blobs) {
    throw new StorageException("unsupported", describe() + " cannot rewrite blobs, so it cannot excise");
  }

  /** The current value of a mutable root, or null when it was never set. */
  byte[] getRoot(String name);

  /**
   * Sets a root to {@code value} if its current value equals {@code expected} (null: absent);
   * false when another writer changed it first.
   */
  boolean casRoot(String name, byte[] expected, byte[] value);

  /** Deletes a blob (garbage collection); deleting a missing blob is not an error. */
  void delete(String key);

  /** Deletes several blobs, in as few round trips as the backend allows. */
  default void deleteMany(java.util.Collection<String> keys) {
    for (String k : keys) {
      delete(k);
    }
  }

  /** Deletes a root. */
  void deleteRoot(String name);

  /**
   * Up to {@code limit} keys starting with {@code prefix} and greater than {@code after} (null:
   * from the start), in ascending order.
   */
  List<String> keys(String prefix, String after, int limit);

  /** What this storage is, for messages: a directory, a JDBC URL. */
  String describe();

  @Override
  void close();
}
