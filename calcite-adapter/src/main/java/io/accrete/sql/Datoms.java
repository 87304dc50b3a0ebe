package io.accrete.sql;

import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import java.util.ArrayList;
import java.util.List;

/** The EAVT reads the SQL writes and the catalog make of one entity's attribute. */
final class Datoms {
  private static final Keyword EAVT = Keyword.of(null, "eavt");

  private Datoms() {}

  /** The attribute's value on the entity (the first, for a card-many one), or null. */
  static Object value(Database db, Object e, Object a) {
    for (Datom d : db.datoms(EAVT, e, a)) {
      return d.v();
    }
    return null;
  }

  /** Every value of the attribute on the entity. */
  static List<Object> values(Database db, Object e, Object a) {
    List<Object> out = new ArrayList<>();
    for (Datom d : db.datoms(EAVT, e, a)) {
      out.add(d.v());
    }
    return out;
  }

  /** Whether the entity has a value of the attribute. */
  static boolean has(Database db, Object e, Object a) {
    return db.datoms(EAVT, e, a).iterator().hasNext();
  }

  /** The entity's values of these attributes, in order, or null when one is missing (a NULL). */
  static List<Object> tuple(Database db, long e, List<io.accrete.Attribute> attrs) {
    List<Object> out = new java.util.ArrayList<>();
    for (io.accrete.Attribute a : attrs) {
      Object v = value(db, e, a.id());
      if (v == null) {
        return null;
      }
      out.add(v);
    }
    return out;
  }
}
