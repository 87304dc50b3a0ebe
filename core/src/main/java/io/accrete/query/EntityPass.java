package io.accrete.query;

import io.accrete.db.Db;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.RangeReader;
import io.accrete.index.Values;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Several patterns on one bound entity variable with constant attributes
 * ({@code [?e :name ?n] [?e :age ?a] [?e :sex :male]}) answered together: one EAVT seek per
 * entity reads all the attributes at once instead of one seek per pattern.
 */
final class EntityPass {
  private EntityPass() {}

  static void apply(Execution ex, Db db, Var eVar, List<PatternPlan> members, Context ctx) {
    Set<Var> need = new LinkedHashSet<>();
    need.add(eVar);
    for (PatternPlan m : members) {
      Var v = m.posVar[2];
      if (v != null && ctx.bound(v)) {
        need.add(v);
      }
    }
    Relation r = ctx.merged(need);
    List<Var> fresh = new ArrayList<>();
    for (PatternPlan m : members) {
      Var v = m.posVar[2];
      if (v != null && !r.has(v) && !fresh.contains(v)) {
        fresh.add(v);
      }
    }
    Var[] vars = Arrays.copyOf(r.vars, r.vars.length + fresh.size());
    for (int i = 0; i < fresh.size(); i++) {
      vars[r.vars.length + i] = fresh.get(i);
    }
    int n = members.size();
    long[] attrs = new long[n];
    int[] boundSlot = new int[n];
    int[] freshSlot = new int[n];
    long minA = Long.MAX_VALUE;
    long maxA = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      PatternPlan m = members.get(i);
      attrs[i] = m.aConst;
      minA = Math.min(minA, attrs[i]);
      maxA = Math.max(maxA, attrs[i]);
      Var v = m.posVar[2];
      boundSlot[i] = v != null && r.has(v) ? r.indexOf(v) : -1;
      freshSlot[i] = v != null && !r.has(v) ? r.vars.length + fresh.indexOf(v) : -1;
    }
    int ei = r.indexOf(eVar);
    List<Object[]> out = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<Object>[] values = new List[n];
    for (int i = 0; i < n; i++) {
      values[i] = new ArrayList<>(2);
    }
    boolean[] matched = new boolean[n];
    RangeReader eavt = db.reader(IndexOrder.EAVT);
    for (Object[] row : r.rows) {
      ex.tick();
      Long e = Execution.entityOf(db, row[ei]);
      if (e == null) {
        continue;
      }
      Arrays.fill(matched, false);
      for (List<Object> l : values) {
        l.clear();
      }
      DatomCursor c = eavt.range(Stats.lo(e, minA, Values.MIN), Stats.hi(e, maxA, Values.MAX));
      while (c.next()) {
        long a = c.a();
        for (int i = 0; i < n; i++) {
          if (attrs[i] != a) {
            continue;
          }
          PatternPlan m = members.get(i);
          Object v = c.v();
          if (m.vConst != null) {
            matched[i] |= Values.equal(v, m.vConst);
          } else if (boundSlot[i] >= 0) {
            Object want = Execution.valueFor(db, m.attr, row[boundSlot[i]]);
            matched[i] |= want != null && Values.equal(v, want);
          } else {
            matched[i] = true;
            if (freshSlot[i] >= 0) {
              values[i].add(v);
            }
          }
        }
      }
      boolean all = true;
      for (boolean b : matched) {
        all &= b;
      }
      if (all) {
        product(Arrays.copyOf(row, vars.length), 0, values, freshSlot, out);
      }
    }
    boolean distinct = r.distinct;
    for (PatternPlan m : members) {
      distinct &= m.coversKey();
    }
    ctx.replace(r, new Relation(vars, out, distinct, r.sortedBy));
  }

  /** Emits every combination of the fresh variables' values. */
  private static void product(Object[] row, int i, List<Object>[] values, int[] slot, List<Object[]> out) {
    if (i == values.length) {
      out.add(row);
      return;
    }
    if (slot[i] < 0) {
      product(row, i + 1, values, slot, out);
      return;
    }
    List<Object> vs = values[i];
    for (int k = 0; k < vs.size(); k++) {
      Object v = vs.get(k);
      Object[] next = k == vs.size() - 1 ? row : row.clone();
      if (next[slot[i]] == null) {
        next[slot[i]] = v;
      } else if (!Values.equal(next[slot[i]], v)) {
        continue;
      }
      product(next, i + 1, values, slot, out);
    }
  }
}
