package io.accrete.bench;

import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import io.accrete.tx.TxProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JDBC latency, embedded against remote: the same prepared queries on the movies data set
 * through {@code jdbc:accrete:mem:…} and through a server on loopback (protobuf and JSON), in one
 * run. Prints medians and ratios. {@code bench/run.sh JdbcBench [--seconds 3]}.
 */
public final class JdbcBench {
  private JdbcBench() {}

  static final String[][] QUERIES = {
      {"point: a person by name", "SELECT born FROM person WHERE name = ?", "James Cameron"},
      {"join: movies of a director", "SELECT m.title FROM movie m JOIN movie_x_director d ON d.movie = m.db__id"
          + " JOIN person p ON p.db__id = d.director WHERE p.name = ?", "James Cameron"},
      {"scan: movies per year", "SELECT \"year\", count(*) FROM movie WHERE \"year\" > ? GROUP BY \"year\"", "0"},
  };

  public static void main(String[] args) throws Exception {
    double seconds = 3;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--seconds")) {
        seconds = Double.parseDouble(args[++i]);
      }
    }
    String uri = "accrete:mem://jdbcbench";
    Peer.createDatabase(uri);
    io.accrete.Connection conn = Peer.connect(uri);
    Path data = Path.of("datasets/movies");
    conn.transact(TxProcessor.parse(Files.readString(data.resolve("schema.edn")))).join();
    conn.transact(TxProcessor.parse(Files.readString(data.resolve("data.edn")))).join();
    try (AccreteServer server = AccreteServer.start(new AccreteServer.Options(uri, "127.0.0.1", 0, null, null,
        null, 10, 10, new PrintStream(new ByteArrayOutputStream())))) {
      String[][] sides = {
          {"embedded", "jdbc:" + uri},
          {"remote protobuf", server.jdbcUrl()},
          {"remote JSON", server.jdbcUrl() + ";serialization=json"},
      };
      System.out.println("| query | " + String.join(" µs | ", Arrays.stream(sides).map(s -> s[0]).toList())
          + " µs | remote protobuf / embedded |");
      System.out.println("| --- | ---: | ---: | ---: | ---: |");
      for (String[] q : QUERIES) {
        double[] medians = new double[sides.length];
        for (int s = 0; s < sides.length; s++) {
          try (Connection c = DriverManager.getConnection(sides[s][1]);
               PreparedStatement ps = c.prepareStatement(q[1])) {
            ps.setObject(1, q[0].startsWith("scan") ? (Object) Long.parseLong(q[2]) : q[2]);
            run(ps, seconds / 3); // warm-up
            medians[s] = run(ps, seconds);
          }
        }
        System.out.printf("| %s | %s | %s | %s | %.2f× |%n", q[0], Markdown.num(medians[0]), Markdown.num(medians[1]),
            Markdown.num(medians[2]), medians[1] / medians[0]);
      }
    }
  }

  /** Median microseconds of executing and reading a prepared query, repeated for a while. */
  static double run(PreparedStatement ps, double seconds) throws Exception {
    List<Double> times = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rs.getObject(1);
        }
      }
      times.add((System.nanoTime() - t0) / 1e3);
    }
    times.sort(null);
    return times.get(times.size() / 2);
  }
}
