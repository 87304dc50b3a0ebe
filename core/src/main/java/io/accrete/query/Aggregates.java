package io.accrete.query;

import io.accrete.Symbol;
import io.accrete.index.Values;
import io.accrete.util.JavaFunctions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The aggregates of :find: Datomic's built-ins over the bag of values a group holds (one
 * value per distinct tuple of find and :with variables), user aggregates registered from Java,
 * and public static methods named by qualified symbol (called with the constant arguments and
 * then the collection).
 */
final class Aggregates {
  private Aggregates() {}

  /** An aggregate: constant arguments, then the group's values. */
  @FunctionalInterface
  interface Agg {
    Object apply(List<Object> constArgs, List<Object> values);
  }

  private static final Map<String, Agg> REGISTERED = new ConcurrentHashMap<>();

  static void register(String name, Agg agg) {
    if (builtin(name, 0) != null || builtin(name, 1) != null) {
      throw Functions.error("Cannot register aggregate " + name + ": it is built in");
    }
    REGISTERED.put(name, agg);
  }

  /** The aggregate a symbol names, checked against its constant arguments. */
  static Agg resolve(Symbol fn, int constArgs, Object form) {
    if (fn.namespace() == null) {
      Agg a = builtin(fn.name(), constArgs);
      if (a == null && REGISTERED.containsKey(fn.name())) {
        a = REGISTERED.get(fn.name());
      }
      if (a == null) {
        if (builtin(fn.name(), constArgs == 0 ? 1 : 0) != null) {
          throw Functions.error("Wrong number of arguments to aggregate " + fn + " in "
              + QueryParser.show(form));
        }
        throw Functions.error("Unknown aggregate " + fn + " in " + QueryParser.show(form)
            + "; built in: count count-distinct sum avg median variance stddev min max"
            + " distinct rand sample");
      }
      return a;
    }
    Agg r = REGISTERED.get(fn.toString());
    if (r != null) {
      return r;
    }
    JavaFunctions.methods(fn, "Aggregate");
    return (consts, values) -> {
      Object[] args = new Object[consts.size() + 1];
      for (int i = 0; i < consts.size(); i++) {
        args[i] = consts.get(i);
      }
      args[consts.size()] = values;
      return JavaFunctions.invoke(fn, "Aggregate", args);
    };
  }

  private static Agg builtin(String name, int constArgs) {
    if (constArgs == 0) {
      switch (name) {
        case "count":
          return (c, v) -> (long) v.size();
        case "count-distinct":
          return (c, v) -> (long) distinct(v).size();
        case "sum":
          return (c, v) -> sum(v);
        case "avg":
          return (c, v) -> sum(v).doubleValue() / v.size();
        case "median":
          return (c, v) -> median(v);
        case "variance":
          return (c, v) -> variance(v);
        case "stddev":
          return (c, v) -> Math.sqrt(variance(v));
        case "min":
          return (c, v) -> Collections.min(v, Values::compare);
        case "max":
          return (c, v) -> Collections.max(v, Values::compare);
        case "distinct":
          return (c, v) -> Collections.unmodifiableSet(distinct(v));
        case "rand":
          return (c, v) -> v.get(ThreadLocalRandom.current().nextInt(v.size()));
        default:
          return null;
      }
    }
    if (constArgs == 1) {
      switch (name) {
        case "min":
          return (c, v) -> {
            List<Object> s = sorted(v);
            return List.copyOf(s.subList(0, Math.min(n(c, "min"), s.size())));
          };
        case "max":
          return (c, v) -> {
            List<Object> s = sorted(v);
            Collections.reverse(s);
            return List.copyOf(s.subList(0, Math.min(n(c, "max"), s.size())));
          };
        case "rand":
          return (c, v) -> {
            Random r = ThreadLocalRandom.current();
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n(c, "rand"); i++) {
              out.add(v.get(r.nextInt(v.size())));
            }
            return List.copyOf(out);
          };
        case "sample":
          return (c, v) -> {
            List<Object> d = new ArrayList<>(distinct(v));
            Collections.shuffle(d, ThreadLocalRandom.current());
            return List.copyOf(d.subList(0, Math.min(n(c, "sample"), d.size())));
          };
        default:
          return null;
      }
    }
    return null;
  }

  private static int n(List<Object> consts, String fn) {
    Object n = consts.get(0);
    if (!(n instanceof Long l) || l < 0) {
      throw Functions.error("(" + fn + " n ?x) needs a non-negative integer n, not " + QueryParser.show(n));
    }
    return (int) Math.min(l, Integer.MAX_VALUE);
  }

  private static Set<Object> distinct(List<Object> v) {
    Set<Object> keys = new LinkedHashSet<>();
    Set<Object> out = new LinkedHashSet<>();
    for (Object x : v) {
      if (keys.add(Relation.keyOf(x))) {
        out.add(x);
      }
    }
    return out;
  }

  private static List<Object> sorted(List<Object> v) {
    List<Object> s = new ArrayList<>(v);
    s.sort(Values::compare);
    return s;
  }

  private static Number sum(List<Object> v) {
    Number acc = 0L;
    for (Object x : v) {
      acc = Numbers.add(acc, Functions.num(x, "sum"));
    }
    return acc;
  }

  /**
   * The middle value; of an even number of values, the two middle ones' sum divided by two and
   * truncated toward zero, as Datomic's {@code median} does ({@code quot}): 2 for 2 and 3, and
   * 2.0 for 2.5 and 2.5, in the values' own type.
   */
  private static Object median(List<Object> v) {
    List<Object> s = sorted(v);
    int n = s.size();
    if (n % 2 == 1) {
      return s.get(n / 2);
    }
    Number total = Numbers.add(Functions.num(s.get(n / 2 - 1), "median"), Functions.num(s.get(n / 2), "median"));
    if (total instanceof Long l) {
      return l / 2;
    }
    if (total instanceof java.math.BigInteger b) {
      return b.divide(java.math.BigInteger.TWO);
    }
    if (total instanceof java.math.BigDecimal d) {
      return d.divideToIntegralValue(java.math.BigDecimal.valueOf(2));
    }
    double half = total.doubleValue() / 2;
    return half < 0 ? Math.ceil(half) : Math.floor(half);
  }

  private static double variance(List<Object> v) {
    double mean = sum(v).doubleValue() / v.size();
    double acc = 0;
    for (Object x : v) {
      double d = Functions.num(x, "variance").doubleValue() - mean;
      acc += d * d;
    }
    return acc / v.size();
  }
}
