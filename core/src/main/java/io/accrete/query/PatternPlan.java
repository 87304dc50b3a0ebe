package io.accrete.query;

import io.accrete.Attribute;
import io.accrete.Keyword;
import io.accrete.db.Db;
import io.accrete.db.Keys;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.RangeReader;
import io.accrete.index.Values;
import io.accrete.query.Clauses.Clause;
import io.accrete.query.Terms.Const;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one data pattern over a database runs: its constants resolved against the schema
 * (idents, lookup refs, attribute types), value bounds taken from range predicates, the
 * estimate of what it yields given the current bindings, and the choice between looking up
 * each bound row in an index and scanning once to hash-join.
 */
final class PatternPlan {
  // Relative costs measured here: a seek (~0.2 us) costs about what reading, binding and
  // hash-joining five scanned datoms does.
  private static final double SEEK = 1.0;
  private static final double SCAN = 0.2;
  private static final double PROBE = 0.1;
  private static final int SAMPLE_ROWS = 8;

  final Db db;
  final Clauses.Pattern p;
  boolean impossible;
  Long eConst;
  Long aConst;
  Object vConst;
  Long txConst;
  Boolean addedConst;
  Attribute attr;
  final Var[] posVar = new Var[5];
  Object vLo;
  Object vHi;
  boolean loExclusive;
  boolean hiExclusive;
  /** Range predicates the bounds enforce exactly; a scan with the bounds makes them redundant. */
  final List<Clause> rangePredicates = new ArrayList<>();
  /** What the last apply did, for explain. */
  String strategy;
  /** True when apply scanned with the value bounds (so the range predicates are enforced). */
  boolean scanned;

  private PatternPlan(Db db, Clauses.Pattern p) {
    this.db = db;
    this.p = p;
  }

  static PatternPlan of(Db db, Clauses.Pattern p, Context ctx, List<Clause> pending) {
    PatternPlan plan = new PatternPlan(db, p);
    plan.resolve();
    if (!plan.impossible) {
      plan.bounds(ctx, pending);
    }
    return plan;
  }

  private void resolve() {
    Object[] t = p.terms;
    for (int i = 0; i < t.length; i++) {
      if (t[i] instanceof Var v) {
        posVar[i] = v;
      }
    }
    if (t.length > 1 && t[1] instanceof Const k) {
      Object a = k.value;
      attr = db.attribute(a instanceof Integer i ? Long.valueOf(i) : a);
      if (attr == null) {
        if (a instanceof Keyword) {
          throw QueryParser.error("Unknown attribute " + a + " in " + QueryParser.show(p.form));
        }
        impossible = true;
        return;
      }
      aConst = attr.id();
    }
    if (t[0] instanceof Const k) {
      eConst = Execution.entityOf(db, QueryRunner.normalize(k.value));
      if (eConst == null) {
        impossible = true;
        return;
      }
    }
    if (t.length > 2 && t[2] instanceof Const k) {
      Object v = QueryRunner.normalize(k.value);
      vConst = attr != null ? Execution.valueFor(db, attr, v) : v;
      if (vConst == null) {
        impossible = true;
        return;
      }
    }
    if (t.length > 3 && t[3] instanceof Const k) {
      txConst = Execution.txOf(k.value);
      if (txConst == null) {
        impossible = true;
        return;
      }
    }
    if (t.length > 4 && t[4] instanceof Const k) {
      if (!(k.value instanceof Boolean b)) {
        impossible = true;
        return;
      }
      addedConst = b;
    }
  }

  /** Bounds on the value from range predicates waiting on the value variable. */
  private void bounds(Context ctx, List<Clause> pending) {
    Var v = posVar[2];
    // Bounds narrow an AVET scan; with a constant entity the scan is EAVT and takes none.
    if (v == null || attr == null || ctx.bound(v) || vConst != null || eConst != null) {
      return;
    }
    for (Clause c : pending) {
      if (!(c instanceof Clauses.Predicate pr) || pr.fn.namespace() != null || pr.args.length != 2) {
        continue;
      }
      String op = pr.fn.name();
      if (!(op.equals("<") || op.equals(">") || op.equals("<=") || op.equals(">="))) {
        continue;
      }
      boolean varFirst = v.equals(pr.args[0]);
      if (!varFirst && !v.equals(pr.args[1])) {
        continue;
      }
      Object bound = constantOf(pr.args[varFirst ? 1 : 0], ctx);
      if (bound == null) {
        continue;
      }
      Object b = Execution.valueFor(db, attr, bound);
      if (b == null || ValueTypeCheck.incomparable(attr, b)) {
        continue;
      }
      boolean upper = varFirst == (op.charAt(0) == '<');
      boolean strict = op.length() == 1;
      if (upper) {
        int c2 = vHi == null ? -1 : Values.compare(b, vHi);
        if (c2 < 0 || (c2 == 0 && strict)) {
          vHi = b;
          hiExclusive = strict;
        }
      } else {
        int c2 = vLo == null ? 1 : Values.compare(b, vLo);
        if (c2 > 0 || (c2 == 0 && strict)) {
          vLo = b;
          loExclusive = strict;
        }
      }
      rangePredicates.add(c);
    }
  }

