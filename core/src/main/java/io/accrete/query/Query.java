package io.accrete.query;

import io.accrete.Symbol;
import io.accrete.query.Clauses.Clause;
import io.accrete.query.Terms.Src;
import io.accrete.query.Terms.Var;
import java.util.List;

/** A parsed Datalog query: find spec, return maps, :with, :in and :where. Immutable. */
final class Query {
  enum FindKind {
    RELATION, COLLECTION, TUPLE, SCALAR
  }

  /** An element of :find. */
  abstract static class FindElement {}

  /** {@code ?x}. */
  static final class FindVar extends FindElement {
    final Var var;

    FindVar(Var var) {
      this.var = var;
    }
  }

  /** {@code (agg const-args... ?x)}. */
  static final class FindAggregate extends FindElement {
    final Symbol fn;
    final List<Object> constArgs;
    final Var var;

    FindAggregate(Symbol fn, List<Object> constArgs, Var var) {
      this.fn = fn;
      this.constArgs = constArgs;
      this.var = var;
    }
  }

  /** {@code (pull src? ?e pattern)}: pattern is a constant or an input variable. */
  static final class FindPull extends FindElement {
    final Src src;
    final Var var;
    final Object pattern;
    final Var patternVar;

    FindPull(Src src, Var var, Object pattern, Var patternVar) {
      this.src = src;
      this.var = var;
      this.pattern = pattern;
      this.patternVar = patternVar;
    }
  }

  /** One :in element: a source, the rules ({@code %}) or a binding form. */
  static final class Input {
    final Src src;
    final boolean rules;
    final Bindings.Binding binding;
    /** A pull pattern input ({@code ?pattern} used in a pull find). */
    Input(Src src, boolean rules, Bindings.Binding binding) {
      this.src = src;
      this.rules = rules;
      this.binding = binding;
    }
  }

  final Object form;
  final FindKind kind;
  final List<FindElement> find;
  /** :keys, :strs or :syms names, or null. */
  final List<Object> returnKeys;
  final List<Var> with;
  final List<Input> in;
  final List<Clause> where;

  Query(Object form, FindKind kind, List<FindElement> find, List<Object> returnKeys, List<Var> with,
      List<Input> in, List<Clause> where) {
    this.form = form;
    this.kind = kind;
    this.find = find;
    this.returnKeys = returnKeys;
    this.with = with;
    this.in = in;
    this.where = where;
  }

  boolean hasAggregates() {
    for (FindElement f : find) {
      if (f instanceof FindAggregate) {
        return true;
      }
    }
    return false;
  }
}
