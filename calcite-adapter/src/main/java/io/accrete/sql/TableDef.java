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
 */
record TableDef(List<Col> columns, List<String> primaryKey, List<List<String>> uniques, List<String> checks,
    List<SqlCommand.ForeignKey> foreignKeys) {
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
    return new TableDef(cols, strings(m.getOrDefault(Keyword.of(null, "primary-key"), List.of())), uniques,
        strings(m.getOrDefault(Keyword.of(null, "checks"), List.of())), fks);
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
    return new TableDef(cols, primaryKey, uniques, checks, foreignKeys);
  }
}
