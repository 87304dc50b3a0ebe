package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A CHECK constraint's text as a row expression over the row being written: column names,
 * literals, comparisons, arithmetic, AND/OR/NOT, IS [NOT] NULL, BETWEEN, IN (list) and LIKE —
 * what CHECK constraints say. The modification plan computes it for every new row; a row for
 * which it is FALSE (not NULL) is refused with 23514.
 */
final class CheckExpressions {
  private CheckExpressions() {}

  /**
   * The expression {@code sql} with column {@code name} read from the field {@code field(name)}
   * (negative: no such column) of rows of type {@code rowType}.
   */
  static RexNode toRex(String sql, RexBuilder rex, RelDataType rowType, ToIntFunction<String> field) {
    SqlNode node;
    try {
      node = SqlParser.create(sql, SqlParser.config().withUnquotedCasing(Casing.TO_LOWER)
          .withQuotedCasing(Casing.UNCHANGED).withCaseSensitive(true)).parseExpression();
    } catch (SqlParseException e) {
      throw new AccreteSqlException("42601", "syntax error in CHECK (" + sql + "): " + e.getMessage());
    }
    return convert(node, sql, rex, rowType, field);
  }

  private static RexNode convert(SqlNode node, String sql, RexBuilder rex, RelDataType rowType,
      ToIntFunction<String> field) {
    if (node instanceof SqlIdentifier id) {
      String name = id.names.get(id.names.size() - 1);
      int i = field.applyAsInt(name);
      if (i < 0) {
        throw new AccreteSqlException("42703", "column \"" + name + "\" in CHECK (" + sql + ") does not exist");
      }
      return rex.makeInputRef(rowType.getFieldList().get(i).getType(), i);
    }
    if (node instanceof SqlLiteral lit) {
      if (lit.getTypeName() == SqlTypeName.NULL) {
        return rex.makeNullLiteral(rex.getTypeFactory().createSqlType(SqlTypeName.NULL));
      }
      if (lit.getTypeName() == SqlTypeName.BOOLEAN) {
        return rex.makeLiteral(lit.booleanValue());
      }
      if (lit.getTypeName() == SqlTypeName.CHAR) {
        return rex.makeLiteral(lit.getValueAs(String.class));
      }
      if (lit.getTypeName() == SqlTypeName.DECIMAL || lit.getTypeName() == SqlTypeName.DOUBLE) {
        BigDecimal d = lit.getValueAs(BigDecimal.class);
        return lit.getTypeName() == SqlTypeName.DOUBLE ? rex.makeApproxLiteral(d) : rex.makeExactLiteral(d);
      }
    }
    if (node instanceof SqlCall call) {
      List<RexNode> operands = new ArrayList<>();
      SqlKind kind = call.getKind();
      if (kind == SqlKind.BETWEEN) {
        RexNode v = convert(call.operand(0), sql, rex, rowType, field);
        return rex.makeCall(SqlStdOperatorTable.AND,
            rex.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, v, convert(call.operand(1), sql, rex, rowType, field)),
            rex.makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, v, convert(call.operand(2), sql, rex, rowType, field)));
      }
      if ((kind == SqlKind.IN || kind == SqlKind.NOT_IN) && call.operand(1) instanceof SqlNodeList list) {
        RexNode v = convert(call.operand(0), sql, rex, rowType, field);
        List<RexNode> ors = new ArrayList<>();
        for (SqlNode item : list) {
          ors.add(rex.makeCall(SqlStdOperatorTable.EQUALS, v, convert(item, sql, rex, rowType, field)));
        }
        RexNode any = ors.size() == 1 ? ors.get(0) : rex.makeCall(SqlStdOperatorTable.OR, ors);
        return kind == SqlKind.IN ? any : rex.makeCall(SqlStdOperatorTable.NOT, any);
      }
      boolean supported = node instanceof SqlBasicCall && (kind.belongsTo(SqlKind.COMPARISON)
          || kind == SqlKind.AND || kind == SqlKind.OR || kind == SqlKind.NOT || kind == SqlKind.PLUS
          || kind == SqlKind.MINUS || kind == SqlKind.TIMES || kind == SqlKind.DIVIDE || kind == SqlKind.MOD
          || kind == SqlKind.MINUS_PREFIX || kind == SqlKind.PLUS_PREFIX || kind == SqlKind.IS_NULL
          || kind == SqlKind.IS_NOT_NULL || kind == SqlKind.LIKE);
      if (supported) {
        for (SqlNode o : call.getOperandList()) {
          operands.add(convert(o, sql, rex, rowType, field));
        }
        return rex.makeCall(call.getOperator(), operands);
      }
    }
    throw new AccreteSqlException("0A000", "CHECK (" + sql + ") uses " + node
        + ", which CHECK constraints cannot use here yet (columns, literals, comparisons, arithmetic,"
        + " AND/OR/NOT, IS NULL, BETWEEN, IN and LIKE can)");
  }
}
