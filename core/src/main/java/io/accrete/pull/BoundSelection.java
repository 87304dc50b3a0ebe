package io.accrete.pull;

import io.accrete.Attribute;
import io.accrete.schema.Schema;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Selection} resolved against one schema: every attribute looked up once, so pulling
 * thousands of entities does no ident lookups. Immutable.
 */
final class BoundSelection {
  /** A pattern bound to the schema it was bound against. */
  record Binding(Schema schema, BoundSelection root) {}

  /** {@code [*]}: what component references pull when the pattern gives them no pattern. */
  static final BoundSelection WILDCARD = new BoundSelection(new BoundSpec[] {
      new BoundSpec(new AttrSpec(AttrSpec.Kind.WILDCARD, null, null, null, AttrSpec.DEFAULT_LIMIT,
          false, null, null, null, 0, -1, null), null, null)}, new long[0]);

  final BoundSpec[] specs;
  /**
   * Sorted ids of the forward attributes this selection names explicitly; a wildcard in the
   * same selection leaves them to their explicit spec, which overrides it.
   */
  private final long[] explicit;

  private BoundSelection(BoundSpec[] specs, long[] explicit) {
    this.specs = specs;
    this.explicit = explicit;
  }

  /**
   * The sorted ids of the forward attributes the selection names: an entity's values for two or
   * more are read in one EAVT range, from the first to the last.
   */
  long[] forwardAttributes() {
    return explicit;
  }

  /** True when a spec of this selection names forward attribute {@code a}. */
  boolean isExplicit(long a) {
    return explicit.length != 0 && Arrays.binarySearch(explicit, a) >= 0;
  }

  /** Binds a parsed selection; {@code pattern} is the whole pattern, for error messages. */
  static BoundSelection bind(Selection sel, Schema schema, Object pattern) {
    List<AttrSpec> parsed = sel.specs;
    BoundSpec[] specs = new BoundSpec[parsed.size()];
    long[] explicit = new long[parsed.size()];
    int n = 0;
    for (int i = 0; i < specs.length; i++) {
      AttrSpec s = parsed.get(i);
      Attribute attr = null;
      switch (s.kind) {
        case FORWARD -> {
          attr = schema.attribute(s.attr);
          if (attr == null) {
            throw PullErrors.unknownAttribute(s.name, pattern);
          }
          if (s.hasSubpattern() && !attr.isRef()) {
            throw PullErrors.invalid(s.form, pattern, s.name + " is not a reference attribute (it "
                + "is " + attr.valueType() + "), so it takes no nested pattern");
          }
          explicit[n++] = attr.id();
        }
        case REVERSE -> {
          attr = schema.attribute(s.attr);
          if (attr == null) {
            throw PullErrors.unknownAttribute(s.name, pattern);
          }
          if (!attr.isRef()) {
            throw PullErrors.invalid(s.form, pattern, "reverse attribute " + s.name + " needs "
                + s.attr + " to be a reference attribute, but it is " + attr.valueType());
          }
        }
        default -> {
          // The wildcard and :db/id need nothing from the schema.
        }
      }
      BoundSelection sub = s.sub == null ? null : bind(s.sub, schema, pattern);
      specs[i] = new BoundSpec(s, attr, sub);
    }
    long[] ids = Arrays.copyOf(explicit, n);
    Arrays.sort(ids);
    return new BoundSelection(specs, ids);
  }
}
