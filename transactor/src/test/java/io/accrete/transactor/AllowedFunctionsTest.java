package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Keyword;
import io.accrete.Peer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A network transactor runs only the static methods its operator allows: transaction data from
 * any peer could otherwise name any public static method on its classpath. Database functions
 * (#db/fn) are installed data and always run.
 */
class AllowedFunctionsTest {
  /** A transaction function and a predicate a test peer names. */
  public static final class Fns {
    private Fns() {}

    public static List<Object> touch(Object db, Object name) {
      return List.of(List.of(":db/add", "t", ":f/name", name));
    }

    public static boolean shortName(Object v) {
      return v instanceof String s && s.length() < 10;
    }
  }

  private static final String SCHEMA = "[{:db/ident :f/name :db/valueType :db.type/string"
      + " :db/cardinality :db.cardinality/one}"
      + " {:db/ident :f/short :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
      + " :db.attr/preds io.accrete.transactor.AllowedFunctionsTest$Fns/shortName}"
      + " {:db/ident :f/touch :db/fn io.accrete.transactor.AllowedFunctionsTest$Fns/touch}"
      + " {:db/ident :f/installed :db/fn #db/fn {:lang \"java\" :params [db n]"
      + " :code \"return list(map(read(\\\":db/id\\\"), \\\"i\\\", read(\\\":f/name\\\"), n));\"}}]";

  private static AccreteException refusal(Connection c, String tx) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> c.transact(tx).get(30, TimeUnit.SECONDS));
    return (AccreteException) e.getCause();
  }

  @Test
  void staticMethodsRunOnlyWhenTheOperatorAllowsThem() throws Exception {
    String uri = "accrete:sql://fns-" + System.nanoTime() + "?" + TestTransactor.url(); // the default options
    assertTrue(Peer.createDatabase(uri));
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).get(30, TimeUnit.SECONDS);
    for (String tx : new String[] {"[[io.accrete.transactor.AllowedFunctionsTest$Fns/touch \"x\"]]",
        "[[:f/touch \"x\"]]", "[{:f/short \"ok\"}]"}) {
      AccreteException e = refusal(c, tx);
      assertEquals(Keyword.of("db.error", "fn-not-allowed"), e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("--allow-fn"), e.getMessage());
    }
    c.transact("[[:f/installed \"from the database\"]]").get(30, TimeUnit.SECONDS);
    assertEquals("from the database", Peer.q("[:find ?n . :where [_ :f/name ?n]]", c.db()));
    Peer.deleteDatabase(uri);
  }

  @Test
  void allowedPatternsLetThemRun() throws Exception {
    String storage = TestTransactor.freshStorage("fns");
    Transactor t = Transactor.start(Transactor.Options.of(storage, "127.0.0.1", 0, System.out)
        .withAllowedFunctions(List.of("io.accrete.transactor.AllowedFunctionsTest$Fns/*")));
    try {
      t.activated().get(30, TimeUnit.SECONDS);
      String uri = "accrete:sql://fns?" + storage;
      assertTrue(Peer.createDatabase(uri));
      Connection c = Peer.connect(uri);
      c.transact(SCHEMA).get(30, TimeUnit.SECONDS);
      c.transact("[[:f/touch \"y\"] {:f/short \"ok\"}]").get(30, TimeUnit.SECONDS);
      assertEquals("y", Peer.q("[:find ?n . :where [_ :f/name ?n]]", c.db()));
      AccreteException longName = refusal(c, "[{:f/short \"far too long a name\"}]");
      assertTrue(longName.getMessage().contains("shortName"), longName.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> Transactor.Options.of(storage, "127.0.0.1", 0, System.out).withAllowedFunctions(List.of("not a pattern")));
      c.release();
    } finally {
      t.close();
    }
  }
}
