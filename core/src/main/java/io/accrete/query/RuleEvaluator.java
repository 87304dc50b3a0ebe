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
    List<Object[]> answers = evaluate(call, defs, bound, inputs, src);
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
