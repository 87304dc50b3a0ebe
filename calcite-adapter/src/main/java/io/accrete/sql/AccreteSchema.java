package io.accrete.sql;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.schema.Schema;
import io.accrete.spi.IndexAccess;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.ViewTable;

/**
 * The Calcite schema of a database: the tables of {@link Mapping} and the views SQL created,
 * derived again whenever the database's schema or its SQL catalog ({@link SqlDdl#CATALOG})
 * changes, so a new attribute shows up as a column without a restart.
 */
final class AccreteSchema extends AbstractSchema {
  private final SqlSession session;
  private volatile SchemaPlus self;
  /** The connection whose statements read this schema: views are typed by it. */
  private volatile org.apache.calcite.jdbc.CalciteConnection connection;
  private volatile Object[] mappedFrom;
  /** The database value the mapping was last checked against. */
  private volatile Database checked;
  private volatile Map<String, Table> tables;
  private volatile Multimap<String, Function> views = ImmutableMultimap.of();

  AccreteSchema(SqlSession session) {
    this.session = session;
    session.schema(this);
  }

  SqlSession session() {
    return session;
  }

  /** The schema as Calcite holds it (views expand against it), and the connection that reads it (views are typed by it). */
  void self(SchemaPlus plus, org.apache.calcite.jdbc.CalciteConnection connection) {
    this.connection = connection;
    this.self = plus;
  }

  Map<String, Table> tableMap() {
    refresh();
    return tables;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tableMap();
  }

  /** Tables as they were at a point, by point (a few: each statement's AS OF names one). */
  private final Map<Object, Map<String, Table>> past = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Map<String, Table>> eldest) {
          return size() > 16;
        }
      });

  /**
   * The present tables, and under {@code name@point} ({@link PastTables} writes such names for
   * {@code FOR SYSTEM_TIME AS OF} a literal point) the table of that name as it was then, so a
   * dropped table, or the one a new table of the same name replaced, is read as it was.
   */
  @Override
  public org.apache.calcite.schema.lookup.Lookup<Table> tables() {
    org.apache.calcite.schema.lookup.Lookup<Table> present = super.tables();
    return new org.apache.calcite.schema.lookup.Lookup<>() {
      @Override
      public Table get(String name) {
        Table t = present.get(name);
        return t != null ? t : pastTable(name);
      }

      @Override
      public org.apache.calcite.schema.lookup.Named<Table> getIgnoreCase(String name) {
        org.apache.calcite.schema.lookup.Named<Table> t = present.getIgnoreCase(name);
        if (t != null) {
          return t;
        }
        Table then = pastTable(name);
        return then == null ? null : new org.apache.calcite.schema.lookup.Named<>(name, then);
      }

      @Override
      public java.util.Set<String> getNames(org.apache.calcite.schema.lookup.LikePattern pattern) {
        // Calcite may list the names and look up only those: the past ones this thread's
        // statement names are among them.
        java.util.Set<String> names = new java.util.LinkedHashSet<>(present.getNames(pattern));
        org.apache.calcite.linq4j.function.Predicate1<String> matches = pattern.matcher();
        for (String p : PastTables.named()) {
          if (matches.apply(p)) {
            names.add(p);
          }
        }
        return names;
      }
    };
  }

  private Table pastTable(String name) {
    Object[] ref = PastTables.parse(name);
    if (ref == null) {
      return null;
    }
    refresh();
    Database db = session.latest();
    Object point = ref[1];
    Map<String, Table> then = past.get(point);
    if (then == null) {
      try {
        then = Mapping.of(PastSchemas.at(db, point), session, db.asOf(point));
      } catch (RuntimeException e) {
        return null; // no such point: the statement's own AS OF says so when it runs
      }
      past.put(point, then);
    }
    Table table = then.get((String) ref[0]);
    Table now = tables.get((String) ref[0]);
    // The same table now and then: the present one, which plans and caches know.
    return table instanceof EntityTable e && now instanceof EntityTable n && e.sameAs(n) ? now : table;
  }

  @Override
  protected Multimap<String, Function> getFunctionMultimap() {
    refresh();
    return views;
  }

  private void refresh() {
    Database db = session.latest();
    if (db == checked) {
      return; // the same value as last time: nothing to read again (Calcite asks often)
    }
    Schema current = IndexAccess.of(db).schema();
    Object version = catalogVersion(db);
    Object[] key = mappedFrom;
    if (key == null || key[0] != current || !Objects.equals(key[1], version)) {
      synchronized (this) {
        key = mappedFrom;
        if (key == null || key[0] != current || !Objects.equals(key[1], version)) {
          Object asOf = session.asOfPoint();
          // A connection that reads the past sees the tables of then, dropped ones too.
          tables = asOf == null ? Mapping.of(current, session)
              : Mapping.of(PastSchemas.at(db, asOf), session, db.asOf(asOf));
          past.clear();
          views = views(db);
          mappedFrom = new Object[] {current, version};
        }
      }
    }
    checked = db;
  }

  private static Object catalogVersion(Database db) {
    if (db.attribute(SqlDdl.CATALOG) == null) {
      return null;
    }
    return Datoms.value(db, SqlDdl.CATALOG, SqlDdl.CATALOG);
  }

  private Multimap<String, Function> views(Database db) {
    if (db.attribute(SqlDdl.VIEW_NAME) == null || self == null) {
      return ImmutableMultimap.of();
    }
    ImmutableMultimap.Builder<String, Function> b = ImmutableMultimap.builder();
    for (Datom d : db.datoms(Keyword.of(null, "aevt"), SqlDdl.VIEW_NAME)) {
      Object query = Datoms.value(db, d.e(), SqlDdl.VIEW_QUERY);
      if (query != null) {
        String name = (String) d.v();
        b.put(name, connection == null ? ViewTable.viewMacro(self, (String) query, List.of(AccreteSql.SCHEMA),
            List.of(AccreteSql.SCHEMA, name), false)
            : new AccreteView(connection, org.apache.calcite.jdbc.CalciteSchema.from(self).root(), (String) query,
                List.of(AccreteSql.SCHEMA), List.of(AccreteSql.SCHEMA, name)));
      }
    }
    return b.build();
  }

  @Override
  public boolean isMutable() {
    return true;
  }
}
