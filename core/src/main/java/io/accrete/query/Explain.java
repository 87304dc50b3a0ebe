package io.accrete.query;

import io.accrete.Keyword;
import io.accrete.query.Clauses.Clause;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records the plan a query actually ran: each clause in order, how, estimated and actual rows. */
final class Explain {
  private final List<Map<Keyword, Object>> steps = new ArrayList<>();
  private final List<Long> starts = new ArrayList<>();
  private final List<Clause> clauses = new ArrayList<>();
  private int depth;

  int begin(Clause c, double estimate) {
    Map<Keyword, Object> step = new LinkedHashMap<>();
    step.put(Keyword.of(null, "clause"), c.form);
    if (depth > 0) {
      step.put(Keyword.of(null, "depth"), (long) depth);
    }
    if (estimate != Double.MAX_VALUE) {
      step.put(Keyword.of(null, "estimated-rows"), Math.round(estimate));
    }
    steps.add(step);
    starts.add(System.nanoTime());
    clauses.add(c);
    depth++;
    return steps.size() - 1;
  }

  void end(int i, Context ctx, String strategy) {
    depth--;
    Map<Keyword, Object> step = steps.get(i);
    if (strategy != null) {
      step.put(Keyword.of(null, "strategy"), strategy);
    }
    long rows = 0;
    if (!ctx.empty) {
      for (Var v : clauses.get(i).vars()) {
        Relation r = ctx.relOf(v);
        if (r != null) {
          rows = r.size();
          break;
        }
      }
    }
    step.put(Keyword.of(null, "actual-rows"), rows);
    step.put(Keyword.of(null, "ms"), Math.round((System.nanoTime() - starts.get(i)) / 1e4) / 100.0);
  }

  List<Map<Keyword, Object>> steps() {
    return Collections.unmodifiableList(steps);
  }
}
