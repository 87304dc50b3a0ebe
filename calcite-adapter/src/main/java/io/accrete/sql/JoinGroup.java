package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Sarg;

/**
 * Inner joins of several inputs, with the filter above them, as {@link PlanInterpreter} runs
 * them: each input filtered by the conditions on it alone, then joined one at a time, the next
 * input one an equality links to the rows so far (a hash join on those columns; the smallest
 * input first), every other condition applied as soon as its columns are there. A comma-separated
 * FROM of eight tables is then a chain of hash joins, not the product of the eight.
 *
 * <p>Rows are as wide as the whole join from the start (the inputs' columns at their places in
 * the join's row), so conditions read them by the join's own column numbers.
 */
final class JoinGroup {
  private JoinGroup() {}

  /** The inputs of a tree of inner joins, and the conditions over it, by the join's column numbers. */
  record Shape(List<RelNode> inputs, int[] offsets, int width, List<RexNode> conditions) {}

  /**
   * The shape of {@code rel} when it is a filter over inner joins or an inner join of two or
   * more inputs whose conditions hold no sub-queries, else null.
   */
  static Shape of(RelNode rel) {
    RexNode filter = null;
    RelNode top = rel;
    if (rel instanceof LogicalFilter f && f.getVariablesSet().isEmpty() && !RexUtil.SubQueryFinder.containsSubQuery(f)) {
      filter = f.getCondition();
      top = f.getInput();
    }
    if (!innerJoin(top)) {
      return null;
    }
    List<RelNode> inputs = new ArrayList<>();
    List<RexNode> conditions = new ArrayList<>();
    if (!flatten(top, 0, inputs, conditions)) {
      return null;
    }
    if (filter != null) {
      conditions.addAll(RelOptUtil.conjunctions(filter));
    }
    int[] offsets = new int[inputs.size()];
    int width = 0;
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = width;
      width += inputs.get(i).getRowType().getFieldCount();
    }
    return new Shape(inputs, offsets, width, conditions);
  }

  private static boolean innerJoin(RelNode rel) {
    return rel instanceof LogicalJoin j && j.getJoinType() == JoinRelType.INNER && j.getVariablesSet().isEmpty()
        && !RexUtil.SubQueryFinder.containsSubQuery(j);
  }

  /** Adds the inputs of the inner joins under {@code rel} (whose first column is {@code offset}) and their conditions. */
  private static boolean flatten(RelNode rel, int offset, List<RelNode> inputs, List<RexNode> conditions) {
    if (!innerJoin(rel)) {
      inputs.add(rel);
      return true;
    }
    LogicalJoin join = (LogicalJoin) rel;
    int leftWidth = join.getLeft().getRowType().getFieldCount();
    if (!flatten(join.getLeft(), offset, inputs, conditions)
        || !flatten(join.getRight(), offset + leftWidth, inputs, conditions)) {
      return false;
    }
    RexNode condition = offset == 0 ? join.getCondition()
        : RexUtil.shift(join.getCondition(), offset);
    for (RexNode c : RelOptUtil.conjunctions(condition)) {
      if (!c.isAlwaysTrue()) {
        conditions.add(c);
      }
    }
    return true;
  }

  /** Which input each of the join's columns comes from. */
  private static int[] owners(Shape shape) {
    int[] owner = new int[shape.width()];
    for (int i = 0; i < shape.inputs().size(); i++) {
      int end = i + 1 < shape.offsets().length ? shape.offsets()[i + 1] : shape.width();
      for (int c = shape.offsets()[i]; c < end; c++) {
        owner[c] = i;
      }
    }
    return owner;
  }

  private static BitSet inputsOf(RexNode condition, int[] owner) {
    BitSet used = new BitSet();
    for (int c : RelOptUtil.InputFinder.bits(condition)) {
      used.set(owner[c]);
    }
    return used;
  }

  /**
   * {rows, rows handled}: an upper bound of the work of the joins given each input's size, joining in the order
   * {@link #run} would, an input linked by an equality adds its rows to the larger side, any
   * other multiplies.
   */
  static double[] work(Shape shape, double[] sizes) {
    int[] owner = owners(shape);
    List<BitSet> links = new ArrayList<>();
    sizes = sizes.clone();
    for (RexNode c : shape.conditions()) {
      BitSet used = inputsOf(c, owner);
      if (equality(c, owner) != null) {
        links.add(used);
      } else if (used.cardinality() == 1) {
        // each input is filtered first: what the condition keeps of it
        int i = used.nextSetBit(0);
        sizes[i] = Math.max(1, Math.min(sizes[i], kept(c, shape.inputs().get(i), shape.offsets()[i], sizes[i])));
      }
    }
    BitSet placed = new BitSet();
    double rows = 0;
    double handled = 0;
    for (int step = 0; step < sizes.length; step++) {
      int next = next(placed, sizes, links);
      boolean linked = step > 0 && linked(placed, next, links);
      handled += rows + sizes[next];
      rows = step == 0 ? sizes[next] : linked ? Math.max(rows, sizes[next]) : rows * sizes[next];
      handled += rows;
      placed.set(next);
    }
    return new double[] {rows, handled};
  }

  /**
   * The rows of an input a condition on it keeps: for a column of a table equal to one of a few
   * values, that many times the column's rows per value (from the indexes); else Calcite's guess.
   */
  private static double kept(RexNode c, RelNode input, int offset, double rows) {
    int points = 0;
    RexNode column = null;
    // col = v, col IN (v, …) and col = v OR col = w …: a few values of one column
    for (RexNode d : RelOptUtil.disjunctions(c)) {
      RexNode operand = null;
      int n = 0;
      if (d instanceof RexCall call && call.operands.size() == 2) {
        boolean literalRight = call.operands.get(1) instanceof RexLiteral;
        operand = call.operands.get(literalRight ? 0 : 1);
        RexNode value = call.operands.get(literalRight ? 1 : 0);
        if (d.getKind() == SqlKind.EQUALS && value instanceof RexLiteral) {
          n = 1;
        } else if (d.getKind() == SqlKind.SEARCH && literalRight
            && ((RexLiteral) value).getValueAs(Sarg.class) instanceof Sarg<?> sarg && sarg.isPoints()) {
          n = sarg.pointCount;
        }
      }
      if (n == 0 || column != null && !column.equals(operand)) {
        points = 0;
        break;
      }
      column = operand;
      points += n;
    }
    if (points > 0 && column instanceof RexInputRef ref && input instanceof AccreteTableScan scan) {
      Column col = scan.spec.table.columns.get(scan.spec.projection[ref.getIndex() - offset]);
      if (col.attr() != null) {
        return points * IndexStats.rowsPerValue(scan.spec.table.session.latest(), col.attr());
      }
    }
    return rows * (c.getKind() == SqlKind.EQUALS || c.getKind() == SqlKind.SEARCH ? 0.15 : 0.5);
  }

  private static boolean linked(BitSet placed, int input, List<BitSet> links) {
    for (BitSet l : links) {
      if (l.get(input) && l.cardinality() == 2 && l.intersects(placed)) {
        return true;
      }
    }
    return false;
  }

  /** The next input to join: the smallest linked to those placed, else the smallest. */
  private static int next(BitSet placed, double[] sizes, List<BitSet> links) {
    int best = -1;
    boolean bestLinked = false;
    for (int i = 0; i < sizes.length; i++) {
      if (placed.get(i)) {
        continue;
      }
      boolean l = !placed.isEmpty() && linked(placed, i, links);
      if (best < 0 || l && !bestLinked || l == bestLinked && sizes[i] < sizes[best]) {
        best = i;
        bestLinked = l;
      }
    }
    return best;
  }

  /** {left column, right column} of an equality of two columns of different inputs that hash alike, else null. */
  private static int[] equality(RexNode c, int[] owner) {
    if (c.getKind() != SqlKind.EQUALS || !(c instanceof RexCall call)
        || !(call.operands.get(0) instanceof RexInputRef a) || !(call.operands.get(1) instanceof RexInputRef b)
        || owner[a.getIndex()] == owner[b.getIndex()] || hashClass(a) == null || hashClass(a) != hashClass(b)) {
      return null;
    }
    return new int[] {a.getIndex(), b.getIndex()};
  }

  /** How a column's values are made hash keys: the same class for columns whose equal values must meet. */
  private static String hashClass(RexInputRef ref) {
    SqlTypeName t = ref.getType().getSqlTypeName();
    if (SqlTypeName.INT_TYPES.contains(t)) {
      return "integer";
    }
    return switch (t) {
      case DECIMAL -> "decimal";
      case DOUBLE, FLOAT, REAL -> "double";
      case VARCHAR -> "text";
      case BOOLEAN -> "boolean";
      default -> null;
    };
  }

  private static Object hashKey(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof Double) {
      double d = ((Number) v).doubleValue();
      return d == 0 ? 0.0d : d;
    }
    if (v instanceof BigDecimal d) {
      return PlanInterpreter.keyOf(d);
    }
    return v;
  }

  /** The compiled join: its inputs' operators and its conditions. */
  static PlanInterpreter.Op compile(Shape shape, List<PlanInterpreter.Op> inputs, PlanInterpreter plans) {
    int[] owner = owners(shape);
    int n = inputs.size();
    List<RowExpressions.Scalar> conditions = new ArrayList<>();
    List<BitSet> uses = new ArrayList<>();
    List<int[]> equalities = new ArrayList<>();
    for (RexNode c : shape.conditions()) {
      conditions.add(RowExpressions.compile(c, plans));
      uses.add(inputsOf(c, owner));
      equalities.add(equality(c, owner));
    }
    int[] offsets = shape.offsets();
    int width = shape.width();
    return env -> {
      // each input's rows, placed in join-wide rows and filtered by the conditions on it alone
      List<List<Object[]>> rows = new ArrayList<>();
      double[] sizes = new double[n];
      for (int i = 0; i < n; i++) {
        List<Object[]> kept = new ArrayList<>();
        for (Object[] r : inputs.get(i).rows(env)) {
          Object[] wide = new Object[width];
          System.arraycopy(r, 0, wide, offsets[i], r.length);
          if (passes(wide, env, conditions, uses, i)) {
            kept.add(wide);
          }
        }
        rows.add(kept);
        sizes[i] = kept.size();
      }
      List<BitSet> links = new ArrayList<>();
      for (int c = 0; c < equalities.size(); c++) {
        if (equalities.get(c) != null) {
          links.add(uses.get(c));
        }
      }
      BitSet placed = new BitSet();
      BitSet applied = new BitSet();
      for (int c = 0; c < uses.size(); c++) {
        if (uses.get(c).cardinality() == 1) {
          applied.set(c); // done with its input
        }
      }
      List<Object[]> current = null;
      for (int step = 0; step < n; step++) {
        int next = next(placed, sizes, links);
        List<Object[]> right = rows.get(next);
        if (current == null) {
          current = right;
        } else {
          int[] key = null;
          for (int c = 0; c < equalities.size() && key == null; c++) {
            int[] eq = equalities.get(c);
            if (eq != null && !applied.get(c) && uses.get(c).get(next) && uses.get(c).intersects(placed)) {
              key = owner[eq[0]] == next ? new int[] {eq[1], eq[0]} : eq; // {placed column, next's column}
              applied.set(c);
            }
          }
          current = key == null ? product(current, right, offsets[next], width(next, offsets, width))
              : hashJoin(current, right, key, offsets[next], width(next, offsets, width));
        }
        placed.set(next);
        List<Object[]> kept = new ArrayList<>(current.size());
        List<Integer> due = new ArrayList<>();
        for (int c = 0; c < uses.size(); c++) {
          BitSet u = (BitSet) uses.get(c).clone();
          u.andNot(placed);
          if (!applied.get(c) && u.isEmpty()) {
            due.add(c);
            applied.set(c);
          }
        }
        for (Object[] r : current) {
          boolean ok = true;
          for (int c : due) {
            if (!Boolean.TRUE.equals(conditions.get(c).eval(r, env))) {
              ok = false;
              break;
            }
          }
          if (ok) {
            kept.add(r);
          }
        }
        current = kept;
      }
      return current;
    };
  }

  /** Whether a row of input {@code input} passes the conditions that read only that input (or none). */
  private static boolean passes(Object[] row, PlanInterpreter.Env env, List<RowExpressions.Scalar> conditions,
      List<BitSet> uses, int input) {
    for (int c = 0; c < conditions.size(); c++) {
      BitSet u = uses.get(c);
      if ((u.isEmpty() || u.cardinality() == 1 && u.get(input)) && !Boolean.TRUE.equals(conditions.get(c).eval(row, env))) {
        return false;
      }
    }
    return true;
  }

  private static int width(int input, int[] offsets, int width) {
    return (input + 1 < offsets.length ? offsets[input + 1] : width) - offsets[input];
  }

  private static List<Object[]> product(List<Object[]> left, List<Object[]> right, int offset, int width) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] l : left) {
      for (Object[] r : right) {
        Object[] row = l.clone();
        System.arraycopy(r, offset, row, offset, width);
        out.add(row);
      }
    }
    return out;
  }

  /** Rows of {@code left} joined with the rows of {@code right} whose column key[1] equals their column key[0]. */
  private static List<Object[]> hashJoin(List<Object[]> left, List<Object[]> right, int[] key, int offset, int width) {
    Map<Object, List<Object[]>> byKey = new HashMap<>();
    for (Object[] r : right) {
      Object k = r[key[1]];
      if (k != null) {
        byKey.computeIfAbsent(hashKey(k), x -> new ArrayList<>()).add(r);
      }
    }
    List<Object[]> out = new ArrayList<>();
    for (Object[] l : left) {
      Object k = l[key[0]];
      List<Object[]> matches = k == null ? null : byKey.get(hashKey(k));
      if (matches != null) {
        for (Object[] r : matches) {
          Object[] row = l.clone();
          System.arraycopy(r, offset, row, offset, width);
          out.add(row);
        }
      }
    }
    return out;
  }
}
