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

  /** Text to boolean, date and timestamp as PostgreSQL reads them ({@link TextCasts}), by target type. */
  private static final java.util.Map<SqlTypeName, org.apache.calcite.sql.validate.SqlUserDefinedFunction> FROM_TEXT;

  static {
    try {
      NUMERIC_TEXT = function("accrete_numeric_text", org.apache.calcite.sql.type.ReturnTypes.VARCHAR_NULLABLE,
          org.apache.calcite.sql.type.OperandTypes.NUMERIC,
          PostgresConvertlets.class.getMethod("numericText", java.math.BigDecimal.class));
      FROM_TEXT = java.util.Map.of(
          SqlTypeName.BOOLEAN, function("accrete_text_boolean", org.apache.calcite.sql.type.ReturnTypes.BOOLEAN_NULLABLE,
              org.apache.calcite.sql.type.OperandTypes.STRING, TextCasts.class.getMethod("toBoolean", String.class)),
          SqlTypeName.DATE, function("accrete_text_date", org.apache.calcite.sql.type.ReturnTypes.DATE_NULLABLE,
              org.apache.calcite.sql.type.OperandTypes.STRING, TextCasts.class.getMethod("toDate", String.class)),
          SqlTypeName.TIMESTAMP, function("accrete_text_timestamp", org.apache.calcite.sql.type.ReturnTypes.TIMESTAMP_NULLABLE,
              org.apache.calcite.sql.type.OperandTypes.STRING, TextCasts.class.getMethod("toTimestamp", String.class)));
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static org.apache.calcite.sql.validate.SqlUserDefinedFunction function(String name,
      org.apache.calcite.sql.type.SqlReturnTypeInference type, org.apache.calcite.sql.type.SqlOperandTypeChecker operands,
      java.lang.reflect.Method method) {
    return new org.apache.calcite.sql.validate.SqlUserDefinedFunction(
        new org.apache.calcite.sql.SqlIdentifier(name, org.apache.calcite.sql.parser.SqlParserPos.ZERO), type, null,
        operands, null, org.apache.calcite.schema.impl.ScalarFunctionImpl.create(method));
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
        if (target != null && source != null && target.getSqlTypeName() == SqlTypeName.DECIMAL
            && target.getPrecision() == 38 && writtenPrecision(c)
            && (source.getSqlTypeName() == SqlTypeName.DECIMAL || SqlTypeName.INT_TYPES.contains(source.getSqlTypeName()))) {
          return NumericDivision.writtenCast(cx.getRexBuilder(), target, cx.convertExpression(c.operand(0)));
        }
        if (target != null && source != null && SqlTypeName.CHAR_TYPES.contains(source.getSqlTypeName())
            && FROM_TEXT.containsKey(target.getSqlTypeName())
            && (target.getSqlTypeName() != SqlTypeName.TIMESTAMP || target.getPrecision() <= 3)) {
          RexBuilder rex = cx.getRexBuilder();
          return rex.makeCall(target, FROM_TEXT.get(target.getSqlTypeName()),
              java.util.List.of(cx.convertExpression(c.operand(0))));
        }
        if (target != null && source != null && source.getSqlTypeName() == SqlTypeName.DECIMAL
            && (target.getSqlTypeName() == SqlTypeName.VARCHAR || target.getSqlTypeName() == SqlTypeName.CHAR)) {
          RexBuilder rex = cx.getRexBuilder();
          return rex.makeCast(target, rex.makeCall(target, NUMERIC_TEXT, java.util.List.of(cx.convertExpression(c.operand(0)))));
        }
        return standard.convertCall(cx, c);
      };
    }
    if (call.getOperator() == NumberText.TO_CHAR) {
      return NumberText.CONVERTLET;
    }
    if (call.getOperator() == Percentiles.AS_TYPE_OF) {
      return Percentiles.AS_TYPE_OF_CONVERTLET;
    }
    SqlRexConvertlet standard = DateArithmetic.CONVERTLETS.get(call);
    if (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS || call.getKind() == SqlKind.TIMES
        || call.getKind() == SqlKind.MINUS_PREFIX) {
      return (cx, c) -> checked(cx.getRexBuilder(), standard.convertCall(cx, c));
    }
    return standard;
  }

  /**
   * Whether a cast's type was written with a precision ({@code NUMERIC(38, 2)}, not {@code NUMERIC},
   * which {@link PostgresRewrites} makes DECIMAL(38, 18), Accrete's unconstrained numeric).
   */
  private static boolean writtenPrecision(SqlCall cast) {
    return cast.operand(1) instanceof org.apache.calcite.sql.SqlDataTypeSpec spec
        && spec.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec basic && basic.getPrecision() >= 0
        && !(basic.getPrecision() == 38 && basic.getScale() == 18);
  }

  /**
   * Integer arithmetic that fails on overflow (22003), as PostgreSQL's does, where Java's wraps
   * ({@code 9223372036854775807 + 1} was -9223372036854775808). Decimals and floating point
   * are left as they are; dates and intervals are not integers.
   */
  static RexNode checked(RexBuilder rex, RexNode converted) {
    if (!(converted instanceof org.apache.calcite.rex.RexCall call) || !integer(call.getType())) {
      return converted;
    }
    for (RexNode operand : call.getOperands()) {
      if (!integer(operand.getType())) {
        return converted;
      }
    }
    org.apache.calcite.sql.SqlOperator op = switch (call.getKind()) {
      case PLUS -> SqlStdOperatorTable.CHECKED_PLUS;
      case MINUS -> SqlStdOperatorTable.CHECKED_MINUS;
      case TIMES -> SqlStdOperatorTable.CHECKED_MULTIPLY;
      case MINUS_PREFIX -> SqlStdOperatorTable.CHECKED_UNARY_MINUS;
      default -> null;
    };
    return op == null ? converted : rex.makeCall(call.getParserPosition(), call.getType(), op, call.getOperands());
  }

  private static boolean integer(RelDataType type) {
    return SqlTypeName.INT_TYPES.contains(type.getSqlTypeName());
  }
}
