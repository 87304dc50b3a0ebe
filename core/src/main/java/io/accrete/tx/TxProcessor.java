package io.accrete.tx;

import io.accrete.AccreteException;
import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.TempId;
import io.accrete.TxReport;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.edn.Edn;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Indexes;
import io.accrete.index.Values;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.Ids;
import io.accrete.schema.Schema;
import io.accrete.util.JavaFunctions;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns transaction data into datoms and a new database value, all or nothing.
 *
 * <p>As in Datomic, every operation of a transaction sees the database as it was when the
 * transaction started: transaction functions, lookup refs, upserts, {@code :db/cas} and the
 * redundancy check all read the value before the transaction, never each other's effects. An
 * attribute or ident installed by a transaction can therefore be used only by later ones.
 * Conflicts inside the transaction (two values for a cardinality-one attribute, a datom both
 * asserted and retracted, a unique value claimed twice) are errors.
 */
public final class TxProcessor {
  private static final Map<Symbol, Function<Object, Object>> TAGS = Map.of(
      Symbol.of("db", "id"), TxProcessor::readDbId,
      Symbol.of("db", "fn"), TxProcessor::readDbFn);

  private final Db db;
  private final FunctionPolicy functions;
  private final Schema schema;
  private final long t;
  private final long txId;
  private final EntityResolver resolver;
  private List<Datom> datoms;
  private final List<long[]> ensures = new ArrayList<>();
  private Date txInstant;

  private TxProcessor(Db db, FunctionPolicy functions) {
    this.db = db;
    this.functions = functions;
    this.schema = db.schema();
    this.t = db.nextT();
    this.txId = Ids.toTx(t);
    this.resolver = new EntityResolver(db, txId, t + 1);
  }

  /**
   * Reads EDN transaction text: one vector of forms; {@code #db/id [part n]} makes a tempid,
   * {@code #db/fn {…}} a database function.
   */
  public static List<?> parse(String edn) {
    Object o = Edn.read(edn, TAGS);
    if (!(o instanceof List<?> l)) {
      throw Errors.db("invalid-tx", "A transaction is a vector of forms, not " + TxErrors.brief(o));
    }
    return l;
  }

  /** The EDN tag readers transactions use ({@code #db/id}). */
  public static Map<Symbol, Function<Object, Object>> tagReaders() {
    return TAGS;
  }

  private static Object readDbFn(Object v) {
    if (v instanceof Map<?, ?> m) {
      return io.accrete.DbFunction.of(m);
    }
    throw Errors.db("invalid-fn", "#db/fn takes a map {:lang \"java\" :params [...] :code \"...\"}, not " + Errors.show(v));
  }

  private static Object readDbId(Object v) {
    if (v instanceof List<?> l && !l.isEmpty() && l.size() <= 2 && l.get(0) instanceof Keyword part) {
      if (l.size() == 1) {
        return TempId.next(part);
      }
      if (l.get(1) instanceof Long n) {
        return new TempId(part, n);
      }
    }
    throw Errors.db("invalid-tempid", "#db/id takes [partition] or [partition -n], not " + Errors.show(v));
  }

  /**
   * Processes a transaction against {@code db} (a current value) and returns its report; the
   * report's {@code dbAfter} is the new value. Nothing changes when it throws.
   */
  public static TxReport process(Db db, List<?> txData, long nowMillis) {
    return process(db, txData, nowMillis, FunctionPolicy.ALL);
  }

  /** {@link #process(Db, List, long)}, running only the static methods {@code functions} allows. */
  public static TxReport process(Db db, List<?> txData, long nowMillis, FunctionPolicy functions) {
    if (txData == null) {
      throw Errors.db("invalid-tx", "A transaction is a list of forms, not nil");
    }
    return new TxProcessor(db, functions).run(txData, nowMillis);
  }

