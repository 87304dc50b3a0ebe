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
 * attribute and entity predicates, and query functions; and instance methods called as
 * {@code (.method target args…)} in queries.
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
    Method[] all;
    try {
      all = cls.getMethods();
    } catch (LinkageError e) { // a signature names a class this JVM lacks
      throw error(role + " " + name + ": the methods of " + name.namespace() + " cannot be read here (" + e + ")");
    }
    List<Method> found = new ArrayList<>();
    for (Method m : all) {
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

  private static final ConcurrentHashMap<String, List<Method>> INSTANCE_CACHE = new ConcurrentHashMap<>();

  /**
   * Calls the public instance method {@code name} of {@code target} with {@code args}, as
   * Clojure's {@code (.name target args…)} does: looked up on the target's public classes and
   * interfaces, numbers converted to the parameters' primitive types.
   */
  public static Object invokeInstance(String name, Object target, Object[] args, String role) {
    if (target == null) {
      throw error(role + " ." + name + " called on nil");
    }
    String key = target.getClass().getName() + "#" + name + "/" + args.length;
    List<Method> candidates = INSTANCE_CACHE.computeIfAbsent(key, k -> publicMethods(target.getClass(), name,
        args.length));
    for (Method m : candidates) {
      Object[] a = coerce(m.getParameterTypes(), args);
      if (a != null) {
        try {
          return m.invoke(target, a);
        } catch (InvocationTargetException e) {
          throw new AccreteException(Keyword.of("db.error", "fn-threw"),
              role + " ." + name + " threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
          throw error(role + " ." + name + " is not accessible: " + e.getMessage());
        }
      }
    }
    throw error(role + " ." + name + ": " + target.getClass().getName() + " has no public method " + name
        + " taking " + args.length + " argument" + (args.length == 1 ? "" : "s") + " of these types");
  }

  /** Methods named {@code name} with {@code arity} parameters, declared by public types of {@code c}. */
  private static List<Method> publicMethods(Class<?> c, String name, int arity) {
    List<Method> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Deque<Class<?>> unvisited = new java.util.ArrayDeque<>();
    unvisited.add(c);
    while (!unvisited.isEmpty()) {
      Class<?> k = unvisited.poll();
      if (Modifier.isPublic(k.getModifiers())) {
        for (Method m : k.getMethods()) {
          if (m.getName().equals(name) && m.getParameterCount() == arity && !Modifier.isStatic(m.getModifiers())
              && Modifier.isPublic(m.getDeclaringClass().getModifiers())
              && seen.add(java.util.Arrays.toString(m.getParameterTypes()))) {
            out.add(m);
          }
        }
      }
      if (k.getSuperclass() != null) {
        unvisited.add(k.getSuperclass());
      }
      unvisited.addAll(java.util.Arrays.asList(k.getInterfaces()));
    }
    return List.copyOf(out);
  }

  private static Object[] coerce(Class<?>[] ps, Object[] args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < ps.length; i++) {
      Object a = args[i];
      Class<?> p = ps[i];
      if (accepts(p, a)) {
        out[i] = a;
      } else if (a instanceof Number n && (p == int.class || p == Integer.class) && n.longValue() == n.intValue()
          && !(a instanceof Double || a instanceof Float)) {
        out[i] = n.intValue();
      } else if (a instanceof Number n && (p == long.class || p == Long.class) && !(a instanceof Double || a instanceof Float)) {
        out[i] = n.longValue();
      } else if (a instanceof Number n && (p == double.class || p == Double.class)) {
        out[i] = n.doubleValue();
      } else if (a instanceof Number n && (p == float.class || p == Float.class)) {
        out[i] = n.floatValue();
      } else if (a instanceof String str && (p == char.class || p == Character.class) && str.length() == 1) {
        out[i] = str.charAt(0);
      } else {
        return null;
      }
    }
    return out;
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
