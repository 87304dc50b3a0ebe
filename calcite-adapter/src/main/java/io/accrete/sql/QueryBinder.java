package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.ViewExpanders;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.util.Pair;
import org.apache.calcite.util.Util;

/**
 * Binds a plain query over one table (or none) straight to the relational plan Calcite's
 * validator and SQL-to-rel converter would make of it, for a fraction of their cost: a select
 * list of columns, {@code *} and arithmetic over columns, numbers and NULL, perhaps DISTINCT;
 * COUNT, SUM, MIN, MAX and AVG with GROUP BY columns; a WHERE of comparisons, {@code BETWEEN},
 * short {@code IN} lists, {@code IS [NOT] NULL}, {@code AND}, {@code OR} and {@code NOT}; ORDER
 * BY columns, names or ordinals. Validation and conversion are most of a short statement's time,
 * and such statements are what tools, tests and applications send most.
 *
 * <p>The plan is Calcite's own, node for node: the query's shape here (the WHERE's conjuncts kept
 * once, select expressions and aggregates built through a RelBuilder as the converter builds
 * them, group keys and arguments laid out and named as it lays them out), its expressions in
 * {@link BoundExpressions}. {@code QueryBinderTest} holds this against the converter over the
 * shared sqllogictest queries, operator instances and types included. Anything else, every
 * statement with an error for the validator to report among them, is declined ({@code null})
 * and goes through Calcite.
 */
final class QueryBinder {
  private static final java.util.concurrent.atomic.AtomicLong BINDS = new java.util.concurrent.atomic.AtomicLong();

  /** Thrown inside the binder when the statement has something it leaves to Calcite. */
  static final class Decline extends RuntimeException {
    private Decline() {
      super(null, null, false, false);
    }
  }

  static final Decline DECLINE = new Decline();

  /** A bound query: its plan as the converter makes it, and each result column's origin. */
  record Bound(RelRoot root, List<List<String>> origins) {}

  private final RelOptCluster cluster;
  private final RexBuilder rex;
  private final RelDataTypeFactory types;
  private final SqlNameMatcher names;
  /** The FROM table's name or alias, which qualified column names must use. */
  private String qualifier;
  private List<RelDataTypeField> columns;
  /** For a query with GROUP BY or aggregate functions: its aggregation, which names resolve against. */
  private Aggregation aggregation;
  private final BoundExpressions expressions;

  private QueryBinder(RelOptCluster cluster, SqlNameMatcher names) {
    this.cluster = cluster;
    this.rex = cluster.getRexBuilder();
    this.types = cluster.getTypeFactory();
    this.names = names;
    this.expressions = new BoundExpressions(rex, new BoundExpressions.Names() {
      @Override
      public RexNode column(SqlIdentifier id) {
        int field = QueryBinder.this.column(id);
        if (aggregation != null && !aggregation.collecting) {
          return aggregation.groupKey(field);
        }
        return rex.makeInputRef(columns.get(field).getType(), field);
      }

      @Override
      public RexNode aggregate(SqlBasicCall call) {
        if (aggregation == null || aggregation.collecting) {
          throw DECLINE; // an aggregate inside an aggregate's argument
        }
        return aggregation.output(call);
      }
    });
  }

  /** Queries bound so far, in this JVM (for tests that check the binder is used). */
  static long binds() {
    return BINDS.get();
  }

  /**
   * The plan of {@code query}, or null when it is not a query this binder takes.
   *
   * @param nulls where ORDER BY puts NULLs when the query does not say (the validator's default)
   */
  static Bound bind(SqlNode query, Prepare.CatalogReader catalog, RelOptCluster cluster,
      NullCollation nulls) {
    try {
      Bound b = new QueryBinder(cluster, catalog.nameMatcher()).query(query, catalog, nulls);
      BINDS.incrementAndGet();
      return b;
    } catch (Decline d) {
      return null;
    }
  }

