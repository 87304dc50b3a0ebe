package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command answers {@code --help} and {@code -h} with its usage on stdout and exit 0, and
 * an unknown option with one line naming it and pointing at {@code --help}, exit 2. The
 * commands come from {@link Main#commands()}, so a new command is covered without a new test.
 */
class CommandHelpTest {
  static Set<String> commands() {
    return Main.commands().keySet();
  }

  @ParameterizedTest
  @MethodSource("commands")
  void helpPrintsTheUsageAndExitsZero(String command) {
    for (String flag : new String[] {"--help", "-h"}) {
      Cli r = Cli.run(command, flag);
      assertEquals(0, r.code(), r.all());
      assertTrue(r.err().isEmpty(), r.all());
      assertTrue(r.out().startsWith("usage: accrete " + command), r.all());
      assertTrue(r.out().contains("-h, --help"), "lists its options: " + r.out());
      assertTrue(r.out().contains("Example"), "has an example: " + r.out());
      assertTrue(r.out().lines().count() >= 8, "says what it does, not just the synopsis: " + r.out());
      assertEquals(r.out(), Cli.run("help", command).out(), "accrete help " + command + " says the same");
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void anUnknownOptionIsOneLineNamingItAndExitsTwo(String command) {
    Cli r = Cli.run(command, "--no-such-option");
    assertEquals(2, r.code(), r.all());
    assertTrue(r.out().isEmpty(), r.all());
    assertEquals(1, r.err().lines().count(), r.all());
    assertTrue(r.err().contains("unknown option --no-such-option"), r.all());
    assertTrue(r.err().contains("'accrete " + command + " --help'"), "a hint to use --help: " + r.all());
  }

  @Test
  void helpWinsWhereverItIsAndRunsNothing() {
    // The database does not exist: had the statement run, this would fail with exit 2.
    Cli r = Cli.run("sql", "jdbc:accrete:mem://no-such-db", "-e", "SELECT 1", "--help");
    assertEquals(0, r.code(), r.all());
    assertTrue(r.out().startsWith("usage: accrete sql"), r.all());
    Cli q = Cli.run("query", "--db", "accrete:mem://no-such-db", "-h");
    assertEquals(0, q.code(), q.all());
    assertTrue(q.out().startsWith("usage: accrete query"), q.all());
  }

  @Test
  void theTopLevelHelpListsTheCommands() {
    for (String flag : new String[] {"--help", "-h", "help"}) {
      Cli r = Cli.run(flag);
      assertEquals(0, r.code(), r.all());
      for (String command : commands()) {
        assertTrue(r.out().contains("\n  " + command + " "), command + " listed: " + r.out());
      }
      assertTrue(r.out().contains("--help"), "says how to get a command's help: " + r.out());
    }
    Cli none = Cli.run();
    assertEquals(2, none.code(), "no command is a usage error");
    assertTrue(none.out().contains("usage: accrete <command>"), none.all());
    Cli unknown = Cli.run("--bogus");
    assertEquals(2, unknown.code(), unknown.all());
    assertEquals(1, unknown.err().lines().count(), unknown.all());
    assertTrue(unknown.err().contains("unknown option --bogus") && unknown.err().contains("--help"), unknown.all());
    Cli typo = Cli.run("help", "sqll");
    assertEquals(2, typo.code(), typo.all());
    assertTrue(typo.err().contains("unknown command 'sqll'"), typo.all());
  }
}
