package io.accrete.sql;

import io.accrete.Connection;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

/**
 * SQL over an Accrete database: a JDBC connection whose schema {@value #SCHEMA} shows the
 * database's attributes as tables (see {@link Mapping}).
 *
 * <p>Identifiers follow PostgreSQL: unquoted ones are folded to lower case, quoted ones are
 * taken as written, so {@code SELECT Title FROM Movie} works and a column named like a keyword
 * is written {@code "year"}. DDL, INSERT, UPDATE and DELETE are transactions (see {@link SqlWrites}
 * and {@link SqlDdl}); auto-commit is on.
 *
 * <p>Properties: {@code asOf} and {@code since} (a t, a transaction id or an ISO-8601 instant)
 * read the whole connection at a moment; {@code history=true} makes {@code datoms} show
 * retractions; {@code basis=connection} keeps the database value the first statement read for
 * the whole connection, so a report's queries agree (the default, {@code statement}, gives every
 * statement the latest value, fixed when it starts); {@code metaschema} is the path of an EDN file
 * that chooses tables, hides and renames columns (see {@link Metaschema}); {@code interpret=false}
 * compiles every query's plan, where by default a query over small inputs runs its plan
 * interpreted (see {@link PlanInterpreter}).
 */
public final class AccreteSql {
  /** The name of the schema that holds the tables. */
  public static final String SCHEMA = "accrete";

  static {
    // Calcite compiles every statement's plan to Java with Janino; cache the compiled classes
    // (Accrete's scans keep their state out of the generated code, so the same query shape
    // compiles once). Must be set before Calcite reads its system properties.
    if (System.getProperty("calcite.bindable.cache.maxSize") == null) {
      System.setProperty("calcite.bindable.cache.maxSize", "1000");
    }
    // Text is Unicode, as in PostgreSQL: Calcite's default (ISO-8859-1) refuses a literal such as
    // 'Łódź'. Unless the JVM's owner chose otherwise.
    if (System.getProperty("calcite.default.charset") == null) {
      System.setProperty("calcite.default.charset", "UTF-8");
      System.setProperty("calcite.default.nationalcharset", "UTF-8");
      System.setProperty("calcite.default.collation.name", "UTF-8$en_US");
    }
  }

  private AccreteSql() {}

  /**
   * A statement's text with the JDBC escapes Accrete rewrites ({@code {oj …}}, {@code {escape …}},
   * {@code {limit …}}, JDBC 4's functions) and PostgreSQL's {@code ::} casts as it plans them:
   * {@code Connection.nativeSQL}. The escapes Calcite's parser reads itself ({@code {fn ucase(x)}},
   * {@code {d '…'}}) stay.
   *
   * @param sql a statement
   * @return the text Accrete plans
   */
  public static String nativeSql(String sql) {
    return SqlTextRewrites.apply(sql);
  }

  /**
   * Splits {@code INSERT/UPDATE/DELETE … RETURNING list} into {the statement without the clause,
   * its target table, the list}; null for any other text. The driver runs the statement with
   * {@link #keepChangedRows} on and answers the list with {@link #returningQuery}.
   */
  public static String[] splitReturning(String sql) {
    return SqlCommandParser.splitReturning(sql);
  }

  /** Whether the connection's next DML statements keep the rows they change (for RETURNING). */
  public static void keepChangedRows(java.sql.Connection c, boolean on) throws SQLException {
    session(c).writes().keepRows(on);
  }

  /**
   * A query that answers {@code RETURNING list} over the rows the connection's last DML
   * statement changed (a VALUES list named like the table).
   */
  public static String returningQuery(java.sql.Connection c, String table, String list) throws SQLException {
    Object[] changed = session(c).writes().changed();
    @SuppressWarnings("unchecked") java.util.List<String> names = (java.util.List<String>) changed[0];
    @SuppressWarnings("unchecked") java.util.List<String> types = (java.util.List<String>) changed[1];
    @SuppressWarnings("unchecked") java.util.List<Object[]> rows = (java.util.List<Object[]>) changed[2];
    return returningSql(table, list, names, types, rows);
  }

