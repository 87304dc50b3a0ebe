package io.accrete;

import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * An immutable database value: every datom up to its basis {@code t}, optionally seen as of an
 * earlier point, since a point, as history, or through a filter. Reading never blocks and
 * never changes; keep any number of values and read them from any thread.
 *
 * <p>Values cross this API as Java types: {@code String}, {@code Long}, {@code Double},
 * {@code Float}, {@code Boolean}, {@code java.util.Date}, {@code UUID}, {@code BigInteger},
 * {@code BigDecimal}, {@code java.net.URI}, {@code byte[]}, {@code List} (tuples),
 * {@link Keyword}, {@link Symbol}; entity ids and references as {@code Long}.
 *
 * <p>Wherever an entity is expected, pass an entity id ({@code Long}), an ident
 * ({@code :person/name}) or a lookup ref ({@code [:person/email "a@b"]} as a {@code List}).
 * Wherever an index is expected, pass {@code :eavt}, {@code :aevt}, {@code :avet} or
 * {@code :vaet} as a {@link Keyword} or an {@link io.accrete.index.IndexOrder}.
 */
public interface Database {
  /**
   * The database's id, as Datomic's {@code Database.id}: the same in every value of one
   * database (as of, since, history and filtered views included) and different between
   * databases, also between a deleted database and a new one of the same name.
   */
  String id();

  /** The {@code t} of the last transaction in this value. */
  long basisT();

  /** The {@code t} the next transaction will get. */
  long nextT();

  /** The {@code t} this value is filtered to with {@link #asOf}, or null. */
  Long asOfT();

  /** The {@code t} this value is filtered from with {@link #since}, or null. */
  Long sinceT();

  /** True for a history value: every assertion and retraction, with their added flags. */
  boolean isHistory();

  /** True when a {@link #filter} applies. */
  boolean isFiltered();

  /**
   * The database as of a point: a {@code t}, a transaction id ({@code Long}) or a
   * {@code java.util.Date} (the last transaction at or before it). Later datoms are invisible.
   */
  Database asOf(Object point);

  /** The database since a point (exclusive): only datoms added after it are visible. */
  Database since(Object point);

  /** Every assertion and retraction ever made, within any asOf and since bounds. */
  Database history();

  /**
   * Applies a transaction speculatively and returns its report; nothing is written. Works on
   * unfiltered values only (not on asOf, since, history or filtered ones).
   */
  TxReport with(List<?> txData);

  /** Like {@link #with(List)}, with the transaction as EDN text. */
  TxReport with(String txEdn);

  /**
   * This database seen through a filter: only datoms the predicate accepts are visible.
   * Filters compose: filtering a filtered database keeps both.
   */
  Database filter(BiPredicate<Database, Datom> pred);

  /** A lazy entity view of an entity id, ident or lookup ref; null when it resolves to nothing. */
  Entity entity(Object eid);

  /**
   * Pulls a hierarchical selection of an entity's attributes (Datomic's pull pattern grammar),
   * as EDN text or data. Returns null when the entity has none of the pattern's attributes.
   */
  Map<Object, Object> pull(Object pattern, Object eid);

  /** {@link #pull} for each entity, in order. */
  List<Map<Object, Object>> pullMany(Object pattern, List<?> eids);

  /**
   * Pull with an arg-map, as Datomic's {@code (pull db arg-map)}: {@code :selector} (the
   * pattern), {@code :eid} (an entity id, ident or lookup ref) and optionally {@code :timeout}
   * in milliseconds, after which the pull stops with {@code :db.error/pull-timeout}. An
   * interrupted thread stops its pull too.
   */
  Map<Object, Object> pull(Map<?, ?> argMap);

  /**
   * The datoms of an index whose leading components equal {@code components}, in index order.
   * Components follow the index's order: EAVT takes e, a, v, tx; AVET takes a, v, e, tx.
   */
  Iterable<Datom> datoms(Object index, Object... components);

