package io.accrete.util;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.Symbol;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and calls public static Java methods named by fully qualified symbols such as
 * {@code java.lang.Math/abs} or {@code com.acme.Bank/transfer}: transaction functions,
 * attribute and entity predicates, and (later) query functions.
 */
public final class JavaFunctions {
  private JavaFunctions() {}

  private static final ConcurrentHashMap<Symbol, List<Method>> CACHE = new ConcurrentHashMap<>();

  /** The public static methods a symbol names; an error when there are none. */
  public static List<Method> methods(Symbol name, String role) {
    List<Method> ms = CACHE.get(name);
    if (ms != null) {
      return ms;
    }
    if (name.namespace() == null) {
      throw error(role + " " + name + " must be a fully qualified Class/method symbol");
    }
    Class<?> cls;
    try {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      cls = Class.forName(name.namespace(), true,
          cl != null ? cl : JavaFunctions.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw error(role + " " + name + ": class " + name.namespace() + " is not on the classpath");
    }
    List<Method> found = new ArrayList<>();
    for (Method m : cls.getMethods()) {
      if (m.getName().equals(name.name()) && Modifier.isStatic(m.getModifiers())) {
        found.add(m);
      }
    }
    if (found.isEmpty()) {
      throw error(role + " " + name + ": " + name.namespace() + " has no public static method "
          + name.name());
    }
    List<Method> frozen = List.copyOf(found);
    CACHE.put(name, frozen);
    return frozen;
  }

  /**
   * Calls the method a symbol names with {@code args}, choosing the overload whose parameters
   * accept them (varargs methods take the trailing arguments as an array).
   */
  public static Object invoke(Symbol name, String role, Object... args) {
    Method best = null;
    Object[] callArgs = null;
    for (Method m : methods(name, role)) {
      Object[] a = fit(m, args);
      if (a != null) {
        best = m;
        callArgs = a;
        if (!m.isVarArgs()) {
          break;
        }
      }
    }
    if (best == null) {
      throw error(role + " " + name + " has no overload taking " + args.length + " argument"
          + (args.length == 1 ? "" : "s") + " of these types");
    }
    try {
      return best.invoke(null, callArgs);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AccreteException ae) {
        throw ae;
      }
      throw new AccreteException(Keyword.of("db.error", "fn-threw"),
          role + " " + name + " threw " + cause, cause);
    } catch (IllegalAccessException e) {
      throw error(role + " " + name + " is not accessible; its class must be public: "
          + e.getMessage());
    }
  }

  private static Object[] fit(Method m, Object[] args) {
    Class<?>[] ps = m.getParameterTypes();
    if (m.isVarArgs()) {
      int fixed = ps.length - 1;
      if (args.length < fixed) {
        return null;
      }
      for (int i = 0; i < fixed; i++) {
        if (!accepts(ps[i], args[i])) {
          return null;
        }
      }
      Class<?> comp = ps[fixed].getComponentType();
      Object rest = java.lang.reflect.Array.newInstance(comp, args.length - fixed);
      for (int i = fixed; i < args.length; i++) {
        if (!accepts(comp, args[i])) {
          return null;
        }
        java.lang.reflect.Array.set(rest, i - fixed, args[i]);
      }
      Object[] out = new Object[ps.length];
      System.arraycopy(args, 0, out, 0, fixed);
      out[fixed] = rest;
      return out;
    }
    if (ps.length != args.length) {
      return null;
    }
    for (int i = 0; i < ps.length; i++) {
      if (!accepts(ps[i], args[i])) {
        return null;
      }
    }
    return args;
  }

  private static boolean accepts(Class<?> p, Object arg) {
    if (arg == null) {
      return !p.isPrimitive();
    }
    if (p.isPrimitive()) {
      p = box(p);
    }
    return p.isInstance(arg);
  }

  private static Class<?> box(Class<?> p) {
    if (p == long.class) {
      return Long.class;
    } else if (p == int.class) {
      return Integer.class;
    } else if (p == double.class) {
      return Double.class;
    } else if (p == boolean.class) {
      return Boolean.class;
    } else if (p == float.class) {
      return Float.class;
    } else if (p == char.class) {
      return Character.class;
    } else if (p == short.class) {
      return Short.class;
    } else if (p == byte.class) {
      return Byte.class;
    }
    return Void.class;
  }

  private static AccreteException error(String message) {
    return new AccreteException(Keyword.of("db.error", "invalid-fn"), message);
  }
}
