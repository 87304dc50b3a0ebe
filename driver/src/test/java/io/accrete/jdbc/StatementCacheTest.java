package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Plain statements reuse plans by text, and behave as plain statements must. */
class StatementCacheTest {
  @Test
  void repeatedNestedLimitedAndChangingQueries() throws Exception {
    String uri = TestData.freshUri();
    io.accrete.Connection db = Peer.connect(uri);
    db.transact("[{:db/ident :n/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
    db.transact("[{:n/v 1} {:n/v 2} {:n/v 3}]").join();
    String sql = "SELECT v FROM n ORDER BY v";
    try (Connection c = DriverManager.getConnection("jdbc:" + uri)) {
      Statement a = c.createStatement();
      Statement b = c.createStatement();
      // The same text open twice at once: each gets rows of its own.
      ResultSet outer = a.executeQuery(sql);
      int pairs = 0;
      while (outer.next()) {
        try (ResultSet inner = b.executeQuery(sql)) {
          while (inner.next()) {
            pairs++;
          }
        }
      }
      assertEquals(9, pairs);
      assertTrue(a.execute(sql));
      ResultSet again = a.getResultSet();
      assertTrue(outer.isClosed(), "a new execution closes the statement's previous result");
      assertEquals(a, again.getStatement());
      assertEquals(-1, a.getUpdateCount());
      a.setMaxRows(2);
      int n = 0;
      try (ResultSet rs = a.executeQuery(sql)) {
        while (rs.next()) {
          n++;
        }
      }
      assertEquals(2, n, "maxRows applies to a reused plan");
      // Every execution reads the latest value; a schema change brings new plans.
      db.transact("[{:n/v 4}]").join();
      db.transact("[{:db/ident :n/w :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").join();
      try (ResultSet rs = b.executeQuery("SELECT * FROM n WHERE v = 4")) {
        assertEquals(3, rs.getMetaData().getColumnCount());
        assertTrue(rs.next());
      }
      SQLException e = assertThrows(SQLException.class, () -> b.executeQuery("SELECT nope FROM n"));
      assertTrue(e.getMessage().contains("column \"nope\" does not exist"), e.getMessage());
      assertEquals("42703", e.getSQLState());
      assertTrue(b.execute("EXPLAIN PLAN FOR SELECT v FROM n"), "other statements run as before");
      assertTrue(b.getResultSet().next());
      SQLException p = assertThrows(SQLException.class, () -> c.prepareStatement("SELECT nope FROM n"));
      assertTrue(p.getMessage().contains("column \"nope\" does not exist"), "prepare errors say why: " + p.getMessage());
      a.close();
      b.close();
    }
  }
}
