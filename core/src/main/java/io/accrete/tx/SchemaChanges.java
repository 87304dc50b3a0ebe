package io.accrete.tx;

import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.ValueType;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Datomic's rules for installing and altering attributes, checked on the database as it
 * would be after the transaction. New attributes need an ident, a value type and a
 * cardinality, and consistent tuple and component facts. Existing attributes may change
 * ident, cardinality, uniqueness, component, noHistory, index, doc and predicates; going from
 * many to one or adding uniqueness first checks the existing data. Value type, fulltext and
 * tuple definitions never change.
 */
final class SchemaChanges {
  private SchemaChanges() {}

  /** The post-transaction definition facts of one entity. */
  private static final class Facts {
    Keyword ident;
    Long valueType;
    Long cardinality;
    Long unique;
    boolean component;
    boolean fulltext;
    Object tupleAttrs;
    Object tupleType;
    Object tupleTypes;

    boolean definesAttribute() {
      return valueType != null || cardinality != null || tupleAttrs != null || tupleType != null
          || tupleTypes != null || unique != null || component;
    }
  }

  private static Facts facts(List<Datom> datoms) {
    Facts f = new Facts();
    for (Datom d : datoms) {
      long a = d.a();
      if (a == Bootstrap.IDENT) {
        f.ident = (Keyword) d.v();
      } else if (a == Bootstrap.VALUE_TYPE) {
        f.valueType = (Long) d.v();
      } else if (a == Bootstrap.CARDINALITY) {
        f.cardinality = (Long) d.v();
      } else if (a == Bootstrap.UNIQUE) {
        f.unique = (Long) d.v();
      } else if (a == Bootstrap.IS_COMPONENT) {
        f.component = (Boolean) d.v();
      } else if (a == Bootstrap.FULLTEXT) {
        f.fulltext = (Boolean) d.v();
      } else if (a == Bootstrap.TUPLE_ATTRS) {
        f.tupleAttrs = d.v();
      } else if (a == Bootstrap.TUPLE_TYPE) {
        f.tupleType = d.v();
      } else if (a == Bootstrap.TUPLE_TYPES) {
        f.tupleTypes = d.v();
      }
    }
    return f;
  }

  /**
   * Checks every touched entity; returns true for each new attribute so the caller can record
   * its installation. {@code touched} maps entity ids to their datoms in {@code after}.
   */
  static void check(Db before, Db after, Map<Long, List<Datom>> touched, List<Long> installed) {
    for (Map.Entry<Long, List<Datom>> en : touched.entrySet()) {
      long e = en.getKey();
      Facts f = facts(en.getValue());
      Attribute old = before.schema().attribute(e);
      if (e == Bootstrap.DB_PART) {
        checkPartitions(en.getValue());
      }
      if (old == null) {
        if (f.definesAttribute()) {
          checkNew(after, e, f);
          installed.add(e);
        }
      } else {
        checkAlteration(after, old, f);
      }
    }
  }

  private static void checkPartitions(List<Datom> dbPartDatoms) {
    for (Datom d : dbPartDatoms) {
      if (d.a() == Bootstrap.INSTALL_PARTITION && (Long) d.v() > io.accrete.schema.Ids.MAX_PARTITION) {
        throw Errors.db("invalid-partition", "Entity " + d.v()
            + " cannot be a partition: partitions are entities of :db.part/db (create it with a"
            + " tempid that also has :db.install/_partition :db.part/db)");
      }
    }
  }

  private static String name(Facts f, long e) {
    return f.ident != null ? f.ident.toString() : "entity " + e;
  }

