package io.accrete.query;

import io.accrete.Symbol;
import io.accrete.index.Values;
import io.accrete.query.Relation.RowKey;
import io.accrete.query.Terms.Const;
import io.accrete.query.Terms.Src;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules, recursive ones included. A call's bound arguments are pushed into the rule: each
 * (rule, bound positions, source) has a table of the inputs asked for and the answers found;
 * the rule's bodies are evaluated for those inputs only, recursive calls add inputs and read
 * the answers found so far, and evaluation repeats until neither grows (a fixpoint). A rule
 * called with nothing bound is evaluated whole.
 *
 * <p>Evaluation is semi-naive: each round evaluates the bodies fully only for inputs that are
 * new, and for the other inputs joins each recursive call with only the answers the previous
 * round added (one recursive call at a time, so non-linear recursion is covered too). When
 * rules recurse through each other (mutual recursion), every round re-evaluates everything,
 * which is slower but still exact.
 */
final class RuleEvaluator {
  private final Execution ex;
  private final Map<String, Table> tables = new HashMap<>();

  RuleEvaluator(Execution ex) {
    this.ex = ex;
  }

  private static final class Table {
    final Set<RowKey> inputKeys = new HashSet<>();
    final List<Object[]> inputs = new ArrayList<>();
    final Set<RowKey> answerKeys = new HashSet<>();
    final List<Object[]> answers = new ArrayList<>();
    boolean evaluating;
    /** Answers [deltaFrom, deltaTo) are the ones the previous round added. */
    int deltaFrom;
    int deltaTo;
  }

  /** The table whose bodies are being evaluated, and the call that reads only its delta. */
  private Table active;
  private Clauses.RuleCall deltaCall;
  /** Set once rules recurse through each other: semi-naive rounds would then miss answers. */
  private boolean mutual;

  void apply(Clauses.RuleCall call, Context ctx, Src src) {
    List<QueryParser.Rule> defs = ex.rules.get(call.name);
    if (defs == null) {
      throw QueryParser.error("Unknown rule " + call.name + " in " + QueryParser.show(call.form)
          + (ex.rules.isEmpty() ? "; no rules were passed as % input" : "; rules known: " + ex.rules.keySet()));
    }
    int arity = defs.get(0).vars.size();
    if (call.args.length != arity) {
      throw QueryParser.error("Rule " + call.name + " takes " + arity + " arguments, called with "
          + call.args.length + " in " + QueryParser.show(call.form));
    }
    boolean[] bound = new boolean[arity];
    Set<Var> boundVars = new LinkedHashSet<>();
    for (int i = 0; i < arity; i++) {
      Object a = call.args[i];
      if (a instanceof Const) {
        bound[i] = true;
      } else if (a instanceof Var v && ctx.bound(v)) {
        bound[i] = true;
        boundVars.add(v);
      }
    }
    Relation r = ctx.merged(boundVars);
    List<Object[]> inputs = new ArrayList<>();
    Set<RowKey> seen = new HashSet<>();
    int[] pos = new int[arity];
    for (int i = 0; i < arity; i++) {
      pos[i] = call.args[i] instanceof Var v ? r.indexOf(v) : -1;
    }
    for (Object[] row : r.rows) {
      Object[] in = new Object[count(bound)];
      int k = 0;
      for (int i = 0; i < arity; i++) {
        if (bound[i]) {
          in[k++] = call.args[i] instanceof Const c ? QueryRunner.normalize(c.value) : row[pos[i]];
        }
      }
      if (seen.add(new RowKey(in))) {
        inputs.add(in);
      }
    }
    List<Object[]> answers = null;
    if (count(bound) > 0 && !tables.containsKey(call.name + "/" + java.util.Arrays.toString(bound) + "/" + src)) {
      answers = rightLinear(call.name, defs, bound, inputs, src);
    }
    if (answers == null) {
      answers = evaluate(call, defs, bound, inputs, src);
    }
    // The answers as a relation over the call's variables.
    List<Var> vars = new ArrayList<>();
    // The answers are distinct tuples; a blank argument drops a column, and rows may repeat.
    boolean distinct = true;
    for (Object a : call.args) {
      if (a instanceof Var v && !vars.contains(v)) {
        vars.add(v);
      } else if (!(a instanceof Var) && !(a instanceof Const)) {
        distinct = false;
      }
    }
    List<Object[]> rows = new ArrayList<>();
    for (Object[] ans : answers) {
      Object[] row = new Object[vars.size()];
      boolean ok = true;
      for (int i = 0; i < arity && ok; i++) {
        Object a = call.args[i];
        if (a instanceof Const c) {
          ok = Values.equal(QueryRunner.normalize(c.value), ans[i]);
        } else if (a instanceof Var v) {
          int j = vars.indexOf(v);
          if (row[j] == null) {
            row[j] = ans[i];
          } else {
            ok = Values.equal(row[j], ans[i]);
          }
        }
      }
      if (ok) {
        rows.add(row);
      }
    }
    Relation result = new Relation(vars.toArray(new Var[0]), rows, distinct);
    if (boundVars.isEmpty()) {
      Execution.joinInto(ctx, result);
    } else {
      ctx.replace(r, Relation.join(r, result));
    }
  }

