package io.accrete.sql;

import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SQL that writes: CREATE TABLE, INSERT, UPDATE and DELETE become transactions whose datoms
 * Datalog sees and {@code AS OF} reads in the past; SQL transactions see their own writes and
 * commit or roll back as one; failures carry PostgreSQL's SQLSTATE and write nothing.
 */
class SqlWriteTest {
  private Connection conn;
  private java.sql.Connection sql;

  @BeforeEach
  void open() throws Exception {
    conn = Peer.connect(TestData.freshUri());
    sql = SqlSupport.sql(conn);
  }

  private int update(String statement) throws SQLException {
    try (Statement s = sql.createStatement()) {
      return s.executeUpdate(statement);
    }
  }

  private SQLException failsWith(String state, String statement) {
    SQLException e = assertThrows(SQLException.class, () -> update(statement), statement);
    assertEquals(state, stateOf(e), statement + ": " + SqlSupport.messages(e));
    return e;
  }

  static String stateOf(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AccreteSqlException a && a.sqlState() != null) {
        return a.sqlState();
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  @Test
  void createInsertSelectUpdateDelete() throws Exception {
    update("CREATE TABLE t1(a INTEGER, b INTEGER, c TEXT, d FLOAT)");
    assertEquals(1, update("INSERT INTO t1(c, a) VALUES('x', 1)"));
    assertEquals(2, update("INSERT INTO t1 VALUES(2, 20, 'y', 2.5), (3, NULL, NULL, NULL)"));
    assertEquals(1, update("INSERT INTO t1 VALUES(NULL, NULL, NULL, NULL)"));
    assertEquals(List.of(row(4L)), rows(sql, "SELECT count(*) FROM t1"), "an all-NULL row is a row");
    assertEquals(List.of(row(1L, null, "x", null), row(2L, 20L, "y", 2.5), row(3L, null, null, null),
        row(null, null, null, null)), rows(sql, "SELECT * FROM t1 ORDER BY a NULLS LAST"));
    assertEquals(2, update("UPDATE t1 SET b = a * 10, c = 'z' WHERE a >= 2"));
    assertEquals(List.of(row(1L, null, "x"), row(2L, 20L, "z"), row(3L, 30L, "z")),
        rows(sql, "SELECT a, b, c FROM t1 WHERE a IS NOT NULL ORDER BY a"));
    assertEquals(1, update("UPDATE t1 SET c = NULL WHERE a = 1"));
    assertEquals(List.of(row((Object) null)), rows(sql, "SELECT c FROM t1 WHERE a = 1"));
    assertEquals(2, update("DELETE FROM t1 WHERE a < 3"));
    assertEquals(List.of(row(3L), row((Object) null)), rows(sql, "SELECT a FROM t1 ORDER BY a NULLS LAST"));

    // The rows are datoms: Datalog sees them, and the past is still there.
    Database db = conn.db();
    assertEquals(Set.of(3L), longs(Peer.q("[:find [?a ...] :where [?e :t1/a ?a]]", db)));
    long before = (Long) rows(sql, "SELECT max(t) FROM transactions").get(0).get(0) - 2;
    assertEquals(List.of(row(4L)), rows(sql, "SELECT count(*) FROM t1 FOR SYSTEM_TIME AS OF T(" + before + ")"));
  }

  /** A thousand rows whose values need casts (1.25 into a DOUBLE) in one INSERT: one VALUES, not a deep union. */
  @Test
  void aThousandRowInsert() throws Exception {
    update("CREATE TABLE many (id INTEGER PRIMARY KEY, x DOUBLE PRECISION, s VARCHAR(10))");
    StringBuilder b = new StringBuilder("INSERT INTO many VALUES ");
    for (int i = 0; i < 1000; i++) {
      b.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(i).append(".25, 'r").append(i).append("')");
    }
    assertEquals(1000, update(b.toString()));
    assertEquals(List.of(row(1000L, 499500.0 + 1000 * 0.25)), rows(sql, "SELECT count(*), sum(x) FROM many"));
  }

  @Test
  void keysNotNullDefaultsAndTypes() throws Exception {
    update("CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(5) NOT NULL, price NUMERIC(8,2) DEFAULT 1.5,"
        + " ok BOOLEAN DEFAULT TRUE)");
    update("INSERT INTO item (id, name) VALUES (1, 'pen')");
    assertEquals(List.of(row(1L, "pen", new java.math.BigDecimal("1.50"), true)), rows(sql, "SELECT * FROM item"));
    failsWith("23505", "INSERT INTO item (id, name) VALUES (1, 'ink')");
    failsWith("23502", "INSERT INTO item (id) VALUES (2)");
    failsWith("22001", "INSERT INTO item (id, name) VALUES (3, 'toolong')");
    failsWith("23502", "UPDATE item SET name = NULL");
    update("UPDATE item SET price = 2.3");
    assertEquals(List.of(row(new java.math.BigDecimal("2.30"))), rows(sql, "SELECT price FROM item"));
    failsWith("42P07", "CREATE TABLE item (x INTEGER)");
    update("CREATE TABLE IF NOT EXISTS item (x INTEGER)");
    failsWith("42P01", "DROP TABLE nothing");
    sql.setReadOnly(true);
    failsWith("25006", "INSERT INTO item (id, name) VALUES (9, 'x')");
    failsWith("25006", "DROP TABLE item");
    sql.setReadOnly(false);
    update("DROP TABLE IF EXISTS nothing");
    assertEquals(List.of(row(1L)), rows(sql, "SELECT count(*) FROM item"), "failed statements wrote nothing");
  }

  @Test
  void dropTableKeepsThePastAndFreesTheName() throws Exception {
    update("CREATE TABLE d (a INTEGER)");
    update("INSERT INTO d VALUES (1), (2)");
    long t = conn.db().basisT();
    long e = (Long) ((Collection<?>) Peer.q("[:find [?e ...] :where [?e :d/a 1]]", conn.db())).iterator().next();
    update("DROP TABLE d");
    SqlSupport.fails(sql, "SELECT * FROM d", "not found");
    assertFalse(conn.db().datoms(io.accrete.Keyword.of(null, "eavt"), e).iterator().hasNext(), "rows retracted");
    assertTrue(conn.db().asOf(t).datoms(io.accrete.Keyword.of(null, "eavt"), e).iterator().hasNext(),
        "the dropped rows are in the past");
    update("CREATE TABLE d (a TEXT)");
    update("INSERT INTO d VALUES ('x')");
    assertEquals(List.of(row("x")), rows(sql, "SELECT a FROM d"));
    // The dropped table is still there in the past, under its name, beside the new one.
    assertEquals(List.of(row(1L), row(2L)), rows(sql, "SELECT a FROM d FOR SYSTEM_TIME AS OF T(" + t + ") ORDER BY a"));
    java.util.Properties asOf = new java.util.Properties();
    asOf.setProperty("asOf", String.valueOf(t));
    try (java.sql.Connection past = AccreteSql.connect(conn, asOf)) {
      assertEquals(List.of(row(1L), row(2L)), rows(past, "SELECT a FROM d ORDER BY a"));
    }
  }

  /** PostgreSQL's UPDATE … FROM: the target's rows that the FROM list joins take values from it. */
  @Test
  void updateFrom() throws Exception {
    update("CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER, note TEXT)");
    update("CREATE TABLE delivery (sku TEXT, amount INTEGER, who TEXT)");
    update("INSERT INTO stock VALUES ('a', 1, NULL), ('b', 2, NULL), ('c', 3, NULL)");
    update("INSERT INTO delivery VALUES ('a', 10, 'x'), ('c', 30, 'y'), ('z', 99, 'w')");
    assertEquals(2, update("UPDATE stock AS s SET qty = s.qty + d.amount, note = 'from ' || d.who FROM delivery d"
        + " WHERE d.sku = s.sku"));
    assertEquals(List.of(row("a", 11L, "from x"), row("b", 2L, null), row("c", 33L, "from y")),
        rows(sql, "SELECT sku, qty, note FROM stock ORDER BY sku"));
    assertEquals(1, update("UPDATE stock SET note = delivery.who FROM delivery WHERE delivery.sku = stock.sku"
        + " AND delivery.amount > 20"));
    assertEquals(List.of(row("c", "y")), rows(sql, "SELECT sku, note FROM stock WHERE note = 'y'"));
    update("INSERT INTO delivery VALUES ('a', 5, 'v')");
    // PostgreSQL would take either delivery row; here the statement fails and writes nothing.
    SQLException twice = assertThrows(SQLException.class,
        () -> update("UPDATE stock SET qty = d.amount FROM delivery d WHERE d.sku = stock.sku"));
    assertEquals("21000", SqlErrors.classify(twice)[0], SqlSupport.messages(twice));
    assertEquals(List.of(row(11L)), rows(sql, "SELECT qty FROM stock WHERE sku = 'a'"), "nothing half-written");
  }

  @Test
  void alterTable() throws Exception {
    update("CREATE TABLE a1 (x INTEGER, y TEXT)");
    update("INSERT INTO a1 VALUES (1, 'one'), (2, NULL)");
    update("ALTER TABLE a1 ADD COLUMN z BOOLEAN");
    assertEquals(List.of(row(1L, "one", null), row(2L, null, null)), rows(sql, "SELECT * FROM a1 ORDER BY x"));
    update("ALTER TABLE a1 RENAME COLUMN y TO label");
    update("UPDATE a1 SET z = TRUE, label = 'two' WHERE x = 2");
    assertEquals(List.of(row(2L, "two", true)), rows(sql, "SELECT x, label, z FROM a1 WHERE z"));
    failsWith("23502", "ALTER TABLE a1 ADD COLUMN w INTEGER NOT NULL");
    // As in PostgreSQL, a DEFAULT fills the rows already there, and lets NOT NULL be added; an
    // identity column numbers them.
    update("ALTER TABLE a1 ADD COLUMN w NUMERIC(5,2) NOT NULL DEFAULT 1.5 * 2");
    update("ALTER TABLE a1 ADD COLUMN n BIGINT GENERATED BY DEFAULT AS IDENTITY");
    assertEquals(List.of(row(1L, new java.math.BigDecimal("3.00"), 1L), row(2L, new java.math.BigDecimal("3.00"), 2L)),
        rows(sql, "SELECT x, w, n FROM a1 ORDER BY x"));
    update("INSERT INTO a1 (x, label) VALUES (9, 'nine')");
    assertEquals(List.of(row(new java.math.BigDecimal("3.00"), 3L)), rows(sql, "SELECT w, n FROM a1 WHERE x = 9"));
    update("DELETE FROM a1 WHERE x = 9");
    update("ALTER TABLE a1 DROP COLUMN w");
    update("ALTER TABLE a1 DROP COLUMN n");
    update("ALTER TABLE a1 ALTER COLUMN label SET NOT NULL");
    failsWith("23502", "INSERT INTO a1 (x) VALUES (3)");
    update("ALTER TABLE a1 ALTER COLUMN label DROP NOT NULL");
    update("ALTER TABLE a1 ALTER COLUMN label SET DEFAULT 'none'");
    update("INSERT INTO a1 (x) VALUES (3)");
    assertEquals(List.of(row("none")), rows(sql, "SELECT label FROM a1 WHERE x = 3"));
    update("ALTER TABLE a1 DROP COLUMN z");
    assertEquals(List.of(row(1L, "one"), row(2L, "two"), row(3L, "none")), rows(sql, "SELECT * FROM a1 ORDER BY x"));
    failsWith("42703", "ALTER TABLE a1 DROP COLUMN z");
    update("ALTER TABLE a1 DROP COLUMN IF EXISTS z");
    update("ALTER TABLE a1 RENAME TO a2");
    SqlSupport.fails(sql, "SELECT * FROM a1", "not found");
    assertEquals(List.of(row(3L)), rows(sql, "SELECT count(*) FROM a2"));
    assertEquals(Set.of(1L, 2L, 3L), longs(Peer.q("[:find [?x ...] :where [_ :a2/x ?x]]", conn.db())));
  }

  @Test
  void identityColumnsNumberTheirRows() throws Exception {
    update("CREATE TABLE p (id SERIAL PRIMARY KEY, name TEXT)");
    update("CREATE TABLE q (id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1), v INTEGER)");
    update("INSERT INTO p (name) VALUES ('a'), ('b')");
    assertEquals(List.of(row(1L, "a"), row(2L, "b")), rows(sql, "SELECT id, name FROM p ORDER BY id"));
    assertEquals(List.of(java.util.Map.of("id", 1L), java.util.Map.of("id", 2L)), AccreteSql.generatedKeys(sql));
    update("INSERT INTO p (id, name) VALUES (10, 'c')"); // BY DEFAULT: a value given is kept
    update("INSERT INTO q (v) VALUES (7)");
    assertEquals(List.of(row(1L, 7L)), rows(sql, "SELECT id, v FROM q"));
    try (java.sql.Connection other = SqlSupport.sql(conn)) {
      try (Statement s = other.createStatement()) {
        s.executeUpdate("INSERT INTO p (name) VALUES ('from another connection')");
      }
    }
    update("INSERT INTO p (name) VALUES ('d')");
    List<List<Object>> ids = rows(sql, "SELECT id FROM p ORDER BY id");
    assertEquals(5, ids.size());
    assertEquals(5, new java.util.HashSet<>(ids).size(), "no number is handed out twice: " + ids);
    assertEquals(List.of(row(3L)), rows(sql, "SELECT id FROM p WHERE name = 'd'"),
        "a connection numbers from the block it took");
  }

  @Test
  void checksAndForeignKeysAreEnforced() throws Exception {
    update("CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT CHECK (name <> ''))");
    update("CREATE TABLE emp (id INTEGER PRIMARY KEY, dept INTEGER REFERENCES dept, salary INTEGER,"
        + " boss INTEGER REFERENCES emp (id), CHECK (salary BETWEEN 0 AND 1000 OR salary IS NULL))");
    update("INSERT INTO dept VALUES (1, 'ops'), (2, 'dev')");
    failsWith("23514", "INSERT INTO dept VALUES (3, '')");
    update("INSERT INTO emp VALUES (10, 1, 100, NULL), (11, 1, 200, 10)"); // a row may reference one of its statement
    failsWith("23503", "INSERT INTO emp VALUES (12, 7, 100, NULL)");
    failsWith("23514", "INSERT INTO emp VALUES (12, 2, 5000, NULL)");
    failsWith("23514", "UPDATE emp SET salary = salary * 10 WHERE id = 11");
    update("UPDATE emp SET salary = salary + 1");
    failsWith("23503", "DELETE FROM dept WHERE id = 1");
    failsWith("23503", "UPDATE dept SET id = 5 WHERE id = 1");
    update("DELETE FROM dept WHERE id = 2");
    failsWith("23503", "DELETE FROM emp WHERE id = 10");
    update("DELETE FROM emp WHERE id = 11");
    update("DELETE FROM emp");
    update("DELETE FROM dept");
    assertEquals(List.of(row(0L)), rows(sql, "SELECT count(*) FROM dept"));
    failsWith("42830", "CREATE TABLE bad (x INTEGER REFERENCES emp (salary))");
    failsWith("0A000", "CREATE TABLE bad (x INTEGER CHECK (length(x) > 1))");
  }

  @Test
  void onConflictIsAnUpsert() throws Exception {
    update("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER, n INTEGER DEFAULT 0)");
    assertEquals(2, update("INSERT INTO kv (k, v) VALUES ('a', 1), ('b', 2)"));
    assertEquals(1, update("INSERT INTO kv (k, v) VALUES ('a', 10), ('c', 3) ON CONFLICT DO NOTHING"));
    assertEquals(2, update("INSERT INTO kv (k, v, n) VALUES ('b', 20, 5), ('d', 4, 0)"
        + " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, n = 7"));
    assertEquals(List.of(row("a", 1L, 0L), row("b", 20L, 7L), row("c", 3L, 0L), row("d", 4L, 0L)),
        rows(sql, "SELECT * FROM kv ORDER BY k"));
    assertEquals(1, update("INSERT INTO kv (k, v) VALUES ('e', 1), ('e', 2) ON CONFLICT (k) DO NOTHING"));
    failsWith("21000", "INSERT INTO kv (k, v) VALUES ('f', 1), ('f', 2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v");
    failsWith("42P10", "INSERT INTO kv (k, v) VALUES ('g', 1) ON CONFLICT (v) DO NOTHING");
    assertThrows(SQLException.class, () -> update("INSERT INTO kv (k, nope) VALUES ('a', 1) ON CONFLICT DO NOTHING"));
    failsWith("23505", "INSERT INTO kv (k, v) VALUES ('a', 1)"); // the failed statement's clause is not left behind
    assertEquals(List.of(row(5L)), rows(sql, "SELECT count(*) FROM kv"));
    // The constraint by its name (PostgreSQL's default one here), and an index predicate to infer.
    assertEquals(1, update("INSERT INTO kv (k, v) VALUES ('a', 100) ON CONFLICT ON CONSTRAINT kv_pkey"
        + " DO UPDATE SET v = EXCLUDED.v"));
    assertEquals(0, update("INSERT INTO kv (k, v) VALUES ('a', 5) ON CONFLICT (k) WHERE v > 0 DO NOTHING"));
    assertEquals(List.of(row(100L)), rows(sql, "SELECT v FROM kv WHERE k = 'a'"));
    failsWith("42704", "INSERT INTO kv (k, v) VALUES ('a', 1) ON CONFLICT ON CONSTRAINT nope DO NOTHING");
  }

  @Test
  void keysOfSeveralColumns() throws Exception {
    update("CREATE TABLE pair (a INTEGER, b INTEGER, c TEXT, PRIMARY KEY (a, b), UNIQUE (b, c))");
    update("INSERT INTO pair VALUES (1, 1, 'x'), (1, 2, 'x'), (2, 1, 'y')");
    failsWith("23505", "INSERT INTO pair VALUES (1, 2, 'z')");
    failsWith("23505", "INSERT INTO pair VALUES (3, 3, 'q'), (3, 3, 'r')");
    failsWith("23505", "UPDATE pair SET a = 1 WHERE a = 2");
    failsWith("23505", "INSERT INTO pair VALUES (5, 1, 'x')"); // UNIQUE (b, c)
    update("INSERT INTO pair VALUES (5, 1, NULL), (6, 1, NULL)"); // NULLs conflict with nothing
    assertEquals(List.of(row(5L)), rows(sql, "SELECT count(*) FROM pair"));
  }

  @Test
  void sequences() throws Exception {
    update("CREATE SEQUENCE s START WITH 10 INCREMENT BY 5");
    assertEquals(List.of(row(10L)), rows(sql, "SELECT nextval('s')"));
    assertEquals(List.of(row(15L)), rows(sql, "SELECT nextval('s')"));
    assertEquals(List.of(row(15L)), rows(sql, "SELECT currval('s')"));
    try (java.sql.Connection other = SqlSupport.sql(conn)) {
      // (raw Calcite lets this one escape from ResultSet.next unwrapped; the driver wraps it)
      Exception e = assertThrows(Exception.class, () -> rows(other, "SELECT currval('s')"));
      assertTrue(SqlSupport.messages(e).contains("not yet defined in this session"), SqlSupport.messages(e));
      assertEquals(List.of(row(10L + 32 * 5)), rows(other, "SELECT nextval('s')"), "another connection's block");
    }
    assertEquals(List.of(row(100L)), rows(sql, "SELECT setval('s', 100)"));
    assertEquals(List.of(row(105L)), rows(sql, "SELECT nextval('s')"));
    update("CREATE TABLE seqd (id BIGINT PRIMARY KEY, v TEXT)");
    update("CREATE SEQUENCE IF NOT EXISTS s2");
    update("INSERT INTO seqd VALUES (nextval('s2'), 'a'), (nextval('s2'), 'b')");
    assertEquals(List.of(row(1L, "a"), row(2L, "b")), rows(sql, "SELECT * FROM seqd ORDER BY id"));
    failsWith("42P07", "CREATE SEQUENCE s");
    update("DROP SEQUENCE s");
    failsWith("42P01", "DROP SEQUENCE s");
    update("DROP SEQUENCE IF EXISTS s");
  }

  @Test
  void viewsAreKeptAsData() throws Exception {
    update("CREATE TABLE v1 (a INTEGER, b INTEGER)");
    update("INSERT INTO v1 VALUES (1, 10), (2, 20), (3, 30)");
    update("CREATE VIEW big AS SELECT a, b FROM v1 WHERE b > 15");
    assertEquals(List.of(row(2L), row(3L)), rows(sql, "SELECT a FROM big ORDER BY a"));
    failsWith("42P07", "CREATE VIEW big AS SELECT 1");
    update("DROP VIEW big");
    SqlSupport.fails(sql, "SELECT a FROM big", "not found");
    update("DROP VIEW IF EXISTS big");
  }

  @Test
  void transactionsSeeTheirOwnWritesAndCommitOrRollBackAsOne() throws Exception {
    update("CREATE TABLE acct (id INTEGER PRIMARY KEY, balance INTEGER)");
    update("INSERT INTO acct VALUES (1, 100), (2, 0)");
    sql.setAutoCommit(false);
    update("UPDATE acct SET balance = balance - 30 WHERE id = 1");
    update("UPDATE acct SET balance = balance + 30 WHERE id = 2");
    update("INSERT INTO acct VALUES (3, 5)");
    assertEquals(List.of(row(70L), row(30L), row(5L)), rows(sql, "SELECT balance FROM acct ORDER BY id"),
        "reads inside the transaction see its writes");
    assertEquals(Set.of(100L, 0L), longs(Peer.q("[:find [?b ...] :where [_ :acct/balance ?b]]", conn.db())),
        "nothing is written before commit");
    update("COMMIT");
    assertEquals(Set.of(70L, 30L, 5L), longs(Peer.q("[:find [?b ...] :where [_ :acct/balance ?b]]", conn.db())));

    update("DELETE FROM acct");
    assertEquals(List.of(row(0L)), rows(sql, "SELECT count(*) FROM acct"));
    update("ROLLBACK");
    assertEquals(List.of(row(3L)), rows(sql, "SELECT count(*) FROM acct"));

    update("BEGIN"); // as a migration tool does: DDL first, then data, one COMMIT
    update("CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)");
    update("INSERT INTO audit VALUES (1, 'opened')");
    failsWith("0A000", "CREATE TABLE later (x INTEGER)");
    update("ROLLBACK");
    assertEquals(List.of(row(0L)), rows(sql, "SELECT count(*) FROM audit"), "the table stays, its rows do not");
    update("BEGIN");
    failsWith("23505", "INSERT INTO acct VALUES (1, 1)");
    failsWith("25P02", "UPDATE acct SET balance = 0");
    update("ROLLBACK");
    sql.setAutoCommit(true);
    assertEquals(List.of(row(3L)), rows(sql, "SELECT count(*) FROM acct"));
  }

  @Test
  void edNamespacesTakeSqlWritesToo() throws Exception {
    conn.transact("[{:db/ident :movie/title :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
        + " {:db/ident :movie/genre :db/valueType :db.type/string :db/cardinality :db.cardinality/many}]").get();
    assertEquals(1, update("INSERT INTO movie (title) VALUES ('Alien')"));
    long id = (Long) rows(sql, "SELECT db__id FROM movie").get(0).get(0);
    update("INSERT INTO movie_x_genre VALUES (" + id + ", 'horror'), (" + id + ", 'sf')");
    assertEquals(Set.of("horror", "sf"), new TreeSet<>((Collection<?>) Peer.q(
        "[:find [?g ...] :where [?e :movie/title \"Alien\"] [?e :movie/genre ?g]]", conn.db())));
    update("DELETE FROM movie_x_genre WHERE genre = 'sf'");
    assertEquals(List.of(row("horror")), rows(sql, "SELECT genre FROM movie_x_genre"));
    failsWith("42809", "DELETE FROM transactions");
  }

  private static Set<Long> longs(Object result) {
    Set<Long> out = new TreeSet<>();
    for (Object o : (Collection<?>) result) {
      out.add((Long) o);
    }
    return out;
  }

  /** ALTER TABLE ADD/DROP CONSTRAINT, as ORMs write their foreign keys: checked against the rows there. */
  @Test
  void constraintsAddedAndDroppedByName() throws Exception {
    update("CREATE TABLE author (id BIGINT PRIMARY KEY, name VARCHAR(40))");
    update("CREATE TABLE book (id BIGINT, author_id BIGINT, price NUMERIC(8,2), code TEXT, CONSTRAINT book_pk PRIMARY KEY (id))");
    update("INSERT INTO author VALUES (1, 'Le Guin'), (2, 'Lem')");
    update("INSERT INTO book VALUES (10, 1, 9.50, 'a'), (11, 3, -1, 'a')");
    failsWith("23503", "ALTER TABLE book ADD CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES author");
    failsWith("23514", "ALTER TABLE book ADD CONSTRAINT positive CHECK (price > 0)");
    failsWith("23505", "ALTER TABLE book ADD UNIQUE (code)");
    update("UPDATE book SET author_id = 2, price = 11, code = 'b' WHERE id = 11");
    update("ALTER TABLE IF EXISTS book ADD CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES author");
    update("ALTER TABLE book ADD CONSTRAINT positive CHECK (price > 0)");
    update("ALTER TABLE book ADD UNIQUE (code)");
    failsWith("42710", "ALTER TABLE book ADD CONSTRAINT positive CHECK (price < 100)");
    failsWith("42P16", "ALTER TABLE book ADD PRIMARY KEY (code)");
    // Each is enforced on the next statements.
    failsWith("23503", "INSERT INTO book VALUES (12, 9, 1, 'c')");
    failsWith("23514", "INSERT INTO book VALUES (12, 1, -5, 'c')");
    SQLException dup = failsWith("23505", "INSERT INTO book VALUES (12, 1, 5, 'a')");
    assertTrue(SqlSupport.messages(dup).contains("\"book_code_key\""), SqlSupport.messages(dup));
    failsWith("23503", "DELETE FROM author WHERE id = 1");
    // Dropped by the name given or by PostgreSQL's default name, each stops being enforced.
    update("ALTER TABLE book DROP CONSTRAINT fk_author");
    update("ALTER TABLE book DROP CONSTRAINT positive");
    update("ALTER TABLE book DROP CONSTRAINT book_code_key");
    failsWith("42704", "ALTER TABLE book DROP CONSTRAINT book_code_key");
    update("ALTER TABLE book DROP CONSTRAINT IF EXISTS book_code_key");
    assertEquals(1, update("INSERT INTO book VALUES (12, 9, -5, 'a')"));
    SQLException pk = failsWith("23505", "INSERT INTO book VALUES (12, 1, 1, 'z')");
    assertTrue(SqlSupport.messages(pk).contains("\"book_pk\""), SqlSupport.messages(pk));
    update("ALTER TABLE book DROP CONSTRAINT book_pk");
    assertEquals(1, update("INSERT INTO book VALUES (12, 1, 1, 'z')"), "no primary key any more");
  }

  /** SET (and RESET) of session settings, which drivers and ORMs send before anything else, are accepted. */
  @Test
  void sessionSettingsAreAccepted() throws Exception {
    update("SET client_min_messages = WARNING");
    update("SET application_name TO 'accrete test'");
    update("SET SESSION search_path TO accrete, public");
    update("SET TIME ZONE 'UTC'");
    update("RESET application_name");
    update("RESET ALL");
    failsWith("42601", "SET client_min_messages =");
  }

  /** A FOREIGN KEY of several columns, MATCH SIMPLE as PostgreSQL's default: a NULL in one of them references nothing. */
  @Test
  void foreignKeysOfSeveralColumns() throws Exception {
    update("CREATE TABLE region (country TEXT, code TEXT, name TEXT, PRIMARY KEY (country, code))");
    update("CREATE TABLE store (id INTEGER PRIMARY KEY, country TEXT, code TEXT,"
        + " FOREIGN KEY (country, code) REFERENCES region)");
    update("INSERT INTO region VALUES ('fr', 'idf', 'Île-de-France'), ('de', 'by', 'Bayern')");
    update("INSERT INTO store VALUES (1, 'fr', 'idf'), (2, 'de', NULL)");
    failsWith("23503", "INSERT INTO store VALUES (3, 'fr', 'by')");
    failsWith("23503", "UPDATE store SET code = 'by' WHERE id = 1");
    failsWith("23503", "DELETE FROM region WHERE code = 'idf'");
    failsWith("23503", "UPDATE region SET country = 'be' WHERE code = 'idf'");
    assertEquals(1, update("DELETE FROM region WHERE code = 'by'"), "not referenced: store 2 has a NULL");
    failsWith("42830", "CREATE TABLE bad (a TEXT, b TEXT, FOREIGN KEY (a, b) REFERENCES region (name, code))");
    failsWith("42830", "CREATE TABLE bad (a TEXT, FOREIGN KEY (a) REFERENCES region (country, code))");
    update("CREATE TABLE visit (country TEXT, code TEXT)");
    update("INSERT INTO visit VALUES ('xx', 'yy')");
    failsWith("23503", "ALTER TABLE visit ADD FOREIGN KEY (country, code) REFERENCES region (country, code)");
    update("DELETE FROM visit");
    update("ALTER TABLE visit ADD FOREIGN KEY (country, code) REFERENCES region (country, code)");
    failsWith("23503", "INSERT INTO visit VALUES ('xx', 'yy')");
    assertEquals(List.of(row(1L, "fr", "idf"), row(2L, "de", null)), rows(sql, "SELECT * FROM store ORDER BY id"));

    // Renames follow into the keys that name them; a referenced table or column is dropped only with CASCADE.
    update("ALTER TABLE region RENAME TO area");
    update("ALTER TABLE area RENAME COLUMN code TO area_code");
    failsWith("23503", "INSERT INTO store VALUES (4, 'fr', 'nowhere')");
    assertEquals(1, update("INSERT INTO store VALUES (4, 'fr', 'idf')"));
    failsWith("2BP01", "DROP TABLE area");
    failsWith("2BP01", "ALTER TABLE area DROP COLUMN area_code");
    update("ALTER TABLE area DROP COLUMN area_code CASCADE");
    assertEquals(1, update("INSERT INTO store VALUES (5, 'zz', 'zz')"), "the foreign keys went with the column");
    update("ALTER TABLE store DROP COLUMN code");
    update("DROP TABLE area CASCADE");
  }
}
