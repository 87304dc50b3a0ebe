package io.accrete.tx;

import io.accrete.Attribute;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.TempId;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.index.DatomCursor;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.Ids;
import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the entities and values of a transaction's ops: ids, idents and lookup refs against
 * the database as of the transaction's start; tempids by upsert through unique identity
 * attributes (tempids that upsert to the same new value become one entity), else to new ids in
 * their partition, in order of first use. Values are checked against their attribute's type.
 */
final class EntityResolver {
  private static final String DATOMIC_TX = "datomic.tx";
  private static final String ACCRETE_TX = "accrete.tx";

  private final Db db;
  private final long txId;
  private long counter;
  /** Every tempid written in entity position, in order of first use. */
  private final Map<Object, Boolean> entityTempids = new LinkedHashMap<>();
  private final Set<Object> valueTempids = new HashSet<>();
  private final Map<Object, Long> resolved = new HashMap<>();
  private final Map<Object, Object> unified = new HashMap<>();
  private final long firstCounter;
  private final Map<Object, Long> reportTempids = new LinkedHashMap<>();
  /** Tempids of attributes and partitions: they go into :db.part/db. */
  private final Set<Object> attributeTempids = new HashSet<>();

  EntityResolver(Db db, long txId, long firstCounter) {
    this.db = db;
    this.txId = txId;
    this.counter = firstCounter;
    this.firstCounter = firstCounter;
  }

  /** The next unused entity counter. */
  long counter() {
    return counter;
  }

  /**
   * True when {@code eid} was created by this transaction (it has no datoms yet). New ids take
   * the counters from {@code firstCounter} on, in every partition, and no earlier id can have
   * one of them, so the counter range decides.
   */
  boolean isNew(long eid) {
    long n = Ids.toT(eid);
    return eid == txId || (n >= firstCounter && n < counter);
  }

  /** Tempid to entity id, for the report; internal tempids of id-less maps are left out. */
  Map<Object, Long> tempids() {
    return reportTempids;
  }

  static boolean isTempid(Object x) {
    return x instanceof String || x instanceof TempId || x instanceof AutoTempId;
  }

  private static boolean isTxTempid(Object x) {
    return DATOMIC_TX.equals(x) || ACCRETE_TX.equals(x);
  }

  void resolve(List<Op> ops) {
    for (Op op : ops) {
      if (isTempid(op.e)) {
        if (op.kind != Op.ADD) {
          throw Errors.db("tempid-not-an-entity", "Tempid " + TxErrors.brief(op.e)
              + " names a new entity, which has nothing to retract or compare: " + TxErrors.brief(op.form));
        }
        entityTempids.putIfAbsent(op.e, Boolean.TRUE);
        if (op.attr.id() == Bootstrap.VALUE_TYPE) {
          attributeTempids.add(op.e);
        }
      } else {
        op.eid = existing(op.e, op);
      }
      if (op.attr != null && op.kind != Op.RETRACT_ATTR) {
        op.value = value(op.attr, op.v, op);
        long a = op.attr.id();
        if ((a == Bootstrap.INSTALL_PARTITION || a == Bootstrap.INSTALL_ATTRIBUTE) && isTempid(op.v)) {
          attributeTempids.add(op.v);
        }
        if (op.kind == Op.CAS) {
          op.oldValue = op.old == null ? null : value(op.attr, op.old, op);
        }
      }
    }
    upsert(ops);
    allocate();
    for (Op op : ops) {
      if (isTempid(op.e)) {
        op.eid = idOf(op.e);
      }
      if (op.attr != null && op.attr.isRef() && isTempid(op.value)) {
        op.value = idOf(op.value);
      }
    }
  }

