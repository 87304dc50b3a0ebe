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

  @Override
  public SqlNode visit(SqlCall call) {
    SqlNode visited = super.visit(call);
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

  /** Whether a pattern could hold a backslash: any but a literal without one. */
  private static boolean mayHoldBackslash(SqlNode pattern) {
    return !(pattern instanceof SqlLiteral l) || l.toValue() == null || l.toValue().indexOf('\\') >= 0;
  }
}
