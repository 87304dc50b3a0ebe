package io.accrete.sql.tpch;

import io.accrete.Connection;
import io.accrete.Peer;
import java.util.Map;
import java.util.UUID;

/**
 * One TPC-H database at {@link #SCALE} per test JVM, loaded on first use: the test classes that
 * read it share the load (a few seconds) instead of paying it each.
 */
public final class TpchFixture {
  /** The scale factor the tests use: 60,175 lineitems, 15,000 orders, 1,500 customers. */
  public static final double SCALE = 0.01;

  private static Connection conn;
  private static Map<String, Long> counts;

  private TpchFixture() {}

  /** The connection holding TPC-H at {@link #SCALE}; nothing else may transact into it. */
  public static synchronized Connection connection() {
    if (conn == null) {
      String uri = "accrete:mem://tpch-" + UUID.randomUUID();
      Peer.createDatabase(uri);
      Connection c = Peer.connect(uri);
      counts = TpchData.load(c, SCALE);
      conn = c;
    }
    return conn;
  }

  /** The rows {@link TpchData#load} reported per table. */
  public static synchronized Map<String, Long> counts() {
    connection();
    return counts;
  }
}
