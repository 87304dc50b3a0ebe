package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalTableModify;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.util.Holder;

/**
 * How statements are optimized: Calcite's standard sequence, except that joins are ordered by
 * a heuristic instead of exhaustively. Calcite's default tries every order of every join with
 * its commute and associate rules; six-table TPC-H joins then took 10–30 s to plan. Before
 * ordering, filters move into joins, with the factors common to all branches of an OR pulled
 * out first (TPC-H Q19 repeats its join condition in each branch; left inside the OR it made a
 * nested-loop join over the product of two tables), and {@code FOR SYSTEM_TIME AS OF} becomes
 * part of the scan; then each join input gets the restriction an OR across the join implies
 * for it ({@link OrRestrictions}).
 */
final class AccretePrograms {
  private AccretePrograms() {}

  private static volatile boolean installed;

  /** Set while a statement is planned without trimming fields right after conversion. */
  static final ThreadLocal<Boolean> UNTRIMMED = new ThreadLocal<>();

  /** Makes Calcite use {@link #program()} in this JVM (Calcite offers only a global hook). */
  static void install() {
    if (!installed) {
      synchronized (AccretePrograms.class) {
        if (!installed) {
          Program p = program();
          Hook.PROGRAM.add((Consumer<Holder<Program>>) h -> h.set(p));
          // A statement whose first planning failed in Calcite's field trimming is planned again
          // without that trimming (see AccretePrepare).
          Hook.SQL2REL_CONVERTER_CONFIG_BUILDER.add(
              (Consumer<Holder<org.apache.calcite.sql2rel.SqlToRelConverter.Config>>) h -> {
                if (Boolean.TRUE.equals(UNTRIMMED.get())) {
                  h.set(h.get().withTrimUnusedFields(false));
                }
              });
          installed = true;
        }
      }
    }
  }

  static Program program() {
    var md = DefaultRelMetadataProvider.INSTANCE;
    // Time travel is settled here too: a filter over FOR SYSTEM_TIME AS OF then meets the scan
    // itself, and the cost-based phase pushes it into the index read as at present.
    // AVG becomes SUM / COUNT here, so that NumericDivision sees every average's division.
    Program pushFilters = Programs.hep(List.of(CoreRules.AGGREGATE_REDUCE_FUNCTIONS, new RightToLeftJoinRule(),
        new FullJoinRule(),
        new PullFactorsRule(), CoreRules.FILTER_INTO_JOIN,
        CoreRules.JOIN_CONDITION_PUSH, CoreRules.FILTER_PROJECT_TRANSPOSE,
        new AccreteRules.SnapshotProjectRule(), new AccreteRules.SnapshotRule()), true, md);
    // Restrictions implied by ORs across a join's inputs go onto the inputs, once, and down again.
    Program orRestrictions = (planner, rel, traits, materializations, lattices) -> {
      org.apache.calcite.rel.RelNode derived = rel.accept(new OrRestrictions());
      return derived == rel ? rel : pushFilters.run(planner, derived, traits, materializations, lattices);
    };
    // Aggregates joined on their group keys (decorrelated sub-queries) take only the keys they meet.
    Program restrictAggregates = Programs.hep(List.of(new RestrictedAggregateRule()), true, JoinEstimates.PROVIDER);
    Program ordered = (planner, rel, traits, materializations, lattices) -> {
      List<RelOptRule> rules = new ArrayList<>(planner.getRules());
      // Calcite's empty-input pruning turned `x IN (an empty sub-query) OR c` into no rows at all
      // (the sub-query's COUNT over nothing is a row, not none): a wrong answer, so not used.
      rules.removeIf(r -> r.toString().startsWith("PruneEmpty") || r.getClass().getName().contains("PruneEmpty"));
      // A sorted UNION (distinct) with a LIMIT became a merge of its inputs each cut to the limit
      // before duplicates went: fewer rows than asked for.
      rules.removeIf(r -> r.toString().startsWith("EnumerableMergeUnionRule"));
      return joinOrder(rules).run(planner, rel, traits, materializations, lattices);
    };
    // UPDATE and DELETE arrive as Calcite's LogicalTableModify (only INSERT asks the table):
    // make them Accrete's once the field trimmer is done (it would drop the entity id they add).
    Program modifications = (planner, rel, traits, materializations, lattices) -> {
      if (rel instanceof LogicalTableModify m && m.getTable().unwrap(AccreteTable.class) != null) {
        return AccreteTableModify.of(m.getTable().unwrap(AccreteTable.class), m.getCluster(), m.getTable(),
            m.getCatalogReader(), m.getInput(), m.getOperation(), m.getUpdateColumnList(),
            m.getSourceExpressionList(), m.isFlattened(), null);
      }
      return rel;
    };
    // INSERT … VALUES with values the columns' types need casts for (1.5 into a DOUBLE) arrives as
    // a UNION ALL of one-row projections; a thousand rows of it compile to code too deeply nested
    // to run. Constant projections of VALUES fold into VALUES, and a union of VALUES into one.
    Program values = Programs.hep(List.of(new ValuesUnionRule(), new UnusedCorrelationRule()), true, md);
    // Calcite's decorrelator fails on some shapes (a DISTINCT over a correlated scalar sub-query
    // whose filter is constant false throws an index error): such a plan keeps its correlation,
    // which runs as a nested loop, slower but right.
    Program decorrelate = (planner, rel, traits, materializations, lattices) -> {
      try {
        return Programs.decorrelate().run(planner, rel, traits, materializations, lattices);
      } catch (IndexOutOfBoundsException | IllegalStateException | AssertionError e) {
        return rel;
      }
    };
    Program constantDistinct = Programs.hep(List.of(new ConstantDistinctRule()), true, md);
    // Correlated EXISTS and NOT EXISTS with a key become semi and anti joins before Calcite's
    // sub-query removal sees them (its decorrelation of them repeats the outer query).
    // Not under UPDATE or DELETE: their target's rows must stay where AccreteTableModify finds
    // the entity id (UPDATE … FROM arrives as an EXISTS).
    Program semiJoins = Programs.hep(List.of(new ExistsToSemiJoin()), true, md);
    Program existsJoins = (planner, rel, traits, materializations, lattices) -> rel instanceof LogicalTableModify
        ? rel : semiJoins.run(planner, rel, traits, materializations, lattices);
    return Programs.sequence(values, existsJoins, Programs.subQuery(md), constantDistinct, decorrelate, Programs.measure(md),
        Programs.trim(), modifications, pushFilters, orRestrictions, restrictAggregates, ordered, NumericDivision.program(), Programs.calc(md),
        SingleColumnFunctionScan.program());
  }

