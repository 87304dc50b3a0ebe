package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accrete import} in small batches gives the same database; {@code accrete sql} queries it. */
class ImportAndSqlCommandTest {
  static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  static final String CASTS = "[:find ?m ?p :where [?x :movie/title ?m] [?x :movie/cast ?y] [?y :person/name ?p]]";

  @Test
  void importInBatchesKeepsTempidsTogether(@TempDir Path dir) throws Exception {
    String uri = "accrete:local://" + dir.resolve("movies");
    String[] r = run("import", "--db", uri, "--batch", "5", TestData.repoFile("datasets/movies/schema.edn").toString(),
        TestData.repoFile("datasets/movies/data.edn").toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("Imported 2 file(s)"), r[1]);
    Object imported = Peer.q(CASTS, Peer.connect(uri).db());
    Object reference = Peer.q(CASTS, TestData.movies().db());
    assertEquals(new HashSet<>((java.util.Collection<?>) reference), new HashSet<>((java.util.Collection<?>) imported));

    Path script = dir.resolve("q.sql");
    Files.writeString(script, "SELECT count(*) AS n FROM movie_x_cast;\n");
    String[] s = run("sql", "jdbc:" + uri, "-f", script.toString(), "--csv");
    assertEquals("0", s[0], s[1] + s[2]);
    int casts = ((java.util.Collection<?>) reference).size();
    assertEquals(List.of("n", String.valueOf(casts)), s[1].lines().toList(), s[1]);
  }

  @Test
  void errorsAreOneLine(@TempDir Path dir) {
    String[] r = run("import", "--db", "accrete:local://" + dir.resolve("x"), dir.resolve("missing.edn").toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no such file"), r[2]);
    String[] s = run("sql", "jdbc:accrete:local://" + dir.resolve("nope"));
    assertEquals("2", s[0]);
    assertTrue(s[2].contains("does not exist") && s[2].lines().count() == 1, s[2]);
    String[] u = run("sql", "postgres://x");
    assertTrue(u[2].contains("usage: accrete sql <jdbc-url>"), u[2]);
    List<String> bad = List.of(run("serve")[2], run("serve", "--db", "accrete:mem://x", "--port", "abc")[2]);
    assertTrue(bad.get(0).contains("--db <uri> is required"), bad.get(0));
    assertTrue(bad.get(1).contains("--port needs a number"), bad.get(1));
  }
}