  /** The datoms of an index from the position {@code components} name to the end. */
  Iterable<Datom> seekDatoms(Object index, Object... components);

  /**
   * Datomic's {@code rseekDatoms}: an index's datoms backwards, from the last one that has the
   * given leading components (or, when none has them, from where they would reside) to the
   * start of the index; not bounded by the components.
   */
  Iterable<Datom> rseekDatoms(Object index, Object... components);

  /**
   * The AVET datoms of an attribute with values from {@code start} (inclusive) to {@code end}
   * (exclusive); a null bound is open.
   */
  Iterable<Datom> indexRange(Object attr, Object start, Object end);

  /** The entity id of an ident, lookup ref or entity id; null when it names nothing. */
  Long entid(Object entity);

  /** The ident of an entity, or null. */
  Keyword ident(Object entity);

  /** The installed attribute named by an ident or id, or null. */
  Attribute attribute(Object attr);

  /**
   * Datomic's {@code indexPull}: the entities of an attribute in the order of an index, each
   * pulled with a selector, read lazily. {@code arg}: {@code :index} ({@code :avet}, by value,
   * or {@code :aevt}, by entity), {@code :selector} (a pull pattern), {@code :start}
   * ({@code [attr]} or {@code [attr value]} for {@code :avet}, {@code [attr entity]} for
   * {@code :aevt}), {@code :reverse} (true: backwards from the last entity at {@code :start},
   * through {@link #rseekDatoms}).
   */
  default Iterable<Map<Object, Object>> indexPull(Map<?, ?> arg) {
    Object index = arg.get(Keyword.intern(":index"));
    boolean byValue = Keyword.intern(":avet").equals(index);
    if (!byValue && !Keyword.intern(":aevt").equals(index)) {
      throw new AccreteException(Keyword.of("db.error", "invalid-index-pull"),
          "indexPull needs :index :avet or :aevt, not " + index);
    }
    Object selector = arg.get(Keyword.intern(":selector"));
    if (!(arg.get(Keyword.intern(":start")) instanceof List<?> start) || start.isEmpty()) {
      throw new AccreteException(Keyword.of("db.error", "invalid-index-pull"),
          "indexPull needs :start [attr] or [attr value]");
    }
    Attribute a = attribute(start.get(0));
    if (a == null) {
      throw new AccreteException(Keyword.of("db.error", "invalid-index-pull"), "indexPull: no attribute " + start.get(0));
    }
    Iterable<Datom> datoms = Boolean.TRUE.equals(arg.get(Keyword.intern(":reverse")))
        ? rseekDatoms(index, start.toArray()) : seekDatoms(index, start.toArray());
    return () -> new java.util.Iterator<>() {
      private final java.util.Iterator<Datom> it = datoms.iterator();
      private Datom next = advance(null);

      private Datom advance(Datom prev) {
        while (it.hasNext()) {
          Datom d = it.next();
          if (d.a() != a.id()) {
            return null; // past the attribute
          }
          if (prev == null || byValue || d.e() != prev.e()) {
            return d; // by entity, the values of one entity pull once
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Map<Object, Object> next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        Datom d = next;
        next = advance(d);
        return pull(selector, d.e());
      }
    };
  }

  /**
   * Calls the database function an entity's {@code :db/fn} holds (named by ident or id), as
   * Datomic's {@code Database.invoke}: a {@link DbFunction} or a static method's symbol.
   */
  Object invoke(Object entity, Object... args);

  /**
   * The entity id that partition {@code partition} (an ident or id) gives at
   * {@code timePoint} (a t, a transaction id or a {@code java.util.Date}), as Datomic's
   * {@code entidAt}: a bound for range scans of entities made from that moment on.
   */
  long entidAt(Object partition, Object timePoint);

  /**
   * Datomic's {@code dbStats}: {@code {:datoms n :attrs {ident {:count n} …}}}, the datoms in
   * the current indexes in all and per attribute (counted from the index trees, not scanned).
   */
  java.util.Map<Keyword, Object> dbStats();
}