  /**
   * Calcite's heuristic join ordering ({@code Programs.heuristicJoinOrder}: three joins or more
   * gathered into a MultiJoin and ordered by {@code LoptOptimizeJoinRule}, or greedily when there
   * are many ({@link GreedyJoinOrder}), then the cost-based phase), with {@link JoinEstimates}' join sizes in the metadata both phases ask.
   */
  private static Program joinOrder(List<RelOptRule> rules) {
    return (planner, rel, traits, materializations, lattices) -> {
      if (org.apache.calcite.plan.RelOptUtil.countJoins(rel) < 3) {
        rel.getCluster().setMetadataProvider(JoinEstimates.PROVIDER);
        rel.getCluster().invalidateMetadataQuery();
        return Programs.ofRules(rules).run(planner, rel, traits, materializations, lattices);
      }
      org.apache.calcite.plan.hep.HepProgram multiJoin = new org.apache.calcite.plan.hep.HepProgramBuilder()
          .addRuleInstance(CoreRules.FILTER_INTO_JOIN)
          .addMatchOrder(org.apache.calcite.plan.hep.HepMatchOrder.BOTTOM_UP)
          .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
          .build();
      List<RelOptRule> ordering = new ArrayList<>(rules);
      // As Calcite's: the rules that search join orders exhaustively give way to the heuristic one.
      ordering.removeAll(List.of(CoreRules.JOIN_COMMUTE, CoreRules.JOIN_ASSOCIATE,
          org.apache.calcite.rel.rules.JoinPushThroughJoinRule.LEFT,
          org.apache.calcite.rel.rules.JoinPushThroughJoinRule.RIGHT));
      ordering.add(new GreedyJoinOrder());
      return Programs.sequence(Programs.of(multiJoin, false, JoinEstimates.PROVIDER), Programs.ofRules(ordering))
          .run(planner, rel, traits, materializations, lattices);
    };
  }