  /** The value of an op for its attribute: a tempid stays for later, the rest is resolved. */
  private Object value(Attribute a, Object v, Op op) {
    if (v == null) {
      throw Errors.db("nil-value", "nil is not a value; to remove " + a.ident()
          + " use :db/retract: " + TxErrors.brief(op.form));
    }
    if (a.isRef()) {
      if (isTempid(v)) {
        if (!isTxTempid(v)) {
          valueTempids.add(v);
        }
        return v;
      }
      return existing(v, op);
    }
    if (a.type() == ValueType.TUPLE) {
      return tuple(a, v, op);
    }
    Object c = a.type().coerce(v);
    if (c == null) {
      throw Errors.db("wrong-type-for-attribute", "Value " + TxErrors.brief(v) + " ("
          + v.getClass().getSimpleName() + ") is not a " + a.valueType() + " as " + a.ident()
          + " needs, in " + TxErrors.brief(op.form));
    }
    return c;
  }

  private Object tuple(Attribute a, Object v, Op op) {
    if (!(v instanceof List<?> l)) {
      throw Errors.db("wrong-type-for-attribute", "Value " + TxErrors.brief(v) + " for tuple attribute "
          + a.ident() + " must be a list, in " + TxErrors.brief(op.form));
    }
    if (l.size() < 2 || l.size() > 8) {
      throw Errors.db("wrong-type-for-attribute", "Tuple " + TxErrors.brief(v) + " for " + a.ident()
          + " has " + l.size() + " elements; tuples have 2 to 8, in " + TxErrors.brief(op.form));
    }
    List<ValueType> types = a.tupleTypes();
    if (types != null && types.size() != l.size()) {
      throw Errors.db("wrong-type-for-attribute", "Tuple " + TxErrors.brief(v) + " for " + a.ident()
          + " must have " + types.size() + " elements " + types + ", in " + TxErrors.brief(op.form));
    }
    List<Object> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      Object x = l.get(i);
      ValueType t = types != null ? types.get(i) : a.tupleType();
      if (x == null || t == null) {
        out.add(x);
        continue;
      }
      Object c = t.coerce(x);
      if (c == null) {
        throw Errors.db("wrong-type-for-attribute", "Element " + i + " of tuple " + TxErrors.brief(v)
            + " for " + a.ident() + " is not a " + t.ident() + ", in " + TxErrors.brief(op.form));
      }
      out.add(c);
    }
    return Collections.unmodifiableList(out);
  }

  /** Resolves an id, ident, lookup ref or entity that must already exist. */
  private long existing(Object x, Op op) {
    if (x instanceof Long || x instanceof Integer || x instanceof Short) {
      long id = ((Number) x).longValue();
      long part = Ids.part(id);
      if (id < 0 || !db.schema().isPartition(part) || Ids.toT(id) >= db.nextT()) {
        throw Errors.db("invalid-entity-id", "Entity id " + id
            + " was never issued by this database, in " + TxErrors.brief(op.form));
      }
      return id;
    }
    if (x instanceof Keyword k) {
      Long id = db.schema().entid(k);
      if (id == null) {
        throw Errors.db("not-an-entity", "Unable to resolve entity " + k + " in "
            + TxErrors.brief(op.form) + ": no entity has that ident");
      }
      return id;
    }
    if (x instanceof List<?> ref) {
      Long id = db.lookupRef(ref);
      if (id == null) {
        throw Errors.db("not-an-entity", "Lookup ref " + TxErrors.brief(ref)
            + " names no entity, in " + TxErrors.brief(op.form));
      }
      return id;
    }
    if (x instanceof Entity en) {
      return en.id();
    }
    throw Errors.db("not-an-entity", "Not an entity id, ident, lookup ref or tempid: "
        + TxErrors.brief(x) + " in " + TxErrors.brief(op.form));
  }

  private Object root(Object tempid) {
    Object r = tempid;
    Object next;
    while ((next = unified.get(r)) != null) {
      r = next;
    }
    return r;
  }

  /**
   * Resolves tempids through unique identity values, to a fixpoint: a tempid whose identity
   * value already exists becomes that entity (upsert), and tempids asserting the same identity
   * value become one entity (unification), whether or not one of them upserted.
   */
  private void upsert(List<Op> ops) {
    boolean progress = true;
    while (progress) {
      progress = false;
      Map<List<Object>, Object> holders = new HashMap<>();
      for (Op op : ops) {
        if (op.kind != Op.ADD || !isTempid(op.e) || !op.attr.isIdentity()) {
          continue;
        }
        Object v = op.value;
        if (op.attr.isRef() && isTempid(v)) {
          Long r = resolved.get(root(v));
          if (r == null) {
            continue;
          }
          v = r;
        }
        Object t = root(op.e);
        // Unify with another tempid asserting the same value.
        List<Object> key = List.of(op.attr.id(), new ValueKey(v));
        Object other = holders.putIfAbsent(key, t);
        if (other != null) {
          Object o = root(other);
          if (!o.equals(t)) {
            Long rt = resolved.get(t);
            Long ro = resolved.get(o);
            if (rt != null && ro != null && !rt.equals(ro)) {
              throw Errors.db("unique-conflict", "Tempids " + TxErrors.brief(op.e) + " and "
                  + TxErrors.brief(other) + " assert " + op.attr.ident() + " " + TxErrors.brief(v)
                  + " but upsert to two entities, " + rt + " and " + ro + ", in " + TxErrors.brief(op.form));
            }
            unified.put(t, o);
            if (ro == null && rt != null) {
              resolved.put(o, rt);
            }
            t = o;
            progress = true;
          }
        }
        // Upsert to the entity that already holds the value.
        DatomCursor c = db.cursorAV(op.attr.id(), v);
        if (!c.next()) {
          continue;
        }
        long holder = c.e();
        Long prev = resolved.get(t);
        if (prev == null) {
          resolved.put(t, holder);
          progress = true;
        } else if (prev != holder) {
          throw Errors.db("unique-conflict", "Tempid " + TxErrors.brief(op.e) + " upserts to two entities, "
              + prev + " and " + holder + " (through " + op.attr.ident() + " " + TxErrors.brief(v)
              + "), in " + TxErrors.brief(op.form));
        }
      }
    }
  }

  private void allocate() {
    for (Object t : entityTempids.keySet()) {
      Object r = root(t);
      if (resolved.containsKey(r)) {
        continue;
      }
      long id;
      if (isTxTempid(r)) {
        id = txId;
      } else {
        long part = partitionOf(r);
        id = Ids.eid(part, counter++);
      }
      resolved.put(r, id);
    }
    for (Object t : valueTempids) {
      if (!resolved.containsKey(root(t))) {
        throw Errors.db("tempid-not-an-entity", "Tempid " + TxErrors.brief(t)
            + " is used only as a value: no datom in the transaction gives it an attribute");
      }
    }
    for (Object t : entityTempids.keySet()) {
      if (!(t instanceof AutoTempId)) {
        reportTempids.put(t, idOf(t));
      }
    }
    resolved.put(DATOMIC_TX, txId);
    resolved.put(ACCRETE_TX, txId);
  }

  private long partitionOf(Object tempid) {
    if (tempid instanceof TempId t) {
      Long part = db.schema().entid(t.partition());
      if (part == null || !db.schema().isPartition(part)) {
        throw Errors.db("not-a-partition", "Tempid " + t + " names " + t.partition()
            + ", which is not an installed partition");
      }
      return part;
    }
    return attributeTempids.contains(tempid) ? Bootstrap.DB_PART : Bootstrap.USER_PART;
  }

  private long idOf(Object tempid) {
    Long id = resolved.get(root(tempid));
    if (id == null) {
      throw new IllegalStateException("unresolved tempid " + tempid);
    }
    return id;
  }

  /** A tempid for an entity map written without :db/id; not reported. */
  static final class AutoTempId implements io.accrete.edn.EdnPrintable {
    @Override
    public void printEdn(StringBuilder out) {
      out.append("#db/id [:db.part/user]");
    }

    @Override
    public String toString() {
      return "#db/id [:db.part/user]";
    }
  }

  /** Wraps a value so byte arrays and tuples hash and compare by content. */
  private record ValueKey(Object v) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ValueKey k && io.accrete.index.Values.equal(k.v, v);
    }

    @Override
    public int hashCode() {
      return io.accrete.index.Values.hash(v);
    }
  }
}
