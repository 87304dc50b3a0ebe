package io.accrete.pull;

import io.accrete.Attribute;

/** One {@link AttrSpec} with its attribute resolved (null for {@code *} and {@code :db/id}). */
final class BoundSpec {
  final AttrSpec spec;
  final Attribute attr;
  /** The bound nested pattern of a map-spec, or null. */
  final BoundSelection sub;

  BoundSpec(AttrSpec spec, Attribute attr, BoundSelection sub) {
    this.spec = spec;
    this.attr = attr;
    this.sub = sub;
  }
}
