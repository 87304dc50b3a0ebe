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
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Pair;
import org.apache.calcite.util.Util;

/**
 * Binds a plain query over one table straight to the relational plan Calcite's validator and
 * SQL-to-rel converter would make of it, for a fraction of their cost: a select list of columns,
 * {@code *} and arithmetic ({@code + - *}, unary signs) over columns and numeric literals,
 * perhaps DISTINCT; a WHERE of comparisons, {@code BETWEEN}, short {@code IN} lists, {@code IS
 * [NOT] NULL}, {@code AND}, {@code OR} and {@code NOT}; ORDER BY columns, names or ordinals.
 * Validation and conversion are most of a short statement's time, and such statements are what
 * tools, tests and applications send most.
 *
 * <p>The plan is Calcite's own, node for node: the implicit casts its type coercion adds (an
 * exact number compared with a floating-point value is cast to it; an integer compared with a
 * decimal literal is cast to their common decimal type, the literal retyped; BETWEEN's three
 * operands share one type), the rewrites it makes (NOT pushed down to IN lists, IN lists as ORs
 * without repeats, the WHERE's conjuncts kept once, select expressions simplified by its
 * RelBuilder, integer arithmetic checked for overflow as {@link PostgresConvertlets} makes it).
 * {@code QueryBinderTest} holds this against the converter over the shared sqllogictest queries,
 * operator instances and types included. Anything else, every statement with an error for the
 * validator to report among them, is declined ({@code null}) and goes through Calcite.
 */
final class QueryBinder {
  /** Calcite turns an IN list this long or longer into a join with its values; those are declined. */
  private static final int IN_LIST_LIMIT = 20;

  private static final java.util.concurrent.atomic.AtomicLong BINDS = new java.util.concurrent.atomic.AtomicLong();

  /** Thrown inside the binder when the statement has something it leaves to Calcite. */
  private static final class Decline extends RuntimeException {
    private Decline() {
      super(null, null, false, false);
    }
  }

  private static final Decline DECLINE = new Decline();

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

