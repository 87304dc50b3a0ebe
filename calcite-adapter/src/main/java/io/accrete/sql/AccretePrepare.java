package io.accrete.sql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.jdbc.CalciteSchema.LatticeEntry;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

/**
 * Calcite's statement preparation with Accrete's operators in front of the libraries the
 * connection's {@code fun} names ({@link DateArithmetic}), and their conversions to row
 * expressions; while a statement is planned, {@link DatalogFunction} sees the connection's
 * schema. Calcite takes its operators only from {@code fun}'s library names, so the
 * statement's context hands the validator a configuration whose operator table has them, and
 * its plans' generated code to {@link PlanCompiler}.
 */
final class AccretePrepare extends CalcitePrepareImpl {
  @Override
  public <T> CalciteSignature<T> prepareSql(Context context, Query<T> query, Type elementType, long maxRowCount) {
    SqlSession session = session(context);
    SqlSession before = DatalogFunction.PLANNING.get();
    if (session != null) {
      DatalogFunction.PLANNING.set(session); // datalog(…)'s columns are typed from this schema
    }
    java.util.List<String>[] labels = ColumnLabels.startPreparing();
    try {
      return perExecution(prepareTrimmed(context, query, elementType, maxRowCount), maxRowCount);
    } finally {
      ColumnLabels.donePreparing(labels);
      DatalogFunction.PLANNING.set(before);
    }
  }

  /**
   * The same signature, whose every execution runs in a {@link StatementContext} of its own: the
   * one database value its tables read; unnamed columns have PostgreSQL's names ({@link ColumnLabels}).
   */
  private static <T> CalciteSignature<T> perExecution(CalciteSignature<T> s, long maxRowCount) {
    if (s.statementType != Meta.StatementType.SELECT && s.statementType != Meta.StatementType.IS_DML) {
      return s; // DDL: no operators run
    }
    return new CalciteSignature<>(s.sql, s.parameters, s.internalParameters, s.rowType, ColumnLabels.relabel(s.columns),
        s.cursorFactory, s.rootSchema, s.getCollationList(), maxRowCount,
        root -> s.enumerable(new StatementContext(root)), s.statementType);
  }

  private <T> CalciteSignature<T> prepareTrimmed(Context context, Query<T> query, Type elementType, long maxRowCount) {
    try {
      return super.prepareSql(withOperators(context), query, elementType, maxRowCount);
    } catch (IndexOutOfBoundsException e) {
      if (!failedInTrimmer(e)) {
        throw e;
      }
      // Calcite's field trimming right after conversion fails on some correlated sub-queries
      // under a filter (an index of -1); the plan is then trimmed later, after decorrelation.
      AccretePrograms.UNTRIMMED.set(true);
      try {
        return super.prepareSql(withOperators(context), query, elementType, maxRowCount);
      } finally {
        AccretePrograms.UNTRIMMED.remove();
      }
    }
  }

  @Override
  protected org.apache.calcite.plan.RelOptPlanner createPlanner(Context prepareContext,
      org.apache.calcite.plan.Context externalContext, org.apache.calcite.plan.RelOptCostFactory costFactory) {
    // What Calcite's createPlanner does, with the rules registered only when planning needs them.
    CalciteConnectionConfig config = prepareContext.config();
    boolean materializations = config.materializationsEnabled();
    CalcitePrepare.SparkHandler spark = prepareContext.spark();
    org.apache.calcite.plan.volcano.VolcanoPlanner planner = new DeferredRulesPlanner(costFactory,
        externalContext != null ? externalContext : org.apache.calcite.plan.Contexts.of(config), p -> {
          org.apache.calcite.plan.RelOptUtil.registerDefaultRules(p, materializations, enableBindable);
          if (spark.enabled()) {
            spark.registerRules(new CalcitePrepare.SparkHandler.RuleSetBuilder() {
              @Override
              public void addRule(org.apache.calcite.plan.RelOptRule rule) {
                p.addRule(rule);
              }

              @Override
              public void removeRule(org.apache.calcite.plan.RelOptRule rule) {
                p.removeRule(rule);
              }
            });
          }
          org.apache.calcite.runtime.Hook.PLANNER.run(p);
        });
    planner.setExecutor(new ConstantReducer());
    planner.addRelTraitDef(org.apache.calcite.plan.ConventionTraitDef.INSTANCE);
    if (org.apache.calcite.config.CalciteSystemProperty.ENABLE_COLLATION_TRAIT.value()) {
      planner.addRelTraitDef(org.apache.calcite.rel.RelCollationTraitDef.INSTANCE);
    }
    planner.setTopDownOpt(config.topDownOpt());
    return planner;
  }

