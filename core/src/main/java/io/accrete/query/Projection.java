package io.accrete.query;

import io.accrete.db.Db;
import io.accrete.pull.PullPattern;
import io.accrete.pull.Puller;
import io.accrete.query.Query.FindAggregate;
import io.accrete.query.Query.FindElement;
import io.accrete.query.Query.FindPull;
import io.accrete.query.Query.FindVar;
import io.accrete.query.Relation.RowKey;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the solved bindings into the query's result: projection onto the find variables (a
 * set, or a bag when :with is given), aggregates over the distinct tuples of find and :with
 * variables, pull, return maps, and the four find shapes.
 */
final class Projection {
  private Projection() {}

  static Object result(Query q, Context ctx, Map<String, Object> sources, Map<Var, Object> scalarInputs) {
    List<Var> findVars = new ArrayList<>();
    for (FindElement f : q.find) {
      Var v = varOf(f);
      if (!findVars.contains(v)) {
        findVars.add(v);
      }
    }
    List<Var> needed = new ArrayList<>(findVars);
    for (Var v : q.with) {
      if (!needed.contains(v)) {
        needed.add(v);
      }
    }
    List<Object[]> rows;
    boolean distinctRows = false;
    boolean plain = !q.hasAggregates() && q.with.isEmpty();
    if (ctx.empty) {
      rows = List.of();
    } else {
      for (Var v : needed) {
        if (!ctx.bound(v)) {
          throw QueryParser.error("Variable " + v + " of :find or :with is not bound by the query");
        }
      }
      Relation all = ctx.merged(needed);
      if (plain) {
        // The result set removes duplicates; no need to do it twice.
        rows = sameVars(all, needed) ? all.rows : reorder(all, needed);
        distinctRows = all.distinct && all.vars.length == needed.size();
      } else {
        rows = all.project(needed).rows;
      }
    }
    List<Object[]> tuples;
    if (q.hasAggregates()) {
      tuples = aggregate(q, rows, needed);
    } else {
      tuples = new ArrayList<>(rows.size());
      boolean identity = q.find.size() == needed.size();
      for (int i = 0; identity && i < q.find.size(); i++) {
        identity = varOf(q.find.get(i)).equals(needed.get(i));
      }
      if (identity) {
        tuples = rows;
      }
      for (Object[] r : identity ? List.<Object[]>of() : rows) {
        Object[] t = new Object[q.find.size()];
        for (int i = 0; i < t.length; i++) {
          t[i] = r[needed.indexOf(varOf(q.find.get(i)))];
        }
        tuples.add(t);
      }
    }
    pull(q, tuples, sources, scalarInputs);
    return shape(q, tuples, distinctRows);
  }

