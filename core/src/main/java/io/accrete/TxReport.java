package io.accrete;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of a transaction: the database before and after it, the datoms it added to the
 * log (its transaction entity's {@code :db/txInstant} first), and the entity ids its tempids
 * resolved to. Also readable as Datomic's report map, under {@link Connection#DB_BEFORE},
 * {@link Connection#DB_AFTER}, {@link Connection#TX_DATA} and {@link Connection#TEMPIDS}.
 */
public final class TxReport extends AbstractMap<Keyword, Object> {
  private final Database dbBefore;
  private final Database dbAfter;
  private final List<Datom> txData;
  private final Map<Object, Long> tempids;

  /**
   * A report. The lists and maps are kept as given (not copied): pass unmodifiable ones that
   * nobody changes afterwards.
   */
  public TxReport(Database dbBefore, Database dbAfter, List<Datom> txData, Map<Object, Long> tempids) {
    this.dbBefore = dbBefore;
    this.dbAfter = dbAfter;
    this.txData = txData;
    this.tempids = java.util.Collections.unmodifiableMap(tempids);
  }

  /** The database before the transaction. */
  public Database dbBefore() {
    return dbBefore;
  }

  /** The database after the transaction. */
  public Database dbAfter() {
    return dbAfter;
  }

  /** The datoms the transaction asserted and retracted. */
  public List<Datom> txData() {
    return txData;
  }

  /** Tempid (string or {@link TempId}) to entity id. */
  public Map<Object, Long> tempids() {
    return tempids;
  }

  /** The entity id a tempid resolved to, or null. */
  public Long tempid(Object tempid) {
    return tempids.get(tempid);
  }

  @Override
  public Set<Map.Entry<Keyword, Object>> entrySet() {
    return Set.of(Map.entry(Connection.DB_BEFORE, dbBefore), Map.entry(Connection.DB_AFTER, dbAfter),
        Map.entry(Connection.TX_DATA, txData), Map.entry(Connection.TEMPIDS, tempids));
  }

  /** The transaction's entity id. */
  public long tx() {
    return txData.get(0).tx();
  }
}
