package io.accrete.pull;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.db.Errors;
import io.accrete.util.JavaFunctions;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the pull grammar (Datomic on-prem 1.0) into {@link Selection}s. Syntax only: whether
 * the attributes exist, and are references where the pattern needs one, is checked when the
 * pattern is bound to a schema ({@link BoundSelection}).
 *
 * <pre>
 * pattern         = [attr-spec+]
 * attr-spec       = attr-name | wildcard | map-spec | attr-expr
 * attr-name       = keyword, :ns/_name for reverse, :db/id
 * wildcard        = * | "*"
 * map-spec        = {((attr-name | attr-expr) (pattern | recursion-limit))+}
 * attr-expr       = [attr-name attr-option+] | (limit attr-name (pos-int | nil))
 *                 | (default attr-name any)
 * attr-option     = :as any | :limit (pos-int | nil) | :default any | :xform symbol
 * recursion-limit = pos-int | ...
 * </pre>
 */
final class PullParser {
  private static final Keyword DB_ID = Keyword.of("db", "id");
  private static final Keyword AS = Keyword.of(null, "as");
  private static final Keyword LIMIT = Keyword.of(null, "limit");
  private static final Keyword DEFAULT = Keyword.of(null, "default");
  private static final Keyword XFORM = Keyword.of(null, "xform");

  /** The whole pattern, named in every error so the user can find the spec at fault. */
  private final Object pattern;
  /** Recursive specs seen so far; each gets its own depth counter slot. */
  private int recursionSlots;

  private PullParser(Object pattern) {
    this.pattern = pattern;
  }

  /** Parses a pattern given as data; returns the root selection and the recursion slot count. */
  static PullPattern parse(Object pattern) {
    PullParser p = new PullParser(pattern);
    Selection root = p.selection(pattern);
    return new PullPattern(pattern, root, p.recursionSlots);
  }

  private Selection selection(Object form) {
    if (!(form instanceof List<?> list)) {
      throw invalid(form, "a pull pattern is a vector of attribute specs");
    }
    if (list.isEmpty()) {
      throw invalid(form, "a pull pattern needs at least one attribute spec");
    }
    List<AttrSpec> specs = new ArrayList<>(list.size());
    for (Object item : list) {
      if (isWildcard(item)) {
        specs.add(new AttrSpec(AttrSpec.Kind.WILDCARD, null, null, null, AttrSpec.DEFAULT_LIMIT,
            false, null, null, null, 0, -1, item));
      } else if (item instanceof Map<?, ?> m) {
        mapSpec(m, specs);
      } else if (item instanceof List<?> expr) {
        specs.add(attrExpr(expr, null, 0).build(expr, -1));
      } else {
        specs.add(attrName(item, item).build(item, -1));
      }
    }
    return new Selection(specs, form);
  }

  /** {@code {attr pattern-or-limit ...}}: one spec per entry, in the map's order. */
  private void mapSpec(Map<?, ?> m, List<AttrSpec> out) {
    if (m.isEmpty()) {
      throw invalid(m, "a map-spec needs at least one attribute and its pattern");
    }
    for (Map.Entry<?, ?> en : m.entrySet()) {
      Object k = en.getKey();
      Object v = en.getValue();
      Map<Object, Object> form = new java.util.LinkedHashMap<>();
      form.put(k, v);
      Selection sub = null;
      int recursion = 0;
      if (v instanceof List<?>) {
        sub = selection(v);
      } else if (isEllipsis(v)) {
        recursion = AttrSpec.UNBOUNDED;
      } else if (isInteger(v)) {
        if (signum(v) <= 0) {
          throw invalid(form, "a recursion limit must be a positive integer or ..., not " + v);
        }
        recursion = clamp(v);
      } else {
        throw invalid(form, "a map-spec value is a pattern vector, a positive recursion limit "
            + "or ..., not " + Errors.show(v));
      }
      if (isWildcard(k)) {
        throw invalid(form, "the wildcard cannot take a nested pattern");
      }
      Builder b = k instanceof List<?> expr ? attrExpr(expr, sub, recursion)
          : attrName(k, form).nest(sub, recursion);
      if (b.kind == AttrSpec.Kind.DB_ID) {
        throw invalid(form, ":db/id is not a reference, so it takes no nested pattern");
      }
      out.add(b.build(form, recursion > 0 ? recursionSlots++ : -1));
    }
  }

  /** {@code [attr opts...]}, or the legacy {@code (limit attr n)} and {@code (default attr v)}. */
  private Builder attrExpr(List<?> expr, Selection sub, int recursion) {
    if (expr.isEmpty()) {
      throw invalid(expr, "an attribute expression needs an attribute name");
    }
    Object head = expr.get(0);
    String legacy = legacyOp(head);
    if (legacy != null) {
      if (expr.size() != 3) {
        throw invalid(expr, "(" + legacy + " attr-name " + (legacy.equals("limit") ? "n" : "value")
            + ") takes exactly an attribute name and a " + (legacy.equals("limit") ? "limit"
                : "default value"));
      }
      Builder b = attrName(expr.get(1), expr).nest(sub, recursion);
      if (legacy.equals("limit")) {
        b.limit(expr.get(2), expr);
      } else {
        b.defaultValue(expr.get(2));
      }
      return b;
    }
    if (isWildcard(head)) {
      throw invalid(expr, "the wildcard takes no options");
    }
    Builder b = attrName(head, expr).nest(sub, recursion);
    if (expr.size() % 2 == 0) {
      throw invalid(expr, "option " + Errors.show(expr.get(expr.size() - 1)) + " has no value");
    }
    List<Keyword> seen = new ArrayList<>(4);
    for (int i = 1; i < expr.size(); i += 2) {
      Object opt = expr.get(i);
      Object val = expr.get(i + 1);
      if (!(opt instanceof Keyword k) || !(k.equals(AS) || k.equals(LIMIT) || k.equals(DEFAULT)
          || k.equals(XFORM))) {
        throw invalid(expr, "unknown option " + Errors.show(opt)
            + "; the options are :as, :limit, :default and :xform");
      }
      if (seen.contains(k)) {
        throw invalid(expr, "option " + k + " is given twice");
      }
      seen.add(k);
      if (k.equals(AS)) {
        if (val == null) {
          throw invalid(expr, ":as needs a key for the result map, not nil");
        }
        b.key = val;
      } else if (k.equals(LIMIT)) {
        b.limit(val, expr);
      } else if (k.equals(DEFAULT)) {
        b.defaultValue(val);
      } else {
        b.xform = xform(val, expr);
      }
    }
    return b;
  }

