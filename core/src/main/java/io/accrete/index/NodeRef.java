package io.accrete.index;

import io.accrete.Datom;

/**
 * A stand-in for a node kept in storage: what a parent needs to route and count (first datom,
 * datom count, height) without loading it; {@link #resolve} loads it through the loader, whose
 * cache decides how long it stays in memory.
 */
public final class NodeRef extends Node {
  private final long count;
  private final Datom firstKey;
  private final int height;
  private final NodeLoader loader;

  /** A reference to the node stored under {@code key}. */
  public NodeRef(String key, long count, Datom firstKey, int height, NodeLoader loader) {
    this.count = count;
    this.firstKey = firstKey;
    this.height = height;
    this.loader = loader;
    storageKey(key);
  }

  /** The node itself, loaded (or taken from the cache). */
  public Node resolve() {
    Node n = loader.load(storageKey());
    if (n.height() != height || n.count() != count) {
      throw new IllegalStateException("stored node " + storageKey() + " does not match its reference");
    }
    return n;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public Datom firstKey() {
    return firstKey;
  }

  @Override
  public int height() {
    return height;
  }
}
