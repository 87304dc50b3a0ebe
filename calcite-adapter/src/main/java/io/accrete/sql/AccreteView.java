package io.accrete.sql;

import java.util.List;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.ViewTableMacro;

/**
 * A view (CREATE VIEW, kept in the database as data) whose columns are typed by the connection
 * that reads it: its type system, parser and PostgreSQL functions. Calcite's own view macro types
 * them through a default connection whose decimals hold 19 digits, so a view's
 * {@code sum(price * (1 - discount))} column became DECIMAL(19, 18) and its rows failed to fit.
 */
final class AccreteView extends ViewTableMacro {
  private final CalciteConnection connection;
  /**
   * The view as analyzed, once: an instance belongs to one schema value (the schema makes new
   * ones when tables change), and Calcite asks for the table twice a reference (validation,
   * conversion), each time parsing, validating and converting the view's query.
   */
  private volatile TranslatableTable analyzed;

  AccreteView(CalciteConnection connection, CalciteSchema schema, String sql, List<String> schemaPath,
      List<String> viewPath) {
    super(schema, sql, schemaPath, viewPath, false);
    this.connection = connection;
  }

  @Override
  public TranslatableTable apply(List<? extends Object> arguments) {
    TranslatableTable table = analyzed;
    if (table == null) {
      CalcitePrepare.AnalyzeViewResult parsed = Schemas.analyzeView(connection, schema, schemaPath, viewSql, viewPath,
          false);
      table = viewTable(parsed, viewSql, schemaPath, viewPath);
      analyzed = table;
    }
    return table;
  }
}