  /** An attribute name: a keyword, or a string holding one (patterns built as Java data). */
  private Builder attrName(Object x, Object form) {
    Keyword k = x instanceof Keyword kw ? kw
        : x instanceof String s && s.length() > 1 && s.startsWith(":") ? Keyword.intern(s) : null;
    if (k == null) {
      throw invalid(form, Errors.show(x) + " is not an attribute name, a wildcard, a map-spec "
          + "or an attribute expression");
    }
    Builder b = new Builder(k);
    if (k.equals(DB_ID)) {
      b.kind = AttrSpec.Kind.DB_ID;
    } else if (k.isReverse() && k.name().length() > 1) {
      b.kind = AttrSpec.Kind.REVERSE;
      b.attr = Keyword.of(k.namespace(), k.name().substring(1));
    }
    return b;
  }

  private Symbol xform(Object val, Object form) {
    if (!(val instanceof Symbol sym)) {
      throw invalid(form, ":xform needs a symbol naming a public static method, such as "
          + "com.acme.Fns/upper, not " + Errors.show(val));
    }
    // Resolve now, so that a typo fails when the pattern is parsed rather than only when
    // some entity happens to have a value.
    List<Method> methods;
    try {
      methods = JavaFunctions.methods(sym, "pull :xform");
    } catch (AccreteException e) {
      throw invalid(form, e.getMessage());
    }
    for (Method m : methods) {
      if (m.getParameterCount() == 1 || m.isVarArgs() && m.getParameterCount() <= 2) {
        return sym;
      }
    }
    throw invalid(form, ":xform " + sym + " has no overload taking one argument");
  }

  private AccreteException invalid(Object spec, String why) {
    return PullErrors.invalid(spec, pattern, why);
  }

  // ---------------------------------------------------------------- token tests

  static boolean isWildcard(Object x) {
    return x instanceof Symbol s && s.namespace() == null && s.name().equals("*")
        || "*".equals(x);
  }

  private static boolean isEllipsis(Object x) {
    return x instanceof Symbol s && s.namespace() == null && s.name().equals("...")
        || "...".equals(x);
  }

  /** "limit" or "default" when {@code head} opens a legacy expression, else null. */
  private static String legacyOp(Object head) {
    String name = head instanceof Symbol s && s.namespace() == null ? s.name()
        : head instanceof String str ? str : null;
    return "limit".equals(name) || "default".equals(name) ? name : null;
  }

  private static boolean isInteger(Object x) {
    return x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte
        || x instanceof BigInteger;
  }

  private static int signum(Object x) {
    return x instanceof BigInteger b ? b.signum() : Long.signum(((Number) x).longValue());
  }

  /** Limits beyond int range mean "all" in practice; clamping keeps counters in ints. */
  private static int clamp(Object x) {
    if (x instanceof BigInteger b) {
      return b.bitLength() < 32 ? b.intValue() : AttrSpec.UNBOUNDED;
    }
    return (int) Math.min(((Number) x).longValue(), AttrSpec.UNBOUNDED);
  }

  // ---------------------------------------------------------------- builder

  /** Collects one spec's parts while its (possibly legacy) form is read. */
  private final class Builder {
    AttrSpec.Kind kind = AttrSpec.Kind.FORWARD;
    final Keyword name;
    Keyword attr;
    Object key;
    int limit = AttrSpec.DEFAULT_LIMIT;
    boolean hasDefault;
    Object defaultValue;
    Symbol xform;
    Selection sub;
    int recursion;

    Builder(Keyword name) {
      this.name = name;
      this.attr = name;
      this.key = name;
    }

    Builder nest(Selection sub, int recursion) {
      this.sub = sub;
      this.recursion = recursion;
      return this;
    }

    void limit(Object val, Object form) {
      if (val == null) {
        limit = AttrSpec.UNBOUNDED;
      } else if (isInteger(val) && signum(val) > 0) {
        limit = clamp(val);
      } else {
        throw invalid(form, ":limit must be a positive integer or nil, not " + Errors.show(val));
      }
    }

    void defaultValue(Object val) {
      // A nil default adds nothing: result maps hold no nil values, as in Datomic.
      hasDefault = val != null;
      defaultValue = val;
    }

    AttrSpec build(Object form, int slot) {
      return new AttrSpec(kind, name, kind == AttrSpec.Kind.DB_ID ? null : attr, key, limit,
          hasDefault, defaultValue, xform, sub, recursion, slot, form);
    }
  }
}
