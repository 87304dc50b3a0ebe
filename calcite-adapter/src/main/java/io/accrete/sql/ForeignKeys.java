package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.Keyword;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.schema.Table;

/**
 * FOREIGN KEY constraints of tables SQL made, checked on the value a statement's transaction
 * data would make: every value written to a referencing column is a value of the referenced
 * column, and no value removed from a referenced column is still referenced (NO ACTION), so a
 * violating statement fails with 23503 and writes nothing.
 */
final class ForeignKeys {
  private static final Keyword ADD = Keyword.of("db", "add");
  private static final Keyword CAS = Keyword.of("db", "cas");
  private static final Keyword RETRACT = Keyword.of("db", "retract");

  private ForeignKeys() {}

  /** Checks {@code tx}, a statement's data on table {@code t}, against {@code db}, the value it read. */
  static void check(EntityTable t, Database db, List<Object> tx) {
    checkSeveralColumns(t, db, tx);
    List<Object[]> outgoing = new ArrayList<>(); // referencing attribute, referenced attribute, names
    if (t.sqlCreated()) {
      for (SqlCommand.ForeignKey fk : t.def.foreignKeys()) {
        EntityTable target = fk.table().equals(t.name) ? t : table(t, fk.table());
        if (target != null && fk.columns().size() == 1) {
          outgoing.add(new Object[] {t.attributeOf(fk.columns().get(0)), target.attributeOf(fk.refColumns().get(0)), fk});
        }
      }
    }
    List<Object[]> incoming = new ArrayList<>();
    for (Table other : t.session.tables().values()) {
      if (other instanceof EntityTable o && o.sqlCreated()) {
        for (SqlCommand.ForeignKey fk : o.def.foreignKeys()) {
          if (fk.table().equals(t.name) && fk.columns().size() == 1) {
            incoming.add(new Object[] {o.attributeOf(fk.columns().get(0)), t.attributeOf(fk.refColumns().get(0)), fk, o});
          }
        }
      }
    }
    if (outgoing.isEmpty() && incoming.isEmpty()) {
      return;
    }
    Database after = null;
    for (Object[] fk : outgoing) {
      Attribute from = (Attribute) fk[0];
      Attribute to = (Attribute) fk[1];
      for (Object v : written(tx, from.id())) {
        if (has(db, to, v)) {
          continue;
        }
        after = after != null ? after : db.with(tx).dbAfter();
        if (!has(after, to, v)) {
          SqlCommand.ForeignKey k = (SqlCommand.ForeignKey) fk[2];
          throw new AccreteSqlException("23503", "insert or update on table \"" + t.name + "\" violates foreign key"
              + " constraint: Key (" + k.columns().get(0) + ")=(" + v + ") is not present in table \"" + k.table() + "\"");
        }
      }
    }
    for (Object[] fk : incoming) {
      Attribute from = (Attribute) fk[0];
      Attribute to = (Attribute) fk[1];
      for (Object v : removed(tx, to.id())) {
        after = after != null ? after : db.with(tx).dbAfter();
        if (!has(after, to, v) && has(after, from, v)) {
          SqlCommand.ForeignKey k = (SqlCommand.ForeignKey) fk[2];
          throw new AccreteSqlException("23503", "update or delete on table \"" + t.name + "\" violates foreign key"
              + " constraint on table \"" + ((EntityTable) fk[3]).name + "\": Key (" + k.refColumns().get(0) + ")=("
              + v + ") is still referenced from table \"" + ((EntityTable) fk[3]).name + "\"");
        }
      }
    }
  }

