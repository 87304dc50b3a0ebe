package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accrete demo --dir D} never replaces what D already holds. */
class DemoCommandTest {
  @Test
  void aSecondDemoLeavesTheFirstDatabaseAlone(@TempDir Path dir) throws IOException {
    Path movies = dir.resolve("movies");
    Cli first = Cli.run("demo", "--dir", dir.toString());
    assertEquals(0, first.code(), first.all());
    assertTrue(first.out().contains("The database stays in " + movies), first.all());
    Map<String, String> before = files(movies);

    Cli again = Cli.run("demo", "--dir", dir.toString());
    assertEquals(1, again.code(), again.all());
    assertTrue(again.out().isEmpty(), "nothing of the demo ran: " + again.all());
    assertEquals(1, again.err().lines().count(), again.all());
    assertTrue(again.err().startsWith("accrete demo: " + movies + " already holds a database"), again.all());
    assertTrue(again.err().contains("accrete sql jdbc:accrete:local://" + movies) && again.err().contains("another --dir"),
        "says how to use it or what else to do: " + again.all());
    assertEquals(before, files(movies), "not a file changed");

    // The first demo's changes are still there: Carrie Henn was retracted from the cast of Aliens.
    Cli q = Cli.run("query", "--db", "accrete:local://" + movies,
        "[:find (count ?p) . :where [?m :movie/title \"Aliens\"] [?m :movie/cast ?p]]");
    assertEquals(0, q.code(), q.all());
    Cli history = Cli.run("sql", "jdbc:accrete:local://" + movies, "--csv",
        "-e", "SELECT count(*) AS n FROM movie__history WHERE attribute = ':movie/year' AND added = false");
    assertEquals(0, history.code(), history.all());
    assertEquals(List.of("n", "2"), history.out().lines().toList(), "the demo's two year changes: " + history.all());
  }

  @Test
  void otherFilesAreNotADatabaseAndStayAsTheyAre(@TempDir Path dir) throws IOException {
    Path movies = Files.createDirectories(dir.resolve("movies"));
    Files.writeString(movies.resolve("notes.txt"), "mine");
    Cli r = Cli.run("demo", "--dir", dir.toString());
    assertEquals(1, r.code(), r.all());
    assertEquals(1, r.err().lines().count(), r.all());
    assertTrue(r.err().contains(movies + " already exists and is not a database; pick another --dir"), r.all());
    try (Stream<Path> left = Files.list(movies)) {
      assertEquals(List.of(movies.resolve("notes.txt")), left.toList(), "nothing added");
    }
    assertEquals("mine", Files.readString(movies.resolve("notes.txt")));
  }

  @Test
  void theUsageSaysWhatHappensToAnExistingDirectory() {
    Cli r = Cli.run("demo", "--help");
    assertTrue(r.out().contains("If D/movies already exists") && r.out().contains("leaves it as it is"), r.all());
    Cli stray = Cli.run("demo", "movies");
    assertEquals(2, stray.code(), stray.all());
    assertTrue(stray.err().contains("unexpected argument movies"), stray.all());
  }

  /** Every file under a directory with its size and modification time. */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p));
      }
    }
    return m;
  }
}
