package io.accrete;

import io.accrete.db.Errors;
import io.accrete.query.QueryRunner;
import io.accrete.schema.Ids;
import io.accrete.spi.DatabaseProvider;
import io.accrete.spi.DatabaseUri;
import java.util.List;
import java.util.Map;

/**
 * The entry point, shaped like Datomic's {@code datomic.Peer}: create, connect to and delete
 * databases by URI, run queries, convert between {@code t} and transaction ids, make tempids.
 *
 * <p>URIs: {@code accrete:mem://name} (in memory), {@code accrete:local:///dir/name} (on
 * disk) and {@code accrete:sql://name?jdbc:postgresql://…}; schemes beyond {@code mem} come from
 * {@link DatabaseProvider}s on the classpath.
 */
public final class Peer {
  private Peer() {}


  /** Creates a database; false when it already exists. */
  public static boolean createDatabase(String uri) {
    DatabaseUri u = DatabaseUri.parse(uri);
    return provider(u).createDatabase(u);
  }

  /** Connects to an existing database; connections are shared per URI. */
  public static Connection connect(String uri) {
    DatabaseUri u = DatabaseUri.parse(uri);
    return provider(u).connect(u);
  }

  /**
   * The names of the databases a URI whose name is {@code *} points at
   * ({@code accrete:mem://*}, {@code accrete:local:///dir/*}), sorted, as Datomic's
   * {@code getDatabaseNames}.
   */
  public static List<String> getDatabaseNames(String uri) {
    DatabaseUri u = DatabaseUri.parse(uri);
    if (!u.path().endsWith("*")) {
      throw Errors.db("invalid-uri", "getDatabaseNames needs a URI whose database name is *, e.g. accrete:mem://*, not "
          + uri);
    }
    return provider(u).databaseNames(u);
  }

  /**
   * Releases every connection this JVM opened, as Datomic's {@code Peer.shutdown}; the
   * argument (whether to stop Clojure's agents there) has nothing to stop here.
   */
  public static void shutdown(boolean shutdownRuntime) {
    for (DatabaseProvider p : DatabaseProvider.all()) {
      p.releaseAll();
    }
  }

  /**
   * A squuid: a random UUID whose first 32 bits are the current time in seconds, so that
   * successive ones sort (and index) near each other, as Datomic's {@code Peer.squuid}.
   */
  public static java.util.UUID squuid() {
    java.util.UUID r = java.util.UUID.randomUUID();
    long seconds = System.currentTimeMillis() / 1000;
    return new java.util.UUID((seconds << 32) | (r.getMostSignificantBits() & 0xFFFFFFFFL),
        r.getLeastSignificantBits());
  }

  /** The time (epoch milliseconds, to the second) a {@link #squuid()} was made. */
  public static long squuidTimeMillis(java.util.UUID squuid) {
    return (squuid.getMostSignificantBits() >>> 32) * 1000;
  }

  /**
   * {@link #q} for callers that consume results as a sequence (Datomic's {@code qseq}): the
   * same answer, as an {@code Iterable} of tuples (or the single value of a scalar find).
   */
  public static Object qseq(Object query, Object... inputs) {
    return q(query, inputs);
  }

  /**
   * A database function from its definition ({@code :lang "java"}, {@code :params},
   * {@code :code}), as Datomic's {@code Peer.function}; install it as the {@code :db/fn} of an
   * ident to call it in transactions.
   */
  public static DbFunction function(Map<?, ?> definition) {
    return DbFunction.of(definition);
  }

  /** Deletes a database; false when it did not exist. */
  public static boolean deleteDatabase(String uri) {
    DatabaseUri u = DatabaseUri.parse(uri);
    return provider(u).deleteDatabase(u);
  }

  /**
   * Renames a database, as Datomic's {@code Peer.renameDatabase}: the database at {@code uri}
   * is afterwards at the same place under {@code newName}, with its id, data and history. This
   * process's connection to the old name is released first; false when there is no database at
   * {@code uri}; an error when {@code newName} is taken or the database is in use elsewhere
   * (another process's transactor).
   */
  public static boolean renameDatabase(String uri, String newName) {
    DatabaseUri u = DatabaseUri.parse(uri);
    return provider(u).renameDatabase(u, newName);
  }

