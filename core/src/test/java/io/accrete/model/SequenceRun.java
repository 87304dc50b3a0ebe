package io.accrete.model;

import io.accrete.AccreteException;
import io.accrete.Attribute;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.Log;
import io.accrete.Peer;
import io.accrete.Symbol;
import io.accrete.TempId;
import io.accrete.TxReport;
import io.accrete.edn.Edn;
import io.accrete.edn.TaggedValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * One random sequence: a schema, then {@code nTx} random transactions run both on Accrete and
 * on the {@link Model}, with Accrete's indexes, views and entities compared to the model after
 * every transaction and, at the end, at every earlier t through the final database.
 */
final class SequenceRun {
  private static final Keyword TX_INSTANT = Keyword.of("db", "txInstant");
  private static final Keyword TX_FAILED = Keyword.of("db.error", "transaction-failed");
  private static final String[] INDEXES = ModelViews.INDEXES;

  private final long seed;
  private final int nTx;
  private final Random r;
  private final Random checks;
  private final StringBuilder transcript = new StringBuilder();

  private String uri;
  private Connection conn;
  private Model model;
  private TxGen gen;
  private List<AttrSpec> attrs;
  private final Set<Long> userAttrs = new HashSet<>();
  private long userPart;
  private long txInstantAttr;
  private long lastInstant = Long.MIN_VALUE;

  // What is being checked, for failure messages.
  private String where = "setup";
  private List<?> whereTx;

  /** One transaction of the sequence. */
  private record Step(int n, List<Object> txData, boolean viaEdn, Database before,
      TxReport report, List<MDatom> currentAfter) {
    boolean ok() {
      return report != null;
    }
  }

  private final List<Step> steps = new ArrayList<>();

  /**
   * Where the database lives: given the sequence's storage options ({@code indexThreshold=N}, or
   * empty), the URI of a database not yet created. In memory unless a test of another backend
   * says otherwise.
   */
  private final java.util.function.BiFunction<Long, String, String> backend;

  SequenceRun(long seed, int nTx) {
    this(seed, nTx, (s, options) -> "accrete:mem://model-" + s + "-" + UUID.randomUUID()
        + (options.isEmpty() ? "" : "?" + options));
  }

  /** A sequence on the backend {@code backend} names (seed and options to a fresh URI). */
  SequenceRun(long seed, int nTx, java.util.function.BiFunction<Long, String, String> backend) {
    this.backend = backend;
    this.seed = seed;
    this.nTx = nTx;
    this.r = new Random(seed);
    this.checks = new Random(seed * 31 + 7);
  }

  void run() {
    try {
      body();
      if (Boolean.getBoolean("model.transcripts")) {
        writeTranscript();
      }
    } catch (AssertionError e) {
      Path file = writeTranscript();
      throw new AssertionError("seed " + seed + " (rerun alone with -Dmodel.seed=" + seed + "), "
          + where + "\n" + e.getMessage()
          + (whereTx != null ? "\ntransaction: " + edn(whereTx) : "")
          + "\nfull transcript: " + file, e);
    } finally {
      if (uri != null) {
        Peer.deleteDatabase(uri);
      }
    }
  }