  private TxReport run(List<?> txData, long nowMillis) {
    TxExpander expander = new TxExpander(db, functions);
    expander.expandAll(txData, 0);
    List<Op> ops = expander.ops();
    resolver.resolve(ops);
    List<Op> prims = primitives(ops);
    datoms = new ArrayList<>(prims.size() + 4);
    // Sorted by entity, attribute and value, an (e, a) pair's ops sit together: duplicates,
    // conflicts and explicit retractions are found by looking at neighbours, not by hashing.
    prims.sort(TxProcessor::compareOps);
    int i = 0;
    while (i < prims.size()) {
      int j = i + 1;
      Op first = prims.get(i);
      while (j < prims.size() && prims.get(j).eid == first.eid && prims.get(j).attr == first.attr) {
        j++;
      }
      emitGroup(prims, i, j);
      i = j;
    }
    long instant = txInstant != null ? txInstant.getTime() : Math.max(nowMillis, db.lastTxInstant());
    if (instant < db.lastTxInstant()) {
      throw Errors.db("past-tx-instant", "Transaction instant " + Errors.show(txInstant)
          + " is before the previous transaction's " + Errors.show(new Date(db.lastTxInstant())));
    }
    List<Datom> all = new ArrayList<>(datoms.size() + 1);
    all.add(new Datom(txId, Bootstrap.TX_INSTANT, new Date(instant), txId, true));
    all.addAll(datoms);
    long nextT = Math.max(resolver.counter(), t + 1);
    Indexes idx = db.indexes().apply(all, schema);
    Db after = db.next(idx, schema, t, nextT, instant);

    // The checks below each concern a few kinds of attribute; most transactions name none of
    // them, and looking at the transaction's distinct attributes once spares a pass apiece.
    long[] attrs = distinctAttributes(all);
    List<Datom> derived = new ArrayList<>();
    if (attrs == null || any(attrs, a -> schema.compositesOf(a) != null)) {
      composites(after, all, derived);
    }
    Map<Long, List<Datom>> touched = attrs == null || any(attrs, Schema::definesSchema)
        ? after.schemaEntities(all) : Map.of();
    List<Long> installed = new ArrayList<>();
    if (!touched.isEmpty()) {
      SchemaChanges.check(db, after, touched, installed);
      for (long a : installed) {
        derived.add(new Datom(Bootstrap.DB_PART, Bootstrap.INSTALL_ATTRIBUTE, a, txId, true));
      }
    }
    if (!derived.isEmpty()) {
      idx = idx.apply(derived, schema);
      all.addAll(derived);
      after = db.next(idx, schema, t, nextT, instant);
    }
    if (attrs == null || !derived.isEmpty() || any(attrs, a -> isUnique(schema.attribute(a)))) {
      checkUnique(after, all);
    }
    if (!touched.isEmpty()) {
      Schema next = schema.update(after.schemaEntities(all));
      after = db.next(idx, next, t, nextT, instant);
    }
    checkEnsures(after);
    if ((attrs == null || any(attrs, a -> a == Bootstrap.EXCISE)) && Excision.requested(all)) {
      after = Excision.apply(after, Excision.specs(db, all));
    }
    return new TxReport(db, after, java.util.Collections.unmodifiableList(all), resolver.tempids());
  }

