package io.accrete.query;

import io.accrete.Connection;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.query.QueryModel.Clause;
import io.accrete.query.QueryModel.CollIn;
import io.accrete.query.QueryModel.Const;
import io.accrete.query.QueryModel.FindElem;
import io.accrete.query.QueryModel.In;
import io.accrete.query.QueryModel.Kind;
import io.accrete.query.QueryModel.Not;
import io.accrete.query.QueryModel.Or;
import io.accrete.query.QueryModel.Pattern;
import io.accrete.query.QueryModel.Pred;
import io.accrete.query.QueryModel.Query;
import io.accrete.query.QueryModel.Rule;
import io.accrete.query.QueryModel.RuleCall;
import io.accrete.query.QueryModel.RulesIn;
import io.accrete.query.QueryModel.ScalarIn;
import io.accrete.query.QueryModel.SrcIn;
import io.accrete.query.QueryModel.Term;
import io.accrete.query.QueryModel.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Random data and random queries for QueryModelTest. Data: a schema of 4–6 attributes, 30–200
 * entities with values from small domains (so joins hit), transacted in several transactions with
 * later updates, retractions and retractEntity (so asOf and history differ from the present).
 * Queries: valid in Datomic's terms and written in an order Datomic accepts (every predicate,
 * {@code not} and required variable bound by an earlier clause), with typed variables so that
 * joins and comparisons are between values of one type; a few are made invalid on purpose.
 */
final class QueryGen {
  private QueryGen() {}

  /**
   * Variable types: entity, long, string, keyword, transaction, boolean (history's added), an
   * attribute id and values of mixed types (the value of a pattern with a variable attribute).
   */
  enum T {
    E, L, S, K, TX, B, A, ANY
  }

  enum AKind {
    LONG(T.L, false, "long"),
    STRING(T.S, false, "string"),
    KEYWORD(T.K, false, "keyword"),
    REF_ONE(T.E, false, "ref"),
    REF_MANY(T.E, true, "ref"),
    STRING_MANY(T.S, true, "string");

    final T type;
    final boolean many;
    final String valueType;

    AKind(T type, boolean many, String valueType) {
      this.type = type;
      this.many = many;
      this.valueType = valueType;
    }
  }

  record Attr(Keyword ident, AKind kind) {
    T type() {
      return kind.type;
    }

    boolean ref() {
      return kind.type == T.E;
    }
  }

  /** How often a query is made invalid on purpose ({@code -Dqprop.invalid=0} turns it off). */
  static final double INVALID_RATE = Double.parseDouble(System.getProperty("qprop.invalid", "0.05"));

  static final String[] STRING_POOL = {"a", "b", "c", "ab", "B", "a b", "zz", "", "\u00e9", "b\"q"};
  static final String[] KEYWORD_POOL = {":k/a", ":k/b", ":k/c", ":k/A", ":k.x/a", ":kx/a", ":k-x/a", ":l/a"};

  /** The generated database: schema, entities, domains and transactions. */
  static final class Data {
    final List<Attr> attrs = new ArrayList<>();
    final List<Long> eids = new ArrayList<>();
    final Map<Keyword, Long> attrIds = new LinkedHashMap<>();
    final List<Long> txIds = new ArrayList<>();
    final List<Long> ts = new ArrayList<>();
    long lo;
    long hi;
    final List<String> strings = new ArrayList<>();
    final List<Keyword> keywords = new ArrayList<>();
    final StringBuilder log = new StringBuilder();
    /** The current datoms of each attribute: constants are often drawn from them, so they match. */
    final Map<Keyword, List<Datom>> current = new LinkedHashMap<>();

    List<Attr> attrsOf(T t) {
      List<Attr> out = new ArrayList<>();
      for (Attr a : attrs) {
        if (a.type() == t) {
          out.add(a);
        }
      }
      return out;
    }

    Set<T> valueTypes() {
      Set<T> out = new LinkedHashSet<>();
      for (Attr a : attrs) {
        out.add(a.type());
      }
      return out;
    }
  }

  // ================================================================ data

