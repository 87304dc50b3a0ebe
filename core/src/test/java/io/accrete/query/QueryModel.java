package io.accrete.query;

import io.accrete.Datom;
import io.accrete.Keyword;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A naive reference evaluator for the Datalog subset QueryModelTest generates, written without
 * any of the engine's classes. It works on plain datoms and evaluates by brute force:
 *
 * <ul>
 *   <li>the bindings are a set of maps variable → value;
 *   <li>clauses run in the order written; a data pattern is matched against every datom of its
 *       attribute for every binding (nested loops);
 *   <li>predicates filter; {@code not}/{@code not-join} keep a binding when the body has no
 *       solution from it; {@code or}/{@code or-join} take the union of the branches;
 *   <li>rules are computed whole by naive iteration to a fixpoint, then joined;
 *   <li>the find projects to a set of tuples (a bag with {@code :with}); aggregates run over the
 *       distinct tuples of find and {@code :with} variables, grouped by the other find variables.
 * </ul>
 *
 * <p>Validity is checked statically, as Datomic does, in the written order: a predicate's,
 * a {@code not}'s or a required {@code or-join} variable must be bound by an earlier clause; the
 * branches of a plain {@code or} use the same variables; find variables are bound. An invalid
 * query throws {@link Invalid}.
 */
final class QueryModel {

  // ================================================================ the query AST

  interface Term {}

  record Var(String name) implements Term {
    @Override
    public String toString() {
      return name;
    }
  }

  record Const(Object value) implements Term {
    @Override
    public String toString() {
      return constText(value);
    }
  }

  /** The blank {@code _}. */
  static final Term BLANK = new Term() {
    @Override
    public String toString() {
      return "_";
    }
  };

  interface Clause {}

  /** {@code [src? e a v? tx? added?]}: terms[1] is the attribute (a keyword constant). */
  record Pattern(String src, List<Term> terms) implements Clause {}

  /** {@code [(op left right)]}. */
  record Pred(String op, Term left, Term right) implements Clause {}

  /** {@code (not ...)} when join is null, else {@code (not-join [join] ...)}. */
  record Not(List<Var> join, List<Clause> body) implements Clause {}

  /** {@code (or ...)} when join is null, else {@code (or-join [[required] others] ...)}. */
  record Or(List<Var> required, List<Var> join, List<List<Clause>> branches) implements Clause {}

  record RuleCall(String name, List<Term> args) implements Clause {}

  /** One definition of a rule: {@code [(name head...) body...]}. */
  record Rule(String name, List<Var> head, List<Clause> body) {}

  enum Kind {
    RELATION, COLLECTION, TUPLE, SCALAR
  }

  /** A find element: a variable, or {@code (agg ?var)} when agg is not null. */
  record FindElem(String agg, Var var) {}

  interface In {}

  record SrcIn(String name) implements In {}

  record RulesIn() implements In {}

  record ScalarIn(Var var) implements In {}

  record CollIn(Var var) implements In {}

  record Query(Kind kind, List<FindElem> find, List<Var> with, List<In> in, List<Clause> where) {
    boolean hasAggregates() {
      for (FindElem f : find) {
        if (f.agg() != null) {
          return true;
        }
      }
      return false;
    }
  }

  // ================================================================ printing as EDN text

