package io.accrete.sql;

import java.math.RoundingMode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system with PostgreSQL's numeric rules where Calcite's differ: a value cast to
 * fewer decimal places rounds half away from zero ({@code CAST(2.345 AS NUMERIC(6,2))} is 2.35),
 * where Calcite's default truncates; {@code AVG} of a decimal or an integer is a decimal with the fraction (16 places, as
 * PostgreSQL gives; Calcite kept the argument's scale, so the average of 1.25, 2.5 and 4 in an
 * unconstrained NUMERIC came out as 3; the last digit may differ, Calcite dividing with 16
 * significant digits); decimals have up to 38 digits. Named by the
 * {@code typeSystem} connection property.
 */
public final class AccreteTypeSystem extends RelDataTypeSystemImpl {
  /** The instance the {@code typeSystem} property names ({@code …AccreteTypeSystem#INSTANCE}). */
  public static final AccreteTypeSystem INSTANCE = new AccreteTypeSystem();

  private AccreteTypeSystem() {}

  /**
   * SUM of a DECIMAL(p, s) is DECIMAL(p + 10, s), room for the sum of many values; Calcite's
   * DECIMAL(38, s) left no digits to spare, so COALESCE(SUM(x), 1.125) rounded to x's scale.
   * SUM of a SMALLINT or INTEGER is a BIGINT, as in PostgreSQL (Calcite's INTEGER sum wrapped
   * around past 2^31).
   */
  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    SqlTypeName t = argumentType.getSqlTypeName();
    if (t == SqlTypeName.TINYINT || t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER) {
      return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.BIGINT),
          argumentType.isNullable());
    }
    if (t != SqlTypeName.DECIMAL) {
      return super.deriveSumType(typeFactory, argumentType);
    }
    int precision = Math.min(getMaxPrecision(SqlTypeName.DECIMAL), argumentType.getPrecision() + 10);
    return typeFactory.createTypeWithNullability(
        typeFactory.createSqlType(SqlTypeName.DECIMAL, precision, argumentType.getScale()), argumentType.isNullable());
  }

  /** CASE and UNION of texts of different lengths give text, not blank-padded CHAR (PostgreSQL's {@code text}). */
  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  @Override
  public RoundingMode roundingMode() {
    return RoundingMode.HALF_UP;
  }

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxPrecision(typeName);
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    if (argumentType.getSqlTypeName() != SqlTypeName.DECIMAL
        && !SqlTypeName.INT_TYPES.contains(argumentType.getSqlTypeName())) {
      return super.deriveAvgAggType(typeFactory, argumentType); // floating point: a double
    }
    int scale = Math.max(argumentType.getScale(), 16);
    return typeFactory.createTypeWithNullability(
        typeFactory.createSqlType(SqlTypeName.DECIMAL, getMaxPrecision(SqlTypeName.DECIMAL), scale), argumentType.isNullable());
  }
}
