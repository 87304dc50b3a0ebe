package io.accrete.tx;

import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.index.DatomCursor;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.ValueType;
import io.accrete.util.JavaFunctions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands transaction forms into primitive {@link Op}s: list forms, map forms with nested and
 * component maps and reverse references, and calls of transaction functions (which see the
 * database as of the transaction's start and return more forms).
 */
final class TxExpander {
  static final Keyword DB_ID = Keyword.of("db", "id");
  private static final Keyword ADD = Keyword.of("db", "add");
  private static final Keyword RETRACT = Keyword.of("db", "retract");
  private static final Keyword RETRACT_ENTITY = Keyword.of("db", "retractEntity");
  private static final Keyword FN_RETRACT_ENTITY = Keyword.of("db.fn", "retractEntity");
  private static final Keyword CAS = Keyword.of("db", "cas");
  private static final Keyword FN_CAS = Keyword.of("db.fn", "cas");
  private static final int MAX_FN_DEPTH = 64;

  private final Db db;
  private final FunctionPolicy functions;
  private final List<Op> ops = new ArrayList<>();

  TxExpander(Db db, FunctionPolicy functions) {
    this.db = db;
    this.functions = functions;
  }

  List<Op> ops() {
    return ops;
  }

  void expandAll(List<?> forms, int depth) {
    for (Object form : forms) {
      expand(form, depth);
    }
  }

  private void expand(Object form, int depth) {
    if (form instanceof Map<?, ?> m) {
      expandMap(m, form, false);
    } else if (form instanceof List<?> l && !l.isEmpty()) {
      expandList(l, depth);
    } else {
      throw Errors.db("invalid-tx-form",
          "A transaction form is a list like [:db/add e a v] or an entity map, not "
              + TxErrors.brief(form));
    }
  }

  private void expandList(List<?> l, int depth) {
    Object op = l.get(0);
    if (op instanceof String s && s.startsWith(":")) {
      op = Keyword.intern(s);
    }
    if (ADD.equals(op) || RETRACT.equals(op)) {
      boolean add = ADD.equals(op);
      if (l.size() == 3 && !add) {
        ops.add(new Op(Op.RETRACT_ATTR, l.get(1), attribute(l.get(2), l), null, null, l));
        return;
      }
      if (l.size() != 4) {
        throw Errors.db("invalid-tx-form", op + " takes an entity, an attribute and a value"
            + (add ? "" : " (or no value, to retract them all)") + ": " + TxErrors.brief(l));
      }
      ops.add(new Op(add ? Op.ADD : Op.RETRACT, l.get(1), attribute(l.get(2), l), l.get(3), null, l));
    } else if (RETRACT_ENTITY.equals(op) || FN_RETRACT_ENTITY.equals(op)) {
      if (l.size() != 2) {
        throw Errors.db("invalid-tx-form", op + " takes one entity: " + TxErrors.brief(l));
      }
      ops.add(new Op(Op.RETRACT_ENTITY, l.get(1), null, null, null, l));
    } else if (CAS.equals(op) || FN_CAS.equals(op)) {
      if (l.size() != 5) {
        throw Errors.db("invalid-tx-form",
            op + " takes an entity, an attribute, the old value and the new value: " + TxErrors.brief(l));
      }
      Attribute a = attribute(l.get(2), l);
      if (a.isMany()) {
        throw Errors.db("cas-failed", op + " needs a cardinality-one attribute; " + a.ident()
            + " is cardinality many: " + TxErrors.brief(l));
      }
      ops.add(new Op(Op.CAS, l.get(1), a, l.get(4), l.get(3), l));
    } else if (op instanceof Keyword k) {
      callFunction(k, fnOfIdent(k, l), l, depth);
    } else if (op instanceof Symbol s) {
      callFunction(s, s, l, depth);
    } else {
      throw Errors.db("invalid-tx-form", "Unknown operation " + TxErrors.brief(op) + " in "
          + TxErrors.brief(l) + "; use :db/add, :db/retract, :db/retractEntity, :db/cas or a "
          + "transaction function");
    }
  }

  /** The function an ident's {@code :db/fn} holds: a database function or a static method's symbol. */
  private Object fnOfIdent(Keyword k, List<?> form) {
    Long id = db.schema().entid(k);
    Object fn = id == null ? null : db.value(id, Bootstrap.FN);
    if (!(fn instanceof Symbol) && !(fn instanceof io.accrete.DbFunction)) {
      throw Errors.db("not-a-fn", "Unknown operation " + k + " in " + TxErrors.brief(form)
          + ": it is not a transaction function (an ident with :db/fn: a #db/fn or a static method)");
    }
    return fn;
  }

  private void callFunction(Object name, Object fn, List<?> form, int depth) {
    if (depth >= MAX_FN_DEPTH) {
      throw Errors.db("invalid-tx-form", "Transaction functions nested deeper than "
          + MAX_FN_DEPTH + " calls at " + TxErrors.brief(form));
    }
    Object[] args = new Object[form.size()];
    args[0] = db;
    for (int i = 1; i < form.size(); i++) {
      args[i] = form.get(i);
    }
    if (fn instanceof Symbol s) {
      functions.check(s, "Transaction function");
    }
    Object result;
    try {
      result = fn instanceof io.accrete.DbFunction f ? f.invoke(args)
          : JavaFunctions.invoke((Symbol) fn, "Transaction function", args);
    } catch (io.accrete.AccreteException e) {
      throw new io.accrete.AccreteException(e.code(),
          "Transaction function " + name + " failed in " + TxErrors.brief(form) + ": " + e.getMessage(),
          Map.of(Keyword.of("db", "form"), form), e.getCause() != null ? e.getCause() : e);
    }
    if (result == null) {
      return;
    }
    if (!(result instanceof Collection<?> c)) {
      throw Errors.db("invalid-tx-form", "Transaction function " + name
          + " must return a list of transaction forms, not " + TxErrors.brief(result));
    }
    expandAll(new ArrayList<>(c), depth + 1);
  }

  /** Expands an entity map and returns the entity it names (its :db/id or a new tempid). */
  private Object expandMap(Map<?, ?> m, Object form, boolean nested) {
    Object e = m.containsKey(DB_ID) ? m.get(DB_ID) : m.get(":db/id");
    if (e == null) {
      e = new EntityResolver.AutoTempId();
    }
    for (Map.Entry<?, ?> en : m.entrySet()) {
      Keyword k = keyword(en.getKey(), form);
      if (k.equals(DB_ID)) {
        continue;
      }
      Object v = en.getValue();
      if (k.isReverse()) {
        Keyword forward = Keyword.of(k.namespace(), k.name().substring(1));
        Attribute a = attribute(forward, form);
        if (!a.isRef()) {
          throw Errors.db("not-a-ref", "Reverse attribute " + k + " needs " + forward
              + " to be a reference, but it is " + a.valueType() + ": " + TxErrors.brief(form));
        }
        for (Object x : values(a, v, true)) {
          Object source = x instanceof Map<?, ?> sub ? expandNested(sub, a, false) : x;
          ops.add(new Op(Op.ADD, source, a, e, null, form));
        }
        continue;
      }
      Attribute a = attribute(k, form);
      if (a.isComposite()) {
        throw Errors.db("invalid-tuple-value", "Composite tuple " + a.ident()
            + " is maintained from " + a.tupleAttrs() + "; assert those instead: "
            + TxErrors.brief(form));
      }
      if (!a.isMany() || !(v instanceof java.util.Collection)) {
        // The common case: one value, no list to build.
        Object value = v instanceof Map<?, ?> sub && a.isRef() ? expandNested(sub, a, true) : v;
        ops.add(new Op(Op.ADD, e, a, value, null, form));
        continue;
      }
      for (Object x : values(a, v, false)) {
        Object value = x instanceof Map<?, ?> sub && a.isRef() ? expandNested(sub, a, true) : x;
        ops.add(new Op(Op.ADD, e, a, value, null, form));
      }
    }
    return e;
  }

  private Object expandNested(Map<?, ?> sub, Attribute via, boolean forward) {
    boolean identified = sub.containsKey(DB_ID) || sub.containsKey(":db/id");
    if (!identified && !(forward && via.isComponent())) {
      for (Object k : sub.keySet()) {
        Attribute a = db.attribute(keyword(k, sub));
        if (a != null && a.isUnique()) {
          identified = true;
          break;
        }
      }
      if (!identified) {
        throw Errors.db("invalid-nested-entity", "Nested entity map under " + via.ident()
            + " must have a :db/id or a unique attribute, or " + via.ident()
            + " must be a component: " + TxErrors.brief(sub));
      }
    }
    return expandMap(sub, sub, true);
  }

  /** The values a map entry asserts: a collection for card-many, else one value. */
  private List<Object> values(Attribute a, Object v, boolean reverse) {
    List<Object> out = new ArrayList<>();
    boolean many = reverse || a.isMany();
    if (many && v instanceof Set<?> s) {
      out.addAll(s);
    } else if (many && v instanceof List<?> l && !isSingleValue(a, l, reverse)) {
      out.addAll(l);
    } else {
      out.add(v);
    }
    return out;
  }

  /** True when a list is one value (a lookup ref or a tuple), not a collection of values. */
  private boolean isSingleValue(Attribute a, List<?> l, boolean reverse) {
    if (a.type() == ValueType.TUPLE && !reverse) {
      for (Object x : l) {
        if (!(x instanceof List)) {
          return true;
        }
      }
      return false;
    }
    if (a.isRef() && l.size() == 2 && !(l.get(1) instanceof List) && !(l.get(1) instanceof Map)) {
      Attribute la = l.get(0) instanceof Keyword k ? db.attribute(k) : null;
      return la != null && la.isUnique();
    }
    return false;
  }

  private Keyword keyword(Object k, Object form) {
    if (k instanceof Keyword kw) {
      return kw;
    }
    if (k instanceof String s && s.startsWith(":") && s.length() > 1) {
      return Keyword.intern(s);
    }
    throw Errors.db("invalid-tx-form",
        "Entity map keys are attribute keywords, not " + TxErrors.brief(k) + ": " + TxErrors.brief(form));
  }

  private Attribute attribute(Object a, Object form) {
    Attribute attr;
    if (a instanceof Keyword || a instanceof Number || (a instanceof String s && s.startsWith(":"))) {
      attr = db.attribute(a);
    } else if (a instanceof Entity en) {
      attr = db.attribute(en.id());
    } else {
      throw Errors.db("not-an-attribute", "Not an attribute: " + TxErrors.brief(a) + " in " + TxErrors.brief(form));
    }
    if (attr == null) {
      throw Errors.db("not-an-attribute", "Unknown attribute " + TxErrors.brief(a) + " in "
          + TxErrors.brief(form) + (a instanceof Keyword ? " (install it in an earlier transaction)" : ""),
          Map.of(Keyword.of("db", "form"), form));
    }
    return attr;
  }

  /** All current datoms about {@code e} and pointing at {@code e}, used by retractEntity. */
  static List<Datom> datomsOf(Db db, long e) {
    List<Datom> out = new ArrayList<>();
    DatomCursor c = db.cursorE(e);
    while (c.next()) {
      out.add(c.datom());
    }
    c = db.cursorV(e);
    while (c.next()) {
      if (c.e() != e) {
        out.add(c.datom());
      }
    }
    return out;
  }
}
