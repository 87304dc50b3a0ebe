package io.accrete.pull;

import io.accrete.db.Errors;
import io.accrete.edn.Edn;
import io.accrete.edn.EdnException;
import io.accrete.schema.Schema;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parsed pull pattern (Datomic's pull grammar), ready to pull any number of entities from any
 * number of database values. Parse once with {@link #parse} and hand the result to {@link
 * Puller#pull(io.accrete.db.Db, PullPattern, long)}; parsing checks the syntax, and the first
 * pull against a schema checks the attributes (and remembers the result for that schema).
 *
 * <p>Immutable apart from that remembered binding, and safe to share between threads.
 */
public final class PullPattern {
  /** Patterns given as EDN text, by text: a query or caller repeating a pattern parses it once. */
  private static final ConcurrentHashMap<String, PullPattern> TEXT_CACHE =
      new ConcurrentHashMap<>();
  private static final int TEXT_CACHE_MAX = 1024;

  private final Object form;
  private final Selection root;
  private final int recursionSlots;
  /** The pattern bound to the schema last pulled with; schemas change rarely. */
  private volatile BoundSelection.Binding binding;

  PullPattern(Object form, Selection root, int recursionSlots) {
    this.form = form;
    this.root = root;
    this.recursionSlots = recursionSlots;
  }

  /**
   * Parses a pattern: EDN text ({@code "[:person/name {:movie/_cast [:movie/title]}]"}), or the
   * same as data: a {@code List} of {@code Keyword}s (or {@code ":ns/name"} strings), the
   * {@code *} symbol or {@code "*"}, {@code Map}s for nested patterns, and {@code List}s for
   * attribute expressions. A {@code PullPattern} is returned as is.
   *
   * @throws io.accrete.AccreteException with code {@code :db.error/invalid-pull} naming the
   *     offending spec when the pattern is malformed
   */
  public static PullPattern parse(Object pattern) {
    if (pattern instanceof PullPattern p) {
      return p;
    }
    if (pattern instanceof String text) {
      PullPattern cached = TEXT_CACHE.get(text);
      if (cached != null) {
        return cached;
      }
      PullPattern p = PullParser.parse(read(text));
      if (TEXT_CACHE.size() >= TEXT_CACHE_MAX) {
        // Crude but bounded: programs use a handful of patterns, so a full cache means
        // generated ones, which would not be reused anyway.
        TEXT_CACHE.clear();
      }
      TEXT_CACHE.put(text, p);
      return p;
    }
    if (pattern == null) {
      throw PullErrors.invalid(null, null, "the pull pattern is nil");
    }
    return PullParser.parse(pattern);
  }

  private static Object read(String text) {
    try {
      return Edn.read(text);
    } catch (EdnException e) {
      throw Errors.db("invalid-pull", "Pull pattern " + clip(text) + " is not valid EDN: "
          + e.getMessage());
    }
  }

  private static String clip(String s) {
    return '"' + (s.length() <= 80 ? s : s.substring(0, 77) + "...") + '"';
  }

  /** The pattern as given (as data: EDN text is shown read). */
  public Object form() {
    return form;
  }

  Selection root() {
    return root;
  }

  int recursionSlots() {
    return recursionSlots;
  }

  /**
   * This pattern resolved against a schema: attributes looked up and checked. The result is
   * kept for the next pull with the same schema.
   */
  BoundSelection bind(Schema schema) {
    BoundSelection.Binding b = binding;
    if (b == null || b.schema() != schema) {
      b = new BoundSelection.Binding(schema, BoundSelection.bind(root, schema, form));
      binding = b;
    }
    return b.root();
  }

  @Override
  public String toString() {
    return Errors.show(form);
  }
}
