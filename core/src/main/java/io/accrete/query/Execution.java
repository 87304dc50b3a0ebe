package io.accrete.query;

import io.accrete.AccreteException;
import io.accrete.Attribute;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.db.Db;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.query.Clauses.Clause;
import io.accrete.query.Terms.Const;
import io.accrete.query.Terms.Src;
import io.accrete.query.Terms.Var;
import io.accrete.schema.Ids;
import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs where-clauses. The plan is made step by step on the bindings actually found so far:
 * filters (predicates, functions, negation) run as soon as their variables are bound; of the
 * rest, the clause with the smallest estimated result goes next, so clause order in the query
 * does not matter. A data pattern whose variables are already bound either looks each row up
 * in the index (EAVT by entity, AVET by value, VAET by reference) or scans once and hash-joins,
 * whichever the estimate says is cheaper. Range predicates on a pattern's value become bounds
 * of its AVET scan.
 */
final class Execution {
  final Map<String, Object> sources;
  final Map<Symbol, List<QueryParser.Rule>> rules;
  final Explain explain;
  private final long deadline;
  private final RuleEvaluator ruleEvaluator;
  private final Map<Clauses.Or, Set<Var>> orNeeds = new java.util.IdentityHashMap<>();
  private final Map<Symbol, Set<Integer>> ruleNeeds = new java.util.HashMap<>();
  private int ticks;

  Execution(Map<String, Object> sources, Map<Symbol, List<QueryParser.Rule>> rules, long timeoutMillis,
      Explain explain) {
    this.sources = sources;
    this.rules = rules;
    this.explain = explain;
    this.deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000 : Long.MAX_VALUE;
    this.ruleEvaluator = new RuleEvaluator(this);
  }

  /**
   * The most rows a query may read out of the indexes in all ({@code accrete.maxQueryReadRows}):
   * a row for every 300 bytes of heap (a one-variable row costs ~50, so its rows take at most a
   * sixth of the heap), since a query's relations stay in memory until it ends — two scans of
   * millions of entities would otherwise exhaust a small heap before any product check could
   * see them. A 6 GB heap allows about 21 million rows, a 256 MB one about 900,000.
   */
  static final long READ_BUDGET = Long.getLong("accrete.maxQueryReadRows", Runtime.getRuntime().maxMemory() / 300);
  private long materialized;

  /** Counts a row read out of an index into a relation; refuses the query past {@link #READ_BUDGET}. */
  void materialized() {
    if (++materialized > READ_BUDGET) {
      throw new AccreteException(Keyword.of("db.error", "query-too-large"), "Query refused: it read more than "
          + READ_BUDGET + " rows out of the indexes, more than this process's heap ("
          + (Runtime.getRuntime().maxMemory() >> 20) + " MB) holds at once; add clauses that narrow it, give the"
          + " process more heap, or raise accrete.maxQueryReadRows");
    }
  }

  /** Called as the query works: stops it when its time is up or its thread was interrupted. */
  void tick() {
    if ((++ticks & 0xfff) == 0) {
      if (Thread.currentThread().isInterrupted()) {
        throw new AccreteException(Keyword.of("db.error", "query-cancelled"),
            "Query cancelled: the thread running it was interrupted");
      }
      if (System.nanoTime() > deadline) {
        throw new AccreteException(Keyword.of("db.error", "query-timeout"), "Query timed out");
      }
    }
  }

  Object source(Src src, Object form) {
    Object s = sources.get(src.name);
    if (s == null) {
      throw QueryParser.error("Unknown source " + src + " in " + QueryParser.show(form)
          + "; the query's :in names " + sources.keySet());
    }
    return s;
  }