  private static void checkNew(Db after, long e, Facts f) {
    String who = name(f, e);
    if (f.ident == null) {
      throw Errors.db("incomplete-attribute", "Attribute " + who + " needs a :db/ident");
    }
    if (f.valueType == null) {
      throw Errors.db("incomplete-attribute", "Attribute " + who + " needs a :db/valueType");
    }
    if (f.cardinality == null) {
      throw Errors.db("incomplete-attribute", "Attribute " + who + " needs a :db/cardinality");
    }
    ValueType type = Bootstrap.typeOf(f.valueType);
    if (type == null) {
      throw Errors.db("invalid-attribute", "Attribute " + who + ": " + Errors.show(after.ident(f.valueType))
          + " is not a value type");
    }
    if (f.cardinality != Bootstrap.CARDINALITY_ONE && f.cardinality != Bootstrap.CARDINALITY_MANY) {
      throw Errors.db("invalid-attribute", "Attribute " + who
          + ": :db/cardinality must be :db.cardinality/one or :db.cardinality/many");
    }
    if (f.unique != null && f.unique != Bootstrap.UNIQUE_VALUE && f.unique != Bootstrap.UNIQUE_IDENTITY) {
      throw Errors.db("invalid-attribute", "Attribute " + who
          + ": :db/unique must be :db.unique/value or :db.unique/identity");
    }
    if (f.component && type != ValueType.REF) {
      throw Errors.db("invalid-attribute", "Attribute " + who
          + " is :db/isComponent but not a reference (:db.type/ref)");
    }
    if (f.fulltext && type != ValueType.STRING) {
      throw Errors.db("invalid-attribute", "Attribute " + who
          + " is :db/fulltext but not a string (:db.type/string); only strings are indexed for full-text search");
    }
    int tupleFacts = (f.tupleAttrs != null ? 1 : 0) + (f.tupleType != null ? 1 : 0)
        + (f.tupleTypes != null ? 1 : 0);
    if (type == ValueType.TUPLE && tupleFacts != 1) {
      throw Errors.db("invalid-attribute", "Tuple attribute " + who
          + " needs exactly one of :db/tupleAttrs, :db/tupleType, :db/tupleTypes");
    }
    if (type != ValueType.TUPLE && tupleFacts != 0) {
      throw Errors.db("invalid-attribute", "Attribute " + who
          + " has tuple facts but :db/valueType is not :db.type/tuple");
    }
    if (f.tupleAttrs != null) {
      List<?> attrs = (List<?>) f.tupleAttrs;
      if (attrs.size() < 2 || attrs.size() > 8) {
        throw Errors.db("invalid-attribute", "Composite tuple " + who + " needs 2 to 8 :db/tupleAttrs");
      }
      if (f.cardinality != Bootstrap.CARDINALITY_ONE) {
        throw Errors.db("invalid-attribute", "Composite tuple " + who + " must be cardinality one");
      }
      for (Object k : attrs) {
        // Components may be installed by the same transaction: read them from its result.
        Facts c = k instanceof Keyword kw ? factsOfIdent(after, kw) : null;
        if (c == null || c.valueType == null) {
          throw Errors.db("invalid-attribute", "Composite tuple " + who + " names unknown attribute "
              + Errors.show(k) + " in :db/tupleAttrs");
        }
        if (Bootstrap.typeOf(c.valueType) == ValueType.TUPLE) {
          throw Errors.db("invalid-attribute", "Composite tuple " + who + " cannot include tuple " + k);
        }
        if (c.cardinality != null && c.cardinality == Bootstrap.CARDINALITY_MANY) {
          throw Errors.db("invalid-attribute", "Composite tuple " + who
              + " cannot include cardinality-many " + k);
        }
      }
    }
    if (f.tupleTypes != null) {
      List<?> types = (List<?>) f.tupleTypes;
      if (types.size() < 2 || types.size() > 8) {
        throw Errors.db("invalid-attribute", "Tuple " + who + " needs 2 to 8 :db/tupleTypes");
      }
      for (Object t : types) {
        checkScalarType(who, t);
      }
    }
    if (f.tupleType != null) {
      checkScalarType(who, f.tupleType);
    }
  }

  /** The facts of the entity an ident names in {@code db}'s datoms, or null. */
  private static Facts factsOfIdent(Db db, Keyword ident) {
    DatomCursor c = db.cursorAV(Bootstrap.IDENT, ident);
    if (!c.next()) {
      Long id = db.schema().entid(ident);
      return id == null ? null : facts(datomsOf(db, id));
    }
    return facts(datomsOf(db, c.e()));
  }

