package io.accrete.sql;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.linq4j.tree.ClassDeclaration;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.runtime.ArrayBindable;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.commons.compiler.util.reflect.ByteArrayClassLoader;
import org.codehaus.janino.ClassLoaderIClassLoader;
import org.codehaus.janino.IClassLoader;
import org.codehaus.janino.Parser;
import org.codehaus.janino.Scanner;
import org.codehaus.janino.UnitCompiler;
import org.codehaus.janino.util.ClassFile;

/**
 * Compiles the Java class Calcite generates for each plan, as Calcite's own step does (Janino),
 * but without redoing per statement what does not change between statements. Calcite builds a
 * fresh Janino class loader for every compilation, so each one re-resolves {@code SqlFunctions},
 * {@code Enumerable} and every other library class by reflection, and every class name Janino
 * probes and does not find (imports on demand, the generated {@code Baz$1}) is searched for
 * through every jar on the class path. Here resolved library classes are kept in a small pool
 * of Janino class loaders reused by later compilations, and names that are not library classes
 * are answered at once. Sqllogictest-style workloads, where every statement is a new text,
 * spend about a third of their time in this step.
 *
 * <p>Calcite offers one hook for replacing its compile step, the "Spark handler" of a prepare
 * context; {@link AccretePrepare} hands it this object, which does nothing else Spark would.
 */
final class PlanCompiler implements CalcitePrepare.SparkHandler {
  static final PlanCompiler INSTANCE = new PlanCompiler();

  private static final ClassLoader LIBRARY = new LibraryClassLoader(EnumerableInterpretable.class.getClassLoader());
  /**
   * Compiled plan classes by their source. Identical source behaves identically: all that varies
   * between executions (tables, parameters, stashed values) reaches the class through its
   * {@code DataContext}. About half the plans of a sqllogictest file repeat an earlier one's
   * source exactly (the same query over another table of the same shape, the same statement
   * again), so this skips half the compilations. Only classes whose static initializers all
   * ran are kept. Weighed by source length: roughly what the classes occupy.
   */
  private static final Cache<String, Class<?>> COMPILED = CacheBuilder.newBuilder()
      .maximumWeight(16L << 20)
      .weigher((String source, Class<?> c) -> source.length())
      .build();
  /** Janino class loaders not in use; each caches the library classes it has resolved. */
  private final ConcurrentLinkedQueue<IClassLoader> idle = new ConcurrentLinkedQueue<>();

  private final AtomicLong compilations = new AtomicLong();

  private PlanCompiler() {}

  @Override
  public ArrayBindable compile(ClassDeclaration expr, String classBody) {
    // Calcite declares Bindable+Typed for one column and ArrayBindable otherwise; the generated
    // methods (bind returning Enumerable, getElementType returning Class) satisfy both, and
    // Calcite reads the result only as a Bindable with an element type.
    String source = "public final class " + expr.name + " implements " + ArrayBindable.class.getName() + " {\n"
        + classBody + "\n}";
    Class<?> compiled = COMPILED.getIfPresent(source);
    if (compiled == null) {
      compilations.incrementAndGet();
      Map<String, byte[]> classes = compile(source);
      compiled = initialized(expr.name, classes);
      if (compiled != null) {
        COMPILED.put(source, compiled);
      } else {
        // A static initializer failed (a constant Calcite hoisted out of the plan, such as
        // 1/0): such a class is unusable from then on, so this statement gets fresh classes
        // that fail at execution with its own error, as without the cache, and none is kept.
        compiled = load(expr.name, classes);
      }
    }
    try {
      return (ArrayBindable) compiled.getDeclaredConstructors()[0].newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the plan's generated class could not be instantiated", cause(e));
    }
  }

  /** The plan class with every generated class initialized; null when an initializer failed. */
  private static Class<?> initialized(String name, Map<String, byte[]> classes) {
    ClassLoader loader = new ByteArrayClassLoader(classes, LIBRARY);
    try {
      for (String c : classes.keySet()) {
        Class.forName(c, true, loader);
      }
      return loader.loadClass(name);
    } catch (ClassNotFoundException | LinkageError e) { // ExceptionInInitializerError among them
      return null;
    }
  }

  private static Class<?> load(String name, Map<String, byte[]> classes) {
    try {
      return new ByteArrayClassLoader(classes, LIBRARY).loadClass(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the plan's generated class is missing", e);
    }
  }

  private Map<String, byte[]> compile(String source) {
    IClassLoader types = idle.poll();
    if (types == null) {
      types = new ClassLoaderIClassLoader(LIBRARY);
    }
    Map<String, byte[]> classes = new HashMap<>();
    try {
      Parser parser = new Parser(new Scanner(null, new StringReader(source)));
      UnitCompiler compiler = new UnitCompiler(parser.parseAbstractCompilationUnit(), types);
      compiler.compileUnit(false, false, false, (ClassFile cf) -> classes.put(cf.getThisClassName(), cf.toByteArray()));
      idle.add(types); // only after a compilation that completed: a failed one may leave it half-updated
      return classes;
    } catch (CompileException | IOException e) {
      throw new IllegalStateException("Janino could not compile the plan's generated class", e); // Calcite adds the code
    }
  }

  /** Plan classes compiled so far (not counting those found compiled already). */
  long compilations() {
    return compilations.get();
  }

  /** Janino class loaders waiting for the next compilation (as many as compiled at once, at most). */
  int idleLoaders() {
    return idle.size();
  }

  private static Throwable cause(Exception e) {
    return e instanceof InvocationTargetException i && i.getCause() != null ? i.getCause() : e;
  }

  @Override
  public RelNode flattenTypes(RelOptPlanner planner, RelNode rootRel, boolean restructure) {
    return rootRel; // what Calcite does when no Spark handler is enabled
  }

  @Override
  public void registerRules(RuleSetBuilder builder) {
    // no rules of its own
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public Object sparkContext() {
    throw new UnsupportedOperationException("Accrete does not run on Spark");
  }

  /**
   * The class loader generated code and Janino see: Calcite's, except that names of no package
   * (Calcite's generated classes) and names already found missing fail at once, without the
   * search through every jar a miss costs the application class loader.
   */
  private static final class LibraryClassLoader extends ClassLoader {
    private static final int MAX_MISSING = 100_000;
    private final ClassLoader delegate;
    private final Set<String> missing = ConcurrentHashMap.newKeySet();

    LibraryClassLoader(ClassLoader delegate) {
      super(null);
      this.delegate = delegate;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.indexOf('.') < 0 || missing.contains(name)) {
        throw new Missing(name);
      }
      try {
        return delegate.loadClass(name);
      } catch (ClassNotFoundException e) {
        if (missing.size() < MAX_MISSING) {
          missing.add(name);
        }
        throw e;
      }
    }

    @Override
    public java.net.URL getResource(String name) {
      return delegate.getResource(name);
    }
  }

  /** A class that is not there: thrown often, so without a stack trace. */
  private static final class Missing extends ClassNotFoundException {
    private static final long serialVersionUID = 1L;

    Missing(String name) {
      super(name);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
