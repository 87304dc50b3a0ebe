package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.SchemaPlus;

/**
 * {@code INSERT … VALUES} of literals, run straight into a transaction: the rows a loader, a
 * test suite or a dump writes need no planning, and Calcite's (parse, validate, a UNION of one
 * projection per row when a value needs a cast, Janino) costs a new statement text a second per
 * thousand rows. The same {@link Modification} runs the rows, so keys, NOT NULL, lengths,
 * scales, foreign keys and identity columns are checked as on Calcite's path. Anything else —
 * an expression, a CHECK constraint, a DEFAULT expression to compute, a value that needs a
 * conversion — is left to Calcite ({@link #run} answers -1).
 */
final class LiteralInserts {
  private LiteralInserts() {}

  private static final JavaTypeFactory TYPES = new JavaTypeFactoryImpl(AccreteTypeSystem.INSTANCE);

  /** Runs the statement if it is such an INSERT: the rows inserted, else -1. */
  static long run(java.sql.Connection c, SqlSession session, String sql) {
    SqlCommandParser.InsertValues insert = SqlCommandParser.insertValues(sql);
    if (insert == null || !(session.tables().get(insert.table()) instanceof EntityTable t)
        || t.def != null && !t.def.checks().isEmpty()) {
      return -1;
    }
    List<RelDataTypeField> fields = t.getRowType(TYPES).getFieldList();
    int[] positions;
    if (insert.columns().isEmpty()) {
      positions = new int[Math.min(fields.size(), insert.rows().get(0).size())];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = i;
      }
    } else {
      positions = new int[insert.columns().size()];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = -1;
        for (int f = 0; f < fields.size(); f++) {
          if (fields.get(f).getName().equals(insert.columns().get(i))) {
            positions[i] = f;
          }
        }
        if (positions[i] < 0) {
          return -1; // Calcite names the unknown column
        }
      }
    }
    boolean[] given = new boolean[fields.size()];
    for (int p : positions) {
      given[p] = true;
    }
    for (int f = 0; f < fields.size(); f++) {
      if (!given[f] && hasDefault(t, fields.get(f).getName())) {
        return -1;
      }
    }
    List<Object[]> rows = new ArrayList<>(insert.rows().size());
    for (List<SqlCommandParser.Literal> values : insert.rows()) {
      if (values.size() != positions.length) {
        return -1;
      }
      Object[] row = new Object[fields.size()];
      for (int i = 0; i < positions.length; i++) {
        RelDataTypeField field = fields.get(positions[i]);
        SqlCommandParser.Literal l = values.get(i);
        if (l.kind() == 'D' && hasDefault(t, field.getName())) {
          return -1;
        }
        Object v = value(l, field);
        if (v == NONE) {
          return -1;
        }
        row[positions[i]] = v;
      }
      rows.add(row);
    }
    Modification m = new Modification(t, TableModify.Operation.INSERT, List.of(), false, fields.size(), 0, null);
    return m.run(context(c), Linq4j.asEnumerable(rows)).first();
  }

  private static boolean hasDefault(EntityTable t, String column) {
    TableDef.Col d = t.def == null ? null : t.def.column(column);
    return d != null && d.defaultSql() != null;
  }

  private static final Object NONE = new Object();

  /** A literal in the SQL internal form of the field's type, null for NULL, or {@link #NONE}. */
  private static Object value(SqlCommandParser.Literal l, RelDataTypeField field) {
    if (l.kind() == '0' || l.kind() == 'D') {
      return null;
    }
    switch (field.getType().getSqlTypeName()) {
      case BIGINT:
        return l.kind() == 'N' && l.text().matches("-?\\d{1,18}") ? (Object) Long.parseLong(l.text()) : NONE;
      case INTEGER:
        return l.kind() == 'N' && l.text().matches("-?\\d{1,9}") ? (Object) Integer.parseInt(l.text()) : NONE;
      case SMALLINT:
        return l.kind() == 'N' && l.text().matches("-?\\d{1,4}") ? (Object) Short.parseShort(l.text()) : NONE;
      case DATE:
        // PostgreSQL takes a date as quoted text; the ISO form is read here, others by Calcite.
        return l.kind() == 'S' && l.text().matches("\\d{4}-\\d{2}-\\d{2}")
            ? (Object) (int) java.time.LocalDate.parse(l.text()).toEpochDay() : NONE;
      case DOUBLE:
      case FLOAT:
        return l.kind() == 'N' ? (Object) Double.parseDouble(l.text()) : NONE;
      case REAL:
        return l.kind() == 'N' ? (Object) Float.parseFloat(l.text()) : NONE;
      case DECIMAL:
        return l.kind() == 'N' ? new BigDecimal(l.text()) : NONE;
      case VARCHAR:
      case CHAR:
        return l.kind() == 'S' ? l.text() : NONE;
      case BOOLEAN:
        return l.kind() == 'T' ? Boolean.TRUE : l.kind() == 'F' ? (Object) Boolean.FALSE : NONE;
      default:
        return NONE;
    }
  }

  /** What {@link Modification} asks of a statement's context: the connection running it. */
  private static DataContext context(java.sql.Connection c) {
    CalciteConnection calcite;
    try {
      calcite = c.unwrap(CalciteConnection.class);
    } catch (java.sql.SQLException e) {
      throw new AccreteSqlException("not an Accrete SQL connection: " + e.getMessage(), e);
    }
    return new StatementContext(new DataContext() {
      @Override
      public SchemaPlus getRootSchema() {
        return calcite.getRootSchema();
      }

      @Override
      public JavaTypeFactory getTypeFactory() {
        return TYPES;
      }

      @Override
      public QueryProvider getQueryProvider() {
        return calcite;
      }

      @Override
      public Object get(String name) {
        return null;
      }
    });
  }
}
