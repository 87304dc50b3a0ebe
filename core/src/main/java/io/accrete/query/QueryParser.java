package io.accrete.query;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.edn.Edn;
import io.accrete.query.Bindings.Binding;
import io.accrete.query.Clauses.Clause;
import io.accrete.query.Query.FindElement;
import io.accrete.query.Query.FindKind;
import io.accrete.query.Query.Input;
import io.accrete.query.Terms.Const;
import io.accrete.query.Terms.Src;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses Datalog queries in list form ({@code [:find … :in … :where …]}) or map form
 * ({@code {:find […] :where […]}}), as EDN text or data, and rules. Syntax errors name the
 * offending form.
 */
final class QueryParser {
  private QueryParser() {}

  private static final Keyword FIND = Keyword.of(null, "find");
  private static final Keyword WITH = Keyword.of(null, "with");
  private static final Keyword IN = Keyword.of(null, "in");
  private static final Keyword WHERE = Keyword.of(null, "where");
  private static final Keyword KEYS = Keyword.of(null, "keys");
  private static final Keyword STRS = Keyword.of(null, "strs");
  private static final Keyword SYMS = Keyword.of(null, "syms");
  private static final Symbol DOTS = Symbol.of(null, "...");
  private static final Symbol DOT = Symbol.of(null, ".");

  static AccreteException error(String message) {
    return new AccreteException(Keyword.of("query", "invalid"), message);
  }

  static String show(Object form) {
    String s;
    try {
      s = Edn.print(form);
    } catch (RuntimeException e) {
      s = String.valueOf(form);
    }
    return s.length() > 200 ? s.substring(0, 200) + " …" : s;
  }

  /** Parses a query given as text, a list form or a map form. */
  static Query parse(Object query) {
    Object form = query instanceof String s ? Edn.readQuery(s) : query;
    Map<Keyword, List<Object>> parts = sections(form);
    List<Object> find = parts.get(FIND);
    if (find == null || find.isEmpty()) {
      throw error("A query needs a :find clause: " + show(form));
    }
    FindKind kind = FindKind.RELATION;
    List<FindElement> elements = new ArrayList<>();
    if (find.size() == 2 && DOT.equals(find.get(1))) {
      kind = FindKind.SCALAR;
      elements.add(findElement(find.get(0)));
    } else if (find.size() == 1 && find.get(0) instanceof List<?> v && !isListForm(v) && !isCall(v)) {
      if (v.size() == 2 && DOTS.equals(v.get(1))) {
        kind = FindKind.COLLECTION;
        elements.add(findElement(v.get(0)));
      } else {
        kind = FindKind.TUPLE;
        for (Object o : v) {
          elements.add(findElement(o));
        }
      }
    } else {
      for (Object o : find) {
        if (DOT.equals(o) || DOTS.equals(o)) {
          throw error("Misplaced " + o + " in :find " + show(find));
        }
        elements.add(findElement(o));
      }
    }
    List<Object> returnKeys = null;
    for (Keyword k : new Keyword[] {KEYS, STRS, SYMS}) {
      List<Object> names = parts.get(k);
      if (names != null) {
        if (returnKeys != null) {
          throw error("A query takes only one of :keys, :strs, :syms");
        }
        if (kind != FindKind.RELATION && kind != FindKind.TUPLE) {
          throw error(k + " needs a relation or tuple find, not " + show(find));
        }
        if (names.size() != elements.size()) {
          throw error(k + " names " + names.size() + " keys for " + elements.size() + " find elements");
        }
        returnKeys = new ArrayList<>();
        for (Object n : names) {
          String name = n instanceof Symbol s ? s.toString() : n instanceof Keyword kw ? kw.fullName()
              : String.valueOf(n);
          returnKeys.add(k == KEYS ? Keyword.intern(name) : k == STRS ? name : Symbol.intern(name));
        }
      }
    }
    List<Var> with = new ArrayList<>();
    for (Object o : parts.getOrDefault(WITH, List.of())) {
      if (!Terms.isVar(o)) {
        throw error(":with takes variables, not " + show(o));
      }
      with.add(new Var(((Symbol) o).name()));
    }
    List<Input> in = new ArrayList<>();
    List<Object> inForms = parts.get(IN);
    if (inForms == null) {
      in.add(new Input(Terms.DEFAULT_SRC, false, null));
    } else {
      for (Object o : inForms) {
        in.add(input(o));
      }
    }
    List<Clause> where = new ArrayList<>();
    for (Object c : parts.getOrDefault(WHERE, List.of())) {
      where.add(clause(c));
    }
    Query q = new Query(form, kind, elements, returnKeys, with, in, where);
    checkBound(q);
    return q;
  }

