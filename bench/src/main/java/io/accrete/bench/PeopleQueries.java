package io.accrete.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The query set of the DataScript and Datalevin benchmarks over the {@link People} data, plus a
 * recursive rule: the queries as EDN text, loading the data for them, and the result sizes the
 * generator implies (so every fork checks its side's answers before timing anything).
 */
final class PeopleQueries {
  private PeopleQueries() {}

  /** The lower salary bound of {@code qpred1} (literal) and {@code qpred2} (input). */
  static final long MIN_SALARY = 50_000L;

  /** The rules of the {@code rule} query: reachability over {@code :follows}. */
  static final String RULES = "[[(follows* ?a ?b) [?a :follows ?b]]"
      + " [(follows* ?a ?b) [?a :follows ?x] (follows* ?x ?b)]]";

  /**
   * The person whose {@code :follows} closure the {@code rule} query counts: person 0 reaches
   * 11 persons. In the first batch of 1,000, 659 persons reach 797 others (one strongly
   * connected component) or a few more; the rest reach at most 11.
   */
  static final int ROOT = 0;

  /** The root of {@code rule-large}: person 1, which reaches 797 persons (itself included). */
  static final int LARGE_ROOT = 1;

  /** The queries; {@code method} is the JMH benchmark method's name. */
  enum Query {
    Q1("q1", "[:find ?e :where [?e :name \"Ivan\"]]"),
    Q2("q2", "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a]]"),
    Q2_SWITCH("q2switch", "[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]"),
    Q3("q3", "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a] [?e :sex :male]]"),
    Q4("q4", "[:find ?e ?l ?a :where [?e :name \"Ivan\"] [?e :last-name ?l] [?e :age ?a] [?e :sex :male]]"),
    QPRED1("qpred1", "[:find ?e ?s :where [?e :salary ?s] [(> ?s 50000)]]"),
    QPRED2("qpred2", "[:find ?e ?s :in $ ?min_s :where [?e :salary ?s] [(> ?s ?min_s)]]"),
    RULE("rule", "[:find (count ?b) . :in $ % ?root :where (follows* ?root ?b)]"),
    PULL("pull", "[:find (pull ?e [:name :last-name :age {:follows [:name]}]) :where [?e :name \"Ivan\"] [?e :sex :male]]"),
    AGG("agg", "[:find ?n (count ?e) (avg ?a) (max ?s) :where [?e :name ?n] [?e :age ?a] [?e :salary ?s]]"),
    /** Negation of a clause on a bound entity. */
    NOT("not", "[:find ?e :where [?e :name \"Ivan\"] (not [?e :sex :male])]"),
    /** Negation of a join whose variable is bound outside: the body must be asked per Ivan, not for everyone. */
    NOT_JOIN("notjoin", "[:find ?e :where [?e :name \"Ivan\"] (not-join [?e] [?e :follows ?f] [?f :name \"Ivan\"])]"),
    /** A disjunction over a bound entity, one branch a join. */
    OR_JOIN("orjoin", "[:find ?e :where [?e :name \"Ivan\"]"
        + " (or-join [?e] [?e :sex :female] (and [?e :follows ?f] [?f :name \"Ivan\"]))]"),
    /**
     * The rule from {@link #LARGE_ROOT}: one call takes seconds to minutes, so it is left out
     * of the default set and of the checks of other forks.
     */
    RULE_LARGE("rulelarge", RULE.edn, true);

    final String method;
    final String edn;
    final boolean slow;

    Query(String method, String edn) {
      this(method, edn, false);
    }

    Query(String method, String edn, boolean slow) {
      this.method = method;
      this.edn = edn;
      this.slow = slow;
    }

    /** The query's name in tables and options: {@code q2-switch} for {@code q2switch}. */
    String label() {
      return switch (this) {
        case Q2_SWITCH -> "q2-switch";
        case RULE_LARGE -> "rule-large";
        default -> method;
      };
    }

    static Query of(String method) {
      for (Query q : values()) {
        if (q.method.equals(method)) {
          return q;
        }
      }
      throw new IllegalArgumentException("No query " + method);
    }
  }

  /** The loaded people: the generator's persons, the entity id each got, the indexed database. */
  record Loaded(List<People.Person> persons, long[] eids, Object db) {}

  /** One query ready to run on one side: its form and its inputs, built once. */
  record Prepared(Query query, Object form, Object[] inputs) {
    Object run(Side side) {
      return side.q(form, inputs);
    }
  }

  /**
   * Creates a fresh database on {@code side}, transacts the indexed schema and the load
   * workload's 20 transactions of 1,000 persons, has the side index them, and returns the
   * indexed database value with the persons' entity ids.
   */
  static Loaded load(Side side, String dbName) throws Exception {
    side.create(dbName);
    side.transact(People.schema(side::kw, true));
    List<People.Person> persons = People.generate(People.LOAD_PERSONS);
    long[] eids = new long[persons.size()];
    Object dbId = side.kw("db/id");
    for (List<Object> tx : People.loadTx(persons, side::kw)) {
      Object report = side.transact(tx);
      for (Object form : tx) {
        String tempid = (String) ((Map<?, ?>) form).get(dbId);
        eids[Integer.parseInt(tempid.substring(1))] = side.resolve(report, tempid);
      }
    }
    return new Loaded(persons, eids, side.indexedDb());
  }

  /**
   * Every query with its inputs: the database, then {@link #MIN_SALARY}, or the rules and the
   * root's entity id.
   */
  static Map<Query, Prepared> prepare(Side side, Loaded l) {
    Map<Query, Prepared> out = new EnumMap<>(Query.class);
    Object rules = side.read(RULES);
    for (Query q : Query.values()) {
      Object[] inputs = switch (q) {
        case QPRED2 -> new Object[] {l.db(), MIN_SALARY};
        case RULE -> new Object[] {l.db(), rules, l.eids()[ROOT]};
        case RULE_LARGE -> new Object[] {l.db(), rules, l.eids()[LARGE_ROOT]};
        default -> new Object[] {l.db()};
      };
      out.put(q, new Prepared(q, side.read(q.edn), inputs));
    }
    return out;
  }

  /** The size of a result: tuples in a relation, or the value of the rules' count. */
  static long size(Object result) {
    if (result instanceof Collection<?> c) {
      return c.size();
    }
    if (result instanceof Number n) {
      return n.longValue();
    }
    if (result == null) {
      return 0;
    }
    throw new IllegalStateException("Unexpected result " + result.getClass().getName() + ": " + result);
  }

  /** The size the generator implies for a query's result. */
  static long expectedSize(Query q, List<People.Person> persons) {
    return switch (q) {
      case Q1, Q2, Q2_SWITCH -> persons.stream().filter(p -> p.name().equals("Ivan")).count();
      case Q3, Q4 -> persons.stream().filter(p -> p.name().equals("Ivan") && p.male()).count();
      case QPRED1, QPRED2 -> persons.stream().filter(p -> p.salary() > MIN_SALARY).count();
      case RULE -> reachable(persons, ROOT);
      case PULL -> persons.stream().filter(p -> p.name().equals("Ivan") && p.male()).count();
      case AGG -> persons.stream().map(People.Person::name).distinct().count();
      case NOT -> persons.stream().filter(p -> p.name().equals("Ivan") && !p.male()).count();
      case NOT_JOIN -> persons.stream().filter(p -> p.name().equals("Ivan") && !followsAnIvan(persons, p)).count();
      case OR_JOIN -> persons.stream().filter(p -> p.name().equals("Ivan") && (!p.male() || followsAnIvan(persons, p)))
          .count();
      case RULE_LARGE -> reachable(persons, LARGE_ROOT);
    };
  }

  private static boolean followsAnIvan(List<People.Person> persons, People.Person p) {
    for (int j : p.followsInBatch()) {
      if (persons.get(j).name().equals("Ivan")) {
        return true;
      }
    }
    return false;
  }

  /** How many persons {@code root} reaches over one or more {@code :follows} (in-batch) links. */
  static int reachable(List<People.Person> persons, int root) {
    boolean[] seen = new boolean[persons.size()];
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    todo.add(root);
    int n = 0;
    while (!todo.isEmpty()) {
      for (int j : persons.get(todo.poll()).followsInBatch()) {
        if (!seen[j]) {
          seen[j] = true;
          n++;
          todo.add(j);
        }
      }
    }
    return n;
  }

  /**
   * Runs every prepared query that is not {@link Query#slow}, and {@code also}, once and checks
   * its result size against the generator's; throws, naming the query and both sizes, when one
   * differs.
   */
  static void check(Side side, Map<Query, Prepared> prepared, Loaded l, Query also) {
    List<String> wrong = new ArrayList<>();
    for (Prepared p : prepared.values()) {
      if (p.query().slow && p.query() != also) {
        continue;
      }
      long got = size(p.run(side));
      long want = expectedSize(p.query(), l.persons());
      if (got != want) {
        wrong.add(p.query().label() + " returned " + got + " (expected " + want + ")");
      }
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException(side.name() + ": " + String.join("; ", wrong));
    }
  }

  /**
   * A result in a form both sides can be compared by: each tuple as text with its first
   * element (always {@code ?e}) replaced by the person's number ({@code p12}), sorted; a
   * scalar as its value.
   */
  static List<String> normalize(Object result, Loaded l) {
    if (!(result instanceof Collection<?> c)) {
      return List.of(String.valueOf(size(result)));
    }
    Map<Long, Integer> person = new HashMap<>();
    for (int i = 0; i < l.eids().length; i++) {
      person.put(l.eids()[i], i);
    }
    List<String> out = new ArrayList<>(c.size());
    for (Object t : c) {
      List<?> tuple = (List<?>) t;
      List<Object> row = new ArrayList<>(tuple);
      if (row.get(0) instanceof Number n && !(n instanceof Double)) {
        Integer p = person.get(n.longValue());
        row.set(0, p == null ? "?" + row.get(0) : "p" + p);
      }
      out.add(canonical(row));
    }
    Collections.sort(out);
    return out;
  }

  /** Text of a value with map entries and lists inside maps sorted, so both sides compare. */
  private static String canonical(Object v) {
    if (v instanceof Map<?, ?> m) {
      List<String> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object val = e.getValue();
        String text;
        if (val instanceof List<?> l) {
          List<String> items = new ArrayList<>();
          for (Object x : l) {
            items.add(canonical(x));
          }
          Collections.sort(items);
          text = items.toString();
        } else {
          text = canonical(val);
        }
        entries.add(e.getKey() + " " + text);
      }
      Collections.sort(entries);
      return "{" + String.join(", ", entries) + "}";
    }
    if (v instanceof List<?> l) {
      List<String> items = new ArrayList<>();
      for (Object x : l) {
        items.add(canonical(x));
      }
      return items.toString();
    }
    return String.valueOf(v);
  }
}
