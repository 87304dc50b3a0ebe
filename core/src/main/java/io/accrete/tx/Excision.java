package io.accrete.tx;

import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.db.Keys;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Indexes;
import io.accrete.index.Values;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.Ids;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Excision, as Datomic has it: a transaction asserting {@code :db/excise} on a new entity asks
 * that datoms be removed for good — every datom of an entity (and of its components), limited
 * by {@code :db.excise/attrs}, or every value of an attribute — of transactions before the
 * request, {@code :db.excise/beforeT} or {@code :db.excise/before}. The request itself stays in
 * the database. The value the request's transaction produces already lacks the datoms, at every
 * moment and in history; connections then take them out of the log and of storage.
 */
public final class Excision {
  private Excision() {}

  /**
   * One resolved request: the entities (target and components) or the attribute it removes,
   * and its limits. Datoms of the request's own or later transactions are never excised.
   */
  public record Spec(long requestTx, Set<Long> entities, long attribute, Set<Long> attrs,
      long beforeTx, long beforeMillis, Set<Datom> retractions) {
    // entities: the target first, then its components; attribute: 0 for an entity's excision;
    // retractions: those, outside the limits, that ended an excised assertion. They go too, or
    // history (and a replay of the log) would hold the retraction of a value it never had.

    /** Whether the request removes {@code d}, whose transaction's instant is {@code txMillis}. */
    public boolean excises(Datom d, long txMillis) {
      if (!d.added() && retractions.contains(d)) {
        return true;
      }
      if (d.tx() >= requestTx || d.tx() >= beforeTx || txMillis >= beforeMillis) {
        return false;
      }
      if (attribute != 0) {
        return d.a() == attribute;
      }
      return entities.contains(d.e()) && (attrs.isEmpty() || attrs.contains(d.a()) || !isTarget(d.e()));
    }

    /** The target is the first entity; its components lose every attribute, not just {@code attrs}. */
    private boolean isTarget(long e) {
      return entities.iterator().next() == e;
    }

    /** Whether the request's limits need transaction instants. */
    boolean needsInstants() {
      return beforeMillis != Long.MAX_VALUE;
    }
  }

