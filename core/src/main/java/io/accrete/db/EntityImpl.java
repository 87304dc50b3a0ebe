package io.accrete.db;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.index.DatomCursor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The lazy entity view: attribute values load on first access and stay cached in this
 * object. Navigation goes through the same database value, so a graph walk sees one
 * consistent moment.
 */
final class EntityImpl implements Entity {
  private static final Keyword DB_ID = Keyword.of("db", "id");

  private final Db db;
  private final long id;
  private final Map<Keyword, Object> cache = new LinkedHashMap<>();
  private boolean touched;

  EntityImpl(Db db, long id) {
    this.db = db;
    this.id = id;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public Database db() {
    return db;
  }

  @Override
  public synchronized Object get(Object attr) {
    Keyword k = attr instanceof Keyword kw ? kw
        : attr instanceof String s ? Keyword.intern(s) : null;
    if (k == null) {
      throw Errors.db("not-an-attribute", "Entity attributes are keywords, not " + Errors.show(attr));
    }
    if (k.equals(DB_ID)) {
      return id;
    }
    if (cache.containsKey(k)) {
      return cache.get(k);
    }
    Object v = k.isReverse() ? reverse(k) : forward(k);
    cache.put(k, v);
    return v;
  }

  private Object forward(Keyword k) {
    Attribute a = db.attribute(k);
    if (a == null) {
      return null;
    }
    return valueOf(a, db.cursorEA(id, a.id()));
  }

  private Object valueOf(Attribute a, DatomCursor c) {
    if (!a.isMany()) {
      return c.next() ? convert(a, c.v()) : null;
    }
    Set<Object> out = new LinkedHashSet<>();
    while (c.next()) {
      out.add(convert(a, c.v()));
    }
    return out.isEmpty() ? null : Collections.unmodifiableSet(out);
  }

  private Object reverse(Keyword k) {
    Attribute a = db.attribute(Keyword.of(k.namespace(), k.name().substring(1)));
    if (a == null || !a.isRef()) {
      return null;
    }
    DatomCursor c = db.cursorVA(id, a.id());
    Set<Object> out = new LinkedHashSet<>();
    while (c.next()) {
      out.add(new EntityImpl(db, c.e()));
    }
    if (out.isEmpty()) {
      return null;
    }
    if (a.isComponent()) {
      return out.iterator().next();
    }
    return Collections.unmodifiableSet(out);
  }

  /** References become entities, or their ident keyword when they have one (enums). */
  private Object convert(Attribute a, Object v) {
    if (!a.isRef()) {
      return v;
    }
    long ref = (Long) v;
    Keyword ident = db.schema().ident(ref);
    return ident != null ? ident : new EntityImpl(db, ref);
  }

  @Override
  public synchronized Set<String> keySet() {
    Set<String> out = new LinkedHashSet<>();
    DatomCursor c = db.cursorE(id);
    long prev = Long.MIN_VALUE;
    while (c.next()) {
      if (c.a() != prev) {
        prev = c.a();
        Attribute a = db.schema().attribute(prev);
        out.add(a != null ? a.ident().toString() : String.valueOf(prev));
      }
    }
    return Collections.unmodifiableSet(out);
  }

  @Override
  public synchronized Entity touch() {
    if (!touched) {
      for (String k : keySet()) {
        get(k);
      }
      touched = true;
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntityImpl x && x.id == id && x.db == db;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + System.identityHashCode(db);
  }

  @Override
  public String toString() {
    return "{:db/id " + id + "}";
  }
}
