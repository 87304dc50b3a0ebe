package io.accrete.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

/**
 * How SQL calls become row expressions where PostgreSQL's meaning needs other code than
 * Calcite's: date arithmetic ({@link DateArithmetic}), and a boolean cast to text, which is
 * {@code true}/{@code false} in PostgreSQL ({@code TRUE}/{@code FALSE} in Calcite), and a
 * numeric cast to text, which keeps its leading zero ({@code 0.5}). Public only for Calcite's
 * generated code.
 */
public final class PostgresConvertlets implements SqlRexConvertletTable {
  static final PostgresConvertlets INSTANCE = new PostgresConvertlets();

  private PostgresConvertlets() {}

  /** A numeric's text as PostgreSQL writes it: 0.5, not Calcite's .5. */
  private static final org.apache.calcite.sql.validate.SqlUserDefinedFunction NUMERIC_TEXT;

  static {
    try {
      NUMERIC_TEXT = new org.apache.calcite.sql.validate.SqlUserDefinedFunction(
          new org.apache.calcite.sql.SqlIdentifier("accrete_numeric_text", org.apache.calcite.sql.parser.SqlParserPos.ZERO),
          org.apache.calcite.sql.type.ReturnTypes.VARCHAR_NULLABLE, null,
          org.apache.calcite.sql.type.OperandTypes.NUMERIC, null,
          org.apache.calcite.schema.impl.ScalarFunctionImpl.create(PostgresConvertlets.class.getMethod("numericText",
              java.math.BigDecimal.class)));
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A numeric's text, for Calcite's generated code.
   *
   * @param x a numeric, or null
   * @return its plain text, or null
   */
  public static String numericText(java.math.BigDecimal x) {
    return x == null ? null : x.toPlainString();
  }

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    if (call.getKind() == SqlKind.CAST && call.operandCount() >= 2) {
      SqlRexConvertlet standard = DateArithmetic.CONVERTLETS.get(call);
      return (cx, c) -> {
        // Casts the validator added itself (IN's coercions) have no recorded type: Calcite's then.
        RelDataType target = cx.getValidator().getValidatedNodeTypeIfKnown(c);
        RelDataType source = cx.getValidator().getValidatedNodeTypeIfKnown(c.operand(0));
        if (target != null && source != null && source.getSqlTypeName() == SqlTypeName.BOOLEAN
            && (target.getSqlTypeName() == SqlTypeName.VARCHAR || target.getSqlTypeName() == SqlTypeName.CHAR)) {
          RexBuilder rex = cx.getRexBuilder();
          RexNode x = cx.convertExpression(c.operand(0));
          return rex.makeCast(target, rex.makeCall(SqlStdOperatorTable.CASE, x, rex.makeLiteral("true"),
              rex.makeCall(SqlStdOperatorTable.IS_FALSE, x), rex.makeLiteral("false"),
              rex.makeNullLiteral(target)));
        }
        if (target != null && source != null && source.getSqlTypeName() == SqlTypeName.DECIMAL
            && (target.getSqlTypeName() == SqlTypeName.VARCHAR || target.getSqlTypeName() == SqlTypeName.CHAR)) {
          RexBuilder rex = cx.getRexBuilder();
          return rex.makeCast(target, rex.makeCall(target, NUMERIC_TEXT, java.util.List.of(cx.convertExpression(c.operand(0)))));
        }
        return standard.convertCall(cx, c);
      };
    }
    return DateArithmetic.CONVERTLETS.get(call);
  }
}
