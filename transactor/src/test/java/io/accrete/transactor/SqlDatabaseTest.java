package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Peer;
import org.junit.jupiter.api.Test;

/** The durable contract on PostgreSQL storage, through peers of a transactor in this JVM. */
class SqlDatabaseTest extends DurableContract {
  private static int n;

  @Override
  protected String freshUri(String options) {
    // Options of sql databases come from system properties; the tests that use them pass.
    for (String name : new String[] {"indexThreshold", "backpressure", "cacheBytes", "cacheDatoms", "batch", "gcRetention"}) {
      System.clearProperty("accrete." + name);
    }
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