  private static boolean sameVars(Relation r, List<Var> vars) {
    if (r.vars.length != vars.size()) {
      return false;
    }
    for (int i = 0; i < r.vars.length; i++) {
      if (!r.vars[i].equals(vars.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<Object[]> reorder(Relation r, List<Var> vars) {
    int[] pos = Relation.positions(r, vars);
    List<Object[]> out = new ArrayList<>(r.size());
    for (Object[] row : r.rows) {
      Object[] t = new Object[pos.length];
      for (int i = 0; i < pos.length; i++) {
        t[i] = row[pos[i]];
      }
      out.add(t);
    }
    return out;
  }

  static Var varOf(FindElement f) {
    if (f instanceof FindVar v) {
      return v.var;
    }
    if (f instanceof FindAggregate a) {
      return a.var;
    }
    return ((FindPull) f).var;
  }

  private static List<Object[]> aggregate(Query q, List<Object[]> rows, List<Var> needed) {
    int n = q.find.size();
    List<Integer> keyIdx = new ArrayList<>();
    Aggregates.Agg[] aggs = new Aggregates.Agg[n];
    for (int i = 0; i < n; i++) {
      FindElement f = q.find.get(i);
      if (f instanceof FindAggregate a) {
        aggs[i] = Aggregates.resolve(a.fn, a.constArgs.size(), a.fn);
      } else {
        keyIdx.add(i);
      }
    }
    int[] keyCol = new int[keyIdx.size()];
    for (int k = 0; k < keyCol.length; k++) {
      keyCol[k] = needed.indexOf(varOf(q.find.get(keyIdx.get(k))));
    }
    Map<RowKey, List<Object[]>> groups = new LinkedHashMap<>();
    for (Object[] r : rows) {
      Object[] key = new Object[keyCol.length];
      for (int k = 0; k < key.length; k++) {
        key[k] = r[keyCol[k]];
      }
      groups.computeIfAbsent(new RowKey(key), x -> new ArrayList<>()).add(r);
    }
    List<Object[]> out = new ArrayList<>(groups.size());
    for (Map.Entry<RowKey, List<Object[]>> g : groups.entrySet()) {
      Object[] t = new Object[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (aggs[i] == null) {
          t[i] = g.getKey().values[k++];
          continue;
        }
        FindAggregate a = (FindAggregate) q.find.get(i);
        int col = needed.indexOf(a.var);
        List<Object> values = new ArrayList<>(g.getValue().size());
        for (Object[] r : g.getValue()) {
          values.add(r[col]);
        }
        List<Object> consts = new ArrayList<>();
        for (Object c : a.constArgs) {
          consts.add(QueryRunner.normalize(c));
        }
        t[i] = aggs[i].apply(consts, values);
      }
      out.add(t);
    }
    return out;
  }

  private static void pull(Query q, List<Object[]> tuples, Map<String, Object> sources,
      Map<Var, Object> scalarInputs) {
    for (int i = 0; i < q.find.size(); i++) {
      if (!(q.find.get(i) instanceof FindPull p)) {
        continue;
      }
      Object src = sources.get(p.src.name);
      if (!(src instanceof Db db)) {
        throw QueryParser.error("pull needs a database source " + p.src + " in :in");
      }
      Object form = p.pattern;
      if (p.patternVar != null) {
        form = scalarInputs.get(p.patternVar);
        if (form == null) {
          throw QueryParser.error("Pull pattern " + p.patternVar + " must be a scalar :in input");
        }
      }
      java.util.function.LongFunction<Map<Object, Object>> puller = Puller.puller(db, PullPattern.parse(form));
      for (Object[] t : tuples) {
        Object e = t[i];
        Long id = Execution.entityOf(db, e);
        t[i] = id == null ? null : puller.apply(id);
      }
    }
  }

  private static Object shape(Query q, List<Object[]> tuples, boolean distinct) {
    // Rows are distinct before pull (by entity id); two entities may pull equal maps, and
    // Datomic keeps both, so results with pull are not deduplicated again.
    boolean bag = !q.with.isEmpty() || hasPull(q);
    switch (q.kind) {
      case SCALAR:
        return tuples.isEmpty() ? null : tuples.get(0)[0];
      case TUPLE:
        return tuples.isEmpty() ? null : row(q, tuples.get(0));
      case COLLECTION: {
        Collection<Object> out = bag ? new ArrayList<>() : new LinkedHashSet<>();
        Set<Object> seen = new java.util.HashSet<>();
        for (Object[] t : tuples) {
          if (bag || seen.add(Relation.keyOf(t[0]))) {
            out.add(t[0]);
          }
        }
        return Collections.unmodifiableList(new ArrayList<>(out));
      }
      default: {
        if (distinct && !bag) {
          // Known distinct: a set over the list, without hashing every row up front.
          List<Object> rows = new ArrayList<>(tuples.size());
          for (Object[] t : tuples) {
            rows.add(row(q, t));
          }
          return new ListSet(rows);
        }
        Collection<Object> out = bag ? new ArrayList<>(tuples.size()) : new LinkedHashSet<>(tuples.size() * 2);
        for (Object[] t : tuples) {
          out.add(row(q, t));
        }
        return bag ? Collections.unmodifiableList((List<Object>) out) : Collections.unmodifiableSet((Set<Object>) out);
      }
    }
  }

  private static boolean hasPull(Query q) {
    for (FindElement f : q.find) {
      if (f instanceof FindPull) {
        return true;
      }
    }
    return false;
  }

  private static Object row(Query q, Object[] t) {
    if (q.returnKeys == null) {
      return new Tuple(t);
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < t.length; i++) {
      m.put(q.returnKeys.get(i), t[i]);
    }
    return Collections.unmodifiableMap(m);
  }


}
