package io.accrete.query;

import io.accrete.Symbol;
import io.accrete.query.Terms.Src;
import io.accrete.query.Terms.Var;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The where-clauses of a query, parsed. */
final class Clauses {
  private Clauses() {}

  /** A where-clause; {@link #vars} are the variables it mentions. */
  abstract static class Clause {
    /** The clause as written, for messages and explain. */
    final Object form;

    Clause(Object form) {
      this.form = form;
    }

    abstract Set<Var> vars();

    @Override
    public String toString() {
      return io.accrete.edn.Edn.print(form);
    }
  }

  /** {@code [src? e a v tx added]}: terms are Var, Const or BLANK. */
  static final class Pattern extends Clause {
    final Src src;
    final Object[] terms;

    Pattern(Object form, Src src, Object[] terms) {
      super(form);
      this.src = src;
      this.terms = terms;
    }

    @Override
    Set<Var> vars() {
      Set<Var> out = new LinkedHashSet<>();
      for (Object t : terms) {
        if (t instanceof Var v) {
          out.add(v);
        }
      }
      return out;
    }
  }

  /** {@code [(pred args...)]}. */
  static final class Predicate extends Clause {
    final Symbol fn;
    final Object[] args;

    Predicate(Object form, Symbol fn, Object[] args) {
      super(form);
      this.fn = fn;
      this.args = args;
    }

    @Override
    Set<Var> vars() {
      return varsOf(args);
    }
  }

  /** {@code [(fn args...) binding]}. */
  static final class Function extends Clause {
    final Symbol fn;
    final Object[] args;
    final Bindings.Binding out;

    Function(Object form, Symbol fn, Object[] args, Bindings.Binding out) {
      super(form);
      this.fn = fn;
      this.args = args;
      this.out = out;
    }

    @Override
    Set<Var> vars() {
      Set<Var> s = varsOf(args);
      s.addAll(out.vars());
      return s;
    }
  }

  /** {@code (src? rule-name args...)}. */
  static final class RuleCall extends Clause {
    final Src src;
    final Symbol name;
    final Object[] args;

    RuleCall(Object form, Src src, Symbol name, Object[] args) {
      super(form);
      this.src = src;
      this.name = name;
      this.args = args;
    }

    @Override
    Set<Var> vars() {
      return varsOf(args);
    }
  }

  /** {@code (not ...)} and {@code (not-join [vars] ...)}: joinVars null for plain not. */
  static final class Not extends Clause {
    final Src src;
    final List<Var> joinVars;
    final List<Clause> body;

    Not(Object form, Src src, List<Var> joinVars, List<Clause> body) {
      super(form);
      this.src = src;
      this.joinVars = joinVars;
      this.body = body;
    }

    /** The variables shared with the enclosing query. */
    Set<Var> outerVars() {
      if (joinVars != null) {
        return new LinkedHashSet<>(joinVars);
      }
      Set<Var> s = new LinkedHashSet<>();
      for (Clause c : body) {
        s.addAll(c.vars());
      }
      return s;
    }

    @Override
    Set<Var> vars() {
      return outerVars();
    }
  }

  /**
   * {@code (or ...)} and {@code (or-join [[required] free] ...)}: each branch is a list of
   * clauses (an {@code and} or a single clause). {@code joinVars} null for plain or.
   */
  static final class Or extends Clause {
    final Src src;
    final List<Var> required;
    final List<Var> joinVars;
    final List<List<Clause>> branches;

    Or(Object form, Src src, List<Var> required, List<Var> joinVars, List<List<Clause>> branches) {
      super(form);
      this.src = src;
      this.required = required;
      this.joinVars = joinVars;
      this.branches = branches;
    }

    Set<Var> outerVars() {
      if (joinVars != null) {
        return new LinkedHashSet<>(joinVars);
      }
      Set<Var> s = new LinkedHashSet<>();
      for (Clause c : branches.get(0)) {
        s.addAll(c.vars());
      }
      return s;
    }

    @Override
    Set<Var> vars() {
      return outerVars();
    }
  }

  static Set<Var> varsOf(Object[] terms) {
    Set<Var> out = new LinkedHashSet<>();
    for (Object t : terms) {
      if (t instanceof Var v) {
        out.add(v);
      }
    }
    return out;
  }
}
