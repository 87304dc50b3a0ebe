package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Log;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.storage.DbRoot;
import io.accrete.storage.Segments;
import io.accrete.storage.Storage;
import io.accrete.testing.ExcisionScenario;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a durable database does through the same API as {@code mem}, for each backend. */
public abstract class DurableContract {
  /** A URI of a database that does not exist yet; {@code options} go into the URI if it takes any. */
  protected abstract String freshUri(String options);

  protected final List<String> created = new ArrayList<>();

  protected String create(String options) {
    String uri = freshUri(options);
    assertTrue(Peer.createDatabase(uri));
    created.add(uri);
    return uri;
  }

  @AfterEach
  void deleteDatabases() {
    for (String uri : created) {
      Peer.deleteDatabase(uri);
    }
  }

  static final String SCHEMA = """
      [{:db/ident :item/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :item/qty :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :item/tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}
       {:db/ident :item/part :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]""";

  static List<Object> items(int from, int n) {
    List<Object> tx = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      tx.add(Map.of(Keyword.intern(":item/sku"), "sku-" + i, Keyword.intern(":item/qty"), (long) i,
          Keyword.intern(":item/tags"), List.of(Keyword.intern(i % 2 == 0 ? ":even" : ":odd"))));
    }
    return tx;
  }

  static long count(Database db, String q, Object... in) {
    Object[] inputs = new Object[in.length + 1];
    inputs[0] = db;
    System.arraycopy(in, 0, inputs, 1, in.length);
    Object r = Peer.q(q, inputs);
    return r == null ? 0 : ((Number) r).longValue();
  }

  /** {@code uri} with its database name replaced. */
  private static String renamed(String uri, String newName) {
    int q = uri.indexOf('?') < 0 ? uri.length() : uri.indexOf('?');
    int slash = uri.lastIndexOf('/', q);
    return uri.substring(0, slash + 1) + newName + uri.substring(q);
  }

  @Test
  void aRenamedDatabaseKeepsItsIdDataAndHistory() {
    String uri = create("");
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join();
    TxReport first = c.transact(items(0, 20)).join();
    updateQuantities(c, 0, 20, 1000);
    c.syncIndex(c.db().basisT()).join();
    c.transact(items(20, 5)).join(); // and some log past the index
    String id = c.db().id();
    long t = c.db().basisT();
    String newName = "renamed" + System.nanoTime();
    String moved = renamed(uri, newName);
    created.add(moved);
    assertTrue(Peer.renameDatabase(uri, newName));
    assertThrows(AccreteException.class, () -> Peer.connect(uri), "nothing is left under the old name");
    assertFalse(Peer.renameDatabase(uri, newName + "x"), "no database under the old name");
    Database db = Peer.connect(moved).db();
    assertEquals(id, db.id());
    assertEquals(t, db.basisT());
    assertEquals(25, count(db, "[:find (count ?e) . :where [?e :item/sku]]"));
    assertEquals(1019L, count(db, "[:find ?q . :where [?e :item/sku \"sku-19\"] [?e :item/qty ?q]]"));
    assertEquals(19L, count(db.asOf(first.dbAfter().basisT()), "[:find ?q . :where [?e :item/sku \"sku-19\"] [?e :item/qty ?q]]"),
        "its history moved with it");
    Peer.connect(moved).transact(items(100, 1)).join(); // and it takes transactions

    String other = create("");
    Peer.connect(other).transact(SCHEMA).join();
    AccreteException taken = assertThrows(AccreteException.class, () -> Peer.renameDatabase(other, newName));
    assertEquals("db-exists", taken.code().name(), taken.getMessage());
    assertEquals(26, count(Peer.connect(moved).db(), "[:find (count ?e) . :where [?e :item/sku]]"), "untouched");
    assertNotNull(Peer.connect(other).db().entid(io.accrete.Keyword.intern(":item/sku")), "untouched");
  }

  @Test
  void theDatabaseIdStaysThroughIndexingAndReopening() {
    String uri = create("");
    Connection c = Peer.connect(uri);
    String id = c.db().id();
    assertFalse(id.isEmpty());
    c.transact(SCHEMA).join();
    TxReport r = c.transact(items(0, 50)).join();
    c.syncIndex(r.dbAfter().basisT()).join();
    assertEquals(id, c.db().id(), "after indexing");
    assertEquals(id, c.db().asOf(r.dbBefore().basisT()).history().id(), "in a view");
    c.release();
    assertEquals(id, Peer.connect(uri).db().id(), "after reopening");
    assertNotEquals(id, Peer.connect(create("")).db().id(), "another database");
  }

  @Test
  void transactQueryReopen() {
    String uri = create("");
    assertFalse(Peer.createDatabase(uri), "already exists");
    Connection c = Peer.connect(uri);
    assertSame(c, Peer.connect(uri));
    c.transact(SCHEMA).join();
    TxReport r = c.transact(items(0, 100)).join();
    long t = r.dbAfter().basisT();
    c.transact("[[:db/add [:item/sku \"sku-7\"] :item/qty 700]]").join();
    assertEquals(100, count(c.db(), "[:find (count ?e) . :where [?e :item/sku]]"));
    c.release();
    Connection again = Peer.connect(uri);
    assertNotSame(c, again);
    Database db = again.db();
    assertEquals(100, count(db, "[:find (count ?e) . :where [?e :item/sku]]"));
    assertEquals(700L, db.entity(List.of(Keyword.intern(":item/sku"), "sku-7")).get(":item/qty"));
    assertEquals(7L, db.asOf(t).entity(List.of(Keyword.intern(":item/sku"), "sku-7")).get(":item/qty"));
    assertNotNull(db.attribute(Keyword.intern(":item/tags")), "schema recovered from the log");
  }

  @Test
  void databaseFunctionsAreStoredSentAndCalledAfterReopen() {
    String uri = create("indexThreshold=100");
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join();
    c.transact("[{:db/ident :item/restock :db/fn #db/fn {:lang \"java\" :params [db sku n]"
        + " :code \"return list(map(read(\\\":item/sku\\\"), sku, read(\\\":item/qty\\\"), n));\"}}]").join();
    c.requestIndex(); // the function now lives in a durable segment too
    c.transact("[[:item/restock \"sku-x\" 12]]").join();
    c.release();
    Connection again = Peer.connect(uri);
    again.transact("[[:item/restock \"sku-y\" 13]]").join();
    Database db = again.db();
    assertEquals(12L, db.entity(List.of(Keyword.intern(":item/sku"), "sku-x")).get(":item/qty"));
    assertEquals(13L, db.entity(List.of(Keyword.intern(":item/sku"), "sku-y")).get(":item/qty"));
  }

  @Test
  void fulltextSearchesDurableTreesAfterReopenAndAsOf() {
    String uri = create("indexThreshold=300");
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :note/text :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
        + " :db/fulltext true}]").join();
    List<Object> tx = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      tx.add(Map.of(Keyword.intern(":note/text"), (i % 10 == 0 ? "quartz crystal " : "granite block ") + i));
    }
    long t = c.transact(tx).join().dbAfter().basisT();
    c.requestIndex(); // the values now come from durable trees
    c.transact("[{:note/text \"a late quartz vein\"}]").join(); // and one from the log only
    String q = "[:find (count ?e) . :where [(fulltext $ :note/text \"quartz\") [[?e]]]]";
    assertEquals(41, count(c.db(), q));
    c.release();
    Connection again = Peer.connect(uri);
    Database db = again.db();
    assertEquals(41, count(db, q), "after reopening");
    assertEquals(40, count(db.asOf(t), q), "as of before the late value");

    // The index is kept in storage, named by the root, holding the values of the trees.
    Storage st = trees(again).storage();
    DbRoot root = DbRoot.decode(st.getRoot(DurableConnection.ROOT), "test");
    long attr = db.entid(Keyword.intern(":note/text"));
    String segment = root.fulltext().get(attr);
    assertNotNull(segment, "the root names the stored full-text index of :note/text");
    assertEquals(400, io.accrete.storage.Segments.datoms(st, segment).size());
    // Searches of the present read it beneath the novelty: retracted values drop out, values
    // asserted since (and again) are found once.
    long quartz0 = (Long) Peer.q("[:find ?e . :where [?e :note/text \"quartz crystal 0\"]]", db);
    again.transact("[[:db/retract " + quartz0 + " :note/text \"quartz crystal 0\"]"
        + " {:note/text \"quartz sand\"}]").join();
    assertEquals(41, count(again.db(), q), "one retracted, one added");
    again.transact("[[:db/add " + quartz0 + " :note/text \"quartz crystal 0\"]]").join();
    assertEquals(42, count(again.db(), q), "asserted again: found once");
    again.requestIndex();
    assertNotEquals(segment, DbRoot.decode(st.getRoot(DurableConnection.ROOT), "test").fulltext().get(attr),
        "indexing changed values builds the index again");
    assertEquals(42, count(again.db(), q));
    assertEquals(40, count(again.db().asOf(t), q));
  }

  @Test
  void indexingWritesTreesAndKeepsAnswers() {
    String uri = create("indexThreshold=300");
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join();
    for (int b = 0; b < 20; b++) {
      c.transact(items(b * 50, 50)).join();
    }
    c.transact("[[:db/retract [:item/sku \"sku-3\"] :item/qty 3]]").join();
    c.requestIndex();
    Database db = c.db();
    assertEquals(1000, count(db, "[:find (count ?e) . :where [?e :item/sku]]"));
    assertEquals(999, count(db, "[:find (count ?e) . :where [?e :item/qty]]"));
    long beforeMore = db.basisT();
    c.transact(items(1000, 10)).join();
    c.release();
    // A fresh process would see the same: root trees plus the log after them.
    Connection again = Peer.connect(uri);
    Database d2 = again.db();
    assertEquals(1010, count(d2, "[:find (count ?e) . :where [?e :item/sku]]"));
    assertEquals(1000, count(d2.asOf(beforeMore), "[:find (count ?e) . :where [?e :item/sku]]"));
    assertEquals(1, count(d2.history(), "[:find (count ?e) . :where [?e :item/qty 3 _ false]]"),
        "the retraction is in history");
    assertEquals(500, count(d2, "[:find (count ?e) . :where [?e :item/tags :even] [?e :item/qty ?q] [(< ?q 1000)]]"));
  }

  @Test
  void coldCacheGivesTheSameAnswersAsMemory() {
    String uri = create("indexThreshold=500&cacheBytes=64k&cacheDatoms=2000");
    Connection c = Peer.connect(uri);
    String mem = "accrete:mem://cold-" + System.nanoTime();
    Peer.createDatabase(mem);
    Connection m = Peer.connect(mem);
    for (Connection x : List.of(c, m)) {
      x.transact(SCHEMA).join();
      for (int b = 0; b < 10; b++) {
        x.transact(items(b * 300, 300)).join();
      }
      x.transact("[{:item/sku \"sku-5\" :item/part [[:item/sku \"sku-6\"] [:item/sku \"sku-7\"]]}]").join();
    }
    c.requestIndex();
    trees(c).clearCache();
    String[] queries = {
        "[:find (count ?e) . :where [?e :item/qty ?q] [(> ?q 1500)]]",
        "[:find (sum ?q) . :where [?e :item/tags :odd] [?e :item/qty ?q]]",
        "[:find ?s :where [?e :item/sku \"sku-5\"] [?e :item/part ?p] [?p :item/sku ?s]]",
    };
    for (String q : queries) {
      Object durable = Peer.q(q, c.db());
      Object inMem = Peer.q(q, m.db());
      assertEquals(inMem instanceof Collection<?> col ? Set.copyOf(col) : inMem,
          durable instanceof Collection<?> col ? Set.copyOf(col) : durable, q);
    }
    Peer.deleteDatabase(mem);
  }

  /** The connection's segment cache: an in-process transactor's, or a peer's. */
  static io.accrete.storage.TreeStore trees(Connection c) {
    return c instanceof PeerConnection p ? p.trees() : ((DurableConnection) c).trees();
  }

  private static Set<String> segments(Storage st) {
    return new java.util.TreeSet<>(st.keys("seg/", null, 1_000_000));
  }

  private static Set<String> reachableNow(Storage st) {
    return new java.util.TreeSet<>(Segments.reachable(st, DbRoot.decode(st.getRoot(DurableConnection.ROOT), "test")));
  }

  private static void updateQuantities(Connection c, int from, int n, long add) {
    List<Object> tx = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      tx.add(Map.of(Keyword.intern(":item/sku"), "sku-" + i, Keyword.intern(":item/qty"), i + add));
    }
    c.transact(tx).join();
  }

  @Test
  void garbageIsCollectedAfterItsRetention() {
    Connection c = Peer.connect(create("gcRetention=never"));
    Storage st = trees(c).storage();
    c.transact(SCHEMA).join();
    c.transact(items(0, 3000)).join();
    c.requestIndex();
    Database old = c.db();
    String sum = "[:find (sum ?q) . :where [?e :item/qty ?q]]";
    long oldSum = count(old, sum);
    for (int round = 1; round <= 3; round++) {
      updateQuantities(c, round * 100, 50, 1_000_000);
      c.requestIndex();
    }
    long nowSum = count(c.db(), sum);
    assertEquals(oldSum + 3 * 50 * 1_000_000L, nowSum);
    assertTrue(segments(st).size() > reachableNow(st).size(), "indexing left retired segments behind");
    assertFalse(st.keys("gc/", null, 100).isEmpty(), "indexing recorded what it retired");

    long now = System.currentTimeMillis();
    String ancientOrphan = "seg/" + Long.toString(1000, 36) + "-orphan";
    String freshOrphan = "seg/" + Long.toString(now + 600_000, 36) + "-orphan";
    st.put(ancientOrphan, new byte[] {1});
    st.put(freshOrphan, new byte[] {2});
    assertEquals(0, c.gcStorage(java.time.Instant.EPOCH));
    assertEquals(1, c.gcStorage(java.time.Instant.ofEpochMilli(now - 3_600_000)),
        "within the window only the orphan of a failed job, written long ago, goes");
    assertNull(st.get(ancientOrphan));

    assertTrue(c.gcStorage(java.time.Instant.ofEpochMilli(now + 60_000)) > 0);
    Set<String> left = reachableNow(st);
    left.add(freshOrphan);
    assertEquals(left, segments(st), "what is left is what the root reaches (and the orphan still being written)");
    assertTrue(st.keys("gc/", null, 100).isEmpty(), "collected lists are gone");

    trees(c).clearCache();
    assertEquals(nowSum, count(c.db(), sum), "the current value reads as before");
    assertEquals(nowSum, count(Peer.connect(((io.accrete.conn.BaseConnection) c).uri()).db(), sum));
    AccreteException e = assertThrows(AccreteException.class, () -> count(old, sum));
    assertTrue(e.getMessage().contains("garbage collection"), e.getMessage());
  }

  @Test
  void garbageIsCollectedAutomatically() throws Exception {
    Connection c = Peer.connect(create("gcRetention=0s"));
    Storage st = trees(c).storage();
    c.transact(SCHEMA).join();
    c.transact(items(0, 2000)).join();
    c.requestIndex();
    Thread.sleep(1100); // automatic sweeps are at most once a second
    updateQuantities(c, 0, 10, 5);
    c.requestIndex();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!segments(st).equals(reachableNow(st)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(reachableNow(st), segments(st));
    trees(c).clearCache();
    assertEquals(2000, count(c.db(), "[:find (count ?e) . :where [?e :item/qty]]"));
  }

  @Test
  void groupCommitAcknowledgesConcurrentWriters() throws Exception {
    String uri = create("");
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<TxReport>> fs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int n = i;
      fs.add(pool.submit(() -> c.transact(items(n, 1)).join()));
    }
    long maxT = 0;
    for (Future<TxReport> f : fs) {
      maxT = Math.max(maxT, f.get().dbAfter().basisT());
    }
    pool.shutdown();
    assertTrue(c.db().basisT() >= maxT, "acknowledged means visible");
    assertEquals(400, count(c.db(), "[:find (count ?e) . :where [?e :item/sku]]"));
    int n = 0;
    for (Log.Entry e : c.log().txRange(null, null)) {
      n++;
    }
    assertEquals(401, n, "the schema transaction and the 400 others (the bootstrap is in the first root, not the log)");
  }

  @Test
  void concurrentWritersNeverIndexFromAStaleRoot() throws Exception {
    // Many small commits with a low threshold: a commit right after an indexing job finished
    // used to start the next job from the root that job had just replaced, before its trees
    // were swapped in; that job's compare-and-set failed ("changed by another process"), its
    // work was thrown away, and the failure was printed to stderr.
    String uri = create("indexThreshold=200");
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join();
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true));
    try {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<TxReport>> fs = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        int n = i;
        fs.add(pool.submit(() -> c.transact(items(n, 1)).join()));
      }
      for (Future<TxReport> f : fs) {
        f.get();
      }
      pool.shutdown();
      c.requestIndex();
    } finally {
      System.setErr(err);
    }
    assertEquals("", captured.toString(), "no indexing job failed");
    assertEquals(3000, count(c.db(), "[:find (count ?e) . :where [?e :item/sku]]"));
  }

  @Test
  void failedTransactionsChangeNothing() {
    String uri = create("");
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join();
    c.transact(items(0, 3)).join();
    long t = c.db().basisT();
    CompletableFuture<TxReport> bad = c.transact("[[:db/add \"x\" :item/qty \"not a number\"]]");
    AccreteException e = (AccreteException) assertThrows(Exception.class, bad::join).getCause();
    assertEquals(":db.error/wrong-type-for-attribute", e.code().toString());
    assertEquals(t, c.db().basisT());
    c.release();
    assertEquals(t, Peer.connect(uri).db().basisT());
  }

  @Test
  void logReadsBackAcrossIndexing() {
    String uri = create("indexThreshold=100");
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join();
    List<Long> ts = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      ts.add(c.transact(items(b * 20, 20)).join().dbAfter().basisT());
    }
    c.requestIndex();
    c.transact(items(1000, 1)).join();
    List<Long> seen = new ArrayList<>();
    for (Log.Entry e : c.log().txRange(ts.get(2), ts.get(9))) {
      seen.add(e.t());
      for (Datom d : e.data()) {
        assertEquals(e.t(), Peer.toT(d.tx()));
      }
    }
    assertEquals(ts.subList(2, 9), seen);
  }

  @Test
  void missingDatabasesAreReported() {
    String uri = freshUri("");
    AccreteException e = assertThrows(AccreteException.class, () -> Peer.connect(uri));
    assertTrue(e.getMessage().contains("does not exist") || e.getMessage().contains("no Accrete database"),
        e.getMessage());
    assertFalse(Peer.deleteDatabase(uri));
  }

  @Test
  void excisionLeavesNoTraceInIndexesLogOrStorageAndSurvivesReopening() {
    String uri = create("gcRetention=never");
    ExcisionScenario s = indexedScenario(uri);
    Connection c = s.conn;
    Storage st = trees(c).storage();
    assertTrue(traces(st, s) > 0, "the data to excise is in segments and log batches");
    s.checkGone(s.excise());
    assertTrue(c.gcStorage(java.time.Instant.now().plusSeconds(60)) > 0, "segments that held it are garbage");
    assertEquals(0, traces(st, s), "no segment or log batch holds an excised datom");
    c.release();
    ExcisionScenario reopened = s.on(Peer.connect(uri));
    reopened.checkGone(reopened.conn.db());
  }

  @Test
  void anExcisionStorageHasNotCarriedOutYetIsCarriedOutAfterReopening() {
    String uri = create("gcRetention=never");
    ExcisionScenario s = indexedScenario(uri);
    Connection c = s.conn;
    s.requestExcisions();
    s.checkGone(c.db()); // the values lack the datoms at once; storage still has them
    Storage st = trees(c).storage();
    assertTrue(traces(st, s) > 0);
    c.release();
    Connection again = Peer.connect(uri);
    ExcisionScenario reopened = s.on(again);
    reopened.checkGone(again.db()); // the requests, replayed from the log, excise again
    reopened.checkGone(again.syncExcise(s.excisedAt).join());
    again.gcStorage(java.time.Instant.now().plusSeconds(60));
    assertEquals(0, traces(trees(again).storage(), s));
  }

  /** The excision scenario's data written to {@code uri}, all of it in durable trees. */
  private static ExcisionScenario indexedScenario(String uri) {
    ExcisionScenario s = new ExcisionScenario(Peer.connect(uri)).load(true);
    s.conn.requestIndex();
    return s;
  }

  /** How many datoms of segments and log batches in storage belong to what the scenario excises. */
  private static int traces(Storage st, ExcisionScenario s) {
    int n = 0;
    for (String key : st.keys("seg/", null, 1_000_000)) {
      for (Datom d : io.accrete.storage.Segments.datoms(st, key)) {
        n += excised(d, s) ? 1 : 0;
      }
    }
    for (String key : st.keys("log/", null, 1_000_000)) {
      for (io.accrete.storage.LogCodec.Entry e : io.accrete.storage.LogCodec.decode(st.get(key), key, "test")) {
        for (Datom d : e.datoms()) {
          n += excised(d, s) ? 1 : 0;
        }
      }
    }
    return n;
  }

  private static boolean excised(Datom d, ExcisionScenario s) {
    return d.e() == s.ann || ExcisionScenario.SECRETS.contains(String.valueOf(d.v()));
  }
}