  private static List<Datom> datomsOf(Db db, long e) {
    List<Datom> out = new java.util.ArrayList<>();
    DatomCursor c = db.cursorE(e);
    while (c.next()) {
      out.add(c.datom());
    }
    return out;
  }

  private static void checkScalarType(String who, Object t) {
    ValueType vt = t instanceof Keyword k ? ValueType.of(k) : null;
    if (vt == null || vt == ValueType.TUPLE) {
      throw Errors.db("invalid-attribute", "Tuple " + who + ": " + Errors.show(t)
          + " is not a scalar value type");
    }
  }

  private static void checkAlteration(Db after, Attribute old, Facts f) {
    String who = old.ident().toString();
    if (f.ident == null) {
      throw Errors.db("incompatible-schema-change", "Cannot retract the :db/ident of attribute " + who);
    }
    if (f.valueType == null || Bootstrap.typeOf(f.valueType) != old.type()) {
      throw Errors.db("incompatible-schema-change", "Cannot change :db/valueType of " + who
          + " (it is " + old.valueType() + "); value types never change");
    }
    if (f.cardinality == null) {
      throw Errors.db("incompatible-schema-change", "Cannot retract :db/cardinality of " + who);
    }
    if (f.fulltext != old.isFulltext()) {
      throw Errors.db("incompatible-schema-change", "Cannot change :db/fulltext of " + who);
    }
    if (!Objects.equals(f.tupleAttrs, old.tupleAttrs()) || !Objects.equals(f.tupleType,
        old.tupleType() == null ? null : old.tupleType().ident())
        || !sameTypes(f.tupleTypes, old.tupleTypes())) {
      throw Errors.db("incompatible-schema-change", "Cannot change the tuple definition of " + who);
    }
    if (f.component && !old.isRef()) {
      throw Errors.db("incompatible-schema-change", who
          + " cannot be :db/isComponent: it is not a reference");
    }
    if (f.cardinality == Bootstrap.CARDINALITY_ONE && old.isMany()) {
      checkAtMostOne(after, old);
    }
    if (f.unique != null && !old.isUnique()) {
      checkUnique(after, old);
    }
  }

  private static boolean sameTypes(Object now, List<ValueType> old) {
    if (now == null || old == null) {
      return now == null && old == null;
    }
    List<?> l = (List<?>) now;
    if (l.size() != old.size()) {
      return false;
    }
    for (int i = 0; i < l.size(); i++) {
      if (!old.get(i).ident().equals(l.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static void checkAtMostOne(Db after, Attribute a) {
    DatomCursor c = after.cursor(IndexOrder.AEVT, new Datom(Long.MIN_VALUE, a.id(), Values.MIN, Long.MIN_VALUE, false),
        new Datom(Long.MAX_VALUE, a.id(), Values.MAX, Long.MAX_VALUE, true));
    long prev = Long.MIN_VALUE;
    while (c.next()) {
      if (c.e() == prev) {
        throw Errors.db("incompatible-schema-change", "Cannot make " + a.ident()
            + " cardinality one: entity " + prev + " has several values; retract all but one first");
      }
      prev = c.e();
    }
  }

  private static void checkUnique(Db after, Attribute a) {
    DatomCursor c = after.cursor(IndexOrder.AVET, new Datom(Long.MIN_VALUE, a.id(), Values.MIN, Long.MIN_VALUE, false),
        new Datom(Long.MAX_VALUE, a.id(), Values.MAX, Long.MAX_VALUE, true));
    Object prev = null;
    long prevE = 0;
    boolean first = true;
    while (c.next()) {
      if (!first && Values.compare(prev, c.v()) == 0) {
        throw Errors.db("incompatible-schema-change", "Cannot make " + a.ident()
            + " unique: value " + Errors.show(prev) + " is held by entities " + prevE + " and "
            + c.e() + "; retract the duplicates first");
      }
      first = false;
      prev = c.v();
      prevE = c.e();
    }
  }
}