  private QueryBinder(RelOptCluster cluster, SqlNameMatcher names) {
    this.cluster = cluster;
    this.rex = cluster.getRexBuilder();
    this.types = cluster.getTypeFactory();
    this.names = names;
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
      RexNode condition = predicate(notPushedToIn(select.getWhere()));
      if (condition.isA(SqlKind.AND)) { // the converter keeps each conjunct of the WHERE once
        condition = RexUtil.composeConjunction(rex, ((RexCall) condition).getOperands());
      }
      for (RexNode conjunct : org.apache.calcite.plan.RelOptUtil.conjunctions(condition)) {
        if (conjunct.isA(SqlKind.COMPARISON) && ((RexCall) conjunct).getOperands().stream()
            .anyMatch(o -> o instanceof RexLiteral l && l.isNull())) {
          throw DECLINE; // the converter makes such a condition FALSE
        }
      }
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

    // The select list: column references, each with its name and origin.
    List<RexNode> projects = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<List<String>> origins = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      String alias = null;
      if (item.getKind() == SqlKind.AS) {
        List<SqlNode> as = ((SqlCall) item).getOperandList();
        if (as.size() != 2 || !(as.get(1) instanceof SqlIdentifier a) || !a.isSimple()) {
          throw DECLINE;
        }
        alias = a.getSimple();
        item = as.get(0);
      }
      if (!(item instanceof SqlIdentifier id)) {
        // An expression: named EXPR$i by its place in the list, as the validator names it.
        RexNode e = value(item);
        projects.add(e);
        labels.add(alias != null ? alias : "EXPR$" + (projects.size() - 1));
        origins.add(null);
        continue;
      }
      if (id.isStar()) {
        if (table == null || aggregation != null || alias != null || id.names.size() > 2 || id.names.size() == 2 && !qualifies(id.names.get(0))) {
          throw DECLINE;
        }
        for (RelDataTypeField f : columns) {
          add(f.getIndex(), f.getName(), table, projects, labels, origins);
        }
      } else if (aggregation != null) {
        projects.add(expression(id)); // a group key
        labels.add(alias != null ? alias : columns.get(column(id)).getName());
        List<String> origin = new ArrayList<>(table.getQualifiedName());
        origin.add(columns.get(column(id)).getName());
        origins.add(origin);
      } else {
        int field = column(id);
        add(field, alias != null ? alias : columns.get(field).getName(), table, projects, labels, origins);
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
        RexNode ref = expression(id);
        if (a.pre.contains(ref)) {
          throw DECLINE;
        }
        a.pre.add(ref);
        a.name(keyName(select.getSelectList(), column(id)));
      }
    }
    a.groupCount = a.pre.size();
    int i = 0;
    for (SqlNode item : select.getSelectList()) {
      String name = null;
      if (item.getKind() == SqlKind.AS) {
        if (!(((SqlCall) item).operand(1) instanceof SqlIdentifier alias) || !alias.isSimple()) {
          throw DECLINE;
        }
        name = alias.getSimple();
        item = ((SqlCall) item).operand(0);
      }
      a.collect(item, item instanceof SqlIdentifier ? null : name != null ? name : "EXPR$" + i);
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

  /** A group key's name: the alias the select list gives that column, else the column's name. */
  private String keyName(SqlNodeList selectList, int field) {
    for (SqlNode item : selectList) {
      if (item.getKind() == SqlKind.AS && ((SqlCall) item).operand(0) instanceof SqlIdentifier id && !id.isStar()
          && ((SqlCall) item).operand(1) instanceof SqlIdentifier alias && column(id) == field) {
        return alias.getSimple();
      }
    }
    return columns.get(field).getName();
  }

  /**
   * The aggregate function a call names, or null: the parser leaves COUNT, SUM, MIN, MAX and AVG
   * unresolved, and the validator finds Calcite's own under those names.
   */
  private static org.apache.calcite.sql.SqlAggFunction aggregateFunction(SqlNode node) {
    if (!(node instanceof SqlBasicCall call)) {
      return null;
    }
    if (call.getOperator() instanceof org.apache.calcite.sql.SqlAggFunction f) {
      return f;
    }
    if (!(call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction u)) {
      return null;
    }
    return switch (u.getName().toUpperCase(java.util.Locale.ROOT)) {
      case "COUNT" -> SqlStdOperatorTable.COUNT;
      case "SUM" -> SqlStdOperatorTable.SUM;
      case "MIN" -> SqlStdOperatorTable.MIN;
      case "MAX" -> SqlStdOperatorTable.MAX;
      case "AVG" -> SqlStdOperatorTable.AVG;
      default -> null;
    };
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
    if (aggregateFunction(call) != null) {
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
      } else if (node instanceof SqlBasicCall c && aggregateFunction(c) != null) {
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
      org.apache.calcite.sql.SqlAggFunction f = aggregateFunction(c);
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
        RexNode arg = value(operand);
        collecting = was;
        if (isNull(arg)) {
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

  private void add(int field, String label, RelOptTable table, List<RexNode> projects, List<String> labels,
      List<List<String>> origins) {
    projects.add(rex.makeInputRef(columns.get(field).getType(), field));
    labels.add(label);
    List<String> origin = new ArrayList<>(table.getQualifiedName());
    origin.add(columns.get(field).getName());
    origins.add(origin);
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

  /** A WHERE expression as the converter makes it. */
  private RexNode expression(SqlNode node) {
    if (node instanceof SqlIdentifier id) {
      if (id.isStar()) {
        throw DECLINE;
      }
      int field = column(id);
      if (aggregation != null && !aggregation.collecting) {
        return aggregation.groupKey(field);
      }
      return rex.makeInputRef(columns.get(field).getType(), field);
    }
    if (node instanceof SqlBasicCall c && aggregateFunction(c) != null) {
      if (aggregation == null || aggregation.collecting) {
        throw DECLINE; // an aggregate inside an aggregate's argument
      }
      return aggregation.output(c);
    }
    if (node instanceof SqlNumericLiteral n) {
      BigDecimal value = n.getValueAs(BigDecimal.class);
      return n.isExact() ? rex.makeExactLiteral(value, n.createSqlType(types)) : rex.makeApproxLiteral(value);
    }
    if (node instanceof org.apache.calcite.sql.SqlLiteral l && l.getTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(types.createSqlType(SqlTypeName.NULL));
    }
    if (node instanceof SqlCharStringLiteral s) {
      return rex.makeCharLiteral(s.getValueAs(NlsString.class));
    }
    if (!(node instanceof SqlBasicCall call)) {
      throw DECLINE;
    }
    SqlOperator op = call.getOperator();
    List<SqlNode> operands = call.getOperandList();
    switch (call.getKind()) {
      case AND, OR -> {
        List<RexNode> terms = new ArrayList<>();
        for (SqlNode o : operands) {
          terms.add(predicate(o));
        }
        return junction(call.getKind() == SqlKind.AND ? SqlStdOperatorTable.AND : SqlStdOperatorTable.OR, terms);
      }
      case NOT -> {
        return rex.makeCall(SqlStdOperatorTable.NOT, predicate(operands.get(0)));
      }
      case PLUS_PREFIX -> {
        return number(operands.get(0)); // the converter drops a unary plus
      }
      case MINUS_PREFIX -> {
        RexNode x = number(operands.get(0));
        if (isNull(x)) {
          return x; // - NULL is NULL, of no type
        }
        if (x instanceof RexLiteral l) { // a negated number is folded into its literal
          BigDecimal negated = l.getValueAs(BigDecimal.class).negate();
          return SqlTypeUtil.isExactNumeric(l.getType()) ? rex.makeExactLiteral(negated, l.getType())
              : rex.makeApproxLiteral(negated, l.getType());
        }
        return PostgresConvertlets.checked(rex, rex.makeCall(SqlStdOperatorTable.UNARY_MINUS, x));
      }
      case PLUS, MINUS, TIMES, DIVIDE -> {
        if (op != SqlStdOperatorTable.PLUS && op != SqlStdOperatorTable.MINUS && op != SqlStdOperatorTable.MULTIPLY
            && op != SqlStdOperatorTable.DIVIDE) {
          throw DECLINE;
        }
        // An untyped NULL takes the other operand's type; integer arithmetic fails on overflow, as
        // PostgresConvertlets makes it.
        RexNode[] xs = typedNulls(number(operands.get(0)), number(operands.get(1)));
        return PostgresConvertlets.checked(rex, rex.makeCall(op, xs[0], xs[1]));
      }
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        if (op != standard(call.getKind())) {
          throw DECLINE;
        }
        return comparison(op, expression(operands.get(0)), expression(operands.get(1)));
      }
      case IS_NULL, IS_NOT_NULL -> {
        if (op != SqlStdOperatorTable.IS_NULL && op != SqlStdOperatorTable.IS_NOT_NULL) {
          throw DECLINE;
        }
        RexNode x = value(operands.get(0));
        if (isNull(x)) { // the validator gives an untyped NULL tested here VARCHAR(1024)
          x = rex.makeNullLiteral(types.createTypeWithNullability(
              types.createSqlType(SqlTypeName.VARCHAR, 1024), true));
        }
        return rex.makeCall(op, x);
      }
      case BETWEEN -> {
        if (!(op instanceof SqlBetweenOperator between) || between.flag != SqlBetweenOperator.Flag.ASYMMETRIC) {
          throw DECLINE;
        }
        // The validator brings all three operands to one type first.
        List<RexNode> xs = new ArrayList<>(List.of(value(operands.get(0)), value(operands.get(1)),
            value(operands.get(2))));
        if (isNull(xs.get(0)) || isNull(xs.get(1)) || isNull(xs.get(2))) {
          throw DECLINE;
        }
        RelDataType approximate = null;
        boolean same = true;
        for (RexNode e : xs) {
          same &= SqlTypeUtil.equalSansNullability(types, e.getType(), xs.get(0).getType())
              || SqlTypeUtil.inCharFamily(e.getType()) && SqlTypeUtil.inCharFamily(xs.get(0).getType());
          if (!SqlTypeUtil.isNumeric(e.getType()) && !same) {
            throw DECLINE;
          }
          if (SqlTypeUtil.isApproximateNumeric(e.getType())) {
            if (approximate != null && !SqlTypeUtil.equalSansNullability(types, approximate, e.getType())) {
              throw DECLINE;
            }
            approximate = e.getType();
          }
        }
        if (!same) {
          if (approximate == null) {
            throw DECLINE; // integers and decimals: a common decimal type
          }
          for (int i = 0; i < xs.size(); i++) {
            if (SqlTypeUtil.isExactNumeric(xs.get(i).getType())) {
              xs.set(i, castTo(xs.get(i), approximate));
            }
          }
        }
        RexNode range = rex.makeCall(SqlStdOperatorTable.AND,
            rex.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, xs.get(0), xs.get(1)),
            rex.makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, xs.get(0), xs.get(2)));
        return between.isNegated() ? rex.makeCall(SqlStdOperatorTable.NOT, range) : range;
      }
      case IN, NOT_IN -> {
        if (!(operands.get(1) instanceof SqlNodeList list) || list.isEmpty() || list.size() >= IN_LIST_LIMIT
            || op != (call.getKind() == SqlKind.IN ? SqlStdOperatorTable.IN : SqlStdOperatorTable.NOT_IN)) {
          throw DECLINE;
        }
        RexNode x = value(operands.get(0));
        if (isNull(x)) {
          throw DECLINE;
        }
        List<RexNode> equalities = new ArrayList<>();
        RelDataType itemType = null;
        for (SqlNode item : list) {
          if (!(item instanceof SqlNumericLiteral) && !(item instanceof SqlCharStringLiteral)) {
            throw DECLINE;
          }
          RexNode v = expression(item);
          // The converter casts a list of mixed types to their common type first; against a
          // floating-point value that is its type, which each comparison casts to as well.
          if (itemType != null && !SqlTypeUtil.equalSansNullability(types, itemType, v.getType())
              && !(SqlTypeUtil.isApproximateNumeric(x.getType()) && SqlTypeUtil.isExactNumeric(v.getType()))) {
            throw DECLINE;
          }
          itemType = v.getType();
          equalities.add(comparison(SqlStdOperatorTable.EQUALS, x, v));
        }
        RexNode any = RexUtil.composeDisjunction(rex, equalities);
        return call.getKind() == SqlKind.NOT_IN ? rex.makeCall(SqlStdOperatorTable.NOT, any) : any;
      }
      default -> throw DECLINE;
    }
  }

  /**
   * The WHERE with each NOT above an IN list pushed down to it (De Morgan's laws; NOT IN for
   * NOT of IN), as the converter rewrites it before converting; subtrees without IN stay as written.
   */
  private static SqlNode notPushedToIn(SqlNode node) {
    if (!(node instanceof SqlCall call) || !containsIn(node)) {
      return node;
    }
    switch (call.getKind()) {
      case AND, OR -> {
        List<SqlNode> operands = new ArrayList<>();
        for (SqlNode o : call.getOperandList()) {
          operands.add(notPushedToIn(o));
        }
        return call.getOperator().createCall(call.getParserPosition(), operands);
      }
      case NOT -> {
        SqlNode inner = call.operand(0);
        switch (inner.getKind()) {
          case AND, OR -> {
            List<SqlNode> operands = new ArrayList<>();
            for (SqlNode o : ((SqlCall) inner).getOperandList()) {
              operands.add(notPushedToIn(SqlStdOperatorTable.NOT.createCall(SqlParserPos.ZERO, o)));
            }
            return (inner.getKind() == SqlKind.AND ? SqlStdOperatorTable.OR : SqlStdOperatorTable.AND)
                .createCall(SqlParserPos.ZERO, operands);
          }
          case NOT -> {
            return notPushedToIn(((SqlCall) inner).operand(0));
          }
          case IN -> {
            return SqlStdOperatorTable.NOT_IN.createCall(SqlParserPos.ZERO, ((SqlCall) inner).getOperandList());
          }
          case NOT_IN -> {
            return SqlStdOperatorTable.IN.createCall(SqlParserPos.ZERO, ((SqlCall) inner).getOperandList());
          }
          default -> {
            return node;
          }
        }
      }
      default -> {
        return node;
      }
    }
  }

  private static boolean containsIn(SqlNode node) {
    if (!(node instanceof SqlCall call)) {
      return false;
    }
    if (call.getOperator() instanceof org.apache.calcite.sql.fun.SqlInOperator) {
      return true;
    }
    for (SqlNode o : call.getOperandList()) {
      if (o != null && containsIn(o)) {
        return true;
      }
    }
    return false;
  }

  /** A boolean operand of AND, OR or NOT. */
  private RexNode predicate(SqlNode node) {
    RexNode e = expression(node);
    if (e.getType().getSqlTypeName() != SqlTypeName.BOOLEAN) {
      throw DECLINE;
    }
    return e;
  }

  /** An operand of arithmetic: a number (exact or floating-point). */
  private RexNode number(SqlNode node) {
    RexNode e = expression(node);
    if (!SqlTypeUtil.isNumeric(e.getType()) && !isNull(e)) {
      throw DECLINE;
    }
    return e;
  }

  /** Whether {@code e} is NULL as written: a literal the validator has not typed yet. */
  private static boolean isNull(RexNode e) {
    return e.getType().getSqlTypeName() == SqlTypeName.NULL;
  }

  /** Two operands, an untyped NULL among them typed as the other operand (the validator's inference). */
  private RexNode[] typedNulls(RexNode a, RexNode b) {
    if (isNull(a) && isNull(b)) {
      throw DECLINE; // nothing to infer a type from
    }
    if (isNull(a)) {
      a = rex.makeNullLiteral(types.createTypeWithNullability(b.getType(), true));
    } else if (isNull(b)) {
      b = rex.makeNullLiteral(types.createTypeWithNullability(a.getType(), true));
    }
    return new RexNode[] {a, b};
  }

  /** An operand of a comparison: a column or a literal, never a boolean. */
  private RexNode value(SqlNode node) {
    RexNode e = expression(node);
    if (e.getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
      throw DECLINE;
    }
    return e;
  }

  /** AND or OR with nested ANDs or ORs of the same kind merged into it, as the converter does. */
  private RexNode junction(SqlOperator op, List<RexNode> terms) {
    List<RexNode> flat = new ArrayList<>();
    for (RexNode t : terms) {
      if (t instanceof RexCall c && c.getOperator() == op) {
        flat.addAll(c.getOperands());
      } else {
        flat.add(t);
      }
    }
    return rex.makeCall(op, flat);
  }

  private static SqlOperator standard(SqlKind kind) {
    return switch (kind) {
      case EQUALS -> SqlStdOperatorTable.EQUALS;
      case NOT_EQUALS -> SqlStdOperatorTable.NOT_EQUALS;
      case LESS_THAN -> SqlStdOperatorTable.LESS_THAN;
      case LESS_THAN_OR_EQUAL -> SqlStdOperatorTable.LESS_THAN_OR_EQUAL;
      case GREATER_THAN -> SqlStdOperatorTable.GREATER_THAN;
      case GREATER_THAN_OR_EQUAL -> SqlStdOperatorTable.GREATER_THAN_OR_EQUAL;
      default -> throw DECLINE;
    };
  }

  /**
   * A comparison with Calcite's implicit casts: none between equal types or two character
   * columns (a string literal, which the validator retypes, is declined); an exact number cast to the floating-point type it meets; an integer cast to the
   * common decimal type when it meets a decimal. Other mixes (an INTEGER literal against a BIGINT
   * column, whose IN list the validator retypes) are declined.
   */
  private RexNode comparison(SqlOperator op, RexNode a, RexNode b) {
    if (isNull(a) || isNull(b)) {
      RexNode[] xs = typedNulls(a, b);
      return rex.makeCall(op, xs[0], xs[1]);
    }
    if (a.getType().getSqlTypeName() == SqlTypeName.BOOLEAN || b.getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
      throw DECLINE;
    }
    RelDataType ta = a.getType();
    RelDataType tb = b.getType();
    if (SqlTypeUtil.inCharFamily(ta) || SqlTypeUtil.inCharFamily(tb)) {
      if (a instanceof RexLiteral || b instanceof RexLiteral || !SqlTypeUtil.inCharFamily(ta)
          || !SqlTypeUtil.inCharFamily(tb)) {
        throw DECLINE; // the validator retypes a string literal to the column's type
      }
      return rex.makeCall(op, a, b);
    }
    if (SqlTypeUtil.equalSansNullability(types, ta, tb)) {
      return rex.makeCall(op, a, b);
    }
    if (!SqlTypeUtil.isNumeric(ta) || !SqlTypeUtil.isNumeric(tb)) {
      throw DECLINE;
    }
    if (SqlTypeUtil.isApproximateNumeric(ta) && SqlTypeUtil.isExactNumeric(tb)) {
      return rex.makeCall(op, a, castTo(b, ta));
    }
    if (SqlTypeUtil.isExactNumeric(ta) && SqlTypeUtil.isApproximateNumeric(tb)) {
      return rex.makeCall(op, castTo(a, tb), b);
    }
    if (SqlTypeUtil.isIntType(ta) && isFraction(b)) {
      RelDataType common = types.leastRestrictive(List.of(ta, tb));
      return rex.makeCall(op, castTo(a, common), retyped((RexLiteral) b, common));
    }
    if (isFraction(a) && SqlTypeUtil.isIntType(tb)) {
      RelDataType common = types.leastRestrictive(List.of(ta, tb));
      return rex.makeCall(op, retyped((RexLiteral) a, common), castTo(b, common));
    }
    throw DECLINE;
  }

  /** Whether {@code e} is a decimal literal with digits after the point. */
  private static boolean isFraction(RexNode e) {
    return e instanceof RexLiteral l && l.getType().getSqlTypeName() == SqlTypeName.DECIMAL && l.getType().getScale() > 0;
  }

  /** A decimal literal in a wider decimal type: the converter folds the cast of a literal. */
  private RexNode retyped(RexLiteral literal, RelDataType type) {
    return rex.makeExactLiteral(literal.getValueAs(BigDecimal.class), types.createTypeWithNullability(type, false));
  }

  /** A cast that keeps the operand's nullability, left unfolded as the converter leaves it. */
  private RexNode castTo(RexNode e, RelDataType type) {
    return rex.makeAbstractCast(types.createTypeWithNullability(type, e.getType().isNullable()), e, false);
  }
}
