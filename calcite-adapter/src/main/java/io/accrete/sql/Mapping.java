package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Keyword;
import io.accrete.schema.Schema;
import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.schema.Table;

/**
 * The tables a schema shows, derived with no set-up:
 *
 * <ul>
 *   <li>one table per attribute namespace ({@code :person/name} → {@code person.name}), with
 *       {@code db__id} and a column per card-one attribute; a ref is a BIGINT column plus a
 *       {@code <column>__ident} VARCHAR column with the ident of the entity it points to (for
 *       enums); a tuple with a declared element type ({@code :db/tupleType}) is an ARRAY, other
 *       tuples one column per position, {@code <column>__1}, {@code <column>__2}, …;
 *   <li>one table per card-many attribute, {@code <table>_x_<column>}, with the entity id in a
 *       column named after the namespace table and the values in one named after the attribute;
 *   <li>{@code <table>__history} per namespace table; {@code datoms}, {@code transactions},
 *       {@code db__attrs}, {@code db__idents}, and the keys: {@code db__primary_keys},
 *       {@code db__foreign_keys} (see {@link KeysTables}).
 * </ul>
 *
 * <p>System namespaces ({@code db}, {@code db.*}, {@code fressian}) get no table; an attribute
 * without a namespace ({@code :trivia}) is a table of its own ({@code trivia (db__id, trivia)}). Names follow {@link SqlNames}. A {@link Metaschema} can choose the
 * tables and their membership attributes, hide attributes and rename columns.
 */
final class Mapping {
  private Mapping() {}

  /** An attribute's namespace; one without (:trivia) is a table of its own: trivia (db__id, trivia). */
  private static String namespace(Attribute a) {
    return a.ident().namespace() == null ? ":" + a.ident().name() : a.ident().namespace();
  }

  static Map<String, Table> of(Schema schema, SqlSession session) {
    return of(schema, session, session.latest());
  }

