package io.accrete.query;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.index.Values;
import io.accrete.util.JavaFunctions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions and predicates of where-clauses: Datomic's built-ins, public static Java
 * methods named by fully qualified symbol ({@code java.lang.Math/abs}), and functions
 * registered from Java. Functions that read the database ({@code get-else}, {@code missing?}…)
 * live in the engine, which passes them the source.
 */
final class Functions {
  private Functions() {}

  /** A query function: takes its evaluated arguments, returns a value (truthy for predicates). */
  @FunctionalInterface
  interface Fn {
    Object apply(Object[] args);
  }

  /** A resolved function with its accepted arities. */
  record Resolved(String name, int min, int max, Fn fn) {
    Object call(Object[] args) {
      return fn.apply(args);
    }
  }

  private static final Map<String, Resolved> BUILTINS = new HashMap<>();
  private static final Map<String, Resolved> REGISTERED = new ConcurrentHashMap<>();
  static final int VARIADIC = Integer.MAX_VALUE;

  private static void def(String name, int min, int max, Fn fn) {
    BUILTINS.put(name, new Resolved(name, min, max, fn));
  }

  /** Names handled by the engine because they need a source (a database or a log). */
  static final Set<String> SOURCE_FUNCTIONS = Set.of("get-else", "get-some", "missing?", "fulltext", "tx-ids",
      "tx-data");

