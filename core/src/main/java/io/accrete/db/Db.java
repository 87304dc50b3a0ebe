package io.accrete.db;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.TxReport;
import io.accrete.index.Cursors;
import io.accrete.index.DatomCursor;
import io.accrete.index.DatomIterable;
import io.accrete.index.IndexOrder;
import io.accrete.index.Indexes;
import io.accrete.index.RangeReader;
import io.accrete.index.SortedIndex;
import io.accrete.index.Values;
import io.accrete.pull.Puller;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.Ids;
import io.accrete.schema.Schema;
import io.accrete.schema.ValueType;
import io.accrete.spi.IndexAccess;
import io.accrete.tx.TxProcessor;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The database value: indexes, schema and basis, plus the view a caller asked for (as of,
 * since, history, filter). Views share everything with the value they came from.
 */
public final class Db implements Database, IndexAccess {
  private static final long NONE_AS_OF = Long.MAX_VALUE;
  private static final long NONE_SINCE = Long.MIN_VALUE;

  /** The database's id, the same in all its values ("" for a value made outside a connection). */
  private final String id;
  private final Indexes indexes;
  private final Schema schema;
  private final long basisT;
  private final long nextT;
  private final long lastTxInstant;
  private final long asOfTx;
  private final long sinceTx;
  private final boolean history;
  private final BiPredicate<Database, Datom> filter;
  /** Full-text indexes of this value by attribute id, built at first use (derived, like a hash). */
  private volatile java.util.concurrent.ConcurrentHashMap<Long, Fulltext> fulltext;

  private Db(String id, Indexes indexes, Schema schema, long basisT, long nextT, long lastTxInstant,
      long asOfTx, long sinceTx, boolean history, BiPredicate<Database, Datom> filter) {
    this.id = id;
    this.indexes = indexes;
    this.schema = schema;
    this.basisT = basisT;
    this.nextT = nextT;
    this.lastTxInstant = lastTxInstant;
    this.asOfTx = asOfTx;
    this.sinceTx = sinceTx;
    this.history = history;
    this.filter = filter;
  }

  /** A current (unfiltered) database value. */
  public static Db of(Indexes indexes, Schema schema, long basisT, long nextT, long lastTxInstant) {
    return new Db("", indexes, schema, basisT, nextT, lastTxInstant, NONE_AS_OF, NONE_SINCE, false,
        null);
  }

  /** The next current value of this database (same id) over new indexes. */
  public Db next(Indexes indexes, Schema schema, long basisT, long nextT, long lastTxInstant) {
    return of(indexes, schema, basisT, nextT, lastTxInstant).withId(id);
  }

  /** This value as a value of the database with id {@code id}. */
  public Db withId(String id) {
    return new Db(id, indexes, schema, basisT, nextT, lastTxInstant, asOfTx, sinceTx, history, filter);
  }

  @Override
  public String id() {
    return id;
  }

  /** A new database: just the bootstrap transaction. */
  public static Db bootstrap() {
    List<Datom> datoms = Bootstrap.datoms();
    Schema schema = Schema.empty().update(byEntity(datoms));
    Indexes idx = Indexes.empty().apply(datoms, schema);
    return of(idx, schema, Bootstrap.BOOTSTRAP_T, Bootstrap.FIRST_T, 0L);
  }

  /**
   * A value over indexes loaded from storage: the schema is derived from the datoms of the
   * entities that have idents (attributes among them) and of {@code :db.part/db}.
   */
  public static Db open(Indexes idx, long basisT, long nextT, long lastTxInstant) {
    Db raw = of(idx, Schema.empty(), basisT, nextT, lastTxInstant);
    java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
    ids.add(Bootstrap.DB_PART);
    DatomCursor c = raw.cursor(IndexOrder.AEVT, Keys.lo(Long.MIN_VALUE, Bootstrap.IDENT, Values.MIN),
        Keys.hi(Long.MAX_VALUE, Bootstrap.IDENT, Values.MAX));
    while (c.next()) {
      ids.add(c.e());
    }
    Map<Long, List<Datom>> entities = new java.util.LinkedHashMap<>();
    for (long id : ids) {
      entities.put(id, raw.datomsOf(id));
    }
    return of(idx, Schema.empty().update(entities), basisT, nextT, lastTxInstant);
  }