  private Bound query(SqlNode node, Prepare.CatalogReader catalog, NullCollation nulls) {
    SqlNodeList orderList = null;
    if (node instanceof SqlOrderBy o) {
      if (o.offset != null || o.fetch != null) {
        throw DECLINE;
      }
      orderList = o.orderList;
      node = o.query;
    }
    if (!(node instanceof SqlSelect select) || select.isDistinct() && orderList != null
        || select.getHaving() != null || !isEmpty(select.getWindowList()) || select.getQualify() != null
        || !isEmpty(select.getOrderList()) || select.getOffset() != null || select.getFetch() != null
        || !isEmpty(select.getHints()) || select.getFrom() == null && select.getWhere() != null) {
      throw DECLINE;
    }
    RelOptTable table = null;
    RelNode scan;
    if (select.getFrom() == null) { // SELECT 1 + 2: the converter's one row of no columns
      scan = LogicalValues.createOneRow(cluster);
      columns = List.of();
    } else {
      table = table(select.getFrom(), catalog);
      scan = table.toRel(ViewExpanders.simpleContext(cluster));
      columns = scan.getRowType().getFieldList();
    }

    RelNode input = scan;
    if (select.getWhere() != null) {
      RexNode condition = where(select.getWhere());
      if (!condition.isAlwaysTrue()) { // nor does the converter filter by what always holds
        input = LogicalFilter.create(scan, condition);
      }
    }
    if (select.getGroup() != null || containsAggregate(select.getSelectList())) {
      if (orderList != null || select.isDistinct()) {
        throw DECLINE;
      }
      input = aggregate(input, select);
    }

    // The select list: each item with its name and, for a column, its origin.
    List<RexNode> projects = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<List<String>> origins = new ArrayList<>();
    for (SqlNode written : select.getSelectList()) {
      Item it = Item.of(written);
      SqlNode item = it.expression();
      String alias = it.alias();
      if (!(item instanceof SqlIdentifier id)) {
        // An expression: named EXPR$i by its place in the list, as the validator names it.
        RexNode e = expressions.value(item);
        projects.add(e);
        labels.add(alias != null ? alias : "EXPR$" + (projects.size() - 1));
        origins.add(null);
        continue;
      }
      if (id.isStar()) {
        if (table == null || aggregation != null || alias != null || id.names.size() > 2
            || id.names.size() == 2 && !qualifies(id.names.get(0))) {
          throw DECLINE;
        }
        for (RelDataTypeField f : columns) {
          projects.add(rex.makeInputRef(f.getType(), f.getIndex()));
          labels.add(f.getName());
          origins.add(origin(table, f.getIndex()));
        }
      } else {
        int field = column(id);
        projects.add(expressions.expression(id)); // the column, or its group key over an aggregate
        labels.add(alias != null ? alias : columns.get(field).getName());
        origins.add(origin(table, field));
      }
    }
    for (int i = 0; i < labels.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (names.matches(labels.get(i), labels.get(j))) {
          throw DECLINE; // Calcite makes duplicate names unique in its own way
        }
      }
    }
    int selected = projects.size();

