package io.accrete.sql;

import java.math.RoundingMode;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;

/**
 * Calcite's type system with PostgreSQL's numeric rounding: a value cast to fewer decimal places
 * rounds half away from zero ({@code CAST(2.345 AS NUMERIC(6,2))} is 2.35), where Calcite's
 * default truncates. Named by the {@code typeSystem} connection property.
 */
public final class AccreteTypeSystem extends RelDataTypeSystemImpl {
  /** The instance the {@code typeSystem} property names ({@code …AccreteTypeSystem#INSTANCE}). */
  public static final AccreteTypeSystem INSTANCE = new AccreteTypeSystem();

  private AccreteTypeSystem() {}

  @Override
  public RoundingMode roundingMode() {
    return RoundingMode.HALF_UP;
  }
}
