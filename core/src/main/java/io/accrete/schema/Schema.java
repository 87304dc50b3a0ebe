package io.accrete.schema;

import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Symbol;
import io.accrete.index.AttributeKinds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema of a database value, derived from the datoms of its attribute and ident
 * entities: attributes by id and by ident, idents both ways (renamed idents keep resolving to
 * their entity), installed partitions, and which composite tuples depend on which attributes.
 * Immutable; {@link #update} derives the next schema from the entities a transaction touched.
 */
public final class Schema implements AttributeKinds {
  /** Attribute ids below this are kept in an array; larger ones in a map. */
  private static final int DENSE = 1 << 16;

  private final Attribute[] dense;
  private final Map<Long, Attribute> sparse;
  private final Map<Keyword, Attribute> byIdent;
  private final Map<Keyword, Long> identToId;
  private final Map<Long, Keyword> idToIdent;
  private final Set<Long> partitions;
  private final Map<Long, long[]> compositesOf;

  private Schema(Attribute[] dense, Map<Long, Attribute> sparse, Map<Keyword, Attribute> byIdent,
      Map<Keyword, Long> identToId, Map<Long, Keyword> idToIdent, Set<Long> partitions) {
    this.dense = dense;
    this.sparse = sparse;
    this.byIdent = byIdent;
    this.identToId = identToId;
    this.idToIdent = idToIdent;
    this.partitions = partitions;
    this.compositesOf = composites(byIdent.values());
  }

  /** True when datoms of the attribute define schema (attributes, idents, partitions). */
  public static boolean definesSchema(long a) {
    return a == Bootstrap.IDENT || a == Bootstrap.VALUE_TYPE || a == Bootstrap.CARDINALITY
        || a == Bootstrap.UNIQUE || a == Bootstrap.IS_COMPONENT || a == Bootstrap.INDEX
        || a == Bootstrap.NO_HISTORY || a == Bootstrap.FULLTEXT || a == Bootstrap.DOC
        || a == Bootstrap.TUPLE_ATTRS || a == Bootstrap.TUPLE_TYPE || a == Bootstrap.TUPLE_TYPES
        || a == Bootstrap.ATTR_PREDS || a == Bootstrap.INSTALL_PARTITION;
  }

  /** A schema with nothing in it; the bootstrap transaction fills it. */
  public static Schema empty() {
    return new Schema(new Attribute[0], Map.of(), Map.of(), Map.of(), Map.of(), Set.of());
  }

  /** The attribute with entity id {@code id}, or null. */
  public Attribute attribute(long id) {
    if (id >= 0 && id < dense.length) {
      return dense[(int) id];
    }
    return id >= DENSE ? sparse.get(id) : null;
  }

  /** The attribute named {@code ident} (current or former name), or null. */
  public Attribute attribute(Keyword ident) {
    Attribute a = byIdent.get(ident);
    if (a != null) {
      return a;
    }
    Long id = identToId.get(ident);
    return id == null ? null : attribute(id);
  }

  /** The entity id an ident names (current or former name), or null. */
  public Long entid(Keyword ident) {
    return identToId.get(ident);
  }

  /** The current ident of an entity, or null. */
  public Keyword ident(long id) {
    return idToIdent.get(id);
  }

  /** True when {@code id} is an installed partition. */
  public boolean isPartition(long id) {
    return partitions.contains(id);
  }

  /** Every installed attribute. */
  public java.util.Collection<Attribute> attributes() {
    return byIdent.values();
  }

  /** The composite tuple attributes that include attribute {@code id}, or null. */
  public long[] compositesOf(long id) {
    return compositesOf.get(id);
  }

  @Override
  public boolean isRef(long attr) {
    Attribute a = attribute(attr);
    return a != null && a.isRef();
  }

  @Override
  public boolean keepsHistory(long attr) {
    Attribute a = attribute(attr);
    return a == null || !a.isNoHistory();
  }

  /**
   * The schema after a transaction: {@code touched} maps each entity whose schema facts
   * changed to all its current datoms in the database after the transaction.
   */
  public Schema update(Map<Long, List<Datom>> touched) {
    Map<Keyword, Long> identToId = this.identToId;
    Map<Long, Keyword> idToIdent = this.idToIdent;
    Set<Long> partitions = this.partitions;
    // First the idents, since attribute definitions refer to other entities by ident.
    for (Map.Entry<Long, List<Datom>> en : touched.entrySet()) {
      long id = en.getKey();
      Keyword now = null;
      for (Datom d : en.getValue()) {
        if (d.a() == Bootstrap.IDENT) {
          now = (Keyword) d.v();
        } else if (d.a() == Bootstrap.INSTALL_PARTITION && id == Bootstrap.DB_PART) {
          if (partitions == this.partitions) {
            partitions = new HashSet<>();
          }
          partitions.add((Long) d.v());
        }
      }
      Keyword before = idToIdent.get(id);
      if (now == null ? before != null : !now.equals(before)) {
        if (idToIdent == this.idToIdent) { // copied at the first change only
          identToId = new HashMap<>(this.identToId);
          idToIdent = new HashMap<>(this.idToIdent);
        }
        if (now == null) {
          idToIdent.remove(id);
          identToId.remove(before, id);
        } else {
          // The former ident keeps naming this entity until another entity takes it.
          idToIdent.put(id, now);
          identToId.put(now, id);
        }
      }
    }
    if (partitions != this.partitions) {
      partitions = Set.copyOf(partitions);
    }
    Map<Long, Attribute> attrs = new HashMap<>();
    for (Attribute a : byIdent.values()) {
      attrs.put(a.id(), a);
    }
    for (Map.Entry<Long, List<Datom>> en : touched.entrySet()) {
      Attribute a = define(en.getKey(), en.getValue(), idToIdent, identToId);
      if (a == null) {
        attrs.remove(en.getKey());
      } else {
        attrs.put(a.id(), a);
      }
    }
    // Renames change the ident inside every attribute that shows it: only a touched entity's
    // ident can have changed.
    for (Long id : idToIdent == this.idToIdent ? java.util.Set.<Long>of() : touched.keySet()) {
      Keyword ident = idToIdent.get(id);
      Attribute a = attrs.get(id);
      if (a != null && ident != null && !ident.equals(a.ident())) {
        attrs.put(id, new Attribute(a.id(), ident, a.type(), a.isMany(), a.unique(),
            a.isComponent(), a.isNoHistory(), a.isIndexed(), a.isFulltext(), a.doc(),
            a.tupleAttrs(), a.tupleAttrIds(), a.tupleTypes(), a.tupleType(), a.preds()));
      }
    }
    return build(attrs.values(), identToId, idToIdent, partitions);
  }

  private static Schema build(java.util.Collection<Attribute> attrs, Map<Keyword, Long> identToId,
      Map<Long, Keyword> idToIdent, Set<Long> partitions) {
    long maxDense = -1;
    Map<Long, Attribute> sparse = new HashMap<>();
    Map<Keyword, Attribute> byIdent = new HashMap<>();
    for (Attribute a : attrs) {
      if (a.id() < DENSE) {
        maxDense = Math.max(maxDense, a.id());
      } else {
        sparse.put(a.id(), a);
      }
      byIdent.put(a.ident(), a);
    }
    Attribute[] dense = new Attribute[(int) (maxDense + 1)];
    for (Attribute a : attrs) {
      if (a.id() < DENSE) {
        dense[(int) a.id()] = a;
      }
    }
    // The maps were made here or copied for this schema alone: wrapped, not copied again (a
    // schema change copied every attribute four more times, most of a DDL statement's time once
    // a database has thousands of attributes).
    return new Schema(dense, java.util.Collections.unmodifiableMap(sparse),
        java.util.Collections.unmodifiableMap(byIdent), frozen(identToId), frozen(idToIdent), partitions);
  }

  private static <K, V> Map<K, V> frozen(Map<K, V> map) {
    return map instanceof HashMap ? java.util.Collections.unmodifiableMap(map) : map;
  }

  /** The attribute an entity's datoms define, or null when they define none. */
  private static Attribute define(long id, List<Datom> datoms, Map<Long, Keyword> idToIdent,
      Map<Keyword, Long> identToId) {
    Keyword ident = idToIdent.get(id);
    ValueType type = null;
    Boolean many = null;
    Keyword unique = null;
    boolean component = false;
    boolean noHistory = false;
    boolean indexed = false;
    boolean fulltext = false;
    String doc = null;
    List<Keyword> tupleAttrs = null;
    List<ValueType> tupleTypes = null;
    ValueType tupleType = null;
    List<Symbol> preds = new ArrayList<>();
    for (Datom d : datoms) {
      long a = d.a();
      Object v = d.v();
      if (a == Bootstrap.VALUE_TYPE) {
        type = Bootstrap.typeOf((Long) v);
      } else if (a == Bootstrap.CARDINALITY) {
        many = (Long) v == Bootstrap.CARDINALITY_MANY;
      } else if (a == Bootstrap.UNIQUE) {
        unique = (Long) v == Bootstrap.UNIQUE_IDENTITY ? Attribute.UNIQUE_IDENTITY
            : Attribute.UNIQUE_VALUE;
      } else if (a == Bootstrap.IS_COMPONENT) {
        component = (Boolean) v;
      } else if (a == Bootstrap.NO_HISTORY) {
        noHistory = (Boolean) v;
      } else if (a == Bootstrap.INDEX) {
        indexed = (Boolean) v;
      } else if (a == Bootstrap.FULLTEXT) {
        fulltext = (Boolean) v;
      } else if (a == Bootstrap.DOC) {
        doc = (String) v;
      } else if (a == Bootstrap.TUPLE_ATTRS) {
        tupleAttrs = keywords(v);
      } else if (a == Bootstrap.TUPLE_TYPES) {
        tupleTypes = new ArrayList<>();
        for (Keyword k : keywords(v)) {
          tupleTypes.add(ValueType.of(k));
        }
      } else if (a == Bootstrap.TUPLE_TYPE) {
        tupleType = ValueType.of((Keyword) v);
      } else if (a == Bootstrap.ATTR_PREDS) {
        preds.add((Symbol) v);
      }
    }
    if (ident == null || type == null || many == null) {
      return null;
    }
    long[] tupleAttrIds = null;
    if (tupleAttrs != null) {
      tupleAttrIds = new long[tupleAttrs.size()];
      for (int i = 0; i < tupleAttrIds.length; i++) {
        Long c = identToId.get(tupleAttrs.get(i));
        tupleAttrIds[i] = c == null ? -1 : c;
      }
    }
    preds.sort(null);
    return new Attribute(id, ident, type, many, unique, component, noHistory, indexed, fulltext,
        doc, tupleAttrs, tupleAttrIds, tupleTypes, tupleType, preds);
  }

  @SuppressWarnings("unchecked")
  private static List<Keyword> keywords(Object v) {
    return (List<Keyword>) v;
  }

  private static Map<Long, long[]> composites(java.util.Collection<Attribute> attrs) {
    Map<Long, long[]> out = new HashMap<>();
    for (Attribute a : attrs) {
      if (!a.isComposite()) {
        continue;
      }
      for (long c : a.tupleAttrIds()) {
        long[] prev = out.get(c);
        long[] next = prev == null ? new long[1] : Arrays.copyOf(prev, prev.length + 1);
        next[next.length - 1] = a.id();
        out.put(c, next);
      }
    }
    return out;
  }
}