  /**
   * The tables of {@code schema}, their SQL definitions read from {@code db} (the value the schema
   * is of: a past one for a table read as it was).
   */
  static Map<String, Table> of(Schema schema, SqlSession session, io.accrete.Database db) {
    Metaschema ms = session.metaschema();
    // The system's attributes (dropped tables' ones among them, renamed into db.dropped.*) go
    // first, before the sort: a database that created and dropped many tables has more of them.
    List<Attribute> attrs = new ArrayList<>();
    for (Attribute a : schema.attributes()) {
      String ns = namespace(a);
      if (!(ns.equals("db") || ns.startsWith("db.") || ns.equals("fressian")
          || ns.equals("accrete.sql") || ns.startsWith("accrete.sql.") || ms.exclude.contains(a.ident()))) {
        attrs.add(a);
      }
    }
    attrs.sort(Comparator.comparingLong(Attribute::id));
    Map<String, List<Attribute>> byNamespace = new LinkedHashMap<>();
    for (Attribute a : attrs) {
      byNamespace.computeIfAbsent(namespace(a), k -> new ArrayList<>()).add(a);
    }
    // The tables: every namespace, or those of the metaschema's membership attributes.
    List<Object[]> planned = new ArrayList<>(); // namespace, name or null, membership or null
    if (ms.tables == null) {
      for (String ns : byNamespace.keySet()) {
        planned.add(new Object[] {ns, null, null});
      }
    } else {
      for (Map.Entry<Keyword, String> t : ms.tables.entrySet()) {
        planned.add(new Object[] {t.getKey().namespace(), t.getValue(), schema.attribute(t.getKey())});
      }
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    Map<Long, String[]> sqlNames = new HashMap<>();
    SqlNames.Unique tableNames = new SqlNames.Unique()
        .reserve("datoms").reserve("transactions").reserve("db__attrs").reserve("db__idents")
        .reserve("db__primary_keys").reserve("db__foreign_keys");
    List<Object[]> many = new ArrayList<>();
    List<Object[]> primaryKeys = new ArrayList<>();
    List<String[]> owners = new ArrayList<>();
    List<KeysTables.Link> refs = new ArrayList<>();
    List<Object[]> declaredKeys = new ArrayList<>();
    Map<Long, String> memberOf = new HashMap<>();
    for (Object[] plan : planned) {
      String ns = (String) plan[0];
      Attribute membership = (Attribute) plan[2];
      List<Attribute> nsAttrs = byNamespace.getOrDefault(ns, List.of());
      if (ns.startsWith(":") && nsAttrs.size() == 1 && nsAttrs.get(0).isMany()) {
        many.add(new Object[] {null, SqlNames.of(nsAttrs.get(0).ident().name()), nsAttrs.get(0)});
        continue; // a card-many attribute without a namespace: trivia (db__id, trivia) alone
      }
      String tableName = tableNames.claim(plan[1] != null ? (String) plan[1] : SqlNames.of(ns));
      SqlNames.Unique columnNames = new SqlNames.Unique().reserve("db__id");
      List<Column> columns = new ArrayList<>();
      columns.add(Column.id("db__id"));
      // A table SQL created: its row marker makes the rows; its definition says the rest.
      Attribute rowMarker = membership == null ? rowMarker(nsAttrs) : null;
      TableDef def = rowMarker == null ? null : definition(db, rowMarker);
      if (rowMarker != null) {
        membership = rowMarker;
      }
      Map<String, Attribute> byColumn = new LinkedHashMap<>();
      for (Attribute a : nsAttrs) {
        if (a == rowMarker) {
          continue;
        }
        String renamed = ms.rename.get(a.ident());
        String col = columnNames.claim(renamed != null ? renamed : SqlNames.of(a.ident().name()));
        sqlNames.put(a.id(), new String[] {tableName, col, ms.joins.get(a.ident())});
        byColumn.put(col, a);
        if (a.isMany()) {
          many.add(new Object[] {tableName, col, a});
        } else {
          List<Column> shown = valueColumns(col, a, schema);
          TableDef.Col declared = def == null ? null : def.column(col);
          org.apache.calcite.sql.type.SqlTypeName as = declared == null || shown.size() != 1 ? null
              : Column.presentation(declared.type(), a.type());
          columns.addAll(as == null ? shown : List.of(shown.get(0).withDeclared(as)));
          if (a.isRef()) {
            refs.add(new KeysTables.Link(tableName, col, a, ms.joins.get(a.ident())));
          }
        }
      }
      long[] members = membership != null ? new long[] {membership.id()}
          : nsAttrs.stream().mapToLong(Attribute::id).toArray();
      for (long m : members) {
        memberOf.put(m, tableName);
      }
      if (def == null) {
        primaryKeys.add(new Object[] {tableName, "db__id", 1L});
      } else {
        for (int k = 0; k < def.primaryKey().size(); k++) { // a table SQL made: its declared key
          primaryKeys.add(new Object[] {tableName, def.primaryKey().get(k), (long) k + 1});
        }
        Map<String, String> names = new HashMap<>();
        def.constraints(tableName).forEach((name, descriptor) -> names.put(descriptor, name));
        for (SqlCommand.ForeignKey fk : def.foreignKeys()) {
          String name = names.get(TableDef.descriptor("FOREIGN KEY", fk.columns(), null));
          for (int k = 0; k < fk.columns().size(); k++) {
            declaredKeys.add(new Object[] {tableName, fk.columns().get(k), fk.table(),
                k < fk.refColumns().size() ? fk.refColumns().get(k) : null, name, (long) k + 1});
          }
        }
      }
      EntityTable table = new EntityTable(session, tableName, ns, columns, members, def, byColumn,
          nsAttrs.stream().mapToLong(Attribute::id).toArray());
      tables.put(tableName, table);
      String history = tableNames.claim(tableName + "__history");
      tables.put(history, new HistoryTable(session, history, table));
    }
    for (Object[] x : many) {
      String owner = (String) x[0];
      Attribute a = (Attribute) x[2];
      if (owner == null) {
        String name = tableNames.claim((String) x[1]);
        List<Column> columns = new ArrayList<>();
        columns.add(Column.id("db__id"));
        columns.addAll(valueColumns((String) x[1], a, schema));
        sqlNames.put(a.id(), new String[] {name, (String) x[1], ms.joins.get(a.ident())});
        tables.put(name, new ManyTable(session, name, a, columns));
        primaryKeys.add(new Object[] {name, "db__id", 1L});
        primaryKeys.add(new Object[] {name, columns.get(1).name(), 2L});
        if (a.isRef()) {
          refs.add(new KeysTables.Link(name, columns.get(1).name(), a, ms.joins.get(a.ident())));
        }
        continue;
      }
      String name = tableNames.claim(owner + "_x_" + x[1]);
      SqlNames.Unique columnNames = new SqlNames.Unique().reserve(owner);
      List<Column> columns = new ArrayList<>();
      columns.add(Column.id(owner));
      columns.addAll(valueColumns(columnNames.claim((String) x[1]), a, schema));
      sqlNames.put(a.id(), new String[] {name, (String) x[1], ms.joins.get(a.ident())});
      tables.put(name, new ManyTable(session, name, a, columns));
      primaryKeys.add(new Object[] {name, owner, 1L});
      primaryKeys.add(new Object[] {name, columns.get(1).name(), 2L});
      owners.add(new String[] {name, owner, owner});
      if (a.isRef()) {
        refs.add(new KeysTables.Link(name, columns.get(1).name(), a, ms.joins.get(a.ident())));
      }
    }
    tables.put("db__primary_keys", new KeysTables.PrimaryKeys(session, primaryKeys));
    tables.put("db__foreign_keys", new KeysTables.ForeignKeys(session, owners, refs, memberOf, declaredKeys));
    tables.put("datoms", new DatomsTable(session));
    tables.put("transactions", new TransactionsTable(session));
    tables.put("db__attrs", new AttrsTable(session, sqlNames));
    tables.put("db__idents", new IdentsTable(session));
    return tables;
  }

  /** The row-marker attribute of a namespace SQL created ({@code :t/db__row}), or null. */
  private static Attribute rowMarker(List<Attribute> nsAttrs) {
    for (Attribute a : nsAttrs) {
      if (a.ident().name().equals(TableDef.ROW) && a.type() == ValueType.BOOLEAN && !a.isMany()) {
        return a;
      }
    }
    return null;
  }

  private static TableDef definition(io.accrete.Database db, Attribute rowMarker) {
    if (db.attribute(TableDef.ATTR) == null) {
      return null;
    }
    Object edn = Datoms.value(db, rowMarker.id(), TableDef.ATTR);
    return edn == null ? null : TableDef.fromEdn((String) edn);
  }

  /** The columns that show an attribute's values. */
  private static List<Column> valueColumns(String col, Attribute a, Schema schema) {
    if (a.type() != ValueType.TUPLE) {
      List<Column> out = new ArrayList<>();
      out.add(new Column(col, Column.Kind.VALUE, a, a.type(), -1));
      if (a.isRef()) {
        out.add(new Column(col + "__ident", Column.Kind.IDENT, a, ValueType.REF, -1));
      }
      return out;
    }
    if (a.tupleType() != null) {
      return List.of(new Column(col, Column.Kind.ARRAY, a, ValueType.TUPLE, -1));
    }
    List<ValueType> types = new ArrayList<>();
    if (a.isComposite()) {
      for (long id : a.tupleAttrIds()) {
        types.add(schema.attribute(id).type());
      }
    } else {
      types.addAll(a.tupleTypes());
    }
    List<Column> out = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      out.add(new Column(col + "__" + (i + 1), Column.Kind.TUPLE_PART, a, types.get(i), i));
    }
    return out;
  }
}
