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

  /** The name of the select item that carries {@code DISTINCT ON}'s expressions to here. */
  static final String DISTINCT_ON = "accrete_distinct_on";

  @Override
  public SqlNode visit(SqlCall call) {
    if (call instanceof org.apache.calcite.sql.SqlOrderBy order && order.query instanceof org.apache.calcite.sql.SqlSelect s) {
      distinctOn(s, order.orderList);
    } else if (call instanceof org.apache.calcite.sql.SqlSelect s) {
      distinctOn(s, s.getOrderList());
    }
    SqlNode visited = super.visit(call);
    if (visited instanceof SqlCall c && c.getOperator() instanceof org.apache.calcite.sql.SqlJdbcFunctionCall j) {
      String name = j.getName().replaceFirst("^\\{fn (.*)}$", "$1"); // "{fn ucase}"
      if (name.equalsIgnoreCase("database") && c.operandCount() == 0) { // the database's name, not ""
        return new org.apache.calcite.sql.SqlUnresolvedFunction(new org.apache.calcite.sql.SqlIdentifier(
            "current_database", c.getParserPosition()), null, null, null, null,
            org.apache.calcite.sql.SqlFunctionCategory.USER_DEFINED_FUNCTION).createCall(c.getParserPosition());
      }
      return name.equals(name.toUpperCase(java.util.Locale.ROOT)) ? c
          : new org.apache.calcite.sql.SqlJdbcFunctionCall(name.toUpperCase(java.util.Locale.ROOT))
              .createCall(c.getFunctionQuantifier(), c.getParserPosition(), c.getOperandList().toArray(new SqlNode[0]));
    }
    if (visited instanceof SqlCall c && c.getKind() == SqlKind.VALUES) {
      return typedValues(c);
    }
    if (visited instanceof SqlCall c && c.getKind() == SqlKind.WITHIN_GROUP) {
      SqlNode percentile = percentile(c);
      if (percentile != null) {
        return percentile;
      }
    }
    if (visited instanceof org.apache.calcite.sql.SqlSelect s) {
      seriesInSelectList(s);
    }
    if (visited instanceof SqlCall c && c.getKind() == SqlKind.AS && c.operandCount() == 2
        && c.operand(0) instanceof SqlCall table && table.getKind() == SqlKind.COLLECTION_TABLE
        && table.operand(0) instanceof SqlCall f && f.getOperator().getName().equalsIgnoreCase("generate_series")) {
      // PostgreSQL: the alias of a one-column function in FROM names its column too
      return SqlStdOperatorTable.AS.createCall(c.getParserPosition(), c.operand(0), c.operand(1), c.operand(1));
    }
    if (visited instanceof SqlCall c && c.getOperator().getName().equals("^") && c.operandCount() == 2) {
      return SqlStdOperatorTable.POWER.createCall(c.getParserPosition(), c.operand(0), c.operand(1)); // not XOR
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
    if (visited instanceof SqlCall c && c.getKind() == SqlKind.EXTRACT) {
      // PostgreSQL's EXTRACT gives numeric (date_part a double)
      return SqlStdOperatorTable.CAST.createCall(c.getParserPosition(), c, new org.apache.calcite.sql.SqlDataTypeSpec(
          new org.apache.calcite.sql.SqlBasicTypeNameSpec(SqlTypeName.DECIMAL, 19, 0, c.getParserPosition()),
          c.getParserPosition()));
    }
    if (visited instanceof SqlCall c && c.getKind() == SqlKind.CAST && c.operandCount() == 2
        && c.operand(1) instanceof org.apache.calcite.sql.SqlDataTypeSpec spec
        && spec.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec basic
        && basic.getTypeName().getSimple().matches("(?i)DECIMAL|NUMERIC|DEC") && basic.getPrecision() < 0) {
      // NUMERIC without a precision is PostgreSQL's unconstrained numeric, not DECIMAL(19, 0)
      org.apache.calcite.sql.parser.SqlParserPos pos = spec.getParserPosition();
      return SqlStdOperatorTable.CAST.createCall(c.getParserPosition(), c.operand(0),
          new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(
              SqlTypeName.DECIMAL, 38, 18, pos), pos));
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
   * PostgreSQL's {@code SELECT DISTINCT ON (e, …) … ORDER BY o, …}: the first row of each group of
   * equal {@code e} in the query's order, i.e. {@code QUALIFY ROW_NUMBER() OVER (PARTITION BY e, …
   * ORDER BY o, …) = 1}. The expressions arrive as a marker select item ({@link SqlTextRewrites});
   * ordinals and select aliases in them, and in the order, mean the select items.
   */
  private static void distinctOn(org.apache.calcite.sql.SqlSelect select, org.apache.calcite.sql.SqlNodeList order) {
    org.apache.calcite.sql.SqlNodeList items = select.getSelectList();
    if (items == null || items.isEmpty() || !(items.get(0) instanceof SqlCall as) || as.getKind() != SqlKind.AS
        || !(as.operand(0) instanceof SqlCall marker) || !marker.getOperator().getName().equalsIgnoreCase(DISTINCT_ON)) {
      return;
    }
    org.apache.calcite.sql.parser.SqlParserPos pos = marker.getParserPosition();
    org.apache.calcite.sql.SqlNodeList rest = new org.apache.calcite.sql.SqlNodeList(items.getList().subList(1, items.size()),
        items.getParserPosition());
    org.apache.calcite.sql.SqlNodeList partition = new org.apache.calcite.sql.SqlNodeList(pos);
    for (SqlNode e : marker.getOperandList()) {
      partition.add(selectItem(rest, e));
    }
    org.apache.calcite.sql.SqlNodeList ordered = new org.apache.calcite.sql.SqlNodeList(pos);
    for (SqlNode o : order == null ? java.util.List.<SqlNode>of() : order.getList()) {
      ordered.add(o instanceof SqlCall dir && (dir.getKind() == SqlKind.DESCENDING || dir.getKind() == SqlKind.NULLS_FIRST
          || dir.getKind() == SqlKind.NULLS_LAST)
          ? dir.getOperator().createCall(dir.getParserPosition(), selectItemDeep(rest, dir.operand(0)))
          : selectItem(rest, o));
    }
    SqlNode window = new org.apache.calcite.sql.SqlWindow(pos, null, null, partition, ordered,
        SqlLiteral.createBoolean(false, pos), null, null, null);
    SqlNode rowNumber = SqlStdOperatorTable.OVER.createCall(pos, SqlStdOperatorTable.ROW_NUMBER.createCall(pos), window);
    SqlNode first = SqlStdOperatorTable.EQUALS.createCall(pos, rowNumber, SqlLiteral.createExactNumeric("1", pos));
    select.setSelectList(rest);
    select.setQualify(select.getQualify() == null ? first : SqlStdOperatorTable.AND.createCall(pos, select.getQualify(), first));
  }

  /** Inside DESC/NULLS FIRST wrappers, the select item an ordinal or alias names. */
  private static SqlNode selectItemDeep(org.apache.calcite.sql.SqlNodeList items, SqlNode e) {
    return e instanceof SqlCall c && (c.getKind() == SqlKind.DESCENDING || c.getKind() == SqlKind.NULLS_FIRST
        || c.getKind() == SqlKind.NULLS_LAST)
        ? c.getOperator().createCall(c.getParserPosition(), selectItemDeep(items, c.operand(0))) : selectItem(items, e);
  }

  /** The expression of the select item an ordinal ({@code 1}) or an alias names; else {@code e}. */
  private static SqlNode selectItem(org.apache.calcite.sql.SqlNodeList items, SqlNode e) {
    if (e instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.DECIMAL && l.intValue(false) >= 1
        && l.intValue(false) <= items.size()) {
      return expression(items.get(l.intValue(false) - 1));
    }
    if (e instanceof org.apache.calcite.sql.SqlIdentifier id && id.isSimple()) {
      for (SqlNode item : items) {
        if (item instanceof SqlCall as && as.getKind() == SqlKind.AS
            && ((org.apache.calcite.sql.SqlIdentifier) as.operand(1)).getSimple().equals(id.getSimple())) {
          return as.operand(0);
        }
      }
    }
    return e;
  }

  private static SqlNode expression(SqlNode item) {
    return item instanceof SqlCall as && as.getKind() == SqlKind.AS ? as.operand(0) : item;
  }

  /**
   * VALUES rows where a column holds a date, time or timestamp in some rows and quoted text in
   * others: the text is cast to that type, as PostgreSQL resolves a literal of unknown type from the
   * column's other values (Calcite finds DATE and CHAR incompatible).
   */
  private static SqlNode typedValues(SqlCall values) {
    java.util.List<SqlNode> rows = values.getOperandList();
    int width = -1;
    for (SqlNode r : rows) {
      if (!(r instanceof SqlCall row) || row.getKind() != SqlKind.ROW || (width >= 0 && row.operandCount() != width)) {
        return values;
      }
      width = row.operandCount();
    }
    SqlTypeName[] hints = new SqlTypeName[Math.max(width, 0)];
    boolean any = false;
    for (SqlNode r : rows) {
      for (int j = 0; j < width; j++) {
        SqlNode v = ((SqlCall) r).operand(j);
        SqlTypeName t = v instanceof org.apache.calcite.sql.SqlUnknownLiteral u // DATE '…' as parsed
            ? SqlTypeName.get(u.tag.toUpperCase(java.util.Locale.ROOT))
            : v instanceof SqlLiteral l && !(v instanceof org.apache.calcite.sql.SqlCharStringLiteral) ? l.getTypeName() : null;
        if (t == SqlTypeName.DATE || t == SqlTypeName.TIME || t == SqlTypeName.TIMESTAMP) {
          any |= hints[j] == null;
          hints[j] = t;
        }
      }
    }
    if (!any) {
      return values;
    }
    java.util.List<SqlNode> typed = new java.util.ArrayList<>();
    for (SqlNode r : rows) {
      SqlCall row = (SqlCall) r;
      SqlNode[] cells = row.getOperandList().toArray(new SqlNode[0]);
      for (int j = 0; j < width; j++) {
        if (hints[j] != null && cells[j] instanceof org.apache.calcite.sql.SqlCharStringLiteral) {
          cells[j] = cast(cells[j], hints[j], cells[j].getParserPosition());
        }
      }
      typed.add(row.getOperator().createCall(row.getParserPosition(), cells));
    }
    return values.getOperator().createCall(values.getParserPosition(), typed);
  }

  /**
   * {@code percentile_cont(f) WITHIN GROUP (ORDER BY x [DESC])} as a call of {@link Percentiles}'
   * aggregate, or null for other ordered-set aggregates.
   */
  private static SqlNode percentile(SqlCall withinGroup) {
    if (!(withinGroup.operand(0) instanceof SqlCall agg) || agg.operandCount() != 1
        || !(withinGroup.operand(1) instanceof org.apache.calcite.sql.SqlNodeList order) || order.size() != 1) {
      return null;
    }
    String name = switch (agg.getKind()) {
      case PERCENTILE_CONT -> Percentiles.Cont.NAME;
      case PERCENTILE_DISC -> Percentiles.Disc.NAME;
      default -> null;
    };
    if (name == null) {
      return null;
    }
    org.apache.calcite.sql.parser.SqlParserPos pos = withinGroup.getParserPosition();
    SqlNode value = order.get(0);
    SqlNode fraction = agg.operand(0);
    if (value instanceof SqlCall desc && desc.getKind() == SqlKind.DESCENDING) {
      value = desc.operand(0);
      // cont interpolates, so descending is 1 - f; disc picks a value, which that would miss at
      // the boundaries: it is told -1 - f and counts from the top
      fraction = agg.getKind() == SqlKind.PERCENTILE_DISC
          ? SqlStdOperatorTable.MINUS.createCall(pos, SqlLiteral.createExactNumeric("-1", pos), fraction)
          : SqlStdOperatorTable.MINUS.createCall(pos, SqlLiteral.createExactNumeric("1", pos), fraction);
    } else if (value instanceof SqlCall nulls
        && (nulls.getKind() == SqlKind.NULLS_FIRST || nulls.getKind() == SqlKind.NULLS_LAST)) {
      return null;
    }
    SqlNode collected = new org.apache.calcite.sql.SqlUnresolvedFunction(new org.apache.calcite.sql.SqlIdentifier(name, pos),
        null, null, null, null, org.apache.calcite.sql.SqlFunctionCategory.USER_DEFINED_FUNCTION)
        .createCall(pos, cast(fraction, SqlTypeName.DOUBLE, pos), cast(value, SqlTypeName.DOUBLE, pos));
    // percentile_disc answers one of the values: in their type, as PostgreSQL's does
    return agg.getKind() == SqlKind.PERCENTILE_DISC
        ? Percentiles.AS_TYPE_OF.createCall(pos, collected, SqlStdOperatorTable.MIN.createCall(pos, value))
        : collected;
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

  /**
   * {@code SELECT generate_series(a, b) [AS x] …}: PostgreSQL's set-returning function in the
   * select list, a row per value, as the series in FROM (joined to every row of a FROM clause).
   * One series per SELECT, with bounds that name no column.
   */
  private static void seriesInSelectList(org.apache.calcite.sql.SqlSelect s) {
    org.apache.calcite.sql.SqlNodeList items = s.getSelectList();
    for (int i = 0; items != null && i < items.size(); i++) {
      SqlNode item = items.get(i);
      boolean aliased = item.getKind() == SqlKind.AS && ((SqlCall) item).operand(1) instanceof org.apache.calcite.sql.SqlIdentifier;
      SqlNode expr = aliased ? ((SqlCall) item).operand(0) : item;
      if (!(expr instanceof SqlCall f && f.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction fn
          && fn.getName().equalsIgnoreCase("generate_series")) || namesAColumn(f)) {
        continue; // bounds from the row's columns would need a correlated series, which Calcite's cannot call
      }
      org.apache.calcite.sql.parser.SqlParserPos pos = f.getParserPosition();
      String column = aliased ? ((org.apache.calcite.sql.SqlIdentifier) ((SqlCall) item).operand(1)).getSimple()
          : "generate_series";
      String table = "accrete_series_" + i;
      // called as a table function, as FROM's parser makes it (a scalar function's lookup would not find it)
      SqlNode call = new org.apache.calcite.sql.SqlUnresolvedFunction(fn.getSqlIdentifier() != null ? fn.getSqlIdentifier()
          : new org.apache.calcite.sql.SqlIdentifier(fn.getName(), pos), null, null, null, null,
          org.apache.calcite.sql.SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION)
          .createCall(pos, f.getOperandList().toArray(new SqlNode[0]));
      SqlNode series = SqlStdOperatorTable.AS.createCall(pos,
          SqlStdOperatorTable.COLLECTION_TABLE.createCall(pos, call), new org.apache.calcite.sql.SqlIdentifier(table, pos),
          new org.apache.calcite.sql.SqlIdentifier(column, pos));
      s.setFrom(s.getFrom() == null ? series : new org.apache.calcite.sql.SqlJoin(pos, s.getFrom(),
          SqlLiteral.createBoolean(false, pos), org.apache.calcite.sql.JoinType.CROSS.symbol(pos),
          series, org.apache.calcite.sql.JoinConditionType.NONE.symbol(pos),
          null));
      items.set(i, SqlStdOperatorTable.AS.createCall(pos, new org.apache.calcite.sql.SqlIdentifier(
          java.util.List.of(table, column), pos), new org.apache.calcite.sql.SqlIdentifier(column, pos)));
      return;
    }
  }

  private static boolean namesAColumn(SqlNode node) {
    if (node instanceof org.apache.calcite.sql.SqlIdentifier) {
      return true;
    }
    if (node instanceof SqlCall c) {
      for (SqlNode operand : c.getOperandList()) {
        if (operand != null && namesAColumn(operand)) {
          return true;
        }
      }
    }
    return false;
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

  /** Units {@code date_trunc} takes, as Calcite's FLOOR has them ({@code week} is apart: PostgreSQL's starts on Monday). */
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
      if (unit.toValue().equalsIgnoreCase("week")) { // PostgreSQL's weeks start on Monday
        SqlNode day = cast(SqlStdOperatorTable.FLOOR.createCall(pos, cast(c.operand(1), SqlTypeName.TIMESTAMP, pos),
            new org.apache.calcite.sql.SqlIntervalQualifier(org.apache.calcite.avatica.util.TimeUnit.DAY, null, pos)),
            SqlTypeName.TIMESTAMP, pos);
        SqlNode sinceMonday = SqlStdOperatorTable.MOD.createCall(pos, SqlStdOperatorTable.PLUS.createCall(pos,
            SqlStdOperatorTable.DAYOFWEEK.createCall(pos, day), SqlLiteral.createExactNumeric("5", pos)),
            SqlLiteral.createExactNumeric("7", pos));
        return SqlStdOperatorTable.TIMESTAMP_ADD.createCall(pos,
            new org.apache.calcite.sql.SqlIntervalQualifier(org.apache.calcite.avatica.util.TimeUnit.DAY, null, pos),
            SqlStdOperatorTable.UNARY_MINUS.createCall(pos, sinceMonday), day);
      }
      org.apache.calcite.avatica.util.TimeUnit u = TRUNC_UNITS.get(unit.toValue().toLowerCase(java.util.Locale.ROOT));
      if (u == null) {
        throw new AccreteSqlException("22023", "unit \"" + unit.toValue() + "\" not supported by date_trunc here;"
            + " use one of " + new java.util.TreeSet<>(TRUNC_UNITS.keySet()) + " or week");
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