  static Data data(Random r, Connection conn) {
    Data d = new Data();
    int nAttrs = 4 + r.nextInt(3);
    List<AKind> kinds = new ArrayList<>();
    kinds.add(r.nextBoolean() ? AKind.REF_ONE : AKind.REF_MANY);
    while (kinds.size() < nAttrs) {
      kinds.add(AKind.values()[r.nextInt(AKind.values().length)]);
    }
    Collections.shuffle(kinds, r);
    StringBuilder schema = new StringBuilder("[");
    for (int i = 0; i < kinds.size(); i++) {
      AKind k = kinds.get(i);
      Keyword ident = Keyword.intern(":g/" + k.name().toLowerCase().replace('_', '-') + i);
      d.attrs.add(new Attr(ident, k));
      schema.append("{:db/ident ").append(ident).append(" :db/valueType :db.type/").append(k.valueType)
          .append(" :db/cardinality :db.cardinality/").append(k.many ? "many" : "one").append("}\n");
    }
    conn.transact(schema.append("]").toString()).join();
    for (Attr a : d.attrs) {
      d.attrIds.put(a.ident(), conn.db().attribute(a.ident()).id());
    }
    d.lo = r.nextInt(3) == 0 ? -3 : 0;
    d.hi = d.lo + 3 + r.nextInt(10);
    List<String> sp = new ArrayList<>(List.of(STRING_POOL));
    Collections.shuffle(sp, r);
    d.strings.addAll(sp.subList(0, 3 + r.nextInt(4)));
    List<String> kp = new ArrayList<>(List.of(KEYWORD_POOL));
    Collections.shuffle(kp, r);
    for (String k : kp.subList(0, 3 + r.nextInt(3))) {
      d.keywords.add(Keyword.intern(k));
    }
    int n = 30 + r.nextInt(171);
    double[] presence = new double[d.attrs.size()];
    for (int i = 0; i < presence.length; i++) {
      presence[i] = d.attrs.get(i).ref() ? 0.25 + 0.45 * r.nextDouble() : 0.5 + 0.45 * r.nextDouble();
    }
    int firstBatch = n / 2 + r.nextInt(n / 2);
    createEntities(r, conn, d, 0, firstBatch, presence);
    createEntities(r, conn, d, firstBatch, n, presence);
    int updates = 2 + r.nextInt(3);
    for (int u = 0; u < updates; u++) {
      if (r.nextInt(3) == 0) {
        StringBuilder tx = new StringBuilder("[");
        Set<Long> gone = new HashSet<>();
        for (int i = 0; i < 1 + r.nextInt(2); i++) {
          long e = d.eids.get(r.nextInt(d.eids.size()));
          if (gone.add(e)) {
            tx.append("[:db/retractEntity ").append(e).append("]");
          }
        }
        transact(conn, d, tx.append("]").toString());
        continue;
      }
      Map<Long, Attr> byId = new LinkedHashMap<>();
      for (Attr a : d.attrs) {
        byId.put(conn.db().attribute(a.ident()).id(), a);
      }
      List<Datom> current = new ArrayList<>();
      for (Datom dt : conn.db().datoms(Keyword.intern(":eavt"))) {
        if (byId.containsKey(dt.a())) {
          current.add(dt);
        }
      }
      StringBuilder tx = new StringBuilder("[");
      Set<String> touched = new HashSet<>();
      int ops = 5 + r.nextInt(16);
      for (int i = 0; i < ops; i++) {
        if (r.nextInt(10) < 4 && !current.isEmpty()) {
          Datom dt = current.get(r.nextInt(current.size()));
          Attr a = byId.get(dt.a());
          if (touched.add(dt.e() + " " + a.ident())) {
            tx.append("[:db/retract ").append(dt.e()).append(' ').append(a.ident()).append(' ')
                .append(QueryModel.constText(dt.v())).append("]\n");
          }
        } else {
          long e = d.eids.get(r.nextInt(d.eids.size()));
          Attr a = d.attrs.get(r.nextInt(d.attrs.size()));
          if (touched.add(e + " " + a.ident())) {
            Object v = a.ref() ? d.eids.get(r.nextInt(d.eids.size())) : dataValue(r, d, a.type());
            tx.append("[:db/add ").append(e).append(' ').append(a.ident()).append(' ')
                .append(QueryModel.constText(v)).append("]\n");
          }
        }
      }
      transact(conn, d, tx.append("]").toString());
    }
    for (Attr a : d.attrs) {
      List<Datom> l = new ArrayList<>();
      conn.db().datoms(Keyword.intern(":aevt"), a.ident()).forEach(l::add);
      d.current.put(a.ident(), l);
    }
    return d;
  }

  private static void createEntities(Random r, Connection conn, Data d, int from, int to, double[] presence) {
    StringBuilder tx = new StringBuilder("[");
    for (int i = from; i < to; i++) {
      StringBuilder ent = new StringBuilder();
      for (int k = 0; k < d.attrs.size(); k++) {
        Attr a = d.attrs.get(k);
        if (r.nextDouble() >= presence[k] && !(ent.length() == 0 && k == d.attrs.size() - 1)) {
          continue;
        }
        List<String> values = new ArrayList<>();
        int count = a.kind.many ? 1 + r.nextInt(a.ref() ? 2 : 3) : 1;
        for (int c = 0; c < count; c++) {
          String v;
          if (a.ref()) {
            int j = r.nextInt(to);
            v = j < from ? String.valueOf(d.eids.get(j)) : "\"e" + j + "\"";
          } else {
            v = QueryModel.constText(dataValue(r, d, a.type()));
          }
          if (!values.contains(v)) {
            values.add(v);
          }
        }
        ent.append(' ').append(a.ident()).append(' ')
            .append(a.kind.many ? "[" + String.join(" ", values) + "]" : values.get(0));
      }
      tx.append("{:db/id \"e").append(i).append('"').append(ent).append("}\n");
    }
    TxReport rep = transact(conn, d, tx.append("]").toString());
    for (int i = from; i < to; i++) {
      Long e = rep.tempid("e" + i);
      if (e == null) {
        throw new IllegalStateException("tempid e" + i + " did not resolve: " + rep.tempids());
      }
      d.eids.add(e);
    }
  }

  private static TxReport transact(Connection conn, Data d, String tx) {
    TxReport rep = conn.transact(tx).join();
    d.txIds.add(rep.tx());
    d.ts.add(Peer.toT(rep.tx()));
    d.log.append(";; t=").append(Peer.toT(rep.tx())).append('\n').append(tx).append('\n');
    return rep;
  }

  private static Object dataValue(Random r, Data d, T t) {
    switch (t) {
      case L:
        return d.lo + r.nextInt((int) (d.hi - d.lo + 1));
      case S:
        return d.strings.get(r.nextInt(d.strings.size()));
      case K:
        return d.keywords.get(r.nextInt(d.keywords.size()));
      default:
        throw new IllegalArgumentException(t.toString());
    }
  }

  // ================================================================ queries

  enum Mode {
    /** Against the current database. */
    CURRENT,
    /** Against {@code db.asOf(t)} as $. */
    ASOF,
    /** $ current and $h = {@code db.history()}. */
    HISTORY,
    /** $ current and $old = {@code db.asOf(t)}. */
    MIXED
  }