  private Path writeTranscript() {
    try {
      Path dir = Path.of("target", "model-failures");
      Files.createDirectories(dir);
      Path file = dir.resolve("seed-" + seed + ".txt");
      Files.writeString(file, transcript, StandardCharsets.UTF_8);
      return file.toAbsolutePath();
    } catch (IOException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ the sequence

  private void body() {
    int mode = r.nextInt(3);
    String options = mode == 0 ? "indexThreshold=50"
        : mode == 1 ? "indexThreshold=" + (5 + r.nextInt(30)) : "";
    uri = backend.apply(seed, options);
    Peer.createDatabase(uri);
    conn = Peer.connect(uri);
    transcript.append(";; seed ").append(seed).append(", ").append(uri).append('\n');

    attrs = TxGen.schema(r);
    List<Object> schemaTx = TxGen.schemaTx(attrs, r);
    whereTx = schemaTx;
    transcript.append(";; schema\n").append(edn(schemaTx)).append('\n');
    TxReport sr = conn.transact(schemaTx).join();
    for (int i = 0; i < attrs.size(); i++) {
      attrs.get(i).id = sr.tempid("a" + i);
      userAttrs.add(attrs.get(i).id);
    }
    Database db0 = conn.db();
    userPart = db0.entid(Keyword.of("db.part", "user"));
    txInstantAttr = db0.entid(TX_INSTANT);
    lastInstant = ((Date) sr.txData().get(0).v()).getTime();
    checkSchema(db0);
    model = new Model(attrs);
    boolean bulk = r.nextInt(4) == 0;
    transcript.append(";; bulk transactions: ").append(bulk).append('\n');
    gen = new TxGen(r, model, bulk);

    for (int i = 0; i < nTx; i++) {
      boolean afterBulk = !steps.isEmpty() && steps.get(steps.size() - 1).txData.size() > 50;
      if (r.nextInt(10) == 0 || (afterBulk && r.nextBoolean())) {
        where = "after requestIndex before tx #" + i;
        whereTx = null;
        conn.requestIndex();
        transcript.append(";; requestIndex\n");
        Stats.count("requestIndex");
        Database d = conn.db();
        compareIndex("current eavt after requestIndex", d, "eavt", model.currentDatoms(), false);
        compareIndex("history avet after requestIndex", d.history(), "avet", model.retained(), true);
      }
      step(i);
    }
    finalChecks();
    if (Stats.ENABLED) {
      // Only to report coverage: how far the durable trees grew.
      io.accrete.index.Indexes ix = ((io.accrete.db.Db) conn.db()).indexes();
      for (io.accrete.index.IndexOrder o : io.accrete.index.IndexOrder.values()) {
        int h = ix.get(o).baseCurrent().height();
        Stats.count("sequences with durable " + o + " current tree height " + h);
      }
    }
    where = "final schema check";
    whereTx = null;
    checkSchema(conn.db());
  }

  private void step(int i) {
    List<Object> txData = gen.tx();
    where = "tx #" + i;
    whereTx = txData;
    boolean viaEdn = r.nextInt(6) == 0;
    Database before = conn.db();
    Model.Outcome expected = model.process(txData);
    transcript.append(";; tx #").append(i).append(viaEdn ? " (as EDN text)" : "")
        .append(expected.ok() ? "" : " (model: fails with " + expected.error + ")").append('\n')
        .append(edn(txData)).append('\n');

    if (!expected.ok()) {
      Stats.count("model fails: " + expected.error.split("[ :]")[0]);
    }
    for (Object f : txData) {
      Stats.count("form " + (f instanceof List<?> l ? String.valueOf(l.get(0)) + "/" + l.size()
          : "map" + (((Map<?, ?>) f).containsKey(Model.DB_ID) ? "" : " without :db/id")));
    }
    TxReport report = null;
    Throwable failure = null;
    try {
      report = (viaEdn ? conn.transact(edn(txData)) : conn.transact(txData)).join();
    } catch (CompletionException e) {
      failure = e.getCause();
    } catch (RuntimeException e) {
      failure = e;
    }
    if (failure != null) {
      transcript.append(";;   accrete: ").append(failure).append('\n');
      Stats.count("tx failed");
      if (failure instanceof AccreteException ae) {
        Stats.count("tx failed " + ae.code());
      }
      checkFailure(failure, "transact");
      if (expected.ok()) {
        fail("transaction failed but the model expects success", "accrete: " + failure
            + "\nmodel datoms:\n" + showAll(expected.datoms, 20));
      }
      String code = ((AccreteException) failure).code().name();
      if (!expected.error.startsWith(code + ":") && !expected.error.startsWith(code + " ")) {
        fail("transaction failed for another reason than the model's",
            "accrete: " + failure + "\nmodel: " + expected.error);
      }
      Database after = conn.db();
      if (after.basisT() != before.basisT()) {
        fail("failed transaction changed basisT", before.basisT() + " -> " + after.basisT());
      }
      steps.add(new Step(i, txData, viaEdn, before, null, null));
    } else {
      long t = Peer.toT(report.tx());
      transcript.append(";;   accrete: ok, t ").append(t).append('\n');
      Stats.count("tx ok");
      Stats.count(viaEdn ? "tx ok via EDN text" : "tx ok via data");
      where = "tx #" + i + " (t " + t + ")";
      if (!expected.ok()) {
        fail("transaction succeeded but the model expects it to fail: " + expected.error,
            "accrete datoms:\n" + showAll(toModel(report.txData()), 20));
      }
      List<MDatom> datoms = bind(expected, report, before);
      Set<Long> created = new HashSet<>();
      for (MDatom d : datoms) {
        if (!model.isKnownEntity(d.e()) && d.e() != report.tx()) {
          created.add(d.e());
        }
      }
      model.commit(datoms, report.tx(), created);
      countDatoms(datoms, expected);
      steps.add(new Step(i, txData, viaEdn, before, report, model.currentDatoms()));
    }
    checkCurrent(conn.db());
  }

  private void countDatoms(List<MDatom> datoms, Model.Outcome out) {
    Stats.count("datoms", datoms.size());
    Stats.count("new entities", out.newIds.size());
    for (long id : out.tempids.values()) {
      if (id >= 0) {
        Stats.count("tempids upserted");
      }
    }
    if (datoms.isEmpty()) {
      Stats.count("tx with no user datoms");
    }
    for (MDatom d : datoms) {
      AttrSpec a = model.byId.get(d.a());
      Stats.count((d.added() ? "assert " : "retract ") + a.type + (a.many ? " many" : " one"));
      if (!d.added() && a.noHistory) {
        Stats.count("retract noHistory");
      }
      if (!d.added() && a.component) {
        Stats.count("retract component ref");
      }
    }
  }

  /**
   * EDN text of transaction data. {@link TempId}s print as {@code #db/id [partition idx]}, which
   * the transaction reader turns back into equal TempIds ({@code Edn.print} cannot print a
   * TempId itself).
   */
  static String edn(Object txData) {
    return Edn.print(ednForm(txData));
  }

  private static Object ednForm(Object x) {
    if (x instanceof TempId t) {
      return new TaggedValue(Symbol.of("db", "id"), List.of(t.partition(), t.idx()));
    }
    if (x instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(ednForm(o));
      }
      return out;
    }
    if (x instanceof Set<?> st) {
      Set<Object> out = new LinkedHashSet<>();
      for (Object o : st) {
        out.add(ednForm(o));
      }
      return out;
    }
    if (x instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> en : m.entrySet()) {
        out.put(ednForm(en.getKey()), ednForm(en.getValue()));
      }
      return out;
    }
    return x;
  }

  /** Fails unless a transaction failure is an AccreteException that is not an internal error. */
  private void checkFailure(Throwable failure, String what) {
    if (!(failure instanceof AccreteException ae)) {
      fail(what + " threw " + failure.getClass().getName() + ", not an AccreteException",
          stack(failure));
      return;
    }
    Throwable cause = ae.getCause();
    if (TX_FAILED.equals(ae.code()) && cause != null && !(cause instanceof AccreteException)) {
      fail(what + " failed with an internal error", stack(cause));
    }
  }

