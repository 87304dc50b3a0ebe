package io.accrete;

import io.accrete.schema.ValueType;
import java.util.List;
import java.util.Objects;

/**
 * An installed attribute: its id, ident and the schema facts that govern its values.
 * Immutable; returned by {@link Database#attribute}.
 */
public final class Attribute {
  /** {@code :db.unique/value}. */
  public static final Keyword UNIQUE_VALUE = Keyword.of("db.unique", "value");
  /** {@code :db.unique/identity}. */
  public static final Keyword UNIQUE_IDENTITY = Keyword.of("db.unique", "identity");
  /** {@code :db.cardinality/one}. */
  public static final Keyword CARDINALITY_ONE = Keyword.of("db.cardinality", "one");
  /** {@code :db.cardinality/many}. */
  public static final Keyword CARDINALITY_MANY = Keyword.of("db.cardinality", "many");
  /** {@code :db.type/keyword}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_KEYWORD = Keyword.of("db.type", "keyword");
  /** {@code :db.type/string}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_STRING = Keyword.of("db.type", "string");
  /** {@code :db.type/boolean}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_BOOLEAN = Keyword.of("db.type", "boolean");
  /** {@code :db.type/long}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_LONG = Keyword.of("db.type", "long");
  /** {@code :db.type/bigint}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_BIGINT = Keyword.of("db.type", "bigint");
  /** {@code :db.type/float}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_FLOAT = Keyword.of("db.type", "float");
  /** {@code :db.type/double}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_DOUBLE = Keyword.of("db.type", "double");
  /** {@code :db.type/bigdec}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_BIGDEC = Keyword.of("db.type", "bigdec");
  /** {@code :db.type/ref}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_REF = Keyword.of("db.type", "ref");
  /** {@code :db.type/instant}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_INSTANT = Keyword.of("db.type", "instant");
  /** {@code :db.type/uuid}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_UUID = Keyword.of("db.type", "uuid");
  /** {@code :db.type/uri}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_URI = Keyword.of("db.type", "uri");
  /** {@code :db.type/bytes}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_BYTES = Keyword.of("db.type", "bytes");
  /** {@code :db.type/tuple}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_TUPLE = Keyword.of("db.type", "tuple");
  /** {@code :db.type/symbol}, a value of {@link #valueType()}. */
  public static final Keyword TYPE_SYMBOL = Keyword.of("db.type", "symbol");

  private final long id;
  private final Keyword ident;
  private final ValueType type;
  private final boolean many;
  private final Keyword unique;
  private final boolean component;
  private final boolean noHistory;
  private final boolean indexed;
  private final boolean fulltext;
  private final String doc;
  private final List<Keyword> tupleAttrs;
  private final List<ValueType> tupleTypes;
  private final ValueType tupleType;
  private final List<Symbol> preds;
  private final long[] tupleAttrIds;

  /** Builds an attribute; the schema does this from the attribute entity's datoms. */
  public Attribute(long id, Keyword ident, ValueType type, boolean many, Keyword unique,
      boolean component, boolean noHistory, boolean indexed, boolean fulltext, String doc,
      List<Keyword> tupleAttrs, long[] tupleAttrIds, List<ValueType> tupleTypes,
      ValueType tupleType, List<Symbol> preds) {
    this.id = id;
    this.ident = Objects.requireNonNull(ident);
    this.type = Objects.requireNonNull(type);
    this.many = many;
    this.unique = unique;
    this.component = component;
    this.noHistory = noHistory;
    this.indexed = indexed;
    this.fulltext = fulltext;
    this.doc = doc;
    this.tupleAttrs = tupleAttrs == null ? null : List.copyOf(tupleAttrs);
    this.tupleAttrIds = tupleAttrIds;
    this.tupleTypes = tupleTypes == null ? null : List.copyOf(tupleTypes);
    this.tupleType = tupleType;
    this.preds = preds == null ? List.of() : List.copyOf(preds);
  }