  /**
   * Right-linear recursion with bound arguments, the usual transitive closure
   * ({@code [(r ?a ?b) [?a :next ?b]] [(r ?a ?b) [?a :next ?x] (r ?x ?b)]} called with
   * {@code ?a} bound): the answers for a start are the base answers of every node reachable
   * from it, so it walks the reachable nodes breadth first and evaluates the base rules once
   * over them, instead of tabling the answers of every intermediate node (which is quadratic).
   * Null when the rule does not have that shape.
   */
  private List<Object[]> rightLinear(Symbol name, List<QueryParser.Rule> defs, boolean[] bound,
      List<Object[]> inputs, Src src) {
    List<QueryParser.Rule> base = new ArrayList<>();
    List<QueryParser.Rule> recursive = new ArrayList<>();
    List<Clauses.RuleCall> calls = new ArrayList<>();
    for (QueryParser.Rule def : defs) {
      if (new LinkedHashSet<>(def.vars).size() != def.vars.size() || reaches(def.body, name, new java.util.HashSet<>(), true)) {
        return null;
      }
      Clauses.RuleCall self = null;
      for (Clauses.Clause c : def.body) {
        if (c instanceof Clauses.RuleCall rc && rc.name.equals(name)) {
          if (self != null) {
            return null; // non-linear
          }
          self = rc;
        } else if (reaches(List.of(c), name, new java.util.HashSet<>(), false)) {
          return null; // recursion hidden in another clause
        }
      }
      if (self == null) {
        base.add(def);
        continue;
      }
      // Free head variables pass straight through to the recursive call and nowhere else.
      for (int i = 0; i < bound.length; i++) {
        if (bound[i]) {
          if (!(self.args[i] instanceof Var) && !(self.args[i] instanceof Terms.Const)) {
            return null;
          }
          continue;
        }
        Var h = def.vars.get(i);
        if (!h.equals(self.args[i])) {
          return null;
        }
        for (Clauses.Clause c : def.body) {
          if (c != self && c.vars().contains(h)) {
            return null;
          }
        }
        for (int j = 0; j < bound.length; j++) {
          if (j != i && h.equals(self.args[j])) {
            return null;
          }
        }
      }
      recursive.add(def);
      calls.add(self);
    }
    if (recursive.isEmpty()) {
      return null;
    }
    int nb = count(bound);
    Var[] roots = new Var[nb];
    for (int i = 0; i < nb; i++) {
      roots[i] = new Var("?\u0000root" + i);
    }
    // Pairs (start, node): every node reachable from a start, the start included.
    Set<RowKey> seen = new HashSet<>();
    List<Object[]> all = new ArrayList<>();
    List<Object[]> frontier = new ArrayList<>();
    for (Object[] in : inputs) {
      Object[] pair = new Object[nb * 2];
      System.arraycopy(in, 0, pair, 0, nb);
      System.arraycopy(in, 0, pair, nb, nb);
      if (seen.add(new RowKey(pair))) {
        frontier.add(pair);
        all.add(pair);
      }
    }
    while (!frontier.isEmpty()) {
      ex.tick();
      List<Object[]> next = new ArrayList<>();
      for (int d = 0; d < recursive.size(); d++) {
        QueryParser.Rule def = recursive.get(d);
        Clauses.RuleCall self = calls.get(d);
        List<Clauses.Clause> body = new ArrayList<>(def.body);
        body.remove(self);
        Context sub = pairsContext(roots, def, bound, frontier);
        ex.solve(body, sub, src, new LinkedHashSet<>(def.vars));
        if (sub.empty) {
          continue;
        }
        List<Var> keep = new ArrayList<>(List.of(roots));
        for (int i = 0; i < bound.length; i++) {
          if (bound[i] && self.args[i] instanceof Var v) {
            if (!sub.bound(v)) {
              throw QueryParser.error("Rule " + name + " does not bind " + v + " before calling itself in "
                  + QueryParser.show(self.form));
            }
            if (!keep.contains(v)) {
              keep.add(v);
            }
          }
        }
        Relation rel = sub.merged(keep);
        for (Object[] row : rel.rows) {
          Object[] pair = new Object[nb * 2];
          int k = 0;
          for (int i = 0; i < nb; i++) {
            pair[k++] = row[rel.indexOf(roots[i])];
          }
          for (int i = 0; i < bound.length; i++) {
            if (bound[i]) {
              Object a = self.args[i];
              pair[k++] = a instanceof Var v ? row[rel.indexOf(v)] : QueryRunner.normalize(((Terms.Const) a).value);
            }
          }
          if (seen.add(new RowKey(pair))) {
            next.add(pair);
            all.add(pair);
          }
        }
      }
      frontier = next;
    }
    // The base rules over every reachable node give the answers of its start.
    List<Object[]> answers = new ArrayList<>();
    Set<RowKey> found = new HashSet<>();
    for (QueryParser.Rule def : base) {
      Context sub = pairsContext(roots, def, bound, all);
      ex.solve(def.body, sub, src, new LinkedHashSet<>(def.vars));
      if (sub.empty) {
        continue;
      }
      List<Var> keep = new ArrayList<>(List.of(roots));
      for (int i = 0; i < bound.length; i++) {
        if (!bound[i]) {
          Var h = def.vars.get(i);
          if (!sub.bound(h)) {
            throw QueryParser.error("Rule " + name + " does not bind its argument " + h);
          }
          keep.add(h);
        }
      }
      Relation rel = sub.merged(keep);
      for (Object[] row : rel.rows) {
        Object[] ans = new Object[bound.length];
        int k = 0;
        for (int i = 0; i < bound.length; i++) {
          ans[i] = bound[i] ? row[rel.indexOf(roots[k++])] : row[rel.indexOf(def.vars.get(i))];
        }
        if (found.add(new RowKey(ans))) {
          answers.add(ans);
        }
      }
    }
    return answers;
  }