    List<RelFieldCollation> order = new ArrayList<>();
    if (orderList != null) {
      for (SqlNode item : orderList) {
        order.add(orderItem(item, projects, labels, nulls));
      }
    }
    // The converter projects through a RelBuilder, which simplifies each expression (x + 0 is x).
    // Over an aggregate the converter lets a projection go that is the aggregate's own columns as written.
    org.apache.calcite.tools.RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(cluster, null).push(input)
        .projectNamed(projects, labels, aggregation == null || !identity(projects, labels, input));
    if (select.isDistinct()) {
      builder.distinct(); // no aggregate where the rows are distinct already (one row of constants)
    }
    RelNode rel = builder.build();
    RelCollation collation = RelCollations.of(order);
    if (!order.isEmpty()) {
      rel = LogicalSort.create(rel, collation, null, null);
    }
    List<RelDataType> selectedTypes = new ArrayList<>();
    for (int i = 0; i < selected; i++) {
      selectedTypes.add(projects.get(i).getType());
    }
    RelDataType validated = types.createStructType(selectedTypes, labels.subList(0, selected));
    List<Map.Entry<Integer, String>> fields = new ArrayList<>();
    for (int i = 0; i < selected; i++) {
      fields.add(Pair.of(i, labels.get(i)));
    }
    SqlKind kind = orderList != null ? SqlKind.ORDER_BY : SqlKind.SELECT;
    return new Bound(new RelRoot(rel, validated, kind, fields, collation, List.of()), origins);
  }

  /**
   * The aggregation of a query with GROUP BY or aggregate functions, laid out as the converter
   * lays it out: a projection of the group keys and then each distinct argument expression (in
   * the order the select list meets them), an aggregate grouping by the keys with each distinct
   * call once, named after the last select item that is exactly that call.
   */
  private RelNode aggregate(RelNode input, SqlSelect select) {
    Aggregation a = new Aggregation();
    aggregation = a;
    a.collecting = true;
    if (select.getGroup() != null) {
      for (SqlNode key : select.getGroup()) {
        if (!(key instanceof SqlIdentifier id) || id.isStar()) {
          throw DECLINE;
        }
        RexNode ref = expressions.expression(id);
        if (a.pre.contains(ref)) {
          throw DECLINE;
        }
        a.pre.add(ref);
        a.name(keyName(select.getSelectList(), column(id)));
      }
    }
    a.groupCount = a.pre.size();
    int i = 0;
    for (SqlNode written : select.getSelectList()) {
      Item item = Item.of(written);
      a.collect(item.expression(), item.expression() instanceof SqlIdentifier ? null
          : item.alias() != null ? item.alias() : "EXPR$" + i);
      i++;
    }
    // The converter aggregates through its RelBuilder, which drops what no call uses.
    org.apache.calcite.tools.RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(cluster, null).push(input);
    if (a.pre.isEmpty()) { // nothing to project: the converter projects a 0, which the builder then drops
      a.pre.add(rex.makeExactLiteral(BigDecimal.ZERO));
      a.name(null);
    }
    builder.projectNamed(a.pre, a.preNames, false);
    RelNode pre = builder.peek();
    List<org.apache.calcite.rel.core.AggregateCall> calls = new ArrayList<>();
    for (Aggregation.Call c : a.calls) {
      calls.add(org.apache.calcite.rel.core.AggregateCall.create(c.function, c.distinct, false, false, List.of(),
          c.args, -1, null, RelCollations.EMPTY, a.groupCount, pre, null, c.name));
    }
    a.output = builder.aggregate(builder.groupKey(org.apache.calcite.util.ImmutableBitSet.range(a.groupCount)), calls)
        .build();
    a.collecting = false;
    return a.output;
  }

  /** Whether {@code projects} are {@code input}'s columns, in order, with their names. */
  private static boolean identity(List<RexNode> projects, List<String> labels, RelNode input) {
    List<String> names = input.getRowType().getFieldNames();
    if (projects.size() != names.size()) {
      return false;
    }
    for (int i = 0; i < projects.size(); i++) {
      if (!(projects.get(i) instanceof org.apache.calcite.rex.RexInputRef r) || r.getIndex() != i
          || !labels.get(i).equals(names.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** A select item: its expression and the alias written for it, if any. */
  private record Item(SqlNode expression, String alias) {
    static Item of(SqlNode written) {
      if (written.getKind() != SqlKind.AS) {
        return new Item(written, null);
      }
      List<SqlNode> as = ((SqlCall) written).getOperandList();
      if (as.size() != 2 || !(as.get(1) instanceof SqlIdentifier a) || !a.isSimple()) {
        throw DECLINE;
      }
      return new Item(as.get(0), a.getSimple());
    }
  }

  /** A group key's name: the alias the select list gives that column, else the column's name. */
  private String keyName(SqlNodeList selectList, int field) {
    for (SqlNode written : selectList) {
      Item item = Item.of(written);
      if (item.alias() != null && item.expression() instanceof SqlIdentifier id && !id.isStar()
          && column(id) == field) {
        return item.alias();
      }
    }
    return columns.get(field).getName();
  }

  private static boolean containsAggregate(SqlNode node) {
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        if (containsAggregate(n)) {
          return true;
        }
      }
      return false;
    }
    if (!(node instanceof SqlCall call)) {
      return false;
    }
    if (BoundExpressions.aggregateFunction(call) != null) {
      return true;
    }
    for (SqlNode o : call.getOperandList()) {
      if (o != null && containsAggregate(o)) {
        return true;
      }
    }
    return false;
  }

  /** Group keys and aggregate calls of one aggregate query. */
  private final class Aggregation {
    /** An aggregate call: its function, DISTINCT, and its arguments' places in {@link #pre}. */
    final class Call {
      final org.apache.calcite.sql.SqlAggFunction function;
      final boolean distinct;
      final List<Integer> args;
      String name;

      Call(org.apache.calcite.sql.SqlAggFunction function, boolean distinct, List<Integer> args) {
        this.function = function;
        this.distinct = distinct;
        this.args = args;
      }
    }

    final List<RexNode> pre = new ArrayList<>();
    final List<String> preNames = new ArrayList<>();
    final List<Call> calls = new ArrayList<>();
    int groupCount;
    /** While true, names resolve against the table (group keys, arguments); after, against {@link #output}. */
    boolean collecting;
    RelNode output;

    /** Registers the aggregate calls of a select item; {@code name} names a call that is the whole item. */
    void collect(SqlNode node, String name) {
      if (node instanceof SqlNodeList list) {
        for (SqlNode n : list) {
          collect(n, null);
        }
      } else if (node instanceof SqlBasicCall c && BoundExpressions.aggregateFunction(c) != null) {
        Call call = call(c, true);
        if (name != null) {
          call.name = name; // the last item that is exactly this call names it
        }
      } else if (node instanceof SqlCall c) {
        for (SqlNode o : c.getOperandList()) {
          if (o != null) {
            collect(o, null);
          }
        }
      }
    }

    /** The call {@code c} stands for, registered when {@code register} and new. */
    Call call(SqlBasicCall c, boolean register) {
      org.apache.calcite.sql.SqlAggFunction f = BoundExpressions.aggregateFunction(c);
      if (f != SqlStdOperatorTable.COUNT && f != SqlStdOperatorTable.SUM && f != SqlStdOperatorTable.MIN
          && f != SqlStdOperatorTable.MAX && f != SqlStdOperatorTable.AVG || c.operandCount() != 1
          || c.getFunctionQuantifier() != null && c.getFunctionQuantifier().getValue()
              != org.apache.calcite.sql.SqlSelectKeyword.DISTINCT
              && c.getFunctionQuantifier().getValue() != org.apache.calcite.sql.SqlSelectKeyword.ALL) {
        throw DECLINE;
      }
      boolean distinct = c.getFunctionQuantifier() != null
          && c.getFunctionQuantifier().getValue() == org.apache.calcite.sql.SqlSelectKeyword.DISTINCT;
      List<Integer> args = new ArrayList<>();
      SqlNode operand = c.operand(0);
      if (operand instanceof SqlIdentifier star && star.isStar()) {
        if (f != SqlStdOperatorTable.COUNT || distinct || star.names.size() != 1) {
          throw DECLINE;
        }
      } else {
        boolean was = collecting;
        collecting = true;
        RexNode arg = expressions.value(operand);
        collecting = was;
        if (BoundExpressions.isNull(arg)) {
          throw DECLINE;
        }
        boolean rows = f == SqlStdOperatorTable.COUNT && !distinct && !arg.getType().isNullable();
        int at = pre.indexOf(arg);
        if (at < 0) {
          if (!register) {
            throw DECLINE;
          }
          at = pre.size();
          pre.add(arg);
          name(arg instanceof org.apache.calcite.rex.RexInputRef r ? columns.get(r.getIndex()).getName() : null);
        }
        if (rows) {
          // Counting what is never null counts rows: the argument keeps its place and name, unused.
          return call(f, false, List.of(), register);
        }
        args.add(at);
      }
      return call(f, distinct, args, register);
    }

    private Call call(org.apache.calcite.sql.SqlAggFunction f, boolean distinct, List<Integer> args, boolean register) {
      for (Call known : calls) {
        if (known.function == f && known.distinct == distinct && known.args.equals(args)) {
          return known;
        }
      }
      if (!register) {
        throw DECLINE;
      }
      Call call = new Call(f, distinct, args);
      calls.add(call);
      return call;
    }

    /** Names the expression just added to {@link #pre}: {@code $f} and its place when unnamed or taken. */
    void name(String name) {
      preNames.add(name == null || preNames.contains(name) ? "$f" + preNames.size() : name);
    }

    /** A group key's column in the aggregate's output. */
    RexNode groupKey(int field) {
      int at = pre.subList(0, groupCount).indexOf(rex.makeInputRef(columns.get(field).getType(), field));
      if (at < 0) {
        throw DECLINE; // not grouped by: the validator's error
      }
      return rex.makeInputRef(output.getRowType().getFieldList().get(at).getType(), at);
    }

    /** An aggregate call's column in the aggregate's output. */
    RexNode output(SqlBasicCall c) {
      int at = groupCount + calls.indexOf(call(c, false));
      return rex.makeInputRef(output.getRowType().getFieldList().get(at).getType(), at);
    }
  }

  private static boolean isEmpty(SqlNodeList list) {
    return list == null || list.isEmpty();
  }

  /** Where a column of the table comes from: the table's qualified name and the column's. */
  private List<String> origin(RelOptTable table, int field) {
    List<String> origin = new ArrayList<>(table.getQualifiedName());
    origin.add(columns.get(field).getName());
    return origin;
  }

  /**
   * The WHERE as the converter makes it: NOT pushed down to IN lists first, each top-level
   * conjunct once. A top-level comparison with NULL, which the converter makes FALSE, is declined.
   */
  private RexNode where(SqlNode where) {
    RexNode condition = expressions.predicate(BoundExpressions.notPushedToIn(where));
    if (condition.isA(SqlKind.AND)) {
      condition = RexUtil.composeConjunction(rex, ((RexCall) condition).getOperands());
    }
    for (RexNode conjunct : org.apache.calcite.plan.RelOptUtil.conjunctions(condition)) {
      if (conjunct.isA(SqlKind.COMPARISON) && ((RexCall) conjunct).getOperands().stream()
          .anyMatch(o -> o instanceof RexLiteral l && l.isNull())) {
        throw DECLINE;
      }
    }
    return condition;
  }

  /** The FROM item: one entity table, perhaps with an alias. */
  private RelOptTable table(SqlNode from, Prepare.CatalogReader catalog) {
    SqlIdentifier alias = null;
    if (from.getKind() == SqlKind.AS) {
      List<SqlNode> as = ((SqlCall) from).getOperandList();
      if (as.size() != 2 || !(as.get(1) instanceof SqlIdentifier a) || !a.isSimple()) {
        throw DECLINE;
      }
      alias = a;
      from = as.get(0);
    }
    if (!(from instanceof SqlIdentifier name) || name.isStar()) {
      throw DECLINE;
    }
    Prepare.PreparingTable table = catalog.getTable(name.names);
    if (table == null || table.unwrap(EntityTable.class) == null) {
      throw DECLINE; // no such table (the validator says so), a view, a system or history table
    }
    qualifier = alias != null ? alias.getSimple() : Util.last(name.names);
    return table;
  }

  private boolean qualifies(String name) {
    return names.matches(name, qualifier);
  }

  /** The field a column reference names: {@code col} or {@code qualifier.col}. */
  private int column(SqlIdentifier id) {
    if (id.names.size() > 2 || id.names.size() == 2 && !qualifies(id.names.get(0))) {
      throw DECLINE;
    }
    String name = Util.last(id.names);
    int found = -1;
    for (RelDataTypeField f : columns) {
      if (names.matches(f.getName(), name)) {
        if (found >= 0) {
          throw DECLINE;
        }
        found = f.getIndex();
      }
    }
    if (found < 0) {
      throw DECLINE; // the validator reports the unknown column
    }
    return found;
  }

  /**
   * One ORDER BY item: an ordinal of the select list, a select-list name, or a column of the
   * table (added to the projection when not selected, as the converter does).
   */
  private RelFieldCollation orderItem(SqlNode item, List<RexNode> projects, List<String> labels,
      NullCollation defaultNulls) {
    RelFieldCollation.Direction direction = RelFieldCollation.Direction.ASCENDING;
    RelFieldCollation.NullDirection nulls = RelFieldCollation.NullDirection.UNSPECIFIED;
    while (item instanceof SqlCall c && c.operandCount() == 1) {
      switch (c.getKind()) {
        case DESCENDING -> direction = RelFieldCollation.Direction.DESCENDING;
        case NULLS_FIRST -> nulls = RelFieldCollation.NullDirection.FIRST;
        case NULLS_LAST -> nulls = RelFieldCollation.NullDirection.LAST;
        default -> throw DECLINE;
      }
      item = c.operand(0);
    }
    if (nulls == RelFieldCollation.NullDirection.UNSPECIFIED) {
      nulls = defaultNulls.last(direction == RelFieldCollation.Direction.DESCENDING)
          ? RelFieldCollation.NullDirection.LAST : RelFieldCollation.NullDirection.FIRST;
    }
    int selected = labels.size();
    int index;
    if (item instanceof SqlNumericLiteral n) {
      if (!n.isInteger()) {
        throw DECLINE;
      }
      int ordinal = n.getValueAs(BigDecimal.class).intValueExact();
      if (ordinal < 1 || ordinal > selected) {
        throw DECLINE; // out of range: the validator's error
      }
      index = ordinal - 1;
    } else if (item instanceof SqlIdentifier id && !id.isStar()) {
      index = -1;
      if (id.isSimple()) {
        for (int i = 0; i < selected; i++) {
          if (names.matches(labels.get(i), id.getSimple())) {
            if (index >= 0) {
              throw DECLINE; // ambiguous
            }
            index = i;
          }
        }
      }
      if (index < 0) {
        int field = column(id);
        for (int i = 0; i < projects.size() && index < 0; i++) {
          if (projects.get(i) instanceof org.apache.calcite.rex.RexInputRef r && r.getIndex() == field) {
            index = i;
          }
        }
        if (index < 0) {
          index = projects.size();
          projects.add(rex.makeInputRef(columns.get(field).getType(), field));
          labels.add(columns.get(field).getName());
        }
      }
    } else {
      throw DECLINE;
    }
    return new RelFieldCollation(index, direction, nulls);
  }

}
