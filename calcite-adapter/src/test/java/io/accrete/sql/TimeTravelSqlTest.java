package io.accrete.sql;

import static io.accrete.sql.SqlSupport.bag;
import static io.accrete.sql.SqlSupport.fails;
import static io.accrete.sql.SqlSupport.norm;
import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.schema.Ids;
import io.accrete.testing.TestData;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Time travel in SQL against Datalog on the same moments: a stock table updated, retracted and
 * extended over 60 transactions an hour apart, each signed with {@code :audit/user}.
 */
class TimeTravelSqlTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static Connection conn;
  /** t of every transaction after the schema, in order. */
  static final List<Long> ts = new ArrayList<>();
  static final List<Instant> instants = new ArrayList<>();

  @BeforeAll
  static void load() {
    conn = Peer.connect(TestData.freshUri());
    conn.transact("[{:db/ident :stock/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
        + "  :db/unique :db.unique/identity}"
        + " {:db/ident :stock/count :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
        + " {:db/ident :stock/location :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
        + " {:db/ident :audit/user :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
        + " {:db/id \"datomic.tx\" :db/txInstant #inst \"" + START + "\"}]").join();
    Random rnd = new Random(7);
    for (int k = 1; k <= 60; k++) {
      Instant at = START.plusSeconds(3600L * k);
      StringBuilder tx = new StringBuilder("[{:db/id \"datomic.tx\" :db/txInstant #inst \"" + at
          + "\" :audit/user \"u" + (k % 4) + "\"}");
      if (k == 1) {
        for (int i = 0; i < 20; i++) {
          tx.append(" {:stock/sku \"s").append(i).append("\" :stock/count ").append(rnd.nextInt(50))
              .append(" :stock/location \"bin-").append(i % 5).append("\"}");
        }
      } else {
        for (int j = 0; j < 3; j++) {
          int i = rnd.nextInt(25);
          switch (rnd.nextInt(6)) {
            case 0 -> tx.append(" [:db/retract [:stock/sku \"s").append(i).append("\"] :stock/location]");
            case 1 -> tx.append(" [:db/retractEntity [:stock/sku \"s").append(i).append("\"]]");
            default -> tx.append(" {:stock/sku \"s").append(i).append("\" :stock/count ").append(rnd.nextInt(200)).append('}');
          }
        }
      }
      tx.append(']');
      try {
        ts.add(conn.transact(tx.toString()).join().dbAfter().basisT());
        instants.add(at);
      } catch (java.util.concurrent.CompletionException e) {
        // A retraction of an entity that is not there yet fails by design: skip that moment.
        if (!(e.getCause() instanceof io.accrete.AccreteException)) {
          throw e;
        }
      }
    }
    assertTrue(ts.size() > 40, "most transactions apply: " + ts.size());
  }

  static Collection<List<Object>> q(String query, Object... inputs) {
    @SuppressWarnings("unchecked")
    Collection<List<Object>> r = (Collection<List<Object>>) Peer.q(query, inputs);
    return r;
  }

  /** The stock rows of a database value, read with Datalog and the entity API. */
  static List<List<Object>> stock(Database db) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> r : q("[:find ?e :where (or [?e :stock/sku] [?e :stock/count] [?e :stock/location])]", db)) {
      io.accrete.Entity e = db.entity(r.get(0));
      out.add(row(e.get(Keyword.of("stock", "sku")), e.get(Keyword.of("stock", "count")),
          e.get(Keyword.of("stock", "location"))));
    }
    return out;
  }

  static final String STOCK = "SELECT sku, \"count\", location FROM stock ";

  @Test
  void asOfEveryT() throws Exception {
    Database now = conn.db();
    try (java.sql.Connection c = sql(conn)) {
      int changed = 0;
      List<List<Object>> previous = null;
      for (long t : ts) {
        List<List<Object>> expected = stock(now.asOf(t));
        assertEquals(bag(expected), bag(rows(c, STOCK + "FOR SYSTEM_TIME AS OF T(" + t + ")")), "t " + t);
        assertEquals(bag(expected), bag(rows(c, STOCK + "FOR SYSTEM_TIME AS OF T(CAST(? AS BIGINT))", t)), "T(?) " + t);
        assertEquals(bag(expected), bag(rows(c, STOCK + "FOR SYSTEM_TIME AS OF T(" + Ids.toTx(t) + ")")),
            "a tx id works as well as a t");
        if (previous != null && !bag(previous).equals(bag(expected))) {
          changed++;
        }
        previous = expected;
      }
      assertTrue(changed > 30, "the moments differ: " + changed);
    }
  }

  @Test
  void asOfTimestampsBetweenAndAtTransactions() throws Exception {
    Database now = conn.db();
    try (java.sql.Connection c = sql(conn)) {
      for (int i = 0; i < ts.size(); i += 3) {
        Instant at = instants.get(i);
        for (Instant x : List.of(at, at.plusSeconds(1800))) {
          List<List<Object>> expected = stock(now.asOf(Date.from(x)));
          String literal = x.toString().replace("T", " ").replace("Z", "");
          assertEquals(bag(expected), bag(rows(c, STOCK + "FOR SYSTEM_TIME AS OF TIMESTAMP '" + literal + "'")), literal);
          assertEquals(bag(expected), bag(rows(c, STOCK + "FOR SYSTEM_TIME AS OF CAST(? AS TIMESTAMP)",
              Timestamp.from(x))), "parameter " + literal);
        }
      }
    }
  }

  @Test
  void oneStatementJoinsNowWithThen() throws Exception {
    Database now = conn.db();
    long then = ts.get(ts.size() / 2);
    Collection<List<Object>> expected = q("[:find ?sku ?old ?new :in $ $then :where [$then ?e :stock/count ?old]"
        + " [$ ?e :stock/count ?new] [(not= ?old ?new)] [$ ?e :stock/sku ?sku]]", now, now.asOf(then));
    assertTrue(!expected.isEmpty());
    try (java.sql.Connection c = sql(conn)) {
      assertEquals(bag(expected), bag(rows(c, "SELECT n.sku, o.\"count\", n.\"count\" FROM stock n"
          + " JOIN stock FOR SYSTEM_TIME AS OF T(" + then + ") AS o ON o.db__id = n.db__id"
          + " WHERE o.\"count\" <> n.\"count\"")));
    }
  }

  @Test
  void sinceShowsOnlyLaterDatoms() throws Exception {
    Database now = conn.db();
    long t = ts.get(ts.size() - 10);
    Collection<List<Object>> expected = q("[:find ?e ?c :where [?e :stock/count ?c]]", now.since(t));
    assertTrue(!expected.isEmpty());
    try (java.sql.Connection c = sql(conn)) {
      assertEquals(bag(expected), bag(rows(c,
          "SELECT db__id, \"count\" FROM stock FOR SYSTEM_TIME AS OF SINCE(" + t + ") WHERE \"count\" IS NOT NULL")));
      Instant at = instants.get(ts.size() - 10);
      Collection<List<Object>> byInstant = q("[:find ?e ?c :where [?e :stock/count ?c]]", now.since(Date.from(at)));
      assertEquals(bag(byInstant), bag(rows(c, "SELECT db__id, \"count\" FROM stock FOR SYSTEM_TIME AS OF"
          + " SINCE(TIMESTAMP '" + at.toString().replace("T", " ").replace("Z", "") + "') WHERE \"count\" IS NOT NULL")));
    }
  }

  @Test
  void connectionPropertiesSetTheMomentForEveryStatement() throws Exception {
    Database now = conn.db();
    long t = ts.get(5);
    List<List<Object>> expected = stock(now.asOf(t));
    for (String point : List.of(String.valueOf(t), String.valueOf(Ids.toTx(t)), instants.get(5).toString())) {
      try (java.sql.Connection c = sql(conn, "asOf", point)) {
        assertEquals(bag(expected), bag(rows(c, STOCK)), "asOf=" + point);
        long later = ts.get(20);
        assertEquals(bag(stock(now.asOf(later))), bag(rows(c, STOCK + "FOR SYSTEM_TIME AS OF T(" + later + ")")),
            "a table's own AS OF wins over the connection's");
      }
    }
    long s = ts.get(ts.size() - 5);
    try (java.sql.Connection c = sql(conn, "since", String.valueOf(s))) {
      assertEquals(bag(q("[:find ?e ?c :where [?e :stock/count ?c]]", now.since(s))),
          bag(rows(c, "SELECT db__id, \"count\" FROM stock WHERE \"count\" IS NOT NULL")));
    }
    try (java.sql.Connection c = sql(conn, "history", "true")) {
      Collection<List<Object>> retracted = q("[:find ?e ?v ?tx :where [?e :stock/count ?v ?tx false]]", now.history());
      assertTrue(!retracted.isEmpty());
      List<List<Object>> got = new ArrayList<>();
      for (List<Object> r : rows(c, "SELECT e, v, tx FROM datoms WHERE a = ':stock/count' AND added = false")) {
        got.add(row(r.get(0), Long.parseLong((String) r.get(1)), r.get(2)));
      }
      assertEquals(bag(retracted), bag(got));
    }
  }

  @Test
  void theAuditStory() throws Exception {
    Connection x = Peer.connect(TestData.freshUri());
    x.transact("[{:db/ident :inv/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
        + " :db/unique :db.unique/identity}"
        + " {:db/ident :inv/count :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
        + " {:db/ident :audit/user :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
        + " {:db/id \"datomic.tx\" :db/txInstant #inst \"2026-05-01T08:00:00Z\"}]").join();
    x.transact("[{:inv/sku \"W-1\" :inv/count 7}"
        + " {:db/id \"datomic.tx\" :db/txInstant #inst \"2026-05-01T09:00:00Z\" :audit/user \"ann\"}]").join();
    x.transact("[{:inv/sku \"W-1\" :inv/count 100}"
        + " {:db/id \"datomic.tx\" :db/txInstant #inst \"2026-05-01T13:00:00Z\" :audit/user \"bob\"}]").join();
    try (java.sql.Connection c = sql(x)) {
      assertEquals(List.of(row(7L)), rows(c, "SELECT \"count\" FROM inv FOR SYSTEM_TIME AS OF"
          + " TIMESTAMP '2026-05-01 11:00:00' WHERE sku = 'W-1'"), "what we believed at 11:00");
      assertEquals(List.of(row(100L)), rows(c, "SELECT \"count\" FROM inv WHERE sku = 'W-1'"));
      List<List<Object>> who = rows(c, "SELECT h.\"value\", h.added, a.\"user\", t.tx_instant"
          + " FROM inv__history h JOIN audit a ON a.db__id = h.tx JOIN transactions t ON t.tx = h.tx"
          + " WHERE h.attribute = ':inv/count' ORDER BY t.tx_instant, h.added");
      assertEquals(List.of(
          row("7", true, "ann", Instant.parse("2026-05-01T09:00:00Z").toEpochMilli()),
          row("7", false, "bob", Instant.parse("2026-05-01T13:00:00Z").toEpochMilli()),
          row("100", true, "bob", Instant.parse("2026-05-01T13:00:00Z").toEpochMilli())), who);
      Collection<List<Object>> datalog = q("[:find ?v ?added ?user :where [?e :inv/count ?v ?tx ?added]"
          + " [?tx :audit/user ?user]]", x.db().history());
      List<List<Object>> sqlSide = new ArrayList<>();
      for (List<Object> r : who) {
        sqlSide.add(row(Long.parseLong((String) r.get(0)), r.get(1), r.get(2)));
      }
      assertEquals(bag(datalog), bag(sqlSide));
    }
  }

  @Test
  void statementAndConnectionBases() throws Exception {
    Connection x = Peer.connect(TestData.freshUri());
    x.transact("[{:db/ident :n/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    x.transact("[{:n/v 1}]").join();
    try (java.sql.Connection perStatement = sql(x); java.sql.Connection pinned = sql(x, "basis", "connection")) {
      assertEquals(List.of(row(1L)), rows(pinned, "SELECT count(*) FROM n"));
      x.transact("[{:n/v 2}]").join();
      assertEquals(List.of(row(2L)), rows(perStatement, "SELECT count(*) FROM n"));
      assertEquals(List.of(row(1L)), rows(pinned, "SELECT count(*) FROM n"), "the report's basis holds");
      // Inside one statement every scan reads the same value, whatever commits meanwhile.
      List<List<Object>> self = rows(perStatement, "SELECT a.v, b.v FROM n a JOIN n b ON a.db__id = b.db__id");
      assertEquals(2, self.size());
    }
  }

  /** Each scan of a statement reads the statement's one value while a writer commits all along. */
  @Test
  void everyScanOfAStatementReadsOneValue() throws Exception {
    Connection x = Peer.connect(TestData.freshUri());
    x.transact("[{:db/ident :n/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread writer = new Thread(() -> {
      for (long i = 0; !stop.get(); i++) {
        x.transact("[{:n/v " + i + "}]").join();
        java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a steady writer, not a flood
      }
    });
    writer.start();
    try (java.sql.Connection c = sql(x)) {
      int grew = 0;
      long last = -1;
      for (int i = 0; i < 300; i++) {
        List<Object> r = rows(c, "SELECT (SELECT count(*) FROM n), (SELECT count(*) FROM n a JOIN n b"
            + " ON a.db__id = b.db__id), (SELECT count(*) FROM n)").get(0);
        assertEquals(r.get(0), r.get(1), "one statement, one value: " + r);
        assertEquals(r.get(0), r.get(2), "one statement, one value: " + r);
        grew += (Long) r.get(0) > last ? 1 : 0;
        last = (Long) r.get(0);
      }
      assertTrue(grew > 10, "the writer committed while the statements ran (" + grew + " of 300 saw new rows)");
    } finally {
      stop.set(true);
      writer.join();
    }
  }

  @Test
  void badMomentsAreClearErrors() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      fails(c, STOCK + "FOR SYSTEM_TIME AS OF TIMESTAMP '2020-01-01 00:00:00'",
          "2020-01-01T00:00:00Z is before the database's first transaction (2026-01-01T00:00:00Z)", "stock");
      fails(c, STOCK + "FOR SYSTEM_TIME AS OF TIMESTAMP '2999-01-01 00:00:00'", "is in the future");
      long beyond = conn.db().basisT() + 1000;
      fails(c, STOCK + "FOR SYSTEM_TIME AS OF T(" + beyond + ")", beyond + " is no t or transaction id",
          "latest t is " + conn.db().basisT());
      fails(c, STOCK + "FOR SYSTEM_TIME AS OF 'yesterday'", "line 1, column");
      fails(c, STOCK + "FOR SYSTEM_TIME AS OF T(\"count\")", "FOR SYSTEM_TIME AS OF on stock needs");
      // Raised while rows are read: Calcite's result set passes it through unwrapped (the JDBC
      // driver of issue 6 turns such errors into SQLExceptions).
      Exception outside = assertThrows(Exception.class, () -> rows(c, "SELECT T(5)"));
      assertTrue(SqlSupport.messages(outside).contains("T(5) names a moment only inside FOR SYSTEM_TIME AS OF"));
    }
    AccreteSqlException e = assertThrows(AccreteSqlException.class, () -> sql(conn, "asOf", "last tuesday"));
    assertTrue(e.getMessage().contains("asOf must be a t, a transaction id or an ISO-8601 instant"), e.getMessage());
    assertThrows(AccreteSqlException.class, () -> sql(conn, "history", "maybe"));
    assertThrows(AccreteSqlException.class, () -> sql(conn, "basis", "report"));
    assertNotEquals(0, ts.size());
  }

}
