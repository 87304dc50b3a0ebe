package io.accrete.tx;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.DbFunction;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.Util;
import io.accrete.edn.Edn;
import io.accrete.testing.TestData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Database functions ({@code #db/fn}, Java source kept in the database), as Datomic's. */
class DatabaseFunctionTest {
  private static final String SCHEMA = "[{:db/ident :acct/id :db/valueType :db.type/string"
      + " :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
      + " {:db/ident :acct/balance :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  private static final String TRANSFER = "{:db/ident :acct/transfer :db/fn #db/fn {:lang \"java\""
      + " :params [db from to amount]"
      + " :code \"Database d = (Database) db;"
      + " long a = (Long) d.entity(from).get(\\\":acct/balance\\\");"
      + " long b = (Long) d.entity(to).get(\\\":acct/balance\\\");"
      + " long n = (Long) amount;"
      + " if (a < n) { throw new IllegalStateException(\\\"insufficient funds\\\"); }"
      + " return list(list(\\\":db/add\\\", from, \\\":acct/balance\\\", a - n),"
      + " list(\\\":db/add\\\", to, \\\":acct/balance\\\", b + n));\"}}";

  private static Connection bank() {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact(SCHEMA).join();
    c.transact("[{:acct/id \"a\" :acct/balance 100} {:acct/id \"b\" :acct/balance 5}]").join();
    c.transact("[" + TRANSFER + "]").join();
    return c;
  }

  private static long balance(Database db, String id) {
    return (Long) db.entity(List.of(Keyword.intern(":acct/id"), id)).get(":acct/balance");
  }

  @Test
  void aFunctionStoredInTheDatabaseRunsInTransactions() {
    Connection c = bank();
    c.transact("[[:acct/transfer [:acct/id \"a\"] [:acct/id \"b\"] 30]]").join();
    assertEquals(70, balance(c.db(), "a"));
    assertEquals(35, balance(c.db(), "b"));
    CompletionException e = assertThrows(CompletionException.class,
        () -> c.transact("[[:acct/transfer [:acct/id \"a\"] [:acct/id \"b\"] 500]]").join());
    assertTrue(e.getCause().getMessage().contains("insufficient funds"), e.getCause().getMessage());
    assertEquals(70, balance(c.db(), "a"), "a failed call changes nothing");
  }

  @Test
  void itIsAValueThatPrintsReadsAndTravelsInTime() {
    Connection c = bank();
    Database db = c.db();
    Object fn = Peer.q("[:find ?f . :where [?e :db/ident :acct/transfer] [?e :db/fn ?f]]", db);
    assertTrue(fn instanceof DbFunction, String.valueOf(fn));
    String printed = Edn.print(fn);
    assertTrue(printed.startsWith("#db/fn {:lang \"java\""), printed);
    assertEquals(fn, Util.read(printed), "reads back equal");
    assertNull(Peer.q("[:find ?f . :where [?e :db/ident :acct/transfer] [?e :db/fn ?f]]",
        db.asOf(db.basisT() - 1)), "not there before it was installed");
  }

  @Test
  void invokedDirectlyThroughTheDatabaseOrPeer() {
    Connection c = bank();
    Object ops = c.db().invoke(Keyword.intern(":acct/transfer"), c.db(), List.of(Keyword.intern(":acct/id"), "a"),
        List.of(Keyword.intern(":acct/id"), "b"), 1L);
    assertEquals(2, ((List<?>) ops).size());
    DbFunction plus = Peer.function(Map.of(Keyword.intern(":lang"), "java",
        Keyword.intern(":params"), Util.read("[x y]"), Keyword.intern(":code"), "return (Long) x + (Long) y;"));
    assertEquals(5L, plus.invoke(2L, 3L));
    AccreteException arity = assertThrows(AccreteException.class, () -> plus.invoke(1L));
    assertTrue(arity.getMessage().contains("takes 2"), arity.getMessage());
  }

  @Test
  void badDefinitionsAreNamed() {
    AccreteException lang = assertThrows(AccreteException.class,
        () -> Util.read("#db/fn {:lang \"clojure\" :params [x] :code \"(inc x)\"}"));
    assertTrue(lang.getMessage().contains("java"), lang.getMessage());
    DbFunction broken = (DbFunction) Util.read("#db/fn {:lang \"java\" :params [x] :code \"return x +;\"}");
    AccreteException compile = assertThrows(AccreteException.class, () -> broken.invoke(1L));
    assertTrue(compile.getMessage().contains("does not compile"), compile.getMessage());
    Connection c = bank();
    assertThrows(CompletionException.class, () -> c.transact("[[:acct/id 1 2]]").join(), "an attribute is not a function");
  }
}
