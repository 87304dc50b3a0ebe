package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalIntersect;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalMinus;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Runs a statement's logical plan as it stands after conversion from SQL, without Calcite's
 * cost-based planning and code generation, when its inputs are small. Planning and compiling a
 * new statement text costs milliseconds, far more than reading a few hundred rows: test suites,
 * tools' catalog queries and the many short statements of an application spend most of their
 * time there. A plan qualifies when every operator and expression in it is one this class and
 * {@link RowExpressions} run (scans, values, projections, filters, joins, correlations,
 * aggregates, sorts, set operations; sub-queries as nested evaluations) and when the work of
 * running it, as {@link #work} estimates it, is at most {@link #BUDGET} rows: large or selective
 * reads belong to the planner's index paths. Anything else is planned and compiled as before.
 *
 * <p>Each operator materializes its rows (the inputs are small by construction); inner joins
 * under a filter run as hash joins ({@link JoinGroup}); uncorrelated sub-queries run once per
 * execution, correlated ones once per outer row.
 */
final class PlanInterpreter {
  /**
   * Rows a run of the whole plan may handle, as {@link #work} estimates them: at most a few tens
   * of milliseconds, about what planning and compiling a plan costs.
   */
  static final double BUDGET = 1_000_000;
  /** What reading a row of a table costs, in rows handled. */
  private static final double SCANNED_ROW = 20;

  /** Thrown while compiling when a plan has something this interpreter does not run. */
  static final class Unsupported extends RuntimeException {
    private Unsupported() {
      super(null, null, false, false);
    }
  }

  static final Unsupported UNSUPPORTED = new Unsupported();

  private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

  /** A compiled operator: its rows in one execution. */
  interface Op {
    List<Object[]> rows(Env env);
  }

  /** One execution's state: its context, the rows correlation variables stand for, sub-query results. */
  static final class Env {
    final DataContext context;
    private final Object[][] correlated;
    private final Set<RexSubQuery> correlatedQueries;
    private final Map<RexSubQuery, List<Object[]>> once = new IdentityHashMap<>();

    Env(DataContext context, int slots, Set<RexSubQuery> correlatedQueries) {
      this.context = context;
      this.correlated = new Object[slots][];
      this.correlatedQueries = correlatedQueries;
    }

    Object[] correlated(int slot) {
      return correlated[slot];
    }

    /** The rows of a sub-query: computed once per execution unless it reads the outer row. */
    List<Object[]> rows(Op op, RexSubQuery query) {
      if (correlatedQueries.contains(query)) {
        return op.rows(this);
      }
      List<Object[]> rows = once.get(query);
      if (rows == null) {
        rows = op.rows(this);
        once.put(query, rows);
      }
      return rows;
    }
  }

  private final RexBuilder rexBuilder;
  private final Map<CorrelationId, Integer> slots = new HashMap<>();
  private final Set<RexSubQuery> correlatedQueries = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final Op root;
  private final int[] fields;

  private PlanInterpreter(RelNode rel, List<Integer> fields) {
    this.rexBuilder = rel.getCluster().getRexBuilder();
    this.root = compile(rel);
    this.fields = fields.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The interpreter of {@code rel} (its result the columns {@code fields} of {@code rel}'s
   * rows), or null when the plan is too big for nested loops or has something not run here.
   */
  static PlanInterpreter of(RelNode rel, List<Integer> fields) {
    if (work(rel)[1] > BUDGET) {
      return null;
    }
    try {
      return new PlanInterpreter(rel, fields);
    } catch (Unsupported e) {
      return null;
    }
  }

  /**
   * An upper bound of the work of running {@code rel} here, {rows it yields, rows it handles}:
   * a join handles the product of its inputs, an operator with correlated sub-queries runs each
   * once per input row, an uncorrelated one once.
   */
  private static double[] work(RelNode rel) {
    if (rel instanceof AccreteTableScan scan) {
      // reading a row from the indexes (all its columns: plans here are not trimmed) costs
      // several times handling it; the planner's plan may read a few rows by index instead
      double rows = Math.max(1, scan.getTable().getRowCount());
      return new double[] {rows, SCANNED_ROW * rows};
    }
    if (rel instanceof LogicalValues values) {
      double rows = values.getTuples().size();
      return new double[] {rows, rows};
    }
    JoinGroup.Shape group = JoinGroup.of(rel);
    if (group != null) {
      double[] sizes = new double[group.inputs().size()];
      double handled = 0;
      for (int i = 0; i < sizes.length; i++) {
        double[] w = work(group.inputs().get(i));
        sizes[i] = w[0];
        handled += w[1];
      }
      double[] joined = JoinGroup.work(group, sizes);
      return new double[] {joined[0], handled + joined[1]};
    }
    double rows = 1;
    double handled = 0;
    List<double[]> inputs = new ArrayList<>();
    for (RelNode in : rel.getInputs()) {
      double[] w = work(in);
      inputs.add(w);
      handled += w[1];
    }
    if (rel instanceof LogicalJoin || rel instanceof LogicalCorrelate) {
      rows = inputs.get(0)[0] * inputs.get(1)[0];
      // a correlation runs its right side once per left row
      handled += rel instanceof LogicalCorrelate ? inputs.get(0)[0] * inputs.get(1)[1] : rows;
    } else if (rel instanceof LogicalUnion || rel instanceof LogicalIntersect || rel instanceof LogicalMinus) {
      rows = 0;
      for (double[] w : inputs) {
        rows += w[0];
      }
      handled += rows;
    } else if (!inputs.isEmpty()) {
      rows = inputs.get(0)[0];
      handled += rows;
    }
    double perRow = 0;
    double once = 0;
    for (RexSubQuery sub : subQueries(rel)) {
      double w = work(sub.rel)[1];
      if (RelOptUtil.getVariablesUsed(sub.rel).isEmpty()) {
        once += w;
      } else {
        perRow += w;
      }
    }
    return new double[] {rows, handled + once + perRow * Math.max(1, rows)};
  }

  private static List<RexSubQuery> subQueries(RelNode rel) {
    List<RexSubQuery> found = new ArrayList<>();
    rel.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery sub) {
        found.add(sub);
        return sub;
      }
    });
    return found;
  }

  /** Runs the plan: rows as Calcite's cursors read them (bare values for one column). */
  Iterable<Object> run(DataContext context) {
    RUNS.incrementAndGet();
    List<Object[]> rows = root.rows(new Env(context, slots.size(), correlatedQueries));
    List<Object> out = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      if (fields.length == 1) {
        out.add(row[fields[0]]);
      } else {
        Object[] r = new Object[fields.length];
        for (int i = 0; i < r.length; i++) {
          r[i] = row[fields[i]];
        }
        out.add(r);
      }
    }
    return out;
  }

  /** Executions of interpreted plans in this JVM (for tests). */
  static long runs() {
    return RUNS.get();
  }

  RexBuilder rexBuilder() {
    return rexBuilder;
  }

  int correlationSlot(CorrelationId id) {
    Integer slot = slots.get(id);
    if (slot == null) {
      throw UNSUPPORTED; // a variable no operator here sets
    }
    return slot;
  }

  private int defineSlot(CorrelationId id) {
    return slots.computeIfAbsent(id, k -> slots.size());
  }

  Op subPlan(RelNode rel) {
    return compile(rel);
  }

  private void noteSubQueries(RelNode rel) {
    rel.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery sub) {
        if (!RelOptUtil.getVariablesUsed(sub.rel).isEmpty()) {
          correlatedQueries.add(sub);
        }
        return sub;
      }
    });
  }

  // ---- operators ----

  private Op compile(RelNode rel) {
    for (RelDataType t : RelOptUtil.getFieldTypeList(rel.getRowType())) {
      if (t.getSqlTypeName() == SqlTypeName.ARRAY || t.getSqlTypeName() == SqlTypeName.MAP
          || t.getSqlTypeName() == SqlTypeName.ROW || t.getSqlTypeName() == SqlTypeName.MULTISET) {
        throw UNSUPPORTED;
      }
    }
    if (rel instanceof AccreteTableScan scan) {
      if (!scan.spec.conditions.isEmpty() || scan.spec.limit >= 0) {
        throw UNSUPPORTED;
      }
      ScanSpec spec = scan.spec;
      return env -> {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : spec.enumerate(env.context)) {
          rows.add(row);
        }
        return rows;
      };
    }
    if (rel instanceof LogicalValues values) {
      List<Object[]> rows = new ArrayList<>();
      List<RelDataType> types = RelOptUtil.getFieldTypeList(values.getRowType());
      for (List<RexLiteral> tuple : values.getTuples()) {
        Object[] row = new Object[tuple.size()];
        for (int i = 0; i < row.length; i++) {
          // a DECIMAL literal may stand in a DOUBLE field (another row's NULL kept the cast away)
          row[i] = RowExpressions.as(RowExpressions.compile(tuple.get(i), this).eval(null, null), types.get(i));
        }
        rows.add(row);
      }
      return env -> rows;
    }
    JoinGroup.Shape group = JoinGroup.of(rel);
    if (group != null) {
      noteSubQueries(rel);
      List<Op> inputs = new ArrayList<>();
      for (RelNode in : group.inputs()) {
        inputs.add(compile(in));
      }
      return JoinGroup.compile(group, inputs, this);
    }
    if (rel instanceof LogicalProject project) {
      return project(project);
    }
    if (rel instanceof LogicalFilter filter) {
      return filter(filter);
    }
    if (rel instanceof LogicalJoin join) {
      return join(join);
    }
    if (rel instanceof LogicalCorrelate correlate) {
      return correlate(correlate);
    }
    if (rel instanceof LogicalAggregate aggregate) {
      return Aggregation.of(aggregate, compile(aggregate.getInput()));
    }
    if (rel instanceof LogicalSort sort) {
      return sort(sort);
    }
    if (rel instanceof LogicalUnion union) {
      List<Op> inputs = inputs(union);
      boolean all = union.all;
      return env -> {
        List<Object[]> rows = new ArrayList<>();
        for (Op in : inputs) {
          rows.addAll(in.rows(env));
        }
        return all ? rows : distinct(rows);
      };
    }
    if ((rel instanceof LogicalIntersect || rel instanceof LogicalMinus) && !((org.apache.calcite.rel.core.SetOp) rel).all) {
      List<Op> inputs = inputs(rel);
      boolean intersect = rel instanceof LogicalIntersect;
      return env -> {
        Map<List<Object>, Object[]> kept = new LinkedHashMap<>();
        for (Object[] row : inputs.get(0).rows(env)) {
          kept.putIfAbsent(key(row), row);
        }
        for (int i = 1; i < inputs.size(); i++) {
          Set<List<Object>> other = new java.util.HashSet<>();
          for (Object[] row : inputs.get(i).rows(env)) {
            other.add(key(row));
          }
          kept.keySet().removeIf(k -> other.contains(k) != intersect);
        }
        return new ArrayList<>(kept.values());
      };
    }
    throw UNSUPPORTED;
  }

  private List<Op> inputs(RelNode rel) {
    List<Op> ops = new ArrayList<>();
    for (RelNode in : rel.getInputs()) {
      ops.add(compile(in));
    }
    return ops;
  }

  /** The slots an operator's own correlation variables fill with each of its input rows. */
  private int[] definedSlots(RelNode rel) {
    noteSubQueries(rel);
    return rel.getVariablesSet().stream().mapToInt(this::defineSlot).toArray();
  }

  private Op project(LogicalProject project) {
    int[] defined = definedSlots(project);
    Op input = compile(project.getInput());
    List<RexNode> exprs = project.getProjects();
    RowExpressions.Scalar[] out = new RowExpressions.Scalar[exprs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = RowExpressions.compile(exprs.get(i), this);
    }
    return env -> {
      List<Object[]> in = input.rows(env);
      List<Object[]> rows = new ArrayList<>(in.size());
      for (Object[] row : in) {
        for (int s : defined) {
          env.correlated[s] = row;
        }
        Object[] r = new Object[out.length];
        for (int i = 0; i < r.length; i++) {
          r[i] = out[i].eval(row, env);
        }
        rows.add(r);
      }
      return rows;
    };
  }

  private Op filter(LogicalFilter filter) {
    int[] defined = definedSlots(filter);
    Op input = compile(filter.getInput());
    RowExpressions.Scalar condition = RowExpressions.compile(filter.getCondition(), this);
    return env -> {
      List<Object[]> rows = new ArrayList<>();
      for (Object[] row : input.rows(env)) {
        for (int s : defined) {
          env.correlated[s] = row;
        }
        if (Boolean.TRUE.equals(condition.eval(row, env))) {
          rows.add(row);
        }
      }
      return rows;
    };
  }

  private static Object[] concat(Object[] left, Object[] right, int rightWidth) {
    Object[] row = Arrays.copyOf(left, left.length + rightWidth);
    if (right != null) {
      System.arraycopy(right, 0, row, left.length, rightWidth);
    }
    return row;
  }

  private Op join(LogicalJoin join) {
    if (!join.getVariablesSet().isEmpty()) {
      throw UNSUPPORTED;
    }
    noteSubQueries(join);
    Op left = compile(join.getLeft());
    Op right = compile(join.getRight());
    int leftWidth = join.getLeft().getRowType().getFieldCount();
    int rightWidth = join.getRight().getRowType().getFieldCount();
    RowExpressions.Scalar condition = RowExpressions.compile(join.getCondition(), this);
    JoinRelType type = join.getJoinType();
    return env -> {
      List<Object[]> ls = left.rows(env);
      List<Object[]> rs = right.rows(env);
      List<Object[]> rows = new ArrayList<>();
      boolean[] rightMatched = new boolean[rs.size()];
      for (Object[] l : ls) {
        boolean matched = false;
        for (int j = 0; j < rs.size(); j++) {
          Object[] joined = concat(l, rs.get(j), rightWidth);
          if (Boolean.TRUE.equals(condition.eval(joined, env))) {
            matched = true;
            rightMatched[j] = true;
            if (type == JoinRelType.SEMI || type == JoinRelType.ANTI) {
              break;
            }
            rows.add(joined);
          }
        }
        if (type == JoinRelType.SEMI && matched || type == JoinRelType.ANTI && !matched) {
          rows.add(l);
        } else if (!matched && (type == JoinRelType.LEFT || type == JoinRelType.FULL)) {
          rows.add(concat(l, null, rightWidth));
        }
      }
      if (type == JoinRelType.RIGHT || type == JoinRelType.FULL) {
        for (int j = 0; j < rs.size(); j++) {
          if (!rightMatched[j]) {
            Object[] row = new Object[leftWidth + rightWidth];
            System.arraycopy(rs.get(j), 0, row, leftWidth, rightWidth);
            rows.add(row);
          }
        }
      }
      return rows;
    };
  }

  private Op correlate(LogicalCorrelate correlate) {
    int slot = defineSlot(correlate.getCorrelationId());
    Op left = compile(correlate.getLeft());
    Op right = compile(correlate.getRight());
    int rightWidth = correlate.getRight().getRowType().getFieldCount();
    JoinRelType type = correlate.getJoinType();
    return env -> {
      List<Object[]> rows = new ArrayList<>();
      for (Object[] l : left.rows(env)) {
        env.correlated[slot] = l;
        List<Object[]> rs = right.rows(env);
        switch (type) {
          case SEMI -> {
            if (!rs.isEmpty()) {
              rows.add(l);
            }
          }
          case ANTI -> {
            if (rs.isEmpty()) {
              rows.add(l);
            }
          }
          default -> {
            for (Object[] r : rs) {
              rows.add(concat(l, r, rightWidth));
            }
            if (rs.isEmpty() && type == JoinRelType.LEFT) {
              rows.add(concat(l, null, rightWidth));
            }
          }
        }
      }
      return rows;
    };
  }

  private Op sort(LogicalSort sort) {
    Op input = compile(sort.getInput());
    long offset = sort.offset == null ? 0 : count(sort.offset);
    long fetch = sort.fetch == null ? Long.MAX_VALUE : count(sort.fetch);
    Comparator<Object[]> order = null;
    for (RelFieldCollation c : sort.getCollation().getFieldCollations()) {
      int field = c.getFieldIndex();
      RelDataType type = sort.getRowType().getFieldList().get(field).getType();
      Comparator<Object> values = valueOrder(type);
      boolean descending = c.direction.isDescending();
      RelFieldCollation.NullDirection nulls = c.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED
          ? c.direction.defaultNullDirection() : c.nullDirection;
      Comparator<Object[]> byField = (a, b) -> {
        Object x = a[field];
        Object y = b[field];
        if (x == null || y == null) {
          return x == y ? 0 : (x == null) == (nulls == RelFieldCollation.NullDirection.FIRST) ? -1 : 1;
        }
        int cmp = values.compare(x, y);
        return descending ? -cmp : cmp;
      };
      order = order == null ? byField : order.thenComparing(byField);
    }
    Comparator<Object[]> sorting = order;
    return env -> {
      List<Object[]> rows = input.rows(env);
      if (sorting != null) {
        rows = new ArrayList<>(rows);
        rows.sort(sorting);
      }
      if (offset == 0 && fetch >= rows.size()) {
        return rows;
      }
      int from = (int) Math.min(offset, rows.size());
      int to = (int) Math.min(rows.size(), from + Math.min(fetch, Integer.MAX_VALUE));
      return rows.subList(from, to);
    };
  }

  private static long count(RexNode x) {
    if (!(x instanceof RexLiteral literal) || literal.getValueAs(BigDecimal.class) == null) {
      throw UNSUPPORTED;
    }
    return literal.getValueAs(BigDecimal.class).longValue();
  }

  /** How values of a sortable column order; the same as their comparisons. */
  static Comparator<Object> valueOrder(RelDataType type) {
    SqlTypeName t = type.getSqlTypeName();
    if (SqlTypeName.INT_TYPES.contains(t) || t == SqlTypeName.DATE || t == SqlTypeName.TIME || t == SqlTypeName.TIMESTAMP) {
      return (a, b) -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    }
    return switch (t) {
      case DECIMAL -> (a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b);
      case DOUBLE, FLOAT, REAL -> (a, b) -> {
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return x == y ? 0 : Double.compare(x, y);
      };
      case VARCHAR, CHAR -> (a, b) -> ((String) a).compareTo((String) b);
      case BOOLEAN -> (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
      default -> throw UNSUPPORTED;
    };
  }

  /** A row's values as a key of equal rows: numbers equal in value are one key. */
  static List<Object> key(Object[] row) {
    Object[] k = new Object[row.length];
    for (int i = 0; i < k.length; i++) {
      k[i] = keyOf(row[i]);
    }
    return Arrays.asList(k);
  }

  static Object keyOf(Object v) {
    if (v instanceof BigDecimal d) {
      return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
    if (v instanceof Double d && d == 0) {
      return 0.0d;
    }
    if (v instanceof Float f && f == 0) {
      return 0.0f;
    }
    return v;
  }

  static List<Object[]> distinct(List<Object[]> rows) {
    Map<List<Object>, Object[]> seen = new LinkedHashMap<>();
    for (Object[] row : rows) {
      seen.putIfAbsent(key(row), row);
    }
    return new ArrayList<>(seen.values());
  }

  private static final org.apache.calcite.tools.Program REDUCE = org.apache.calcite.tools.Programs.hep(
      List.of(org.apache.calcite.rel.rules.CoreRules.AGGREGATE_REDUCE_FUNCTIONS), true,
      org.apache.calcite.rel.metadata.DefaultRelMetadataProvider.INSTANCE);

  /**
   * The plan with the rewrites that give some operations PostgreSQL's meaning on the planned
   * path too: {@code AVG} and its kin as sums and counts, numeric division ({@link NumericDivision});
   * inside sub-queries as well.
   */
  static RelNode withPostgresMeaning(RelNode rel) {
    boolean[] reducible = {false};
    RelNode r = rel.accept(new org.apache.calcite.rel.RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        if (visited instanceof LogicalAggregate a) {
          for (AggregateCall call : a.getAggCallList()) {
            reducible[0] |= !EnumSet.of(SqlKind.COUNT, SqlKind.SUM, SqlKind.SUM0, SqlKind.MIN, SqlKind.MAX,
                SqlKind.SINGLE_VALUE).contains(call.getAggregation().getKind());
          }
        }
        return visited.accept(new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery sub) {
            RexSubQuery s = (RexSubQuery) super.visitSubQuery(sub);
            return s.clone(withPostgresMeaning(s.rel));
          }
        });
      }
    });
    org.apache.calcite.plan.RelOptPlanner planner = r.getCluster().getPlanner();
    if (reducible[0]) {
      r = REDUCE.run(planner, r, r.getTraitSet(), List.of(), List.of());
    }
    return NumericDivision.program().run(planner, r, r.getTraitSet(), List.of(), List.of());
  }
}
