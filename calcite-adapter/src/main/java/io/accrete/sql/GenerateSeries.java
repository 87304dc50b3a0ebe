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
          TableFunctionImpl.create(GenerateSeries.class.getMethod("generateSeries", int.class, int.class, int.class)));
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
    if (step == 0) {
      throw new AccreteSqlException("22023", "step size cannot equal zero");
    }
    return new Series(start, stop, step);
  }

  private static final class Series extends AbstractTable implements ScannableTable {
    private final int start;
    private final int stop;
    private final int step;

    Series(int start, int stop, int step) {
      this.start = start;
      this.stop = stop;
      this.step = step;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
      return f.builder().add("generate_series", SqlTypeName.INTEGER).build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return new AbstractEnumerable<>() {
        @Override
        public Enumerator<Object[]> enumerator() {
          Cancellation cancellation = Cancellation.of(root, null); // a huge series stops on cancel too
          return new Enumerator<>() {
            private long next = start;
            private long produced;
            private Object[] current;

            @Override
            public Object[] current() {
              return current;
            }

            @Override
            public boolean moveNext() {
              if (step > 0 ? next > stop : next < stop) {
                return false;
              }
              if ((produced++ & 1023) == 0) {
                cancellation.check();
              }
              current = new Object[] {(int) next};
              next += step;
              return true;
            }

            @Override
            public void reset() {
              next = start;
            }

            @Override
            public void close() {}
          };
        }
      };
    }
  }
}
