package io.accrete.bench;

import clojure.lang.Keyword;
import datomic.Connection;
import datomic.Database;
import datomic.Datom;
import datomic.Peer;
import datomic.Util;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Datomic's peer library in memory: {@code datomic:mem://…}. */
public final class DatomicSide implements Side {
  private static final Keyword AEVT = Keyword.intern("aevt");
  private static final Keyword EAVT = Keyword.intern("eavt");
  private String uri;
  private Connection conn;

  @Override
  public String name() {
    return "Datomic";
  }

  @Override
  public Object kw(String name) {
    return Keyword.intern(name);
  }

  @Override
  public void create(String dbName) {
    uri = "datomic:mem://" + dbName;
    if (!Peer.createDatabase(uri)) {
      throw new IllegalStateException(uri + " already exists");
    }
    conn = Peer.connect(uri);
  }

  @Override
  public Object transact(List<?> txData) throws Exception {
    return conn.transact(txData).get();
  }

  @Override
  public long resolve(Object report, String tempid) {
    Map<?, ?> r = (Map<?, ?>) report;
    Object id = Peer.resolveTempid((datomic.Database) r.get(Connection.DB_AFTER), r.get(Connection.TEMPIDS), tempid);
    return (Long) id;
  }

  @Override
  public long count(String attr) {
    long n = 0;
    for (Object d : conn.db().datoms(AEVT, Keyword.intern(attr))) {
      n++;
    }
    return n;
  }

  @Override
  public List<Object[]> entity(long eid) {
    Database db = conn.db();
    List<Object[]> out = new ArrayList<>();
    for (Datom d : db.datoms(EAVT, eid)) {
      Object v = d.v() instanceof Keyword k ? k.toString() : d.v();
      out.add(new Object[] {((Keyword) db.ident(d.a())).toString().substring(1), v});
    }
    return out;
  }

  @Override
  public Object indexedDb() throws Exception {
    conn.requestIndex();
    return conn.syncIndex(conn.db().basisT()).get();
  }

  @Override
  public List<?> readAll(String edn) {
    return Util.readAll(new java.io.StringReader(edn));
  }

  @Override
  public Object read(String edn) {
    return Util.read(edn);
  }

  @Override
  public Object q(Object query, Object[] inputs) {
    // Peer.q casts the result to a Collection, which a scalar find (the rule's count) is not
    return Peer.query(query, inputs);
  }

  @Override
  public void drop() {
    if (conn != null) {
      conn.release();
      conn = null;
      Peer.deleteDatabase(uri);
    }
  }

  @Override
  public void shutdown() {
    Peer.shutdown(true);
  }
}
