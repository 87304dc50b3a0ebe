package io.accrete.sql;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;

/**
 * PostgreSQL's ordered-set aggregates {@code percentile_cont(f) WITHIN GROUP (ORDER BY x)} and
 * {@code percentile_disc}, which Calcite parses but cannot run: {@link PostgresRewrites} turns
 * them into calls of these aggregates, {@code percentile_cont(f, x)}, with {@code 1 - f} for
 * {@code ORDER BY x DESC}. NULLs are skipped; no rows give NULL.
 */
public final class Percentiles {
  private Percentiles() {}

  /**
   * {@code accrete_as_type_of(value, sample)}: the value cast to the sample's type (nullable).
   * {@code percentile_disc} collects doubles; wrapped as {@code accrete_as_type_of(…, min(x))} it
   * answers in the type of what it orders, as PostgreSQL's does ({@code 1987}, not {@code 1987.0}).
   */
  static final org.apache.calcite.sql.SqlFunction AS_TYPE_OF = new org.apache.calcite.sql.SqlFunction(
      "ACCRETE_AS_TYPE_OF", org.apache.calcite.sql.SqlKind.OTHER_FUNCTION,
      org.apache.calcite.sql.type.ReturnTypes.ARG1.andThen(org.apache.calcite.sql.type.SqlTypeTransforms.FORCE_NULLABLE),
      null, org.apache.calcite.sql.type.OperandTypes.ANY_ANY, org.apache.calcite.sql.SqlFunctionCategory.SYSTEM);

  static final org.apache.calcite.sql.SqlOperatorTable OPERATORS =
      org.apache.calcite.sql.util.SqlOperatorTables.of(AS_TYPE_OF);

  /** {@link #AS_TYPE_OF} as a row expression: a cast; the sample is not computed. */
  static final org.apache.calcite.sql2rel.SqlRexConvertlet AS_TYPE_OF_CONVERTLET = (cx, call) ->
      cx.getRexBuilder().makeCast(cx.getValidator().getValidatedNodeType(call), cx.convertExpression(call.operand(0)));

  /** The schema's aggregate functions: name, implementation. */
  static List<Object[]> functions() {
    return List.of(new Object[] {Cont.NAME, AggregateFunctionImpl.create(Cont.class)},
        new Object[] {Disc.NAME, AggregateFunctionImpl.create(Disc.class)});
  }

  /** The values of a group, and the fraction asked for. */
  public static final class Values {
    double fraction = Double.NaN;
    double[] values = new double[16];
    int size;

    void add(Double fraction, Double value) {
      if (value == null) {
        return;
      }
      // percentile_disc over a descending order comes as -1 - f (see PostgresRewrites)
      if (fraction == null || !(fraction >= 0 && fraction <= 1 || fraction >= -2 && fraction <= -1)) {
        throw new AccreteSqlException("22003", "percentile value " + (fraction != null && fraction < 0 ? -1 - fraction
            : fraction) + " is not between 0 and 1");
      }
      this.fraction = fraction;
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    double[] sorted() {
      double[] v = Arrays.copyOf(values, size);
      Arrays.sort(v);
      return v;
    }
  }

  /** What both aggregates do with a group's rows: keep the values and the fraction. */
  public abstract static class Collect {
    /** @return an empty group */
    public Values init() {
      return new Values();
    }

    /**
     * @param acc the group
     * @param fraction the fraction, 0 to 1
     * @param value a value, null is skipped
     * @return the group
     */
    public Values add(Values acc, Double fraction, Double value) {
      acc.add(fraction, value);
      return acc;
    }
  }

  /** {@code percentile_cont}: interpolates between the two nearest values. */
  public static final class Cont extends Collect {
    static final String NAME = "accrete_percentile_cont";

    /**
     * @param acc the group
     * @return the percentile, null for no values
     */
    public Double result(Values acc) {
      if (acc.size == 0) {
        return null;
      }
      double[] v = acc.sorted();
      double at = acc.fraction * (v.length - 1);
      int lo = (int) Math.floor(at);
      int hi = (int) Math.ceil(at);
      return lo == hi ? v[lo] : v[lo] + (at - lo) * (v[hi] - v[lo]);
    }
  }

  /**
   * {@code percentile_disc}: the first value whose position reaches the fraction, in ascending
   * order, or in descending order when the fraction comes as {@code -1 - f}.
   */
  public static final class Disc extends Collect {
    static final String NAME = "accrete_percentile_disc";

    /**
     * @param acc the group
     * @return the percentile, null for no values
     */
    public Double result(Values acc) {
      if (acc.size == 0) {
        return null;
      }
      double[] v = acc.sorted();
      boolean descending = acc.fraction < 0;
      double f = descending ? -1 - acc.fraction : acc.fraction;
      int i = Math.max(0, (int) Math.ceil(f * v.length) - 1); // the first whose position reaches f
      return descending ? v[v.length - 1 - i] : v[i];
    }
  }
}