  /** The attribute's entity id. */
  public long id() {
    return id;
  }

  /** The attribute's ident, e.g. {@code :person/name}. */
  public Keyword ident() {
    return ident;
  }

  /** The value type's ident, e.g. {@code :db.type/string}. */
  public Keyword valueType() {
    return type.ident();
  }

  /** The value type. */
  public ValueType type() {
    return type;
  }

  /** {@code :db.cardinality/one} or {@code :db.cardinality/many}. */
  public Keyword cardinality() {
    return many ? CARDINALITY_MANY : CARDINALITY_ONE;
  }

  /** True for cardinality many. */
  public boolean isMany() {
    return many;
  }

  /** {@code :db.unique/value}, {@code :db.unique/identity}, or null. */
  public Keyword unique() {
    return unique;
  }

  /** True when values are unique (value or identity). */
  public boolean isUnique() {
    return unique != null;
  }

  /** True for {@code :db.unique/identity}: values identify entities and upsert. */
  public boolean isIdentity() {
    return UNIQUE_IDENTITY.equals(unique);
  }

  /** True for component references: the referenced entity is part of this one. */
  public boolean isComponent() {
    return component;
  }

  /** True when history of the attribute is not kept. */
  public boolean isNoHistory() {
    return noHistory;
  }

  /**
   * The value of {@code :db/index}. Accrete keeps every attribute in AVET regardless, so this
   * is informational.
   */
  public boolean isIndexed() {
    return indexed;
  }

  /** True: every attribute is in the AVET index. */
  public boolean hasAVET() {
    return true;
  }

  /** The value of {@code :db/fulltext}. */
  public boolean isFulltext() {
    return fulltext;
  }

  /** Datomic's name for {@link #isNoHistory()}. */
  public boolean hasNoHistory() {
    return isNoHistory();
  }

  /** Datomic's name for {@link #isFulltext()}. */
  public boolean hasFulltext() {
    return isFulltext();
  }

  /** The documentation string, or null. */
  public String doc() {
    return doc;
  }

  /** True for references. */
  public boolean isRef() {
    return type == ValueType.REF;
  }

  /** The component attributes of a composite tuple, or null. */
  public List<Keyword> tupleAttrs() {
    return tupleAttrs;
  }

  /** The ids of a composite tuple's component attributes, or null. */
  public long[] tupleAttrIds() {
    return tupleAttrIds == null ? null : tupleAttrIds.clone();
  }

  /** True for a composite tuple, maintained from {@link #tupleAttrs()}. */
  public boolean isComposite() {
    return tupleAttrs != null;
  }

  /** The element types of a heterogeneous tuple, or null. */
  public List<ValueType> tupleTypes() {
    return tupleTypes;
  }

  /** The element type of a homogeneous tuple, or null. */
  public ValueType tupleType() {
    return tupleType;
  }

  /** The attribute predicates ({@code :db.attr/preds}), possibly empty. */
  public List<Symbol> preds() {
    return preds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attribute x && x.id == id && x.ident.equals(ident) && x.type == type
        && x.many == many && Objects.equals(x.unique, unique) && x.component == component
        && x.noHistory == noHistory && x.indexed == indexed && x.fulltext == fulltext
        && Objects.equals(x.doc, doc) && Objects.equals(x.tupleAttrs, tupleAttrs)
        && Objects.equals(x.tupleTypes, tupleTypes) && x.tupleType == tupleType
        && x.preds.equals(preds);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + ident.hashCode();
  }

  @Override
  public String toString() {
    return "#attribute {:db/id " + id + " :db/ident " + ident + " :db/valueType " + valueType()
        + " :db/cardinality " + cardinality() + (unique == null ? "" : " :db/unique " + unique)
        + (component ? " :db/isComponent true" : "") + (noHistory ? " :db/noHistory true" : "")
        + "}";
  }
}