  /** Calcite's preparation of one statement, which runs small query plans interpreted ({@link PlanInterpreter}). */
  @Override
  protected CalcitePreparingStmt getPreparingStmt(Context context, Type elementType,
      org.apache.calcite.prepare.CalciteCatalogReader catalogReader, org.apache.calcite.plan.RelOptPlanner planner) {
    org.apache.calcite.adapter.java.JavaTypeFactory types = context.getTypeFactory();
    SqlSession session = session(context);
    boolean interpret = session != null && session.interprets();
    boolean bind = session != null && session.binds();
    return new Preparing(this, context, catalogReader, types, interpret, bind,
        elementType == Object[].class ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM,
        createCluster(planner, new org.apache.calcite.rex.RexBuilder(types)), createConvertletTable());
  }

  /**
   * One statement's preparation: after conversion to relational algebra, a query whose plan
   * {@link PlanInterpreter} runs skips cost-based planning and code generation. EXPLAIN shows
   * the plan the planner would compile.
   */
  private static final class Preparing extends CalcitePreparingStmt {
    private final boolean interpret;
    private final boolean bind;
    private final org.apache.calcite.plan.RelOptCluster cluster;
    private boolean explaining;
    private PlanInterpreter interpreted;
    /** For an interpreted INSERT, UPDATE or DELETE: what runs its source rows. */
    private Modification modifying;

    Preparing(CalcitePrepareImpl prepare, Context context, org.apache.calcite.prepare.CalciteCatalogReader catalogReader,
        org.apache.calcite.adapter.java.JavaTypeFactory types, boolean interpret, boolean bind,
        EnumerableRel.Prefer prefer, org.apache.calcite.plan.RelOptCluster cluster, SqlRexConvertletTable convertlets) {
      super(prepare, context, catalogReader, types, context.getRootSchema(), prefer, cluster,
          EnumerableConvention.INSTANCE, convertlets);
      this.interpret = interpret;
      this.bind = bind;
      this.cluster = cluster;
    }

    @Override
    public PreparedResult prepareSql(SqlNode query, SqlNode original, Class runtimeContextClass,
        SqlValidator validator, boolean needsValidation) {
      explaining = query.getKind() == SqlKind.EXPLAIN;
      QualifiedNames.apply(explaining ? ((org.apache.calcite.sql.SqlExplain) query).getExplicandum() : query,
          catalogReader);
      QueryBinder.Bound bound = bind && !explaining && query == original
          ? QueryBinder.bind(query, catalogReader, cluster, validator.config().defaultNullCollation()) : null;
      if (bound == null) {
        return super.prepareSql(query, original, runtimeContextClass, validator, needsValidation);
      }
      // What Calcite's prepareSql does after validation and conversion, with the binder's plan.
      init(runtimeContextClass);
      validator.setValidatedNodeType(query, bound.root().validatedRowType); // the statement's columns
      fieldOrigins = bound.origins();
      parameterRowType = catalogReader.getTypeFactory().builder().build();
      RelRoot root = bound.root();
      // Arithmetic that must fail on overflow, as Calcite's preparation makes it after conversion.
      root = root.withRel(new org.apache.calcite.sql2rel.ConvertToChecked(root.rel.getCluster().getRexBuilder(),
          context.config().conformance().checkedArithmetic()).visit(root.rel));
      org.apache.calcite.runtime.Hook.CONVERTED.run(root.rel);
      root = trimUnusedFields(root);
      org.apache.calcite.runtime.Hook.TRIMMED.run(root.rel);
      root = optimize(root, getMaterializations(), getLattices());
      return implement(root.withKind(original.getKind()));
    }