  /** Whether {@code txData} holds an excision request. */
  public static boolean requested(List<Datom> txData) {
    for (Datom d : txData) {
      if (d.a() == Bootstrap.EXCISE && d.added()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The requests in {@code txData}, checked and resolved against {@code db} (the value before
   * the transaction): Datomic's rules, an error naming the request for each broken one.
   */
  public static List<Spec> specs(Db db, List<Datom> txData) {
    Map<Long, List<Datom>> requests = new HashMap<>();
    for (Datom d : txData) {
      if (d.a() == Bootstrap.EXCISE && d.added()) {
        requests.put(d.e(), new ArrayList<>());
      }
    }
    List<Spec> out = new ArrayList<>();
    if (requests.isEmpty()) {
      return out;
    }
    for (Datom d : txData) {
      List<Datom> r = requests.get(d.e());
      if (r != null && d.added()) {
        r.add(d);
      }
    }
    for (Map.Entry<Long, List<Datom>> r : requests.entrySet()) {
      out.add(resolve(db, r.getKey(), r.getValue()));
    }
    return out;
  }

  private static Spec resolve(Db db, long request, List<Datom> datoms) {
    long target = 0;
    long requestTx = 0;
    Set<Long> attrs = new LinkedHashSet<>();
    long beforeTx = Long.MAX_VALUE;
    long beforeMillis = Long.MAX_VALUE;
    for (Datom d : datoms) {
      if (d.a() == Bootstrap.EXCISE) {
        target = (Long) d.v();
        requestTx = d.tx();
      } else if (d.a() == Bootstrap.EXCISE_ATTRS) {
        attrs.add((Long) d.v());
      } else if (d.a() == Bootstrap.EXCISE_BEFORE_T) {
        beforeTx = Ids.toTx(Ids.toT((Long) d.v()));
      } else if (d.a() == Bootstrap.EXCISE_BEFORE) {
        beforeMillis = ((Date) d.v()).getTime();
      }
    }
    if (target <= Bootstrap.BOOTSTRAP_T) { // the bootstrap's own entities have the lowest ids
      throw invalid(request, "its target " + target + " is a system entity, which cannot be excised");
    }
    Attribute attr = db.schema().attribute(target);
    if (attr != null) {
      if (!attrs.isEmpty()) {
        throw invalid(request, ":db.excise/attrs limits the excision of an entity, but its target "
            + attr.ident() + " is an attribute (all of whose values it excises)");
      }
      return withRetractions(db, new Spec(requestTx, Set.of(), target, Set.of(), beforeTx, beforeMillis, Set.of()));
    }
    for (long a : attrs) {
      if (db.schema().attribute(a) == null) {
        throw invalid(request, ":db.excise/attrs names " + a + ", which is not an attribute");
      }
    }
    if (db.value(target, Bootstrap.IDENT) != null && isSchemaValue(db, target)) {
      throw invalid(request, "its target " + db.value(target, Bootstrap.IDENT) + " is part of the schema");
    }
    Set<Long> entities = new LinkedHashSet<>();
    entities.add(target);
    Spec probe = new Spec(requestTx, entities, 0, attrs, beforeTx, beforeMillis, Set.of());
    // Components go with the entity that owns them, as a retractEntity would take them.
    ArrayDeque<Long> toVisit = new ArrayDeque<>(List.of(target));
    TxInstants instants = new TxInstants(db);
    while (!toVisit.isEmpty()) {
      long e = toVisit.poll();
      DatomCursor c = all(db, IndexOrder.EAVT, Keys.lo(e, Long.MIN_VALUE, Values.MIN),
          Keys.hi(e, Long.MAX_VALUE, Values.MAX));
      while (c.next()) {
        Attribute a = db.schema().attribute(c.a());
        Datom d = c.datom();
        if (a != null && a.isComponent() && d.added() && probe.excises(d, instants.of(d.tx(), probe))
            && entities.add((Long) d.v())) {
          toVisit.add((Long) d.v());
        }
      }
    }
    return withRetractions(db, probe);
  }

  /** {@code s} with the retractions (outside its limits) of the assertions it excises. */
  private static Spec withRetractions(Db db, Spec s) {
    if (s.beforeTx() == Long.MAX_VALUE && s.beforeMillis() == Long.MAX_VALUE) {
      return s; // every datom before the request goes: a retraction with its assertion
    }
    Set<Datom> retractions = new java.util.HashSet<>();
    Datom[] lastExcised = new Datom[1];
    scan(db, s, new TxInstants(db), (d, excised) -> {
      Datom prev = lastExcised[0];
      if (!excised && !d.added() && prev != null && prev.e() == d.e() && prev.a() == d.a()
          && io.accrete.index.Values.equal(prev.v(), d.v())) {
        retractions.add(d);
      }
      lastExcised[0] = excised && d.added() ? d : null;
    });
    return retractions.isEmpty() ? s : new Spec(s.requestTx(), s.entities(), s.attribute(), s.attrs(),
        s.beforeTx(), s.beforeMillis(), Set.copyOf(retractions));
  }

  /** Whether an entity with an ident defines schema (an attribute, a type, a partition). */
  private static boolean isSchemaValue(Db db, long e) {
    DatomCursor c = db.cursorE(e);
    while (c.next()) {
      if (c.a() != Bootstrap.IDENT && c.a() != Bootstrap.DOC && io.accrete.schema.Schema.definesSchema(c.a())) {
        return true;
      }
    }
    return db.schema().attribute(e) != null;
  }

  /** {@code db} without the datoms {@code specs} excise, at every moment. */
  public static Db apply(Db db, List<Spec> specs) {
    if (specs.isEmpty()) {
      return db;
    }
    List<Datom> gone = new ArrayList<>();
    TxInstants instants = new TxInstants(db);
    for (Spec s : specs) {
      scan(db, s, instants, (d, excised) -> {
        if (excised) {
          gone.add(d);
        }
      });
    }
    Indexes idx = db.indexes().without(gone, db.schema());
    return db.next(idx, db.schema(), db.basisT(), db.nextT(), db.lastTxInstant());
  }

  private interface Visitor {
    void visit(Datom d, boolean excised);
  }

  /**
   * Visits every datom, current and history, where {@code s} may excise (its attribute's AEVT
   * range, or each entity's EAVT range): the datoms of one entity, attribute and value come
   * together, in transaction order.
   */
  private static void scan(Db db, Spec s, TxInstants instants, Visitor visitor) {
    if (s.attribute() != 0) {
      visit(db, IndexOrder.AEVT, Keys.lo(Long.MIN_VALUE, s.attribute(), Values.MIN),
          Keys.hi(Long.MAX_VALUE, s.attribute(), Values.MAX), s, instants, visitor);
      return;
    }
    for (long e : s.entities()) {
      visit(db, IndexOrder.EAVT, Keys.lo(e, Long.MIN_VALUE, Values.MIN), Keys.hi(e, Long.MAX_VALUE, Values.MAX),
          s, instants, visitor);
    }
  }

  private static void visit(Db db, IndexOrder order, Datom lo, Datom hi, Spec s, TxInstants instants,
      Visitor visitor) {
    DatomCursor c = all(db, order, lo, hi);
    while (c.next()) {
      Datom d = c.datom();
      visitor.visit(d, s.excises(d, instants.of(d.tx(), s)));
    }
  }

  private static DatomCursor all(Db db, IndexOrder order, Datom lo, Datom hi) {
    return db.indexes().get(order).all(lo, hi);
  }

  /**
   * One transaction's logged datoms without those {@code specs} excise; the same list when none
   * goes.
   */
  public static List<Datom> filter(List<Datom> txData, List<Spec> specs) {
    if (specs.isEmpty() || txData.isEmpty()) {
      return txData;
    }
    long millis = Long.MIN_VALUE;
    for (Datom d : txData) {
      if (d.e() == d.tx() && d.a() == Bootstrap.TX_INSTANT && d.added()) {
        millis = ((Date) d.v()).getTime();
      }
    }
    List<Datom> kept = null;
    for (int i = 0; i < txData.size(); i++) {
      Datom d = txData.get(i);
      boolean excised = false;
      for (Spec s : specs) {
        if (s.excises(d, millis)) {
          excised = true;
          break;
        }
      }
      if (excised && kept == null) {
        kept = new ArrayList<>(txData.subList(0, i));
      } else if (!excised && kept != null) {
        kept.add(d);
      }
    }
    return kept == null ? txData : java.util.Collections.unmodifiableList(kept);
  }

  private static io.accrete.AccreteException invalid(long request, String why) {
    return Errors.db("invalid-excision", "Excision request " + request + " cannot be carried out: " + why);
  }

  /** Transaction instants, looked up once each, only when a request limits by instant. */
  private static final class TxInstants {
    private final Db db;
    private final Map<Long, Long> millis = new HashMap<>();

    TxInstants(Db db) {
      this.db = db;
    }

    long of(long tx, Spec s) {
      if (!s.needsInstants()) {
        return Long.MIN_VALUE;
      }
      return millis.computeIfAbsent(tx, t -> {
        Object v = db.value(t, Bootstrap.TX_INSTANT);
        return v instanceof Date d ? d.getTime() : Long.MIN_VALUE;
      });
    }
  }
}
