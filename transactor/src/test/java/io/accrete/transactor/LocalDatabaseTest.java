package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Peer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDatabaseTest extends DurableContract {
  @TempDir
  static Path base;
  private static int n;

  @Override
  protected String freshUri(String options) {
    return "accrete:local://" + base.resolve("db" + n++) + (options.isEmpty() ? "" : "?" + options);
  }

  @Test
  void badUrisAndDirectoriesAreNamed() throws Exception {
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("accrete:local://relative/x"))
        .getMessage().contains("absolute"));
    Path foreign = base.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    AccreteException e = assertThrows(AccreteException.class,
        () -> Peer.createDatabase("accrete:local://" + foreign));
    assertTrue(e.getMessage().contains(foreign.toString()) && e.getMessage().contains("not an Accrete"), e.getMessage());
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("accrete:local://" + foreign))
        .getMessage().contains("no Accrete database"));
    assertTrue(assertThrows(AccreteException.class, () -> Peer.createDatabase(freshUri("bogus=1")))
        .getMessage().contains("bogus"));
  }
}
