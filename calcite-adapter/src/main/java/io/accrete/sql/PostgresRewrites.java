package io.accrete.sql;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Parse-tree rewrites that give a statement PostgreSQL's meaning where Calcite's differs:
 * {@code LIKE} escapes with a backslash unless told otherwise, and {@code ESCAPE ''} means no
 * escape character at all (Hibernate writes it for every LIKE), where Calcite has no default
 * escape and refuses an empty one; PostgreSQL's type names in casts ({@code x::text},
 * {@code int8}, {@code timestamptz}); {@code date(x)}, {@code now()}, {@code date_trunc('unit',
 * x)} and {@code current_schema}; JDBC escapes ({@code {fn ucase(x)}}) in any case.
 */
final class PostgresRewrites extends SqlShuttle {
  static SqlNode apply(SqlNode node) {
    return node == null ? null : node.accept(new PostgresRewrites());
  }

  /** Calcite's standard and PostgreSQL operators, to find a function whatever the case it was written in. */
  private static final org.apache.calcite.sql.SqlOperatorTable OPERATORS =
      org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(
          org.apache.calcite.sql.fun.SqlLibrary.STANDARD, org.apache.calcite.sql.fun.SqlLibrary.POSTGRESQL);

  @Override
  public SqlNode visit(SqlCall call) {
    SqlNode visited = super.visit(call);
    if (visited instanceof SqlCall c && c.getOperator() instanceof org.apache.calcite.sql.SqlJdbcFunctionCall j) {
      String name = j.getName().replaceFirst("^\\{fn (.*)}$", "$1"); // "{fn ucase}"
      return name.equals(name.toUpperCase(java.util.Locale.ROOT)) ? c
          : new org.apache.calcite.sql.SqlJdbcFunctionCall(name.toUpperCase(java.util.Locale.ROOT))
              .createCall(c.getFunctionQuantifier(), c.getParserPosition(), c.getOperandList().toArray(new SqlNode[0]));
    }
    if (visited instanceof SqlCall c && c.getOperator() instanceof org.apache.calcite.sql.SqlFunction f) {
      SqlNode pg = postgresFunction(c, f.getName().toLowerCase(java.util.Locale.ROOT));
      if (pg != null) {
        return pg;
      }
      if (f instanceof org.apache.calcite.sql.SqlUnresolvedFunction u) {
        return builtIn(c, u);
      }
    }
    if (visited instanceof SqlCall c && c.getKind() == SqlKind.CAST && c.operandCount() == 2
        && c.operand(1) instanceof org.apache.calcite.sql.SqlDataTypeSpec spec) {
      SqlTypeName named = TYPE_NAMES.get(spec.getTypeName().getSimple().toLowerCase(java.util.Locale.ROOT));
      if (named != null && spec.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlUserDefinedTypeNameSpec) {
        return SqlStdOperatorTable.CAST.createCall(c.getParserPosition(), c.operand(0),
            new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(named,
                spec.getParserPosition()), spec.getParserPosition()));
      }
      return visited;
    }

