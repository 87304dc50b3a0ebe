package io.accrete.index;

import io.accrete.Datom;

/**
 * A node of an {@link IndexTree}: a columnar {@link Leaf}, a {@link Branch}, or a
 * {@link NodeRef} standing in for a node kept in storage. Nodes are immutable and shared
 * between database values. Once the storage layer has written a node it records the node's
 * storage key here, so later writes of the same tree skip it.
 */
public abstract class Node {
  private volatile String storageKey;

  Node() {}

  /** The number of datoms in this subtree. */
  public abstract long count();

  /** The smallest datom of this subtree. */
  public abstract Datom firstKey();

  /** The height of this subtree: 0 for a leaf. */
  public abstract int height();

  /** The key this node is stored under, or null when it has not been written. */
  public String storageKey() {
    return storageKey;
  }

  /**
   * Forgets the key a write that failed was to store this node under, so the next write stores
   * it again (a tree whose nodes kept the key of a write that never happened would name missing
   * segments).
   */
  public void forgetStorageKey(String key) {
    if (key.equals(storageKey)) {
      storageKey = null;
    }
  }

  /** Records the key this node was written under; a node is written once. */
  public void storageKey(String key) {
    if (storageKey != null && !storageKey.equals(key)) {
      throw new IllegalStateException("node already stored as " + storageKey);
    }
    storageKey = key;
  }
}
