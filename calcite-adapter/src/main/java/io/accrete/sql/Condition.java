package io.accrete.sql;

import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;

/**
 * A filter on one column that the scan applies itself: a set of intervals (points, ranges,
 * {@code IN} lists, all from Calcite's search arguments), {@code IS NULL} or {@code IS NOT NULL}.
 * Operands are literals in SQL internal form or statement parameters bound at execution.
 */
final class Condition {
  enum Kind { INTERVALS, IS_NULL, IS_NOT_NULL }

  /**
   * A literal (in SQL internal form), the index of a statement parameter, or the index of a
   * value of the outer row in a lookup join.
   */
  record Operand(Object literal, int param, int outer) {
    static Operand of(Object literal) {
      return new Operand(literal, -1, -1);
    }

    static Operand param(int index) {
      return new Operand(null, index, -1);
    }

    static Operand outer(int index) {
      return new Operand(null, -1, index);
    }

    Object resolve(Column column, DataContext root, Object[] outerRow) {
      if (outer >= 0) {
        return column.internal(outerRow[outer]);
      }
      if (param < 0) {
        return literal;
      }
      Object raw = root.get("?" + param);
      if (raw == null) {
        return null;
      }
      Object v = column.internal(raw);
      if (v == null) {
        throw new AccreteSqlException("Parameter " + (param + 1) + " (" + raw.getClass().getSimpleName()
            + " " + raw + ") cannot be compared with column " + column.name() + " ("
            + (column.declared() != null ? column.declared().getName() : SqlTypes.name(column.conditionType())) + ")");
      }
      return v;
    }

    @Override
    public String toString() {
      return outer >= 0 ? "$outer" + outer : param >= 0 ? "?" + param
          : literal instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(literal);
    }
  }

  /** An interval; a null bound is unbounded. A point has equal inclusive bounds. */
  record Interval(Operand lo, boolean loInclusive, Operand hi, boolean hiInclusive) {
    static Interval point(Operand x) {
      return new Interval(x, true, x, true);
    }

    boolean isPoint() {
      return lo != null && lo.equals(hi) && loInclusive && hiInclusive;
    }
  }

  final int column;
  final Kind kind;
  final List<Interval> intervals;
  final boolean nullMatches;

  private Condition(int column, Kind kind, List<Interval> intervals, boolean nullMatches) {
    this.column = column;
    this.kind = kind;
    this.intervals = List.copyOf(intervals);
    this.nullMatches = nullMatches;
  }

  static Condition intervals(int column, List<Interval> intervals, boolean nullMatches) {
    return new Condition(column, Kind.INTERVALS, intervals, nullMatches);
  }

  static Condition isNull(int column, boolean isNull) {
    return new Condition(column, isNull ? Kind.IS_NULL : Kind.IS_NOT_NULL, List.of(), !isNull);
  }

  /** Whether {@code other} tests the same column the same way. */
  boolean sameAs(Condition other) {
    return column == other.column && kind == other.kind && nullMatches == other.nullMatches
        && intervals.equals(other.intervals);
  }

  /** Whether rows where the column is null never pass. */
  boolean rejectsNull() {
    return kind == Kind.IS_NOT_NULL || (kind == Kind.INTERVALS && !nullMatches);
  }

  /** Whether the condition names a finite set of values (an equality or an IN list). */
  boolean isPoints() {
    return kind == Kind.INTERVALS && !nullMatches && intervals.stream().allMatch(Interval::isPoint);
  }

  /** Whether every interval is bounded on at least one side (an index range can serve it). */
  boolean isRanges() {
    return kind == Kind.INTERVALS && !nullMatches && !intervals.isEmpty()
        && intervals.stream().allMatch(i -> i.lo() != null || i.hi() != null);
  }

  /** The condition with its parameters (and outer-row values, or null) bound, ready to test values. */
  Bound bind(Column col, DataContext root, Object[] outerRow) {
    List<Object[]> resolved = new ArrayList<>(intervals.size());
    for (Interval i : intervals) {
      Object lo = i.lo() == null ? null : i.lo().resolve(col, root, outerRow);
      Object hi = i.hi() == null ? null : i.hi().resolve(col, root, outerRow);
      if ((i.lo() != null && lo == null) || (i.hi() != null && hi == null)) {
        continue; // a comparison with NULL matches nothing
      }
      resolved.add(new Object[] {lo, hi, i.loInclusive(), i.hiInclusive(), i.lo() != null, i.hi() != null});
    }
    return new Bound(this, resolved);
  }

  /** A condition with values for its parameters. */
  static final class Bound {
    final Condition condition;
    /** Per interval: lo, hi, loInclusive, hiInclusive, hasLo, hasHi. */
    final List<Object[]> intervals;

    private Bound(Condition condition, List<Object[]> intervals) {
      this.condition = condition;
      this.intervals = intervals;
    }

    /** The point values of an equality or IN condition. */
    List<Object> points() {
      List<Object> out = new ArrayList<>(intervals.size());
      for (Object[] i : intervals) {
        out.add(i[0]);
      }
      return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    boolean test(Object v) {
      switch (condition.kind) {
        case IS_NULL:
          return v == null;
        case IS_NOT_NULL:
          return v != null;
        default:
          if (v == null) {
            return condition.nullMatches;
          }
          Comparable c = (Comparable) v;
          for (Object[] i : intervals) {
            if ((boolean) i[4]) {
              int x = c.compareTo(i[0]);
              if (x < 0 || (x == 0 && !(boolean) i[2])) {
                continue;
              }
            }
            if ((boolean) i[5]) {
              int x = c.compareTo(i[1]);
              if (x > 0 || (x == 0 && !(boolean) i[3])) {
                continue;
              }
            }
            return true;
          }
          return false;
      }
    }
  }

  /** The condition as SQL-ish text for EXPLAIN. */
  String describe(String col) {
    switch (kind) {
      case IS_NULL:
        return col + " IS NULL";
      case IS_NOT_NULL:
        return col + " IS NOT NULL";
      default:
        List<String> parts = new ArrayList<>();
        if (isPoints()) {
          if (intervals.size() == 1) {
            return col + " = " + intervals.get(0).lo();
          }
          for (Interval i : intervals) {
            parts.add(i.lo().toString());
          }
          return col + " IN (" + String.join(", ", parts) + ")";
        }
        for (Interval i : intervals) {
          if (i.isPoint()) {
            parts.add(col + " = " + i.lo());
            continue;
          }
          List<String> sides = new ArrayList<>();
          if (i.lo() != null) {
            sides.add(col + (i.loInclusive() ? " >= " : " > ") + i.lo());
          }
          if (i.hi() != null) {
            sides.add(col + (i.hiInclusive() ? " <= " : " < ") + i.hi());
          }
          parts.add(sides.isEmpty() ? col + " IS NOT NULL" : String.join(" AND ", sides));
        }
        if (nullMatches) {
          parts.add(col + " IS NULL");
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }
  }
}