    if (!(visited instanceof SqlCall c) || c.getKind() != SqlKind.LIKE) {
      return visited;
    }
    if (c.operandCount() == 3 && c.operand(2) instanceof SqlLiteral escape
        && "".equals(escape.toValue())) {
      return c.getOperator().createCall(c.getFunctionQuantifier(), c.getParserPosition(), c.operand(0), c.operand(1));
    }
    if (c.operandCount() == 2 && mayHoldBackslash(c.operand(1))) {
      return c.getOperator().createCall(c.getFunctionQuantifier(), c.getParserPosition(), c.operand(0), c.operand(1),
          SqlLiteral.createCharString("\\", c.getParserPosition()));
    }
    return c;
  }

  /**
   * A call of a built-in function written in lower case ({@code left(…)}, {@code split_part(…)}) named
   * as Calcite's library has it: names are case-sensitive here (they are for tables and columns),
   * and unquoted ones are lower-cased, so {@code left} would not find {@code LEFT}.
   */
  private static SqlNode builtIn(SqlCall c, org.apache.calcite.sql.SqlUnresolvedFunction f) {
    String name = f.getName();
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    if (name.equals(upper)) {
      return c;
    }
    java.util.List<org.apache.calcite.sql.SqlOperator> found = new java.util.ArrayList<>();
    OPERATORS.lookupOperatorOverloads(new org.apache.calcite.sql.SqlIdentifier(upper, c.getParserPosition()),
        f.getFunctionType(), org.apache.calcite.sql.SqlSyntax.FUNCTION, found,
        org.apache.calcite.sql.validate.SqlNameMatchers.withCaseSensitive(true));
    if (found.isEmpty()) {
      return c; // a function of the schema (t, since, nextval, …) or none: the validator says which
    }
    org.apache.calcite.sql.SqlUnresolvedFunction named = new org.apache.calcite.sql.SqlUnresolvedFunction(
        new org.apache.calcite.sql.SqlIdentifier(upper, f.getSqlIdentifier() == null ? c.getParserPosition()
            : f.getSqlIdentifier().getParserPosition()), null, null, null, null, f.getFunctionType());
    return named.createCall(c.getFunctionQuantifier(), c.getParserPosition(), c.getOperandList().toArray(new SqlNode[0]));
  }

  /** {@code current_schema} without parentheses, which PostgreSQL takes as the function. */
  @Override
  public SqlNode visit(org.apache.calcite.sql.SqlIdentifier id) {
    if (id.isSimple() && id.getSimple().equalsIgnoreCase("current_schema")) {
      return SqlLiteral.createCharString(AccreteSql.SCHEMA, id.getParserPosition());
    }
    return id;
  }

  /** PostgreSQL's names of types Calcite spells otherwise. */
  private static final java.util.Map<String, SqlTypeName> TYPE_NAMES = java.util.Map.ofEntries(
      java.util.Map.entry("text", SqlTypeName.VARCHAR), java.util.Map.entry("bpchar", SqlTypeName.CHAR),
      java.util.Map.entry("name", SqlTypeName.VARCHAR), java.util.Map.entry("citext", SqlTypeName.VARCHAR),
      java.util.Map.entry("int2", SqlTypeName.SMALLINT), java.util.Map.entry("int4", SqlTypeName.INTEGER),
      java.util.Map.entry("int8", SqlTypeName.BIGINT), java.util.Map.entry("float4", SqlTypeName.REAL),
      java.util.Map.entry("float8", SqlTypeName.DOUBLE), java.util.Map.entry("bool", SqlTypeName.BOOLEAN),
      java.util.Map.entry("timestamptz", SqlTypeName.TIMESTAMP), java.util.Map.entry("bytea", SqlTypeName.VARBINARY));

  /** Units {@code date_trunc} takes, as Calcite's FLOOR has them (PostgreSQL's week starts on Monday: not here). */
  private static final java.util.Map<String, org.apache.calcite.avatica.util.TimeUnit> TRUNC_UNITS = java.util.Map.of(
      "millennium", org.apache.calcite.avatica.util.TimeUnit.MILLENNIUM,
      "century", org.apache.calcite.avatica.util.TimeUnit.CENTURY,
      "decade", org.apache.calcite.avatica.util.TimeUnit.DECADE,
      "year", org.apache.calcite.avatica.util.TimeUnit.YEAR,
      "quarter", org.apache.calcite.avatica.util.TimeUnit.QUARTER,
      "month", org.apache.calcite.avatica.util.TimeUnit.MONTH,
      "day", org.apache.calcite.avatica.util.TimeUnit.DAY,
      "hour", org.apache.calcite.avatica.util.TimeUnit.HOUR,
      "minute", org.apache.calcite.avatica.util.TimeUnit.MINUTE,
      "second", org.apache.calcite.avatica.util.TimeUnit.SECOND);

  /** PostgreSQL's functions that are other syntax in Calcite, or null. */
  private static SqlNode postgresFunction(SqlCall c, String name) {
    org.apache.calcite.sql.parser.SqlParserPos pos = c.getParserPosition();
    if (name.equals("date") && c.operandCount() == 1) {
      return cast(c.operand(0), SqlTypeName.DATE, pos);
    }
    if (name.equals("current_schema") && c.operandCount() == 0) {
      return SqlLiteral.createCharString(AccreteSql.SCHEMA, pos);
    }
    if (name.equals("now") && c.operandCount() == 0) {
      return SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(pos);
    }
    if (name.equals("date_trunc") && c.operandCount() == 2 && c.operand(0) instanceof SqlLiteral unit
        && unit.toValue() != null) {
      org.apache.calcite.avatica.util.TimeUnit u = TRUNC_UNITS.get(unit.toValue().toLowerCase(java.util.Locale.ROOT));
      if (u == null) {
        throw new AccreteSqlException("22023", "unit \"" + unit.toValue() + "\" not supported by date_trunc here;"
            + " use one of " + new java.util.TreeSet<>(TRUNC_UNITS.keySet()));
      }
      SqlNode floor = SqlStdOperatorTable.FLOOR.createCall(pos, cast(c.operand(1), SqlTypeName.TIMESTAMP, pos),
          new org.apache.calcite.sql.SqlIntervalQualifier(u, null, pos));
      return cast(floor, SqlTypeName.TIMESTAMP, pos);
    }
    return null;
  }

  private static SqlNode cast(SqlNode x, SqlTypeName type, org.apache.calcite.sql.parser.SqlParserPos pos) {
    return SqlStdOperatorTable.CAST.createCall(pos, x, new org.apache.calcite.sql.SqlDataTypeSpec(
        new org.apache.calcite.sql.SqlBasicTypeNameSpec(type, pos), pos));
  }

  /** Whether a pattern could hold a backslash: any but a literal without one. */
  private static boolean mayHoldBackslash(SqlNode pattern) {
    return !(pattern instanceof SqlLiteral l) || l.toValue() == null || l.toValue().indexOf('\\') >= 0;
  }
}