  /** A context binding the start columns and a rule's bound head variables to (start, node) pairs. */
  private static Context pairsContext(Var[] roots, QueryParser.Rule def, boolean[] bound, List<Object[]> pairs) {
    int nb = roots.length;
    Var[] vars = new Var[nb * 2];
    System.arraycopy(roots, 0, vars, 0, nb);
    int k = nb;
    for (int i = 0; i < bound.length; i++) {
      if (bound[i]) {
        vars[k++] = def.vars.get(i);
      }
    }
    return new Context(new Relation(vars, new ArrayList<>(pairs)));
  }

  /** True when the clauses call rule {@code name}, directly ({@code direct}) or through other rules. */
  private boolean reaches(List<Clauses.Clause> body, Symbol name, Set<Symbol> visiting, boolean skipDirectTop) {
    for (Clauses.Clause c : body) {
      if (c instanceof Clauses.RuleCall rc) {
        if (rc.name.equals(name)) {
          if (!skipDirectTop) {
            return true;
          }
          continue;
        }
        if (visiting.add(rc.name)) {
          for (QueryParser.Rule d : ex.rules.getOrDefault(rc.name, List.of())) {
            if (reaches(d.body, name, visiting, false)) {
              return true;
            }
          }
        }
      } else if (c instanceof Clauses.Not n) {
        if (reaches(n.body, name, visiting, false)) {
          return true;
        }
      } else if (c instanceof Clauses.Or o) {
        for (List<Clauses.Clause> b : o.branches) {
          if (reaches(b, name, visiting, false)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }

  private List<Object[]> evaluate(Clauses.RuleCall call, List<QueryParser.Rule> defs, boolean[] bound,
      List<Object[]> newInputs, Src src) {
    Symbol name = call.name;
    String key = name + "/" + java.util.Arrays.toString(bound) + "/" + src;
    Table t = tables.computeIfAbsent(key, k -> new Table());
    for (Object[] in : newInputs) {
      if (t.inputKeys.add(new RowKey(in))) {
        t.inputs.add(in);
      }
    }
    if (t.evaluating) {
      // A recursive call: the enclosing evaluation iterates until nothing grows.
      if (t != active) {
        mutual = true;
      } else if (call == deltaCall) {
        return new ArrayList<>(t.answers.subList(t.deltaFrom, t.deltaTo));
      }
      return new ArrayList<>(t.answers);
    }
    Table outerActive = active;
    Clauses.RuleCall outerDelta = deltaCall;
    t.evaluating = true;
    active = t;
    try {
      int done = 0; // inputs [0, done) have had a full evaluation
      t.deltaFrom = 0;
      t.deltaTo = 0;
      while (true) {
        int inputsEnd = t.inputs.size();
        int answersBefore = t.answers.size();
        if (mutual) {
          done = 0; // exact but naive: everything again
        }
        if (inputsEnd > done) {
          for (QueryParser.Rule def : defs) {
            evaluateBody(t, name, def, bound, t.inputs.subList(done, inputsEnd), src, null);
          }
        }
        if (!mutual && done > 0 && t.deltaTo > t.deltaFrom) {
          for (QueryParser.Rule def : defs) {
            for (Clauses.Clause c : def.body) {
              if (c instanceof Clauses.RuleCall rc && rc.name.equals(name)) {
                evaluateBody(t, name, def, bound, t.inputs.subList(0, done), src, rc);
              }
            }
          }
        }
        done = inputsEnd;
        t.deltaFrom = answersBefore;
        t.deltaTo = t.answers.size();
        if (t.answers.size() == answersBefore && t.inputs.size() == inputsEnd) {
          break;
        }
      }
    } finally {
      t.evaluating = false;
      active = outerActive;
      deltaCall = outerDelta;
    }
    return t.answers;
  }

  /** Evaluates one rule body for some inputs and adds what it derives to the table. */
  private void evaluateBody(Table t, Symbol name, QueryParser.Rule def, boolean[] bound,
      List<Object[]> inputs, Src src, Clauses.RuleCall delta) {
    ex.tick();
    List<Var> head = def.vars;
    List<Var> inVars = new ArrayList<>();
    for (int i = 0; i < head.size(); i++) {
      if (bound[i]) {
        inVars.add(head.get(i));
      }
    }
    Relation input = inVars.isEmpty() ? Relation.unit()
        : new Relation(inVars.toArray(new Var[0]), new ArrayList<>(inputs));
    Context sub = new Context(input);
    Table outerActive = active;
    Clauses.RuleCall outerDelta = deltaCall;
    active = t;
    deltaCall = delta;
    try {
      ex.solve(def.body, sub, src, new LinkedHashSet<>(head));
    } finally {
      active = outerActive;
      deltaCall = outerDelta;
    }
    if (sub.empty) {
      return;
    }
    for (Var v : head) {
      if (!sub.bound(v)) {
        throw QueryParser.error("Rule " + name + " does not bind its argument " + v
            + " in " + QueryParser.show(def.body.get(0).form));
      }
    }
    for (Object[] row : sub.merged(head).project(head).rows) {
      if (t.answerKeys.add(new RowKey(row))) {
        t.answers.add(row);
      }
    }
  }
}
