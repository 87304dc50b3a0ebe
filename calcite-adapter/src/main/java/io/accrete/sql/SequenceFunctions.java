package io.accrete.sql;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's {@code nextval(name)}, {@code currval(name)} and {@code setval(name, value)} on
 * {@link Sequences}. They need the connection running the statement, which plain functions do
 * not see: the generated code passes the statement's {@link DataContext}. Public only for
 * Calcite's generated code; not an API.
 */
public final class SequenceFunctions {
  private SequenceFunctions() {}

  /** The sequence's next value for the statement's connection. */
  public static long nextval(DataContext root, String name) {
    return session(root).sequences().next(name);
  }

  /** The value nextval last gave the statement's connection. */
  public static long currval(DataContext root, String name) {
    return session(root).sequences().current(name);
  }

  /** Sets the sequence's last value; the next nextval gives the one after it. */
  public static long setval(DataContext root, String name, long value) {
    return session(root).sequences().set(name, value);
  }

  static SqlSession session(DataContext root) {
    SchemaPlus s = root.getRootSchema() == null ? null : root.getRootSchema().getSubSchema(AccreteSql.SCHEMA);
    AccreteSchema a = s == null ? null : s.unwrap(AccreteSchema.class);
    if (a == null) {
      throw new AccreteSqlException("this function needs an Accrete connection");
    }
    return a.session();
  }

  /** The three functions as Calcite sees them. */
  static List<SessionFunction> all() {
    return List.of(
        new SessionFunction("nextval", SequenceFunctions.class, SqlTypeName.BIGINT, SqlTypeName.VARCHAR),
        new SessionFunction("currval", SequenceFunctions.class, SqlTypeName.BIGINT, SqlTypeName.VARCHAR),
        new SessionFunction("setval", SequenceFunctions.class, SqlTypeName.BIGINT, SqlTypeName.VARCHAR,
            SqlTypeName.BIGINT));
  }
}