  /**
   * This value with one transaction from the log applied: how recovery and index replays
   * rebuild values without running the transaction again.
   */
  public Db applyLogged(long t, long nextT, List<Datom> datoms) {
    Indexes idx = indexes.apply(datoms, schema);
    long tx = Ids.toTx(t);
    long instant = lastTxInstant;
    for (Datom d : datoms) {
      if (d.e() == tx && d.a() == Bootstrap.TX_INSTANT && d.added()) {
        instant = ((Date) d.v()).getTime();
      }
    }
    Db after = next(idx, schema, t, nextT, instant);
    Map<Long, List<Datom>> touched = after.schemaEntities(datoms);
    after = touched.isEmpty() ? after : next(idx, schema.update(touched), t, nextT, instant);
    return io.accrete.tx.Excision.requested(datoms)
        ? io.accrete.tx.Excision.apply(after, io.accrete.tx.Excision.specs(this, datoms))
        : after;
  }

  /** The entities whose schema facts {@code datoms} change, with all their datoms here. */
  public Map<Long, List<Datom>> schemaEntities(List<Datom> datoms) {
    Map<Long, List<Datom>> out = new java.util.LinkedHashMap<>();
    for (Datom d : datoms) {
      if (Schema.definesSchema(d.a()) && !out.containsKey(d.e())) {
        out.put(d.e(), datomsOf(d.e()));
      }
    }
    return out;
  }

  private List<Datom> datomsOf(long e) {
    List<Datom> ds = new ArrayList<>();
    DatomCursor c = cursorE(e);
    while (c.next()) {
      ds.add(c.datom());
    }
    return ds;
  }

  private static Map<Long, List<Datom>> byEntity(List<Datom> datoms) {
    Map<Long, List<Datom>> out = new java.util.HashMap<>();
    for (Datom d : datoms) {
      out.computeIfAbsent(d.e(), k -> new ArrayList<>()).add(d);
    }
    return out;
  }

  // ---------------------------------------------------------------- internals for other layers