  /** Solves a conjunction of clauses on top of the bindings in {@code ctx}. */
  void solve(List<Clause> clauses, Context ctx, Src defaultSrc, Set<Var> outerVars) {
    List<Clause> pending = new ArrayList<>(clauses);
    while (!pending.isEmpty() && !ctx.empty) {
      tick();
      Clause next = null;
      // Filters go first: they only shrink relations.
      for (Clause c : pending) {
        if (isFilter(c) && ready(c, ctx, pending, outerVars)) {
          next = c;
          break;
        }
      }
      double best = Double.MAX_VALUE;
      if (next == null) {
        for (Clause c : pending) {
          if (isFilter(c) || !ready(c, ctx, pending, outerVars)) {
            continue;
          }
          double cost = estimate(c, ctx, pending, defaultSrc);
          if (cost < best) {
            best = cost;
            next = c;
          }
        }
      }
      if (next == null) {
        Clause c = pending.get(0);
        throw QueryParser.error("Insufficient binding for " + QueryParser.show(c.form)
            + ": its variables " + unboundOf(c, ctx) + " are not bound by any other clause");
      }
      pending.remove(next);
      int step = explain == null ? 0 : explain.begin(next, best);
      String strategy = apply(next, ctx, pending, defaultSrc, outerVars);
      if (explain != null) {
        explain.end(step, ctx, strategy);
      }
    }
  }

