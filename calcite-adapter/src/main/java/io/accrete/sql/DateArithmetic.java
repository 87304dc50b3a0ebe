package io.accrete.sql;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * PostgreSQL's date arithmetic, which Calcite's {@code +} and {@code -} refuse: {@code date +
 * integer} and {@code integer + date} (days later), {@code date - integer} (days earlier) and
 * {@code date - date} (the days between, an integer), and {@code timestamp - timestamp} (an
 * interval).
 *
 * <p>The validator looks {@code +} and {@code -} up by name among the operators, and
 * {@link #OPERATORS} lists these first; for any other operand types they type and check a call as
 * Calcite's own operator does, and {@link #CONVERTLETS} converts it with Calcite's operator
 * again, while date arithmetic becomes integer arithmetic on the date's day number.
 */
final class DateArithmetic extends SqlBinaryOperator {
  private final SqlBinaryOperator standard;

  private DateArithmetic(SqlBinaryOperator standard) {
    super(standard.getName(), standard.getKind(), standard.getLeftPrec(), true, null, null, null);
    this.standard = standard;
  }

  static final DateArithmetic PLUS = new DateArithmetic(SqlStdOperatorTable.PLUS);
  static final DateArithmetic MINUS = new DateArithmetic(SqlStdOperatorTable.MINUS);

  /** These operators, to be looked up before Calcite's. */
  static final SqlOperatorTable OPERATORS = SqlOperatorTables.of(PLUS, MINUS);

  /** The result type of date arithmetic on these operand types, or null when it is none. */
  private RelDataType dateResult(RelDataTypeFactory f, RelDataType left, RelDataType right) {
    boolean dateLeft = left.getSqlTypeName() == SqlTypeName.DATE;
    boolean dateRight = right.getSqlTypeName() == SqlTypeName.DATE;
    boolean intLeft = SqlTypeFamily.INTEGER.contains(left);
    boolean intRight = SqlTypeFamily.INTEGER.contains(right);
    SqlTypeName result = null;
    if (dateLeft && intRight || getKind() == SqlKind.PLUS && intLeft && dateRight) {
      result = SqlTypeName.DATE;
    } else if (getKind() == SqlKind.MINUS && dateLeft && dateRight) {
      result = SqlTypeName.INTEGER;
    } else if (getKind() == SqlKind.MINUS && left.getSqlTypeName() == SqlTypeName.TIMESTAMP
        && right.getSqlTypeName() == SqlTypeName.TIMESTAMP) {
      // timestamp - timestamp: an interval, days to seconds
      return f.createTypeWithNullability(f.createSqlIntervalType(new org.apache.calcite.sql.SqlIntervalQualifier(
          org.apache.calcite.avatica.util.TimeUnit.DAY, 9, org.apache.calcite.avatica.util.TimeUnit.SECOND, 3,
          org.apache.calcite.sql.parser.SqlParserPos.ZERO)), left.isNullable() || right.isNullable());
    }
    return result == null ? null : f.createTypeWithNullability(f.createSqlType(result),
        left.isNullable() || right.isNullable());
  }

  @Override
  public org.apache.calcite.sql.type.SqlOperandTypeChecker getOperandTypeChecker() {
    return standard.getOperandTypeChecker();
  }

  @Override
  public org.apache.calcite.sql.type.SqlOperandTypeInference getOperandTypeInference() {
    return standard.getOperandTypeInference();
  }

  @Override
  public String getAllowedSignatures(String opNameToUse) {
    return standard.getAllowedSignatures(opNameToUse) + "\n<DATE> " + getName() + " <INTEGER>"
        + (getKind() == SqlKind.MINUS ? "\n<DATE> - <DATE>" : "\n<INTEGER> + <DATE>");
  }

  @Override
  public org.apache.calcite.sql.SqlOperandCountRange getOperandCountRange() {
    return standard.getOperandCountRange();
  }

  @Override
  public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
    return dateResult(binding.getTypeFactory(), binding.getOperandType(0), binding.getOperandType(1)) != null
        || standard.checkOperandTypes(binding, throwOnFailure);
  }

  @Override
  public RelDataType inferReturnType(SqlOperatorBinding binding) {
    RelDataType date = dateResult(binding.getTypeFactory(), binding.getOperandType(0), binding.getOperandType(1));
    return date != null ? date : standard.inferReturnType(binding);
  }

  /** Converts date arithmetic to arithmetic on day numbers; everything else as Calcite does. */
  static final SqlRexConvertletTable CONVERTLETS = call -> {
    if (call.getOperator() instanceof DateArithmetic op) {
      return (cx, c) -> {
        RelDataTypeFactory f = cx.getTypeFactory();
        if (op.dateResult(f, typeOf(cx, c.operand(0)), typeOf(cx, c.operand(1))) != null) {
          return op.convertlet().convertCall(cx, c);
        }
        ((SqlBasicCall) c).setOperator(op.standard); // not date arithmetic: as Calcite converts it
        return StandardConvertletTable.INSTANCE.get(c).convertCall(cx, c);
      };
    }
    return StandardConvertletTable.INSTANCE.get(call);
  };

  private static RelDataType typeOf(org.apache.calcite.sql2rel.SqlRexContext cx, org.apache.calcite.sql.SqlNode node) {
    RelDataType t = cx.getValidator().getValidatedNodeTypeIfKnown(node);
    return t != null ? t : cx.convertExpression(node).getType();
  }

  private SqlRexConvertlet convertlet() {
    return (cx, call) -> {
      RexBuilder rex = cx.getRexBuilder();
      RelDataTypeFactory f = rex.getTypeFactory();
      RexNode left = cx.convertExpression(call.operand(0));
      RexNode right = cx.convertExpression(call.operand(1));
      if (left.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP) {
        return rex.makeCall(dateResult(f, left.getType(), right.getType()), SqlStdOperatorTable.MINUS_DATE,
            List.of(left, right));
      }
      RelDataType integer = f.createTypeWithNullability(f.createSqlType(SqlTypeName.INTEGER), true);
      RexNode l = days(rex, left, integer);
      RexNode r = days(rex, right, integer);
      RexNode sum = rex.makeCall(standard, List.of(l, r));
      RelDataType known = cx.getValidator().getValidatedNodeTypeIfKnown(call);
      RelDataType type = known != null ? known : dateResult(f, left.getType(), right.getType());
      return type.getSqlTypeName() == SqlTypeName.DATE ? rex.makeReinterpretCast(type, sum, rex.makeLiteral(false))
          : rex.makeCast(type, sum);
    };
  }

  /** A date's day number, or an integer as INTEGER. */
  private static RexNode days(RexBuilder rex, RexNode x, RelDataType integer) {
    RelDataType t = rex.getTypeFactory().createTypeWithNullability(integer, x.getType().isNullable());
    return x.getType().getSqlTypeName() == SqlTypeName.DATE ? rex.makeReinterpretCast(t, x, rex.makeLiteral(false))
        : rex.makeCast(t, x);
  }
}
