package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress bars animate with carriage returns on a terminal only: into a pipe or a log file
 * the commands print their summary lines and nothing else.
 */
class ProgressOutputTest {
  private static final String SCHEMA = TestData.repoFile("datasets/movies/schema.edn").toString();
  private static final String DATA = TestData.repoFile("datasets/movies/data.edn").toString();

  @Test
  void importDrawsItsBarOnATerminalOnly(@TempDir Path dir) {
    Cli piped = Cli.run(false, "", "import", "--db", "accrete:local://" + dir.resolve("a"), "--batch", "5", SCHEMA, DATA);
    assertEquals(0, piped.code(), piped.all());
    assertFalse(piped.out().contains("\r"), "no carriage returns into a pipe: " + piped.all());
    assertFalse(piped.out().contains("[#"), "no bar into a pipe: " + piped.all());
    assertEquals(3, piped.out().lines().count(), "a line per file and the summary: " + piped.all());
    assertTrue(piped.out().contains("Imported 2 file(s)"), piped.all());

    Cli terminal = Cli.run(true, "", "import", "--db", "accrete:local://" + dir.resolve("b"), "--batch", "5", SCHEMA, DATA);
    assertEquals(0, terminal.code(), terminal.all());
    assertTrue(terminal.out().contains("\rdata.edn [##############################] 100%"), terminal.all());
    assertTrue(terminal.out().contains("Imported 2 file(s)"), terminal.all());
  }

  @Test
  void backupCountsOnATerminalOnly(@TempDir Path dir) {
    String db = "accrete:local://" + dir.resolve("db");
    assertEquals(0, Cli.run("import", "--db", db, SCHEMA, DATA).code());
    Peer.connect(db).release();
    Cli piped = Cli.run(false, "", "backup", "--db", db, dir.resolve("b1").toString());
    assertEquals(0, piped.code(), piped.all());
    assertFalse(piped.out().contains("\r"), piped.all());
    assertEquals(1, piped.out().lines().count(), "only the summary: " + piped.all());
    assertTrue(piped.out().startsWith("backed up "), piped.all());

    Cli terminal = Cli.run(true, "", "backup", "--db", db, dir.resolve("b2").toString());
    assertEquals(0, terminal.code(), terminal.all());
    assertTrue(terminal.out().startsWith("\rbacking up: "), terminal.all());
  }
}
