package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The durable contract on PostgreSQL storage, through peers of a transactor in this JVM. */
class SqlDatabaseTest extends DurableContract {
  private static final String[] OPTIONS = {"indexThreshold", "backpressure", "cacheBytes", "cacheDatoms", "batch",
      "gcRetention"};
  private static int n;

  /**
   * Options of sql databases come from system properties, which every later test in this JVM
   * would inherit: a leaked {@code gcRetention=0s} once made another test's transactor delete
   * segments its peer was still reading.
   */
  @AfterEach
  void clearOptions() {
    for (String name : OPTIONS) {
      System.clearProperty("accrete." + name);
    }
  }

  @Override
  protected String freshUri(String options) {
    clearOptions();
    if (!options.isEmpty()) {
      for (String kv : options.split("&")) {
        String[] p = kv.split("=", 2);
        System.setProperty("accrete." + p[0], p[1]);
      }
    }
    return "accrete:sql://test" + (n++) + "-" + System.nanoTime() + "?" + TestTransactor.url();
  }

  @Test
  void badSqlUrisAreNamed() {
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("accrete:sql://x?jdbc:mysql://h/d"))
        .getMessage().contains("jdbc:postgresql"));
    assertTrue(assertThrows(AccreteException.class, () -> Peer.connect("accrete:sql://bad name?jdbc:postgresql://h/d"))
        .getMessage().contains("name"));
  }
}