  /**
   * A query with the columns {@code RETURNING list} answers on {@code table} and no rows: what a
   * server tells a client that prepares such a statement, before it runs.
   */
  public static String returningTemplate(java.sql.Connection c, String table, String list) throws SQLException {
    if (!(session(c).tables().get(table) instanceof EntityTable t)) {
      throw new AccreteSqlException("42P01", "relation \"" + table + "\" does not exist");
    }
    java.util.List<java.util.List<String>> columns = Modification.returnedColumns(t);
    return returningSql(table, list, columns.get(0), columns.get(1), java.util.List.of());
  }

  private static String returningSql(String table, String list, java.util.List<String> names,
      java.util.List<String> types, java.util.List<Object[]> rows) {
    StringBuilder sql = new StringBuilder("SELECT ").append(list).append(" FROM (VALUES ");
    java.util.List<Object[]> shown = rows.isEmpty() ? java.util.List.<Object[]>of(new Object[names.size()]) : rows;
    for (int i = 0; i < shown.size(); i++) {
      sql.append(i == 0 ? "(" : ", (");
      for (int j = 0; j < names.size(); j++) {
        sql.append(j == 0 ? "" : ", ").append("CAST(").append(SqlLiterals.of(shown.get(i)[j], types.get(j))).append(" AS ")
            .append(types.get(j)).append(')');
      }
      sql.append(')');
    }
    sql.append(") AS ").append(SqlDdl.quote(table)).append(" (");
    for (int j = 0; j < names.size(); j++) {
      sql.append(j == 0 ? "" : ", ").append(SqlDdl.quote(names.get(j)));
    }
    sql.append(')').append(rows.isEmpty() ? " WHERE 1 = 0" : "");
    return sql.toString();
  }

  /**
   * Runs {@code INSERT … VALUES} of literals without Calcite's planning, when the statement is one
   * (see {@code LiteralInserts}): the number of rows inserted, or -1 when Calcite must run it.
   *
   * @param c an Accrete SQL connection
   * @param sql the statement
   * @return the rows inserted, or -1
   * @throws SQLException when {@code c} is no Accrete SQL connection
   * @throws AccreteSqlException when the statement fails (with PostgreSQL's SQLSTATE)
   */
  public static long insertLiterals(java.sql.Connection c, String sql) throws SQLException {
    String head = sql.stripLeading();
    if (head.length() < 6 || !head.regionMatches(true, 0, "insert", 0, 6)) {
      return -1;
    }
    return LiteralInserts.run(c, session(c), sql);
  }

  private static SqlSession session(java.sql.Connection c) throws SQLException {
    org.apache.calcite.jdbc.CalciteSchema s = org.apache.calcite.jdbc.CalciteSchema.from(
        c.unwrap(CalciteConnection.class).getRootSchema()).getSubSchema(SCHEMA, true);
    if (s == null || !(s.schema instanceof AccreteSchema a)) {
      throw new SQLException("not an Accrete SQL connection");
    }
    return a.session();
  }

  /**
   * The values the connection's last INSERT generated for identity and SERIAL columns: per
   * inserted row, column name to value (what JDBC's {@code getGeneratedKeys} returns).
   *
   * @param c a connection {@link #connect} opened
   * @return the rows, empty when the last INSERT generated nothing
   * @throws SQLException when {@code c} is not such a connection
   */
  public static java.util.List<java.util.Map<String, Object>> generatedKeys(java.sql.Connection c) throws SQLException {
    return session(c).writes().generated();
  }

