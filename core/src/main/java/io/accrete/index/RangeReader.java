package io.accrete.index;

import io.accrete.Datom;

/**
 * Reads many ranges of one index, one after another, for one thread. A lookup per row asks for
 * thousands of small ranges; a reader keeps its place in the tree between them, so ranges
 * asked in ascending order of their start are found by searching forward from the last one
 * (a few comparisons in the same leaf) instead of descending from the root each time. Ranges
 * in any other order are still answered, from the root.
 */
@FunctionalInterface
public interface RangeReader {
  /**
   * The datoms from {@code lo} to {@code hi}, both inclusive. The cursor is valid until the
   * next call on this reader: read it to the end (or stop) before asking for another range.
   */
  DatomCursor range(Datom lo, Datom hi);
}