  private static Set<Var> unboundOf(Clause c, Context ctx) {
    Set<Var> out = new LinkedHashSet<>();
    for (Var v : c.vars()) {
      if (!ctx.bound(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static boolean isFilter(Clause c) {
    return c instanceof Clauses.Predicate || c instanceof Clauses.Function || c instanceof Clauses.Not;
  }

  /** Variables the clause shares with the rest of the query (bound there or later). */
  private static Set<Var> sharedVars(Clause c, List<Clause> pending, Set<Var> outer, Context ctx) {
    Set<Var> out = new LinkedHashSet<>();
    for (Var v : c.vars()) {
      if (ctx.bound(v) || outer.contains(v)) {
        out.add(v);
        continue;
      }
      for (Clause o : pending) {
        if (o != c && o.vars().contains(v)) {
          out.add(v);
          break;
        }
      }
    }
    return out;
  }

  private boolean ready(Clause c, Context ctx, List<Clause> pending, Set<Var> outer) {
    if (c instanceof Clauses.Predicate p) {
      return allBound(Clauses.varsOf(p.args), ctx);
    }
    if (c instanceof Clauses.Function f) {
      return allBound(Clauses.varsOf(f.args), ctx);
    }
    if (c instanceof Clauses.Not n) {
      Set<Var> vars = n.joinVars != null ? new LinkedHashSet<>(n.joinVars) : sharedVars(c, pending, outer, ctx);
      return allBound(vars, ctx);
    }
    if (c instanceof Clauses.Or o) {
      return allBound(orNeeds.computeIfAbsent(o, k -> QueryValidator.orNeeds(o, rules)), ctx);
    }
    if (c instanceof Clauses.RuleCall r) {
      List<QueryParser.Rule> defs = rules.get(r.name);
      if (defs == null) {
        return true; // reported when applied
      }
      for (int i : ruleNeeds.computeIfAbsent(r.name, k -> QueryValidator.ruleNeeds(defs, rules))) {
        if (i < r.args.length && r.args[i] instanceof Var v && !ctx.bound(v)) {
          return false;
        }
      }
      return true;
    }
    return true;
  }

  private static boolean allBound(Collection<Var> vars, Context ctx) {
    for (Var v : vars) {
      if (!ctx.bound(v)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- estimates

  private double estimate(Clause c, Context ctx, List<Clause> pending, Src defaultSrc) {
    if (c instanceof Clauses.Pattern p) {
      Object src = source(srcOf(p.src, defaultSrc), p.form);
      if (src instanceof Db db) {
        PatternPlan plan = PatternPlan.of(db, p, ctx, pending);
        return plan.impossible ? 0 : plan.estimate(ctx);
      }
      if (src instanceof Collection<?> coll) {
        return coll.size();
      }
      return 1e9;
    }
    // Rules and or: cheap when they join on bound variables, else evaluated whole.
    Set<Var> vars = c.vars();
    Relation r = null;
    for (Var v : vars) {
      if (ctx.bound(v)) {
        r = ctx.relOf(v);
        break;
      }
    }
    return r != null ? r.size() * 4.0 : 1e7;
  }

  static Src srcOf(Src src, Src defaultSrc) {
    return src == null || src.equals(Terms.DEFAULT_SRC) ? defaultSrc : src;
  }

  // ---------------------------------------------------------------- applying clauses

  /** Applies a clause; returns how, for explain. */
  private String apply(Clause c, Context ctx, List<Clause> pending, Src defaultSrc, Set<Var> outer) {
    if (c instanceof Clauses.Pattern p) {
      return applyPattern(p, ctx, pending, defaultSrc);
    } else if (c instanceof Clauses.Predicate p) {
      applyPredicate(p, ctx, defaultSrc);
      return "filter";
    } else if (c instanceof Clauses.Function f) {
      applyFunction(f, ctx, defaultSrc);
      return "function";
    } else if (c instanceof Clauses.Not n) {
      applyNot(n, ctx, pending, defaultSrc, outer);
      return "anti-join";
    } else if (c instanceof Clauses.Or o) {
      applyOr(o, ctx, pending, defaultSrc, outer);
      return "union of branches, joined";
    } else if (c instanceof Clauses.RuleCall r) {
      ruleEvaluator.apply(r, ctx, srcOf(r.src, defaultSrc));
      return "rule, evaluated to a fixpoint";
    }
    throw new IllegalStateException("unknown clause " + c);
  }

  private String applyPattern(Clauses.Pattern p, Context ctx, List<Clause> pending, Src defaultSrc) {
    Object src = source(srcOf(p.src, defaultSrc), p.form);
    if (src instanceof Db db) {
      PatternPlan plan = PatternPlan.of(db, p, ctx, pending);
      Var e = plan.entityLookupVar(ctx);
      if (e != null) {
        // Other lookups on the same entity join this one in a single EAVT pass per entity.
        List<PatternPlan> members = new ArrayList<>();
        members.add(plan);
        for (java.util.Iterator<Clause> it = pending.iterator(); it.hasNext(); ) {
          if (it.next() instanceof Clauses.Pattern q && source(srcOf(q.src, defaultSrc), q.form) == db) {
            PatternPlan qp = PatternPlan.of(db, q, ctx, pending);
            if (e.equals(qp.entityLookupVar(ctx))) {
              members.add(qp);
              it.remove();
            }
          }
        }
        if (members.size() > 1) {
          EntityPass.apply(this, db, e, members, ctx);
          StringBuilder sb = new StringBuilder("one EAVT pass per entity for");
          for (PatternPlan m : members) {
            sb.append(' ').append(QueryParser.show(m.p.form));
          }
          return sb.toString();
        }
      }
      plan.apply(this, ctx);
      if (plan.scanned) {
        for (Clause c : plan.rangePredicates) {
          if (pending.remove(c) && explain != null) {
            explain.end(explain.begin(c, Double.MAX_VALUE), ctx,
                "filter, done by the index range of " + QueryParser.show(p.form));
          }
        }
      }
      return plan.strategy;
    } else if (src instanceof Collection<?> coll) {
      applyCollectionPattern(p, coll, ctx);
      return "scan collection " + p.src + " and hash join";
    } else {
      throw QueryParser.error("Source " + p.src + " is not a database or a collection: "
          + QueryParser.show(p.form));
    }
  }

  /** A pattern over a collection source: each element is a tuple matched position by position. */
  private void applyCollectionPattern(Clauses.Pattern p, Collection<?> coll, Context ctx) {
    List<Var> vars = new ArrayList<>(p.vars());
    List<Object[]> rows = new ArrayList<>();
    for (Object t : coll) {
      tick();
      List<?> tuple = t instanceof List<?> l ? l : List.of(t);
      if (tuple.size() < p.terms.length) {
        continue;
      }
      Object[] row = new Object[vars.size()];
      boolean ok = true;
      for (int i = 0; i < p.terms.length && ok; i++) {
        Object term = p.terms[i];
        Object val = QueryRunner.normalize(tuple.get(i));
        if (term instanceof Const k) {
          ok = Values.equal(QueryRunner.normalize(k.value), val);
        } else if (term instanceof Var v) {
          int j = vars.indexOf(v);
          if (row[j] != null) {
            ok = Values.equal(row[j], val);
          } else {
            row[j] = val;
          }
        }
      }
      if (ok) {
        rows.add(row);
      }
    }
    joinInto(ctx, new Relation(vars.toArray(new Var[0]), rows));
  }

  /** Joins a relation into the context. */
  static void joinInto(Context ctx, Relation s) {
    Set<Var> bound = new LinkedHashSet<>();
    for (Var v : s.vars) {
      if (ctx.bound(v)) {
        bound.add(v);
      }
    }
    if (bound.isEmpty()) {
      ctx.add(s);
      return;
    }
    Relation r = ctx.merged(bound);
    ctx.replace(r, Relation.join(r, s));
  }

  /** The value of a term in a row: a variable's binding, a constant, or a source. */
  private Object argValue(Object term, Relation r, int[] pos, int i, Object[] row, Src defaultSrc, Object form) {
    if (term instanceof Var) {
      return row[pos[i]];
    }
    if (term instanceof Const k) {
      return QueryRunner.normalize(k.value);
    }
    if (term instanceof Src s) {
      return source(srcOf(s, defaultSrc), form);
    }
    throw QueryParser.error("_ is not allowed as a function argument: " + QueryParser.show(form));
  }

  private int[] argPositions(Object[] args, Relation r) {
    int[] pos = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      pos[i] = args[i] instanceof Var v ? r.indexOf(v) : -1;
    }
    return pos;
  }

  private void applyPredicate(Clauses.Predicate p, Context ctx, Src defaultSrc) {
    Relation r = ctx.merged(Clauses.varsOf(p.args));
    Invoker fn = invoker(p.fn, p.args, p.form, defaultSrc);
    int[] pos = argPositions(p.args, r);
    List<Object[]> out = new ArrayList<>();
    Object[] args = new Object[p.args.length];
    for (Object[] row : r.rows) {
      tick();
      for (int i = 0; i < args.length; i++) {
        args[i] = argValue(p.args[i], r, pos, i, row, defaultSrc, p.form);
      }
      if (Functions.truthy(fn.call(args))) {
        out.add(row);
      }
    }
    ctx.replace(r, new Relation(r.vars, out, r.distinct));
  }

  private void applyFunction(Clauses.Function f, Context ctx, Src defaultSrc) {
    // Output variables already bound are checked against the result (unification).
    Set<Var> need = Clauses.varsOf(f.args);
    List<Var> fresh = new ArrayList<>();
    for (Var v : f.out.vars()) {
      if (ctx.bound(v)) {
        need.add(v);
      } else {
        fresh.add(v);
      }
    }
    Relation r = ctx.merged(need);
    Invoker fn = invoker(f.fn, f.args, f.form, defaultSrc);
    int[] pos = argPositions(f.args, r);
    Var[] vars = new Var[r.vars.length + fresh.size()];
    System.arraycopy(r.vars, 0, vars, 0, r.vars.length);
    for (int i = 0; i < fresh.size(); i++) {
      vars[r.vars.length + i] = fresh.get(i);
    }
    Relation shape = new Relation(vars, List.of());
    List<Object[]> out = new ArrayList<>();
    Object[] args = new Object[f.args.length];
    for (Object[] row : r.rows) {
      tick();
      for (int i = 0; i < args.length; i++) {
        args[i] = argValue(f.args[i], r, pos, i, row, defaultSrc, f.form);
      }
      Object result = fn.call(args);
      if (result == null) {
        continue;
      }
      Object[] base = java.util.Arrays.copyOf(row, vars.length);
      bindResult(f.out, QueryRunner.normalize(result), base, shape, out, QueryParser.show(f.form));
    }
    // One result per row keeps rows distinct; a collection result may repeat values.
    boolean single = f.out instanceof Bindings.Scalar || f.out instanceof Bindings.Tuple;
    ctx.replace(r, new Relation(vars, out, r.distinct && single));
  }

  /** Binds a function's result into copies of {@code row} per the binding form. */
  static void bindResult(Bindings.Binding b, Object result, Object[] row, Relation shape,
      List<Object[]> out, String where) {
    if (b instanceof Bindings.Scalar s) {
      if (s.var == null) {
        out.add(row);
        return;
      }
      if (!assign(row, shape.indexOf(s.var), result)) {
        return;
      }
      out.add(row);
    } else if (b instanceof Bindings.Tuple t) {
      List<?> l = asList(result, where);
      if (l.size() < t.elements.size()) {
        throw QueryParser.error("Tuple " + QueryParser.show(result) + " has fewer than "
            + t.elements.size() + " elements for " + t.vars() + " in " + where);
      }
      for (int i = 0; i < t.elements.size(); i++) {
        Bindings.Scalar e = (Bindings.Scalar) t.elements.get(i);
        if (e.var != null && !assign(row, shape.indexOf(e.var), QueryRunner.normalize(l.get(i)))) {
          return;
        }
      }
      out.add(row);
    } else if (b instanceof Bindings.Coll c) {
      for (Object x : asCollection(result, where, c)) {
        bindResult(c.element, QueryRunner.normalize(x), row.clone(), shape, out, where);
      }
    } else if (b instanceof Bindings.Rel rel) {
      for (Object x : asCollection(result, where, rel)) {
        bindResult(rel.tuple, x, row.clone(), shape, out, where);
      }
    }
  }

  /** Sets a row slot, or checks it when already set (a repeated variable). */
  private static boolean assign(Object[] row, int i, Object v) {
    if (row[i] == null) {
      row[i] = v;
      return true;
    }
    return Values.equal(row[i], v);
  }

  private static List<?> asList(Object o, String where) {
    if (o instanceof List<?> l) {
      return l;
    }
    if (o instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (o instanceof Object[] a) {
      return java.util.Arrays.asList(a);
    }
    throw QueryParser.error("Expected a tuple in " + where + ", got " + QueryParser.show(o));
  }

  private static Collection<?> asCollection(Object o, String where, Bindings.Binding b) {
    if (o instanceof Collection<?> c) {
      return c;
    }
    if (o instanceof Object[] a) {
      return java.util.Arrays.asList(a);
    }
    throw QueryParser.error("Expected a collection for " + b.vars() + " in " + where + ", got "
        + QueryParser.show(o));
  }

  private void applyNot(Clauses.Not n, Context ctx, List<Clause> pending, Src defaultSrc, Set<Var> outer) {
    Set<Var> join = n.joinVars != null ? new LinkedHashSet<>(n.joinVars) : sharedVars(n, pending, outer, ctx);
    Relation r = ctx.merged(join);
    List<Var> joinList = new ArrayList<>(join);
    Relation input = r.project(joinList);
    Context sub = new Context(input);
    solve(n.body, sub, srcOf(n.src, defaultSrc), join);
    Relation matched = sub.empty ? new Relation(input.vars, List.of()) : sub.merged(join).project(joinList);
    ctx.replace(r, Relation.semiJoin(r, matched, false));
  }

  private void applyOr(Clauses.Or o, Context ctx, List<Clause> pending, Src defaultSrc, Set<Var> outer) {
    List<Var> joinVars = new ArrayList<>(o.outerVars());
    Set<Var> bound = new LinkedHashSet<>();
    for (Var v : joinVars) {
      if (ctx.bound(v)) {
        bound.add(v);
      }
    }
    Relation r = ctx.merged(bound);
    Relation input = r.project(new ArrayList<>(bound));
    List<Relation> parts = new ArrayList<>();
    for (List<Clause> branch : o.branches) {
      Context sub = new Context(input);
      solve(branch, sub, srcOf(o.src, defaultSrc), new LinkedHashSet<>(joinVars));
      if (sub.empty) {
        continue;
      }
      for (Var v : joinVars) {
        if (!sub.bound(v)) {
          throw QueryParser.error("A branch of " + QueryParser.show(o.form) + " does not bind " + v);
        }
      }
      parts.add(sub.merged(joinVars).project(joinVars));
    }
    Relation union = Relation.union(joinVars, parts);
    if (bound.isEmpty()) {
      joinInto(ctx, union);
    } else {
      ctx.replace(r, Relation.join(r, union));
    }
  }

  // ---------------------------------------------------------------- function invocation

  /** A function ready to call with evaluated arguments. */
  interface Invoker {
    Object call(Object[] args);
  }

  private Invoker invoker(Symbol fn, Object[] args, Object form, Src defaultSrc) {
    String name = fn.namespace() == null ? fn.name() : fn.toString();
    if (Functions.SOURCE_FUNCTIONS.contains(name)) {
      return SourceFunctions.invoker(name, args.length, form);
    }
    Functions.Resolved r = Functions.resolve(fn, args.length, form);
    return r::call;
  }

  // ---------------------------------------------------------------- pattern plans

  /** Resolves the entity a value names in a database, or null. */
  static Long entityOf(Db db, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Keyword k) {
      return db.schema().entid(k);
    }
    if (v instanceof List<?> ref && ref.size() == 2) {
      return db.lookupRef(ref);
    }
    if (v instanceof Integer i) {
      return (long) i;
    }
    if (v instanceof io.accrete.Entity e) {
      return e.id();
    }
    return null;
  }

  /** The stored form of a value for an attribute, or null when it cannot match. */
  static Object valueFor(Db db, Attribute a, Object v) {
    if (a.isRef()) {
      return entityOf(db, v);
    }
    if (a.type() == ValueType.TUPLE) {
      return v instanceof List ? v : null;
    }
    return a.type().coerce(v);
  }

  static Long txOf(Object v) {
    return v instanceof Number n ? Ids.toTx(n.longValue()) : null;
  }

  static Set<Var> setOf(Var... vars) {
    return new HashSet<>(java.util.Arrays.asList(vars));
  }

  /** Datoms of a Db matching fixed components, as a cursor (helper for plans and functions). */
  static DatomCursor cursor(Db db, Long e, Long a, Object v, Object vLo, Object vHi) {
    if (e != null) {
      if (a != null) {
        if (v != null) {
          return db.cursor(IndexOrder.EAVT, Stats.lo(e, a, v), Stats.hi(e, a, v));
        }
        return db.cursorEA(e, a);
      }
      return db.cursorE(e);
    }
    if (a != null) {
      if (v != null) {
        return db.cursorAV(a, v);
      }
      if (vLo != null || vHi != null) {
        return db.cursor(IndexOrder.AVET, Stats.lo(Long.MIN_VALUE, a, vLo == null ? Values.MIN : vLo),
            Stats.hi(Long.MAX_VALUE, a, vHi == null ? Values.MAX : vHi));
      }
      return db.cursor(IndexOrder.AEVT, Stats.lo(Long.MIN_VALUE, a, Values.MIN),
          Stats.hi(Long.MAX_VALUE, a, Values.MAX));
    }
    return db.cursor(IndexOrder.EAVT, Stats.lo(Long.MIN_VALUE, Long.MIN_VALUE, Values.MIN),
        Stats.hi(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX));
  }
}
