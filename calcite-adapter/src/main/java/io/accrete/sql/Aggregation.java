package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code GROUP BY} and its aggregate functions over materialized rows, for {@link PlanInterpreter}:
 * COUNT, SUM and $SUM0 (integers summed exactly, in the result's type), MIN, MAX and
 * SINGLE_VALUE, with DISTINCT and FILTER; groups whose keys are equal numbers are one group.
 */
final class Aggregation {
  private Aggregation() {}

  static PlanInterpreter.Op of(LogicalAggregate aggregate, PlanInterpreter.Op input) {
    if (aggregate.getGroupSets().size() != 1) {
      throw PlanInterpreter.UNSUPPORTED;
    }
    int[] keys = aggregate.getGroupSet().toArray();
    List<AggregateCall> calls = aggregate.getAggCallList();
    List<RelDataType> inputTypes = RelOptUtil.getFieldTypeList(aggregate.getInput().getRowType());
    Accumulator.Kind[] kinds = new Accumulator.Kind[calls.size()];
    Comparator<?>[] orders = new Comparator<?>[calls.size()];
    for (int i = 0; i < kinds.length; i++) {
      AggregateCall call = calls.get(i);
      kinds[i] = Accumulator.kind(call);
      if (!call.rexList.isEmpty() || call.isApproximate() || !call.getCollation().getFieldCollations().isEmpty()
          || call.distinctKeys != null) {
        throw PlanInterpreter.UNSUPPORTED;
      }
      if (kinds[i] == Accumulator.Kind.MIN || kinds[i] == Accumulator.Kind.MAX) {
        orders[i] = PlanInterpreter.valueOrder(inputTypes.get(call.getArgList().get(0)));
      }
      if (kinds[i] == Accumulator.Kind.SUM || kinds[i] == Accumulator.Kind.SUM0) {
        SqlTypeName t = call.getType().getSqlTypeName();
        if (!SqlTypeName.NUMERIC_TYPES.contains(t)) {
          throw PlanInterpreter.UNSUPPORTED;
        }
      }
    }
    return env -> {
      Map<List<Object>, Object[]> groups = new LinkedHashMap<>();
      Map<List<Object>, Accumulator[]> accumulators = new HashMap<>();
      for (Object[] row : input.rows(env)) {
        Object[] keyValues = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
          keyValues[i] = row[keys[i]];
        }
        List<Object> key = PlanInterpreter.key(keyValues);
        Accumulator[] acc = accumulators.get(key);
        if (acc == null) {
          groups.put(key, keyValues);
          acc = accumulators(calls, kinds, orders);
          accumulators.put(key, acc);
        }
        for (int i = 0; i < acc.length; i++) {
          AggregateCall call = calls.get(i);
          if (call.filterArg >= 0 && !Boolean.TRUE.equals(row[call.filterArg])) {
            continue;
          }
          acc[i].add(row, call);
        }
      }
      if (groups.isEmpty() && keys.length == 0) {
        groups.put(List.of(), new Object[0]);
        accumulators.put(List.of(), accumulators(calls, kinds, orders));
      }
      List<Object[]> rows = new ArrayList<>(groups.size());
      for (Map.Entry<List<Object>, Object[]> g : groups.entrySet()) {
        Accumulator[] acc = accumulators.get(g.getKey());
        Object[] row = Arrays.copyOf(g.getValue(), keys.length + acc.length);
        for (int i = 0; i < acc.length; i++) {
          row[keys.length + i] = acc[i].result(calls.get(i).getType());
        }
        rows.add(row);
      }
      return rows;
    };
  }

  private static Accumulator[] accumulators(List<AggregateCall> calls, Accumulator.Kind[] kinds, Comparator<?>[] orders) {
    Accumulator[] acc = new Accumulator[calls.size()];
    for (int i = 0; i < acc.length; i++) {
      @SuppressWarnings("unchecked") Comparator<Object> order = (Comparator<Object>) orders[i];
      acc[i] = new Accumulator(kinds[i], calls.get(i).isDistinct(), order);
    }
    return acc;
  }

  /** One aggregate function's state for one group. */
  static final class Accumulator {
    enum Kind { COUNT, SUM, SUM0, MIN, MAX, SINGLE_VALUE }

    private final Kind kind;
    private final Set<List<Object>> seen;
    private final Comparator<Object> order;
    private long count;
    private Object value;
    private long longSum;
    private BigDecimal decimalSum;
    private double doubleSum;

    Accumulator(Kind kind, boolean distinct, Comparator<Object> order) {
      this.kind = kind;
      this.seen = distinct ? new java.util.HashSet<>() : null;
      this.order = order;
    }

    static Kind kind(AggregateCall call) {
      return switch (call.getAggregation().getKind()) {
        case COUNT -> Kind.COUNT;
        case SUM -> Kind.SUM;
        case SUM0 -> Kind.SUM0;
        case MIN -> Kind.MIN;
        case MAX -> Kind.MAX;
        case SINGLE_VALUE -> Kind.SINGLE_VALUE;
        default -> throw PlanInterpreter.UNSUPPORTED;
      };
    }

    void add(Object[] row, AggregateCall call) {
      List<Integer> args = call.getArgList();
      for (int a : args) {
        if (row[a] == null) {
          return; // aggregates skip rows with a null argument
        }
      }
      if (seen != null) {
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = row[args.get(i)];
        }
        if (!seen.add(PlanInterpreter.key(values))) {
          return;
        }
      }
      count++;
      if (kind == Kind.COUNT) {
        return;
      }
      Object v = row[args.get(0)];
      switch (kind) {
        case SUM, SUM0 -> {
          if (v instanceof BigDecimal d) {
            decimalSum = decimalSum == null ? d : decimalSum.add(d);
          } else if (v instanceof Double || v instanceof Float) {
            doubleSum += ((Number) v).doubleValue();
          } else {
            longSum = Math.addExact(longSum, ((Number) v).longValue());
          }
          value = v;
        }
        case MIN -> value = value == null || order.compare(v, value) < 0 ? v : value;
        case MAX -> value = value == null || order.compare(v, value) > 0 ? v : value;
        default -> {
          if (count > 1) {
            throw new AccreteSqlException("21000", "more than one row returned by a subquery used as an expression");
          }
          value = v;
        }
      }
    }

    Object result(RelDataType type) {
      SqlTypeName t = type.getSqlTypeName();
      return switch (kind) {
        case COUNT -> count;
        case SUM, SUM0 -> {
          if (count == 0) {
            yield kind == Kind.SUM ? null : sumOf(t, 0, BigDecimal.ZERO, 0);
          }
          yield sumOf(t, longSum, decimalSum, doubleSum);
        }
        default -> value == null ? null : same(value, t);
      };
    }

    private Object sumOf(SqlTypeName t, long l, BigDecimal d, double x) {
      boolean decimals = value instanceof BigDecimal;
      boolean doubles = value instanceof Double || value instanceof Float;
      return switch (t) {
        case DECIMAL -> decimals ? d : doubles ? new BigDecimal(Double.toString(x)) : BigDecimal.valueOf(l);
        case DOUBLE, FLOAT -> decimals ? d.doubleValue() : doubles ? x : (double) l;
        case REAL -> (float) (decimals ? d.doubleValue() : doubles ? x : (double) l);
        default -> {
          if (decimals || doubles) {
            throw new IllegalStateException("an integer sum of non-integers");
          }
          yield RowExpressions.narrow(l, t);
        }
      };
    }

    private static Object same(Object v, SqlTypeName t) {
      if (v instanceof Number n && SqlTypeName.INT_TYPES.contains(t)) {
        return RowExpressions.narrow(n.longValue(), t);
      }
      return v;
    }
  }
}