  /** A generated query with its rules and input values. */
  static final class Case {
    Query q;
    List<Rule> rules;
    final Map<String, Object> inputs = new LinkedHashMap<>();
    Mode mode;
    final Set<String> features = new TreeSet<>();
    /** Input variables whose long values are passed to the engine as Integers. */
    final Set<String> intInputs = new HashSet<>();

    Case copy(Query q2, List<Rule> rules2) {
      Case c = new Case();
      c.q = q2;
      c.rules = rules2;
      c.inputs.putAll(inputs);
      c.mode = mode;
      c.features.addAll(features);
      c.intInputs.addAll(intInputs);
      return c;
    }
  }

  record RuleSig(String name, List<T> types) {}

  /** The variables bound in a scope (the query, or the inside of a not-join / or-join / rule). */
  static final class Scope {
    final LinkedHashMap<String, T> bound = new LinkedHashMap<>();
    final boolean local;
    final Set<String> reserved = new HashSet<>();

    Scope(boolean local) {
      this.local = local;
    }

    List<String> varsOf(T t) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, T> e : bound.entrySet()) {
        if (e.getValue() == t) {
          out.add(e.getKey());
        }
      }
      return out;
    }
  }

  static Case query(Random r, Data d, Mode mode) {
    return new Builder(r, d, mode).build();
  }

  private static final class Builder {
    final Random r;
    final Data d;
    final Mode mode;
    final Case c = new Case();
    final Scope top = new Scope(false);
    final List<RuleSig> sigs = new ArrayList<>();
    int n;

    Builder(Random r, Data d, Mode mode) {
      this.r = r;
      this.d = d;
      this.mode = mode;
      c.mode = mode;
      c.features.add("mode-" + mode.name().toLowerCase());
    }

    <X> X pick(List<X> l) {
      return l.get(r.nextInt(l.size()));
    }

    boolean p(double prob) {
      return r.nextDouble() < prob;
    }

    Var fresh() {
      return new Var("?v" + (n++));
    }

    /** A new variable for a scope: fresh, or in a local scope sometimes an outer name (shadowing). */
    Var newVar(Scope s, T t) {
      Var v = fresh();
      if (s.local && p(0.15)) {
        List<String> cands = new ArrayList<>();
        for (String o : top.bound.keySet()) {
          if (!s.bound.containsKey(o) && !s.reserved.contains(o)) {
            cands.add(o);
          }
        }
        if (!cands.isEmpty()) {
          v = new Var(pick(cands));
          c.features.add("shadowing");
        }
      }
      s.bound.put(v.name(), t);
      return v;
    }

    Object constant(T t) {
      switch (t) {
        case E:
          return pick(d.eids);
        case L:
          return d.lo - 1 + r.nextInt((int) (d.hi - d.lo + 3));
        case S:
          return p(0.85) ? pick(d.strings) : STRING_POOL[r.nextInt(STRING_POOL.length)];
        case K:
          return p(0.85) ? pick(d.keywords) : Keyword.intern(KEYWORD_POOL[r.nextInt(KEYWORD_POOL.length)]);
        case TX:
          return pick(d.txIds);
        default:
          return r.nextBoolean();
      }
    }

    /** A constant for position {@code pos} (0 e, 2 v, 3 tx) of a pattern on {@code a}: usually one in the data. */
    Object constantFor(Attr a, int pos) {
      List<Datom> ds = d.current.get(a.ident());
      if (ds.isEmpty() || p(0.3)) {
        return constant(pos == 0 ? T.E : pos == 3 ? T.TX : a.ref() ? T.E : a.type());
      }
      Datom dt = pick(ds);
      return pos == 0 ? dt.e() : pos == 3 ? dt.tx() : dt.v();
    }

    String src() {
      if (mode == Mode.HISTORY && p(0.45)) {
        return "$h";
      }
      if (mode == Mode.MIXED && p(0.4)) {
        return "$old";
      }
      return "$";
    }

    Case build() {
      List<In> in = new ArrayList<>();
      in.add(new SrcIn("$"));
      if (mode == Mode.HISTORY) {
        in.add(new SrcIn("$h"));
      } else if (mode == Mode.MIXED) {
        in.add(new SrcIn("$old"));
      }
      if (p(0.2)) {
        in.add(new RulesIn());
        c.rules = ruleSet();
        c.features.add("rules");
      }
      List<Clause> where = new ArrayList<>();
      List<T> types = new ArrayList<>(d.valueTypes());
      types.add(T.E);
      if (p(0.22)) {
        T t = pick(types);
        Var v = fresh();
        Attr a = t == T.E ? pick(d.attrs) : pick(d.attrsOf(t));
        in.add(new ScalarIn(v));
        c.inputs.put(v.name(), constantFor(a, t == T.E ? 0 : 2));
        top.bound.put(v.name(), t);
        where.add(anchorPattern(v, t, a));
        c.features.add("in-scalar");
        if (t == T.L && p(0.3)) {
          c.intInputs.add(v.name());
          c.features.add("in-integer");
        }
      }
      if (p(0.18)) {
        T t = pick(types);
        Var v = fresh();
        Attr a = t == T.E ? pick(d.attrs) : pick(d.attrsOf(t));
        in.add(new CollIn(v));
        List<Object> values = new ArrayList<>();
        for (int i = p(0.1) ? 0 : 1 + r.nextInt(4); i > 0; i--) {
          values.add(constantFor(a, t == T.E ? 0 : 2));
        }
        c.inputs.put(v.name(), values);
        top.bound.put(v.name(), t);
        where.add(anchorPattern(v, t, a));
        c.features.add("in-collection");
        if (t == T.L && p(0.3)) {
          c.intInputs.add(v.name());
          c.features.add("in-integer");
        }
      }
      if (mode == Mode.HISTORY && p(0.35)) {
        // [?e ?a ?v ?tx ?added] on the history, the attribute restricted by ident or input.
        Attr a = pick(d.attrs);
        Var av = fresh();
        if (p(0.5)) {
          where.add(new Pattern("$", List.of(av, new Const(Keyword.intern(":db/ident")), new Const(a.ident()))));
        } else {
          in.add(new ScalarIn(av));
          c.inputs.put(av.name(), d.attrIds.get(a.ident()));
        }
        top.bound.put(av.name(), T.A);
        List<Term> terms = new ArrayList<>(List.of(newVar(top, T.E), av, newVar(top, T.ANY)));
        terms.add(p(0.8) ? newVar(top, T.TX) : QueryModel.BLANK);
        terms.add(p(0.8) ? newVar(top, T.B) : new Const(r.nextBoolean()));
        where.add(new Pattern("$h", terms));
        c.features.add("history-attribute-variable");
      }
      if (where.isEmpty() && p(0.08)) {
        where.add(p(0.5) ? plainOr(top, true) : orJoin(top, true));
      }
      int patterns = 1 + r.nextInt(mode == Mode.CURRENT ? 5 : 3);
      boolean called = false;
      for (int i = 0; i < patterns; i++) {
        where.add(pattern(top, src(), true, true, null));
        double ne = r.nextDouble();
        int extras = top.bound.isEmpty() ? 0 : ne < 0.45 ? 0 : ne < 0.85 ? 1 : 2;
        for (int k = 0; k < extras; k++) {
          double x = r.nextDouble();
          if (x < 0.35) {
            where.add(pred(top, null));
          } else if (x < 0.47) {
            Clause cl = plainNot(top);
            if (cl != null) {
              where.add(cl);
            }
          } else if (x < 0.59) {
            Clause cl = notJoin(top);
            if (cl != null) {
              where.add(cl);
            }
          } else if (x < 0.69) {
            where.add(plainOr(top, false));
          } else if (x < 0.79) {
            where.add(orJoin(top, false));
          } else if (!sigs.isEmpty() && x < 0.92) {
            where.add(ruleCall(top));
            called = true;
          }
        }
      }
      if (!sigs.isEmpty() && !called) {
        where.add(ruleCall(top));
      }
      if (top.bound.isEmpty()) {
        Attr a = pick(d.attrs);
        where.add(new Pattern("$", List.of(newVar(top, T.E), new Const(a.ident()), newVar(top, a.type()))));
      }
      find(in, where);
      if (p(INVALID_RATE)) {
        makeInvalid();
      }
      return c;
    }

    /** A first pattern that uses an input variable. */
    Clause anchorPattern(Var v, T t, Attr a) {
      if (t == T.E) {
        return pattern(top, "$", a, true, true, v, null);
      }
      Var e = newVar(top, T.E);
      return new Pattern("$", List.of(e, new Const(a.ident()), v));
    }

    // ------------------------------------------------------------ clauses

    /**
     * A data pattern on a random attribute. {@code connect}: share a variable with the scope
     * when possible; {@code allowNew}: may bind new variables; {@code e}: forced entity term.
     */
    Pattern pattern(Scope s, String src, boolean connect, boolean allowNew, Var e) {
      Attr a = pick(d.attrs);
      if (connect && e == null && s.varsOf(T.E).isEmpty() && !s.bound.isEmpty()) {
        // No entity to join on: take an attribute whose values join with a bound variable.
        List<Attr> joinable = new ArrayList<>();
        for (Attr x : d.attrs) {
          if (s.bound.containsValue(x.type())) {
            joinable.add(x);
          }
        }
        if (!joinable.isEmpty()) {
          a = pick(joinable);
        }
      }
      return pattern(s, src, a, connect, allowNew, e, null);
    }

    Pattern pattern(Scope s, String src, Attr a, boolean connect, boolean allowNew, Var forcedE, Term forcedV) {
      List<String> evars = s.varsOf(T.E);
      List<String> vvars = s.varsOf(a.type());
      Term e;
      boolean shared = false;
      boolean newE = false;
      if (forcedE != null) {
        e = forcedE;
        shared = s.bound.containsKey(forcedE.name());
        newE = !shared;
      } else if (!evars.isEmpty() && (!allowNew || p(connect ? 0.7 : 0.5))) {
        e = new Var(pick(evars));
        shared = true;
      } else if (p(0.06) || (!allowNew && evars.isEmpty())) {
        e = new Const(constantFor(a, 0));
      } else if (p(0.08)) {
        e = QueryModel.BLANK;
      } else {
        e = null; // a new variable, made below (after the value term may have shared)
        newE = true;
      }
      Term v;
      boolean omitted = false;
      double x = r.nextDouble();
      if (forcedV != null) {
        v = forcedV;
        shared |= forcedV instanceof Var fv && s.bound.containsKey(fv.name());
      } else if (!vvars.isEmpty() && (allowNew ? x < (a.ref() && shared ? 0.1 : 0.3) : x < 0.2)) {
        v = new Var(pick(vvars));
        shared = true;
      } else if (x >= 0.3 && x < (a.ref() ? 0.34 : 0.42) || (!allowNew && x < 0.55)) {
        v = new Const(constantFor(a, 2));
      } else if (x >= 0.42 && x < 0.52) {
        v = QueryModel.BLANK;
      } else if (x >= 0.52 && x < 0.6 && !(e == QueryModel.BLANK)) {
        v = null;
        omitted = true;
      } else if (allowNew) {
        v = null; // new
      } else {
        v = QueryModel.BLANK;
      }
      if (connect && !shared && !s.bound.isEmpty() && forcedE == null) {
        // Join with what is bound: through the entity if possible, else through the value.
        if (!evars.isEmpty()) {
          e = new Var(pick(evars));
          newE = false;
        } else if (!vvars.isEmpty()) {
          v = new Var(pick(vvars));
          omitted = false;
        }
      }
      if (e == null) {
        e = newVar(s, T.E);
      } else if (newE && e instanceof Var ev) {
        s.bound.put(ev.name(), T.E);
      }
      if (v == null && !omitted) {
        v = newVar(s, a.type());
      }
      List<Term> terms = new ArrayList<>();
      terms.add(e);
      terms.add(new Const(a.ident()));
      if (omitted) {
        return new Pattern(src, terms);
      }
      terms.add(v);
      boolean hist = src.equals("$h");
      if (p(hist ? 0.7 : 0.08)) {
        List<String> txs = s.varsOf(T.TX);
        double y = r.nextDouble();
        if (!txs.isEmpty() && y < 0.4) {
          terms.add(new Var(pick(txs)));
        } else if (y < (hist ? 0.5 : 0.44)) {
          terms.add(new Const(constantFor(a, 3)));
          c.features.add("tx-constant");
        } else if (y < 0.6 || !allowNew) {
          terms.add(QueryModel.BLANK);
        } else {
          terms.add(newVar(s, T.TX));
        }
        c.features.add("tx-position");
        if (p(hist ? 0.6 : 0.2)) {
          List<String> bs = s.varsOf(T.B);
          double z = r.nextDouble();
          if (!bs.isEmpty() && z < 0.3) {
            terms.add(new Var(pick(bs)));
          } else if (z < 0.6 || !allowNew) {
            terms.add(new Const(hist ? r.nextBoolean() : p(0.8)));
          } else {
            terms.add(newVar(s, T.B));
          }
          c.features.add("added-position");
        }
      }
      if (e instanceof Const) {
        c.features.add("entity-constant");
      }
      if (!src.equals("$")) {
        c.features.add("source-" + src);
      }
      return new Pattern(src, terms);
    }

    /** The bound variables predicates can compare (not attribute ids or values of mixed types). */
    List<String> comparable(Scope s) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, T> e : s.bound.entrySet()) {
        if (e.getValue() != T.A && e.getValue() != T.ANY) {
          out.add(e.getKey());
        }
      }
      return out;
    }

    /** A predicate over bound variables (on {@code on} when given). */
    Pred pred(Scope s, String on) {
      List<String> vars = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (String v : s.bound.keySet()) {
        T vt = s.bound.get(v);
        if (vt != T.A && vt != T.ANY) {
          vars.add(v);
          if (vt != T.E) {
            values.add(v);
          }
        }
      }
      // Mostly on values: comparing entity ids with constants rarely keeps anything.
      String xv = on != null ? on : !values.isEmpty() && p(0.8) ? pick(values) : pick(vars);
      T t = s.bound.get(xv);
      List<String> same = s.varsOf(t);
      same.remove(xv);
      boolean withVar = !same.isEmpty() && p(0.4);
      String[] ops = t == T.B ? new String[] {"=", "!="}
          : t == T.E && !withVar ? new String[] {"<", ">", "<=", ">=", "!="}
          : new String[] {"<", ">", "<=", ">=", "=", "!="};
      String op = ops[r.nextInt(ops.length)];
      Term y = withVar ? new Var(pick(same)) : new Const(constant(t));
      Term x = new Var(xv);
      c.features.add("pred");
      return p(0.5) ? new Pred(op, x, y) : new Pred(op, y, x);
    }

    /** {@code (not ...)} over bound variables only, or null when there is no entity variable. */
    Not plainNot(Scope s) {
      if (s.varsOf(T.E).isEmpty()) {
        return null;
      }
      List<Clause> body = new ArrayList<>();
      body.add(pattern(s, src(), true, false, null));
      if (p(0.3)) {
        body.add(p(0.5) ? pred(s, null) : pattern(s, src(), true, false, null));
      }
      c.features.add("not");
      return new Not(null, body);
    }

    Not notJoin(Scope s) {
      List<Var> join = new ArrayList<>();
      List<String> evars = s.varsOf(T.E);
      List<String> typed = new ArrayList<>();
      for (Map.Entry<String, T> e : s.bound.entrySet()) {
        if (d.valueTypes().contains(e.getValue())) {
          typed.add(e.getKey());
        }
      }
      if (evars.isEmpty() && typed.isEmpty()) {
        return null;
      }
      String anchor = evars.isEmpty() ? pick(typed) : pick(evars);
      join.add(new Var(anchor));
      String extra = null;
      List<String> others = comparable(s);
      others.remove(anchor);
      if (!others.isEmpty() && p(0.3)) {
        extra = pick(others);
        join.add(new Var(extra));
      }
      Scope sub = sub(s, join);
      List<Clause> body = new ArrayList<>();
      if (s.bound.get(anchor) == T.E) {
        body.add(pattern(sub, src(), true, true, new Var(anchor)));
      } else {
        body.add(pattern(sub, src(), pick(d.attrsOf(s.bound.get(anchor))), true, true, null, new Var(anchor)));
      }
      if (p(0.4)) {
        body.add(pattern(sub, src(), true, true, null));
      }
      if (p(0.4)) {
        body.add(pred(sub, null));
      }
      if (extra != null && !QueryModel.conjVars(body).contains(extra)) {
        body.add(pred(sub, extra));
      }
      c.features.add("not-join");
      return new Not(join, body);
    }

    private Scope sub(Scope s, List<Var> join) {
      Scope sub = new Scope(true);
      for (Var v : join) {
        if (s.bound.containsKey(v.name())) {
          sub.bound.put(v.name(), s.bound.get(v.name()));
        }
        sub.reserved.add(v.name());
      }
      return sub;
    }

    /** {@code (or ...)}: every branch uses exactly the same variables. */
    Or plainOr(Scope s, boolean first) {
      List<String> evars = s.varsOf(T.E);
      Var anchor = !first && !evars.isEmpty() && p(0.95) ? new Var(pick(evars)) : fresh();
      Var extra = null;
      T et = null;
      if (p(0.4)) {
        et = pick(new ArrayList<>(d.valueTypes()));
        List<String> ev = s.varsOf(et);
        ev.remove(anchor.name());
        extra = !ev.isEmpty() && p(0.5) ? new Var(pick(ev)) : fresh();
      }
      List<List<Clause>> branches = new ArrayList<>();
      int nb = 2 + r.nextInt(2);
      for (int b = 0; b < nb; b++) {
        // Branch scope: the or's variables count as bound for the branch's own filters.
        Scope bs = new Scope(false);
        bs.bound.put(anchor.name(), T.E);
        if (extra != null) {
          bs.bound.put(extra.name(), et);
        }
        List<Clause> branch = new ArrayList<>();
        if (extra != null) {
          branch.add(new Pattern("$", List.of(anchor, new Const(pick(d.attrsOf(et)).ident()), extra)));
        } else {
          branch.add(closedPattern(anchor));
        }
        if (p(0.25)) {
          branch.add(p(0.5) ? closedPattern(anchor) : pred(bs, extra != null && p(0.7) ? extra.name() : null));
        }
        branches.add(branch);
      }
      s.bound.put(anchor.name(), T.E);
      if (extra != null) {
        s.bound.put(extra.name(), et);
      }
      c.features.add(first ? "or-first" : "or");
      return new Or(List.of(), null, branches);
    }

    /** A pattern on an entity variable with a constant, _ or no value: mentions only the entity. */
    Pattern closedPattern(Var e) {
      Attr a = pick(d.attrs);
      double x = r.nextDouble();
      if (x < 0.6) {
        return new Pattern("$", List.of(e, new Const(a.ident()), new Const(constantFor(a, 2))));
      }
      if (x < 0.8) {
        return new Pattern("$", List.of(e, new Const(a.ident()), QueryModel.BLANK));
      }
      return new Pattern("$", List.of(e, new Const(a.ident())));
    }

    /** {@code (or-join [...] ...)}: branches may use variables of their own. */
    Or orJoin(Scope s, boolean first) {
      List<String> evars = s.varsOf(T.E);
      boolean anchorBound = !first && !evars.isEmpty() && p(0.95);
      Var anchor = anchorBound ? new Var(pick(evars)) : fresh();
      List<Var> join = new ArrayList<>();
      join.add(anchor);
      String extraBound = null;
      List<String> others = comparable(s);
      others.remove(anchor.name());
      if (!others.isEmpty() && p(0.25)) {
        extraBound = pick(others);
        join.add(new Var(extraBound));
      }
      Var extraNew = null;
      T nt = null;
      if (p(0.3)) {
        nt = pick(new ArrayList<>(d.valueTypes()));
        extraNew = fresh();
        join.add(extraNew);
      }
      List<Var> required = anchorBound && p(0.3) ? List.of(anchor) : List.of();
      List<List<Clause>> branches = new ArrayList<>();
      int nb = 2 + r.nextInt(2);
      for (int b = 0; b < nb; b++) {
        Scope sub = sub(s, join);
        List<Clause> branch = new ArrayList<>();
        if (extraNew != null && p(0.3) && !d.attrsOf(T.E).isEmpty()) {
          Var m = newVar(sub, T.E);
          branch.add(new Pattern("$", List.of(anchor, new Const(pick(d.attrsOf(T.E)).ident()), m)));
          sub.bound.put(anchor.name(), T.E);
          branch.add(new Pattern("$", List.of(m, new Const(pick(d.attrsOf(nt)).ident()), extraNew)));
          sub.bound.put(extraNew.name(), nt);
        } else if (extraNew != null) {
          branch.add(new Pattern("$", List.of(anchor, new Const(pick(d.attrsOf(nt)).ident()), extraNew)));
          sub.bound.put(anchor.name(), T.E);
          sub.bound.put(extraNew.name(), nt);
        } else {
          branch.add(pattern(sub, "$", true, true, anchor));
        }
        if (p(0.35)) {
          branch.add(pattern(sub, "$", true, true, null));
        }
        if (p(0.3)) {
          branch.add(pred(sub, null));
        }
        if (p(0.1)) {
          Not nt2 = plainNot(sub);
          if (nt2 != null) {
            branch.add(nt2);
          }
        }
        if (extraBound != null && !QueryModel.conjVars(branch).contains(extraBound)) {
          branch.add(pred(sub, extraBound));
        }
        branches.add(branch);
      }
      s.bound.put(anchor.name(), T.E);
      if (extraNew != null) {
        s.bound.put(extraNew.name(), nt);
      }
      c.features.add(first ? "or-join-first" : "or-join");
      if (!required.isEmpty()) {
        c.features.add("or-join-required");
      }
      return new Or(required, join, branches);
    }

    RuleCall ruleCall(Scope s) {
      RuleSig sig = pick(sigs);
      List<Term> args = new ArrayList<>();
      for (int i = 0; i < sig.types().size(); i++) {
        T t = sig.types().get(i);
        List<String> vs = s.varsOf(t);
        double x = r.nextDouble();
        if (i == 0) {
          if (!vs.isEmpty() && x < 0.5) {
            args.add(new Var(pick(vs)));
            c.features.add("rule-bound-arg");
          } else if (x < 0.62) {
            args.add(new Const(t == T.E ? constantFor(pick(d.attrsOf(T.E)), 0) : constant(t)));
            c.features.add("rule-constant-arg");
          } else {
            args.add(newVar(s, t));
          }
        } else {
          if (!vs.isEmpty() && x < 0.25) {
            args.add(new Var(pick(vs)));
          } else if (x < 0.33) {
            args.add(new Const(constant(t)));
          } else if (x < 0.4) {
            args.add(QueryModel.BLANK);
          } else if (x < 0.48 && args.get(0) instanceof Var v0 && s.bound.get(v0.name()) == t) {
            args.add(v0);
            c.features.add("rule-same-var");
          } else {
            args.add(newVar(s, t));
          }
        }
      }
      c.features.add("rule-call");
      return new RuleCall(sig.name(), args);
    }

    // ------------------------------------------------------------ rules

    List<Rule> ruleSet() {
      List<Rule> rules = new ArrayList<>();
      List<Attr> refs = d.attrsOf(T.E);
      Attr ra = pick(refs);
      Const rc = new Const(ra.ident());
      Var a = new Var("?a");
      Var b = new Var("?b");
      Var x = new Var("?x");
      int template = r.nextInt(6);
      if (template == 2 && ra.kind == AKind.REF_MANY && d.eids.size() > 90) {
        template = 0;
      }
      switch (template) {
        case 0, 1, 2 -> {
          rules.add(new Rule("reach", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, b)))));
          if (template == 0) {
            rules.add(new Rule("reach", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, x)),
                new RuleCall("reach", List.of(x, b)))));
          } else if (template == 1) {
            rules.add(new Rule("reach", List.of(a, b), List.of(new RuleCall("reach", List.of(a, x)),
                new Pattern("$", List.of(x, rc, b)))));
          } else {
            rules.add(new Rule("reach", List.of(a, b), List.of(new RuleCall("reach", List.of(a, x)),
                new RuleCall("reach", List.of(x, b)))));
          }
          sigs.add(new RuleSig("reach", List.of(T.E, T.E)));
          c.features.add("rule-reach-" + template);
        }
        case 3 -> {
          rules.add(new Rule("odd", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, b)))));
          rules.add(new Rule("odd", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, x)),
              new RuleCall("even", List.of(x, b)))));
          rules.add(new Rule("even", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, x)),
              new RuleCall("odd", List.of(x, b)))));
          sigs.add(new RuleSig("odd", List.of(T.E, T.E)));
          sigs.add(new RuleSig("even", List.of(T.E, T.E)));
          c.features.add("rule-mutual");
        }
        case 4 -> {
          rules.add(new Rule("sym", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, b)))));
          rules.add(new Rule("sym", List.of(a, b), List.of(new RuleCall("sym", List.of(b, a)))));
          if (ra.kind == AKind.REF_ONE && p(0.5)) {
            rules.add(new Rule("sym", List.of(a, b), List.of(new RuleCall("sym", List.of(a, x)),
                new Pattern("$", List.of(x, rc, b)))));
          }
          sigs.add(new RuleSig("sym", List.of(T.E, T.E)));
          c.features.add("rule-symmetric");
        }
        default -> {
          // link: forward along one reference, backward along another (or, with a single
          // reference attribute on larger data, two steps forward: both directions of one
          // attribute make large connected components).
          List<Attr> others = new ArrayList<>(refs);
          others.remove(ra);
          rules.add(new Rule("link", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, b)))));
          if (!others.isEmpty() || d.eids.size() <= 80) {
            Const rc2 = new Const((others.isEmpty() ? ra : pick(others)).ident());
            rules.add(new Rule("link", List.of(a, b), List.of(new Pattern("$", List.of(b, rc2, a)))));
          } else {
            rules.add(new Rule("link", List.of(a, b), List.of(new Pattern("$", List.of(a, rc, x)),
                new Pattern("$", List.of(x, rc, b)))));
          }
          rules.add(new Rule("reach2", List.of(a, b), List.of(new RuleCall("link", List.of(a, b)))));
          rules.add(new Rule("reach2", List.of(a, b), List.of(new RuleCall("link", List.of(a, x)),
              new RuleCall("reach2", List.of(x, b)))));
          sigs.add(new RuleSig("link", List.of(T.E, T.E)));
          sigs.add(new RuleSig("reach2", List.of(T.E, T.E)));
          c.features.add("rule-two-level");
        }
      }
      if (p(0.5)) {
        // A non-recursive rule with one or two definitions.
        Attr va = pick(d.attrs);
        T t = va.type();
        Var y = new Var("?y");
        Var m = new Var("?m");
        int defs = 1 + r.nextInt(2);
        for (int i = 0; i < defs; i++) {
          List<Clause> body = new ArrayList<>();
          Attr ai = i == 0 ? va : pick(d.attrsOf(t));
          if (p(0.35)) {
            body.add(new Pattern("$", List.of(a, rc, m)));
            body.add(new Pattern("$", List.of(m, new Const(ai.ident()), y)));
          } else {
            body.add(new Pattern("$", List.of(a, new Const(ai.ident()), y)));
          }
          if (p(0.5)) {
            String[] ops = {"<", ">", "<=", ">=", "=", "!="};
            body.add(new Pred(ops[r.nextInt(ops.length)], y, new Const(constant(t))));
          }
          rules.add(new Rule("nr", List.of(a, y), body));
        }
        sigs.add(new RuleSig("nr", List.of(T.E, t)));
        c.features.add("rule-nonrecursive");
      }
      return rules;
    }

    // ------------------------------------------------------------ find, :with, invalid

    void find(List<In> in, List<Clause> where) {
      List<String> vars = new ArrayList<>(top.bound.keySet());
      Collections.shuffle(vars, r);
      List<FindElem> find = new ArrayList<>();
      Kind kind;
      int used = 0;
      if (p(0.2)) {
        int aggs = 1 + (vars.size() > 1 && p(0.3) ? 1 : 0);
        for (int i = 0; i < aggs; i++) {
          String v = vars.get(used++);
          T t = top.bound.get(v);
          List<String> fns = new ArrayList<>(List.of("count", "count-distinct"));
          if (t != T.B && t != T.ANY) {
            fns.add("min");
            fns.add("max");
          }
          if (t == T.L || t == T.TX) {
            fns.add("sum");
            fns.add("avg");
          }
          String fn = pick(fns);
          find.add(new FindElem(fn, new Var(v)));
          c.features.add("agg-" + fn);
        }
        int groups = Math.min(vars.size() - used, r.nextInt(3));
        for (int i = 0; i < groups; i++) {
          find.add(r.nextInt(find.size() + 1), new FindElem(null, new Var(vars.get(used++))));
        }
        kind = groups == 0 && aggs == 1 && p(0.5) ? Kind.SCALAR : Kind.RELATION;
      } else {
        double x = r.nextDouble();
        kind = x < 0.55 ? Kind.RELATION : x < 0.7 ? Kind.COLLECTION : x < 0.85 ? Kind.SCALAR : Kind.TUPLE;
        int count = kind == Kind.RELATION || kind == Kind.TUPLE ? 1 + r.nextInt(Math.min(3, vars.size())) : 1;
        for (int i = 0; i < count; i++) {
          find.add(new FindElem(null, new Var(vars.get(used++))));
        }
      }
      c.features.add("find-" + kind.name().toLowerCase());
      List<Var> with = new ArrayList<>();
      if (used < vars.size() && p(0.2)) {
        int k = 1 + (used + 1 < vars.size() && p(0.3) ? 1 : 0);
        for (int i = 0; i < k; i++) {
          with.add(new Var(vars.get(used++)));
        }
        c.features.add("with");
      }
      c.q = new Query(kind, find, with, in, where);
    }

    void makeInvalid() {
      Query q = c.q;
      List<Clause> where = new ArrayList<>(q.where());
      List<FindElem> find = new ArrayList<>(q.find());
      List<Var> with = new ArrayList<>(q.with());
      Kind kind = q.kind();
      Var nope = new Var("?nope");
      List<String> evars = top.varsOf(T.E);
      Attr a = pick(d.attrs);
      int what = r.nextInt(7);
      switch (what) {
        case 0 -> {
          kind = Kind.RELATION;
          find.add(new FindElem(null, nope));
        }
        case 1 -> where.add(r.nextInt(where.size() + 1), new Pred("<", nope, new Const(3L)));
        case 2 -> {
          if (evars.isEmpty()) {
            return;
          }
          Var e = new Var(pick(evars));
          where.add(new Or(List.of(), null, List.of(
              List.of(new Pattern("$", List.of(e, new Const(a.ident()), fresh()))),
              List.of(new Pattern("$", List.of(e, new Const(a.ident()), QueryModel.BLANK))))));
        }
        case 3 -> where.add(new Not(List.of(nope), List.of(
            new Pattern("$", List.of(nope, new Const(a.ident()), QueryModel.BLANK)))));
        case 4 -> {
          if (evars.isEmpty()) {
            return;
          }
          where.add(r.nextInt(where.size() + 1), new Pattern("$",
              List.of(new Var(pick(evars)), new Const(Keyword.intern(":nope/attr")), fresh())));
        }
        case 5 -> {
          if (evars.isEmpty()) {
            return;
          }
          Var e = new Var(pick(evars));
          where.add(c.rules == null || p(0.4)
              ? new RuleCall("nope-rule", List.of(e, fresh()))
              : new RuleCall(c.rules.get(0).name(), List.of(e)));
        }
        default -> {
          with.add(nope);
          if (kind != Kind.RELATION && kind != Kind.COLLECTION) {
            kind = Kind.RELATION;
          }
        }
      }
      if (kind == Kind.SCALAR || kind == Kind.COLLECTION) {
        find = List.of(find.get(0));
      }
      c.q = new Query(kind, find, with, q.in(), where);
      c.features.add("invalid-" + what);
    }
  }

  // ================================================================ shuffling

  /** The clauses in a random order, nested bodies and branches shuffled too. */
  static List<Clause> shuffled(List<Clause> cs, Random r) {
    List<Clause> out = new ArrayList<>();
    for (Clause c : cs) {
      out.add(shuffled(c, r));
    }
    Collections.shuffle(out, r);
    return out;
  }

  static Clause shuffled(Clause c, Random r) {
    if (c instanceof Not n) {
      return new Not(n.join(), shuffled(n.body(), r));
    }
    if (c instanceof Or o) {
      List<List<Clause>> bs = new ArrayList<>();
      for (List<Clause> b : o.branches()) {
        bs.add(shuffled(b, r));
      }
      Collections.shuffle(bs, r);
      return new Or(o.required(), o.join(), bs);
    }
    return c;
  }

  static List<Rule> shuffledRules(List<Rule> rules, Random r) {
    List<Rule> out = new ArrayList<>();
    for (Rule rule : rules) {
      out.add(new Rule(rule.name(), rule.head(), shuffled(rule.body(), r)));
    }
    Collections.shuffle(out, r);
    return out;
  }
}
