package io.accrete.sql;

import java.util.List;
import org.apache.calcite.plan.Context;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelNode;

/**
 * Calcite's cost-based planner, whose rules are registered when it is first asked to plan or
 * to show them. A statement that runs interpreted ({@link PlanInterpreter}) never asks, and
 * registering Calcite's hundred default rules was a twentieth of such a statement's time.
 */
final class DeferredRulesPlanner extends VolcanoPlanner {
  /** Registers the rules; null once it has run. */
  private java.util.function.Consumer<RelOptPlanner> rules;

  DeferredRulesPlanner(RelOptCostFactory costs, Context context, java.util.function.Consumer<RelOptPlanner> rules) {
    super(costs, context);
    this.rules = rules;
  }

  private void withRules() {
    java.util.function.Consumer<RelOptPlanner> r = rules;
    if (r != null) {
      rules = null;
      r.accept(this);
    }
  }

  @Override
  public boolean addRule(RelOptRule rule) {
    withRules();
    return super.addRule(rule);
  }

  @Override
  public boolean removeRule(RelOptRule rule) {
    withRules();
    return super.removeRule(rule);
  }

  @Override
  public List<RelOptRule> getRules() {
    withRules();
    return super.getRules();
  }

  @Override
  public void clear() {
    withRules();
    super.clear();
  }

  @Override
  public void setRoot(RelNode rel) {
    withRules();
    super.setRoot(rel);
  }

  @Override
  public RelNode changeTraits(RelNode rel, RelTraitSet toTraits) {
    withRules();
    return super.changeTraits(rel, toTraits);
  }

  @Override
  public org.apache.calcite.plan.volcano.RelSubset register(RelNode rel, RelNode equivRel) {
    withRules();
    return super.register(rel, equivRel);
  }

  @Override
  public org.apache.calcite.plan.volcano.RelSubset ensureRegistered(RelNode rel, RelNode equivRel) {
    withRules();
    return super.ensureRegistered(rel, equivRel);
  }

  @Override
  public RelNode findBestExp() {
    withRules();
    return super.findBestExp();
  }
}
