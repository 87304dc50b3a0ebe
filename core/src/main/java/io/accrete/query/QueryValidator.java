package io.accrete.query;

import io.accrete.Symbol;
import io.accrete.query.Clauses.Clause;
import io.accrete.query.Terms.Const;
import io.accrete.query.Terms.Var;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a query before any work: every function and aggregate exists with the right arity,
 * every rule called is defined with that arity, and every clause can get the bindings it
 * needs (predicates, functions, {@code not}, required rule and {@code or-join} variables, and
 * patterns that would otherwise scan the whole database).
 */
final class QueryValidator {
  private QueryValidator() {}

  static void check(Query q, Map<Symbol, List<QueryParser.Rule>> rules, Set<Var> inputVars,
      Set<String> collectionSources) {
    QueryValidator.collections.set(collectionSources);
    try {
      checkQuery(q, rules, inputVars);
    } finally {
      QueryValidator.collections.remove();
    }
  }

  /** Sources that are collections, whose patterns are never database scans. */
  private static final ThreadLocal<Set<String>> collections = new ThreadLocal<>();

  private static void checkQuery(Query q, Map<Symbol, List<QueryParser.Rule>> rules, Set<Var> inputVars) {
    for (Query.FindElement f : q.find) {
      if (f instanceof Query.FindAggregate a) {
        Aggregates.resolve(a.fn, a.constArgs.size(), a.fn);
      }
    }
    checkBody(q.where, rules, inputVars);
    for (List<QueryParser.Rule> defs : rules.values()) {
      for (QueryParser.Rule def : defs) {
        // A rule may be called with any of its arguments bound.
        checkBody(def.body, rules, new LinkedHashSet<>(def.vars));
      }
    }
  }

  private static void checkBody(List<Clause> body, Map<Symbol, List<QueryParser.Rule>> rules, Set<Var> outer) {
    Set<Var> can = canBind(body, rules, outer);
    for (Clause c : body) {
      checkClause(c, body, rules, can);
    }
  }

  /**
   * The outer variables an {@code or}/{@code or-join} needs bound before it runs: its required
   * ones, and those a branch reads (in a predicate, say) but cannot bind by itself.
   */
  static Set<Var> orNeeds(Clauses.Or o, Map<Symbol, List<QueryParser.Rule>> rules) {
    Set<Var> needs = new LinkedHashSet<>(o.required);
    Set<Var> outer = o.outerVars();
    for (List<Clause> branch : o.branches) {
      Set<Var> own = canBind(branch, rules, Set.of());
      for (Clause c : branch) {
        for (Var v : c.vars()) {
          if (outer.contains(v) && !own.contains(v)) {
            needs.add(v);
          }
        }
      }
    }
    return needs;
  }

  /**
   * The argument positions a rule needs bound: declared ones ({@code [?a]} in the head) and
   * those some definition reads but cannot bind by itself.
   */
  static Set<Integer> ruleNeeds(List<QueryParser.Rule> defs, Map<Symbol, List<QueryParser.Rule>> rules) {
    Set<Integer> needs = new LinkedHashSet<>();
    for (QueryParser.Rule def : defs) {
      Set<Var> own = canBind(def.body, rules, Set.of());
      for (int i = 0; i < def.vars.size(); i++) {
        Var h = def.vars.get(i);
        if (def.required.contains(h) || !own.contains(h)) {
          needs.add(i);
        }
      }
    }
    return needs;
  }

