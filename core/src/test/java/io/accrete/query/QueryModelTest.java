package io.accrete.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.edn.Edn;
import io.accrete.query.QueryGen.Case;
import io.accrete.query.QueryGen.Data;
import io.accrete.query.QueryGen.Mode;
import io.accrete.query.QueryModel.Clause;
import io.accrete.query.QueryModel.CollIn;
import io.accrete.query.QueryModel.FindElem;
import io.accrete.query.QueryModel.In;
import io.accrete.query.QueryModel.Invalid;
import io.accrete.query.QueryModel.Kind;
import io.accrete.query.QueryModel.Not;
import io.accrete.query.QueryModel.Or;
import io.accrete.query.QueryModel.Pattern;
import io.accrete.query.QueryModel.Query;
import io.accrete.query.QueryModel.Result;
import io.accrete.query.QueryModel.Rule;
import io.accrete.query.QueryModel.RulesIn;
import io.accrete.query.QueryModel.ScalarIn;
import io.accrete.query.QueryModel.Source;
import io.accrete.query.QueryModel.SrcIn;
import io.accrete.query.QueryModel.TooBig;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Randomized differential test of the Datalog engine: random data and random queries (see
 * {@link QueryGen}), each run through {@code Peer.q} and through the naive {@link QueryModel},
 * which must agree; the engine must also give the same answer with the where-clauses (and rule
 * bodies, not/or bodies and branches) shuffled, in query text, query data and map form, and must
 * throw {@link AccreteException} on the queries the model finds invalid. Some queries run against
 * {@code db.asOf(t)} (alone or next to the present as {@code $old}), and some against
 * {@code db.history()} as {@code $h}, with four- and five-element patterns including
 * {@code [?e ?a ?v ?tx ?added]} restricted by attribute. Each seed also checks that replaying the
 * history datoms gives exactly {@code db.asOf(t)}.
 *
 * <p>A failure names the seed and query index, the query (and, when it failed shuffled, the
 * written order), inputs and rules, the difference (missing / extra rows), and a shrunk query
 * that still fails the same way, with the datoms of the attributes it reads.
 *
 * <p>System properties: {@code qprop.seeds} (number of seeds, default 6), {@code qprop.scale}
 * (multiplies seeds and queries), {@code qprop.queries} (per seed, default 120),
 * {@code qprop.shuffles} (default 3), {@code qprop.seed} (explicit comma-separated seeds),
 * {@code qprop.query} (run only that query index, to reproduce), {@code qprop.base} (first seed,
 * default 1000; "random" for a time-based one), {@code qprop.invalid} (share of queries made
 * invalid on purpose, default 0.05), {@code qprop.slow} (print queries slower than this many ms),
 * {@code qprop.showEmpty} (print queries whose answer is empty).
 */
class QueryModelTest {
  static final Keyword EAVT = Keyword.intern(":eavt");
  static final Map<String, Integer> FEATURES = new TreeMap<>();
  /** Per feature, the valid queries with a non-empty answer. */
  static final Map<String, Integer> NON_EMPTY = new TreeMap<>();
  static final long[] TOTALS = new long[10];
  static final String[] TOTAL_NAMES = {"queries", "valid", "invalid", "skipped-too-big", "non-empty",
      "engine-runs", "rows-compared", "ms", "model-ms", "engine-ms"};