  static String constText(Object v) {
    if (v instanceof String s) {
      StringBuilder sb = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') {
          sb.append('\\');
        }
        sb.append(c);
      }
      return sb.append('"').toString();
    }
    if (v instanceof Long || v instanceof Boolean || v instanceof Keyword) {
      return v.toString();
    }
    throw new IllegalArgumentException("no EDN text for " + v + " (" + v.getClass() + ")");
  }

  static String text(Query q) {
    StringBuilder sb = new StringBuilder("[:find");
    switch (q.kind()) {
      case SCALAR -> sb.append(' ').append(text(q.find().get(0))).append(" .");
      case COLLECTION -> sb.append(" [").append(text(q.find().get(0))).append(" ...]");
      case TUPLE -> {
        sb.append(" [");
        for (int i = 0; i < q.find().size(); i++) {
          sb.append(i == 0 ? "" : " ").append(text(q.find().get(i)));
        }
        sb.append(']');
      }
      default -> {
        for (FindElem f : q.find()) {
          sb.append(' ').append(text(f));
        }
      }
    }
    if (!q.with().isEmpty()) {
      sb.append(" :with");
      for (Var v : q.with()) {
        sb.append(' ').append(v);
      }
    }
    sb.append(" :in");
    for (In in : q.in()) {
      sb.append(' ');
      if (in instanceof SrcIn s) {
        sb.append(s.name());
      } else if (in instanceof RulesIn) {
        sb.append('%');
      } else if (in instanceof ScalarIn s) {
        sb.append(s.var());
      } else {
        sb.append('[').append(((CollIn) in).var()).append(" ...]");
      }
    }
    sb.append(" :where");
    for (Clause c : q.where()) {
      sb.append(' ').append(text(c));
    }
    return sb.append(']').toString();
  }

  /** The same query in map form: {@code {:find [...] :with [...] :in [...] :where [...]}}. */
  static String mapText(Query q) {
    String list = text(q);
    // Cut the list form at its section keywords; each section becomes a vector.
    StringBuilder sb = new StringBuilder("{");
    String body = list.substring(1, list.length() - 1);
    String[] keys = {":find", ":with", ":in", ":where"};
    List<int[]> cuts = new ArrayList<>();
    for (String k : keys) {
      int i = sectionIndex(body, k);
      if (i >= 0) {
        cuts.add(new int[] {i, k.length()});
      }
    }
    cuts.sort((a, b) -> Integer.compare(a[0], b[0]));
    for (int c = 0; c < cuts.size(); c++) {
      int start = cuts.get(c)[0];
      int end = c + 1 < cuts.size() ? cuts.get(c + 1)[0] : body.length();
      String key = body.substring(start, start + cuts.get(c)[1]);
      String content = body.substring(start + cuts.get(c)[1], end).trim();
      sb.append(c == 0 ? "" : " ").append(key).append(" [").append(content).append(']');
    }
    return sb.append('}').toString();
  }

  /** Where a section keyword starts at the top level of the list form (not inside a clause). */
  private static int sectionIndex(String body, String key) {
    int depth = 0;
    boolean str = false;
    for (int i = 0; i < body.length(); i++) {
      char ch = body.charAt(i);
      if (str) {
        if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          str = false;
        }
      } else if (ch == '"') {
        str = true;
      } else if (ch == '[' || ch == '(') {
        depth++;
      } else if (ch == ']' || ch == ')') {
        depth--;
      } else if (depth == 0 && body.startsWith(key, i)
          && (i + key.length() == body.length() || body.charAt(i + key.length()) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  static String text(FindElem f) {
    return f.agg() == null ? f.var().toString() : "(" + f.agg() + " " + f.var() + ")";
  }

  static String text(Clause c) {
    if (c instanceof Pattern p) {
      StringBuilder sb = new StringBuilder("[");
      if (!p.src().equals("$")) {
        sb.append(p.src()).append(' ');
      }
      for (int i = 0; i < p.terms().size(); i++) {
        sb.append(i == 0 ? "" : " ").append(p.terms().get(i));
      }
      return sb.append(']').toString();
    }
    if (c instanceof Pred p) {
      return "[(" + p.op() + " " + p.left() + " " + p.right() + ")]";
    }
    if (c instanceof Not n) {
      StringBuilder sb = new StringBuilder(n.join() == null ? "(not" : "(not-join " + vars(n.join()));
      for (Clause b : n.body()) {
        sb.append(' ').append(text(b));
      }
      return sb.append(')').toString();
    }
    if (c instanceof Or o) {
      StringBuilder sb = new StringBuilder();
      if (o.join() == null) {
        sb.append("(or");
      } else {
        sb.append("(or-join [");
        List<String> parts = new ArrayList<>();
        if (!o.required().isEmpty()) {
          parts.add(vars(o.required()));
        }
        for (Var v : o.join()) {
          if (!o.required().contains(v)) {
            parts.add(v.toString());
          }
        }
        sb.append(String.join(" ", parts)).append(']');
      }
      for (List<Clause> branch : o.branches()) {
        sb.append(' ');
        if (branch.size() == 1) {
          sb.append(text(branch.get(0)));
        } else {
          sb.append("(and");
          for (Clause b : branch) {
            sb.append(' ').append(text(b));
          }
          sb.append(')');
        }
      }
      return sb.append(')').toString();
    }
    RuleCall r = (RuleCall) c;
    StringBuilder sb = new StringBuilder("(").append(r.name());
    for (Term t : r.args()) {
      sb.append(' ').append(t);
    }
    return sb.append(')').toString();
  }

  static String text(List<Rule> rules) {
    StringBuilder sb = new StringBuilder("[");
    for (Rule r : rules) {
      sb.append(sb.length() == 1 ? "" : " ").append("[(").append(r.name());
      for (Var v : r.head()) {
        sb.append(' ').append(v);
      }
      sb.append(')');
      for (Clause c : r.body()) {
        sb.append(' ').append(text(c));
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }

  private static String vars(List<Var> vs) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < vs.size(); i++) {
      sb.append(i == 0 ? "" : " ").append(vs.get(i));
    }
    return sb.append(']').toString();
  }

  /** The variables a clause shares with its surroundings (Datomic's rule for each clause kind). */
  static Set<String> clauseVars(Clause c) {
    Set<String> out = new LinkedHashSet<>();
    if (c instanceof Pattern p) {
      termVars(p.terms(), out);
    } else if (c instanceof Pred p) {
      termVars(List.of(p.left(), p.right()), out);
    } else if (c instanceof Not n) {
      if (n.join() != null) {
        n.join().forEach(v -> out.add(v.name()));
      } else {
        out.addAll(conjVars(n.body()));
      }
    } else if (c instanceof Or o) {
      if (o.join() != null) {
        o.join().forEach(v -> out.add(v.name()));
      } else {
        out.addAll(conjVars(o.branches().get(0)));
      }
    } else {
      termVars(((RuleCall) c).args(), out);
    }
    return out;
  }

  static Set<String> conjVars(List<Clause> cs) {
    Set<String> out = new LinkedHashSet<>();
    for (Clause c : cs) {
      out.addAll(clauseVars(c));
    }
    return out;
  }

  private static void termVars(List<Term> ts, Set<String> out) {
    for (Term t : ts) {
      if (t instanceof Var v) {
        out.add(v.name());
      }
    }
  }

  // ================================================================ evaluation

  /** The query is invalid (Datomic would refuse it). */
  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message);
    }
  }

  /** The brute force would take too long: the test skips the query. */
  static final class TooBig extends RuntimeException {
    TooBig() {
      super("too many bindings for the model");
    }
  }

  /** A database as the model sees it: its datoms by attribute id, and attribute ids by ident. */
  static final class Source {
    final Map<Long, List<Datom>> byAttr = new HashMap<>();
    final Map<Keyword, Long> attrIds;

    Source(Iterable<Datom> datoms, Map<Keyword, Long> attrIds) {
      for (Datom d : datoms) {
        byAttr.computeIfAbsent(d.a(), k -> new ArrayList<>()).add(d);
      }
      this.attrIds = attrIds;
    }
  }

  /** The answer: rows (each a list of values in find order); a bag when {@code bag}. */
  record Result(Kind kind, List<List<Object>> rows, boolean bag) {}

  static int limit = 20_000;

  private final Map<String, Source> sources = new HashMap<>();
  private final Map<String, List<Rule>> rules = new LinkedHashMap<>();
  private Map<String, Set<List<Object>>> ruleRel;
  private boolean computingRules;

  private QueryModel() {}

  /**
   * Runs a query. {@code inputs} follow {@code :in}: a {@link Source} for a source, the list of
   * {@link Rule}s for {@code %}, a value for a scalar, a collection for {@code [?x ...]}.
   */
  static Result run(Query q, List<Object> inputs) {
    return new QueryModel().eval(q, inputs);
  }

  @SuppressWarnings("unchecked")
  private Result eval(Query q, List<Object> inputs) {
    if (inputs.size() != q.in().size()) {
      throw new Invalid("wrong number of inputs");
    }
    Set<Map<String, Object>> bindings = new LinkedHashSet<>();
    bindings.add(Map.of());
    Set<String> bound = new HashSet<>();
    for (int i = 0; i < inputs.size(); i++) {
      In in = q.in().get(i);
      Object value = inputs.get(i);
      if (in instanceof SrcIn s) {
        sources.put(s.name(), (Source) value);
      } else if (in instanceof RulesIn) {
        for (Rule r : (List<Rule>) value) {
          rules.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
      } else {
        String var = in instanceof ScalarIn s ? s.var().name() : ((CollIn) in).var().name();
        List<Object> values = in instanceof ScalarIn ? List.of(value) : new ArrayList<>((java.util.Collection<Object>) value);
        Set<Map<String, Object>> next = new LinkedHashSet<>();
        for (Map<String, Object> b : bindings) {
          for (Object v : values) {
            Map<String, Object> m = new HashMap<>(b);
            if (unify(m, new Var(var), v)) {
              next.add(m);
            }
          }
        }
        bindings = next;
        bound.add(var);
      }
    }
    bindings = conj(q.where(), bindings, bound);

    List<String> needed = new ArrayList<>();
    for (FindElem f : q.find()) {
      if (!needed.contains(f.var().name())) {
        needed.add(f.var().name());
      }
    }
    for (Var v : q.with()) {
      if (!needed.contains(v.name())) {
        needed.add(v.name());
      }
    }
    for (String v : needed) {
      if (!bound.contains(v)) {
        throw new Invalid("find or :with variable " + v + " is not bound");
      }
    }
    // The distinct tuples of find and :with variables.
    Set<List<Object>> tuples = new LinkedHashSet<>();
    for (Map<String, Object> b : bindings) {
      List<Object> t = new ArrayList<>();
      for (String v : needed) {
        t.add(b.get(v));
      }
      tuples.add(t);
    }
    List<List<Object>> rows = new ArrayList<>();
    boolean bag = !q.with().isEmpty();
    if (!q.hasAggregates()) {
      Set<List<Object>> seen = new HashSet<>();
      for (List<Object> t : tuples) {
        List<Object> row = new ArrayList<>();
        for (FindElem f : q.find()) {
          row.add(t.get(needed.indexOf(f.var().name())));
        }
        if (bag || seen.add(row)) {
          rows.add(row);
        }
      }
    } else {
      bag = false;
      Map<List<Object>, List<List<Object>>> groups = new LinkedHashMap<>();
      for (List<Object> t : tuples) {
        List<Object> key = new ArrayList<>();
        for (FindElem f : q.find()) {
          if (f.agg() == null) {
            key.add(t.get(needed.indexOf(f.var().name())));
          }
        }
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
      }
      for (Map.Entry<List<Object>, List<List<Object>>> g : groups.entrySet()) {
        List<Object> row = new ArrayList<>();
        int k = 0;
        for (FindElem f : q.find()) {
          if (f.agg() == null) {
            row.add(g.getKey().get(k++));
          } else {
            List<Object> values = new ArrayList<>();
            for (List<Object> t : g.getValue()) {
              values.add(t.get(needed.indexOf(f.var().name())));
            }
            row.add(aggregate(f.agg(), values));
          }
        }
        rows.add(row);
      }
    }
    return new Result(q.kind(), rows, bag);
  }

  private static Object aggregate(String fn, List<Object> values) {
    switch (fn) {
      case "count":
        return (long) values.size();
      case "count-distinct":
        return (long) new HashSet<>(values).size();
      case "sum": {
        long s = 0;
        for (Object v : values) {
          s = Math.addExact(s, (Long) v);
        }
        return s;
      }
      case "avg": {
        long s = 0;
        for (Object v : values) {
          s = Math.addExact(s, (Long) v);
        }
        return (double) s / values.size();
      }
      case "min":
      case "max": {
        Object best = values.get(0);
        for (Object v : values) {
          int c = compare(v, best);
          if (fn.equals("min") ? c < 0 : c > 0) {
            best = v;
          }
        }
        return best;
      }
      default:
        throw new IllegalArgumentException("model has no aggregate " + fn);
    }
  }

  /** Evaluates clauses in order; {@code bound} tracks (statically) the variables bound so far. */
  private Set<Map<String, Object>> conj(List<Clause> clauses, Set<Map<String, Object>> in, Set<String> bound) {
    Set<Map<String, Object>> cur = in;
    for (Clause c : clauses) {
      cur = clause(c, cur, bound);
      if (cur.size() > limit) {
        throw new TooBig();
      }
    }
    return cur;
  }

  private Set<Map<String, Object>> clause(Clause c, Set<Map<String, Object>> cur, Set<String> bound) {
    Set<Map<String, Object>> out = new LinkedHashSet<>();
    if (c instanceof Pattern p) {
      Source src = sources.get(p.src());
      if (src == null) {
        throw new Invalid("unknown source " + p.src());
      }
      if (p.terms().size() < 2 || p.terms().size() > 5) {
        throw new Invalid("bad pattern");
      }
      List<Datom> candidates = new ArrayList<>();
      if (p.terms().get(1) instanceof Const a) {
        Long aid = src.attrIds.get(a.value());
        if (aid == null) {
          throw new Invalid("unknown attribute " + a.value());
        }
        candidates.addAll(src.byAttr.getOrDefault(aid, List.of()));
      } else {
        src.byAttr.values().forEach(candidates::addAll); // a variable attribute: every datom
      }
      List<Term> t = p.terms();
      // Each datom as the values of the pattern's positions: e a v tx added.
      List<Object[]> datoms = new ArrayList<>();
      for (Datom d : candidates) {
        datoms.add(new Object[] {d.e(), d.a(), d.v(), d.tx(), d.added()});
      }
      for (Map<String, Object> b : cur) {
        for (Object[] values : datoms) {
          // A quick look at constants and already bound variables before copying the binding.
          boolean ok = true;
          for (int i = 0; i < t.size() && ok; i++) {
            Term x = t.get(i);
            ok = (i == 1 && x instanceof Const) || !(x instanceof Const k && !Objects.equals(k.value(), values[i]))
                && !(x instanceof Var v && b.containsKey(v.name()) && !Objects.equals(b.get(v.name()), values[i]));
          }
          if (!ok) {
            continue;
          }
          Map<String, Object> m = new HashMap<>(b);
          for (int i = 0; i < t.size() && ok; i++) {
            ok = (i == 1 && t.get(i) instanceof Const) || unify(m, t.get(i), values[i]);
          }
          if (ok) {
            add(out, m);
          }
        }
      }
      bound.addAll(clauseVars(p));
      return out;
    }
    if (c instanceof Pred p) {
      for (String v : clauseVars(p)) {
        if (!bound.contains(v)) {
          throw new Invalid("predicate variable " + v + " is not bound before " + text(p));
        }
      }
      for (Map<String, Object> b : cur) {
        if (test(p.op(), value(b, p.left()), value(b, p.right()))) {
          out.add(b);
        }
      }
      return out;
    }
    if (c instanceof Not n) {
      Set<String> join = clauseVars(n);
      for (String v : join) {
        if (!bound.contains(v)) {
          throw new Invalid("not variable " + v + " is not bound before " + text(n));
        }
      }
      conj(n.body(), new LinkedHashSet<>(), new HashSet<>(join)); // static checks of the body
      Map<Map<String, Object>, Boolean> memo = new HashMap<>(); // the body's answer per join values
      for (Map<String, Object> b : cur) {
        Map<String, Object> start = restrict(b, join);
        if (memo.computeIfAbsent(start, st -> conj(n.body(), single(st), new HashSet<>(join)).isEmpty())) {
          out.add(b);
        }
      }
      return out;
    }
    if (c instanceof Or o) {
      Set<String> join = clauseVars(o);
      for (List<Clause> branch : o.branches()) {
        Set<String> bv = conjVars(branch);
        if (o.join() == null ? !bv.equals(join) : !bv.containsAll(join)) {
          throw new Invalid("or branches use different variables: " + text(o));
        }
      }
      for (Var v : o.required()) {
        if (!bound.contains(v.name())) {
          throw new Invalid("required or-join variable " + v + " is not bound");
        }
      }
      Set<String> inVars = new LinkedHashSet<>(join);
      inVars.retainAll(bound);
      for (List<Clause> branch : o.branches()) {
        Set<String> bb = new HashSet<>(inVars);
        conj(branch, new LinkedHashSet<>(), bb);
        if (!bb.containsAll(join)) {
          throw new Invalid("an or branch does not bind " + join);
        }
      }
      Map<Map<String, Object>, Set<Map<String, Object>>> memo = new HashMap<>(); // answers per input
      for (Map<String, Object> b : cur) {
        Set<Map<String, Object>> union = memo.computeIfAbsent(restrict(b, inVars), st -> {
          Set<Map<String, Object>> u = new LinkedHashSet<>();
          for (List<Clause> branch : o.branches()) {
            for (Map<String, Object> r : conj(branch, single(st), new HashSet<>(inVars))) {
              u.add(restrict(r, join));
            }
          }
          return u;
        });
        for (Map<String, Object> r : union) {
          Map<String, Object> m = new HashMap<>(b);
          m.putAll(r);
          add(out, m);
        }
      }
      bound.addAll(join);
      return out;
    }
    RuleCall call = (RuleCall) c;
    List<Rule> defs = rules.get(call.name());
    if (defs == null) {
      throw new Invalid("unknown rule " + call.name());
    }
    if (defs.get(0).head().size() != call.args().size()) {
      throw new Invalid("rule " + call.name() + " called with the wrong number of arguments");
    }
    Set<List<Object>> rel = ruleRelation(call.name());
    // A hash index on the positions bound by constants and bound variables (a plain hash join).
    List<Integer> keyPos = new ArrayList<>();
    for (int i = 0; i < call.args().size(); i++) {
      Term t = call.args().get(i);
      if (t instanceof Const || (t instanceof Var v && bound.contains(v.name()))) {
        keyPos.add(i);
      }
    }
    Map<List<Object>, List<List<Object>>> index = new HashMap<>();
    for (List<Object> t : rel) {
      List<Object> key = new ArrayList<>();
      for (int i : keyPos) {
        key.add(t.get(i));
      }
      index.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    for (Map<String, Object> b : cur) {
      List<Object> key = new ArrayList<>();
      for (int i : keyPos) {
        key.add(value(b, call.args().get(i)));
      }
      for (List<Object> t : index.getOrDefault(key, List.of())) {
        Map<String, Object> m = new HashMap<>(b);
        boolean ok = true;
        for (int i = 0; i < t.size() && ok; i++) {
          ok = unify(m, call.args().get(i), t.get(i));
        }
        if (ok) {
          add(out, m);
        }
      }
    }
    bound.addAll(clauseVars(call));
    return out;
  }

  /**
   * The relation of a rule. The rule and the rules it calls (directly or not) are computed
   * together by naive iteration from empty relations to a fixpoint.
   */
  private Set<List<Object>> ruleRelation(String name) {
    if (ruleRel == null || !ruleRel.containsKey(name)) {
      // The rules this one depends on, itself included.
      Set<String> deps = new LinkedHashSet<>();
      List<String> todo = new ArrayList<>(List.of(name));
      while (!todo.isEmpty()) {
        String n = todo.remove(todo.size() - 1);
        if (deps.add(n) && rules.containsKey(n)) {
          for (Rule r : rules.get(n)) {
            collectCalls(r.body(), todo);
          }
        }
      }
      ruleRel = new HashMap<>();
      Map<String, List<Rule>> needed = new LinkedHashMap<>();
      for (String n : deps) {
        if (!rules.containsKey(n)) {
          throw new Invalid("unknown rule " + n);
        }
        needed.put(n, rules.get(n));
      }
      for (Map.Entry<String, List<Rule>> e : needed.entrySet()) {
        for (Rule r : e.getValue()) {
          if (r.head().size() != e.getValue().get(0).head().size()) {
            throw new Invalid("rule " + e.getKey() + " has definitions of different arities");
          }
        }
        ruleRel.put(e.getKey(), new LinkedHashSet<>());
      }
      computingRules = true;
      boolean changed = true;
      while (changed) {
        changed = false;
        for (List<Rule> defs : needed.values()) {
          for (Rule r : defs) {
            Set<String> bnd = new HashSet<>();
            Set<Map<String, Object>> res = conj(r.body(), single(Map.of()), bnd);
            for (Var v : r.head()) {
              if (!bnd.contains(v.name())) {
                throw new Invalid("rule " + r.name() + " does not bind " + v);
              }
            }
            for (Map<String, Object> m : res) {
              List<Object> t = new ArrayList<>();
              for (Var v : r.head()) {
                t.add(m.get(v.name()));
              }
              changed |= ruleRel.get(r.name()).add(t);
            }
            if (ruleRel.get(r.name()).size() > limit) {
              throw new TooBig();
            }
          }
        }
      }
      computingRules = false;
    }
    // While computing, a snapshot: the caller iterates while the relation grows.
    return computingRules ? new LinkedHashSet<>(ruleRel.get(name)) : ruleRel.get(name);
  }

  private static void collectCalls(List<Clause> cs, List<String> out) {
    for (Clause c : cs) {
      if (c instanceof RuleCall rc) {
        out.add(rc.name());
      } else if (c instanceof Not n) {
        collectCalls(n.body(), out);
      } else if (c instanceof Or o) {
        o.branches().forEach(b -> collectCalls(b, out));
      }
    }
  }

  private static void add(Set<Map<String, Object>> out, Map<String, Object> m) {
    out.add(m);
    if (out.size() > limit) {
      throw new TooBig();
    }
  }

  private static Set<Map<String, Object>> single(Map<String, Object> m) {
    Set<Map<String, Object>> s = new LinkedHashSet<>();
    s.add(m);
    return s;
  }

  private static Map<String, Object> restrict(Map<String, Object> b, Set<String> vars) {
    Map<String, Object> m = new HashMap<>();
    for (String v : vars) {
      if (b.containsKey(v)) {
        m.put(v, b.get(v));
      }
    }
    return m;
  }

  private static boolean unify(Map<String, Object> m, Term t, Object value) {
    if (t instanceof Var v) {
      if (m.containsKey(v.name())) {
        return Objects.equals(m.get(v.name()), value);
      }
      m.put(v.name(), value);
      return true;
    }
    if (t instanceof Const k) {
      return Objects.equals(k.value(), value);
    }
    return true; // _
  }

  private static Object value(Map<String, Object> b, Term t) {
    if (t instanceof Var v) {
      if (!b.containsKey(v.name())) {
        throw new IllegalStateException("unbound " + v);
      }
      return b.get(v.name());
    }
    return ((Const) t).value();
  }

  private static boolean test(String op, Object x, Object y) {
    switch (op) {
      case "=":
        return Objects.equals(x, y);
      case "!=":
        return !Objects.equals(x, y);
      case "<":
        return compare(x, y) < 0;
      case ">":
        return compare(x, y) > 0;
      case "<=":
        return compare(x, y) <= 0;
      case ">=":
        return compare(x, y) >= 0;
      default:
        throw new IllegalArgumentException("model has no predicate " + op);
    }
  }

  /** Comparison of two values of the same type, as Clojure's compare. */
  static int compare(Object x, Object y) {
    if (x instanceof Long a && y instanceof Long b) {
      return Long.compare(a, b);
    }
    if (x instanceof String a && y instanceof String b) {
      return a.compareTo(b);
    }
    if (x instanceof Boolean a && y instanceof Boolean b) {
      return Boolean.compare(a, b);
    }
    if (x instanceof Keyword a && y instanceof Keyword b) {
      // Clojure: namespace first (none sorts first), then name.
      String na = a.namespace();
      String nb = b.namespace();
      if (!Objects.equals(na, nb)) {
        if (na == null) {
          return -1;
        }
        if (nb == null) {
          return 1;
        }
        return na.compareTo(nb);
      }
      return a.name().compareTo(b.name());
    }
    throw new IllegalArgumentException("model compares values of one type only: " + x + ", " + y);
  }
}
