package io.accrete.sql;

import io.accrete.Keyword;
import io.accrete.edn.Edn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code CREATE TABLE} said of a table beyond its attributes: declared types, NOT NULL,
 * defaults, keys and checks. It is kept in the database as EDN text on the table's row-marker
 * attribute ({@link #ATTR}), so it travels in time with the table.
 *
 * @param columns the declared columns, in order
 * @param primaryKey the primary key's columns (empty: none)
 * @param uniques the UNIQUE column sets
 * @param checks the CHECK expressions' texts
 * @param foreignKeys the FOREIGN KEYs, their referenced columns named (a table's primary key when
 *     the statement named none)
 * @param constraintNames the names statements gave constraints ({@code CONSTRAINT name …}), by
 *     name, each to its {@link #descriptor}; the others have PostgreSQL's default names
 */
record TableDef(List<Col> columns, List<String> primaryKey, List<List<String>> uniques, List<String> checks,
    List<SqlCommand.ForeignKey> foreignKeys, Map<String, String> constraintNames) {
  TableDef(List<Col> columns, List<String> primaryKey, List<List<String>> uniques, List<String> checks,
      List<SqlCommand.ForeignKey> foreignKeys) {
    this(columns, primaryKey, uniques, checks, foreignKeys, Map.of());
  }

  /** The attribute holding a table's definition, on its row-marker attribute's entity. */
  static final Keyword ATTR = Keyword.of("accrete.sql", "table");
  /** The name of every SQL table's row-marker attribute: an entity with it is a row. */
  static final String ROW = "db__row";

  /**
   * A declared column.
   *
   * @param name its SQL name (also its attribute's name)
   * @param type the declared type as written
   * @param notNull whether NULL is refused
   * @param defaultSql the DEFAULT expression's text, or null
   * @param sequence the sequence that numbers an identity (or SERIAL) column, or null
   */
  record Col(String name, String type, boolean notNull, String defaultSql, String sequence) {
    Col(String name, String type, boolean notNull, String defaultSql) {
      this(name, type, notNull, defaultSql, null);
    }
  }

  Col column(String name) {
    for (Col c : columns) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  String toEdn() {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    List<Object> cols = new ArrayList<>();
    for (Col c : columns) {
      Map<Keyword, Object> cm = new LinkedHashMap<>();
      cm.put(Keyword.of(null, "name"), c.name);
      cm.put(Keyword.of(null, "type"), c.type);
      cm.put(Keyword.of(null, "not-null"), c.notNull);
      if (c.defaultSql != null) {
        cm.put(Keyword.of(null, "default"), c.defaultSql);
      }
      if (c.sequence != null) {
        cm.put(Keyword.of(null, "sequence"), c.sequence);
      }
      cols.add(cm);
    }
    m.put(Keyword.of(null, "columns"), cols);
    m.put(Keyword.of(null, "primary-key"), primaryKey);
    m.put(Keyword.of(null, "unique"), uniques);
    m.put(Keyword.of(null, "checks"), checks);
    List<Object> fks = new ArrayList<>();
    for (SqlCommand.ForeignKey fk : foreignKeys) {
      fks.add(List.of(fk.columns(), fk.table(), fk.refColumns()));
    }
    m.put(Keyword.of(null, "foreign-keys"), fks);
    if (!constraintNames.isEmpty()) {
      m.put(Keyword.of(null, "constraint-names"), constraintNames);
    }
    return Edn.print(m);
  }

  @SuppressWarnings("unchecked")
  static TableDef fromEdn(String text) {
    Map<Object, Object> m = (Map<Object, Object>) Edn.read(text);
    List<Col> cols = new ArrayList<>();
    for (Object o : (List<Object>) m.get(Keyword.of(null, "columns"))) {
      Map<Object, Object> c = (Map<Object, Object>) o;
      cols.add(new Col((String) c.get(Keyword.of(null, "name")), (String) c.get(Keyword.of(null, "type")),
          Boolean.TRUE.equals(c.get(Keyword.of(null, "not-null"))), (String) c.get(Keyword.of(null, "default")),
          (String) c.get(Keyword.of(null, "sequence"))));
    }
    List<List<String>> uniques = new ArrayList<>();
    for (Object u : (List<Object>) m.getOrDefault(Keyword.of(null, "unique"), List.of())) {
      uniques.add(strings(u));
    }
    List<SqlCommand.ForeignKey> fks = new ArrayList<>();
    for (Object o : (List<Object>) m.getOrDefault(Keyword.of(null, "foreign-keys"), List.of())) {
      List<Object> f = (List<Object>) o;
      fks.add(new SqlCommand.ForeignKey(strings(f.get(0)), (String) f.get(1), strings(f.get(2))));
    }
    Map<String, String> names = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : ((Map<Object, Object>) m.getOrDefault(Keyword.of(null, "constraint-names"),
        Map.of())).entrySet()) {
      names.put((String) e.getKey(), (String) e.getValue());
    }
    return new TableDef(cols, strings(m.getOrDefault(Keyword.of(null, "primary-key"), List.of())), uniques,
        strings(m.getOrDefault(Keyword.of(null, "checks"), List.of())), fks, names);
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) list) {
      out.add((String) o);
    }
    return out;
  }

  /** The same definition with another column list (ALTER TABLE). */
  TableDef withColumns(List<Col> cols) {
    return new TableDef(cols, primaryKey, uniques, checks, foreignKeys, constraintNames);
  }

  // ---- constraints by name ----

  /** What identifies a constraint in a definition, whatever its name. */
  static String descriptor(String kind, List<String> columns, String check) {
    return switch (kind) {
      case "PRIMARY KEY" -> "PRIMARY KEY";
      case "CHECK" -> "CHECK " + check;
      default -> kind + " (" + String.join(",", columns) + ")";
    };
  }

  /**
   * Every constraint by name, in PostgreSQL's order of kinds: a name a statement gave it, else
   * PostgreSQL's default ({@code t_pkey}, {@code t_a_b_key}, {@code t_a_fkey}, {@code t_check}).
   */
  Map<String, String> constraints(String table) {
    Map<String, String> byDescriptor = new LinkedHashMap<>();
    constraintNames.forEach((name, d) -> byDescriptor.put(d, name));
    Map<String, String> out = new LinkedHashMap<>();
    if (!primaryKey.isEmpty()) {
      name(out, byDescriptor, descriptor("PRIMARY KEY", primaryKey, null), table + "_pkey");
    }
    for (List<String> u : uniques) {
      name(out, byDescriptor, descriptor("UNIQUE", u, null), table + "_" + String.join("_", u) + "_key");
    }
    for (SqlCommand.ForeignKey fk : foreignKeys) {
      name(out, byDescriptor, descriptor("FOREIGN KEY", fk.columns(), null),
          table + "_" + String.join("_", fk.columns()) + "_fkey");
    }
    for (String c : checks) {
      name(out, byDescriptor, descriptor("CHECK", null, c), table + "_check");
    }
    return out;
  }

  private static void name(Map<String, String> out, Map<String, String> given, String descriptor, String dflt) {
    String name = given.get(descriptor);
    if (name == null) {
      name = dflt;
      for (int i = 1; out.containsKey(name); i++) {
        name = dflt + i;
      }
    }
    out.put(name, descriptor);
  }

  /**
   * The name of the PRIMARY KEY or UNIQUE constraint on these columns of a table in {@code db}:
   * the table's own name for it, else PostgreSQL's default ({@code t_c_key}).
   */
  static String constraintName(io.accrete.Database db, String table, List<String> columns) {
    io.accrete.Attribute marker = db.attribute(Keyword.of(table, ROW));
    io.accrete.Attribute defAttr = db.attribute(ATTR);
    if (marker != null && defAttr != null && Datoms.value(db, marker.id(), defAttr.id()) instanceof String edn) {
      TableDef def = fromEdn(edn);
      String wanted = def.primaryKey().equals(columns) ? descriptor("PRIMARY KEY", columns, null)
          : descriptor("UNIQUE", columns, null);
      for (Map.Entry<String, String> e : def.constraints(table).entrySet()) {
        if (e.getValue().equals(wanted)) {
          return e.getKey();
        }
      }
    }
    return table + "_" + String.join("_", columns) + "_key";
  }

  /** The definition with a constraint's name recorded. */
  TableDef named(String name, String descriptor) {
    Map<String, String> names = new LinkedHashMap<>(constraintNames);
    names.put(name, descriptor);
    return new TableDef(columns, primaryKey, uniques, checks, foreignKeys, names);
  }

  /** The definition without the constraint {@code descriptor} names. */
  TableDef without(String descriptor) {
    Map<String, String> names = new LinkedHashMap<>(constraintNames);
    names.values().remove(descriptor);
    List<List<String>> u = new ArrayList<>(uniques);
    u.removeIf(cols -> descriptor("UNIQUE", cols, null).equals(descriptor));
    List<String> c = new ArrayList<>(checks);
    c.removeIf(text -> descriptor("CHECK", null, text).equals(descriptor));
    List<SqlCommand.ForeignKey> f = new ArrayList<>(foreignKeys);
    f.removeIf(fk -> descriptor("FOREIGN KEY", fk.columns(), null).equals(descriptor));
    return new TableDef(columns, descriptor.equals("PRIMARY KEY") ? List.of() : primaryKey, u, c, f, names);
  }
}