  /**
   * Opens a SQL connection over an Accrete connection.
   *
   * @param conn the database
   * @param props connection properties, as above; may be empty
   * @return a JDBC connection; closing it leaves {@code conn} open
   * @throws SQLException when Calcite cannot start
   * @throws AccreteSqlException when a property is malformed
   */
  public static java.sql.Connection connect(Connection conn, Properties props) throws SQLException {
    SqlSession session = new SqlSession(conn, props);
    AccretePrograms.install();
    OnConflict.install();
    Properties calcite = new Properties();
    calcite.setProperty("unquotedCasing", "TO_LOWER");
    calcite.setProperty("quotedCasing", "UNCHANGED");
    calcite.setProperty("caseSensitive", "true");
    calcite.setProperty("quoting", "DOUBLE_QUOTE");
    // TIMESTAMP values are UTC wall-clock times (instants), and JDBC's java.sql types carry them as
    // the client's local ones, as pgjdbc does for PostgreSQL's timestamp and date: the text a
    // client writes is the text it reads back, in any time zone, and a shown tx_instant pasted into
    // AS OF TIMESTAMP '…' names the same moment. (java.time values are exact: JdbcObjects.)
    calcite.setProperty("timeZone", props.getProperty("timeZone", java.util.TimeZone.getDefault().getID()));
    calcite.setProperty("schema", SCHEMA);
    // DDL and transaction statements are Accrete's own (SqlCommandParser); INSERT may name fewer
    // columns than the table has, as in PostgreSQL.
    calcite.setProperty("parserFactory", AccreteParserFactory.class.getName() + "#FACTORY");
    calcite.setProperty("conformance", "LENIENT");
    calcite.setProperty("typeSystem", AccreteTypeSystem.class.getName() + "#INSTANCE");
    // PostgreSQL's functions and operators as Calcite's library has them (ILIKE, LEFT, SPLIT_PART,
    // DATE_TRUNC, TO_CHAR, STRING_AGG, ARRAY_AGG, BOOL_AND, …), after the standard ones.
    calcite.setProperty("fun", "standard,postgresql");
    java.sql.Connection c = new org.apache.calcite.jdbc.Driver().withPrepareFactory(AccretePrepare::new)
        .connect("jdbc:calcite:", calcite);
    CalciteConnection cc = c.unwrap(CalciteConnection.class);
    AccreteSchema accrete = new AccreteSchema(session);
    SchemaPlus schema = cc.getRootSchema().add(SCHEMA, accrete);
    schema.setCacheEnabled(false);
    accrete.self(schema, cc);
    cc.getRootSchema().add(InformationSchema.NAME, new InformationSchema(accrete)).setCacheEnabled(false);
    try {
      schema.add("t", ScalarFunctionImpl.create(TimeFunctions.class.getMethod("t", long.class)));
      schema.add("since", ScalarFunctionImpl.create(TimeFunctions.class.getMethod("since", long.class)));
      Method sinceInstant = TimeFunctions.class.getMethod("since", java.sql.Timestamp.class);
      schema.add("since", ScalarFunctionImpl.create(sinceInstant));
      for (SessionFunction f : SequenceFunctions.all()) {
        schema.add(f.name, f);
      }
      for (SessionFunction f : PostgresFunctions.all()) {
        schema.add(f.name, f);
      }
      for (org.apache.calcite.schema.Function f : GenerateSeries.functions()) {
        schema.add("generate_series", f);
      }
      for (org.apache.calcite.schema.Function f : DatalogFunction.functions()) {
        schema.add("datalog", f);
      }
      schema.add("fulltext", DatalogFunction.fulltextFunction());
      for (Object[] f : PostgresScalars.functions()) {
        schema.add((String) f[0], ScalarFunctionImpl.create((Method) f[1]));
      }
      for (Object[] f : Percentiles.functions()) {
        schema.add((String) f[0], (org.apache.calcite.schema.Function) f[1]);
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("TimeFunctions lost a method", e);
    }
    cc.setSchema(SCHEMA);
    c.setAutoCommit(true);
    return c;
  }
}
