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
    boolean grew;
  }

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
    List<Object[]> answers = evaluate(call.name, defs, bound, inputs, src);
    // The answers as a relation over the call's variables.
    List<Var> vars = new ArrayList<>();
    for (Object a : call.args) {
      if (a instanceof Var v && !vars.contains(v)) {
        vars.add(v);
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
    Relation result = new Relation(vars.toArray(new Var[0]), rows);
    if (boundVars.isEmpty()) {
      Execution.joinInto(ctx, result);
    } else {
      ctx.replace(r, Relation.join(r, result));
    }
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }

  private List<Object[]> evaluate(Symbol name, List<QueryParser.Rule> defs, boolean[] bound,
      List<Object[]> newInputs, Src src) {
    String key = name + "/" + java.util.Arrays.toString(bound) + "/" + src;
    Table t = tables.computeIfAbsent(key, k -> new Table());
    for (Object[] in : newInputs) {
      if (t.inputKeys.add(new RowKey(in))) {
        t.inputs.add(in);
        t.grew = true;
      }
    }
    if (t.evaluating) {
      // A recursive call: the enclosing evaluation iterates until nothing grows.
      return t.answers;
    }
    t.evaluating = true;
    try {
      do {
        t.grew = false;
        for (QueryParser.Rule def : defs) {
          ex.tick();
          List<Var> head = def.vars;
          List<Var> inVars = new ArrayList<>();
          for (int i = 0; i < head.size(); i++) {
            if (bound[i]) {
              inVars.add(head.get(i));
            }
          }
          Relation input = inVars.isEmpty() ? Relation.unit()
              : new Relation(inVars.toArray(new Var[0]), new ArrayList<>(t.inputs));
          Context sub = new Context(input);
          ex.solve(def.body, sub, src, new LinkedHashSet<>(head));
          if (sub.empty) {
            continue;
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
              t.grew = true;
            }
          }
        }
      } while (t.grew);
    } finally {
      t.evaluating = false;
    }
    return t.answers;
  }
}
