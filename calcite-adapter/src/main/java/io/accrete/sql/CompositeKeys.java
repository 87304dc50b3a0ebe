package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.TxReport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * PRIMARY KEY and UNIQUE constraints over several columns of a table SQL made (one column is an
 * attribute's {@code :db.unique/value}, which the transactor enforces). Checked on the value a
 * statement's transaction data would make: no two rows may hold the same values in all the
 * key's columns; a row with a NULL in one of them conflicts with none, as in SQL.
 */
final class CompositeKeys {
  private CompositeKeys() {}

  static void check(EntityTable t, Database db, List<Object> tx) {
    if (!t.sqlCreated()) {
      return;
    }
    List<List<String>> keys = new ArrayList<>();
    if (t.def.primaryKey().size() > 1) {
      keys.add(t.def.primaryKey());
    }
    for (List<String> u : t.def.uniques()) {
      if (u.size() > 1) {
        keys.add(u);
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    TxReport r = db.with(tx);
    Database after = r.dbAfter();
    Set<Long> written = new LinkedHashSet<>();
    for (Object o : tx) {
      List<?> f = (List<?>) o;
      Object e = f.get(1);
      Long id = e instanceof Long l ? l : r.tempids().get(e);
      if (id != null) {
        written.add(id);
      }
    }
    for (List<String> key : keys) {
      List<Attribute> attrs = new ArrayList<>();
      for (String c : key) {
        attrs.add(t.attributeOf(c));
      }
      for (long e : written) {
        List<Object> values = Datoms.tuple(after, e, attrs);
        if (values == null || !isRow(after, t, e)) {
          continue;
        }
        for (Datom d : after.datoms(Keyword.of(null, "avet"), attrs.get(0).id(), values.get(0))) {
          if (d.e() != e && isRow(after, t, d.e()) && Objects.equals(Datoms.tuple(after, d.e(), attrs), values)) {
            throw new AccreteSqlException("23505", "duplicate key value violates unique constraint \""
                + TableDef.constraintName(db, t.name, key) + "\": Key (" + String.join(", ", key) + ")=(" + String.join(", ", values.stream().map(String::valueOf)
                .toList()) + ") already exists");
          }
        }
      }
    }
  }

  private static boolean isRow(Database db, EntityTable t, long e) {
    return Datoms.has(db, e, t.members[0]);
  }
}
