package io.accrete.query;

import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Log;
import io.accrete.Symbol;
import io.accrete.db.Db;
import io.accrete.query.Query.Input;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Datalog queries: parses once per query form (cached), binds the inputs named by
 * {@code :in}, solves the where-clauses and shapes the result. Entry point for {@code Peer.q},
 * {@code Peer.query} and {@code Peer.explain}.
 */
public final class QueryRunner {
  private QueryRunner() {}

  private static final int CACHE_SIZE = 1024;
  private static final Map<Object, Query> PARSED = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Query> e) {
          return size() > CACHE_SIZE;
        }
      });
  private static final Map<Object, Map<Symbol, List<QueryParser.Rule>>> RULES = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Map<Symbol, List<QueryParser.Rule>>> e) {
          return size() > 256;
        }
      });

  /** Runs a query with inputs in :in order. */
  public static Object q(Object query, List<Object> inputs) {
    return run(query, inputs, 0, null);
  }

  /** Runs a query map: {@code :query}, {@code :args}, optional {@code :timeout} in milliseconds. */
  public static Object query(Map<?, ?> queryMap) {
    Object query = queryMap.get(Keyword.of(null, "query"));
    if (query == null) {
      throw QueryParser.error("A query map needs :query");
    }
    Object args = queryMap.get(Keyword.of(null, "args"));
    List<Object> inputs = args == null ? List.of() : new ArrayList<>((Collection<?>) args);
    Object timeout = queryMap.get(Keyword.of(null, "timeout"));
    long ms = timeout instanceof Number n ? n.longValue() : 0;
    return run(query, inputs, ms, null);
  }

  /**
   * Runs a query and returns its plan: each clause in the order it ran, how (index and join
   * strategy), estimated and actual rows, and the time it took.
   */
  public static Map<Keyword, Object> explain(Object query, List<Object> inputs) {
    Explain ex = new Explain();
    long start = System.nanoTime();
    Object result = run(query, inputs, 0, ex);
    Map<Keyword, Object> out = new LinkedHashMap<>();
    out.put(Keyword.of(null, "query"), query);
    out.put(Keyword.of(null, "steps"), ex.steps());
    out.put(Keyword.of(null, "result-size"), (long) (result instanceof Collection<?> c ? c.size() : result == null ? 0 : 1));
    out.put(Keyword.of(null, "ms"), Math.round((System.nanoTime() - start) / 1e4) / 100.0);
    return out;
  }

  static Query parsed(Object query) {
    // Data queries are keyed by their EDN text: an EdnList equals a vector with the same
    // elements, but (f ?x) and [f ?x] mean different things.
    Object key = query instanceof String ? query : io.accrete.edn.Edn.print(query);
    Query q = PARSED.get(key);
    if (q == null) {
      q = QueryParser.parse(query);
      PARSED.put(key, q);
    }
    return q;
  }

  private static Object run(Object query, List<Object> inputs, long timeoutMs, Explain explain) {
    if (query == null) {
      throw QueryParser.error("The query is nil");
    }
    Query q = parsed(query);
    if (inputs.size() != q.in.size()) {
      throw QueryParser.error("The query's :in expects " + q.in.size() + " input"
          + (q.in.size() == 1 ? "" : "s") + " but " + inputs.size() + " were given: " + QueryParser.show(q.form));
    }
    Map<String, Object> sources = new LinkedHashMap<>();
    Map<Symbol, List<QueryParser.Rule>> rules = Map.of();
    Map<Var, Object> scalars = new LinkedHashMap<>();
    Context ctx = new Context();
    for (int i = 0; i < inputs.size(); i++) {
      Input in = q.in.get(i);
      Object value = inputs.get(i);
      if (in.src != null) {
        sources.put(in.src.name, source(value, in.src));
      } else if (in.rules) {
        rules = rules(value);
      } else {
        if (in.binding instanceof Bindings.Scalar s && s.var != null) {
          scalars.put(s.var, value);
        }
        Execution.joinInto(ctx, inputRelation(in.binding, value));
      }
    }
    validate(q, rules, sources);
    QueryValidator.checkAttributes(q.where, sources, rules);
    for (List<QueryParser.Rule> defs : rules.values()) {
      for (QueryParser.Rule def : defs) {
        QueryValidator.checkAttributes(def.body, sources, rules);
      }
    }
    Execution ex = new Execution(sources, rules, timeoutMs, explain);
    ex.solve(q.where, ctx, Terms.DEFAULT_SRC, new java.util.HashSet<>(scalars.keySet()));
    return Projection.result(q, ctx, sources, scalars);
  }

  /** Queries (with their rules) already validated; validation runs once per pair. */
  private static final Map<Object, Boolean> VALIDATED = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> e) {
          return size() > CACHE_SIZE;
        }
      });

  private static void validate(Query q, Map<Symbol, List<QueryParser.Rule>> rules, Map<String, Object> sources) {
    java.util.Set<String> collections = new java.util.HashSet<>();
    for (Map.Entry<String, Object> s : sources.entrySet()) {
      if (s.getValue() instanceof Collection) {
        collections.add(s.getKey());
      }
    }
    java.util.Set<Var> inputVars = new java.util.LinkedHashSet<>();
    for (Input in : q.in) {
      if (in.binding != null) {
        inputVars.addAll(in.binding.vars());
      }
    }
    List<Object> key = List.of(q, rules, collections);
    if (VALIDATED.get(key) == null) {
      QueryValidator.check(q, rules, inputVars, collections);
      VALIDATED.put(key, Boolean.TRUE);
    }
  }

  private static Object source(Object value, Terms.Src src) {
    if (value instanceof Db || value instanceof Collection || value instanceof Log) {
      return value;
    }
    if (value instanceof Database) {
      throw QueryParser.error("Source " + src + " is a database of another implementation");
    }
    throw QueryParser.error("Input for " + src + " must be a database or a collection of tuples, not "
        + (value == null ? "nil" : value.getClass().getSimpleName()));
  }

  private static Map<Symbol, List<QueryParser.Rule>> rules(Object value) {
    if (value == null) {
      throw QueryParser.error("The rules input (%) is nil");
    }
    Map<Symbol, List<QueryParser.Rule>> r = RULES.get(value);
    if (r == null) {
      r = QueryParser.rules(value);
      RULES.put(value, r);
    }
    return r;
  }

  private static Relation inputRelation(Bindings.Binding b, Object value) {
    if (value == null) {
      throw QueryParser.error("An input for " + b.vars() + " is nil");
    }
    List<Var> vars = new ArrayList<>(b.vars());
    Relation shape = new Relation(vars.toArray(new Var[0]), List.of());
    List<Object[]> rows = new ArrayList<>();
    Execution.bindResult(b, normalize(value), new Object[vars.size()], shape, rows,
        "the :in input for " + b.vars());
    return new Relation(shape.vars, rows, b instanceof Bindings.Scalar || b instanceof Bindings.Tuple);
  }

  /** Integers become longs, as the database stores them; other values stay as they are. */
  static Object normalize(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    return v;
  }

  /** Registers a query function (for predicates and function clauses) under a plain name. */
  public static void registerFunction(String name, java.util.function.Function<Object[], Object> fn) {
    Functions.register(name, 0, Functions.VARIADIC, fn::apply);
  }

  /** Registers an aggregate under a plain name; it receives the group's values. */
  public static void registerAggregate(String name, java.util.function.Function<List<Object>, Object> fn) {
    Aggregates.register(name, (consts, values) -> fn.apply(values));
  }

}
