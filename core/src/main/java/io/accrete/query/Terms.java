package io.accrete.query;

import io.accrete.Symbol;
import io.accrete.edn.Edn;
import java.util.Objects;

/** The terms of clauses: variables, constants, the blank {@code _} and source variables. */
final class Terms {
  private Terms() {}

  /** A query variable such as {@code ?e}. */
  static final class Var {
    final String name;

    Var(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Var v && v.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A constant term. */
  static final class Const {
    final Object value;

    Const(Object value) {
      this.value = value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Const c && Objects.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(value);
    }

    @Override
    public String toString() {
      return Edn.print(value);
    }
  }

  /** The blank {@code _}: matches anything, binds nothing. */
  static final Object BLANK = new Object() {
    @Override
    public String toString() {
      return "_";
    }
  };

  /** A source variable such as {@code $} or {@code $hist}. */
  static final class Src {
    final String name;

    Src(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Src s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final Src DEFAULT_SRC = new Src("$");

  static boolean isVar(Object o) {
    return o instanceof Symbol s && s.namespace() == null && s.name().startsWith("?");
  }

  static boolean isSrc(Object o) {
    return o instanceof Symbol s && s.namespace() == null && s.name().startsWith("$");
  }

  static boolean isBlank(Object o) {
    return o instanceof Symbol s && s.namespace() == null && s.name().equals("_");
  }

  /** A pull pattern's name in {@code :in} and {@code (pull ?e pattern)}: a plain symbol, as in Datomic. */
  static boolean isPatternName(Object o) {
    return o instanceof Symbol s && s.namespace() == null && !s.name().isEmpty()
        && "?$%_.".indexOf(s.name().charAt(0)) < 0 && !s.name().equals("...");
  }

  static boolean isRulesVar(Object o) {
    return o instanceof Symbol s && s.namespace() == null && s.name().equals("%");
  }

  /** The term a form stands for in a clause. */
  static Object term(Object form) {
    if (isVar(form)) {
      return new Var(((Symbol) form).name());
    }
    if (isBlank(form)) {
      return BLANK;
    }
    if (isSrc(form)) {
      return new Src(((Symbol) form).name());
    }
    return new Const(form);
  }
}
