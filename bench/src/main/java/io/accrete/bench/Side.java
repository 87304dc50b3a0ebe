package io.accrete.bench;

import java.util.List;

/**
 * One system under test, seen through the few operations the transaction and query workloads
 * need. Each implementation uses its system's own Java API directly; the workloads call these
 * methods in their timed loops, so they add one interface call per transaction or query and
 * nothing else.
 */
public interface Side {
  /** A short name for tables: {@code Accrete} or {@code Datomic}. */
  String name();

  /** This system's keyword for a name without colon, such as {@code "db/ident"} or {@code "name"}. */
  Object kw(String name);

  /** Creates a fresh in-memory database with this name and connects to it. */
  void create(String dbName);

  /** Transacts and waits for the result; returns the system's transaction report. */
  Object transact(List<?> txData) throws Exception;

  /** The entity id a string tempid resolved to in a report. */
  long resolve(Object report, String tempid);

  /** The number of datoms with this attribute in the current database (a sanity check). */
  long count(String attr);

  /**
   * The current datoms of an entity as {@code [attribute ident without colon, value]} pairs, in
   * EAVT order; keyword values as their EDN text ({@code ":male"}).
   */
  List<Object[]> entity(long eid);

  /**
   * Merges the current database's novelty into its indexes, waits for that, and returns the
   * indexed database value (Accrete {@code Connection.requestIndex()}; Datomic
   * {@code requestIndex()} then {@code syncIndex(basisT)}).
   */
  Object indexedDb() throws Exception;

  /**
   * A query or rule set given as EDN text, in the form this side passes to {@link #q} every
   * time: the text itself on Accrete (its parse cache is keyed by the query), the data read
   * by {@code datomic.Util.read} on Datomic (its query cache is keyed by the form).
   */
  Object read(String edn);

  /** Every form of an EDN text, read by this system's own reader ({@code Util.readAll}). */
  List<?> readAll(String edn);

  /** Runs a query ({@code Peer.q} or {@code Peer.query}) with its inputs in {@code :in} order. */
  Object q(Object query, Object[] inputs);

  /** Releases the connection and deletes the database. */
  void drop();

  /** Stops the system's threads at the end of a run. */
  void shutdown();
}
