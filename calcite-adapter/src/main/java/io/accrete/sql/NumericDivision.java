package io.accrete.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.tools.Program;

/**
 * Division of numerics as PostgreSQL does it: the quotient has at least 16 significant digits
 * and at least as many decimals as either operand ({@code 1::numeric / 3} is
 * 0.33333333333333333333, {@code avg} of 5421.75… has 16 decimals), rounded half away from zero.
 * Calcite's generated code divides decimals to 16 significant digits in all, so an average such
 * as 5421.7592307692307692 came out as 5421.759230769231. A planning step after join ordering
 * (before projections and filters merge into programs, where expressions are trees still)
 * replaces every division whose result is a DECIMAL (those {@code AVG} becomes included) by
 * {@link #divide}.
 * Public only for Calcite's generated code.
 */
public final class NumericDivision {
  private NumericDivision() {}

  private static final SqlUserDefinedFunction DIVIDE;
  private static final SqlUserDefinedFunction FIT;
  private static final SqlUserDefinedFunction SCALE;

  static {
    try {
      DIVIDE = new SqlUserDefinedFunction(new SqlIdentifier("accrete_numeric_divide", SqlParserPos.ZERO),
          ReturnTypes.ARG0, InferTypes.FIRST_KNOWN, OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.NUMERIC),
          null, ScalarFunctionImpl.create(NumericDivision.class.getMethod("divide", BigDecimal.class, BigDecimal.class)));
      FIT = new SqlUserDefinedFunction(new SqlIdentifier("accrete_numeric_fit", SqlParserPos.ZERO),
          ReturnTypes.ARG0, InferTypes.FIRST_KNOWN, OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.INTEGER),
          null, ScalarFunctionImpl.create(NumericDivision.class.getMethod("fit", BigDecimal.class, int.class)));
      SCALE = new SqlUserDefinedFunction(new SqlIdentifier("accrete_numeric_scale", SqlParserPos.ZERO),
          ReturnTypes.ARG0, InferTypes.FIRST_KNOWN, OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.INTEGER),
          null, ScalarFunctionImpl.create(NumericDivision.class.getMethod("scale", BigDecimal.class, int.class)));
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A value cast to a 38-digit decimal type that no one wrote (an unconstrained NUMERIC, bigdec,
   * or a type Calcite derived from them): unchanged, as an unconstrained numeric keeps its own
   * scale in PostgreSQL. Calcite's cast padded it or cut it instead ({@code CASE WHEN … THEN price
   * * (1 - discount) ELSE 0 END} had 28 decimals and a quotient of it 30 where PostgreSQL's has
   * 16; AVG of quotients with 20 decimals was cut to 16). A cast written with a precision rounds
   * as PostgreSQL's does ({@link #scale}).
   *
   * @param x the value, or null
   * @param scale the type's scale (the value keeps its own)
   * @return the value
   */
  public static BigDecimal fit(BigDecimal x, int scale) {
    return x;
  }

  /**
   * A value cast to {@code NUMERIC(38, s)} as written in a statement: rounded half away from
   * zero, or padded, to {@code s} decimals, as PostgreSQL does.
   *
   * @param x the value, or null
   * @param scale the decimals
   * @return the value with that scale
   */
  public static BigDecimal scale(BigDecimal x, int scale) {
    return x == null ? null : x.setScale(scale, RoundingMode.HALF_UP);
  }

  /** An explicit cast to a decimal of 38 digits, which {@link #fit} must not take for Calcite's. */
  static RexNode writtenCast(RexBuilder rex, RelDataType type, RexNode x) {
    if (x.getType().getSqlTypeName() != SqlTypeName.DECIMAL) {
      x = rex.makeCast(rex.getTypeFactory().createTypeWithNullability(rex.getTypeFactory().createSqlType(
          SqlTypeName.DECIMAL, 38, Math.min(type.getScale(), 18)), x.getType().isNullable()), x);
    }
    return rex.makeCall(type, SCALE, List.of(x, rex.makeExactLiteral(BigDecimal.valueOf(type.getScale()))));
  }

  /**
   * {@code a / b} with PostgreSQL's scale (its {@code select_div_scale}).
   *
   * @param a the dividend, or null
   * @param b the divisor, or null
   * @return the quotient, null when either is null
   * @throws AccreteSqlException 22012 when b is zero
   */
  public static BigDecimal divide(BigDecimal a, BigDecimal b) {
    if (a == null || b == null) {
      return null;
    }
    if (b.signum() == 0) {
      throw new AccreteSqlException("22012", "division by zero");
    }
    int[] wa = weight(a);
    int[] wb = weight(b);
    int qweight = wa[0] - wb[0];
    if (wa[1] < wb[1]) {
      qweight--;
    }
    int scale = 16 - qweight * 4;
    scale = Math.max(scale, Math.max(Math.max(a.scale(), b.scale()), 0));
    scale = Math.min(scale, 1000);
    return a.divide(b, scale, RoundingMode.HALF_UP);
  }

  /** PostgreSQL's weight (in base-10000 digits) and first base-10000 digit of a value; zero's are 0, 0. */
  private static int[] weight(BigDecimal x) {
    if (x.signum() == 0) {
      return new int[] {0, 0};
    }
    BigDecimal abs = x.abs();
    int exponent = abs.precision() - abs.scale() - 1; // floor(log10 |x|)
    int weight = Math.floorDiv(exponent, 4);
    int first = abs.movePointLeft(weight * 4).intValue(); // 1 … 9999
    return new int[] {weight, first};
  }

  /** The planning step: decimal divisions become {@link #divide}, casts to 38-digit decimals {@link #fit}. */
  static Program program() {
    return (planner, rel, traits, materializations, lattices) -> rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited.accept(new Rewrite(visited.getCluster().getRexBuilder()));
      }
    });
  }

  private static final class Rewrite extends RexShuttle {
    private final RexBuilder rex;

    Rewrite(RexBuilder rex) {
      this.rex = rex;
    }

    /**
     * A decimal literal of a 38-digit type without the zeros its type's scale padded it with:
     * {@code ELSE 0} beside a bigdec became 0E-28, and every sum it joined had 28 decimals.
     */
    @Override
    public RexNode visitLiteral(org.apache.calcite.rex.RexLiteral literal) {
      if (literal.getTypeName() == SqlTypeName.DECIMAL && literal.getType().getSqlTypeName() == SqlTypeName.DECIMAL
          && literal.getType().getPrecision() == 38
          && literal.getValueAs(BigDecimal.class) != null && literal.getValueAs(BigDecimal.class).scale() > 0) {
        BigDecimal v = literal.getValueAs(BigDecimal.class);
        BigDecimal stripped = v.stripTrailingZeros();
        if (stripped.scale() < v.scale()) {
          // a literal always has its type's scale: the value without padding is a fit of one that has its own
          return rex.makeCall(literal.getType(), FIT, List.of(
              rex.makeExactLiteral(stripped.scale() < 0 ? stripped.setScale(0) : stripped),
              rex.makeExactLiteral(BigDecimal.valueOf(literal.getType().getScale()))));
        }
      }
      return literal;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexCall visited = (RexCall) super.visitCall(call);
      if (visited.getKind() == SqlKind.CAST && visited.operands.get(0) instanceof RexCall inner
          && inner.getOperator() == DIVIDE && isAverageType(visited.getType())) {
        // AVG's result cast to its type would cut the quotient to 16 places (PostgreSQL's 11/12
        // is 0.91666666666666666667): the quotient keeps its own scale, as a numeric's value does
        return rex.makeCall(visited.getType(), DIVIDE, inner.operands);
      }
      if (visited.getKind() == SqlKind.CAST && visited.getType().getSqlTypeName() == SqlTypeName.DECIMAL
          && visited.getType().getPrecision() == 38 && exact(visited.operands.get(0))) {
        RexNode x = visited.operands.get(0);
        if (x.getType().getSqlTypeName() != SqlTypeName.DECIMAL) { // an integer: its own digits, no decimals
          x = rex.makeCast(rex.getTypeFactory().createTypeWithNullability(rex.getTypeFactory().createSqlType(
              SqlTypeName.DECIMAL, 19, 0), x.getType().isNullable()), x);
        }
        return rex.makeCall(visited.getType(), FIT, List.of(x,
            rex.makeExactLiteral(BigDecimal.valueOf(visited.getType().getScale()))));
      }
      if (visited.getKind() != SqlKind.DIVIDE || visited.getType().getSqlTypeName() != SqlTypeName.DECIMAL
          || !exact(visited.operands.get(0)) || !exact(visited.operands.get(1))) {
        return visited;
      }
      return rex.makeCall(visited.getType(), DIVIDE, List.of(decimal(visited.operands.get(0)),
          decimal(visited.operands.get(1))));
    }

    /**
     * The type {@link AccreteTypeSystem} gives AVG of an integer or a decimal: 38 digits, the
     * argument's scale and at least 16 (an unconstrained NUMERIC, or bigdec, has 18).
     */
    private static boolean isAverageType(RelDataType t) {
      return t.getSqlTypeName() == SqlTypeName.DECIMAL && t.getPrecision() == 38 && t.getScale() >= 16;
    }

    private static boolean exact(RexNode x) {
      SqlTypeName t = x.getType().getSqlTypeName();
      return t == SqlTypeName.DECIMAL || SqlTypeName.INT_TYPES.contains(t);
    }

    /**
     * The operand as a decimal with its own scale: a widening cast to DECIMAL (what AVG's sum
     * gets) is looked through, so the sum keeps the scale PostgreSQL's has.
     */
    private RexNode decimal(RexNode x) {
      RexNode inner = x;
      while (inner instanceof RexCall c && c.getKind() == SqlKind.CAST && exact(c.operands.get(0))
          && c.getType().getSqlTypeName() == SqlTypeName.DECIMAL
          && c.operands.get(0).getType().getScale() <= c.getType().getScale()) {
        inner = c.operands.get(0);
      }
      RelDataType t = inner.getType();
      if (t.getSqlTypeName() == SqlTypeName.DECIMAL) {
        return inner;
      }
      return rex.makeCast(rex.getTypeFactory().createTypeWithNullability(
          rex.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, 19, 0), t.isNullable()), inner);
    }
  }
}
