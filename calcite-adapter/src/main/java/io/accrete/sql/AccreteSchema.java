package io.accrete.sql;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.db.Db;
import io.accrete.schema.Schema;
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

  /** The schema as Calcite holds it (views expand against it). */
  void self(SchemaPlus plus) {
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
    Schema current = ((Db) db).schema();
    Object version = catalogVersion(db);
    Object[] key = mappedFrom;
    if (key == null || key[0] != current || !Objects.equals(key[1], version)) {
      synchronized (this) {
        key = mappedFrom;
        if (key == null || key[0] != current || !Objects.equals(key[1], version)) {
          tables = Mapping.of(current, session);
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
        b.put(name, ViewTable.viewMacro(self, (String) query, List.of(AccreteSql.SCHEMA),
            List.of(AccreteSql.SCHEMA, name), false));
      }
    }
    return b.build();
  }

  @Override
  public boolean isMutable() {
    return true;
  }
}
