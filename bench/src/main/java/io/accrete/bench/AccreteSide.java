package io.accrete.bench;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import java.util.ArrayList;
import java.util.List;

/** Accrete in memory: {@code accrete:mem://…}. */
public final class AccreteSide implements Side {
  private static final Keyword AEVT = Keyword.intern(":aevt");
  private static final Keyword EAVT = Keyword.intern(":eavt");
  private String uri;
  private Connection conn;

  @Override
  public String name() {
    return "Accrete";
  }

  @Override
  public Object kw(String name) {
    return Keyword.intern(name);
  }

  @Override
  public void create(String dbName) {
    uri = "accrete:mem://" + dbName;
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
    return ((TxReport) report).tempid(tempid);
  }

  @Override
  public long count(String attr) {
    long n = 0;
    for (Datom d : conn.db().datoms(AEVT, Keyword.intern(attr))) {
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
      out.add(new Object[] {db.ident(d.a()).fullName(), v});
    }
    return out;
  }

  @Override
  public Object indexedDb() {
    conn.requestIndex();
    return conn.db();
  }

  @Override
  public List<?> readAll(String edn) {
    return io.accrete.Util.readAll(new java.io.StringReader(edn));
  }

  @Override
  public Object read(String edn) {
    return edn;
  }

  @Override
  public Object q(Object query, Object[] inputs) {
    return Peer.q(query, inputs);
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
  public void shutdown() {}
}
