package io.accrete;

import io.accrete.edn.Edn;
import io.accrete.edn.EdnPrintable;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A database function, as Datomic's {@code #db/fn {:lang "java" :params [db x] :code "…"}}: a
 * value that lives in the database (the value of {@code :db/fn}), so it travels with the data
 * and through time. Its Java code is the body of a static method whose parameters are
 * {@code Object}s named by {@code :params}; {@code java.util.*} and {@code io.accrete.*} are
 * imported, and {@link Util}'s {@code list}, {@code map} and {@code read} statically, as Datomic
 * imports its own. {@code :imports} adds imports. It is compiled (with the JDK's compiler) at its
 * first call and the class is kept for every function with the same source.
 *
 * <p>Called by ident in a transaction ({@code [:my/fn arg…]}, the database first), with
 * {@link Database#invoke}, or directly with {@link #invoke}.
 */
public final class DbFunction implements EdnPrintable, Comparable<DbFunction> {
  private static final Keyword LANG = Keyword.intern(":lang");
  private static final Keyword PARAMS = Keyword.intern(":params");
  private static final Keyword CODE = Keyword.intern(":code");
  private static final Keyword IMPORTS = Keyword.intern(":imports");
  /** Compiled methods by source text: equal functions share one class. */
  private static final ConcurrentHashMap<String, Method> COMPILED = new ConcurrentHashMap<>();

  private final List<Symbol> params;
  private final String code;
  private final List<String> imports;

  private DbFunction(List<Symbol> params, String code, List<String> imports) {
    this.params = List.copyOf(params);
    this.code = code;
    this.imports = List.copyOf(imports);
  }

  /**
   * A function from its definition map ({@code :lang "java"}, {@code :params}, {@code :code},
   * optionally {@code :imports}), as {@code #db/fn} reads it and Datomic's
   * {@code Peer.function} takes it.
   */
  public static DbFunction of(Map<?, ?> m) {
    Object lang = m.get(LANG);
    String l = lang instanceof Keyword k ? k.name() : String.valueOf(lang);
    if (!"java".equals(l)) {
      throw invalid("only :lang \"java\" is supported, not " + Edn.print(lang));
    }
    List<Symbol> params = new ArrayList<>();
    if (!(m.get(PARAMS) instanceof List<?> ps)) {
      throw invalid(":params must be a vector of names, not " + Edn.print(m.get(PARAMS)));
    }
    for (Object p : ps) {
      if (!(p instanceof Symbol s) || s.namespace() != null || !javaName(s.name())) {
        throw invalid("parameter " + Edn.print(p) + " is not a Java name");
      }
      params.add(s);
    }
    if (!(m.get(CODE) instanceof String code) || code.isBlank()) {
      throw invalid(":code must be the Java body of the function, a string");
    }
    List<String> imports = new ArrayList<>();
    if (m.get(IMPORTS) instanceof List<?> is) {
      for (Object i : is) {
        String name = String.valueOf(i);
        if (!name.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*(\\.\\*)?")) {
          throw invalid("import " + Edn.print(i) + " is not a class or package.* name");
        }
        imports.add(name);
      }
    } else if (m.get(IMPORTS) != null) {
      throw invalid(":imports must be a vector of class names");
    }
    return new DbFunction(params, code, imports);
  }

  /** The parameter names. */
  public List<Symbol> params() {
    return params;
  }

  /** The Java body. */
  public String code() {
    return code;
  }

  /**
   * Calls the function (compiling it first, once); a transaction function gets the database
   * first. Its exceptions come back as {@link AccreteException}s: its own unchanged, others
   * wrapped with code {@code :db.error/fn-threw}.
   */
  public Object invoke(Object... args) {
    if (args.length != params.size()) {
      throw new AccreteException(Keyword.of("db.error", "invalid-fn"), "This database function takes "
          + params.size() + " arguments " + params + ", not " + args.length);
    }
    Method m = compiled();
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AccreteException ae) {
        throw ae;
      }
      throw new AccreteException(Keyword.of("db.error", "fn-threw"), "Database function threw " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private Method compiled() {
    String source = source();
    Method m = COMPILED.get(source);
    if (m == null) {
      m = compile(source);
      Method had = COMPILED.putIfAbsent(source, m);
      m = had != null ? had : m;
    }
    return m;
  }

  /** The class the code becomes; named by a hash of its source. */
  private String source() {
    StringBuilder b = new StringBuilder("package accrete.fn;\n");
    b.append("import java.util.*;\nimport io.accrete.*;\nimport static io.accrete.Util.*;\n");
    for (String i : imports) {
      b.append("import ").append(i).append(";\n");
    }
    StringBuilder sig = new StringBuilder();
    for (Symbol p : params) {
      sig.append(sig.length() == 0 ? "" : ", ").append("Object ").append(p.name());
    }
    String body = "  public static Object invoke(" + sig + ") throws Exception {\n" + code + "\n  }\n}\n";
    return b.append("public final class ").append(className(b + body)).append(" {\n").append(body).toString();
  }

  private static String className(String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "F" + HexFormat.of().formatHex(h, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method compile(String source) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new AccreteException(Keyword.of("db.error", "invalid-fn"),
          "Database functions in Java need a JDK (javax.tools); this runtime has none");
    }
    String name = source.substring(source.indexOf("public final class ") + 19, source.indexOf(" {\n"));
    Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        JavaFileManager files = new ForwardingJavaFileManager<>(std) {
          @Override
          public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
              FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
              @Override
              public OutputStream openOutputStream() {
                return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
              }
            };
          }
        }) {
      JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///accrete/fn/" + name + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none", "-nowarn");
      if (!javac.getTask(null, files, diagnostics, options, null, List.of(unit)).call()) {
        StringBuilder why = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          if (d.getKind() == Diagnostic.Kind.ERROR) {
            why.append(why.length() == 0 ? "" : "; ").append(d.getMessage(Locale.ROOT));
          }
        }
        throw new AccreteException(Keyword.of("db.error", "invalid-fn"), "Database function does not compile: " + why);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ClassLoader loader = new ClassLoader(DbFunction.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String n) throws ClassNotFoundException {
        ByteArrayOutputStream b = classes.get(n);
        if (b == null) {
          throw new ClassNotFoundException(n);
        }
        byte[] bytes = b.toByteArray();
        return defineClass(n, bytes, 0, bytes.length);
      }
    };
    try {
      for (Method m : loader.loadClass("accrete.fn." + name).getMethods()) {
        if (m.getName().equals("invoke")) {
          return m;
        }
      }
      throw new IllegalStateException("compiled database function has no invoke method");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean javaName(String s) {
    return !s.isEmpty() && Character.isJavaIdentifierStart(s.charAt(0))
        && s.chars().skip(1).allMatch(Character::isJavaIdentifierPart);
  }

  private static AccreteException invalid(String why) {
    return new AccreteException(Keyword.of("db.error", "invalid-fn"), "Invalid #db/fn: " + why);
  }

  /** The definition map, as {@code #db/fn} reads it. */
  public Map<Keyword, Object> definition() {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(LANG, "java");
    m.put(PARAMS, params);
    m.put(CODE, code);
    if (!imports.isEmpty()) {
      List<Symbol> is = new ArrayList<>();
      for (String i : imports) {
        is.add(Symbol.intern(i));
      }
      m.put(IMPORTS, is);
    }
    return m;
  }

  @Override
  public void printEdn(StringBuilder out) {
    out.append("#db/fn ");
    Edn.print(definition(), out);
  }

  @Override
  public String toString() {
    return Edn.print(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DbFunction f && f.params.equals(params) && f.code.equals(code) && f.imports.equals(imports);
  }

  @Override
  public int hashCode() {
    return (params.hashCode() * 31 + code.hashCode()) * 31 + imports.hashCode();
  }

  @Override
  public int compareTo(DbFunction o) {
    return toString().compareTo(o.toString());
  }
}