  /**
   * {@code UNION ALL} of one-row projections of literals (or of literals cast to their own
   * type, nullability aside) becomes one {@code VALUES}: how Calcite writes a multi-row INSERT
   * whose values need casts.
   */
  static final class ValuesUnionRule extends RelRule<RelRule.Config> {
    ValuesUnionRule() {
      super(AccreteRules.PlainConfig.of("AccreteValuesUnionRule",
          b -> b.operand(org.apache.calcite.rel.logical.LogicalUnion.class).anyInputs()));
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      org.apache.calcite.rel.logical.LogicalUnion union = call.rel(0);
      if (!union.all || union.getInputs().size() < 2) {
        return;
      }
      List<List<org.apache.calcite.rex.RexLiteral>> tuples = new ArrayList<>();
      for (org.apache.calcite.rel.RelNode input : union.getInputs()) {
        org.apache.calcite.rel.RelNode in = input instanceof org.apache.calcite.plan.volcano.RelSubset sub
            ? sub.getOriginal() : input instanceof org.apache.calcite.plan.hep.HepRelVertex v ? v.getCurrentRel() : input;
        if (!(in instanceof org.apache.calcite.rel.logical.LogicalProject p)) {
          return;
        }
        org.apache.calcite.rel.RelNode below = p.getInput() instanceof org.apache.calcite.plan.hep.HepRelVertex v
            ? v.getCurrentRel() : p.getInput();
        if (!(below instanceof org.apache.calcite.rel.core.Values values) || values.getTuples().size() != 1) {
          return;
        }
        List<org.apache.calcite.rex.RexLiteral> row = new ArrayList<>();
        for (int i = 0; i < p.getProjects().size(); i++) {
          RexNode e = p.getProjects().get(i);
          if (e instanceof org.apache.calcite.rex.RexCall c && c.getKind() == org.apache.calcite.sql.SqlKind.CAST
              && c.getOperands().get(0) instanceof org.apache.calcite.rex.RexLiteral lit
              && lit.getType().getSqlTypeName() == c.getType().getSqlTypeName()
              && lit.getType().getPrecision() == c.getType().getPrecision()
              && lit.getType().getScale() == c.getType().getScale()) {
            e = lit; // a cast that changes only nullability
          }
          if (!(e instanceof org.apache.calcite.rex.RexLiteral lit)
              || (!lit.isNull() && lit.getType().getSqlTypeName() != union.getRowType().getFieldList().get(i)
                  .getType().getSqlTypeName())) {
            return;
          }
          // A NULL takes the column's type: a VALUES row's literals must have its field types.
          row.add(lit.isNull() ? (org.apache.calcite.rex.RexLiteral) union.getCluster().getRexBuilder()
              .makeNullLiteral(union.getRowType().getFieldList().get(i).getType()) : lit);
        }
        tuples.add(row);
      }
      List<com.google.common.collect.ImmutableList<org.apache.calcite.rex.RexLiteral>> immutable = new ArrayList<>();
      for (List<org.apache.calcite.rex.RexLiteral> t : tuples) {
        immutable.add(com.google.common.collect.ImmutableList.copyOf(t));
      }
      call.transformTo(org.apache.calcite.rel.logical.LogicalValues.create(union.getCluster(), union.getRowType(),
          com.google.common.collect.ImmutableList.copyOf(immutable)));
    }
  }

  /**
   * {@code SELECT DISTINCT true FROM x} (what an EXISTS sub-query becomes) as {@code SELECT true
   * FROM (SELECT count(*) FROM x) WHERE count > 0}. Calcite's decorrelator drops a constant group
   * key and with it the difference between no rows and one: an uncorrelated EXISTS beside a
   * correlated one was then always true.
   */
  static final class ConstantDistinctRule extends RelRule<RelRule.Config> {
    ConstantDistinctRule() {
      super(AccreteRules.PlainConfig.of("AccreteConstantDistinctRule",
          b -> b.operand(org.apache.calcite.rel.logical.LogicalAggregate.class)
              .oneInput(p -> p.operand(org.apache.calcite.rel.logical.LogicalProject.class).anyInputs())));
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      org.apache.calcite.rel.logical.LogicalAggregate agg = call.rel(0);
      org.apache.calcite.rel.logical.LogicalProject project = call.rel(1);
      if (!agg.getAggCallList().isEmpty() || agg.getGroupType() != org.apache.calcite.rel.core.Aggregate.Group.SIMPLE
          || agg.getGroupCount() != project.getProjects().size()
          || !project.getProjects().stream().allMatch(e -> e instanceof org.apache.calcite.rex.RexLiteral)) {
        return;
      }
      org.apache.calcite.tools.RelBuilder b = call.builder();
      b.push(project.getInput());
      b.aggregate(b.groupKey(), b.countStar("c"));
      b.filter(b.greaterThan(b.field("c"), b.literal(0)));
      List<RexNode> literals = new ArrayList<>();
      for (int g : agg.getGroupSet()) {
        literals.add(project.getProjects().get(g));
      }
      b.project(literals, agg.getRowType().getFieldNames(), true);
      org.apache.calcite.rel.RelNode replaced = b.build();
      if (replaced.getRowType().equals(agg.getRowType())) {
        call.transformTo(replaced);
      }
    }
  }