  /** The distinct attribute ids of {@code datoms}, or null when there are many. */
  private static long[] distinctAttributes(List<Datom> datoms) {
    long[] out = new long[16];
    int n = 0;
    for (Datom d : datoms) {
      long a = d.a();
      int k = 0;
      while (k < n && out[k] != a) {
        k++;
      }
      if (k == n) {
        if (n == out.length) {
          return null;
        }
        out[n++] = a;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static boolean any(long[] attrs, java.util.function.LongPredicate p) {
    for (long a : attrs) {
      if (p.test(a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnique(Attribute a) {
    return a != null && a.isUnique();
  }

  /** Expands retractEntity, retract-all and cas into plain assertions and retractions. */
  private List<Op> primitives(List<Op> ops) {
    List<Op> out = new ArrayList<>(ops.size());
    Set<Long> retractedEntities = new HashSet<>();
    for (Op op : ops) {
      switch (op.kind) {
        case Op.ADD:
        case Op.RETRACT:
          out.add(op);
          break;
        case Op.RETRACT_ATTR: {
          DatomCursor c = db.cursorEA(op.eid, op.attr.id());
          while (c.next()) {
            out.add(retraction(op.eid, op.attr, c.v(), op.form));
          }
          break;
        }
        case Op.RETRACT_ENTITY:
          retractEntity(op.eid, op.form, retractedEntities, out);
          break;
        case Op.CAS: {
          Object cur = resolver.isNew(op.eid) ? null : db.value(op.eid, op.attr.id());
          if (!(cur == null ? op.oldValue == null : Values.equal(cur, op.oldValue))) {
            throw Errors.db("cas-failed", "Compare failed for " + op.attr.ident() + " of entity "
                + op.eid + ": expected " + Errors.show(op.oldValue) + ", found " + Errors.show(cur)
                + ", in " + TxErrors.brief(op.form));
          }
          Op add = new Op(Op.ADD, op.e, op.attr, op.v, null, op.form);
          add.eid = op.eid;
          add.value = op.value;
          out.add(add);
          break;
        }
        default:
          throw new AssertionError(op.kind);
      }
    }
    return out;
  }

  private Op retraction(long e, Attribute a, Object v, Object form) {
    Op r = new Op(Op.RETRACT, e, a, v, null, form);
    r.eid = e;
    r.value = v;
    return r;
  }

  private void retractEntity(long e, Object form, Set<Long> done, List<Op> out) {
    if (!done.add(e) || resolver.isNew(e)) {
      return;
    }
    for (Datom d : TxExpander.datomsOf(db, e)) {
      Attribute a = schema.attribute(d.a());
      out.add(retraction(d.e(), a, d.v(), form));
      if (d.e() == e && a.isComponent()) {
        retractEntity((Long) d.v(), form, done, out);
      }
    }
  }

  private static int compareOps(Op x, Op y) {
    if (x.eid != y.eid) {
      return x.eid < y.eid ? -1 : 1;
    }
    long ax = x.attr.id();
    long ay = y.attr.id();
    if (ax != ay) {
      return ax < ay ? -1 : 1;
    }
    int c = Values.compare(x.value, y.value);
    return c != 0 ? c : Integer.compare(x.kind, y.kind);
  }

  /** Checks and emits the ops [from, to) of one (entity, attribute) pair, sorted by value. */
  private void emitGroup(List<Op> ops, int from, int to) {
    if (to - from == 1) {
      emit(ops.get(from), ops, from, to); // the common case: nothing to compare
      return;
    }
    List<Op> group = ops.subList(from, to);
    Op first = group.get(0);
    Attribute a = first.attr;
    Object one = null;
    for (int k = 0; k < group.size(); k++) {
      Op op = group.get(k);
      Op prev = k > 0 ? group.get(k - 1) : null;
      boolean same = prev != null && Values.compare(prev.value, op.value) == 0;
      if (same && prev.kind != op.kind) {
        throw Errors.db("datoms-conflict", "Datom [" + op.eid + " " + a.ident() + " "
            + Errors.show(op.value) + "] is both asserted and retracted, in " + TxErrors.brief(op.form));
      }
      if (same) {
        continue; // a duplicate
      }
      if (op.kind == Op.ADD && !a.isMany()) {
        if (one != null) {
          throw Errors.db("datoms-conflict", "Two values for cardinality-one " + a.ident()
              + " of entity " + op.eid + ": " + Errors.show(one) + " and "
              + Errors.show(op.value) + ", in " + TxErrors.brief(op.form));
        }
        one = op.value;
      }
    }
    for (int k = 0; k < group.size(); k++) {
      Op op = group.get(k);
      if (k > 0 && Values.compare(group.get(k - 1).value, op.value) == 0) {
        continue;
      }
      emit(op, ops, from, to);
    }
  }

  /** True when ops [from, to) explicitly retract {@code v}. */
  private static boolean retracts(List<Op> ops, int from, int to, Object v) {
    for (int k = from; k < to; k++) {
      Op op = ops.get(k);
      if (op.kind == Op.RETRACT && Values.equal(op.value, v)) {
        return true;
      }
    }
    return false;
  }

  /** Emits an op's datoms, dropping redundant ones and adding implied retractions. */
  private void emit(Op op, List<Op> ops, int from, int to) {
    long e = op.eid;
    Attribute a = op.attr;
    Object v = op.value;
    if (op.kind == Op.RETRACT) {
      if (!resolver.isNew(e) && db.indexes().get(IndexOrder.EAVT).findCurrent(probe(e, a.id(), v)) != null) {
        datoms.add(new Datom(e, a.id(), v, txId, false));
      }
      return;
    }
    if (a.id() == Bootstrap.ENSURE) {
      ensures.add(new long[] {e, (Long) v});
      return;
    }
    if (e == txId && a.id() == Bootstrap.TX_INSTANT) {
      txInstant = (Date) v;
      return;
    }
    checkPreds(a, v, op);
    if (!resolver.isNew(e)) {
      if (a.isMany()) {
        if (db.indexes().get(IndexOrder.EAVT).findCurrent(probe(e, a.id(), v)) != null) {
          return;
        }
      } else {
        Object cur = db.value(e, a.id());
        if (cur != null) {
          if (Values.equal(cur, v)) {
            return;
          }
          // Retract the old value unless the transaction retracts it explicitly itself.
          if (!retracts(ops, from, to, cur)) {
            datoms.add(new Datom(e, a.id(), cur, txId, false));
          }
        }
      }
    }
    datoms.add(new Datom(e, a.id(), v, txId, true));
  }

  private static Datom probe(long e, long a, Object v) {
    return new Datom(e, a, v, 0, true);
  }

  private void checkPreds(Attribute a, Object v, Op op) {
    for (Symbol pred : a.preds()) {
      functions.check(pred, "Attribute predicate");
      Object ok;
      try {
        ok = JavaFunctions.invoke(pred, "Attribute predicate", v);
      } catch (AccreteException ex) {
        throw new AccreteException(Keyword.of("db.error", "attr-pred"), "Value " + Errors.show(v)
            + " of " + a.ident() + " failed predicate " + pred + ": " + ex.getMessage()
            + ", in " + TxErrors.brief(op.form), Map.of(), ex);
      }
      if (!Boolean.TRUE.equals(ok)) {
        throw Errors.db("attr-pred", "Value " + Errors.show(v) + " of " + a.ident()
            + " failed predicate " + pred + ", in " + TxErrors.brief(op.form));
      }
    }
  }

  /** Adds the composite tuple datoms the transaction's changes imply. */
  private void composites(Db after, List<Datom> all, List<Datom> out) {
    Set<EavKey> pending = new LinkedHashSet<>();
    for (Datom d : all) {
      long[] comps = schema.compositesOf(d.a());
      if (comps != null) {
        for (long c : comps) {
          pending.add(new EavKey(d.e(), c, null));
        }
      }
    }
    for (EavKey k : pending) {
      Attribute comp = schema.attribute(k.a());
      long[] parts = comp.tupleAttrIds();
      List<Object> values = new ArrayList<>(parts.length);
      boolean any = false;
      for (long p : parts) {
        Object v = after.value(k.e(), p);
        any |= v != null;
        values.add(v);
      }
      Object now = any ? java.util.Collections.unmodifiableList(values) : null;
      Object was = after.value(k.e(), comp.id());
      if (was != null && now != null && Values.equal(was, now)) {
        continue;
      }
      if (was != null) {
        out.add(new Datom(k.e(), comp.id(), was, txId, false));
      }
      if (now != null) {
        out.add(new Datom(k.e(), comp.id(), now, txId, true));
      }
    }
  }

  private void checkUnique(Db after, List<Datom> all) {
    for (Datom d : all) {
      if (!d.added()) {
        continue;
      }
      Attribute a = schema.attribute(d.a());
      if (a == null || !a.isUnique()) {
        continue;
      }
      DatomCursor c = after.cursorAV(a.id(), d.v());
      while (c.next()) {
        if (c.e() != d.e()) {
          throw Errors.db("unique-conflict", "Unique conflict: " + a.ident() + " "
              + Errors.show(d.v()) + " is already held by entity " + c.e()
              + ", so entity " + d.e() + " cannot assert it",
              Map.of(Keyword.of("db", "datom"), d));
        }
      }
    }
  }

  private void checkEnsures(Db after) {
    for (long[] en : ensures) {
      long e = en[0];
      long spec = en[1];
      Object name = after.ident(spec) != null ? after.ident(spec) : spec;
      boolean isSpec = false;
      DatomCursor c = after.cursorEA(spec, Bootstrap.ENTITY_ATTRS);
      while (c.next()) {
        isSpec = true;
        Attribute a = after.attribute(c.v());
        if (a == null || after.value(e, a.id()) == null) {
          throw Errors.db("entity-attrs", "Entity " + e + " is missing " + Errors.show(c.v())
              + ", which entity spec " + name + " requires");
        }
      }
      c = after.cursorEA(spec, Bootstrap.ENTITY_PREDS);
      while (c.next()) {
        isSpec = true;
        Symbol pred = (Symbol) c.v();
        functions.check(pred, "Entity predicate");
        Object ok;
        try {
          ok = JavaFunctions.invoke(pred, "Entity predicate", after, e);
        } catch (AccreteException ex) {
          throw new AccreteException(Keyword.of("db.error", "entity-pred"), "Entity " + e
              + " failed predicate " + pred + " of entity spec " + name + ": " + ex.getMessage(),
              Map.of(), ex);
        }
        if (!Boolean.TRUE.equals(ok)) {
          throw Errors.db("entity-pred", "Entity " + e + " failed predicate " + pred
              + " of entity spec " + name);
        }
      }
      if (!isSpec) {
        throw Errors.db("not-an-entity-spec", "Entity " + e + " names " + name
            + " in :db/ensure, which has no :db.entity/attrs or :db.entity/preds");
      }
    }
  }

  /** An (e, a, v) key that hashes values by content; v null keys (e, a) alone. */
  private record EavKey(long e, long a, Object v) {
    @Override
    public boolean equals(Object o) {
      return o instanceof EavKey k && k.e == e && k.a == a && Values.equal(k.v, v);
    }

    @Override
    public int hashCode() {
      return (Long.hashCode(e) * 31 + Long.hashCode(a)) * 31 + Values.hash(v);
    }
  }
}