  /** The indexes. */
  public Indexes indexes() {
    return indexes;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  /** The {@code :db/txInstant} of the last transaction, in epoch milliseconds. */
  public long lastTxInstant() {
    return lastTxInstant;
  }

  /** True for the plain current value: no asOf, since, history or filter. */
  public boolean isCurrent() {
    return asOfTx == NONE_AS_OF && sinceTx == NONE_SINCE && !history && filter == null;
  }

  @Override
  public Db unfiltered() {
    return isCurrent() ? this : of(indexes, schema, basisT, nextT, lastTxInstant);
  }

  @Override
  public DatomCursor cursor(IndexOrder order, Datom lo, Datom hi) {
    SortedIndex idx = indexes.get(order);
    DatomCursor c;
    boolean past = asOfTx < Ids.toTx(basisT);
    if (history) {
      c = idx.all(lo, hi);
      if (past || sinceTx != NONE_SINCE) {
        c = Cursors.txRange(c, sinceTx, asOfTx);
      }
    } else {
      c = past ? Cursors.asOf(order, idx.all(lo, hi), asOfTx) : idx.current(lo, hi);
      if (sinceTx != NONE_SINCE) {
        c = Cursors.txRange(c, sinceTx, Long.MAX_VALUE);
      }
    }
    if (filter != null) {
      Db base = withoutFilter();
      c = Cursors.filter(c, d -> filter.test(base, d));
    }
    return c;
  }

  /**
   * A reader of many ranges of one index as this value shows them (see {@link RangeReader}):
   * present-time values read the trees forward from range to range; past, since, history and
   * filtered views answer each range with a fresh {@link #cursor}.
   */
  public RangeReader reader(IndexOrder order) {
    if (history || filter != null || sinceTx != NONE_SINCE || asOfTx < Ids.toTx(basisT)) {
      return (lo, hi) -> cursor(order, lo, hi);
    }
    return indexes.get(order).currentReader();
  }

  @Override
  public long estimateCurrent(IndexOrder order, Datom lo, Datom hi) {
    return indexes.get(order).estimateCurrent(lo, hi);
  }

  /** One index of this value (all of it: views filter through {@link #cursor}). */
  SortedIndex index(IndexOrder order) {
    return indexes.get(order);
  }

  /** True when this view's cursors read the history trees too (history and past views). */
  boolean readsHistory() {
    return history || asOfTx < Ids.toTx(basisT);
  }

  private Db withoutFilter() {
    return new Db(id, indexes, schema, basisT, nextT, lastTxInstant, asOfTx, sinceTx, history, null);
  }

  @Override
  public DatomCursor cursorEA(long e, long a) {
    return cursor(IndexOrder.EAVT, Keys.lo(e, a, Values.MIN), Keys.hi(e, a, Values.MAX));
  }

  @Override
  public DatomCursor cursorE(long e) {
    return cursor(IndexOrder.EAVT, Keys.lo(e, Long.MIN_VALUE, Values.MIN),
        Keys.hi(e, Long.MAX_VALUE, Values.MAX));
  }

  @Override
  public DatomCursor cursorAV(long a, Object v) {
    return cursor(IndexOrder.AVET, Keys.lo(Long.MIN_VALUE, a, v), Keys.hi(Long.MAX_VALUE, a, v));
  }

  @Override
  public DatomCursor cursorVA(long v, long a) {
    return cursor(IndexOrder.VAET, Keys.lo(Long.MIN_VALUE, a, v), Keys.hi(Long.MAX_VALUE, a, v));
  }

  /** The datoms referring to entity {@code v} through any attribute (VAET). */
  public DatomCursor cursorV(long v) {
    return cursor(IndexOrder.VAET, Keys.lo(Long.MIN_VALUE, Long.MIN_VALUE, v),
        Keys.hi(Long.MAX_VALUE, Long.MAX_VALUE, v));
  }

  @Override
  public Object value(long e, long a) {
    DatomCursor c = cursorEA(e, a);
    return c.next() ? c.v() : null;
  }

  /** The attribute with an id, or an error naming it. */
  public Attribute requireAttribute(Object attr) {
    Attribute a = attribute(attr);
    if (a == null) {
      throw Errors.db("not-an-attribute", "Unknown attribute: " + Errors.show(attr));
    }
    return a;
  }

  // ---------------------------------------------------------------- Database

  @Override
  public long basisT() {
    return basisT;
  }

  @Override
  public long nextT() {
    return nextT;
  }

  @Override
  public Long asOfT() {
    return asOfTx == NONE_AS_OF ? null : Ids.toT(asOfTx);
  }

  @Override
  public Long sinceT() {
    return sinceTx == NONE_SINCE ? null : Ids.toT(sinceTx);
  }

  @Override
  public Object invoke(Object entity, Object... args) {
    Long id = entid(entity);
    Object fn = id == null ? null : value(id, Bootstrap.FN);
    if (fn instanceof io.accrete.DbFunction f) {
      return f.invoke(args);
    }
    if (fn instanceof io.accrete.Symbol s) {
      return io.accrete.util.JavaFunctions.invoke(s, "Database function", args);
    }
    throw Errors.db("not-a-fn", Errors.show(entity) + " names no database function (no :db/fn)");
  }

  @Override
  public long entidAt(Object partition, Object timePoint) {
    Long part = entid(partition);
    if (part == null) {
      throw Errors.db("invalid-partition", "entidAt: no partition " + Errors.show(partition));
    }
    long t;
    if (timePoint instanceof java.util.Date d) {
      t = tOfInstant(d.getTime() - 1) + 1; // the first transaction at or after the instant
    } else if (timePoint instanceof Number n) {
      t = Ids.toT(n.longValue());
    } else {
      throw Errors.db("invalid-t", "entidAt needs a t, a transaction id or a Date, not " + Errors.show(timePoint));
    }
    return Ids.eid(part, t);
  }

  @Override
  public Map<Keyword, Object> dbStats() {
    Map<Keyword, Object> attrs = new java.util.TreeMap<>(java.util.Comparator.comparing(Keyword::toString));
    for (Attribute a : schema.attributes()) {
      long n = io.accrete.query.Stats.count(this, a.id());
      if (n > 0) {
        attrs.put(a.ident(), Map.of(Keyword.intern(":count"), n));
      }
    }
    return Map.of(Keyword.intern(":datoms"), io.accrete.query.Stats.total(this), Keyword.intern(":attrs"), attrs);
  }

  /**
   * The full-text index of a {@code :db/fulltext} attribute in this value, built at its first
   * search and kept as long as this value.
   */
  public Fulltext fulltext(Attribute a) {
    if (!a.isFulltext()) {
      throw Errors.db("not-fulltext", "Attribute " + a.ident() + " is not :db/fulltext true; only full-text"
          + " attributes can be searched with fulltext");
    }
    java.util.concurrent.ConcurrentHashMap<Long, Fulltext> m = fulltext;
    if (m == null) {
      synchronized (this) {
        if (fulltext == null) {
          fulltext = new java.util.concurrent.ConcurrentHashMap<>();
        }
        m = fulltext;
      }
    }
    io.accrete.index.FulltextSegment stored = isCurrent() ? indexes.fulltext().get(a.id()) : null;
    return m.computeIfAbsent(a.id(), id -> stored != null ? Fulltext.over(this, a, stored) : Fulltext.build(this, a));
  }

  @Override
  public boolean isHistory() {
    return history;
  }

  @Override
  public boolean isFiltered() {
    return filter != null;
  }

  @Override
  public Database asOf(Object point) {
    long tx = Ids.toTx(toT(point, "asOf"));
    return new Db(id, indexes, schema, basisT, nextT, lastTxInstant, Math.min(tx, asOfTx), sinceTx,
        history, filter);
  }

  @Override
  public Database since(Object point) {
    long tx = Ids.toTx(toT(point, "since"));
    return new Db(id, indexes, schema, basisT, nextT, lastTxInstant, asOfTx, Math.max(tx, sinceTx),
        history, filter);
  }

  @Override
  public Database history() {
    return new Db(id, indexes, schema, basisT, nextT, lastTxInstant, asOfTx, sinceTx, true, filter);
  }

  @Override
  public Database filter(BiPredicate<Database, Datom> pred) {
    BiPredicate<Database, Datom> f = filter == null ? pred : filter.and(pred);
    return new Db(id, indexes, schema, basisT, nextT, lastTxInstant, asOfTx, sinceTx, history, f);
  }

  @Override
  public TxReport with(List<?> txData) {
    if (!isCurrent()) {
      throw Errors.db("with-filtered",
          "with needs an unfiltered database value; this one is "
              + (history ? "a history" : asOfTx != NONE_AS_OF ? "an asOf"
                  : sinceTx != NONE_SINCE ? "a since" : "a filtered")
              + " database");
    }
    return TxProcessor.process(this, txData, System.currentTimeMillis());
  }

  @Override
  public TxReport with(String txEdn) {
    return with(TxProcessor.parse(txEdn));
  }

  @Override
  public Entity entity(Object eid) {
    Long id = entid(eid);
    return id == null ? null : new EntityImpl(this, id);
  }

  @Override
  public Map<Object, Object> pull(Object pattern, Object eid) {
    return Puller.pull(this, pattern, eid);
  }

  @Override
  public Map<Object, Object> pull(Map<?, ?> argMap) {
    return Puller.pull(this, argMap);
  }

  @Override
  public List<Map<Object, Object>> pullMany(Object pattern, List<?> eids) {
    return Puller.pullMany(this, pattern, eids);
  }

  @Override
  public Iterable<Datom> datoms(Object index, Object... components) {
    IndexOrder order = indexOrder(index);
    Datom[] bounds = bounds(order, components, true);
    if (bounds == null) {
      return List.of();
    }
    Long tx = components.length >= 4 ? txOf(components[3]) : null;
    return new DatomIterable(() -> {
      DatomCursor c = cursor(order, bounds[0], bounds[1]);
      return tx == null ? c : Cursors.txRange(c, tx - 1, tx);
    });
  }

  @Override
  public Iterable<Datom> seekDatoms(Object index, Object... components) {
    IndexOrder order = indexOrder(index);
    Datom[] bounds = bounds(order, components, false);
    if (bounds == null) {
      return List.of();
    }
    return new DatomIterable(() -> cursor(order, bounds[0], bounds[1]));
  }

  @Override
  public Iterable<Datom> rseekDatoms(Object index, Object... components) {
    IndexOrder order = indexOrder(index);
    Datom[] bounds = bounds(order, components, true);
    if (bounds == null) {
      return List.of();
    }
    return new DatomIterable(() -> new BackwardCursor(this, order, bounds[1]));
  }

  @Override
  public Iterable<Datom> indexRange(Object attr, Object start, Object end) {
    Attribute a = requireAttribute(attr);
    Object lo = start == null ? Values.MIN : valueFor(a, start, "indexRange start");
    Object hi = end == null ? null : valueFor(a, end, "indexRange end");
    if (lo == null) {
      return List.of();
    }
    return new DatomIterable(() -> {
      DatomCursor c = cursor(IndexOrder.AVET, Keys.lo(Long.MIN_VALUE, a.id(), lo),
          Keys.hi(Long.MAX_VALUE, a.id(), Values.MAX));
      return hi == null ? c : Cursors.valuesBelow(c, hi);
    });
  }

  @Override
  public Long entid(Object entity) {
    if (entity instanceof Long l) {
      return l;
    }
    if (entity instanceof Integer || entity instanceof Short || entity instanceof Byte) {
      return ((Number) entity).longValue();
    }
    if (entity instanceof Keyword k) {
      return schema.entid(k);
    }
    if (entity instanceof String s && s.startsWith(":")) {
      return schema.entid(Keyword.intern(s));
    }
    if (entity instanceof List<?> ref) {
      return lookupRef(ref);
    }
    if (entity instanceof Entity en) {
      return en.id();
    }
    throw Errors.db("not-an-entity", "Not an entity id, ident or lookup ref: " + Errors.show(entity));
  }

  /** Resolves a lookup ref {@code [attr value]}; null when no entity has the value. */
  public Long lookupRef(List<?> ref) {
    if (ref.size() != 2) {
      throw Errors.db("lookup-ref-attr-not-unique",
          "A lookup ref is [attribute value], not " + Errors.show(ref));
    }
    Attribute a = attribute(ref.get(0));
    if (a == null) {
      throw Errors.db("not-an-entity", "Unknown attribute in lookup ref " + Errors.show(ref));
    }
    if (!a.isUnique()) {
      throw Errors.db("lookup-ref-attr-not-unique",
          "Lookup ref " + Errors.show(ref) + " uses " + a.ident() + ", which is not :db/unique");
    }
    Object v = valueFor(a, ref.get(1), "lookup ref " + Errors.show(ref));
    if (v == null) {
      return null;
    }
    DatomCursor c = cursorAV(a.id(), v);
    return c.next() ? c.e() : null;
  }

  @Override
  public Keyword ident(Object entity) {
    Long id = entid(entity);
    return id == null ? null : schema.ident(id);
  }

  @Override
  public Attribute attribute(Object attr) {
    if (attr instanceof Keyword k) {
      return schema.attribute(k);
    }
    if (attr instanceof Long l) {
      return schema.attribute(l);
    }
    if (attr instanceof Number n) {
      return schema.attribute(n.longValue());
    }
    if (attr instanceof String s) {
      return schema.attribute(Keyword.intern(s));
    }
    return null;
  }

  // ---------------------------------------------------------------- helpers

  /** The t a point names: a t, a transaction id or a Date. */
  private long toT(Object point, String what) {
    if (point instanceof Date d) {
      return tOfInstant(d.getTime());
    }
    if (point instanceof java.time.Instant i) {
      return tOfInstant(i.toEpochMilli());
    }
    if (point instanceof Long || point instanceof Integer) {
      long x = ((Number) point).longValue();
      if (x < 0) {
        throw Errors.db("invalid-t", what + " needs a t, a transaction id or a Date, not " + x);
      }
      return Ids.toT(x);
    }
    throw Errors.db("invalid-t",
        what + " needs a t, a transaction id or a Date, not " + Errors.show(point));
  }

  /** The latest t whose transaction happened at or before {@code millis}. */
  private long tOfInstant(long millis) {
    Db cur = unfiltered();
    DatomCursor c = cur.cursor(IndexOrder.AVET,
        Keys.lo(Long.MIN_VALUE, Bootstrap.TX_INSTANT, new Date(millis + 1)),
        Keys.hi(Long.MAX_VALUE, Bootstrap.TX_INSTANT, Values.MAX));
    if (!c.next()) {
      return basisT;
    }
    // The first transaction after the instant; everything before it is in.
    return Ids.toT(c.e()) - 1;
  }

  private Long txOf(Object x) {
    if (x == null) {
      return null;
    }
    if (x instanceof Number n) {
      return Ids.toTx(n.longValue());
    }
    throw Errors.db("invalid-t", "The tx component must be a t or a transaction id, not " + Errors.show(x));
  }

  static IndexOrder indexOrder(Object index) {
    if (index instanceof IndexOrder o) {
      return o;
    }
    if (index instanceof Keyword k && k.namespace() == null) {
      switch (k.name()) {
        case "eavt":
          return IndexOrder.EAVT;
        case "aevt":
          return IndexOrder.AEVT;
        case "avet":
          return IndexOrder.AVET;
        case "vaet":
          return IndexOrder.VAET;
        default:
          break;
      }
    }
    throw Errors.db("invalid-index",
        "Unknown index " + Errors.show(index) + "; use :eavt, :aevt, :avet or :vaet");
  }

  /**
   * The bounds of an index prefix (or, when {@code prefix} is false, of the seek from it to the
   * end). Null when a component names no entity, so nothing can match.
   */
  private Datom[] bounds(IndexOrder order, Object[] comps, boolean prefix) {
    long e = Long.MIN_VALUE;
    long a = Long.MIN_VALUE;
    Object v = Values.MIN;
    boolean hasE = false;
    boolean hasA = false;
    boolean hasV = false;
    Attribute attr = null;
    int n = Math.min(comps.length, 3);
    for (int i = 0; i < n; i++) {
      Object c = comps[i];
      char role = roleOf(order, i);
      if (role == 'e') {
        Long id = entid(c);
        if (id == null) {
          return null;
        }
        e = id;
        hasE = true;
      } else if (role == 'a') {
        attr = requireAttribute(c);
        a = attr.id();
        hasA = true;
      } else {
        Object val;
        if (order == IndexOrder.VAET || (attr != null && attr.isRef())) {
          val = entid(c);
        } else if (attr != null) {
          val = valueFor(attr, c, "datoms");
        } else {
          val = c instanceof Integer i2 ? Long.valueOf(i2) : c;
        }
        if (val == null) {
          return null;
        }
        v = val;
        hasV = true;
      }
    }
    Datom lo = new Datom(e, a, v, Long.MIN_VALUE, false);
    Datom hi = prefix
        ? new Datom(hasE ? e : Long.MAX_VALUE, hasA ? a : Long.MAX_VALUE, hasV ? v : Values.MAX,
            Long.MAX_VALUE, true)
        : new Datom(Long.MAX_VALUE, Long.MAX_VALUE, Values.MAX, Long.MAX_VALUE, true);
    return new Datom[] {lo, hi};
  }

  private static char roleOf(IndexOrder order, int i) {
    switch (order) {
      case EAVT:
        return "eav".charAt(i);
      case AEVT:
        return "aev".charAt(i);
      case AVET:
        return "ave".charAt(i);
      default:
        return "vae".charAt(i);
    }
  }

  /**
   * The stored form of a value for an attribute: references resolve to entity ids, numbers
   * widen. Null when a reference names nothing; an error when the value has the wrong type.
   */
  public Object valueFor(Attribute a, Object v, String where) {
    if (a.isRef()) {
      return entid(v);
    }
    Object c = a.type() == ValueType.TUPLE ? v : a.type().coerce(v);
    if (c == null) {
      throw Errors.db("wrong-type-for-attribute", "Value " + Errors.show(v) + " in " + where
          + " is not a " + a.valueType() + " as " + a.ident() + " needs");
    }
    return c;
  }

  @Override
  public String toString() {
    return "#db {:basis-t " + basisT + (asOfTx == NONE_AS_OF ? "" : " :as-of " + Ids.toT(asOfTx))
        + (sinceTx == NONE_SINCE ? "" : " :since " + Ids.toT(sinceTx))
        + (history ? " :history true" : "") + (filter != null ? " :filtered true" : "") + "}";
  }
}
