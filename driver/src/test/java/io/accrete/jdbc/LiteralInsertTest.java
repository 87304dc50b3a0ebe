package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * INSERT … VALUES of literals, which the driver runs without Calcite's planning: the same rows,
 * counts, keys and errors as the planned path gives (each statement is also run prepared, which
 * takes the planned path, and the tables compared).
 */
class LiteralInsertTest {
  private static Connection fresh() throws SQLException {
    Properties p = new Properties();
    p.setProperty("create", "true");
    return DriverManager.getConnection("jdbc:accrete:mem://literal-" + System.nanoTime(), p);
  }

  private static List<List<Object>> rows(Statement s, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void literalInsertsMatchThePlannedPath() throws Exception {
    String table = "(id SERIAL PRIMARY KEY, name VARCHAR(5) NOT NULL, price NUMERIC(6,2), qty BIGINT,"
        + " ratio DOUBLE PRECISION, ok BOOLEAN)";
    String[] inserts = {
        "INSERT INTO %s (name, price, qty, ratio, ok) VALUES ('a', 1.5, 10, 0.25, TRUE)",
        "INSERT INTO %s (name, price, qty, ratio, ok) VALUES ('b''c', -2.345, -7, 3, FALSE), ('d', NULL, NULL, NULL, NULL)",
        "insert into accrete.%s (ok, name) values (true, 'e');",
        "INSERT INTO %s VALUES (DEFAULT, 'f', 3, 4, 5.5, NULL)",
    };
    try (Connection c = fresh(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE fast " + table);
      s.executeUpdate("CREATE TABLE planned " + table);
      for (String insert : inserts) {
        int fast = s.executeUpdate(String.format(insert, "fast"));
        int planned; // a prepared statement always takes the planned path
        try (java.sql.PreparedStatement ps = c.prepareStatement(String.format(insert, "planned"))) {
          planned = ps.executeUpdate();
        }
        assertEquals(planned, fast, insert);
      }
      assertEquals(rows(s, "SELECT name, price, qty, ratio, ok FROM planned ORDER BY name"),
          rows(s, "SELECT name, price, qty, ratio, ok FROM fast ORDER BY name"));
      assertEquals(List.of(List.of(new BigDecimal("-2.35"))), rows(s, "SELECT price FROM fast WHERE qty = -7"),
          "NUMERIC(6,2) rounds as PostgreSQL does");
      assertFalse(s.execute("INSERT INTO fast (name) VALUES ('g')"));
      assertEquals(1, s.getUpdateCount());
      assertFalse(s.getMoreResults());
      assertEquals(-1, s.getUpdateCount());

      // Keys, and the errors of the planned path, with their SQLSTATEs; nothing half-written.
      assertEquals(1, s.executeUpdate("INSERT INTO fast (name) VALUES ('h')", Statement.RETURN_GENERATED_KEYS));
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertTrue(keys.next());
        assertEquals(7, keys.getLong("id"));
      }
      assertEquals("23502", assertThrows(SQLException.class,
          () -> s.executeUpdate("INSERT INTO fast (name) VALUES ('i'), (NULL)")).getSQLState());
      assertEquals("22001", assertThrows(SQLException.class,
          () -> s.executeUpdate("INSERT INTO fast (name) VALUES ('toolong')")).getSQLState());
      assertEquals("23505", assertThrows(SQLException.class,
          () -> s.executeUpdate("INSERT INTO fast (id, name) VALUES (1, 'j')")).getSQLState());
      assertEquals(List.of(List.of(7L)), rows(s, "SELECT count(*) FROM fast"));

      // In a transaction: seen inside, gone after ROLLBACK.
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO fast (name) VALUES ('k')");
      assertEquals(List.of(List.of(8L)), rows(s, "SELECT count(*) FROM fast"));
      c.rollback();
      c.setAutoCommit(true);
      assertEquals(List.of(List.of(7L)), rows(s, "SELECT count(*) FROM fast"));
    }
  }

  @Test
  void whatItCannotRunThePlannedPathDoes() throws Exception {
    try (Connection c = fresh(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE checked (a INTEGER CHECK (a > 0), b TEXT DEFAULT 'x' || 'y', d DATE)");
      assertEquals("23514", assertThrows(SQLException.class,
          () -> s.executeUpdate("INSERT INTO checked (a) VALUES (-1)")).getSQLState());
      assertEquals(1, s.executeUpdate("INSERT INTO checked (a, d) VALUES (1, '2024-02-03')"));
      assertEquals(List.of(List.of("xy", java.sql.Date.valueOf("2024-02-03"))), rows(s, "SELECT b, d FROM checked"));
      assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO nowhere VALUES (1)"));
    }
  }
}
