package io.accrete.schema;

import io.accrete.Datom;
import io.accrete.Keyword;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The system entities every database starts with: partitions, the attributes that define
 * attributes, value types, cardinalities, uniqueness and the built-in transaction functions.
 * Their ids are fixed, so code can refer to them without a lookup.
 */
public final class Bootstrap {
  private Bootstrap() {}

  public static final long DB_PART = 0;
  public static final long DB_ADD = 1;
  public static final long DB_RETRACT = 2;
  public static final long TX_PART = 3;
  public static final long USER_PART = 4;

  public static final long IDENT = 10;
  public static final long INSTALL_PARTITION = 11;
  public static final long INSTALL_VALUE_TYPE = 12;
  public static final long INSTALL_ATTRIBUTE = 13;

  /** Value type idents take ids {@code TYPE_BASE + ordinal}. */
  public static final long TYPE_BASE = 20;

  public static final long VALUE_TYPE = 40;
  public static final long CARDINALITY = 41;
  public static final long UNIQUE = 42;
  public static final long IS_COMPONENT = 43;
  public static final long INDEX = 44;
  public static final long NO_HISTORY = 45;
  public static final long FULLTEXT = 46;
  public static final long DOC = 47;
  public static final long TX_INSTANT = 50;
  public static final long TUPLE_ATTRS = 51;
  public static final long TUPLE_TYPE = 52;
  public static final long TUPLE_TYPES = 53;
  public static final long ATTR_PREDS = 54;
  public static final long ENTITY_ATTRS = 55;
  public static final long ENTITY_PREDS = 56;
  public static final long ENSURE = 57;
  public static final long FN = 58;

  public static final long CARDINALITY_ONE = 60;
  public static final long CARDINALITY_MANY = 61;
  public static final long UNIQUE_VALUE = 62;
  public static final long UNIQUE_IDENTITY = 63;

  public static final long FN_CAS = 64;
  public static final long FN_RETRACT_ENTITY = 65;
  public static final long CAS = 66;
  public static final long RETRACT_ENTITY = 67;

  /** Excision requests: the target entity or attribute, and what limits it. */
  public static final long EXCISE = 70;
  public static final long EXCISE_ATTRS = 71;
  public static final long EXCISE_BEFORE_T = 72;
  public static final long EXCISE_BEFORE = 73;

  /** The bootstrap transaction's t. */
  public static final long BOOTSTRAP_T = 99;
  /** The t of the first transaction after the bootstrap, as in Datomic. */
  public static final long FIRST_T = 1000;

  /** The value type of a type ident's entity id, or null. */
  public static ValueType typeOf(long typeEid) {
    long i = typeEid - TYPE_BASE;
    ValueType[] types = ValueType.values();
    return i >= 0 && i < types.length ? types[(int) i] : null;
  }

  /** The entity id of a value type's ident. */
  public static long typeEid(ValueType type) {
    return TYPE_BASE + type.ordinal();
  }

