package io.accrete.pull;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.db.Errors;
import java.util.HashMap;
import java.util.Map;

/** The errors pull reports, each naming the spec at fault and the pattern it sits in. */
final class PullErrors {
  private PullErrors() {}

  static final Keyword SPEC = Keyword.of(null, "spec");
  static final Keyword PATTERN = Keyword.of(null, "pattern");

  /**
   * A malformed pattern: code {@code :db.error/invalid-pull}. {@code spec} is the offending
   * piece as the user wrote it; {@code pattern} the whole pattern, or null while unknown.
   */
  static AccreteException invalid(Object spec, Object pattern, String why) {
    return Errors.db("invalid-pull",
        "Invalid pull spec " + Errors.show(spec) + ": " + why + in(pattern), data(spec, pattern));
  }

  /** An attribute name that names no installed attribute: {@code :db.error/not-an-attribute}. */
  static AccreteException unknownAttribute(Keyword name, Object pattern) {
    return Errors.db("not-an-attribute",
        "Unknown attribute " + name + in(pattern), data(name, pattern));
  }

  private static String in(Object pattern) {
    return pattern == null ? "" : " in pull pattern " + Errors.show(pattern);
  }

  private static Map<Keyword, Object> data(Object spec, Object pattern) {
    // AccreteException copies the map with Map.copyOf, which rejects nulls.
    Map<Keyword, Object> m = new HashMap<>();
    if (spec != null) {
      m.put(SPEC, spec);
    }
    if (pattern != null) {
      m.put(PATTERN, pattern);
    }
    return m;
  }
}
