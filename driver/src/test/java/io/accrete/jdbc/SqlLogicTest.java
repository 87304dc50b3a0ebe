package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SQLite's sqllogictest (the copy in {@code shared/sqllogictest}) through the JDBC driver as the
 * engine {@code postgresql}, each file on a fresh in-memory database. By default a sample that
 * fits CI (the first 300 records of select1–5, evidence/, one file of every random/ and index/
 * folder); with {@code -Dsqllogictest=all} every file, whole. Each file must pass at least as many records as
 * {@code sqllogictest-baseline.tsv} says it did (a ratchet: raise it when more pass); the run
 * writes {@code target/sqllogictest.tsv} with every file's counts and time.
 */
class SqlLogicTest {
  private static final List<String> SAMPLE = List.of("select1.test", "select2.test", "select3.test", "select4.test",
      "select5.test", "evidence/", "random/aggregates/slt_good_0.test", "random/expr/slt_good_0.test",
      "random/groupby/slt_good_0.test", "random/select/slt_good_0.test", "index/between/10/slt_good_1.test",
      "index/commute/10/slt_good_0.test", "index/delete/10/slt_good_0.test", "index/orderby/10/slt_good_0.test",
      "index/random/10/slt_good_0.test", "index/view/10/slt_good_1.test");
  /** Records run per file: a fixed number in CI (the same records on any machine), all with -Dsqllogictest=all. */
  private static final int RECORDS = Integer.getInteger("sqllogictest.records",
      "all".equals(System.getProperty("sqllogictest")) ? 0 : 300);
  private static final long RECORD_MILLIS = Long.getLong("sqllogictest.recordSeconds", 60) * 1000;

  @Test
  void filesPassAtLeastTheirBaseline() throws Exception {
    Path root = TestData.repoFile("shared/sqllogictest").toAbsolutePath();
    List<Path> files = files(root, "all".equals(System.getProperty("sqllogictest")));
    Map<String, Integer> baseline = baseline();
    List<String> report = new ArrayList<>();
    List<String> below = new ArrayList<>();
    report.add("file\tpassed\trun\tskipped\tseconds\trecords_per_second\ttimed_out");
    long passed = 0;
    long run = 0;
    long millis = 0;
    for (Path f : files) {
      String name = root.relativize(f).toString();
      SqlLogicRunner.Result r = SqlLogicRunner.run(f, name, SqlLogicTest::freshDatabase, RECORDS, RECORD_MILLIS);
      System.out.println("sqllogictest " + r);
      for (String failure : r.failures.subList(0, Math.min(5, r.failures.size()))) {
        System.out.println("  " + failure);
      }
      report.add(String.format(Locale.ROOT, "%s\t%d\t%d\t%d\t%.1f\t%.0f\t%s", name, r.passed, r.run(), r.skipped,
          r.millis / 1000.0, r.run() * 1000.0 / Math.max(1, r.millis), r.timedOut));
      passed += r.passed;
      run += r.run();
      millis += r.millis;
      Integer min = baseline.get(name);
      if (min != null && r.passed < min) {
        below.add(name + ": " + r.passed + " passed, the baseline is " + min);
      }
    }
    String total = String.format(Locale.ROOT, "sqllogictest total: %d/%d passed (%.2f%%), %.0f records/s over %.1f s",
        passed, run, 100.0 * passed / Math.max(1, run), run * 1000.0 / Math.max(1, millis), millis / 1000.0);
    System.out.println(total);
    report.add("# " + total);
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "sqllogictest.tsv"), report, StandardCharsets.UTF_8);
    assertTrue(below.isEmpty(), "fewer records pass than before: " + below);
  }

  private static List<Path> files(Path root, boolean all) throws IOException {
    List<Path> out = new ArrayList<>();
    if (all) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".test")).sorted().forEach(out::add);
      }
      return out;
    }
    for (String entry : SAMPLE) {
      Path p = root.resolve(entry);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(x -> x.toString().endsWith(".test")).sorted().forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static Map<String, Integer> baseline() throws IOException {
    Map<String, Integer> out = new LinkedHashMap<>();
    try (var in = SqlLogicTest.class.getResourceAsStream("/sqllogictest-baseline.tsv")) {
      if (in == null) {
        throw new IllegalStateException("sqllogictest-baseline.tsv is missing from the test resources");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.put(f[0], Integer.parseInt(f[1].trim()));
      }
    }
    return out;
  }

  private static java.sql.Connection freshDatabase() {
    String uri = "accrete:mem://slt-" + UUID.randomUUID();
    Peer.createDatabase(uri);
    try {
      return DriverManager.getConnection("jdbc:" + uri);
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