  /**
   * A RIGHT join as the LEFT join of its inputs swapped: Calcite's nested-loop join keeps a right
   * join's unmatched rows in a set, so equal rows (10, 20, 20) came out once (10, 20).
   */
  static final class RightToLeftJoinRule extends RelRule<RelRule.Config> {
    RightToLeftJoinRule() {
      super(AccreteRules.PlainConfig.of("AccreteRightToLeftJoinRule",
          b -> b.operand(org.apache.calcite.rel.logical.LogicalJoin.class)
              .predicate(j -> j.getJoinType() == org.apache.calcite.rel.core.JoinRelType.RIGHT).anyInputs()));
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      org.apache.calcite.rel.core.Join join = call.rel(0);
      org.apache.calcite.rel.RelNode swapped = org.apache.calcite.rel.rules.JoinCommuteRule.swap(join, true, call.builder());
      if (swapped != null) {
        call.transformTo(swapped);
      }
    }
  }

  /**
   * A FULL join on a condition without equalities as {@code L LEFT JOIN R ON c} UNION ALL the rows
   * of R that match nothing, padded with NULLs: Calcite's nested-loop join keeps a full join's
   * unmatched rows in a set, so equal rows came out once. (With equalities a hash join runs it,
   * which counts them right.)
   */
  static final class FullJoinRule extends RelRule<RelRule.Config> {
    FullJoinRule() {
      super(AccreteRules.PlainConfig.of("AccreteFullJoinRule",
          b -> b.operand(org.apache.calcite.rel.logical.LogicalJoin.class)
              .predicate(j -> j.getJoinType() == org.apache.calcite.rel.core.JoinRelType.FULL).anyInputs()));
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      org.apache.calcite.rel.core.Join join = call.rel(0);
      if (!join.analyzeCondition().leftKeys.isEmpty()) {
        return;
      }
      org.apache.calcite.rel.RelNode left = join.getLeft();
      org.apache.calcite.rel.RelNode right = join.getRight();
      org.apache.calcite.rex.RexBuilder rex = join.getCluster().getRexBuilder();
      org.apache.calcite.tools.RelBuilder b = call.builder();
      b.push(left).push(right).join(org.apache.calcite.rel.core.JoinRelType.LEFT, join.getCondition());
      b.push(right).push(left).antiJoin(
          org.apache.calcite.rel.rules.JoinCommuteRule.swapJoinCond(join.getCondition(), join, rex));
      List<RexNode> padded = new ArrayList<>();
      for (org.apache.calcite.rel.type.RelDataTypeField f : left.getRowType().getFieldList()) {
        padded.add(rex.makeNullLiteral(rex.getTypeFactory().createTypeWithNullability(f.getType(), true)));
      }
      for (int i = 0; i < right.getRowType().getFieldCount(); i++) {
        padded.add(b.field(i));
      }
      b.project(padded);
      b.union(true);
      b.convert(join.getRowType(), false);
      call.transformTo(b.build());
    }
  }

  /**
   * A projection that declares a correlation variable none of its expressions uses any more (a
   * sub-query in a CASE branch simplified away) loses the declaration: Calcite has no
   * implementation of a correlated projection, and the statement failed to plan.
   */
  static final class UnusedCorrelationRule extends RelRule<RelRule.Config> {
    UnusedCorrelationRule() {
      super(AccreteRules.PlainConfig.of("AccreteUnusedCorrelationRule",
          b -> b.operand(org.apache.calcite.rel.logical.LogicalProject.class)
              .predicate(p -> !p.getVariablesSet().isEmpty()).anyInputs()));
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      org.apache.calcite.rel.logical.LogicalProject project = call.rel(0);
      if (RexUtil.SubQueryFinder.find(project.getProjects()) != null) {
        return;
      }
      for (RexNode e : project.getProjects()) {
        if (RexUtil.containsCorrelation(e)) {
          return;
        }
      }
      call.transformTo(org.apache.calcite.rel.logical.LogicalProject.create(project.getInput(), project.getHints(),
          project.getProjects(), project.getRowType(), com.google.common.collect.ImmutableSet.of()));
    }
  }

  /** {@code (a AND b) OR (a AND c)} becomes {@code a AND (b OR c)}. */
  static final class PullFactorsRule extends RelRule<RelRule.Config> {
    PullFactorsRule() {
      super(AccreteRules.PlainConfig.of("AccretePullFactorsRule", b -> b.operand(LogicalFilter.class).anyInputs()));
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      Filter filter = call.rel(0);
      // flattened: pulling factors can leave an OR inside an OR, which Calcite's filters refuse
      RexNode pulled = RexUtil.flatten(filter.getCluster().getRexBuilder(),
          RexUtil.pullFactors(filter.getCluster().getRexBuilder(), filter.getCondition()));
      if (!pulled.equals(filter.getCondition())) {
        call.transformTo(filter.copy(filter.getTraitSet(), filter.getInput(), pulled));
      }
    }
  }
}
