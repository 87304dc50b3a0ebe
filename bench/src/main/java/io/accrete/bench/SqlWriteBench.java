package io.accrete.bench;

import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SQL writes through JDBC, Accrete against PostgreSQL in one run: single-row INSERTs with
 * auto-commit (a prepared statement, one transaction each) and 1,000-row INSERTs (one statement
 * of 1,000 VALUES rows, one transaction), on Accrete embedded (local storage, synced before the
 * acknowledgement; and in memory), Accrete through {@code accrete serve} on loopback (local
 * storage), and PostgreSQL through pgjdbc ({@code fsync=on}, {@code synchronous_commit=on}, a
 * primary key like Accrete's). Prints rows per second (median of rounds) and the ratios; every
 * side's row count is checked; the first {@code --warmup} rounds of each side are not counted
 * (a long-running application's JIT is warm). {@code bench/run.sh SqlWriteBench [--rounds 5]
 * [--single 300] [--warmup 5]}.
 */
public final class SqlWriteBench {
  private SqlWriteBench() {}

  private static final String CREATE = "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(40), qty INTEGER,"
      + " price DOUBLE PRECISION)";

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    int single = 300;
    int warmup = 5;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--rounds")) {
        rounds = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--single")) {
        single = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--warmup")) {
        warmup = Integer.parseInt(args[++i]);
      }
    }
    Path dir = Files.createTempDirectory("sqlwritebench");
    String local = "accrete:local://" + dir.resolve("db").toAbsolutePath();
    String mem = "accrete:mem://sqlwritebench";
    Peer.createDatabase(local);
    Peer.createDatabase(mem);
    String remoteDb = "accrete:local://" + dir.resolve("served").toAbsolutePath();
    Peer.createDatabase(remoteDb);
    try (BenchPostgres pg = BenchPostgres.start(null);
         AccreteServer server = AccreteServer.start(new AccreteServer.Options(remoteDb, "127.0.0.1", 0, null, null,
             null, 10, 10, new PrintStream(new ByteArrayOutputStream())))) {
      System.out.println("PostgreSQL: " + pg.describe());
      String[][] sides = {
          {"PostgreSQL", pg.url()},
          {"Accrete embedded, local", "jdbc:" + local},
          {"Accrete embedded, mem", "jdbc:" + mem},
          {"Accrete remote, local", server.jdbcUrl()},
      };
      double[][] results = new double[sides.length][2];
      for (int s = 0; s < sides.length; s++) {
        try (Connection c = DriverManager.getConnection(sides[s][1])) {
          run(c, "DROP TABLE IF EXISTS item");
          run(c, CREATE);
          int next = 0;
          List<Double> singles = new ArrayList<>();
          List<Double> batches = new ArrayList<>();
          for (int r = 0; r < warmup + rounds; r++) { // the first warmup rounds are not counted
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, name, qty, price) VALUES (?, ?, ?, ?)")) {
              for (int i = 0; i < single; i++) {
                int id = next++;
                ps.setInt(1, id);
                ps.setString(2, "item " + id);
                ps.setInt(3, id % 100);
                ps.setDouble(4, id * 0.25);
                ps.executeUpdate();
              }
            }
            if (r >= warmup) {
              singles.add(single / ((System.nanoTime() - t0) / 1e9));
            }
            StringBuilder sql = new StringBuilder("INSERT INTO item (id, name, qty, price) VALUES ");
            for (int i = 0; i < 1000; i++) {
              int id = next++;
              sql.append(i == 0 ? "" : ", ").append('(').append(id).append(", 'item ").append(id).append("', ")
                  .append(id % 100).append(", ").append(id * 0.25).append(')');
            }
            long t1 = System.nanoTime();
            run(c, sql.toString());
            if (r >= warmup) {
              batches.add(1000 / ((System.nanoTime() - t1) / 1e9));
            }
          }
          try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM item")) {
            rs.next();
            if (rs.getLong(1) != next) {
              throw new IllegalStateException(sides[s][0] + " holds " + rs.getLong(1) + " rows, not " + next);
            }
          }
          results[s][0] = median(singles);
          results[s][1] = median(batches);
        }
      }
      System.out.println();
      System.out.println("| side | single-row INSERT, auto-commit (rows/s) | vs PostgreSQL | 1,000-row INSERT (rows/s) | vs PostgreSQL |");
      System.out.println("| --- | ---: | ---: | ---: | ---: |");
      for (int s = 0; s < sides.length; s++) {
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f× | %,.0f | %.2f× |%n", sides[s][0], results[s][0],
            results[s][0] / results[0][0], results[s][1], results[s][1] / results[0][1]);
      }
    }
  }

  private static void run(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