  private static String stack(Throwable t) {
    StringBuilder sb = new StringBuilder(t.toString());
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < Math.min(8, st.length); i++) {
      sb.append("\n    at ").append(st[i]);
    }
    return sb.toString();
  }

  /**
   * Binds the model's new entities to the ids Accrete chose, checks the report's tempids,
   * datoms and tx entity, and returns the model's datoms with real ids and tx.
   */
  private List<MDatom> bind(Model.Outcome out, TxReport report, Database before) {
    long tx = report.tx();
    Map<Long, Long> symToReal = new HashMap<>();
    symToReal.put(Model.TX_SYM, tx);
    for (Map.Entry<Object, Long> en : out.tempids.entrySet()) {
      Long real = report.tempids().get(en.getKey());
      long expect = en.getValue();
      if (real == null) {
        fail("tempid missing from the report", en.getKey() + " not in " + report.tempids());
      } else if (expect >= 0) {
        if (real != expect) {
          fail("tempid resolved to the wrong entity", "tempid " + en.getKey() + ": model "
              + expect + " (upsert), accrete " + real);
        }
      } else {
        Long prev = symToReal.putIfAbsent(expect, real);
        if (prev != null && !prev.equals(real)) {
          fail("tempids the model unifies became different entities",
              "tempid " + en.getKey() + " -> " + real + ", its group -> " + prev);
        }
        if (model.isKnownEntity(real) || (expect != Model.TX_SYM && real == tx)) {
          fail("tempid resolved to an existing entity", "tempid " + en.getKey() + " -> " + real
              + "; the model expects a new entity");
        }
      }
    }
    if (new HashSet<>(symToReal.values()).size() != symToReal.size()) {
      fail("tempids the model keeps apart became one entity", "model " + out.tempids
          + ", accrete " + report.tempids());
    }
    for (Object k : report.tempids().keySet()) {
      if (!out.tempids.containsKey(k)) {
        fail("unexpected tempid in the report", k + " in " + report.tempids());
      }
    }
    // New entities of id-less maps: the one new id no tempid names.
    List<Long> unnamed = new ArrayList<>();
    for (long s : out.newIds) {
      if (!symToReal.containsKey(s)) {
        unnamed.add(s);
      }
    }
    Set<Long> candidates = new LinkedHashSet<>();
    for (Datom d : report.txData()) {
      List<Long> ids = new ArrayList<>();
      ids.add(d.e());
      if (userAttrs.contains(d.a()) && model.byId.get(d.a()).isRef()) {
        ids.add((Long) d.v());
      }
      for (long id : ids) {
        if (id != tx && !model.isKnownEntity(id) && !symToReal.containsValue(id)) {
          candidates.add(id);
        }
      }
    }
    if (unnamed.size() != candidates.size()) {
      fail("new entities differ", "model expects " + unnamed.size()
          + " new entities without tempids, accrete created " + candidates);
    }
    if (unnamed.size() > 1) {
      throw new IllegalStateException("the generator makes at most one id-less entity per tx");
    }
    if (unnamed.size() == 1) {
      symToReal.put(unnamed.get(0), candidates.iterator().next());
    }
    for (long real : symToReal.values()) {
      if (real != tx && Peer.part(real) != userPart) {
        fail("new entity outside :db.part/user", String.valueOf(real));
      }
    }
    List<MDatom> datoms = new ArrayList<>();
    for (MDatom d : out.datoms) {
      long e = d.e() < 0 ? symToReal.get(d.e()) : d.e();
      Object v = d.v();
      if (model.byId.get(d.a()).isRef() && (Long) v < 0) {
        v = symToReal.get((Long) v);
      }
      datoms.add(new MDatom(e, d.a(), v, tx, d.added()));
    }
    // The report's datoms: the model's, plus the tx entity's :db/txInstant.
    List<MDatom> txDatoms = new ArrayList<>();
    List<MDatom> rest = new ArrayList<>();
    for (Datom d : report.txData()) {
      (d.e() == tx && d.a() == txInstantAttr ? txDatoms : rest).add(MDatom.of(d));
    }
    compareSets("report tx-data", rest, datoms);
    if (txDatoms.size() != 1 || txDatoms.get(0).a() != txInstantAttr
        || !(txDatoms.get(0).v() instanceof Date) || !txDatoms.get(0).added()
        || txDatoms.get(0).tx() != tx) {
      fail("tx entity datoms", "expected one :db/txInstant datom, got " + showAll(txDatoms, 5));
    }
    long instant = ((Date) txDatoms.get(0).v()).getTime();
    if (instant < lastInstant) {
      fail(":db/txInstant went back in time", lastInstant + " -> " + instant);
    }
    lastInstant = instant;
    long t = Peer.toT(tx);
    if (report.dbBefore().basisT() != before.basisT() || report.dbAfter().basisT() != t
        || conn.db().basisT() != t || t <= before.basisT()) {
      fail("basis t", "before " + before.basisT() + ", report before " + report.dbBefore().basisT()
          + ", report after " + report.dbAfter().basisT() + ", conn " + conn.db().basisT()
          + ", tx t " + t);
    }
    return datoms;
  }

  // ------------------------------------------------------------------ checks at one point

  private void checkSchema(Database db) {
    for (AttrSpec a : attrs) {
      Attribute at = db.attribute(a.ident);
      if (at == null) {
        fail("schema", "attribute " + a.ident + " not installed");
        return;
      }
      String exp = a.id + " " + a.ident + " " + a.type.ident() + " "
          + (a.many ? ":db.cardinality/many" : ":db.cardinality/one") + " " + a.unique + " "
          + a.component + " " + a.noHistory;
      String got = at.id() + " " + at.ident() + " " + at.valueType() + " " + at.cardinality() + " "
          + at.unique() + " " + at.isComponent() + " " + at.isNoHistory();
      if (!exp.equals(got) || at.isMany() != a.many || at.isRef() != a.isRef()
          || at.isIdentity() != a.isIdentity() || !at.equals(db.attribute(a.id))
          || !a.ident.equals(db.ident(a.id)) || !Objects.equals(db.entid(a.ident), a.id)) {
        fail("schema", "attribute " + a.ident + ": expected " + exp + ", got " + got);
      }
    }
  }

  /** Everything about the current database value after a transaction. */
  private void checkCurrent(Database db) {
    ModelViews mv = new ModelViews(model.retained(), this::isRef);
    List<MDatom> cur = mv.current("eavt");
    List<MDatom> hist = mv.history("eavt");
    for (String idx : INDEXES) {
      compareSorted("current " + idx, db, idx, mv.current(idx));
    }
    for (String idx : indexesToCheck(hist.size())) {
      compareSorted("history " + idx, db.history(), idx, mv.history(idx));
    }
    checkPrefixes("current", db, cur, false, 4);
    checkPrefixes("history", db.history(), hist, true, 2);
    checkEntities("current", db, cur, 5);
    checkLookupRefs("current", db, cur);
    checkIndexRange("current", db, cur);
    long mod = 2 + checks.nextInt(3);
    compareSorted("filtered eavt", db.filter((x, d) -> d.e() % mod != 0), "eavt",
        filter(cur, d -> d.e() % mod != 0));
    compareSorted("history filtered aevt", db.history().filter((x, d) -> d.e() % mod == 0), "aevt",
        filter(mv.history("aevt"), d -> d.e() % mod == 0));
  }

  /**
   * The indexes to compare for one view: all four, or for large databases (bulk sequences) two
   * at random, which keeps the run short and still covers every index over the many views.
   */
  private String[] indexesToCheck(int datoms) {
    if (datoms <= 2000) {
      return INDEXES;
    }
    int i = checks.nextInt(4);
    int j = (i + 1 + checks.nextInt(3)) % 4;
    return new String[] {INDEXES[i], INDEXES[j]};
  }

  /** Compares a view's index with the model's datoms, already in that index's order. */
  private void compareSorted(String label, Database db, String idx, List<MDatom> expected) {
    compareLists(label, scan(db, idx), expected);
  }

  private void compareIndex(String label, Database db, String idx, List<MDatom> expected,
      boolean full) {
    List<MDatom> exp = sorted(filter(expected, d -> !idx.equals("vaet") || isRef(d.a())), idx, full);
    compareLists(label, scan(db, idx), exp);
  }

  private void checkPrefixes(String label, Database db, List<MDatom> expected, boolean full, int n) {
    for (int i = 0; i < n; i++) {
      MDatom pivot = expected.isEmpty() ? null : expected.get(checks.nextInt(expected.size()));
      AttrSpec a = pivot != null && checks.nextBoolean() ? model.byId.get(pivot.a())
          : attrs.get(checks.nextInt(attrs.size()));
      long e = pivot != null ? pivot.e()
          : model.entities.isEmpty() ? a.id : model.entities.get(checks.nextInt(model.entities.size()));
      Object v = pivot != null && pivot.a() == a.id ? pivot.v()
          : a.isRef() ? (Object) e : MValues.canon(a.type, gen.scalar(a.type));
      Object aArg = checks.nextInt(4) == 0 ? (Object) a.id : a.ident;
      Object vArg = MValues.toRaw(v);
      long ea = e;
      long aa = a.id;
      Object va = v;
      switch (checks.nextInt(12)) {
        case 0:
          prefix(label, db, expected, full, "eavt", d -> d.e() == ea, e);
          break;
        case 1:
          prefix(label, db, expected, full, "eavt", d -> d.e() == ea && d.a() == aa, e, aArg);
          break;
        case 2:
          prefix(label, db, expected, full, "eavt",
              d -> d.e() == ea && d.a() == aa && d.v().equals(va), e, aArg, vArg);
          break;
        case 3:
          prefix(label, db, expected, full, "aevt", d -> d.a() == aa, aArg);
          break;
        case 4:
          prefix(label, db, expected, full, "aevt", d -> d.a() == aa && d.e() == ea, aArg, e);
          break;
        case 5:
          prefix(label, db, expected, full, "avet", d -> d.a() == aa, aArg);
          break;
        case 6:
          prefix(label, db, expected, full, "avet", d -> d.a() == aa && d.v().equals(va), aArg, vArg);
          break;
        case 7: {
          long target = a.isRef() && v instanceof Long l ? l : e;
          prefix(label, db, expected, full, "vaet",
              d -> isRef(d.a()) && d.v().equals(target), target);
          break;
        }
        case 8: {
          if (!a.isRef()) {
            break;
          }
          long target = v instanceof Long l ? l : e;
          prefix(label, db, expected, full, "vaet",
              d -> d.a() == aa && d.v().equals(target), target, aArg);
          break;
        }
        case 9:
          seek(label, db, expected, full, "avet",
              d -> d.a() > aa || (d.a() == aa && MValues.compare(d.v(), va) >= 0), aArg, vArg);
          break;
        case 10:
          seek(label, db, expected, full, "eavt", d -> d.e() >= ea, e);
          break;
        default: {
          if (pivot == null || pivot.a() != a.id) {
            break;
          }
          long ptx = pivot.tx();
          Object txArg = checks.nextBoolean() ? (Object) ptx : (Object) Peer.toT(ptx);
          prefix(label, db, expected, full, "eavt",
              d -> d.e() == ea && d.a() == aa && d.v().equals(va) && d.tx() == ptx,
              e, aArg, vArg, txArg);
          break;
        }
      }
    }
  }

  private void prefix(String label, Database db, List<MDatom> expected, boolean full, String idx,
      Predicate<MDatom> keep, Object... comps) {
    List<MDatom> exp = sorted(filter(expected, keep), idx, full);
    List<MDatom> act = new ArrayList<>();
    for (Datom d : db.datoms(Keyword.of(null, idx), comps)) {
      if (userAttrs.contains(d.a())) { // refs may point at attribute entities
        act.add(MDatom.of(d));
      }
    }
    compareLists(label + " datoms " + idx + " " + showComps(comps), act, exp);
  }

  private void seek(String label, Database db, List<MDatom> expected, boolean full, String idx,
      Predicate<MDatom> keep, Object... comps) {
    List<MDatom> exp = sorted(filter(expected, keep), idx, full);
    List<MDatom> act = new ArrayList<>();
    for (Datom d : db.seekDatoms(Keyword.of(null, idx), comps)) {
      if (userAttrs.contains(d.a())) {
        act.add(MDatom.of(d));
      }
    }
    compareLists(label + " seekDatoms " + idx + " " + showComps(comps), act, exp);
  }

  private void checkIndexRange(String label, Database db, List<MDatom> expected) {
    AttrSpec a = attrs.get(checks.nextInt(attrs.size()));
    if (a.isRef()) {
      return;
    }
    Object lo = checks.nextInt(4) == 0 ? null : MValues.canon(a.type, gen.scalar(a.type));
    Object hi = checks.nextInt(4) == 0 ? null : MValues.canon(a.type, gen.scalar(a.type));
    List<MDatom> exp = sorted(filter(expected, d -> d.a() == a.id
        && (lo == null || MValues.compare(d.v(), lo) >= 0)
        && (hi == null || MValues.compare(d.v(), hi) < 0)), "avet", false);
    List<MDatom> act = new ArrayList<>();
    for (Datom d : db.indexRange(a.ident, MValues.toRaw(lo), MValues.toRaw(hi))) {
      act.add(MDatom.of(d));
    }
    compareLists(label + " indexRange " + a.ident + " " + show(lo) + " " + show(hi), act, exp);
  }

  private void checkLookupRefs(String label, Database db, List<MDatom> expected) {
    for (AttrSpec a : attrs) {
      if (!a.isUnique()) {
        continue;
      }
      List<MDatom> held = filter(expected, d -> d.a() == a.id);
      if (!held.isEmpty()) {
        MDatom d = held.get(checks.nextInt(held.size()));
        List<Object> ref = List.of(a.ident, MValues.toRaw(d.v()));
        Long got = db.entid(ref);
        Entity ent = db.entity(ref);
        if (got == null || got != d.e() || ent == null || ent.id() != d.e()) {
          fail(label + " lookup ref " + Edn.print(ref), "expected " + d.e() + ", entid " + got
              + ", entity " + (ent == null ? null : ent.id()));
        }
      }
      Object v = MValues.canon(a.type, gen.scalar(a.type));
      if (filter(expected, d -> d.a() == a.id && d.v().equals(v)).isEmpty()) {
        List<Object> ref = List.of(a.ident, MValues.toRaw(v));
        if (db.entid(ref) != null || db.entity(ref) != null) {
          fail(label + " lookup ref " + Edn.print(ref), "names nothing, yet resolves to "
              + db.entid(ref));
        }
      }
    }
  }

  /** The entity view: forward values, keySet and reverse references. */
  private void checkEntities(String label, Database db, List<MDatom> expected, int n) {
    if (model.entities.isEmpty()) {
      return;
    }
    Map<Long, Map<Long, List<Object>>> eav = new HashMap<>();
    Map<Long, Map<Long, Set<Long>>> reverse = new HashMap<>();
    for (MDatom d : expected) {
      eav.computeIfAbsent(d.e(), k -> new HashMap<>())
          .computeIfAbsent(d.a(), k -> new ArrayList<>()).add(d.v());
      if (isRef(d.a())) {
        reverse.computeIfAbsent((Long) d.v(), k -> new HashMap<>())
            .computeIfAbsent(d.a(), k -> new HashSet<>()).add(d.e());
      }
    }
    for (int i = 0; i < n; i++) {
      long e = model.entities.get(checks.nextInt(model.entities.size()));
      Entity ent = db.entity(e);
      if (checks.nextInt(3) == 0 && ent != null) {
        ent = ent.touch();
      }
      String what = label + " entity " + e;
      if (ent == null || ent.id() != e || !Objects.equals(ent.get(":db/id"), e)) {
        fail(what, "entity(" + e + ") gave " + ent);
        return;
      }
      Map<Long, List<Object>> vals = eav.getOrDefault(e, Map.of());
      Set<String> keys = new HashSet<>();
      for (AttrSpec a : attrs) {
        List<Object> vs = vals.getOrDefault(a.id, List.of());
        if (!vs.isEmpty()) {
          keys.add(a.ident.toString());
        }
        Object exp;
        if (vs.isEmpty()) {
          exp = null;
        } else if (a.many) {
          Set<Object> s = new HashSet<>();
          for (Object v : vs) {
            s.add(entityValue(a, v));
          }
          exp = s;
        } else {
          exp = entityValue(a, vs.get(0));
        }
        Object got = fromEntity(ent.get(checks.nextBoolean() ? a.ident : a.ident.toString()));
        if (!Objects.equals(exp, got)) {
          fail(what + " get " + a.ident, "expected " + exp + ", got " + got);
        }
        if (a.isRef()) {
          Keyword rev = Keyword.of(a.ident.namespace(), "_" + a.ident.name());
          Set<Long> from = reverse.getOrDefault(e, Map.of()).getOrDefault(a.id, Set.of());
          Object rgot = ent.get(rev);
          boolean okRev;
          if (from.isEmpty()) {
            okRev = rgot == null;
          } else if (a.component) {
            okRev = rgot instanceof Entity re && from.contains(re.id());
          } else {
            okRev = rgot instanceof Set<?> && fromEntity(rgot).equals(refsOf(from));
          }
          if (!okRev) {
            fail(what + " get " + rev, "expected entities " + from + ", got " + fromEntity(rgot));
          }
        }
      }
      if (!keys.equals(ent.keySet())) {
        fail(what + " keySet", "expected " + keys + ", got " + ent.keySet());
      }
    }
  }

  /** An entity reference in comparable form. */
  private record Ref(long id) {}

  private static Set<Object> refsOf(Set<Long> ids) {
    Set<Object> out = new HashSet<>();
    for (long id : ids) {
      out.add(new Ref(id));
    }
    return out;
  }

  private Object entityValue(AttrSpec a, Object v) {
    if (!a.isRef()) {
      return v;
    }
    AttrSpec target = model.byId.get((Long) v);
    return target != null ? target.ident : new Ref((Long) v);
  }

  private Object fromEntity(Object x) {
    if (x instanceof Entity en) {
      return new Ref(en.id());
    }
    if (x instanceof Set<?> s) {
      Set<Object> out = new HashSet<>();
      for (Object o : s) {
        out.add(fromEntity(o));
      }
      return out;
    }
    return MValues.fromAccrete(x);
  }

  // ------------------------------------------------------------------ checks at every past t

  private void finalChecks() {
    Database fin = conn.db();
    ModelViews mv = new ModelViews(model.retained(), this::isRef);
    List<Step> ok = new ArrayList<>();
    for (Step s : steps) {
      if (s.ok()) {
        ok.add(s);
      }
    }
    for (int k = 0; k < ok.size(); k++) {
      Step s = ok.get(k);
      long tx = s.report.tx();
      long t = Peer.toT(tx);
      where = "final database, t " + t + " (tx #" + s.n + ")";
      whereTx = s.txData;

      Database asOf = fin.asOf(checks.nextBoolean() ? (Object) t : (Object) tx);
      List<MDatom> asOfExp = mv.asOf("eavt", tx);
      for (String idx : indexesToCheck(mv.history("eavt").size())) {
        compareSorted("asOf " + t + " " + idx, asOf, idx, mv.asOf(idx, tx));
      }
      checkPrefixes("asOf " + t, asOf, asOfExp, false, 3);
      checkEntities("asOf " + t, asOf, asOfExp, 3);
      checkLookupRefs("asOf " + t, asOf, asOfExp);
      checkIndexRange("asOf " + t, asOf, asOfExp);
      long mod = 2 + checks.nextInt(3);
      compareSorted("asOf " + t + " filtered avet", asOf.filter((x, d) -> d.e() % mod == 1),
          "avet", filter(mv.asOf("avet", tx), d -> d.e() % mod == 1));

      Database since = fin.since(t);
      for (String idx : new String[] {"eavt", "avet", "vaet"}) {
        compareSorted("since " + t + " " + idx, since, idx,
            ModelViews.txAfter(mv.current(idx), tx));
      }

      Database histAsOfDb = fin.history().asOf(t);
      for (String idx : indexesToCheck(mv.history("eavt").size())) {
        compareSorted("history asOf " + t + " " + idx, histAsOfDb, idx,
            ModelViews.txAtMost(mv.history(idx), tx));
      }
      List<MDatom> histAsOf = ModelViews.txAtMost(mv.history("eavt"), tx);
      compareSorted("asOf " + t + " history eavt", asOf.history(), "eavt", histAsOf);
      checkPrefixes("history asOf " + t, histAsOfDb, histAsOf, true, 2);
      compareSorted("history since " + t + " eavt", fin.history().since(t), "eavt",
          ModelViews.txAfter(mv.history("eavt"), tx));
      compareSorted("history since " + t + " aevt", fin.since(tx).history(), "aevt",
          ModelViews.txAfter(mv.history("aevt"), tx));

      if (k > 0) {
        long earlier = ok.get(checks.nextInt(k)).report.tx();
        compareSorted("asOf " + t + " since " + Peer.toT(earlier) + " eavt",
            asOf.since(earlier), "eavt", ModelViews.txAfter(asOfExp, earlier));
      }

      int instants = 0;
      for (Datom d : fin.datoms(Keyword.of(null, "eavt"), tx, TX_INSTANT)) {
        instants++;
        if (!(d.v() instanceof Date) || d.tx() != tx || !d.added()) {
          fail("tx entity of t " + t, "bad :db/txInstant datom " + d);
        }
      }
      if (instants != 1) {
        fail("tx entity of t " + t, instants + " :db/txInstant datoms");
      }
    }
    // A t between transactions (entity ids share the counter) sees the transaction before it.
    if (!ok.isEmpty()) {
      long first = Peer.toT(ok.get(0).report.tx());
      long last = Peer.toT(ok.get(ok.size() - 1).report.tx());
      for (int i = 0; i < 5; i++) {
        long t = first - 1 + checks.nextInt((int) (last - first) + 3);
        where = "final database, asOf arbitrary t " + t;
        whereTx = null;
        // model.asOf replays the log: an independent cross-check of ModelViews.asOf too.
        compareIndex("asOf " + t + " eavt", fin.asOf(t), "eavt", model.asOf(Peer.toTx(t)), false);
        compareIndex("since " + t + " aevt", fin.since(t), "aevt",
            filter(model.currentDatoms(), d -> d.tx() > Peer.toTx(t)), false);
      }
      where = "with on an asOf value";
      try {
        fin.asOf(first).with(List.of());
        fail("with on an asOf database", "did not throw");
      } catch (AccreteException expected) {
        // as documented
      }
    }
    checkLog(ok);
    checkInstants(fin, mv, ok);
    checkPastValues(ok);
    // with: the next transaction applied speculatively to the database before it.
    for (Step s : steps) {
      where = "with, on the database before tx #" + s.n;
      whereTx = s.txData;
      TxReport w = null;
      Throwable failure = null;
      try {
        w = s.viaEdn ? s.before.with(edn(s.txData)) : s.before.with(s.txData);
      } catch (RuntimeException e) {
        failure = e;
      }
      if (!s.ok()) {
        if (failure == null) {
          fail("with of a failing transaction succeeded", showAll(toModel(w.txData()), 10));
        }
        checkFailure(failure, "with");
        continue;
      }
      if (failure != null) {
        fail("with failed where transact succeeded", stack(failure));
      }
      if (w.tx() != s.report.tx() || !w.tempids().equals(s.report.tempids())) {
        fail("with report", "tx " + w.tx() + " vs " + s.report.tx() + ", tempids " + w.tempids()
            + " vs " + s.report.tempids());
      }
      long wtx = w.tx();
      compareSets("with tx-data", filter(toModel(w.txData()), d -> d.e() != wtx),
          filter(toModel(s.report.txData()), d -> d.e() != wtx));
      compareIndex("with dbAfter eavt", w.dbAfter(), "eavt", s.currentAfter, false);
      compareIndex("with dbAfter avet", w.dbAfter(), "avet", s.currentAfter, false);
      // A second speculative transaction on top of the first: the next committed one.
      int i = s.n; // steps hold every transaction, in order
      Step next = null;
      for (int j = i + 1; j < steps.size() && next == null; j++) {
        next = steps.get(j).ok() ? steps.get(j) : null;
      }
      if (next != null && checks.nextInt(3) == 0) {
        where = "with of tx #" + next.n + " on the with of tx #" + s.n;
        whereTx = next.txData;
        TxReport w2 = w.dbAfter().with(next.txData);
        long w2tx = w2.tx();
        if (w2tx != next.report.tx()) {
          fail("chained with", "tx " + w2tx + " vs " + next.report.tx());
        }
        compareSets("chained with tx-data", filter(toModel(w2.txData()), d -> d.e() != w2tx),
            filter(toModel(next.report.txData()), d -> d.e() != w2tx));
        compareIndex("chained with dbAfter aevt", w2.dbAfter(), "aevt", next.currentAfter, false);
      }
    }
  }

  /**
   * Views of past database values (each with its own split between novelty and durable trees,
   * and its own noHistory state): history, asOf and since an earlier t.
   */
  private void checkPastValues(List<Step> ok) {
    for (int k = 0; k < ok.size(); k++) {
      if (checks.nextInt(4) != 0) {
        continue;
      }
      Step s = ok.get(k);
      long tx = s.report.tx();
      // The value the report returned, or a later one from the connection with the same data.
      Database dk = s.report.dbAfter();
      int next = s.n + 1;
      if (next < steps.size() && !steps.get(next).ok() && checks.nextBoolean()) {
        dk = steps.get(next).before;
      }
      where = "past database value of t " + Peer.toT(tx) + " (tx #" + s.n + ")";
      whereTx = s.txData;
      ModelViews past = new ModelViews(model.retainedAt(tx, s.currentAfter), this::isRef);
      compareSorted("past value current avet", dk, "avet", past.current("avet"));
      compareSorted("past value history eavt", dk.history(), "eavt", past.history("eavt"));
      compareSorted("past value history vaet", dk.history(), "vaet", past.history("vaet"));
      long earlier = ok.get(checks.nextInt(k + 1)).report.tx();
      long et = Peer.toT(earlier);
      compareSorted("past value asOf " + et + " aevt", dk.asOf(et), "aevt",
          past.asOf("aevt", earlier));
      compareSorted("past value since " + et + " eavt", dk.since(et), "eavt",
          ModelViews.txAfter(past.current("eavt"), earlier));
      compareSorted("past value history asOf " + et + " avet", dk.history().asOf(et), "avet",
          ModelViews.txAtMost(past.history("avet"), earlier));
    }
  }

  /**
   * asOf and since a {@code Date}: the last transaction at or before the instant counts. Many
   * transactions share a millisecond, so each instant names the last of them.
   */
  private void checkInstants(Database fin, ModelViews mv, List<Step> ok) {
    List<long[]> txInstants = new ArrayList<>(); // {t, millis}
    for (Step s : ok) {
      for (Datom d : s.report.txData()) {
        if (d.e() == s.report.tx() && d.a() == txInstantAttr) {
          txInstants.add(new long[] {Peer.toT(d.tx()), ((Date) d.v()).getTime()});
        }
      }
    }
    for (int k = 0; k < ok.size(); k++) {
      if (checks.nextInt(3) != 0) {
        continue;
      }
      long millis = txInstants.get(k)[1] + (checks.nextBoolean() ? 0 : -1);
      long lastT = 0;
      for (long[] ti : txInstants) {
        if (ti[1] <= millis) {
          lastT = Math.max(lastT, ti[0]);
        }
      }
      long tx = lastT == 0 ? 0 : Peer.toTx(lastT);
      Date when = new Date(millis);
      where = "final database, asOf/since " + Edn.print(when) + " (last t at or before it: "
          + (lastT == 0 ? "none of the user transactions" : lastT) + ")";
      whereTx = null;
      compareSorted("asOf date eavt", fin.asOf(when), "eavt", mv.asOf("eavt", tx));
      compareSorted("since date aevt", fin.since(when), "aevt",
          ModelViews.txAfter(mv.current("aevt"), tx));
    }
  }

  /** The log holds the schema transaction and every committed one, with the report's datoms. */
  private void checkLog(List<Step> ok) {
    where = "log";
    whereTx = null;
    Log log = conn.log();
    List<Log.Entry> all = new ArrayList<>();
    for (Log.Entry en : log.txRange(null, null)) {
      all.add(en);
    }
    if (all.size() != ok.size() + 1) {
      fail("log txRange(nil, nil)", all.size() + " entries, expected " + (ok.size() + 1));
    }
    for (int k = 0; k < ok.size(); k++) {
      Step s = ok.get(k);
      Log.Entry en = all.get(k + 1);
      long t = Peer.toT(s.report.tx());
      where = "log entry of t " + t + " (tx #" + s.n + ")";
      whereTx = s.txData;
      if (en.t() != t) {
        fail("log entry t", en.t() + ", expected " + t);
      }
      compareSets("log entry datoms", toModel(en.data()), toModel(s.report.txData()));
      if (checks.nextInt(4) == 0) {
        List<Log.Entry> one = new ArrayList<>();
        Object from = checks.nextBoolean() ? (Object) t : (Object) s.report.tx();
        for (Log.Entry x : log.txRange(from, t + 1)) {
          one.add(x);
        }
        if (one.size() != 1 || one.get(0).t() != t) {
          fail("log txRange(" + from + ", " + (t + 1) + ")", one.size() + " entries");
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private boolean isRef(long a) {
    AttrSpec s = model.byId.get(a);
    return s != null && s.isRef();
  }

  /** A view's datoms of the user attributes, in iteration order. */
  private List<MDatom> scan(Database db, String idx) {
    List<MDatom> out = new ArrayList<>();
    for (Datom d : db.datoms(Keyword.of(null, idx))) {
      if (userAttrs.contains(d.a())) {
        out.add(MDatom.of(d));
      }
    }
    return out;
  }

  private static List<MDatom> toModel(Collection<Datom> ds) {
    List<MDatom> out = new ArrayList<>();
    for (Datom d : ds) {
      out.add(MDatom.of(d));
    }
    return out;
  }

  private static List<MDatom> filter(List<MDatom> ds, Predicate<MDatom> keep) {
    List<MDatom> out = new ArrayList<>();
    for (MDatom d : ds) {
      if (keep.test(d)) {
        out.add(d);
      }
    }
    return out;
  }

  private static List<MDatom> sorted(List<MDatom> ds, String idx, boolean full) {
    List<MDatom> out = new ArrayList<>(ds);
    out.sort(MValues.order(idx, full));
    return out;
  }

  private void compareLists(String check, List<MDatom> actual, List<MDatom> expected) {
    if (actual.equals(expected)) {
      return;
    }
    Set<MDatom> as = new LinkedHashSet<>(actual);
    Set<MDatom> es = new LinkedHashSet<>(expected);
    if (as.equals(es)) {
      int i = 0;
      while (i < Math.min(actual.size(), expected.size()) && actual.get(i).equals(expected.get(i))) {
        i++;
      }
      fail(check, "same datoms, different order or duplicates (" + actual.size() + " vs "
          + expected.size() + "); first difference at position " + i + ":\n  accrete: "
          + showAll(actual.subList(Math.max(0, i - 1), Math.min(actual.size(), i + 2)), 3)
          + "\n  model:   "
          + showAll(expected.subList(Math.max(0, i - 1), Math.min(expected.size(), i + 2)), 3));
    }
    diff(check, as, es);
  }

  private void compareSets(String check, List<MDatom> actual, List<MDatom> expected) {
    Set<MDatom> as = new LinkedHashSet<>(actual);
    Set<MDatom> es = new LinkedHashSet<>(expected);
    if (as.size() != actual.size()) {
      fail(check, "duplicate datoms: " + showAll(actual, 20));
    }
    if (!as.equals(es)) {
      diff(check, as, es);
    }
  }

  private void diff(String check, Set<MDatom> actual, Set<MDatom> expected) {
    List<MDatom> missing = new ArrayList<>();
    for (MDatom d : expected) {
      if (!actual.contains(d)) {
        missing.add(d);
      }
    }
    List<MDatom> extra = new ArrayList<>();
    for (MDatom d : actual) {
      if (!expected.contains(d)) {
        extra.add(d);
      }
    }
    fail(check, "missing (in the model, not in accrete) " + missing.size() + ": "
        + showAll(missing, 5) + "\n  extra (in accrete, not in the model) " + extra.size() + ": "
        + showAll(extra, 5));
  }

  private String showAll(List<MDatom> ds, int max) {
    if (ds == null) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(max, ds.size()); i++) {
      sb.append(i == 0 ? "" : " ").append(show(ds.get(i)));
    }
    if (ds.size() > max) {
      sb.append(" ...");
    }
    return sb.toString();
  }

  private String show(MDatom d) {
    AttrSpec a = model == null ? null : model.byId.get(d.a());
    return "[" + d.e() + " " + (a != null ? a.ident : String.valueOf(d.a())) + " "
        + MValues.show(d.v()) + " t" + Peer.toT(d.tx()) + " " + d.added() + "]";
  }

  private static String show(Object v) {
    return v == null ? "nil" : MValues.show(v);
  }

  private static String showComps(Object[] comps) {
    StringBuilder sb = new StringBuilder();
    for (Object c : comps) {
      sb.append(sb.length() == 0 ? "" : " ").append(MValues.show(MValues.fromAccrete(c)));
    }
    return sb.toString();
  }

  private static void fail(String check, String details) {
    throw new AssertionError("check: " + check + "\n  " + details);
  }
}
