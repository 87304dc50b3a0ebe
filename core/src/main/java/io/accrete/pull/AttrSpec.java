package io.accrete.pull;

import io.accrete.Keyword;
import io.accrete.Symbol;

/**
 * One parsed attribute spec of a pattern, before it meets a schema: what to read, under which
 * key, and with which options. Immutable.
 */
final class AttrSpec {
  /** What a spec reads. */
  enum Kind {
    /** {@code *}: every attribute of the entity. */
    WILDCARD,
    /** {@code :db/id}: the entity id itself. */
    DB_ID,
    /** A forward attribute, {@code :ns/name}. */
    FORWARD,
    /** A reverse attribute, {@code :ns/_name}. */
    REVERSE
  }

  /** Card-many values (and reverse refs) pulled when the pattern gives no {@code :limit}. */
  static final int DEFAULT_LIMIT = 1000;
  /** {@code :limit nil}, and recursion {@code ...}: no bound. */
  static final int UNBOUNDED = Integer.MAX_VALUE;

  final Kind kind;
  /** The attribute name as written ({@code :movie/_cast}); null for the wildcard. */
  final Keyword name;
  /** The forward attribute it reads ({@code :movie/cast} for {@code :movie/_cast}). */
  final Keyword attr;
  /** The result map key: the {@code :as} value, else {@link #name}. */
  final Object key;
  /** Most values to pull for card-many and reverse refs; {@link #UNBOUNDED} for none. */
  final int limit;
  final boolean hasDefault;
  final Object defaultValue;
  /** The {@code :xform} function, or null. */
  final Symbol xform;
  /** The nested pattern of a map-spec, or null. */
  final Selection sub;
  /** The recursion limit of {@code {attr n}} / {@code {attr ...}}; 0 when not recursive. */
  final int recursion;
  /** This recursive spec's slot in the evaluator's depth counters; -1 when not recursive. */
  final int recursionSlot;
  /** The spec as written, for error messages. */
  final Object form;

  AttrSpec(Kind kind, Keyword name, Keyword attr, Object key, int limit, boolean hasDefault,
      Object defaultValue, Symbol xform, Selection sub, int recursion, int recursionSlot,
      Object form) {
    this.kind = kind;
    this.name = name;
    this.attr = attr;
    this.key = key;
    this.limit = limit;
    this.hasDefault = hasDefault;
    this.defaultValue = defaultValue;
    this.xform = xform;
    this.sub = sub;
    this.recursion = recursion;
    this.recursionSlot = recursionSlot;
    this.form = form;
  }

  /** True for {@code {attr n}} and {@code {attr ...}}. */
  boolean isRecursive() {
    return recursion > 0;
  }

  /** True when the spec navigates into the referenced entities (map-spec). */
  boolean hasSubpattern() {
    return sub != null || recursion > 0;
  }
}