  private static Map<Keyword, List<Object>> sections(Object form) {
    Map<Keyword, List<Object>> out = new LinkedHashMap<>();
    if (form instanceof Map<?, ?> m) {
      Object inner = m.get(Keyword.of(null, "query"));
      if (inner != null) {
        return sections(inner instanceof String s ? Edn.readQuery(s) : inner);
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof Keyword k) || !(e.getValue() instanceof List<?> l)) {
          throw error("A map-form query has keyword keys and vector values: " + show(form));
        }
        checkSection(k, form);
        out.put(k, new ArrayList<>(l));
      }
      return out;
    }
    if (!(form instanceof List<?> l) || l.isEmpty() || !(l.get(0) instanceof Keyword)) {
      throw error("A query is a vector starting with :find or a map, not " + show(form));
    }
    Keyword current = null;
    for (Object o : l) {
      if (o instanceof Keyword k) {
        checkSection(k, form);
        if (out.containsKey(k)) {
          throw error("Query has two " + k + " sections: " + show(form));
        }
        current = k;
        out.put(k, new ArrayList<>());
      } else {
        out.get(current).add(o);
      }
    }
    return out;
  }

  private static void checkSection(Keyword k, Object form) {
    if (!(k.equals(FIND) || k.equals(WITH) || k.equals(IN) || k.equals(WHERE) || k.equals(KEYS)
        || k.equals(STRS) || k.equals(SYMS) || k.equals(Keyword.of(null, "timeout"))
        || k.equals(Keyword.of(null, "args")))) {
      throw error("Unknown query section " + k + " in " + show(form));
    }
  }

  private static FindElement findElement(Object o) {
    if (Terms.isVar(o)) {
      return new Query.FindVar(new Var(((Symbol) o).name()));
    }
    if (o instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Symbol fn) {
      List<?> args = l.subList(1, l.size());
      if (fn.namespace() == null && fn.name().equals("pull")) {
        int i = 0;
        Src src = Terms.DEFAULT_SRC;
        if (args.size() == 3 && Terms.isSrc(args.get(0))) {
          src = new Src(((Symbol) args.get(0)).name());
          i = 1;
        }
        if (args.size() - i != 2 || !Terms.isVar(args.get(i))) {
          throw error("pull in :find takes a variable and a pattern: " + show(o));
        }
        Var v = new Var(((Symbol) args.get(i)).name());
        Object pattern = args.get(i + 1);
        if (Terms.isVar(pattern) || Terms.isPatternName(pattern)) {
          return new Query.FindPull(src, v, null, new Var(((Symbol) pattern).name()));
        }
        return new Query.FindPull(src, v, pattern, null);
      }
      if (args.isEmpty() || !Terms.isVar(args.get(args.size() - 1))) {
        throw error("An aggregate ends with the variable it aggregates: " + show(o));
      }
      List<Object> consts = new ArrayList<>();
      for (Object a : args.subList(0, args.size() - 1)) {
        if (Terms.isVar(a)) {
          throw error("Only the last argument of an aggregate may be a variable: " + show(o));
        }
        consts.add(a);
      }
      return new Query.FindAggregate(fn, consts, new Var(((Symbol) args.get(args.size() - 1)).name()));
    }
    throw error("Not a find element (a variable, an aggregate or pull): " + show(o));
  }

  private static Input input(Object o) {
    if (Terms.isSrc(o)) {
      return new Input(new Src(((Symbol) o).name()), false, null);
    }
    if (Terms.isRulesVar(o)) {
      return new Input(null, true, null);
    }
    if (Terms.isPatternName(o)) {
      // A pull pattern passed in ([:find (pull ?e pattern) :in $ pattern …]): bound like a scalar.
      return new Input(null, false, new Bindings.Scalar(new Var(((Symbol) o).name())));
    }
    return new Input(null, false, binding(o, ":in"));
  }

  /** A binding form: {@code ?x}, {@code _}, {@code [?a ?b]}, {@code [?x ...]}, {@code [[?a ?b]]}. */
  static Binding binding(Object o, String where) {
    if (Terms.isVar(o)) {
      return new Bindings.Scalar(new Var(((Symbol) o).name()));
    }
    if (Terms.isBlank(o)) {
      return new Bindings.Scalar(null);
    }
    if (o instanceof List<?> l && !l.isEmpty() && !isListForm(l)) {
      if (l.size() == 2 && DOTS.equals(l.get(1))) {
        return new Bindings.Coll(binding(l.get(0), where));
      }
      if (l.size() == 1 && l.get(0) instanceof List<?> inner && !isListForm(inner)) {
        Binding t = binding(inner, where);
        if (t instanceof Bindings.Tuple tuple) {
          return new Bindings.Rel(tuple);
        }
      }
      List<Binding> elements = new ArrayList<>();
      for (Object e : l) {
        if (!Terms.isVar(e) && !Terms.isBlank(e)) {
          throw error("A tuple binding holds variables or _, not " + show(e) + " in " + where + " " + show(o));
        }
        elements.add(binding(e, where));
      }
      return new Bindings.Tuple(elements);
    }
    throw error("Not a binding form in " + where + ": " + show(o));
  }

  /** True for an EDN list: {@code (…)} rather than {@code […]}. */
  private static boolean isListForm(List<?> l) {
    return l instanceof io.accrete.edn.EdnList;
  }

  /**
   * True for a call written as a Java list: it starts with a plain symbol such as {@code count}
   * or {@code pull}. A tuple or collection find element never does (it holds variables).
   */
  private static boolean isCall(List<?> l) {
    return !l.isEmpty() && isPlainSymbol(l.get(0)) && !DOTS.equals(l.get(0)) && !DOT.equals(l.get(0));
  }

  private static boolean isPlainSymbol(Object o) {
    return o instanceof Symbol && !Terms.isVar(o) && !Terms.isSrc(o) && !Terms.isBlank(o)
        && !Terms.isRulesVar(o);
  }

  /** Parses one where-clause. */
  static Clause clause(Object c) {
    if (!(c instanceof List<?> l) || l.isEmpty()) {
      throw error("Not a where clause: " + show(c) + " (expected a data pattern, a predicate, a"
          + " function, not/or, or a rule call)");
    }
    Object first = l.get(0);
    if (first instanceof List<?> call && !call.isEmpty() && call.get(0) instanceof Symbol
        && !Terms.isVar(call.get(0))) {
      return fnClause(c, l, call);
    }
    if (isPlainSymbol(first) || (Terms.isSrc(first) && l.size() > 1 && isPlainSymbol(l.get(1))
        && (l instanceof io.accrete.edn.EdnList || isOp(l.get(1))))) {
      return listClause(c, l);
    }
    return pattern(c, l);
  }

  private static boolean isOp(Object o) {
    if (!(o instanceof Symbol s) || s.namespace() != null) {
      return false;
    }
    String n = s.name();
    return n.equals("not") || n.equals("not-join") || n.equals("or") || n.equals("or-join");
  }

  private static Clause fnClause(Object form, List<?> l, List<?> call) {
    if (!(call.get(0) instanceof Symbol fn)) {
      throw error("A function call starts with a symbol: " + show(form));
    }
    Object[] args = new Object[call.size() - 1];
    for (int i = 1; i < call.size(); i++) {
      args[i - 1] = Terms.term(call.get(i));
    }
    if (l.size() == 1) {
      return new Clauses.Predicate(form, fn, args);
    }
    if (l.size() == 2) {
      return new Clauses.Function(form, fn, args, binding(l.get(1), "function result of " + show(form)));
    }
    throw error("A function clause is [(f args...) binding?]: " + show(form));
  }

  private static Clause pattern(Object form, List<?> l) {
    int i = 0;
    Src src = Terms.DEFAULT_SRC;
    if (Terms.isSrc(l.get(0))) {
      src = new Src(((Symbol) l.get(0)).name());
      i = 1;
    }
    int n = l.size() - i;
    if (n < 1 || n > 5) {
      throw error("A data pattern has 1 to 5 elements after its source: " + show(form));
    }
    Object[] terms = new Object[n];
    for (int k = 0; k < n; k++) {
      Object t = l.get(i + k);
      if (t instanceof List<?> inner && isListForm(inner)) {
        throw error("Misplaced list " + show(t) + " in data pattern " + show(form));
      }
      terms[k] = Terms.term(t);
      if (terms[k] instanceof Src) {
        throw error("Misplaced source " + t + " in data pattern " + show(form));
      }
    }
    return new Clauses.Pattern(form, src, terms);
  }

  private static Clause listClause(Object form, List<?> l) {
    int i = 0;
    Src src = null;
    if (Terms.isSrc(l.get(0))) {
      src = new Src(((Symbol) l.get(0)).name());
      i = 1;
    }
    Symbol op = (Symbol) l.get(i);
    List<?> rest = l.subList(i + 1, l.size());
    String name = op.namespace() == null ? op.name() : "";
    switch (name) {
      case "not": {
        return new Clauses.Not(form, src, null, clauses(rest, form));
      }
      case "not-join": {
        if (rest.isEmpty()) {
          throw error("not-join needs a vector of variables: " + show(form));
        }
        List<Var> vars = varList(rest.get(0), form);
        return new Clauses.Not(form, src, vars, clauses(rest.subList(1, rest.size()), form));
      }
      case "or": {
        List<List<Clause>> branches = branches(rest, form);
        java.util.Set<Var> first = branchVars(branches.get(0));
        for (List<Clause> b : branches) {
          if (!branchVars(b).equals(first)) {
            throw error("All branches of or must use the same variables (use or-join to name the"
                + " shared ones): " + show(form) + " has branches using " + first + " and " + branchVars(b));
          }
        }
        return new Clauses.Or(form, src, List.of(), null, branches);
      }
      case "or-join": {
        if (rest.isEmpty() || !(rest.get(0) instanceof List<?> spec)) {
          throw error("or-join needs a vector of variables: " + show(form));
        }
        List<Var> required = new ArrayList<>();
        List<Var> all = new ArrayList<>();
        for (Object o : spec) {
          if (o instanceof List<?> req) {
            for (Var v : varList(req, form)) {
              required.add(v);
              all.add(v);
            }
          } else {
            all.addAll(varList(List.of(o), form));
          }
        }
        return new Clauses.Or(form, src, required, all, branches(rest.subList(1, rest.size()), form));
      }
      case "and":
        throw error("and is only allowed inside or / or-join: " + show(form));
      default: {
        Object[] args = new Object[rest.size()];
        for (int k = 0; k < rest.size(); k++) {
          args[k] = Terms.term(rest.get(k));
          if (args[k] instanceof Src) {
            throw error("Misplaced source in rule call " + show(form));
          }
        }
        return new Clauses.RuleCall(form, src, op, args);
      }
    }
  }

  private static List<Clause> clauses(List<?> forms, Object parent) {
    if (forms.isEmpty()) {
      throw error("Empty clause body in " + show(parent));
    }
    List<Clause> out = new ArrayList<>();
    for (Object f : forms) {
      out.add(clause(f));
    }
    return out;
  }

  private static List<List<Clause>> branches(List<?> forms, Object parent) {
    if (forms.isEmpty()) {
      throw error("or needs at least one branch: " + show(parent));
    }
    List<List<Clause>> out = new ArrayList<>();
    for (Object f : forms) {
      if (f instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Symbol s
          && s.namespace() == null && s.name().equals("and")) {
        out.add(clauses(l.subList(1, l.size()), parent));
      } else {
        out.add(List.of(clause(f)));
      }
    }
    return out;
  }

  private static java.util.Set<Var> branchVars(List<Clause> branch) {
    java.util.Set<Var> s = new LinkedHashSet<>();
    for (Clause c : branch) {
      s.addAll(c.vars());
    }
    return s;
  }

  private static List<Var> varList(Object o, Object form) {
    if (!(o instanceof List<?> l)) {
      throw error("Expected a vector of variables in " + show(form) + ", not " + show(o));
    }
    List<Var> out = new ArrayList<>();
    for (Object v : l) {
      if (!Terms.isVar(v)) {
        throw error("Expected a variable in " + show(form) + ", not " + show(v));
      }
      out.add(new Var(((Symbol) v).name()));
    }
    return out;
  }

  /** Find and :with variables must be bound by :in or :where. */
  private static void checkBound(Query q) {
    Set<Var> bound = new LinkedHashSet<>();
    for (Input in : q.in) {
      if (in.binding != null) {
        bound.addAll(in.binding.vars());
      }
    }
    for (Clause c : q.where) {
      bound.addAll(bindable(c));
    }
    for (FindElement f : q.find) {
      Var v = f instanceof Query.FindVar fv ? fv.var
          : f instanceof Query.FindAggregate fa ? fa.var : ((Query.FindPull) f).var;
      if (!bound.contains(v)) {
        throw error("Query for unknown variable " + v + " in :find; it is not bound by :in or :where");
      }
      if (f instanceof Query.FindPull p && p.patternVar != null && !bound.contains(p.patternVar)) {
        throw error("Pull pattern variable " + p.patternVar + " is not an :in input");
      }
    }
    for (Var v : q.with) {
      if (!bound.contains(v)) {
        throw error(":with variable " + v + " is not bound by :in or :where");
      }
    }
  }

  /** The variables a clause can bind: not and predicates bind none. */
  static java.util.Set<Var> bindable(Clause c) {
    if (c instanceof Clauses.Not || c instanceof Clauses.Predicate) {
      return java.util.Set.of();
    }
    if (c instanceof Clauses.Function f) {
      return f.out.vars();
    }
    return c.vars();
  }

  /** Parses a rule set: a vector of rules, each {@code [(name ?a [?b]…) clause…]}. */
  static Map<Symbol, List<Rule>> rules(Object form) {
    Object rs = form instanceof String s ? Edn.readQuery(s) : form;
    if (!(rs instanceof List<?> list)) {
      throw error("Rules are a vector of rule definitions, not " + show(rs));
    }
    Map<Symbol, List<Rule>> out = new LinkedHashMap<>();
    for (Object r : list) {
      if (!(r instanceof List<?> def) || def.size() < 2 || !(def.get(0) instanceof List<?> head)
          || head.isEmpty() || !(head.get(0) instanceof Symbol name)) {
        throw error("A rule is [(name args...) clauses...], not " + show(r));
      }
      List<Var> required = new ArrayList<>();
      List<Var> vars = new ArrayList<>();
      for (Object a : head.subList(1, head.size())) {
        if (a instanceof List<?> req) {
          for (Var v : varList(req, r)) {
            required.add(v);
            vars.add(v);
          }
        } else if (Terms.isVar(a)) {
          vars.add(new Var(((Symbol) a).name()));
        } else {
          throw error("Rule head arguments are variables: " + show(head));
        }
      }
      List<Clause> body = clauses(def.subList(1, def.size()), r);
      List<Rule> defs = out.computeIfAbsent(name, k -> new ArrayList<>());
      if (!defs.isEmpty() && defs.get(0).vars.size() != vars.size()) {
        throw error("Rule " + name + " is defined with different arities");
      }
      defs.add(new Rule(name, required, vars, body));
    }
    return out;
  }

  /** One definition (branch) of a rule. */
  static final class Rule {
    final Symbol name;
    final List<Var> required;
    final List<Var> vars;
    final List<Clause> body;

    Rule(Symbol name, List<Var> required, List<Var> vars, List<Clause> body) {
      this.name = name;
      this.required = required;
      this.vars = vars;
      this.body = body;
    }
  }

  static Object constValue(Object term) {
    return term instanceof Const c ? c.value : null;
  }
}
