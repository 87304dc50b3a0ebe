package io.accrete.sql;

import io.accrete.Keyword;
import io.accrete.edn.Edn;
import io.accrete.edn.EdnException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An optional EDN file that takes control of the mapping, in the spirit of Datomic Analytics'
 * metaschema. Every key is optional:
 *
 * <pre>
 * {:tables  {:person/name {}                  ; a table per membership attribute: an entity is a
 *            :movie/title {:name "film"}}     ;   row when it has that attribute; other namespaces
 *                                             ;   get no table
 *  :exclude [:person/ssn]                     ; attributes shown nowhere
 *  :rename  {:movie/year "release_year"}      ; column names
 *  :joins   {:movie/director "person"}}       ; the table a ref points into (db__attrs.ref_table)
 * </pre>
 *
 * <p>Without a file every namespace is a table and an entity is a row of every namespace it has
 * an attribute of. Given with the connection property {@code metaschema} (a file path).
 */
final class Metaschema {
  static final Metaschema NONE = new Metaschema(null, Set.of(), Map.of(), Map.of());

  /** Membership attribute → table name (null: named after the namespace); null for none. */
  final Map<Keyword, String> tables;
  final Set<Keyword> exclude;
  final Map<Keyword, String> rename;
  final Map<Keyword, String> joins;

  private Metaschema(Map<Keyword, String> tables, Set<Keyword> exclude, Map<Keyword, String> rename,
      Map<Keyword, String> joins) {
    this.tables = tables;
    this.exclude = exclude;
    this.rename = rename;
    this.joins = joins;
  }

  /** Reads a metaschema file; errors name the file and the entry at fault. */
  static Metaschema read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AccreteSqlException("Cannot read the metaschema file " + file + ": " + e.getMessage(), e);
    }
    Object form;
    try {
      form = Edn.read(text);
    } catch (EdnException e) {
      throw new AccreteSqlException("The metaschema file " + file + " is not valid EDN: " + e.getMessage(), e);
    }
    String where = "metaschema " + file;
    if (!(form instanceof Map<?, ?> m)) {
      throw new AccreteSqlException(where + ": expected a map such as {:tables {:person/name {}}}");
    }
    Map<Keyword, String> tables = null;
    Set<Keyword> exclude = new HashSet<>();
    Map<Keyword, String> rename = new HashMap<>();
    Map<Keyword, String> joins = new HashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      switch (key) {
        case ":tables" -> {
          tables = new LinkedHashMap<>();
          for (Map.Entry<?, ?> t : map(e.getValue(), where + " :tables").entrySet()) {
            Keyword attr = attribute(t.getKey(), where + " :tables");
            Object name = map(t.getValue(), where + " :tables " + attr).get(Keyword.of(null, "name"));
            tables.put(attr, name == null ? null : name(name, where + " :tables " + attr + " :name"));
          }
        }
        case ":exclude" -> {
          if (!(e.getValue() instanceof Collection<?> c)) {
            throw new AccreteSqlException(where + " :exclude: expected a vector of attributes");
          }
          for (Object a : c) {
            exclude.add(attribute(a, where + " :exclude"));
          }
        }
        case ":rename" -> {
          for (Map.Entry<?, ?> r : map(e.getValue(), where + " :rename").entrySet()) {
            Keyword attr = attribute(r.getKey(), where + " :rename");
            rename.put(attr, name(r.getValue(), where + " :rename " + attr));
          }
        }
        case ":joins" -> {
          for (Map.Entry<?, ?> j : map(e.getValue(), where + " :joins").entrySet()) {
            Keyword attr = attribute(j.getKey(), where + " :joins");
            joins.put(attr, name(j.getValue(), where + " :joins " + attr));
          }
        }
        default -> throw new AccreteSqlException(where + ": unknown key " + key
            + "; the keys are :tables, :exclude, :rename and :joins");
      }
    }
    return new Metaschema(tables, Set.copyOf(exclude), Map.copyOf(rename), Map.copyOf(joins));
  }

  /** Checks that every attribute the file names exists. */
  void check(io.accrete.schema.Schema schema, String file) {
    List<Collection<Keyword>> all = List.of(tables == null ? Set.of() : tables.keySet(), exclude,
        rename.keySet(), joins.keySet());
    for (Collection<Keyword> c : all) {
      for (Keyword k : c) {
        if (schema.attribute(k) == null) {
          throw new AccreteSqlException("metaschema " + file + " names " + k
              + ", which is not an attribute of the database");
        }
      }
    }
  }

  private static Map<?, ?> map(Object x, String where) {
    if (!(x instanceof Map<?, ?> m)) {
      throw new AccreteSqlException(where + ": expected a map, not " + Edn.print(x));
    }
    return m;
  }

  private static Keyword attribute(Object x, String where) {
    if (!(x instanceof Keyword k) || k.namespace() == null) {
      throw new AccreteSqlException(where + ": expected an attribute such as :person/name, not " + Edn.print(x));
    }
    return k;
  }

  private static String name(Object x, String where) {
    if (!(x instanceof String s) || !s.matches("[a-z_][a-z0-9_]*")) {
      throw new AccreteSqlException(where + ": expected a lower-case SQL name such as \"release_year\", not "
          + Edn.print(x));
    }
    return s;
  }
}