  @TestFactory
  Stream<DynamicTest> engineAgreesWithModel() {
    int scale = Integer.getInteger("qprop.scale", 1);
    int nSeeds = Integer.getInteger("qprop.seeds", 6) * scale;
    List<Long> seeds = new ArrayList<>();
    String explicit = System.getProperty("qprop.seed");
    if (explicit != null && !explicit.isBlank()) {
      for (String s : explicit.split(",")) {
        seeds.add(Long.parseLong(s.trim()));
      }
    } else {
      String base = System.getProperty("qprop.base", "1000");
      long b = base.equals("random") ? System.nanoTime() % 1_000_000_000L : Long.parseLong(base);
      for (int i = 0; i < nSeeds; i++) {
        seeds.add(b + i);
      }
    }
    int queries = Integer.getInteger("qprop.queries", 120) * scale;
    return seeds.stream().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runSeed(seed, queries)));
  }

  @AfterAll
  static void summary() {
    StringBuilder sb = new StringBuilder("QueryModelTest:");
    for (int i = 0; i < TOTALS.length; i++) {
      sb.append(' ').append(TOTAL_NAMES[i]).append('=').append(TOTALS[i]);
    }
    sb.append("\n  features (queries / non-empty answers):");
    for (Map.Entry<String, Integer> e : FEATURES.entrySet()) {
      sb.append(' ').append(e.getKey()).append('=').append(e.getValue()).append('/')
          .append(NON_EMPTY.getOrDefault(e.getKey(), 0));
    }
    System.out.println(sb);
  }

  // ================================================================ one seed

  /** The databases of one seed, as the engine and as the model see them. */
  static final class Env {
    long seed;
    Data data;
    Database db;
    Database hist;
    Database old;
    long oldT;
    Source cur;
    Source histSrc;
    Source oldSrc;
    Map<Keyword, Long> attrIds;
  }

  static void runSeed(long seed, int queries) {
    long start = System.currentTimeMillis();
    Env env = new Env();
    env.seed = seed;
    Random r = new Random(seed);
    Connection conn = Peer.connect(TestData.freshUri());
    env.data = QueryGen.data(r, conn);
    env.db = conn.db();
    env.hist = env.db.history();
    List<Long> ts = env.data.ts;
    env.oldT = ts.get(1 + r.nextInt(ts.size() - 2));
    env.old = env.db.asOf(env.oldT);
    env.attrIds = new HashMap<>(env.data.attrIds);
    env.attrIds.put(Keyword.intern(":db/ident"), env.db.attribute(Keyword.intern(":db/ident")).id());
    env.cur = new Source(env.db.datoms(EAVT), env.attrIds);
    env.histSrc = new Source(env.hist.datoms(EAVT), env.attrIds);
    env.oldSrc = new Source(env.old.datoms(EAVT), env.attrIds);
    checkHistoryReplays(env);

    String only = System.getProperty("qprop.query");
    int shuffles = Integer.getInteger("qprop.shuffles", 3);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < queries; i++) {
      if (only != null && !only.isBlank() && Integer.parseInt(only.trim()) != i) {
        continue;
      }
      // Nearby seeds give correlated first values in java.util.Random: scramble them.
      Random qr = new Random(new java.util.SplittableRandom(seed * 1_000_003L + i).nextLong());
      long q0 = System.nanoTime();
      long m0 = TOTALS[8];
      long e0 = TOTALS[9];
      double x = qr.nextDouble();
      Mode mode = x < 0.7 ? Mode.CURRENT : x < 0.8 ? Mode.ASOF : x < 0.92 ? Mode.HISTORY : Mode.MIXED;
      Case c = QueryGen.query(qr, env.data, mode);
      TOTALS[0]++;
      for (String f : c.features) {
        FEATURES.merge(f, 1, Integer::sum);
      }
      Failure f = check(env, c, shuffles, new Random(qr.nextLong()), true);
      long slow = Long.getLong("qprop.slow", Long.MAX_VALUE);
      if ((System.nanoTime() - q0) / 1_000_000 > slow) {
        System.out.println("slow: seed=" + seed + " query #" + i + " " + (System.nanoTime() - q0) / 1_000_000
            + "ms (model " + (TOTALS[8] - m0) + "ms, engine " + (TOTALS[9] - e0) + "ms) " + QueryModel.text(c.q) + (c.rules == null ? "" : " rules " + QueryModel.text(c.rules)));
      }
      if (f != null) {
        failures.add(report(env, i, c, f, shuffles));
        if (failures.size() >= 5) {
          break;
        }
      }
    }
    TOTALS[7] += System.currentTimeMillis() - start;
    if (!failures.isEmpty()) {
      fail("seed " + seed + ": " + failures.size() + " failing quer" + (failures.size() == 1 ? "y" : "ies")
          + " (first ones)\n\n" + String.join("\n\n", failures));
    }
  }

  /**
   * The model reads the history datoms; replaying them up to a t must give exactly the datoms
   * of {@code asOf(t)} (and of the current database at the last t).
   */
  static void checkHistoryReplays(Env env) {
    Set<Long> attrs = new HashSet<>(env.data.attrIds.values());
    for (long t : List.of(env.oldT, env.data.ts.get(env.data.ts.size() - 1))) {
      long tx = Peer.toTx(t);
      Map<List<Object>, Datom> last = new HashMap<>();
      List<Datom> hist = new ArrayList<>();
      env.histSrc.byAttr.values().forEach(hist::addAll);
      hist.sort(Comparator.comparingLong(Datom::tx).thenComparing(d -> d.added() ? 1 : 0));
      for (Datom d : hist) {
        if (attrs.contains(d.a()) && d.tx() <= tx) {
          last.put(List.of(d.e(), d.a(), d.v()), d);
        }
      }
      Set<List<Object>> replayed = new HashSet<>();
      for (Map.Entry<List<Object>, Datom> e : last.entrySet()) {
        if (e.getValue().added()) {
          replayed.add(List.of(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), e.getValue().tx()));
        }
      }
      Set<List<Object>> actual = new HashSet<>();
      for (Datom d : env.db.asOf(t).datoms(EAVT)) {
        if (attrs.contains(d.a())) {
          actual.add(List.of(d.e(), d.a(), d.v(), d.tx()));
        }
      }
      assertEquals(replayed, actual, "seed " + env.seed + ": history replayed to t=" + t + " differs from asOf(" + t + ")");
    }
  }

  // ================================================================ checking one query

  record Failure(String category, String message, String query, String rules) {}

  /**
   * Runs the case through the model and the engine (and, when valid, the engine again on
   * shuffled versions); null when everything agrees.
   */
  static Failure check(Env env, Case c, int shuffles, Random r, boolean count) {
    Result expected;
    long m0 = System.nanoTime();
    try {
      expected = QueryModel.run(c.q, modelInputs(env, c, c.rules));
    } catch (Invalid e) {
      if (count) {
        TOTALS[2]++;
      }
      String text = QueryModel.text(c.q);
      String rules = c.rules == null ? null : QueryModel.text(c.rules);
      try {
        Object res = Peer.q(text, engineInputs(env, c, rules).toArray());
        if (count) {
          TOTALS[5]++;
        }
        return new Failure("accepted-invalid: " + e.getMessage(), "the model finds the query invalid (" + e.getMessage()
            + ") but the engine returned " + show(res), text, rules);
      } catch (AccreteException ok) {
        return null;
      } catch (RuntimeException other) {
        return new Failure("accepted-invalid: " + e.getMessage(), "the model finds the query invalid (" + e.getMessage()
            + "); the engine threw " + other + " instead of an AccreteException", text, rules);
      }
    } catch (TooBig e) {
      if (count) {
        TOTALS[3]++;
      }
      return null;
    } finally {
      TOTALS[8] += (System.nanoTime() - m0) / 1_000_000;
    }
    if (count) {
      TOTALS[1]++;
      if (expected.rows().isEmpty() && Boolean.getBoolean("qprop.showEmpty")) {
        System.out.println("empty: " + QueryModel.text(c.q) + " " + c.inputs);
      }
      if (!expected.rows().isEmpty()) {
        TOTALS[4]++;
        for (String f : c.features) {
          NON_EMPTY.merge(f, 1, Integer::sum);
        }
      }
      TOTALS[6] += expected.rows().size();
    }
    for (int k = 0; k <= shuffles; k++) {
      Query q = c.q;
      List<Rule> rules = c.rules;
      if (k > 0) {
        q = new Query(q.kind(), q.find(), q.with(), q.in(), QueryGen.shuffled(q.where(), r));
        rules = rules == null ? null : QueryGen.shuffledRules(rules, r);
      }
      String text = QueryModel.text(q);
      String rulesText = rules == null ? null : QueryModel.text(rules);
      Object actual;
      try {
        // Alternate between query text, query data and the map form.
        if (k == 1) {
          text = QueryModel.mapText(q);
        }
        Object form = (k % 2 == 0) ? text : Edn.read(text);
        long e0 = System.nanoTime();
        actual = Peer.q(form, engineInputs(env, c, rulesText).toArray());
        TOTALS[9] += (System.nanoTime() - e0) / 1_000_000;
        if (count) {
          TOTALS[5]++;
        }
      } catch (RuntimeException e) {
        return new Failure("wrong", (k == 0 ? "" : "(shuffled #" + k + ") ") + "the engine threw "
            + e + " on a valid query" + stack(e), text, rulesText);
      }
      String diff = diff(expected, actual);
      if (diff != null) {
        return new Failure("wrong", (k == 0 ? "" : "(shuffled #" + k + ", the model ran the original order) ")
            + diff, text, rulesText);
      }
    }
    return null;
  }

  static String stack(Throwable e) {
    StringBuilder sb = new StringBuilder();
    StackTraceElement[] st = e.getStackTrace();
    for (int i = 0; i < Math.min(6, st.length); i++) {
      sb.append("\n      at ").append(st[i]);
    }
    return sb.toString();
  }

  static List<Object> modelInputs(Env env, Case c, List<Rule> rules) {
    List<Object> out = new ArrayList<>();
    for (In in : c.q.in()) {
      if (in instanceof SrcIn s) {
        out.add(switch (s.name()) {
          case "$" -> c.mode == Mode.ASOF ? env.oldSrc : env.cur;
          case "$h" -> env.histSrc;
          default -> env.oldSrc;
        });
      } else if (in instanceof RulesIn) {
        out.add(rules);
      } else {
        out.add(c.inputs.get(varOf(in)));
      }
    }
    return out;
  }

  static List<Object> engineInputs(Env env, Case c, String rulesText) {
    List<Object> out = new ArrayList<>();
    for (In in : c.q.in()) {
      if (in instanceof SrcIn s) {
        out.add(switch (s.name()) {
          case "$" -> c.mode == Mode.ASOF ? env.old : env.db;
          case "$h" -> env.hist;
          default -> env.old;
        });
      } else if (in instanceof RulesIn) {
        out.add(Edn.read(rulesText));
      } else {
        Object v = c.inputs.get(varOf(in));
        if (c.intInputs.contains(varOf(in))) {
          v = v instanceof Long l ? (Object) l.intValue() : ((List<?>) v).stream().map(x -> ((Long) x).intValue()).toList();
        }
        out.add(v);
      }
    }
    return out;
  }

  static String varOf(In in) {
    return in instanceof ScalarIn s ? s.var().name() : ((CollIn) in).var().name();
  }

  // ================================================================ comparing results

  /** Null when the engine's result is what the model computed; else what differs. */
  static String diff(Result expected, Object actual) {
    List<List<Object>> exp = expected.rows();
    switch (expected.kind()) {
      case SCALAR, TUPLE -> {
        if (actual == null) {
          return exp.isEmpty() ? null : "the engine returned nil; the model has " + exp.size()
              + " possible answers, e.g. " + show(exp.get(0));
        }
        List<Object> row = expected.kind() == Kind.SCALAR ? listOf(actual) : rowOf(actual);
        if (row == null) {
          return "the engine returned " + show(actual) + ", not a tuple";
        }
        for (List<Object> e : exp) {
          if (e.equals(row)) {
            return null;
          }
        }
        return "the engine returned " + show(actual) + ", which is not among the model's "
            + exp.size() + " answers" + (exp.isEmpty() ? " (it expected nil)" : ", e.g. " + show(exp.get(0)));
      }
      default -> {
        if (!(actual instanceof Collection<?> coll)) {
          return "the engine returned " + show(actual) + ", not a collection";
        }
        List<List<Object>> act = new ArrayList<>();
        for (Object o : coll) {
          List<Object> row = expected.kind() == Kind.COLLECTION ? listOf(o) : rowOf(o);
          if (row == null) {
            return "the engine returned a row " + show(o) + " that is not a tuple";
          }
          act.add(row);
        }
        Map<List<Object>, Integer> e = multiset(exp);
        Map<List<Object>, Integer> a = multiset(act);
        if (!expected.bag()) {
          if (a.size() != act.size()) {
            return "the engine returned duplicate rows in a set result: " + act.size() + " rows, "
                + a.size() + " distinct";
          }
        }
        if (e.equals(a)) {
          return null;
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (Map.Entry<List<Object>, Integer> x : e.entrySet()) {
          int n = a.getOrDefault(x.getKey(), 0);
          if (n < x.getValue()) {
            missing.add(show(x.getKey()) + (expected.bag() ? " x" + (x.getValue() - n) : ""));
          }
        }
        for (Map.Entry<List<Object>, Integer> x : a.entrySet()) {
          int n = e.getOrDefault(x.getKey(), 0);
          if (n < x.getValue()) {
            extra.add(show(x.getKey()) + (expected.bag() ? " x" + (x.getValue() - n) : ""));
          }
        }
        return "the model has " + exp.size() + " rows, the engine " + act.size() + (expected.bag() ? " (bags)" : "")
            + "\n    missing from the engine (" + missing.size() + "): " + first(missing)
            + "\n    extra in the engine (" + extra.size() + "): " + first(extra);
      }
    }
  }

  private static String first(List<String> l) {
    return l.size() <= 6 ? String.join(" ", l) : String.join(" ", l.subList(0, 6)) + " …";
  }

  private static Map<List<Object>, Integer> multiset(List<List<Object>> rows) {
    Map<List<Object>, Integer> m = new HashMap<>();
    for (List<Object> r : rows) {
      m.merge(r, 1, Integer::sum);
    }
    return m;
  }

  private static List<Object> listOf(Object v) {
    List<Object> l = new ArrayList<>();
    l.add(v);
    return l;
  }

  private static List<Object> rowOf(Object o) {
    return o instanceof List<?> l ? new ArrayList<>(l) : null;
  }

  static String show(Object o) {
    try {
      String s = Edn.print(o);
      return s.length() > 300 ? s.substring(0, 300) + " …" : s;
    } catch (RuntimeException e) {
      return String.valueOf(o);
    }
  }

  // ================================================================ reporting and shrinking

  static String report(Env env, int index, Case c, Failure f, int shuffles) {
    Case small = shrink(env, c, f.category(), shuffles);
    Failure sf = check(env, small, shuffles, new Random(7), false);
    StringBuilder sb = new StringBuilder();
    sb.append("seed=").append(env.seed).append(" query #").append(index).append(" mode=").append(c.mode)
        .append(c.mode == Mode.ASOF || c.mode == Mode.MIXED ? " (asOf t=" + env.oldT + ")" : "")
        .append(" features=").append(c.features)
        .append("\n  rerun: -Dqprop.seed=").append(env.seed).append(" -Dqprop.query=").append(index)
        .append("\n  ").append(f.category()).append(": ").append(f.message())
        .append("\n  query:  ").append(Edn.print(Edn.read(f.query())));
    if (!f.query().equals(QueryModel.text(c.q))) {
      sb.append("\n  (original order: ").append(QueryModel.text(c.q)).append(')');
    }
    if (f.rules() != null) {
      sb.append("\n  rules:  ").append(f.rules());
    }
    sb.append(inputsText(c));
    if (sf != null) {
      sb.append("\n  shrunk: ").append(sf.message())
          .append("\n    query:  ").append(Edn.print(Edn.read(sf.query())));
      if (sf.rules() != null) {
        sb.append("\n    rules:  ").append(sf.rules());
      }
      sb.append(inputsText(small));
      sb.append(relevantDatoms(env, small));
    }
    return sb.toString();
  }

  private static String inputsText(Case c) {
    StringBuilder sb = new StringBuilder();
    for (In in : c.q.in()) {
      if (in instanceof ScalarIn || in instanceof CollIn) {
        sb.append("\n    input ").append(varOf(in)).append(" = ").append(show(c.inputs.get(varOf(in))));
      }
    }
    return sb.toString();
  }

  /** The datoms of the attributes a query mentions (so a failure can be reproduced by hand). */
  private static String relevantDatoms(Env env, Case c) {
    Set<Keyword> attrs = new LinkedHashSet<>();
    collectAttrs(c.q.where(), attrs);
    if (c.rules != null) {
      for (Rule r : c.rules) {
        collectAttrs(r.body(), attrs);
      }
    }
    boolean hist = c.mode == Mode.HISTORY;
    Source src = hist ? env.histSrc : c.mode == Mode.ASOF ? env.oldSrc : env.cur;
    List<String> lines = new ArrayList<>();
    for (Keyword a : attrs) {
      Long id = env.attrIds.get(a);
      for (Datom d : id == null ? List.<Datom>of() : src.byAttr.getOrDefault(id, List.of())) {
        lines.add("[" + d.e() + " " + a + " " + show(d.v()) + (hist ? " " + d.tx() + " " + d.added() : "") + "]");
      }
    }
    String head = "\n    datoms of " + attrs + " in " + (hist ? "history" : c.mode == Mode.ASOF ? "asOf" : "current")
        + " (" + lines.size() + "): ";
    return head + (lines.size() <= 80 ? String.join(" ", lines) : String.join(" ", lines.subList(0, 80)) + " …");
  }

  private static void collectAttrs(List<Clause> cs, Set<Keyword> out) {
    for (Clause c : cs) {
      if (c instanceof Pattern p && p.terms().get(1) instanceof QueryModel.Const k && k.value() instanceof Keyword kw) {
        out.add(kw);
      } else if (c instanceof Not n) {
        collectAttrs(n.body(), out);
      } else if (c instanceof Or o) {
        o.branches().forEach(b -> collectAttrs(b, out));
      }
    }
  }

  /** Greedily removes parts of the query (and rules) while it still fails the same way. */
  static Case shrink(Env env, Case c, String category, int shuffles) {
    Case cur = c;
    boolean progress = true;
    int budget = 400;
    while (progress && budget > 0) {
      progress = false;
      for (Case cand : candidates(cur)) {
        if (--budget <= 0) {
          break;
        }
        Failure f;
        try {
          f = check(env, cand, Math.max(shuffles, 6), new Random(7), false);
        } catch (RuntimeException e) {
          continue;
        }
        if (f != null && f.category().equals(category)) {
          cur = cand;
          progress = true;
          break;
        }
      }
    }
    return cur;
  }

  static List<Case> candidates(Case c) {
    List<Case> out = new ArrayList<>();
    Query q = c.q;
    List<Clause> w = q.where();
    for (int i = 0; i < w.size(); i++) {
      List<Clause> w2 = new ArrayList<>(w);
      w2.remove(i);
      out.add(c.copy(new Query(q.kind(), q.find(), q.with(), q.in(), w2), c.rules));
    }
    for (int i = 0; i < w.size(); i++) {
      for (Clause smaller : smaller(w.get(i))) {
        List<Clause> w2 = new ArrayList<>(w);
        w2.set(i, smaller);
        out.add(c.copy(new Query(q.kind(), q.find(), q.with(), q.in(), w2), c.rules));
      }
    }
    if (q.find().size() > 1) {
      for (int i = 0; i < q.find().size(); i++) {
        List<FindElem> f2 = new ArrayList<>(q.find());
        f2.remove(i);
        out.add(c.copy(new Query(q.kind(), f2, q.with(), q.in(), w), c.rules));
      }
    }
    if (!q.with().isEmpty()) {
      out.add(c.copy(new Query(q.kind(), q.find(), List.of(), q.in(), w), c.rules));
    }
    if (q.kind() != Kind.RELATION) {
      out.add(c.copy(new Query(Kind.RELATION, q.find(), q.with(), q.in(), w), c.rules));
    }
    for (int i = 0; i < q.in().size(); i++) {
      if (q.in().get(i) instanceof ScalarIn || q.in().get(i) instanceof CollIn) {
        List<In> in2 = new ArrayList<>(q.in());
        in2.remove(i);
        out.add(c.copy(new Query(q.kind(), q.find(), q.with(), in2, w), c.rules));
      }
    }
    if (c.rules != null) {
      for (int i = 0; i < c.rules.size(); i++) {
        List<Rule> r2 = new ArrayList<>(c.rules);
        r2.remove(i);
        out.add(c.copy(q, r2));
      }
    }
    return out;
  }

  /** Smaller versions of one clause: fewer body clauses, branches or pattern positions. */
  static List<Clause> smaller(Clause c) {
    List<Clause> out = new ArrayList<>();
    if (c instanceof Pattern p && p.terms().size() > 3) {
      out.add(new Pattern(p.src(), p.terms().subList(0, p.terms().size() - 1)));
    } else if (c instanceof Not n && n.body().size() > 1) {
      for (int i = 0; i < n.body().size(); i++) {
        List<Clause> b = new ArrayList<>(n.body());
        b.remove(i);
        out.add(new Not(n.join(), b));
      }
    } else if (c instanceof Or o) {
      if (o.branches().size() > 1) {
        for (int i = 0; i < o.branches().size(); i++) {
          List<List<Clause>> bs = new ArrayList<>(o.branches());
          bs.remove(i);
          out.add(new Or(o.required(), o.join(), bs));
        }
      }
      for (int i = 0; i < o.branches().size(); i++) {
        List<Clause> br = o.branches().get(i);
        for (int j = 0; j < br.size() && br.size() > 1; j++) {
          List<Clause> b = new ArrayList<>(br);
          b.remove(j);
          List<List<Clause>> bs = new ArrayList<>(o.branches());
          bs.set(i, b);
          out.add(new Or(o.required(), o.join(), bs));
        }
      }
      if (!o.required().isEmpty()) {
        out.add(new Or(List.of(), o.join(), o.branches()));
      }
    }
    return out;
  }
}
