package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import io.accrete.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Calls from several threads on one connection (embedded and remote), as SchemaCrawler makes them. */
class ConcurrentRemoteTest {
  @Test
  void oneConnectionManyThreads() throws Exception {
    String uri = "accrete:mem://concurrent-" + System.nanoTime();
    Peer.createDatabase(uri);
    io.accrete.Connection c = Peer.connect(uri);
    c.transact(TestData.txData("datasets/movies/schema.edn")).join();
    c.transact(TestData.txData("datasets/movies/data.edn")).join();
    try (AccreteServer server = AccreteServer.start(new AccreteServer.Options(uri, "127.0.0.1", 0, null, null,
        null, 10, 10, new PrintStream(new ByteArrayOutputStream())))) {
      try (Connection embedded = DriverManager.getConnection("jdbc:" + uri)) {
        hammer(embedded);
      }
      for (String serialization : List.of("protobuf", "json")) {
        try (Connection conn = DriverManager.getConnection(server.jdbcUrl() + ";serialization=" + serialization)) {
          hammer(conn);
        }
      }
    }
  }

  /** Eight threads asking one connection for keys, which runs SQL on it. */
  static void hammer(Connection conn) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> jobs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      jobs.add(pool.submit(() -> {
        for (int i = 0; i < 20; i++) {
          try (ResultSet rs = conn.getMetaData().getPrimaryKeys(null, "accrete", i % 2 == 0 ? "movie" : "person")) {
            assertTrue(rs.next());
          }
        }
        return null;
      }));
    }
    for (Future<?> f : jobs) {
      f.get();
    }
    pool.shutdown();
  }
}
