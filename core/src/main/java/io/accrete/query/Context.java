package io.accrete.query;

import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The bindings of a query in progress: relations over disjoint sets of variables. Clauses
 * join into the relation(s) whose variables they share; unrelated clauses start relations of
 * their own, joined (as a product) only when something needs both.
 */
final class Context {
  final List<Relation> rels = new ArrayList<>();
  /** Set when some relation is empty: the whole conjunction has no solutions. */
  boolean empty;

  Context() {}

  Context(Relation initial) {
    add(initial);
  }

  void add(Relation r) {
    if (r.size() == 0) {
      empty = true;
    }
    if (r.vars.length == 0) {
      return; // the unit relation, or an empty one already recorded
    }
    rels.add(r);
  }

  Relation relOf(Var v) {
    for (Relation r : rels) {
      if (r.has(v)) {
        return r;
      }
    }
    return null;
  }

  boolean bound(Var v) {
    return relOf(v) != null;
  }

  /**
   * The one relation that binds all of {@code vars} that are bound, joining relations as
   * needed; the unit relation when none is bound.
   */
  Relation merged(Collection<Var> vars) {
    List<Relation> involved = new ArrayList<>();
    for (Var v : vars) {
      Relation r = relOf(v);
      if (r != null && !involved.contains(r)) {
        involved.add(r);
      }
    }
    if (involved.isEmpty()) {
      return Relation.unit();
    }
    if (involved.size() == 1) {
      return involved.get(0);
    }
    Relation acc = involved.get(0);
    for (int i = 1; i < involved.size(); i++) {
      acc = Relation.join(acc, involved.get(i));
    }
    rels.removeAll(involved);
    rels.add(acc);
    return acc;
  }

  /** Drops a relation that was joined into another. */
  void remove(Relation r) {
    rels.remove(r);
  }

  /** Replaces {@code old} (or adds, when old binds nothing) with {@code now}. */
  void replace(Relation old, Relation now) {
    rels.remove(old);
    add(now);
  }

  /** Everything joined into one relation. */
  Relation all() {
    Relation acc = Relation.unit();
    for (Relation r : rels) {
      acc = Relation.join(acc, r);
    }
    return acc;
  }
}