  /**
   * Runs a Datalog query given as EDN text or as data, with its inputs (databases, values,
   * collections, rules) in {@code :in} order. A relation find ({@code :find ?a ?b}) returns a
   * {@code Collection<List<Object>>}; a collection find ({@code [?x ...]}) a
   * {@code Collection}; a tuple find ({@code [?a ?b]}) a {@code List} or null; a scalar find
   * ({@code ?x .}) a value or null.
   */
  @SuppressWarnings("unchecked")
  public static <T> T q(Object query, Object... inputs) {
    return (T) QueryRunner.q(query, java.util.Arrays.asList(inputs));
  }

  /**
   * Runs a query given as a map with {@code :query}, {@code :args} and optionally
   * {@code :timeout} (milliseconds), as Datomic's {@code Peer.query} does.
   */
  public static Object query(Map<?, ?> queryMap) {
    return QueryRunner.query(queryMap);
  }

  /**
   * Starts {@link #query} on a thread of its own and returns its future, which can cancel it:
   * {@code cancel(true)} interrupts the query, which stops at its next step (within
   * milliseconds) instead of running to its end. A query on any thread stops the same way when
   * that thread is interrupted ({@code :db.error/query-cancelled}).
   */
  public static java.util.concurrent.Future<Object> queryAsync(Map<?, ?> queryMap) {
    java.util.concurrent.FutureTask<Object> task = new java.util.concurrent.FutureTask<>(() -> query(queryMap));
    QueryThreads.POOL.execute(task);
    return task;
  }

  /** The threads of {@link #queryAsync}: daemons, made as needed and kept a minute. */
  private static final class QueryThreads {
    static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "accrete-query");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs a query and returns its plan as data: for each clause in the order it ran, the
   * strategy (index, lookup or hash join), estimated and actual rows and time; then the
   * result size and total time. Datomic has nothing like it; use it to see why a query is slow.
   */
  public static Map<Keyword, Object> explain(Object query, Object... inputs) {
    return QueryRunner.explain(query, java.util.Arrays.asList(inputs));
  }

  /**
   * Registers a function for queries under a plain name (e.g. {@code "shout"}), callable as
   * {@code [(shout ?x) ?y]}. Java static methods need no registration: name them by fully
   * qualified symbol, {@code [(com.acme.Fns/shout ?x) ?y]}.
   */
  public static void registerFunction(String name, java.util.function.Function<Object[], Object> fn) {
    QueryRunner.registerFunction(name, fn);
  }

  /** Registers an aggregate for :find under a plain name; it receives the group's values. */
  public static void registerAggregate(String name, java.util.function.Function<List<Object>, Object> fn) {
    QueryRunner.registerAggregate(name, fn);
  }

  /** The {@code t} of a transaction id (a {@code t} is returned unchanged). */
  public static long toT(long tx) {
    return Ids.toT(tx);
  }

  /** The transaction id of a {@code t}. */
  public static long toTx(long t) {
    return Ids.toTx(t);
  }

  /** The partition id of an entity id. */
  public static long part(long eid) {
    return Ids.part(eid);
  }

  /** A new tempid in a partition ({@code :db.part/user} or an installed one). */
  public static TempId tempid(Object partition) {
    return TempId.next(partitionKeyword(partition));
  }

  /** A tempid with an explicit negative index, like {@code #db/id [:db.part/user -1]}. */
  public static TempId tempid(Object partition, long idx) {
    if (idx >= 0) {
      throw Errors.db("invalid-tempid", "Tempid indexes are negative, not " + idx);
    }
    return new TempId(partitionKeyword(partition), idx);
  }

  /** The entity id a tempid resolved to in a transaction report, or null. */
  public static Long resolveTempid(Database db, Map<Object, Long> tempids, Object tempid) {
    return tempids.get(tempid);
  }

  private static Keyword partitionKeyword(Object p) {
    if (p instanceof Keyword k) {
      return k;
    }
    if (p instanceof String s) {
      return Keyword.intern(s);
    }
    throw Errors.db("not-a-partition", "A partition is a keyword such as :db.part/user, not "
        + Errors.show(p));
  }

  private static DatabaseProvider provider(DatabaseUri uri) {
    return DatabaseProvider.of(uri);
  }
}
