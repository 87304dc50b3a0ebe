package io.accrete.model;

import io.accrete.Keyword;
import io.accrete.TempId;
import io.accrete.model.MDatom.Key;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A naive, independent model of the database: the list of every datom ever transacted on the
 * user attributes (assertions and retractions, with their tx), plus the current datoms
 * replayed from it. {@link #process} is the model's own transactor, written from the
 * documented Datomic semantics:
 *
 * <ul>
 *   <li>every operation sees the database as of the transaction's start;
 *   <li>list forms {@code :db/add}, {@code :db/retract} (with or without a value),
 *       {@code :db/retractEntity} (following components), {@code :db/cas}; map forms with
 *       nested maps under ref attributes;
 *   <li>tempids: string or map-without-id tempids; tempids asserting the same identity value are
 *       one entity, which upserts to the existing holder of any of its identity values;
 *   <li>redundant assertions and retractions of absent datoms produce no datom; a card-one
 *       assertion retracts the old value;
 *   <li>errors: unknown attributes, wrong value types, nil, tempids in retractions or used only
 *       as values, unresolvable lookup refs, failing cas, a datom both asserted and retracted,
 *       two values for a card-one attribute, and unique values held by two entities afterwards.
 * </ul>
 *
 * <p>History keeps every datom except for {@code :db/noHistory} attributes, whose retracted
 * values (and the retractions) are not retained: only their current assertions remain.
 */
final class Model {
  static final Keyword DB_ID = Keyword.of("db", "id");
  static final Keyword ADD = Keyword.of("db", "add");
  static final Keyword RETRACT = Keyword.of("db", "retract");
  static final Keyword RETRACT_ENTITY = Keyword.of("db", "retractEntity");
  static final Keyword FN_RETRACT_ENTITY = Keyword.of("db.fn", "retractEntity");
  static final Keyword CAS = Keyword.of("db", "cas");
  static final Keyword FN_CAS = Keyword.of("db.fn", "cas");
  /** The tempid naming the transaction's own entity. */
  static final String TX_TEMPID = "datomic.tx";
  /** The model's id for the transaction entity of a pending transaction. */
  static final long TX_SYM = -1_000_000_000L;

  final List<AttrSpec> attrs;
  final Map<Long, AttrSpec> byId = new HashMap<>();
  final Map<Keyword, AttrSpec> byIdent = new HashMap<>();

  /** Every datom ever, in transaction order. */
  final List<MDatom> log = new ArrayList<>();
  /** The current assertions by key, rebuilt from the log as it grows. */
  final Map<Key, MDatom> current = new LinkedHashMap<>();
  /** Every user entity ever created, in creation order. */
  final List<Long> entities = new ArrayList<>();
  final Set<Long> entitySet = new HashSet<>();
  /** Transaction ids of the committed user transactions. */
  final List<Long> txs = new ArrayList<>();
  private final Set<Long> txSet = new HashSet<>();

  // Derived lookups over the current datoms.
  private final Map<Long, Map<Long, List<Object>>> eav = new HashMap<>();
  private final Map<Long, Map<Object, Set<Long>>> ave = new HashMap<>();
  private final Map<Long, List<MDatom>> byValue = new HashMap<>();

  Model(List<AttrSpec> attrs) {
    this.attrs = attrs;
    for (AttrSpec a : attrs) {
      byId.put(a.id, a);
      byIdent.put(a.ident, a);
    }
  }

  // ------------------------------------------------------------------ current state

  List<Object> values(long e, long a) {
    Map<Long, List<Object>> m = eav.get(e);
    List<Object> l = m == null ? null : m.get(a);
    return l == null ? List.of() : l;
  }

  Object value(long e, long a) {
    List<Object> l = values(e, a);
    if (l.size() > 1) {
      throw new IllegalStateException("model holds two values of card-one " + a + " for " + e);
    }
    return l.isEmpty() ? null : l.get(0);
  }

  Set<Long> holders(long a, Object v) {
    Map<Object, Set<Long>> m = ave.get(a);
    Set<Long> s = m == null ? null : m.get(v);
    return s == null ? Set.of() : s;
  }

  /** Every value of a unique attribute currently held, with its holder. */
  Map<Object, Long> heldValues(AttrSpec a) {
    Map<Object, Long> out = new LinkedHashMap<>();
    Map<Object, Set<Long>> m = ave.get(a.id);
    if (m != null) {
      for (Map.Entry<Object, Set<Long>> en : m.entrySet()) {
        if (!en.getValue().isEmpty()) {
          out.put(en.getKey(), en.getValue().iterator().next());
        }
      }
    }
    return out;
  }

  /** The current datoms of an entity (as e). */
  List<MDatom> datomsOf(long e) {
    List<MDatom> out = new ArrayList<>();
    Map<Long, List<Object>> m = eav.get(e);
    if (m != null) {
      for (Map.Entry<Long, List<Object>> en : m.entrySet()) {
        for (Object v : en.getValue()) {
          out.add(current.get(new Key(e, en.getKey(), v)));
        }
      }
    }
    return out;
  }

  /** The current ref datoms whose value is {@code e}. */
  List<MDatom> referencing(long e) {
    List<MDatom> l = byValue.get(e);
    return l == null ? List.of() : l;
  }

  boolean hasDatoms(long e) {
    Map<Long, List<Object>> m = eav.get(e);
    return m != null && !m.isEmpty();
  }

  boolean isKnownEntity(long id) {
    return entitySet.contains(id) || byId.containsKey(id) || txSet.contains(id);
  }

  /** Applies a committed transaction's datoms (real ids) to the log and current state. */
  void commit(List<MDatom> datoms, long tx, Collection<Long> newEntities) {
    txs.add(tx);
    txSet.add(tx);
    for (MDatom d : datoms) {
      if (d.tx() != tx) {
        throw new IllegalArgumentException("datom of another tx " + d);
      }
    }
    // Retractions first: a card-one replacement retracts and asserts different keys.
    for (MDatom d : datoms) {
      if (!d.added()) {
        if (current.remove(d.key()) == null) {
          throw new IllegalStateException("model: retraction of a non-current datom " + d);
        }
      }
    }
    for (MDatom d : datoms) {
      if (d.added()) {
        if (current.put(d.key(), d) != null) {
          throw new IllegalStateException("model: assertion of a current datom " + d);
        }
      }
    }
    log.addAll(datoms);
    for (long e : newEntities) {
      if (entitySet.add(e)) {
        entities.add(e);
      }
    }
    rebuild();
  }

  private void rebuild() {
    eav.clear();
    ave.clear();
    byValue.clear();
    for (MDatom d : current.values()) {
      eav.computeIfAbsent(d.e(), k -> new TreeMap<>())
          .computeIfAbsent(d.a(), k -> new ArrayList<>()).add(d.v());
      ave.computeIfAbsent(d.a(), k -> new LinkedHashMap<>())
          .computeIfAbsent(d.v(), k -> new LinkedHashSet<>()).add(d.e());
      if (byId.get(d.a()).isRef()) {
        byValue.computeIfAbsent((Long) d.v(), k -> new ArrayList<>()).add(d);
      }
    }
  }

  // ------------------------------------------------------------------ views

  /** The current datoms. */
  List<MDatom> currentDatoms() {
    return new ArrayList<>(current.values());
  }

  /**
   * The datoms history retains: everything, except that for noHistory attributes only the
   * assertions that are still current remain.
   */
  List<MDatom> retained() {
    List<MDatom> out = new ArrayList<>(log.size());
    for (MDatom d : log) {
      if (!byId.get(d.a()).noHistory) {
        out.add(d);
      } else if (d.added() && d.equals(current.get(d.key()))) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * The datoms the database value right after transaction {@code tx} retained, given its
   * current datoms then: history up to {@code tx}, with the noHistory rule applied as of then.
   */
  List<MDatom> retainedAt(long tx, List<MDatom> currentThen) {
    Set<MDatom> cur = new HashSet<>(currentThen);
    List<MDatom> out = new ArrayList<>();
    for (MDatom d : log) {
      if (d.tx() <= tx && (!byId.get(d.a()).noHistory || cur.contains(d))) {
        out.add(d);
      }
    }
    return out;
  }

  /** The datoms visible as of transaction {@code tx}: replay of the retained datoms up to it. */
  List<MDatom> asOf(long tx) {
    Map<Key, MDatom> state = new LinkedHashMap<>();
    for (MDatom d : retained()) {
      if (d.tx() > tx) {
        continue;
      }
      if (d.added()) {
        state.put(d.key(), d);
      } else {
        state.remove(d.key());
      }
    }
    return new ArrayList<>(state.values());
  }

  // ------------------------------------------------------------------ the transactor

  /** The model's verdict on a transaction. */
  static final class Outcome {
    final String error;
    /** The datoms, tx 0, new entities as negative ids. */
    final List<MDatom> datoms;
    /** Tempid (string or TempId) to entity id (negative for a new entity, TX_SYM for the tx). */
    final Map<Object, Long> tempids;
    /** The negative ids of the new entities. */
    final Set<Long> newIds;

    Outcome(String error, List<MDatom> datoms, Map<Object, Long> tempids, Set<Long> newIds) {
      this.error = error;
      this.datoms = datoms;
      this.tempids = tempids;
      this.newIds = newIds;
    }

    boolean ok() {
      return error == null;
    }
  }

  static final class Fail extends RuntimeException {
    Fail(String msg) {
      super(msg, null, false, false);
    }
  }

  Outcome process(List<?> txData) {
    try {
      return new Tx().run(txData);
    } catch (Fail f) {
      return new Outcome(f.getMessage(), null, null, null);
    }
  }

  /** A tempid of an entity map written without :db/id. */
  static final class Auto {
    private static int counter;
    private final int n = ++counter;

    @Override
    public String toString() {
      return "auto" + n;
    }
  }

  /** A ref value naming a tempid, resolved after upserts. */
  private record TempRef(Object tempid) {}

  private static final int K_ADD = 0;
  private static final int K_RETRACT = 1;
  private static final int K_RETRACT_ATTR = 2;
  private static final int K_RETRACT_ENTITY = 3;
  private static final int K_CAS = 4;

  private static final class Op {
    final int kind;
    final Object e;
    final AttrSpec attr;
    final Object v;
    final Object old;
    long eid;
    Object value;
    Object oldValue;

    Op(int kind, Object e, AttrSpec attr, Object v, Object old) {
      this.kind = kind;
      this.e = e;
      this.attr = attr;
      this.v = v;
      this.old = old;
    }
  }

  private record Prim(boolean add, long e, AttrSpec a, Object v) {
    Key key() {
      return new Key(e, a.id, v);
    }
  }

  private static boolean isTempid(Object x) {
    return x instanceof String || x instanceof Auto || x instanceof TempId;
  }

  private static Fail fail(String msg) {
    return new Fail(msg);
  }

  private final class Tx {
    final List<Op> ops = new ArrayList<>();
    final LinkedHashSet<Object> entityTempids = new LinkedHashSet<>();
    final Set<Object> valueTempids = new HashSet<>();
    final Map<Object, Long> ids = new HashMap<>();

    Outcome run(List<?> txData) {
      for (Object form : txData) {
        expand(form);
      }
      resolve();
      List<Prim> prims = primitives();
      // Conflicts inside the transaction.
      Map<Key, Boolean> seen = new HashMap<>();
      Map<List<Object>, Object> oneValue = new HashMap<>();
      for (Prim p : prims) {
        Boolean prev = seen.put(p.key(), p.add);
        if (prev != null && prev != p.add) {
          throw fail("datoms-conflict: " + p.key() + " both asserted and retracted");
        }
        if (p.add && !p.a.many) {
          Object other = oneValue.putIfAbsent(List.of(p.e, p.a.id), p.v);
          if (other != null && !other.equals(p.v)) {
            throw fail("datoms-conflict: two values for card-one " + p.a.ident + " of " + p.e);
          }
        }
      }
      // The datoms: redundant ones dropped, card-one replacement retracts the old value.
      LinkedHashSet<Key> retracts = new LinkedHashSet<>();
      LinkedHashSet<Key> asserts = new LinkedHashSet<>();
      for (Prim p : prims) {
        if (!p.add && p.e >= 0 && current.containsKey(p.key())) {
          retracts.add(p.key());
        }
      }
      for (Prim p : prims) {
        if (!p.add) {
          continue;
        }
        if (p.e < 0) {
          asserts.add(p.key());
        } else if (p.a.many) {
          if (!current.containsKey(p.key())) {
            asserts.add(p.key());
          }
        } else {
          Object cur = value(p.e, p.a.id);
          if (cur != null && cur.equals(p.v)) {
            continue;
          }
          if (cur != null) {
            retracts.add(new Key(p.e, p.a.id, cur));
          }
          asserts.add(p.key());
        }
      }
      // Uniqueness, checked on the state after the transaction.
      Map<List<Object>, Set<Long>> uniqueAfter = new HashMap<>();
      for (MDatom d : current.values()) {
        if (byId.get(d.a()).isUnique() && !retracts.contains(d.key())) {
          uniqueAfter.computeIfAbsent(List.of(d.a(), d.v()), k -> new HashSet<>()).add(d.e());
        }
      }
      for (Key k : asserts) {
        if (byId.get(k.a()).isUnique()) {
          uniqueAfter.computeIfAbsent(List.of(k.a(), k.v()), x -> new HashSet<>()).add(k.e());
        }
      }
      for (Key k : asserts) {
        if (byId.get(k.a()).isUnique()) {
          Set<Long> hs = uniqueAfter.get(List.of(k.a(), k.v()));
          if (hs.size() > 1) {
            throw fail("unique-conflict: " + byId.get(k.a()).ident + " " + MValues.show(k.v())
                + " held by " + hs);
          }
        }
      }
      List<MDatom> out = new ArrayList<>();
      for (Key k : retracts) {
        out.add(new MDatom(k.e(), k.a(), k.v(), 0, false));
      }
      for (Key k : asserts) {
        out.add(new MDatom(k.e(), k.a(), k.v(), 0, true));
      }
      Map<Object, Long> tempids = new LinkedHashMap<>();
      Set<Long> newIds = new LinkedHashSet<>();
      for (Object t : entityTempids) {
        long id = ids.get(t);
        if (!(t instanceof Auto)) {
          tempids.put(t, id);
        }
        if (id < 0 && id != TX_SYM) {
          newIds.add(id);
        }
      }
      return new Outcome(null, out, tempids, newIds);
    }

    // -------------------------------------------------------------- expansion

    void expand(Object form) {
      if (form instanceof Map<?, ?> m) {
        expandMap(m);
      } else if (form instanceof List<?> l && !l.isEmpty()) {
        expandList(l);
      } else {
        throw fail("invalid-tx-form " + form);
      }
    }

    AttrSpec attr(Object a) {
      AttrSpec s = a instanceof Keyword k ? byIdent.get(k) : null;
      if (s == null) {
        throw fail("not-an-attribute " + a);
      }
      return s;
    }

    void expandList(List<?> l) {
      Object op = l.get(0);
      if (ADD.equals(op) || RETRACT.equals(op)) {
        boolean add = ADD.equals(op);
        if (!add && l.size() == 3) {
          ops.add(new Op(K_RETRACT_ATTR, l.get(1), attr(l.get(2)), null, null));
          return;
        }
        if (l.size() != 4) {
          throw fail("invalid-tx-form " + l);
        }
        ops.add(new Op(add ? K_ADD : K_RETRACT, l.get(1), attr(l.get(2)), l.get(3), null));
      } else if (RETRACT_ENTITY.equals(op) || FN_RETRACT_ENTITY.equals(op)) {
        if (l.size() != 2) {
          throw fail("invalid-tx-form " + l);
        }
        ops.add(new Op(K_RETRACT_ENTITY, l.get(1), null, null, null));
      } else if (CAS.equals(op) || FN_CAS.equals(op)) {
        if (l.size() != 5) {
          throw fail("invalid-tx-form " + l);
        }
        AttrSpec a = attr(l.get(2));
        if (a.many) {
          throw fail("cas-failed: cas on card-many " + a.ident);
        }
        ops.add(new Op(K_CAS, l.get(1), a, l.get(4), l.get(3)));
      } else {
        throw fail("invalid-tx-form: unknown op " + op);
      }
    }

    Object expandMap(Map<?, ?> m) {
      Object e = m.containsKey(DB_ID) ? m.get(DB_ID) : null;
      if (e == null) {
        e = new Auto();
      }
      for (Map.Entry<?, ?> en : m.entrySet()) {
        if (DB_ID.equals(en.getKey())) {
          continue;
        }
        if (en.getKey() instanceof Keyword k && k.name().startsWith("_")) {
          AttrSpec a = attr(Keyword.of(k.namespace(), k.name().substring(1)));
          if (!a.isRef()) {
            throw fail("not-a-ref: reverse " + k);
          }
          Object v = en.getValue();
          List<Object> sources = v instanceof Set<?> s ? new ArrayList<>(s)
              : v instanceof List<?> l && !isLookupRef(a, l) ? new ArrayList<>(l)
              : new ArrayList<>(java.util.Collections.singletonList(v));
          for (Object x : sources) {
            Object source = x;
            if (x instanceof Map<?, ?> sub) {
              boolean identified = sub.containsKey(DB_ID);
              for (Object sk : sub.keySet()) {
                AttrSpec ka = sk instanceof Keyword kw ? byIdent.get(kw) : null;
                identified |= ka != null && ka.isUnique();
              }
              if (!identified) {
                throw fail("invalid-nested-entity under reverse " + k);
              }
              source = expandMap(sub);
            }
            ops.add(new Op(K_ADD, source, a, e, null));
          }
          continue;
        }
        AttrSpec a = attr(en.getKey());
        for (Object x : mapValues(a, en.getValue())) {
          Object v = x;
          if (x instanceof Map<?, ?> sub && a.isRef()) {
            boolean identified = sub.containsKey(DB_ID) || a.component;
            for (Object k : sub.keySet()) {
              AttrSpec ka = k instanceof Keyword kw ? byIdent.get(kw) : null;
              identified |= ka != null && ka.isUnique();
            }
            if (!identified) {
              throw fail("invalid-nested-entity under " + a.ident);
            }
            v = expandMap(sub);
          }
          ops.add(new Op(K_ADD, e, a, v, null));
        }
      }
      return e;
    }

    /** A map entry's values: a collection for card-many (unless it is one lookup ref). */
    List<Object> mapValues(AttrSpec a, Object v) {
      if (a.many && v instanceof Set<?> s) {
        return new ArrayList<>(s);
      }
      if (a.many && v instanceof List<?> l && !isLookupRef(a, l)) {
        return new ArrayList<>(l);
      }
      List<Object> one = new ArrayList<>();
      one.add(v);
      return one;
    }

    boolean isLookupRef(AttrSpec a, List<?> l) {
      if (!a.isRef() || l.size() != 2 || l.get(1) instanceof List || l.get(1) instanceof Map) {
        return false;
      }
      AttrSpec la = l.get(0) instanceof Keyword k ? byIdent.get(k) : null;
      return la != null && la.isUnique();
    }

    // -------------------------------------------------------------- resolution

    long existing(Object x) {
      if (x instanceof Long || x instanceof Integer) {
        long id = ((Number) x).longValue();
        if (!isKnownEntity(id)) {
          throw fail("invalid-entity-id " + id);
        }
        return id;
      }
      if (x instanceof Keyword k) {
        AttrSpec a = byIdent.get(k);
        if (a == null) {
          throw fail("not-an-entity: ident " + k);
        }
        return a.id;
      }
      if (x instanceof List<?> ref) {
        if (ref.size() != 2) {
          throw fail("lookup-ref-attr-not-unique: malformed lookup ref " + ref);
        }
        AttrSpec a = ref.get(0) instanceof Keyword k ? byIdent.get(k) : null;
        if (a == null) {
          throw fail("not-an-entity: lookup ref attribute " + ref.get(0));
        }
        if (!a.isUnique()) {
          throw fail("lookup-ref-attr-not-unique " + a.ident);
        }
        if (a.isRef()) {
          throw new IllegalStateException("the generator makes no lookup refs on ref attributes");
        }
        Object v = MValues.canon(a.type, ref.get(1));
        if (v == null) {
          throw fail("wrong-type-for-attribute in lookup ref " + ref);
        }
        Set<Long> hs = holders(a.id, v);
        if (hs.isEmpty()) {
          throw fail("not-an-entity: lookup ref " + ref + " names nothing");
        }
        return hs.iterator().next();
      }
      throw fail("not-an-entity " + x);
    }

    Object resolveValue(AttrSpec a, Object v) {
      if (v == null) {
        throw fail("nil-value for " + a.ident);
      }
      if (a.isRef()) {
        if (isTempid(v)) {
          if (!TX_TEMPID.equals(v)) {
            valueTempids.add(v);
          }
          return new TempRef(v);
        }
        return existing(v);
      }
      Object c = MValues.canon(a.type, v);
      if (c == null) {
        throw fail("wrong-type-for-attribute " + a.ident + " " + v.getClass().getSimpleName());
      }
      return c;
    }

    void resolve() {
      for (Op op : ops) {
        if (isTempid(op.e)) {
          if (op.kind != K_ADD) {
            throw fail("tempid-not-an-entity: tempid " + op.e + " outside :db/add");
          }
          entityTempids.add(op.e);
        } else {
          op.eid = existing(op.e);
        }
        if (op.attr != null && op.kind != K_RETRACT_ATTR) {
          op.value = resolveValue(op.attr, op.v);
          if (op.kind == K_CAS) {
            op.oldValue = op.old == null ? null : resolveValue(op.attr, op.old);
          }
        }
      }
      // Tempids that assert the same identity value are one entity ...
      Map<Object, Object> parent = new HashMap<>();
      Map<List<Object>, Object> firstByValue = new HashMap<>();
      for (Op op : ops) {
        if (op.kind == K_ADD && isTempid(op.e) && op.attr.isIdentity()) {
          Object other = firstByValue.putIfAbsent(List.of(op.attr.id, op.value), op.e);
          if (other != null) {
            union(parent, op.e, other);
          }
        }
      }
      // ... which upserts to the existing holder of any of its identity values.
      Map<Object, Set<Long>> holdersByRoot = new HashMap<>();
      for (Op op : ops) {
        if (op.kind == K_ADD && isTempid(op.e) && op.attr.isIdentity()) {
          Object root = find(parent, op.e);
          for (long h : holders(op.attr.id, op.value)) {
            holdersByRoot.computeIfAbsent(root, k -> new HashSet<>()).add(h);
          }
        }
      }
      Map<Object, Long> rootIds = new HashMap<>();
      long next = -1;
      ids.put(TX_TEMPID, TX_SYM);
      for (Object t : entityTempids) {
        if (TX_TEMPID.equals(t)) {
          continue; // the generator asserts no identity values on the tx entity
        }
        Object root = find(parent, t);
        Long id = rootIds.get(root);
        if (id == null) {
          Set<Long> hs = holdersByRoot.getOrDefault(root, Set.of());
          if (hs.size() > 1) {
            throw fail("unique-conflict: tempid " + t + " upserts to " + hs);
          }
          id = hs.isEmpty() ? next-- : hs.iterator().next();
          rootIds.put(root, id);
        }
        ids.put(t, id);
      }
      for (Object t : valueTempids) {
        if (!ids.containsKey(t)) {
          throw fail("tempid-not-an-entity: tempid " + t + " used only as a value");
        }
      }
      for (Op op : ops) {
        if (isTempid(op.e)) {
          op.eid = ids.get(op.e);
        }
        if (op.value instanceof TempRef r) {
          op.value = ids.get(r.tempid());
        }
      }
    }

    Object find(Map<Object, Object> parent, Object x) {
      Object p;
      while ((p = parent.get(x)) != null) {
        x = p;
      }
      return x;
    }

    void union(Map<Object, Object> parent, Object x, Object y) {
      Object rx = find(parent, x);
      Object ry = find(parent, y);
      if (!rx.equals(ry)) {
        parent.put(rx, ry);
      }
    }

    // -------------------------------------------------------------- primitives

    List<Prim> primitives() {
      List<Prim> out = new ArrayList<>();
      Set<Long> retracted = new HashSet<>();
      for (Op op : ops) {
        switch (op.kind) {
          case K_ADD:
            out.add(new Prim(true, op.eid, op.attr, op.value));
            break;
          case K_RETRACT:
            out.add(new Prim(false, op.eid, op.attr, op.value));
            break;
          case K_RETRACT_ATTR:
            for (Object v : values(op.eid, op.attr.id)) {
              out.add(new Prim(false, op.eid, op.attr, v));
            }
            break;
          case K_RETRACT_ENTITY:
            retractEntity(op.eid, retracted, out);
            break;
          case K_CAS: {
            Object cur = value(op.eid, op.attr.id);
            boolean match = cur == null ? op.oldValue == null : cur.equals(op.oldValue);
            if (!match) {
              throw fail("cas-failed: " + op.attr.ident + " of " + op.eid + " is "
                  + (cur == null ? "nil" : MValues.show(cur)));
            }
            out.add(new Prim(true, op.eid, op.attr, op.value));
            break;
          }
          default:
            throw new AssertionError(op.kind);
        }
      }
      return out;
    }

    void retractEntity(long e, Set<Long> done, List<Prim> out) {
      if (!done.add(e)) {
        return;
      }
      List<MDatom> ds = new ArrayList<>(datomsOf(e));
      ds.addAll(referencing(e));
      for (MDatom d : ds) {
        AttrSpec a = byId.get(d.a());
        out.add(new Prim(false, d.e(), a, d.v()));
        if (d.e() == e && a.component) {
          retractEntity((Long) d.v(), done, out);
        }
      }
    }
  }
}
