package io.accrete.sql;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.TimestampString;
import org.apache.calcite.util.Sarg;

/**
 * Splits a filter into the conditions a scan applies itself (comparisons, search arguments —
 * which is how Calcite writes {@code IN} lists and ranges — and {@code IS [NOT] NULL} on one
 * column against literals or parameters) and the rest, which stays in Calcite.
 */
final class FilterTranslator {
  private FilterTranslator() {}

  /** The pushed conditions (on table columns) and the conjuncts left over. */
  record Result(List<Condition> pushed, List<RexNode> remaining) {}

  static Result translate(RexNode filter, ScanSpec spec) {
    List<Condition> pushed = new ArrayList<>();
    List<RexNode> remaining = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter)) {
      Condition c = condition(conjunct, spec);
      if (c != null) {
        pushed.add(c);
      } else {
        remaining.add(conjunct);
        Condition prefix = likePrefix(conjunct, spec);
        if (prefix != null && spec.conditions.stream().noneMatch(prefix::sameAs)) {
          // The range holds every match; the pattern itself stays in Calcite (once pushed, the
          // range is not pushed again when the planner meets the pattern above the scan).
          pushed.add(prefix);
        }
      }
    }
    return new Result(pushed, remaining);
  }

  private static Condition condition(RexNode node, ScanSpec spec) {
    if (!(node instanceof RexCall call)) {
      return null;
    }
    SqlKind kind = call.getKind();
    if (kind == SqlKind.IS_NULL || kind == SqlKind.IS_NOT_NULL) {
      Column col = column(call.getOperands().get(0), spec);
      return col == null ? null
          : Condition.isNull(columnIndex(call.getOperands().get(0), spec), kind == SqlKind.IS_NULL);
    }
    if (kind == SqlKind.SEARCH) {
      return search(call, spec);
    }
    if (call.getOperands().size() != 2) {
      return null;
    }
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    if (column(left, spec) == null) {
      RexNode t = left;
      left = right;
      right = t;
      kind = kind.reverse();
    }
    Column col = column(left, spec);
    if (col == null) {
      return null;
    }
    Condition.Operand x = operand(right, col);
    if (x == null) {
      return null;
    }
    int c = columnIndex(left, spec);
    Condition.Interval i = switch (kind) {
      case EQUALS -> Condition.Interval.point(x);
      case LESS_THAN -> new Condition.Interval(null, false, x, false);
      case LESS_THAN_OR_EQUAL -> new Condition.Interval(null, false, x, true);
      case GREATER_THAN -> new Condition.Interval(x, false, null, false);
      case GREATER_THAN_OR_EQUAL -> new Condition.Interval(x, true, null, false);
      default -> null;
    };
    return i == null ? null : Condition.intervals(c, List.of(i), false);
  }

  /**
   * For {@code col LIKE 'abc%…'} on a text column, the range of strings starting with the
   * pattern's literal prefix ({@code 'abc' <= col < 'abd'}): an index range (AVET) instead of a
   * scan of every value. Strings compare by UTF-16 code units in the indexes, so a string with
   * the prefix lies in that range. The prefix ends at the first wildcard and before a backslash
   * (PostgreSQL's escape character); a pattern with an {@code ESCAPE} clause is left alone.
   */
  private static Condition likePrefix(RexNode node, ScanSpec spec) {
    if (!(node instanceof RexCall call) || call.getOperator() != SqlStdOperatorTable.LIKE
        || call.getOperands().size() != 2 || !(call.getOperands().get(1) instanceof RexLiteral lit)
        || lit.isNull() || !SqlTypeName.CHAR_TYPES.contains(lit.getTypeName())) {
      return null;
    }
    Column col = column(call.getOperands().get(0), spec);
    if (col == null || col.attr() == null || col.type() != io.accrete.schema.ValueType.STRING) {
      return null;
    }
    String pattern = lit.getValueAs(String.class);
    int end = 0;
    while (end < pattern.length() && "%_\\".indexOf(pattern.charAt(end)) < 0) {
      end++;
    }
    if (end == 0 || pattern.charAt(end - 1) == Character.MAX_VALUE) {
      return null;
    }
    String prefix = pattern.substring(0, end);
    String above = prefix.substring(0, end - 1) + (char) (prefix.charAt(end - 1) + 1);
    Condition.Operand lo = literal(prefix, col);
    Condition.Operand hi = literal(above, col);
    if (lo == null || hi == null) {
      return null;
    }
    return Condition.intervals(columnIndex(call.getOperands().get(0), spec),
        List.of(end == pattern.length() ? Condition.Interval.point(lo) : new Condition.Interval(lo, true, hi, false)),
        false);
  }

  private static Condition search(RexCall call, ScanSpec spec) {
    RexNode ref = call.getOperands().get(0);
    Column col = column(ref, spec);
    if (col == null || !(call.getOperands().get(1) instanceof RexLiteral lit)) {
      return null;
    }
    Sarg<?> sarg = lit.getValueAs(Sarg.class);
    if (sarg == null) {
      return null;
    }
    List<Condition.Interval> intervals = new ArrayList<>();
    for (Range<?> r : sarg.rangeSet.asRanges()) {
      Condition.Operand lo = null;
      Condition.Operand hi = null;
      if (r.hasLowerBound()) {
        lo = literal(r.lowerEndpoint(), col);
        if (lo == null) {
          return null;
        }
      }
      if (r.hasUpperBound()) {
        hi = literal(r.upperEndpoint(), col);
        if (hi == null) {
          return null;
        }
      }
      boolean loIn = r.hasLowerBound() && r.lowerBoundType() == BoundType.CLOSED;
      boolean hiIn = r.hasUpperBound() && r.upperBoundType() == BoundType.CLOSED;
      intervals.add(lo != null && lo.equals(hi) && loIn && hiIn
          ? Condition.Interval.point(lo) : new Condition.Interval(lo, loIn, hi, hiIn));
    }
    return Condition.intervals(columnIndex(ref, spec), intervals, sarg.nullAs == RexUnknownAs.TRUE);
  }

  private static Condition.Operand operand(RexNode node, Column col) {
    if (node instanceof RexCall cast && cast.getKind() == SqlKind.CAST
        && cast.getOperands().get(0) instanceof RexDynamicParam) {
      node = cast.getOperands().get(0);
    }
    if (node instanceof RexDynamicParam p) {
      return Condition.Operand.param(p.getIndex());
    }
    if (node instanceof RexLiteral lit && !lit.isNull()) {
      // getValue() gives a Calendar for timestamps; the scan compares epoch millis.
      Object v = switch (lit.getTypeName()) {
        case TIMESTAMP -> lit.getValueAs(TimestampString.class);
        case DATE -> lit.getValueAs(org.apache.calcite.util.DateString.class);
        case TIME -> lit.getValueAs(org.apache.calcite.util.TimeString.class);
        default -> lit.getValue();
      };
      return literal(v, col);
    }
    return null;
  }

  private static Condition.Operand literal(Object value, Column col) {
    Object v = col.internal(value);
    return v == null || v == SqlTypes.NO_VALUE ? null : Condition.Operand.of(v);
  }

  private static Column column(RexNode node, ScanSpec spec) {
    if (!(node instanceof RexInputRef ref)) {
      return null;
    }
    Column col = spec.table.columns.get(spec.projection[ref.getIndex()]);
    return col.filterable() ? col : null;
  }

  private static int columnIndex(RexNode node, ScanSpec spec) {
    return spec.projection[((RexInputRef) node).getIndex()];
  }
}
