package io.accrete.sql;

import io.accrete.db.Db;
import io.accrete.schema.Schema;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * The Calcite schema of a database: the tables of {@link Mapping}, derived again whenever the
 * database's schema changes, so a new attribute shows up as a column without a restart.
 */
final class AccreteSchema extends AbstractSchema {
  private final SqlSession session;
  private volatile Schema mappedFrom;
  private volatile Map<String, Table> tables;

  AccreteSchema(SqlSession session) {
    this.session = session;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    Schema current = ((Db) session.latest()).schema();
    if (current != mappedFrom) {
      synchronized (this) {
        if (current != mappedFrom) {
          tables = Mapping.of(current, session);
          mappedFrom = current;
        }
      }
    }
    return tables;
  }

  @Override
  public boolean isMutable() {
    return true;
  }
}