  /** The bootstrap transaction's datoms, the transaction entity's {@code :db/txInstant} first. */
  public static List<Datom> datoms() {
    long tx = Ids.toTx(BOOTSTRAP_T);
    List<Datom> out = new ArrayList<>();
    out.add(new Datom(tx, TX_INSTANT, new Date(0), tx, true));
    ident(out, tx, DB_PART, "db.part", "db");
    ident(out, tx, DB_ADD, "db", "add");
    ident(out, tx, DB_RETRACT, "db", "retract");
    ident(out, tx, TX_PART, "db.part", "tx");
    ident(out, tx, USER_PART, "db.part", "user");
    for (long p : new long[] {DB_PART, TX_PART, USER_PART}) {
      out.add(new Datom(DB_PART, INSTALL_PARTITION, p, tx, true));
    }
    for (ValueType t : ValueType.values()) {
      long id = typeEid(t);
      out.add(new Datom(id, IDENT, t.ident(), tx, true));
      out.add(new Datom(DB_PART, INSTALL_VALUE_TYPE, id, tx, true));
    }
    ident(out, tx, CARDINALITY_ONE, "db.cardinality", "one");
    ident(out, tx, CARDINALITY_MANY, "db.cardinality", "many");
    ident(out, tx, UNIQUE_VALUE, "db.unique", "value");
    ident(out, tx, UNIQUE_IDENTITY, "db.unique", "identity");
    ident(out, tx, FN_CAS, "db.fn", "cas");
    ident(out, tx, FN_RETRACT_ENTITY, "db.fn", "retractEntity");
    ident(out, tx, CAS, "db", "cas");
    ident(out, tx, RETRACT_ENTITY, "db", "retractEntity");

    attr(out, tx, IDENT, "db", "ident", ValueType.KEYWORD, false, UNIQUE_IDENTITY,
        "The unique name of an entity.");
    attr(out, tx, INSTALL_PARTITION, "db.install", "partition", ValueType.REF, true, -1,
        "Partitions installed in the database.");
    attr(out, tx, INSTALL_VALUE_TYPE, "db.install", "valueType", ValueType.REF, true, -1,
        "Value types known to the database.");
    attr(out, tx, INSTALL_ATTRIBUTE, "db.install", "attribute", ValueType.REF, true, -1,
        "Attributes installed in the database.");
    attr(out, tx, VALUE_TYPE, "db", "valueType", ValueType.REF, false, -1,
        "The type of an attribute's values.");
    attr(out, tx, CARDINALITY, "db", "cardinality", ValueType.REF, false, -1,
        "Whether an attribute holds one value or many per entity.");
    attr(out, tx, UNIQUE, "db", "unique", ValueType.REF, false, -1,
        "Whether an attribute's values are unique: :db.unique/value or :db.unique/identity.");
    attr(out, tx, IS_COMPONENT, "db", "isComponent", ValueType.BOOLEAN, false, -1,
        "Whether a reference attribute's values are parts of the entity.");
    attr(out, tx, INDEX, "db", "index", ValueType.BOOLEAN, false, -1,
        "Accepted for compatibility; every attribute is in AVET.");
    attr(out, tx, NO_HISTORY, "db", "noHistory", ValueType.BOOLEAN, false, -1,
        "Whether retracted values of an attribute are forgotten.");
    attr(out, tx, FULLTEXT, "db", "fulltext", ValueType.BOOLEAN, false, -1,
        "Whether a string attribute's values are searchable with fulltext.");
    attr(out, tx, DOC, "db", "doc", ValueType.STRING, false, -1, "Documentation of an entity.");
    attr(out, tx, TX_INSTANT, "db", "txInstant", ValueType.INSTANT, false, -1,
        "The wall-clock time of a transaction.");
    attr(out, tx, TUPLE_ATTRS, "db", "tupleAttrs", ValueType.TUPLE, false, -1,
        "The attributes a composite tuple is made of.");
    attr(out, tx, TUPLE_TYPE, "db", "tupleType", ValueType.KEYWORD, false, -1,
        "The element type of a homogeneous tuple.");
    attr(out, tx, TUPLE_TYPES, "db", "tupleTypes", ValueType.TUPLE, false, -1,
        "The element types of a heterogeneous tuple.");
    attr(out, tx, ATTR_PREDS, "db.attr", "preds", ValueType.SYMBOL, true, -1,
        "Static methods (Class/method) every value of an attribute must satisfy.");
    attr(out, tx, ENTITY_ATTRS, "db.entity", "attrs", ValueType.KEYWORD, true, -1,
        "Attributes an entity spec requires.");
    attr(out, tx, ENTITY_PREDS, "db.entity", "preds", ValueType.SYMBOL, true, -1,
        "Static methods (Class/method of db and entity id) an entity spec requires to hold.");
    attr(out, tx, ENSURE, "db", "ensure", ValueType.REF, true, -1,
        "Entity specs to check at the end of a transaction; not stored.");
    attr(out, tx, FN, "db", "fn", ValueType.FN, false, -1,
        "A database function (#db/fn), or the static method (Class/method) a transaction function's ident names.");
    attr(out, tx, EXCISE, "db", "excise", ValueType.REF, false, -1,
        "The entity or attribute whose datoms an excision request removes for good.");
    attr(out, tx, EXCISE_ATTRS, "db.excise", "attrs", ValueType.REF, true, -1,
        "The attributes an excision of an entity is limited to.");
    attr(out, tx, EXCISE_BEFORE_T, "db.excise", "beforeT", ValueType.LONG, false, -1,
        "An excision removes only datoms of transactions before this t.");
    attr(out, tx, EXCISE_BEFORE, "db.excise", "before", ValueType.INSTANT, false, -1,
        "An excision removes only datoms of transactions before this instant.");
    // The two tuple-valued system attributes hold keywords.
    out.add(new Datom(TUPLE_ATTRS, TUPLE_TYPE, ValueType.KEYWORD.ident(), tx, true));
    out.add(new Datom(TUPLE_TYPES, TUPLE_TYPE, ValueType.KEYWORD.ident(), tx, true));
    return out;
  }

  private static void ident(List<Datom> out, long tx, long e, String ns, String name) {
    out.add(new Datom(e, IDENT, Keyword.of(ns, name), tx, true));
  }

  private static void attr(List<Datom> out, long tx, long e, String ns, String name,
      ValueType type, boolean many, long unique, String doc) {
    ident(out, tx, e, ns, name);
    out.add(new Datom(e, VALUE_TYPE, typeEid(type), tx, true));
    out.add(new Datom(e, CARDINALITY, many ? CARDINALITY_MANY : CARDINALITY_ONE, tx, true));
    if (unique >= 0) {
      out.add(new Datom(e, UNIQUE, unique, tx, true));
    }
    if (e == TX_INSTANT) {
      out.add(new Datom(e, INDEX, true, tx, true));
    }
    out.add(new Datom(e, DOC, doc, tx, true));
    out.add(new Datom(DB_PART, INSTALL_ATTRIBUTE, e, tx, true));
  }
}