  /** A term's value when it is fixed: a constant, or a variable bound to a single value. */
  private static Object constantOf(Object term, Context ctx) {
    if (term instanceof Const k) {
      return QueryRunner.normalize(k.value);
    }
    if (term instanceof Var v) {
      Relation r = ctx.relOf(v);
      if (r != null && r.size() == 1) {
        return r.rows.get(0)[r.indexOf(v)];
      }
    }
    return null;
  }

  private Set<Var> boundVars(Context ctx) {
    Set<Var> out = new LinkedHashSet<>();
    for (Var v : posVar) {
      if (v != null && ctx.bound(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** Datoms a scan with only the constants (and value bounds) would read. */
  double scanEstimate() {
    if (eConst != null) {
      return Stats.countEntity(db, eConst, aConst);
    }
    if (aConst != null) {
      if (vConst != null) {
        return Stats.countValue(db, aConst, vConst);
      }
      if (vLo != null || vHi != null) {
        return Stats.countRange(db, aConst, vLo, vHi);
      }
      return Stats.count(db, aConst);
    }
    return Stats.total(db);
  }

  /** Estimated rows after this pattern joins into the current bindings. */
  double estimate(Context ctx) {
    Set<Var> bound = boundVars(ctx);
    if (bound.isEmpty()) {
      return scanEstimate();
    }
    // Bound variables in several relations: one drives, the others are joined to what it finds.
    Relation driver = driver(ctx, bound);
    return driver.size() * fanout(driver, ctx);
  }

  /**
   * Of the relations binding this pattern's variables, the one whose rows the pattern is
   * evaluated for: the one with the entity (an EAVT lookup per row), else the one with the
   * value, else the smallest. The others join to the result on their shared variables, so no
   * product of unrelated relations is ever made.
   */
  private Relation driver(Context ctx, Set<Var> bound) {
    Relation best = null;
    for (Var v : bound) {
      Relation x = ctx.relOf(v);
      if (best == null || rank(x) < rank(best) || (rank(x) == rank(best) && x.size() < best.size())) {
        best = x;
      }
    }
    return best;
  }

  private int rank(Relation x) {
    if (posVar[0] != null && x.has(posVar[0])) {
      return 0;
    }
    return posVar[2] != null && x.has(posVar[2]) ? 1 : 2;
  }

  /** Matches per bound row, measured on a few rows where it is not obvious. */
  private double fanout(Relation r, Context ctx) {
    boolean eBound = eConst != null || (posVar[0] != null && r.has(posVar[0]));
    if (eBound && attr != null && !attr.isMany()) {
      return 1;
    }
    if (!eBound && (aConst == null)) {
      return scanEstimate();
    }
    int n = Math.min(SAMPLE_ROWS, r.size());
    if (n == 0) {
      return 0;
    }
    double sum = 0;
    int step = Math.max(1, r.size() / n);
    for (int k = 0; k < n; k++) {
      Object[] row = r.rows.get(k * step);
      Long e = eConst;
      if (e == null && posVar[0] != null && r.has(posVar[0])) {
        e = Execution.entityOf(db, row[r.indexOf(posVar[0])]);
      }
      if (e != null) {
        sum += Stats.countEntity(db, e, aConst);
        continue;
      }
      Object v = vConst;
      if (v == null && posVar[2] != null && r.has(posVar[2])) {
        v = Execution.valueFor(db, attr, row[r.indexOf(posVar[2])]);
      }
      sum += v != null ? Stats.countValue(db, aConst, v) : Stats.count(db, aConst);
    }
    return sum / n;
  }

  /**
   * The entity variable when this pattern is a lookup of a constant attribute on an entity
   * already bound (the case one EAVT pass per entity can serve), else null.
   */
  Var entityLookupVar(Context ctx) {
    Var e = posVar[0];
    if (impossible || e == null || !ctx.bound(e) || aConst == null || p.terms.length > 3
        || e.equals(posVar[2])) {
      return null;
    }
    Relation r = ctx.relOf(e);
    return r.size() * SEEK <= scanEstimate() * SCAN + r.size() * PROBE ? e : null;
  }

  void apply(Execution ex, Context ctx) {
    if (impossible) {
      strategy = "nothing can match";
      ctx.add(new Relation(varsInOrder().toArray(new Var[0]), new ArrayList<>(), true));
      return;
    }
    Set<Var> bound = boundVars(ctx);
    if (bound.isEmpty()) {
      strategy = "scan " + indexName(eConst, aConst, vConst);
      Execution.joinInto(ctx, scan(ex));
      scanned = true;
      return;
    }
    Relation r = driver(ctx, bound);
    java.util.List<Relation> others = new ArrayList<>();
    for (Var v : bound) {
      Relation x = ctx.relOf(v);
      if (x != r && !others.contains(x)) {
        others.add(x);
      }
    }
    if (!others.isEmpty()) {
      // Evaluated for the driver's rows alone; the others join to the result afterwards.
      applyFor(ex, ctx, r, others);
      return;
    }
    Relation canon = canonical(r);
    if (canon != r) {
      ctx.replace(r, canon);
      r = canon;
    }
    ctx.replace(r, evaluateFor(ex, r));
  }

  /** This pattern's matches for each row of {@code r} (whose bound positions are canonical). */
  private Relation evaluateFor(Execution ex, Relation r) {
    boolean keyed = eConst != null || aConst != null || (posVar[0] != null && r.has(posVar[0]))
        || (posVar[1] != null && r.has(posVar[1]));
    double scan = scanEstimate();
    double lookupCost = r.size() * (keyed ? SEEK : scan * SCAN);
    double scanCost = scan * SCAN + r.size() * PROBE;
    if (lookupCost <= scanCost) {
      strategy = "lookup per row in " + lookupIndex(r);
      return lookup(ex, r);
    }
    strategy = "scan " + indexName(eConst, aConst, vConst) + " and hash join";
    scanned = true;
    return Relation.join(r, scan(ex));
  }

  /** Matches for the rows of {@code driver}, then hash-joined with {@code others} in turn. */
  private void applyFor(Execution ex, Context ctx, Relation driver, java.util.List<Relation> others) {
    Relation canon = canonical(driver);
    Relation out = evaluateFor(ex, canon);
    for (Relation o : others) {
      out = Relation.join(out, canonical(o));
      ctx.remove(o);
    }
    strategy += ", then joined with " + others.size() + " more relation" + (others.size() == 1 ? "" : "s");
    ctx.replace(driver, out);
  }

  /**
   * The relation with the values of this pattern's bound entity, attribute and reference
   * positions in stored form (entity ids for idents and lookup refs), so that hash joins compare
   * like with like; rows that name nothing are dropped. The same relation when already so.
   */
  private Relation canonical(Relation r) {
    int[] pos = {posVar[0] != null ? r.indexOf(posVar[0]) : -1, posVar[1] != null ? r.indexOf(posVar[1]) : -1,
        posVar[2] != null && attr != null ? r.indexOf(posVar[2]) : -1};
    boolean clean = true;
    for (Object[] row : r.rows) {
      if ((pos[0] >= 0 && !(row[pos[0]] instanceof Long)) || (pos[1] >= 0 && !(row[pos[1]] instanceof Long))
          || (pos[2] >= 0 && !canonicalValue(row[pos[2]]))) {
        clean = false;
        break;
      }
    }
    if (clean) {
      return r;
    }
    List<Object[]> out = new ArrayList<>(r.size());
    for (Object[] row : r.rows) {
      Object[] c = row.clone();
      boolean ok = true;
      if (pos[0] >= 0) {
        c[pos[0]] = Execution.entityOf(db, row[pos[0]]);
        ok = c[pos[0]] != null;
      }
      if (ok && pos[1] >= 0) {
        Attribute at = row[pos[1]] instanceof Long ? null : db.attribute(row[pos[1]]);
        c[pos[1]] = row[pos[1]] instanceof Long ? row[pos[1]] : at == null ? null : at.id();
        ok = c[pos[1]] != null;
      }
      if (ok && pos[2] >= 0) {
        c[pos[2]] = Execution.valueFor(db, attr, row[pos[2]]);
        ok = c[pos[2]] != null;
      }
      if (ok) {
        out.add(c);
      }
    }
    return new Relation(r.vars, out);
  }

  private boolean canonicalValue(Object v) {
    return attr.isRef() ? v instanceof Long : Values.equal(Execution.valueFor(db, attr, v), v);
  }

  private String lookupIndex(Relation r) {
    Long e = eConst != null || (posVar[0] != null && r.has(posVar[0])) ? 0L : null;
    Long a = aConst != null || (posVar[1] != null && r.has(posVar[1])) ? 0L : null;
    Object v = vConst != null || (posVar[2] != null && r.has(posVar[2])) ? "" : null;
    return indexName(e, a, v);
  }

  private String indexName(Long e, Long a, Object v) {
    if (e != null) {
      return "EAVT";
    }
    if (a != null) {
      if (v != null) {
        return attr != null && attr.isRef() ? "VAET" : "AVET";
      }
      if (vLo != null || vHi != null) {
        return "AVET range " + (vLo == null ? "" : (loExclusive ? "(" : "[") + QueryParser.show(vLo))
            + ".." + (vHi == null ? "" : QueryParser.show(vHi) + (hiExclusive ? ")" : "]"));
      }
      return "AEVT";
    }
    return "EAVT (full)";
  }

  List<Var> varsInOrder() {
    List<Var> out = new ArrayList<>();
    for (Var v : posVar) {
      if (v != null && !out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** All datoms matching the constants, as a relation over the pattern's variables. */
  private Relation scan(Execution ex) {
    List<Var> vars = varsInOrder();
    int[] slot = slots(vars);
    List<Object[]> rows = new ArrayList<>();
    DatomCursor c = Execution.cursor(db, eConst, aConst, vConst, vLo, vHi);
    boolean ranged = eConst == null && aConst != null && vConst == null && (vLo != null || vHi != null);
    // The range holds only the constant entity and attribute, and the constant value with them
    // when it is of a type whose index order tells equal values apart (not 1 from 1.0M): then
    // no datom's value needs reading to match it.
    boolean valueFixed = aConst != null
        && (vConst instanceof String || vConst instanceof Keyword || vConst instanceof Long);
    boolean check = (vConst != null && !valueFixed) || txConst != null || addedConst != null;
    while (c.next()) {
      ex.tick();
      if (check && !constantsMatch(c)) {
        continue;
      }
      if (ranged && ((loExclusive && Values.compare(c.v(), vLo) == 0)
          || (hiExclusive && Values.compare(c.v(), vHi) == 0))) {
        continue;
      }
      Object[] row = new Object[vars.size()];
      if (fill(c, row, slot)) {
        ex.materialized();
        rows.add(row);
      }
    }
    // One attribute's AEVT range lists its entities in order, and so does one value's AVET or
    // VAET range.
    Var sorted = eConst == null && aConst != null && vLo == null && vHi == null ? posVar[0] : null;
    return new Relation(vars.toArray(new Var[0]), rows, coversKey(), sorted);
  }

  /**
   * True when each matching datom gives a different row: the pattern has a variable or a
   * constant (not {@code _}) for entity, attribute and value — and, on a history database,
   * for tx and added too.
   */
  boolean coversKey() {
    Object[] t = p.terms;
    int need = db.isHistory() ? 5 : 3;
    if (t.length < need) {
      return false;
    }
    for (int i = 0; i < need; i++) {
      if (t[i] == Terms.BLANK) {
        return false;
      }
    }
    return true;
  }

  /** For each bound row, the matching datoms, appended as new columns. */
  private Relation lookup(Execution ex, Relation r) {
    List<Var> fresh = new ArrayList<>();
    for (Var v : varsInOrder()) {
      if (!r.has(v)) {
        fresh.add(v);
      }
    }
    Var[] vars = new Var[r.vars.length + fresh.size()];
    System.arraycopy(r.vars, 0, vars, 0, r.vars.length);
    for (int i = 0; i < fresh.size(); i++) {
      vars[r.vars.length + i] = fresh.get(i);
    }
    // Bound positions were matched exactly by the lookup; only fresh variables are written.
    int[] slot = new int[5];
    for (int i = 0; i < 5; i++) {
      slot[i] = posVar[i] == null || r.has(posVar[i]) ? -1 : r.vars.length + fresh.indexOf(posVar[i]);
    }
    int ei = posVar[0] != null ? r.indexOf(posVar[0]) : -1;
    int ai = posVar[1] != null ? r.indexOf(posVar[1]) : -1;
    int vi = posVar[2] != null ? r.indexOf(posVar[2]) : -1;
    int ti = posVar[3] != null ? r.indexOf(posVar[3]) : -1;
    int di = posVar[4] != null ? r.indexOf(posVar[4]) : -1;
    // With the entity known, each row reads one short range: one attribute's run in AEVT (close
    // to the last row's when the rows ascend by entity), or the entity's run in EAVT.
    boolean eKnown = eConst != null || ei >= 0;
    boolean aKnown = aConst != null || ai >= 0;
    RangeReader reader = eKnown ? db.reader(aKnown ? IndexOrder.AEVT : IndexOrder.EAVT) : null;
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : r.rows) {
      ex.tick();
      Long e = eConst;
      if (ei >= 0) {
        e = Execution.entityOf(db, row[ei]);
        if (e == null) {
          continue;
        }
      }
      Long a = aConst;
      Attribute at = attr;
      if (ai >= 0) {
        at = db.attribute(row[ai]);
        if (at == null) {
          continue;
        }
        a = at.id();
      }
      Object v = vConst;
      if (vi >= 0) {
        v = at != null ? Execution.valueFor(db, at, row[vi]) : row[vi];
        if (v == null) {
          continue;
        }
      }
      Long tx = txConst;
      if (ti >= 0) {
        tx = Execution.txOf(row[ti]);
        if (tx == null) {
          continue;
        }
      }
      Object added = di >= 0 ? row[di] : null;
      if (di >= 0 && !(added instanceof Boolean)) {
        continue;
      }
      DatomCursor c = reader == null ? Execution.cursor(db, e, a, v, vLo, vHi)
          : a == null ? reader.range(Keys.lo(e, Long.MIN_VALUE, Values.MIN), Keys.hi(e, Long.MAX_VALUE, Values.MAX))
          : v == null ? reader.range(Keys.lo(e, a, Values.MIN), Keys.hi(e, a, Values.MAX))
          : reader.range(Keys.lo(e, a, v), Keys.hi(e, a, v));
      while (c.next()) {
        if (!constantsMatch(c) || (e != null && c.e() != e) || (v != null && !Values.equal(c.v(), v))
            || (tx != null && c.tx() != tx) || (added != null && c.added() != (Boolean) added)) {
          continue;
        }
        Object[] nr = java.util.Arrays.copyOf(row, vars.length);
        if (fill(c, nr, slot)) {
          out.add(nr);
        }
      }
    }
    // Each row's matches follow it in place, so an order of the rows is kept.
    return new Relation(vars, out, r.distinct && coversKey(), r.sortedBy);
  }

  private boolean constantsMatch(DatomCursor c) {
    return (eConst == null || c.e() == eConst) && (aConst == null || c.a() == aConst)
        && (vConst == null || Values.equal(c.v(), vConst)) && (txConst == null || c.tx() == txConst)
        && (addedConst == null || c.added() == addedConst);
  }

  /** The row slot of each pattern position's variable, or -1. */
  private int[] slots(List<Var> vars) {
    int[] slot = new int[5];
    for (int i = 0; i < 5; i++) {
      slot[i] = posVar[i] == null ? -1 : vars.indexOf(posVar[i]);
    }
    return slot;
  }

  /** Writes the datom's components into the row; false when a repeated variable disagrees. */
  private static boolean fill(DatomCursor c, Object[] row, int[] slot) {
    for (int i = 0; i < 5; i++) {
      int s = slot[i];
      if (s < 0) {
        continue;
      }
      Object x;
      switch (i) {
        case 0:
          x = c.e();
          break;
        case 1:
          x = c.a();
          break;
        case 2:
          x = c.v();
          break;
        case 3:
          x = c.tx();
          break;
        default:
          x = c.added();
          break;
      }
      if (row[s] == null) {
        row[s] = x;
      } else if (!Values.equal(row[s], x)) {
        return false;
      }
    }
    return true;
  }
}
