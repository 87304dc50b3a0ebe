package io.accrete.index;

import io.accrete.Datom;

/**
 * A node of an {@link IndexTree}: a columnar {@link Leaf} or a {@link Branch}. Nodes are
 * immutable and shared between database values; the storage layer can stand a lazily loaded
 * segment in for any node.
 */
abstract class Node {
  /** The number of datoms in this subtree. */
  abstract long count();

  /** The smallest datom of this subtree. */
  abstract Datom firstKey();

  /** The height of this subtree: 0 for a leaf. */
  abstract int height();
}
