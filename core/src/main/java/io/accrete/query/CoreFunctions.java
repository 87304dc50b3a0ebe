package io.accrete.query;

import io.accrete.edn.Edn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code clojure.core} and {@code clojure.string} functions Datomic users call in queries
 * beyond the ones {@link Functions} defines: building and reading collections ({@code vector},
 * {@code get}, {@code range}, {@code first} …), conversions, and string splitting and joining.
 * Also {@code q}, a query inside a query. Vectors and lists are {@link List}s, sets
 * {@link java.util.Set}s, maps {@link Map}s.
 */
final class CoreFunctions {
  private CoreFunctions() {}

  /** Where the definitions go: {@link Functions}' table of built-ins. */
  interface Definer {
    void def(String name, int min, int max, Functions.Fn fn);
  }

  /** The most elements {@code range} makes, so a typo cannot fill the heap. */
  private static final long MAX_RANGE = 10_000_000;

  static void define(Definer d) {
    int many = Functions.VARIADIC;
    d.def("vector", 0, many, a -> Collections.unmodifiableList(Arrays.asList(a.clone())));
    d.def("list", 0, many, a -> Collections.unmodifiableList(Arrays.asList(a.clone())));
    d.def("hash-set", 0, many, a -> Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(a))));
    d.def("set", 1, 1, a -> Collections.unmodifiableSet(new LinkedHashSet<>(elements(a[0], "set"))));
    d.def("hash-map", 0, many, a -> {
      if (a.length % 2 != 0) {
        throw Functions.error("hash-map takes keys and values in pairs, got " + a.length + " arguments");
      }
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < a.length; i += 2) {
        m.put(a[i], a[i + 1]);
      }
      return Collections.unmodifiableMap(m);
    });
    d.def("get", 2, 3, a -> get(a[0], a[1], a.length > 2 ? a[2] : null));
    d.def("range", 1, 3, CoreFunctions::range);
    d.def("empty?", 1, 1, a -> a[0] == null || elements(a[0], "empty?").isEmpty());
    d.def("not-empty", 1, 1, a -> a[0] == null || elements(a[0], "not-empty").isEmpty() ? null : a[0]);
    d.def("true?", 1, 1, a -> Boolean.TRUE.equals(a[0]));
    d.def("false?", 1, 1, a -> Boolean.FALSE.equals(a[0]));
    d.def("identical?", 2, 2, a -> a[0] == a[1]);
    d.def("type", 1, 1, a -> a[0] == null ? null : a[0].getClass());
    d.def("pr-str", 0, many, a -> {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < a.length; i++) {
        b.append(i == 0 ? "" : " ").append(Edn.print(a[i]));
      }
      return b.toString();
    });
    d.def("first", 1, 1, a -> nth(a[0], 0, null, "first"));
    d.def("second", 1, 1, a -> nth(a[0], 1, null, "second"));
    d.def("last", 1, 1, a -> {
      List<Object> l = a[0] == null ? List.of() : elements(a[0], "last");
      return l.isEmpty() ? null : l.get(l.size() - 1);
    });
    d.def("nth", 2, 3, a -> {
      Object out = nth(a[0], index(a[1], "nth"), a.length > 2 ? a[2] : NONE, "nth");
      if (out == NONE) {
        throw Functions.error("nth: index " + a[1] + " is out of bounds for " + Edn.print(a[0]));
      }
      return out;
    });
    d.def("rest", 1, 1, a -> {
      List<Object> l = a[0] == null ? List.of() : elements(a[0], "rest");
      return l.isEmpty() ? List.of() : List.copyOf(l.subList(1, l.size()));
    });
    d.def("seq", 1, 1, a -> a[0] == null || elements(a[0], "seq").isEmpty() ? null
        : Collections.unmodifiableList(elements(a[0], "seq")));
    d.def("keys", 1, 1, a -> a[0] == null || map(a[0], "keys").isEmpty() ? null : List.copyOf(map(a[0], "keys").keySet()));
    d.def("vals", 1, 1, a -> a[0] == null || map(a[0], "vals").isEmpty() ? null
        : Collections.unmodifiableList(new ArrayList<>(map(a[0], "vals").values())));
    d.def("boolean", 1, 1, a -> Functions.truthy(a[0]));
    d.def("long", 1, 1, a -> Functions.num(a[0], "long").longValue());
    d.def("int", 1, 1, a -> Functions.num(a[0], "int").longValue());
    d.def("double", 1, 1, a -> Functions.num(a[0], "double").doubleValue());
    d.def("abs", 1, 1, a -> {
      Number n = Functions.num(a[0], "abs");
      return n instanceof Long l ? (Object) Math.abs(l) : n instanceof Double x ? (Object) Math.abs(x)
          : n instanceof java.math.BigDecimal b ? b.abs() : n instanceof java.math.BigInteger i ? i.abs()
          : (Object) Math.abs(n.doubleValue());
    });
    // A query inside a query, as Datomic allows: [(q [:find …] $ ?x) ?result].
    d.def("q", 1, many, a -> io.accrete.Peer.q(a[0], Arrays.copyOfRange(a, 1, a.length)));
    d.def("datomic.api/q", 1, many, a -> io.accrete.Peer.q(a[0], Arrays.copyOfRange(a, 1, a.length)));
    d.def("clojure.string/split", 2, 3, a -> {
      String s = string(a[0], "split");
      Pattern p = pattern(a[1], "split");
      String[] parts = a.length > 2 ? p.split(s, (int) index(a[2], "split")) : p.split(s);
      return List.of((Object[]) parts);
    });
    d.def("clojure.string/split-lines", 1, 1, a -> List.of((Object[]) string(a[0], "split-lines").split("\r?\n")));
    d.def("clojure.string/join", 1, 2, a -> {
      String sep = a.length == 2 ? String.valueOf(a[0]) : "";
      StringBuilder b = new StringBuilder();
      boolean first = true;
      for (Object o : a[a.length - 1] == null ? List.of() : elements(a[a.length - 1], "join")) {
        b.append(first ? "" : sep).append(o == null ? "" : Functions.str(o));
        first = false;
      }
      return b.toString();
    });
    d.def("clojure.string/replace", 3, 3, a -> {
      String s = string(a[0], "replace");
      if (a[1] instanceof Pattern p) {
        return p.matcher(s).replaceAll(string(a[2], "replace")); // $1 names a group, as in Clojure
      }
      return s.replace(string(a[1], "replace"), string(a[2], "replace"));
    });
    d.def("clojure.string/capitalize", 1, 1, a -> {
      String s = string(a[0], "capitalize");
      return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
          + s.substring(1).toLowerCase(java.util.Locale.ROOT);
    });
    d.def("clojure.string/triml", 1, 1, a -> string(a[0], "triml").stripLeading());
    d.def("clojure.string/trimr", 1, 1, a -> string(a[0], "trimr").stripTrailing());
    d.def("clojure.string/reverse", 1, 1, a -> new StringBuilder(string(a[0], "reverse")).reverse().toString());
    d.def("clojure.string/index-of", 2, 2, a -> {
      int i = string(a[0], "index-of").indexOf(String.valueOf(a[1]));
      return i < 0 ? null : (Object) (long) i;
    });
  }

  private static final Object NONE = new Object();

  private static Object get(Object coll, Object key, Object otherwise) {
    if (coll instanceof Map<?, ?> m) {
      return m.containsKey(key) ? m.get(key) : otherwise;
    }
    if (coll instanceof java.util.Set<?> s) {
      return s.contains(key) ? key : otherwise;
    }
    if ((coll instanceof List<?> || coll instanceof CharSequence) && key instanceof Number n) {
      Object v = nth(coll, n.longValue(), NONE, "get");
      return v == NONE ? otherwise : v;
    }
    return otherwise;
  }

  private static Object nth(Object coll, long i, Object otherwise, String fn) {
    if (coll == null) {
      return otherwise == NONE ? null : otherwise;
    }
    List<Object> l = elements(coll, fn);
    return i >= 0 && i < l.size() ? l.get((int) i) : otherwise;
  }

  private static Object range(Object[] a) {
    Number start = a.length == 1 ? 0L : Functions.num(a[0], "range");
    Number end = Functions.num(a[a.length == 1 ? 0 : 1], "range");
    Number step = a.length == 3 ? Functions.num(a[2], "range") : 1L;
    List<Object> out = new ArrayList<>();
    if (start instanceof Long s && end instanceof Long e && step instanceof Long st) {
      if (st == 0) {
        throw Functions.error("range with a step of 0 never ends");
      }
      for (long x = s; st > 0 ? x < e : x > e; x += st) {
        add(out, x);
      }
    } else {
      double s = start.doubleValue();
      double e = end.doubleValue();
      double st = step.doubleValue();
      if (st == 0) {
        throw Functions.error("range with a step of 0 never ends");
      }
      for (double x = s; st > 0 ? x < e : x > e; x += st) {
        add(out, x);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static void add(List<Object> out, Object x) {
    if (out.size() >= MAX_RANGE) {
      throw Functions.error("range would make more than " + MAX_RANGE + " values");
    }
    out.add(x);
  }

  /** A collection's elements in order: a map's as [key value] pairs, a string's as characters. */
  private static List<Object> elements(Object coll, String fn) {
    if (coll instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    if (coll instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (coll instanceof Map<?, ?> m) {
      List<Object> out = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.add(Arrays.asList(e.getKey(), e.getValue()));
      }
      return out;
    }
    if (coll instanceof CharSequence s) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < s.length(); i++) {
        out.add(s.charAt(i));
      }
      return out;
    }
    if (coll != null && coll.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < java.lang.reflect.Array.getLength(coll); i++) {
        out.add(java.lang.reflect.Array.get(coll, i));
      }
      return out;
    }
    throw Functions.error(fn + " needs a collection or a string, not " + Edn.print(coll));
  }

  private static Map<?, ?> map(Object x, String fn) {
    if (x instanceof Map<?, ?> m) {
      return m;
    }
    throw Functions.error(fn + " needs a map, not " + Edn.print(x));
  }

  private static String string(Object x, String fn) {
    if (x instanceof String s) {
      return s;
    }
    throw Functions.error("clojure.string/" + fn + " needs a string, not " + Edn.print(x));
  }

  private static Pattern pattern(Object x, String fn) {
    if (x instanceof Pattern p) {
      return p;
    }
    if (x instanceof String s) {
      return Functions.regex(s, "clojure.string/" + fn);
    }
    throw Functions.error("clojure.string/" + fn + " needs a regular expression (re-pattern), not " + Edn.print(x));
  }

  private static long index(Object x, String fn) {
    return Functions.num(x, fn).longValue();
  }
}
