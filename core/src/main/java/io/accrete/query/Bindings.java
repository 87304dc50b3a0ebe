package io.accrete.query;

import io.accrete.query.Terms.Var;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Binding forms of {@code :in} and of function results: scalar, tuple, collection, relation. */
final class Bindings {
  private Bindings() {}

  /** A binding form. */
  abstract static class Binding {
    abstract Set<Var> vars();
  }

  /** {@code ?x}, or {@code _} when var is null. */
  static final class Scalar extends Binding {
    final Var var;

    Scalar(Var var) {
      this.var = var;
    }

    @Override
    Set<Var> vars() {
      Set<Var> s = new LinkedHashSet<>();
      if (var != null) {
        s.add(var);
      }
      return s;
    }
  }

  /** {@code [?a ?b]}: one tuple. */
  static final class Tuple extends Binding {
    final List<Binding> elements;

    Tuple(List<Binding> elements) {
      this.elements = elements;
    }

    @Override
    Set<Var> vars() {
      Set<Var> s = new LinkedHashSet<>();
      for (Binding b : elements) {
        s.addAll(b.vars());
      }
      return s;
    }
  }

  /** {@code [?x ...]}: a collection. */
  static final class Coll extends Binding {
    final Binding element;

    Coll(Binding element) {
      this.element = element;
    }

    @Override
    Set<Var> vars() {
      return element.vars();
    }
  }

  /** {@code [[?a ?b]]}: a relation. */
  static final class Rel extends Binding {
    final Tuple tuple;

    Rel(Tuple tuple) {
      this.tuple = tuple;
    }

    @Override
    Set<Var> vars() {
      return tuple.vars();
    }
  }
}