  /**
   * Foreign keys of several columns (MATCH SIMPLE: a row with a NULL in one of them references
   * nothing): every written row's values are those of some row of the referenced table, and no
   * row whose values are still referenced stops having them.
   */
  private static void checkSeveralColumns(EntityTable t, Database db, List<Object> tx) {
    List<Object[]> keys = new ArrayList<>(); // referencing table, fk, referenced table
    for (Table other : t.session.tables().values()) {
      if (other instanceof EntityTable o && o.sqlCreated()) {
        for (SqlCommand.ForeignKey fk : o.def.foreignKeys()) {
          if (fk.columns().size() > 1 && (o == t || fk.table().equals(t.name))) {
            EntityTable target = fk.table().equals(o.name) ? o : table(t, fk.table());
            if (target != null) {
              keys.add(new Object[] {o, fk, target});
            }
          }
        }
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    io.accrete.TxReport report = db.with(tx);
    Database after = report.dbAfter();
    java.util.Set<Long> touched = new LinkedHashSet<>();
    for (Object o : tx) {
      Object e = ((List<?>) o).get(1);
      Long id = e instanceof Long l ? l : report.tempids().get(e);
      if (id != null) {
        touched.add(id);
      }
    }
    for (Object[] k : keys) {
      EntityTable from = (EntityTable) k[0];
      SqlCommand.ForeignKey fk = (SqlCommand.ForeignKey) k[1];
      EntityTable to = (EntityTable) k[2];
      List<Attribute> fromAttrs = fk.columns().stream().map(from::attributeOf).toList();
      List<Attribute> toAttrs = fk.refColumns().stream().map(to::attributeOf).toList();
      if (from == t) { // rows written here reference rows that exist
        for (long e : touched) {
          List<Object> values = isRow(after, t, e) ? Datoms.tuple(after, e, fromAttrs) : null;
          if (values != null && !hasRow(after, to, toAttrs, values)) {
            throw new AccreteSqlException("23503", "insert or update on table \"" + t.name + "\" violates foreign key"
                + " constraint: Key (" + String.join(", ", fk.columns()) + ")=(" + show(values)
                + ") is not present in table \"" + to.name + "\"");
          }
        }
      }
      if (to == t) { // rows changed or deleted here are not referenced any more
        for (long e : touched) {
          List<Object> values = isRow(db, t, e) ? Datoms.tuple(db, e, toAttrs) : null;
          if (values != null && !hasRow(after, t, toAttrs, values) && hasRow(after, from, fromAttrs, values)) {
            throw new AccreteSqlException("23503", "update or delete on table \"" + t.name + "\" violates foreign key"
                + " constraint on table \"" + from.name + "\": Key (" + String.join(", ", fk.refColumns()) + ")=("
                + show(values) + ") is still referenced from table \"" + from.name + "\"");
          }
        }
      }
    }
  }

  /** Whether some row of {@code table} holds these values in these attributes. */
  static boolean hasRow(Database db, EntityTable table, List<Attribute> attrs, List<Object> values) {
    for (io.accrete.Datom d : db.datoms(Keyword.of(null, "avet"), attrs.get(0).id(), values.get(0))) {
      if (isRow(db, table, d.e()) && values.equals(Datoms.tuple(db, d.e(), attrs))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRow(Database db, EntityTable t, long e) {
    return !t.sqlCreated() || Datoms.has(db, e, t.members[0]);
  }

  private static String show(List<Object> values) {
    return String.join(", ", values.stream().map(String::valueOf).toList());
  }

  private static EntityTable table(EntityTable t, String name) {
    return t.session.tables().get(name) instanceof EntityTable e ? e : null;
  }

  private static boolean has(Database db, Attribute a, Object v) {
    return db.datoms(Keyword.of(null, "avet"), a.id(), v).iterator().hasNext();
  }

  /** The values the data asserts for an attribute. */
  private static Set<Object> written(List<Object> tx, long attr) {
    Set<Object> out = new LinkedHashSet<>();
    for (Object o : tx) {
      List<?> f = (List<?>) o;
      if (f.get(0).equals(ADD) && f.get(2).equals(attr)) {
        out.add(f.get(3));
      } else if (f.get(0).equals(CAS) && f.get(2).equals(attr) && f.get(4) != null) {
        out.add(f.get(4));
      }
    }
    return out;
  }

  /** The values the data retracts (or replaces) of an attribute. */
  private static Set<Object> removed(List<Object> tx, long attr) {
    Set<Object> out = new LinkedHashSet<>();
    for (Object o : tx) {
      List<?> f = (List<?>) o;
      if (f.get(0).equals(RETRACT) && f.get(2).equals(attr) && f.size() > 3) {
        out.add(f.get(3));
      } else if (f.get(0).equals(CAS) && f.get(2).equals(attr) && f.get(3) != null) {
        out.add(f.get(3));
      }
    }
    return out;
  }
}