  static {
    def("=", 1, VARIADIC, a -> {
      for (int i = 1; i < a.length; i++) {
        if (!Values.equal(a[0], a[i])) {
          return false;
        }
      }
      return true;
    });
    def("==", 1, VARIADIC, a -> {
      for (int i = 1; i < a.length; i++) {
        if (Numbers.compareValue(num(a[0], "=="), num(a[i], "==")) != 0) {
          return false;
        }
      }
      return true;
    });
    Fn notEqual = a -> {
      for (int i = 1; i < a.length; i++) {
        if (!Values.equal(a[0], a[i])) {
          return true;
        }
      }
      return false;
    };
    def("!=", 1, VARIADIC, notEqual);
    def("not=", 1, VARIADIC, notEqual);
    def("<", 1, VARIADIC, a -> chain(a, c -> c < 0));
    def(">", 1, VARIADIC, a -> chain(a, c -> c > 0));
    def("<=", 1, VARIADIC, a -> chain(a, c -> c <= 0));
    def(">=", 1, VARIADIC, a -> chain(a, c -> c >= 0));
    def("+", 0, VARIADIC, a -> {
      Number acc = 0L;
      for (Object x : a) {
        acc = Numbers.add(acc, num(x, "+"));
      }
      return acc;
    });
    def("*", 0, VARIADIC, a -> {
      Number acc = 1L;
      for (Object x : a) {
        acc = Numbers.multiply(acc, num(x, "*"));
      }
      return acc;
    });
    def("-", 1, VARIADIC, a -> {
      if (a.length == 1) {
        return Numbers.subtract(0L, num(a[0], "-"));
      }
      Number acc = num(a[0], "-");
      for (int i = 1; i < a.length; i++) {
        acc = Numbers.subtract(acc, num(a[i], "-"));
      }
      return acc;
    });
    def("/", 1, VARIADIC, a -> {
      if (a.length == 1) {
        return Numbers.divide(1L, num(a[0], "/"));
      }
      Number acc = num(a[0], "/");
      for (int i = 1; i < a.length; i++) {
        acc = Numbers.divide(acc, num(a[i], "/"));
      }
      return acc;
    });
    def("quot", 2, 2, a -> Numbers.quot(num(a[0], "quot"), num(a[1], "quot")));
    def("rem", 2, 2, a -> Numbers.rem(num(a[0], "rem"), num(a[1], "rem")));
    def("mod", 2, 2, a -> Numbers.mod(num(a[0], "mod"), num(a[1], "mod")));
    def("inc", 1, 1, a -> Numbers.add(num(a[0], "inc"), 1L));
    def("dec", 1, 1, a -> Numbers.subtract(num(a[0], "dec"), 1L));
    def("max", 1, VARIADIC, a -> {
      Object best = a[0];
      for (Object x : a) {
        if (Values.compare(x, best) > 0) {
          best = x;
        }
      }
      return best;
    });
    def("min", 1, VARIADIC, a -> {
      Object best = a[0];
      for (Object x : a) {
        if (Values.compare(x, best) < 0) {
          best = x;
        }
      }
      return best;
    });
    def("str", 0, VARIADIC, a -> {
      StringBuilder sb = new StringBuilder();
      for (Object x : a) {
        sb.append(str(x));
      }
      return sb.toString();
    });
    def("subs", 2, 3, a -> {
      String s = string(a[0], "subs");
      int start = index(a[1], "subs");
      int end = a.length == 3 ? index(a[2], "subs") : s.length();
      if (start < 0 || end > s.length() || start > end) {
        throw error("subs: range " + start + ".." + end + " is outside \"" + s + "\"");
      }
      return s.substring(start, end);
    });
    def("count", 1, 1, a -> {
      Object x = a[0];
      if (x == null) {
        return 0L;
      } else if (x instanceof String s) {
        return (long) s.length();
      } else if (x instanceof Collection<?> c) {
        return (long) c.size();
      } else if (x instanceof Map<?, ?> m) {
        return (long) m.size();
      }
      throw error("count: not a string or collection: " + QueryParser.show(x));
    });
    def("compare", 2, 2, a -> (long) Integer.signum(Values.compare(a[0], a[1])));
    def("identity", 1, 1, a -> a[0]);
    def("pos?", 1, 1, a -> Numbers.sign(num(a[0], "pos?")) > 0);
    def("neg?", 1, 1, a -> Numbers.sign(num(a[0], "neg?")) < 0);
    def("zero?", 1, 1, a -> Numbers.sign(num(a[0], "zero?")) == 0);
    def("even?", 1, 1, a -> (integer(a[0], "even?") & 1) == 0);
    def("odd?", 1, 1, a -> (integer(a[0], "odd?") & 1) == 1);
    def("contains?", 2, 2, a -> {
      Object c = a[0];
      if (c instanceof Set<?> s) {
        return setContains(s, a[1]);
      } else if (c instanceof Map<?, ?> m) {
        return m.containsKey(a[1]);
      } else if (c instanceof List<?> l) {
        return a[1] instanceof Long i && i >= 0 && i < l.size();
      } else if (c instanceof String s) {
        return a[1] instanceof Long i && i >= 0 && i < s.length();
      }
      return false;
    });
    def("name", 1, 1, a -> {
      if (a[0] instanceof Keyword k) {
        return k.name();
      } else if (a[0] instanceof Symbol s) {
        return s.name();
      } else if (a[0] instanceof String s) {
        return s;
      }
      throw error("name: not a keyword, symbol or string: " + QueryParser.show(a[0]));
    });
    def("namespace", 1, 1, a -> {
      if (a[0] instanceof Keyword k) {
        return k.namespace();
      } else if (a[0] instanceof Symbol s) {
        return s.namespace();
      }
      throw error("namespace: not a keyword or symbol: " + QueryParser.show(a[0]));
    });
    def("keyword", 1, 2, a -> a.length == 1
        ? (a[0] instanceof Keyword k ? k : Keyword.intern(string(a[0], "keyword")))
        : Keyword.of((String) a[0], string(a[1], "keyword")));
    def("ground", 1, 1, a -> a[0]);
    def("tuple", 1, VARIADIC, a -> Collections.unmodifiableList(Arrays.asList(a.clone())));
    def("untuple", 1, 1, a -> {
      if (!(a[0] instanceof List<?> l)) {
        throw error("untuple: not a tuple: " + QueryParser.show(a[0]));
      }
      return l;
    });
    def("re-pattern", 1, 1, a -> a[0] instanceof Pattern ? a[0] : regex(string(a[0], "re-pattern"), "re-pattern"));
    def("re-find", 2, 2, a -> {
      Matcher m = pattern(a[0], "re-find").matcher(string(a[1], "re-find"));
      return m.find() ? groups(m) : null;
    });
    def("re-matches", 2, 2, a -> {
      Matcher m = pattern(a[0], "re-matches").matcher(string(a[1], "re-matches"));
      return m.matches() ? groups(m) : null;
    });
    def("re-seq", 2, 2, a -> {
      Matcher m = pattern(a[0], "re-seq").matcher(string(a[1], "re-seq"));
      List<Object> out = new ArrayList<>();
      while (m.find()) {
        out.add(groups(m));
      }
      return out.isEmpty() ? null : out;
    });
    def("clojure.string/starts-with?", 2, 2, a -> string(a[0], "starts-with?").startsWith(string(a[1], "starts-with?")));
    def("clojure.string/ends-with?", 2, 2, a -> string(a[0], "ends-with?").endsWith(string(a[1], "ends-with?")));
    def("clojure.string/includes?", 2, 2, a -> string(a[0], "includes?").contains(string(a[1], "includes?")));
    def("clojure.string/blank?", 1, 1, a -> a[0] == null || string(a[0], "blank?").isBlank());
    def("clojure.string/lower-case", 1, 1, a -> string(a[0], "lower-case").toLowerCase(java.util.Locale.ROOT));
    def("clojure.string/upper-case", 1, 1, a -> string(a[0], "upper-case").toUpperCase(java.util.Locale.ROOT));
    def("clojure.string/trim", 1, 1, a -> string(a[0], "trim").strip());
    def("nil?", 1, 1, a -> a[0] == null);
    def("some?", 1, 1, a -> a[0] != null);
    def("not", 1, 1, a -> !truthy(a[0]));
    CoreFunctions.define(Functions::def);
  }

  /** Registers a function callable from queries by {@code name}; replaces an earlier one. */
  static void register(String name, int minArity, int maxArity, Fn fn) {
    if (BUILTINS.containsKey(name) || SOURCE_FUNCTIONS.contains(name)) {
      throw error("Cannot register " + name + ": it is a built-in function");
    }
    REGISTERED.put(name, new Resolved(name, minArity, maxArity, fn));
  }

