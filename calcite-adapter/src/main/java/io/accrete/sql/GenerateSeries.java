package io.accrete.sql;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.TableFunctionImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's {@code generate_series(start, stop [, step])} over integers, as a table in FROM:
 * one column named {@code generate_series} (or as the FROM item's alias names it), the values
 * from start to stop by step, none when step points away from stop.
 */
public final class GenerateSeries {
  private GenerateSeries() {}

  /** The table function of each arity, for the schema to register under {@code generate_series}. */
  static List<org.apache.calcite.schema.TableFunction> functions() {
    try {
      return List.of(
          TableFunctionImpl.create(GenerateSeries.class.getMethod("generateSeries", int.class, int.class)),
          TableFunctionImpl.create(GenerateSeries.class.getMethod("generateSeries", int.class, int.class, int.class)),
          TableFunctionImpl.create(GenerateSeries.class.getMethod("generateSeries", long.class, long.class)),
          TableFunctionImpl.create(GenerateSeries.class.getMethod("generateSeries", long.class, long.class, long.class)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("GenerateSeries lost a method", e);
    }
  }

  /**
   * The integers from {@code start} to {@code stop}.
   *
   * @param start the first value
   * @param stop the last value (inclusive)
   * @return a table of one column
   */
  public static ScannableTable generateSeries(int start, int stop) {
    return generateSeries(start, stop, 1);
  }

  /**
   * The integers from {@code start} to {@code stop} by {@code step}.
   *
   * @param start the first value
   * @param stop the bound (inclusive)
   * @param step the difference between values; not zero
   * @return a table of one column
   * @throws AccreteSqlException (22023) when step is zero
   */
  public static ScannableTable generateSeries(int start, int stop, int step) {
    return series(start, stop, step, false);
  }

  /**
   * The integers from {@code start} to {@code stop}, as BIGINT (PostgreSQL's
   * {@code generate_series(bigint, bigint)}).
   *
   * @param start the first value
   * @param stop the last value (inclusive)
   * @return a table of one BIGINT column
   */
  public static ScannableTable generateSeries(long start, long stop) {
    return generateSeries(start, stop, 1L);
  }

  /**
   * The integers from {@code start} to {@code stop} by {@code step}, as BIGINT.
   *
   * @param start the first value
   * @param stop the bound (inclusive)
   * @param step the difference between values; not zero
   * @return a table of one BIGINT column
   * @throws AccreteSqlException (22023) when step is zero
   */
  public static ScannableTable generateSeries(long start, long stop, long step) {
    return series(start, stop, step, true);
  }

  private static ScannableTable series(long start, long stop, long step, boolean bigint) {
    if (step == 0) {
      throw new AccreteSqlException("22023", "step size cannot equal zero");
    }
    return new Series(start, stop, step, bigint);
  }

  private static final class Series extends AbstractTable implements ScannableTable {
    private final long start;
    private final long stop;
    private final long step;
    private final boolean bigint;

    Series(long start, long stop, long step, boolean bigint) {
      this.start = start;
      this.stop = stop;
      this.step = step;
      this.bigint = bigint;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
      return f.builder().add("generate_series", bigint ? SqlTypeName.BIGINT : SqlTypeName.INTEGER).build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return new AbstractEnumerable<>() {
        @Override
        public Enumerator<Object[]> enumerator() {
          // a huge series stops on cancel, a query timeout or the session's statement_timeout
          Cancellation cancellation = Cancellation.of(root, SequenceFunctions.session(root));
          return new Enumerator<>() {
            private long next = start;
            private boolean done;
            private long produced;
            private Object[] current;

            @Override
            public Object[] current() {
              return current;
            }

            @Override
            public boolean moveNext() {
              if (done || (step > 0 ? next > stop : next < stop)) {
                return false;
              }
              if ((produced++ & 1023) == 0) {
                cancellation.check();
              }
              current = new Object[] {bigint ? (Object) next : (Object) (int) next};
              try {
                next = Math.addExact(next, step);
              } catch (ArithmeticException e) {
                done = true; // the last value representable: PostgreSQL stops there too
              }
              return true;
            }

            @Override
            public void reset() {
              next = start;
              done = false;
            }

            @Override
            public void close() {}
          };
        }
      };
    }
  }
}