  /** The variables the clauses can bind, given those bound from outside. */
  static Set<Var> canBind(List<Clause> body, Map<Symbol, List<QueryParser.Rule>> rules, Set<Var> outer) {
    Set<Var> can = new LinkedHashSet<>(outer);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Clause c : body) {
        Set<Var> adds = null;
        if (c instanceof Clauses.Pattern p) {
          if (!isFullScan(p) || intersects(p.vars(), can)) {
            adds = p.vars();
          }
        } else if (c instanceof Clauses.Function f) {
          if (can.containsAll(Clauses.varsOf(f.args))) {
            adds = f.out.vars();
          }
        } else if (c instanceof Clauses.RuleCall r) {
          if (can.containsAll(requiredArgs(r, rules))) {
            adds = r.vars();
          }
        } else if (c instanceof Clauses.Or o) {
          if (can.containsAll(o.required)) {
            adds = o.outerVars();
          }
        }
        if (adds != null && can.addAll(adds)) {
          changed = true;
        }
      }
    }
    return can;
  }

  private static void checkClause(Clause c, List<Clause> body, Map<Symbol, List<QueryParser.Rule>> rules, Set<Var> can) {
    if (c instanceof Clauses.Predicate p) {
      if (!isSourceFunction(p.fn)) {
        Functions.resolve(p.fn, p.args.length, p.form);
      }
      needs(c, Clauses.varsOf(p.args), can);
    } else if (c instanceof Clauses.Function f) {
      if (isSourceFunction(f.fn)) {
        SourceFunctions.invoker(name(f.fn), f.args.length, f.form);
      } else {
        Functions.resolve(f.fn, f.args.length, f.form);
      }
      needs(c, Clauses.varsOf(f.args), can);
    } else if (c instanceof Clauses.Pattern p) {
      if (isFullScan(p) && !intersects(p.vars(), can)) {
        throw QueryParser.error("Insufficient binding for " + QueryParser.show(p.form)
            + ": with no attribute, entity or value known it would scan the whole database;"
            + " bind one of " + p.vars() + " in another clause");
      }
    } else if (c instanceof Clauses.RuleCall r) {
      List<QueryParser.Rule> defs = rules.get(r.name);
      if (defs == null) {
        throw QueryParser.error("Unknown rule " + r.name + " in " + QueryParser.show(r.form)
            + (rules.isEmpty() ? "; no rules were passed as % input" : "; rules known: " + rules.keySet()));
      }
      int arity = defs.get(0).vars.size();
      if (r.args.length != arity) {
        throw QueryParser.error("Rule " + r.name + " takes " + arity + " arguments, called with "
            + r.args.length + " in " + QueryParser.show(r.form));
      }
      needs(c, requiredArgs(r, rules), can);
    } else if (c instanceof Clauses.Not n) {
      Set<Var> join = n.joinVars != null ? new LinkedHashSet<>(n.joinVars) : sharedWithOthers(n, body, can);
      if (n.joinVars == null && join.isEmpty() && !n.outerVars().isEmpty()) {
        // As Datomic: a not removes rows of the query, so it must share a variable with them.
        throw QueryParser.error("Insufficient binding for " + QueryParser.show(c.form) + ": none of its variables "
            + n.outerVars() + " is bound outside it; bind one in another clause or an input, or use not-join");
      }
      needs(c, join, can);
      checkBody(n.body, rules, join);
    } else if (c instanceof Clauses.Or o) {
      needs(c, o.required, can);
      Set<Var> in = new LinkedHashSet<>(o.outerVars());
      in.retainAll(can);
      for (List<Clause> branch : o.branches) {
        if (o.joinVars != null) {
          Set<Var> bound = canBind(branch, rules, in);
          for (Var v : o.joinVars) {
            if (!bound.contains(v) && !can.contains(v)) {
              throw QueryParser.error("A branch of " + QueryParser.show(o.form) + " does not bind " + v);
            }
          }
        }
        checkBody(branch, rules, in);
      }
    }
  }

  /** Variables of a plain not that also occur outside it. */
  private static Set<Var> sharedWithOthers(Clauses.Not n, List<Clause> body, Set<Var> can) {
    Set<Var> out = new LinkedHashSet<>();
    for (Var v : n.outerVars()) {
      if (can.contains(v)) {
        out.add(v);
        continue;
      }
      for (Clause c : body) {
        if (c != n && c.vars().contains(v)) {
          out.add(v);
          break;
        }
      }
    }
    return out;
  }

  private static void needs(Clause c, Collection<Var> vars, Set<Var> can) {
    Set<Var> missing = new LinkedHashSet<>();
    for (Var v : vars) {
      if (!can.contains(v)) {
        missing.add(v);
      }
    }
    if (!missing.isEmpty()) {
      throw QueryParser.error("Insufficient binding for " + QueryParser.show(c.form) + ": "
          + (missing.size() == 1 ? "variable " : "variables ") + missing
          + " must be bound by another clause or an input");
    }
  }

  private static Set<Var> requiredArgs(Clauses.RuleCall r, Map<Symbol, List<QueryParser.Rule>> rules) {
    Set<Var> out = new LinkedHashSet<>();
    List<QueryParser.Rule> defs = rules.get(r.name);
    if (defs == null) {
      return out;
    }
    QueryParser.Rule def = defs.get(0);
    for (Var req : def.required) {
      int i = def.vars.indexOf(req);
      if (i >= 0 && i < r.args.length && r.args[i] instanceof Var v) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * Checks that the constant attributes of patterns over database sources exist. Runs on every
   * query (the databases differ between runs), so it only walks the clauses.
   */
  static void checkAttributes(List<Clause> body, Map<String, Object> sources, Map<Symbol, List<QueryParser.Rule>> rules) {
    for (Clause c : body) {
      if (c instanceof Clauses.Pattern p && p.terms.length > 1 && p.terms[1] instanceof Const k
          && k.value instanceof io.accrete.Keyword attr) {
        Object src = sources.get((p.src == null ? Terms.DEFAULT_SRC : p.src).name);
        if (src instanceof io.accrete.db.Db db && db.attribute(attr) == null) {
          throw QueryParser.error("Unknown attribute " + attr + " in " + QueryParser.show(p.form));
        }
      } else if (c instanceof Clauses.Not n) {
        checkAttributes(n.body, sources, rules);
      } else if (c instanceof Clauses.Or o) {
        for (List<Clause> b : o.branches) {
          checkAttributes(b, sources, rules);
        }
      }
    }
  }

  /** A pattern with nothing known about entity, attribute or value. */
  static boolean isFullScan(Clauses.Pattern p) {
    Set<String> coll = collections.get();
    if (coll != null && coll.contains((p.src == null ? Terms.DEFAULT_SRC : p.src).name)) {
      return false;
    }
    for (int i = 0; i < Math.min(3, p.terms.length); i++) {
      if (p.terms[i] instanceof Const) {
        return false;
      }
    }
    return true;
  }

  private static boolean intersects(Set<Var> a, Set<Var> b) {
    for (Var v : a) {
      if (b.contains(v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSourceFunction(Symbol s) {
    return Functions.SOURCE_FUNCTIONS.contains(name(s));
  }

  private static String name(Symbol s) {
    return s.namespace() == null ? s.name() : s.toString();
  }
}
