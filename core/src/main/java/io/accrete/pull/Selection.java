package io.accrete.pull;

import java.util.List;

/** A parsed pattern vector: its specs in pattern order. Immutable and schema-free. */
final class Selection {
  final List<AttrSpec> specs;
  /** The pattern vector as written, for error messages. */
  final Object form;

  Selection(List<AttrSpec> specs, Object form) {
    this.specs = List.copyOf(specs);
    this.form = form;
  }
}
