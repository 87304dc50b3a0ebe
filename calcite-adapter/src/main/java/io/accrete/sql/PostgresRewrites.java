package io.accrete.sql;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Parse-tree rewrites that give a statement PostgreSQL's meaning where Calcite's differs:
 * {@code LIKE} escapes with a backslash unless told otherwise, and {@code ESCAPE ''} means no
 * escape character at all (Hibernate writes it for every LIKE), where Calcite has no default
 * escape and refuses an empty one.
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
    if (visited instanceof SqlCall c && c.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction f) {
      return builtIn(c, f);
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

  /** Whether a pattern could hold a backslash: any but a literal without one. */
  private static boolean mayHoldBackslash(SqlNode pattern) {
    return !(pattern instanceof SqlLiteral l) || l.toValue() == null || l.toValue().indexOf('\\') >= 0;
  }
}