    /**
     * Decides before the field trimmer runs: an interpreted plan reads a few small inputs, and
     * trimming their columns would cost more than reading them.
     */
    @Override
    protected RelRoot trimUnusedFields(RelRoot root) {
      if (interpret && !explaining && root.rel instanceof org.apache.calcite.rel.core.TableModify m) {
        AccreteTableModify modify = modification(m);
        if (modify != null) {
          RelNode source = PlanInterpreter.withPostgresMeaning(modify.getInput());
          int fields = source.getRowType().getFieldCount();
          interpreted = PlanInterpreter.of(source, org.apache.calcite.util.ImmutableIntList.range(0, fields));
          if (interpreted != null) {
            modifying = AccreteTableModify.modification(modify, modify.conflict, fields == 1);
            return root.withRel(modify.copy(modify.getTraitSet(), List.of(source)));
          }
        }
      } else if (interpret && !explaining && !root.kind.belongsTo(SqlKind.DML)) {
        RelNode rel = PlanInterpreter.withPostgresMeaning(root.rel);
        interpreted = PlanInterpreter.of(rel, root.fields.leftList());
        if (interpreted != null) {
          return root.withRel(rel);
        }
      }
      return super.trimUnusedFields(root);
    }

    /**
     * A table modification as Accrete runs it: INSERT already is one; UPDATE and DELETE become
     * one as the planned path's step after trimming makes them (their source rows then carry the
     * entity id). Null for other targets.
     */
    private static AccreteTableModify modification(org.apache.calcite.rel.core.TableModify m) {
      if (m instanceof AccreteTableModify a) {
        return a;
      }
      AccreteTable target = m.getTable().unwrap(AccreteTable.class);
      if (target == null) {
        return null;
      }
      return AccreteTableModify.of(target, m.getCluster(), m.getTable(), m.getCatalogReader(), m.getInput(),
          m.getOperation(), m.getUpdateColumnList(), m.getSourceExpressionList(), m.isFlattened(), null);
    }

    @Override
    protected RelRoot optimize(RelRoot root, List<Materialization> materializations, List<LatticeEntry> lattices) {
      return interpreted != null ? root : super.optimize(root, materializations, lattices);
    }

    @Override
    protected PreparedResult implement(RelRoot root) {
      PlanInterpreter plan = interpreted;
      if (plan == null) {
        return super.implement(root);
      }
      Modification modification = modifying;
      if (modification != null) {
        org.apache.calcite.rel.core.TableModify m = (org.apache.calcite.rel.core.TableModify) root.rel;
        Bindable<Long> count = context -> modification.run(context, Linq4j.asEnumerable(plan.run(context)));
        return new Interpreted(root, parameterRowType, fieldOrigins, List.of(), m.getOperation(), Long.class, count);
      }
      return new Interpreted(root, parameterRowType, fieldOrigins,
          root.collation.getFieldCollations().isEmpty() ? List.of() : List.of(root.collation), null,
          root.fields.size() == 1 ? Object.class : Object[].class, (Bindable<Object>) context -> Linq4j.asEnumerable(plan.run(context)));
    }
  }

  /** A prepared statement whose plan runs interpreted: its rows (or a write's count) from {@code bindable}. */
  private static final class Interpreted extends Prepare.PreparedResultImpl {
    private final Class<?> rowClass;
    private final Bindable<?> bindable;