  /** The function a symbol names, checked for arity; an error when there is none. */
  static Resolved resolve(Symbol sym, int arity, Object form) {
    String key = sym.toString();
    Resolved r = BUILTINS.get(key);
    if (r == null && "clojure.core".equals(sym.namespace())) {
      r = BUILTINS.get(sym.name());
    }
    if (r == null && "str".equals(sym.namespace())) {
      r = BUILTINS.get("clojure.string/" + sym.name());
    }
    if (r == null) {
      r = REGISTERED.get(key);
    }
    if (r == null && sym.namespace() == null && sym.name().length() > 1 && sym.name().startsWith(".")) {
      String method = sym.name().substring(1);
      return new Resolved(key, 1, VARIADIC, a -> JavaFunctions.invokeInstance(method, a[0],
          Arrays.copyOfRange(a, 1, a.length), "Query function"));
    }
    if (r == null) {
      if (sym.namespace() == null) {
        throw error("Unknown function " + sym + " in " + QueryParser.show(form)
            + "; use a built-in, a registered function or a Class/staticMethod symbol");
      }
      JavaFunctions.methods(sym, "Query function");
      return new Resolved(key, 0, VARIADIC, a -> JavaFunctions.invoke(sym, "Query function", a));
    }
    if (arity < r.min || arity > r.max) {
      throw error("Wrong number of arguments (" + arity + ") to " + sym + " in "
          + QueryParser.show(form) + "; it takes " + (r.min == r.max ? String.valueOf(r.min)
          : r.max == VARIADIC ? r.min + " or more" : r.min + " to " + r.max));
    }
    return r;
  }

  /** Clojure truthiness: everything but nil and false. */
  static boolean truthy(Object v) {
    return v != null && !Boolean.FALSE.equals(v);
  }

  static AccreteException error(String message) {
    return new AccreteException(Keyword.of("query", "invalid"), message);
  }

  /**
   * The order of comparison predicates: numbers by numeric value whatever their types
   * ({@code (< 1 1.5)}, {@code (<= 1 1.0)}), everything else by the value order.
   */
  static int compare(Object x, Object y) {
    if (x instanceof Number nx && y instanceof Number ny) {
      return Numbers.compareValue(nx, ny);
    }
    return Values.compare(x, y);
  }

  private static boolean chain(Object[] a, java.util.function.IntPredicate ok) {
    for (int i = 1; i < a.length; i++) {
      if (!ok.test(compare(a[i - 1], a[i]))) {
        return false;
      }
    }
    return true;
  }

  private static boolean setContains(Set<?> s, Object v) {
    if (s.contains(v)) {
      return true;
    }
    for (Object x : s) {
      if (Values.equal(x, v)) {
        return true;
      }
    }
    return false;
  }

  static Number num(Object x, String fn) {
    if (x instanceof Number n) {
      return n;
    }
    throw error(fn + ": not a number: " + QueryParser.show(x));
  }

  private static long integer(Object x, String fn) {
    if (x instanceof Long || x instanceof Integer) {
      return ((Number) x).longValue();
    }
    if (x instanceof BigInteger b) {
      return b.longValue();
    }
    throw error(fn + ": not an integer: " + QueryParser.show(x));
  }

  private static int index(Object x, String fn) {
    if (x instanceof Long || x instanceof Integer) {
      return (int) ((Number) x).longValue();
    }
    throw error(fn + ": not an index: " + QueryParser.show(x));
  }

  private static String string(Object x, String fn) {
    if (x instanceof String s) {
      return s;
    }
    throw error(fn + ": not a string: " + QueryParser.show(x));
  }

  private static Pattern pattern(Object x, String fn) {
    if (x instanceof Pattern p) {
      return p;
    }
    if (x instanceof String s) {
      return regex(s, fn);
    }
    throw error(fn + ": not a regular expression: " + QueryParser.show(x));
  }

  /** {@code s} compiled as a regular expression; a query error naming {@code fn} when it is not one. */
  static Pattern regex(String s, String fn) {
    try {
      return Pattern.compile(s);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw error(fn + ": " + QueryParser.show(s) + " is not a regular expression (" + e.getDescription()
          + " at index " + e.getIndex() + ")");
    }
  }

  /** Clojure's re-groups: the match, or a vector of the match and its groups. */
  private static Object groups(Matcher m) {
    if (m.groupCount() == 0) {
      return m.group();
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i <= m.groupCount(); i++) {
      out.add(m.group(i));
    }
    return Collections.unmodifiableList(out);
  }

  /** Clojure's str of one value. */
  static String str(Object x) {
    if (x == null) {
      return "";
    }
    if (x instanceof BigDecimal b) {
      return b.toString();
    }
    if (x instanceof BigInteger b) {
      return b.toString();
    }
    if (x instanceof java.util.Date || x instanceof Keyword || x instanceof Symbol
        || x instanceof String || x instanceof Number || x instanceof Boolean) {
      return x.toString();
    }
    if (x instanceof Collection || x instanceof Map) {
      return QueryParser.show(x);
    }
    return x.toString();
  }
}
