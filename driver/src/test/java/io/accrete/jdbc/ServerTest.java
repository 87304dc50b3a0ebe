package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import io.accrete.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on loopback, queried by Accrete's driver and the stock Avatica driver. */
class ServerTest {
  static final String QUERY = "SELECT m.title FROM movie m JOIN movie_x_director d ON d.movie = m.db__id"
      + " JOIN person p ON p.db__id = d.director WHERE p.name = ? ORDER BY m.title";
  static String dbUri;
  static AccreteServer server;
  static ByteArrayOutputStream log = new ByteArrayOutputStream();
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dbUri = "accrete:mem://server-test-" + System.nanoTime();
    Peer.createDatabase(dbUri);
    io.accrete.Connection c = Peer.connect(dbUri);
    c.transact(TestData.txData("datasets/movies/schema.edn")).join();
    c.transact(TestData.txData("datasets/movies/data.edn")).join();
    server = AccreteServer.start(new AccreteServer.Options(dbUri, "127.0.0.1", 0, null, null, null, 20, 10,
        new PrintStream(log, true, StandardCharsets.UTF_8)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<String> titles(Connection c, String director) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(QUERY)) {
      s.setString(1, director);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  static final List<String> CAMERON = List.of("Aliens", "Terminator 2: Judgment Day", "The Terminator");

  @Test
  void embeddedAndRemoteDriversAgree() throws Exception {
    try (Connection embedded = DriverManager.getConnection("jdbc:" + dbUri)) {
      assertEquals(CAMERON, titles(embedded, "James Cameron"));
    }
    try (Connection remote = DriverManager.getConnection(server.jdbcUrl())) {
      assertEquals(CAMERON, titles(remote, "James Cameron"));
      assertTrue(remote.isValid(5));
      assertEquals(1000, remote.createStatement().getFetchSize(), "rows per round trip");
      // More rows than one frame: every datom of the database, read over several fetches.
      try (ResultSet rs = remote.createStatement().executeQuery("SELECT e FROM datoms")) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        assertTrue(n > 200, "rows: " + n);
      }
    }
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("opened"), log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theStockAvaticaDriverWorksUnchangedInBothSerializations() throws Exception {
    for (String serialization : List.of("protobuf", "json")) {
      String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=" + serialization;
      try (Connection c = new org.apache.calcite.avatica.remote.Driver().connect(url, new Properties())) {
        assertEquals(CAMERON, titles(c, "James Cameron"), serialization);
      }
    }
  }

  @Test
  void metadataHasTheKeysEmbeddedAndRemote() throws Exception {
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      try (Connection c = DriverManager.getConnection(url)) {
        DatabaseMetaData md = c.getMetaData();
        assertEquals("Accrete", md.getDatabaseProductName());
        try (ResultSet rs = md.getPrimaryKeys(null, "accrete", "movie")) {
          assertTrue(rs.next(), url);
          assertEquals("db__id", rs.getString("COLUMN_NAME"));
        }
        List<String> imported = new ArrayList<>();
        try (ResultSet rs = md.getImportedKeys(null, "accrete", "movie_x_director")) {
          while (rs.next()) {
            imported.add(rs.getString("FKCOLUMN_NAME") + "->" + rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME"));
          }
        }
        assertEquals(List.of("movie->movie.db__id", "director->person.db__id"), imported,
            url + ": ordered by the referenced table");
        List<String> exported = new ArrayList<>();
        try (ResultSet rs = md.getExportedKeys(null, "accrete", "person")) {
          while (rs.next()) {
            exported.add(rs.getString("FKTABLE_NAME") + "." + rs.getString("FKCOLUMN_NAME"));
          }
        }
        assertEquals(List.of("movie_x_cast.cast", "movie_x_director.director"), exported, url);
        try (ResultSet rs = md.getColumns(null, "accrete", "movie", "%")) {
          assertTrue(rs.next(), url);
        }
      }
    }
  }

  @Test
  void propertiesTravelToTheServer() throws Exception {
    Properties p = new Properties();
    p.setProperty("asOf", "1000");
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), p);
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM movie")) {
      rs.next();
      assertEquals(0, rs.getLong(1), "as of t 1000 the movies were not there yet");
    }
  }

  /** {@code create=true} makes the database, as Derby and H2 do: a SQL-only user needs no Java. */
  @Test
  void createTrueMakesTheDatabase() throws Exception {
    String url = "jdbc:accrete:mem://created-" + System.nanoTime();
    assertThrows(SQLException.class, () -> DriverManager.getConnection(url));
    Properties p = new Properties();
    p.setProperty("create", "true");
    try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE t (a INTEGER)");
      assertEquals(1, s.executeUpdate("INSERT INTO t VALUES (1)"));
    }
    try (Connection c = DriverManager.getConnection(url, p);
         ResultSet rs = c.createStatement().executeQuery("SELECT a FROM t")) {
      assertTrue(rs.next(), "the second connection finds the database and its table");
      assertEquals(1, rs.getLong(1));
    }
  }

  /** An embedded connection to a new in-memory database, made by {@code create=true}. */
  private static Connection freshEmbedded(String name) throws SQLException {
    Properties p = new Properties();
    p.setProperty("create", "true");
    return DriverManager.getConnection("jdbc:accrete:mem://" + name + "-" + System.nanoTime(), p);
  }

  /** Identity columns' values come back through {@code getGeneratedKeys}, as ORMs expect. */
  @Test
  void generatedKeysComeBack() throws Exception {
    try (Connection c = freshEmbedded("keys"); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE person (id BIGSERIAL PRIMARY KEY, name VARCHAR(40) NOT NULL)");
      assertEquals(1, s.executeUpdate("INSERT INTO person (name) VALUES ('Ada')", Statement.RETURN_GENERATED_KEYS));
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertTrue(keys.next());
        assertEquals(1, keys.getLong("id"));
        assertFalse(keys.next());
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO person (name) VALUES (?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, "Grace");
        assertEquals(1, ps.executeUpdate());
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertTrue(keys.next());
          assertEquals(2, keys.getLong(1));
        }
      }
    }
  }

  /** With auto-commit a batch is one transaction: a failing row leaves none of the batch behind. */
  @Test
  void aBatchIsOneTransaction() throws Exception {
    try (Connection c = freshEmbedded("batch"); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO b VALUES (?, ?)")) {
        for (int i = 0; i < 500; i++) {
          ps.setInt(1, i);
          ps.setString(2, "v" + i);
          ps.addBatch();
        }
        assertEquals(500, ps.executeBatch().length);
        ps.setInt(1, 1000);
        ps.setString(2, "new");
        ps.addBatch();
        ps.setInt(1, 7); // a duplicate key
        ps.setString(2, "dup");
        ps.addBatch();
        SQLException e = assertThrows(SQLException.class, ps::executeBatch);
        assertTrue(String.valueOf(e.getSQLState()).equals("23505") || e.getMessage().contains("unique"), e.getMessage());
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM b")) {
        rs.next();
        assertEquals(500, rs.getLong(1), "the failed batch left nothing");
      }
      assertTrue(c.getAutoCommit());
      assertEquals(1, s.executeUpdate("INSERT INTO b VALUES (1000, 'after')"), "and the connection goes on");
    }
  }

  /** INSERT, UPDATE and DELETE … RETURNING answer rows, embedded, plain and prepared. */
  @Test
  void returningAnswersTheChangedRows() throws Exception {
    try (Connection c = freshEmbedded("returning"); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE note (id SERIAL PRIMARY KEY, body TEXT, stars NUMERIC(3,1) DEFAULT 2.5)");
      try (ResultSet rs = s.executeQuery("INSERT INTO note (body) VALUES ('a'), ('b') RETURNING id, upper(body), stars")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertEquals("A", rs.getString(2));
        assertEquals(new java.math.BigDecimal("2.5"), rs.getBigDecimal(3));
        assertTrue(rs.next());
        assertEquals(2, rs.getLong("id"));
        assertFalse(rs.next());
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE note SET body = ? WHERE id = ? RETURNING note.body")) {
        ps.setString(1, "z");
        ps.setInt(2, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("z", rs.getString(1));
        }
      }
      assertTrue(s.execute("DELETE FROM note WHERE id = 1 RETURNING body"));
      try (ResultSet rs = s.getResultSet()) {
        assertTrue(rs.next());
        assertEquals("a", rs.getString(1));
        assertFalse(rs.next());
      }
      try (ResultSet rs = s.executeQuery("DELETE FROM note WHERE id = 99 RETURNING *")) {
        assertFalse(rs.next(), "no row changed, no row returned");
      }
    }
  }

  /**
   * What DBeaver's data editor sends, embedded and through the server: it finds the key in the
   * metadata, then inserts, updates and deletes with prepared statements keyed on it, names
   * qualified and quoted; RETURNING answers rows both ways.
   */
  @Test
  void dataEditorStatementsEmbeddedAndRemote() throws Exception {
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      String t = url.contains(":remote:") ? "edited_remote" : "edited_embedded";
      String q = "\"accrete\".\"" + t + "\"";
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE " + t + " (id SERIAL PRIMARY KEY, title VARCHAR(80) NOT NULL,"
            + " price NUMERIC(8,2), added DATE)");
        try (ResultSet pk = c.getMetaData().getPrimaryKeys(null, "accrete", t)) {
          assertTrue(pk.next(), url);
          assertEquals("id", pk.getString("COLUMN_NAME"));
        }
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + " (\"title\",\"price\",\"added\")"
            + " VALUES (?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
          ps.setString(1, "Solaris");
          ps.setBigDecimal(2, new java.math.BigDecimal("11.20"));
          ps.setDate(3, java.sql.Date.valueOf("2024-03-01"));
          assertEquals(1, ps.executeUpdate(), url);
          try (ResultSet keys = ps.getGeneratedKeys()) {
            assertTrue(keys.next(), url);
            id = keys.getLong(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + q + " SET \"price\"=? WHERE \"id\"=?")) {
          ps.setBigDecimal(1, new java.math.BigDecimal("8.80"));
          ps.setLong(2, id);
          assertEquals(1, ps.executeUpdate(), url);
          ps.setNull(1, java.sql.Types.NUMERIC);
          assertEquals(1, ps.executeUpdate(), url);
        }
        try (ResultSet rs = s.executeQuery("SELECT title, price, added FROM " + t + " WHERE id = " + id)) {
          assertTrue(rs.next(), url);
          assertEquals("Solaris", rs.getString(1));
          assertNull(rs.getBigDecimal(2));
          assertEquals(java.sql.Date.valueOf("2024-03-01"), rs.getDate(3), url);
        }
        try (ResultSet rs = s.executeQuery("INSERT INTO " + t + " (title, price) VALUES ('Fiasco', 10)"
            + " RETURNING id, upper(title), price")) {
          assertTrue(rs.next(), url);
          assertEquals(id + 1, rs.getLong(1));
          assertEquals("FIASCO", rs.getString(2));
          assertEquals(0, new java.math.BigDecimal("10").compareTo(rs.getBigDecimal(3)));
          assertFalse(rs.next());
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q + " WHERE \"id\"=?")) {
          ps.setLong(1, id);
          assertEquals(1, ps.executeUpdate(), url);
        }
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
          assertTrue(rs.next());
          assertEquals(1, rs.getLong(1), url);
        }
        s.executeUpdate("DROP TABLE " + t);
      }
    }
  }

  /** DDL, DML and transactions through the server, with our driver and with Avatica's own. */
  @Test
  void writesGoThroughTheServer() throws Exception {
    for (String url : new String[] {server.jdbcUrl(),
        "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + ";serialization=protobuf"}) {
      String t = "remote_" + Math.abs(url.hashCode() % 1000);
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name TEXT)");
        assertEquals(2, s.executeUpdate("INSERT INTO " + t + " VALUES (1, 'a'), (2, 'b')"));
        c.setAutoCommit(false);
        assertEquals(1, s.executeUpdate("UPDATE " + t + " SET name = 'c' WHERE id = 2"));
        c.rollback();
        assertEquals(1, s.executeUpdate("DELETE FROM " + t + " WHERE id = 1"));
        c.commit();
        c.setAutoCommit(true);
        try (ResultSet rs = s.executeQuery("SELECT id, name FROM " + t)) {
          assertTrue(rs.next());
          assertEquals(2, rs.getLong(1));
          assertEquals("b", rs.getString(2));
          assertFalse(rs.next());
        }
        s.executeUpdate("DROP TABLE " + t);
      }
    }
  }

  /**
   * Failures carry PostgreSQL's SQLSTATE and one line saying what and where, embedded and through
   * the server alike.
   */
  @Test
  void errorsCarryPostgresSqlStates() throws Exception {
    String[][] cases = {
        {"SELECT order FROM movie", "42601", "syntax error at or near \"order\" (line 1, column 8): order is a reserved word"},
        {"SELECT * FROM films", "42P01", "relation \"films\" does not exist (line 1, column 15)"},
        {"SELECT rating FROM movie", "42703", "column \"rating\" does not exist (line 1, column 8)"},
        {"SELECT no_such_function(1)", "42883", "function no_such_function("},
        {"SELECT 1/0", "22012", "division by zero"},
        {"SELECT CAST('x' AS INTEGER)", "22P02", "invalid input syntax"},
        {"SELECT title FROM movie GROUP BY \"year\"", "42803", "column \"movie.title\" must appear in the GROUP BY clause"},
        {"SELECT (SELECT title FROM movie)", "21000", "more than one row returned by a subquery"},
        {"SELECT title FROM movie WHERE", "42601", "syntax error at end of input"},
        {"SELECT 9223372036854775807 + 1", "22003", "bigint out of range"},
        {"SELECT 'maybe'::boolean", "22P02", "invalid input syntax for type boolean: \"maybe\""},
        {"SELECT {fn nosuch(1)}", "42883", "function nosuch("},
    };
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        for (String[] k : cases) {
          SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(k[0]).next(), k[0]);
          assertEquals(k[1], e.getSQLState(), url + ": " + k[0] + ": " + e.getMessage());
          assertTrue(e.getMessage().startsWith(k[2]), url + ": " + k[0] + ": " + e.getMessage());
          assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        // a failed prepare says the same as a failed execute (remote said "while preparing SQL: …")
        SQLException prepared = assertThrows(SQLException.class, () -> c.prepareStatement("SELECT * FROM films WHERE x = ?"));
        assertEquals("42P01", prepared.getSQLState());
        assertEquals("relation \"films\" does not exist (line 1, column 15)", prepared.getMessage());
        assertEquals(CAMERON, titles(c, "James Cameron"), "the connection goes on");
      }
    }
  }

  /**
   * In a time zone that is not UTC (this class runs in New York's), the tx_instant a client is
   * shown is the text that names the same moment in AS OF, embedded and remote.
   */
  @Test
  void shownInstantsNameTheSameMomentInAnyZone() throws Exception {
    assertFalse(java.util.TimeZone.getDefault().getID().equals("UTC"), "the driver's tests run in another zone");
    for (String url : List.of("jdbc:" + dbUri, server.jdbcUrl())) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        long t;
        String shown;
        String text;
        try (ResultSet rs = s.executeQuery("SELECT t, tx_instant FROM transactions ORDER BY t DESC")) {
          assertTrue(rs.next());
          t = rs.getLong(1);
          shown = rs.getTimestamp(2).toString();
          text = rs.getString(2);
        }
        assertEquals(shown.replaceAll("\\.?0*$", ""), text.replaceAll("\\.?0*$", ""), url);
        try (ResultSet a = s.executeQuery("SELECT count(*) FROM movie FOR SYSTEM_TIME AS OF T(" + t + ")");
             ResultSet b = c.createStatement().executeQuery("SELECT count(*) FROM movie FOR SYSTEM_TIME AS OF"
                 + " TIMESTAMP '" + shown + "'")) {
          assertTrue(a.next() && b.next());
          assertEquals(a.getLong(1), b.getLong(1), url + ": " + shown);
        }
      }
    }
  }

  @Test
  void errorsAreClearAndTheServerKeepsServing() throws Exception {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
      SQLException e = assertThrows(SQLException.class, () -> c.createStatement().executeQuery("SELECT nope FROM movie"));
      assertEquals("column \"nope\" does not exist (line 1, column 8)", e.getMessage());
      assertEquals("42703", e.getSQLState());
      SQLException w = assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("DELETE FROM datoms"));
      assertTrue(w.getMessage().contains("datoms is a system table"), w.getMessage());
      assertEquals(CAMERON, titles(c, "James Cameron"));
    }
    SQLException missing = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:accrete:mem://no-such-database-" + System.nanoTime()));
    assertTrue(missing.getMessage().contains("Cannot open accrete:mem://no-such-database"), missing.getMessage());
    SQLException unreachable = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:accrete:remote:url=http://127.0.0.1:1"));
    assertTrue(unreachable.getMessage().contains("Cannot reach the Accrete server at http://127.0.0.1:1"), unreachable.getMessage());
    SQLException badUrl = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:accrete:remote:http://x"));
    assertTrue(badUrl.getMessage().contains("jdbc:accrete:remote:url=http://host:8765"), badUrl.getMessage());
  }

  @Test
  void hikariPoolsConnectionsUnderLoadWithoutLeaks() throws Exception {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(server.jdbcUrl());
    cfg.setMaximumPoolSize(4);
    cfg.setPoolName("accrete-test");
    try (HikariDataSource ds = new HikariDataSource(cfg)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        jobs.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            try (Connection c = ds.getConnection()) {
              assertEquals(CAMERON, titles(c, "James Cameron"));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
      pool.shutdown();
      assertEquals(0, ds.getHikariPoolMXBean().getActiveConnections());
      assertTrue(ds.getHikariPoolMXBean().getTotalConnections() <= 4);
    }
  }

  @Test
  void basicAuthRefusesStrangers(@TempDir Path tmp) throws Exception {
    Path realm = tmp.resolve("realm.properties");
    Files.writeString(realm, "ann: secret,user\n");
    try (AccreteServer s = AccreteServer.start(new AccreteServer.Options(dbUri, "127.0.0.1", 0, realm, null, null,
        10, 10, new PrintStream(new ByteArrayOutputStream())))) {
      SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(s.jdbcUrl()).close());
      assertEquals("28P01", none.getSQLState(), none.getMessage());
      assertTrue(none.getMessage().contains("requires a login"), none.getMessage());
      Properties wrong = new Properties();
      wrong.setProperty("user", "ann");
      wrong.setProperty("password", "guess");
      SQLException bad = assertThrows(SQLException.class, () -> DriverManager.getConnection(s.jdbcUrl(), wrong).close());
      assertEquals("28P01", bad.getSQLState(), bad.getMessage());
      assertEquals("password authentication failed for user \"ann\"", bad.getMessage());
      Properties right = new Properties();
      right.setProperty("user", "ann");
      right.setProperty("password", "secret");
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(), right)) {
        assertEquals(CAMERON, titles(c, "James Cameron"));
      }
      assertEquals(401, postCancel(s.port(), "any 1"), "cancel requests need the login too");
    }
  }

  @Test
  void aCancelRequestReachesOnlyTheConnectionsOwnStatements() throws Exception {
    // Avatica's own driver, whose statements show their handles
    String avatica = server.jdbcUrl().replace("jdbc:accrete:remote:", "jdbc:avatica:remote:") + ";serialization=protobuf";
    try (Connection c = new org.apache.calcite.avatica.remote.Driver().connect(avatica, new Properties());
        Statement st = c.createStatement()) {
      st.executeQuery("SELECT 1").close();
      var handle = ((org.apache.calcite.avatica.AvaticaStatement) st).handle;
      assertEquals(404, postCancel(server.port(), "another-connection " + handle.id));
      assertEquals(404, postCancel(server.port(), "not numbers"));
      assertEquals(200, postCancel(server.port(), handle.connectionId + " " + handle.id));
      try (ResultSet rs = st.executeQuery("SELECT 2")) { // a cancel between runs stops nothing later
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
    }
  }

  /** Posts a cancel request as the remote driver's {@code cancel()} does; the HTTP status. */
  static int postCancel(int port, String body) throws java.io.IOException {
    java.net.HttpURLConnection h = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + port
        + RemoteCancel.PATH).openConnection();
    h.setRequestMethod("POST");
    h.setDoOutput(true);
    try (java.io.OutputStream out = h.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    return h.getResponseCode();
  }

  @Test
  void tlsEncryptsTheLink(@TempDir Path tmp) throws Exception {
    Path ks = tmp.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "accrete", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    try (AccreteServer s = AccreteServer.start(new AccreteServer.Options(dbUri, "127.0.0.1", 0, null, ks, "changeit",
        10, 10, new PrintStream(new ByteArrayOutputStream())))) {
      assertTrue(s.jdbcUrl().contains("https://"));
      try (Connection c = DriverManager.getConnection(s.jdbcUrl() + ";truststore=" + ks + ";truststore_password=changeit")) {
        assertEquals(CAMERON, titles(c, "James Cameron"));
      }
      assertFalse(tryPlain(s.port()), "plain HTTP is not answered");
    }
  }

  @Test
  void aRequestBodyLargerThanAnyRequestNeedsIsRefused() throws Exception {
    for (boolean chunked : new boolean[] {false, true}) {
      java.net.HttpURLConnection h = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + server.port())
          .openConnection();
      h.setRequestMethod("POST");
      h.setDoOutput(true);
      if (chunked) {
        h.setChunkedStreamingMode(1 << 16); // no length up front: the server stops reading at the limit
      } else {
        h.setFixedLengthStreamingMode((long) (65 << 20));
      }
      try (java.io.OutputStream out = h.getOutputStream()) {
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 65; i++) {
          out.write(chunk);
        }
      } catch (java.io.IOException closedEarly) {
        // the server may answer and close before the whole body is sent
      }
      assertEquals(413, h.getResponseCode(), chunked ? "chunked" : "with a length");
    }
    try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
      assertEquals(CAMERON, titles(c, "James Cameron"), "the server goes on");
    }
  }

  /** Whether the port answers plain HTTP (Avatica's client would retry such a refusal forever). */
  static boolean tryPlain(int port) {
    try {
      java.net.HttpURLConnection h = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + port).openConnection();
      h.setConnectTimeout(5000);
      h.setReadTimeout(5000);
      h.setRequestMethod("POST");
      h.setDoOutput(true);
      h.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
      int code = h.getResponseCode();
      return code == 200;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