    Interpreted(RelRoot root, org.apache.calcite.rel.type.RelDataType parameterRowType,
        List<? extends List<String>> fieldOrigins, List<org.apache.calcite.rel.RelCollation> collations,
        org.apache.calcite.rel.core.TableModify.Operation write, Class<?> rowClass, Bindable<?> bindable) {
      super(root.rel.getRowType(), java.util.Objects.requireNonNull(parameterRowType), fieldOrigins, collations,
          root.rel, write, write != null);
      this.rowClass = rowClass;
      this.bindable = bindable;
    }

    @Override
    public String getCode() {
      return "interpreted";
    }

    @Override
    public Bindable getBindable(Meta.CursorFactory cursorFactory) {
      return bindable;
    }

    @Override
    public Type getElementType() {
      return rowClass;
    }
  }

  @Override
  protected SqlRexConvertletTable createConvertletTable() {
    return PostgresConvertlets.INSTANCE;
  }

  private static boolean failedInTrimmer(Throwable e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      if (frame.getClassName().startsWith("org.apache.calcite.sql2rel.RelFieldTrimmer")) {
        return true;
      }
    }
    return false;
  }

  /** The connection's Accrete session, or null for a connection without Accrete's schema. */
  private static SqlSession session(Context context) {
    org.apache.calcite.jdbc.CalciteSchema accrete = context.getRootSchema().getSubSchema(AccreteSql.SCHEMA, true);
    return accrete != null && accrete.schema instanceof AccreteSchema a ? a.session() : null;
  }

  /** Per connection (its Accrete session): the configuration's answers, by method and arguments. */
  private static final java.util.Map<Object, java.util.Map<List<Object>, java.util.Optional<Object>>> CONFIG_ANSWERS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static Context withOperators(Context context) {
    CalciteConnectionConfig config = context.config();
    // Calcite's configuration parses its property text on every call, and the validator calls
    // often: each answer is kept for the connection (its properties are fixed when it opens).
    // (Calcite's root schema is a new snapshot per statement; the Accrete session is the connection's.)
    SqlSession session = session(context);
    java.util.Map<List<Object>, java.util.Optional<Object>> answers = session != null
        ? CONFIG_ANSWERS.computeIfAbsent(session, k -> new java.util.concurrent.ConcurrentHashMap<>())
        : new java.util.HashMap<>();
    CalciteConnectionConfig ours = proxy(CalciteConnectionConfig.class, config, (m, args) -> {
      List<Object> key = new java.util.ArrayList<>(args.length + 1);
      key.add(m);
      key.addAll(java.util.Arrays.asList(args));
      java.util.Optional<Object> known = answers.get(key);
      if (known == null) {
        if (m.getName().equals("fun") && args.length == 2 && args[0] == SqlOperatorTable.class) {
          known = java.util.Optional.of(SqlOperatorTables.chain(DateArithmetic.OPERATORS, NumberText.OPERATORS,
              Percentiles.OPERATORS, (SqlOperatorTable) m.invoke(config, args)));
        } else {
          known = java.util.Optional.ofNullable(m.invoke(config, args));
        }
        answers.put(key, known);
      }
      return known.orElse(null);
    });
    return proxy(Context.class, context, (m, args) -> {
      if (args.length == 0 && m.getName().equals("config")) {
        return ours;
      }
      if (args.length == 0 && m.getName().equals("spark")) {
        return PlanCompiler.INSTANCE; // Calcite's one hook for compiling the generated plan class
      }
      return m.invoke(context, args);
    });
  }

  private interface Call {
    Object apply(java.lang.reflect.Method m, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, T target, Call call) {
    return type.cast(Proxy.newProxyInstance(AccretePrepare.class.getClassLoader(), new Class<?>[] {type},
        (p, m, args) -> {
          try {
            return call.apply(m, args == null ? new Object[0] : args);
          } catch (InvocationTargetException e) {
            throw e.getCause(); // the target's own exception, not reflection's wrapper
          }
        }));
  }
}
