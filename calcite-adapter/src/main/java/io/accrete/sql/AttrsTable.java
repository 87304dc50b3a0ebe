package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.schema.ValueType;
import io.accrete.spi.IndexAccess;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code db__attrs}: the schema as a table, one row per attribute, with the SQL table and column
 * that show it (null for system attributes) and, for refs the metaschema declares, the table
 * they point into.
 */
final class AttrsTable extends AccreteTable {
  /** Per attribute id: its SQL table, column and declared ref target table. */
  private final Map<Long, String[]> sqlNames;

  AttrsTable(SqlSession session, Map<Long, String[]> sqlNames) {
    super(session, "db__attrs", List.of(Column.id("db__id"),
        Column.system("ident", ValueType.STRING), Column.system("value_type", ValueType.STRING),
        Column.system("is_many", ValueType.BOOLEAN), Column.system("is_unique", ValueType.STRING),
        Column.system("is_component", ValueType.BOOLEAN), Column.system("no_history", ValueType.BOOLEAN),
        Column.system("doc", ValueType.STRING), Column.system("sql_table", ValueType.STRING),
        Column.system("sql_column", ValueType.STRING), Column.system("sql_type", ValueType.STRING),
        Column.system("ref_table", ValueType.STRING)));
    this.sqlNames = sqlNames;
  }

  @Override
  double rowCount(Database db) {
    return IndexAccess.of(db).schema().attributes().size();
  }

  @Override
  Iterator<Object[]> rows(Database db, ScanSpec spec, List<Condition.Bound> bound) {
    List<Attribute> attrs = new ArrayList<>(IndexAccess.of(db).schema().attributes());
    attrs.sort(Comparator.comparingLong(Attribute::id));
    List<Object[]> rows = new ArrayList<>(attrs.size());
    for (Attribute a : attrs) {
      String[] names = sqlNames.getOrDefault(a.id(), new String[3]);
      rows.add(new Object[] {a.id(), a.ident().toString(), a.valueType().toString(),
          a.isMany(), a.unique() == null ? null : a.unique().toString(),
          a.isComponent(), a.isNoHistory(), a.doc(), names[0], names[1],
          a.type() == ValueType.TUPLE ? "ARRAY" : SqlTypes.name(a.type()), names[2]});
    }
    return rows.iterator();
  }
}
