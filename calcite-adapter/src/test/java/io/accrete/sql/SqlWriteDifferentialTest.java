package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.storage.TestPostgres;
import io.accrete.testing.TestData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of DDL, DML and transactions, run on Accrete and on a real PostgreSQL side
 * by side: after every statement both succeed or both fail, and the table holds the same rows;
 * at the end, {@code AS OF} every earlier transaction gives the rows PostgreSQL had then.
 */
class SqlWriteDifferentialTest {
  private static final int STATEMENTS = 120;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void randomStatementsAgreeWithPostgresql(long seed) throws Exception {
    Random random = new Random(seed);
    Connection conn = Peer.connect(TestData.freshUri());
    try (java.sql.Connection accrete = SqlSupport.sql(conn);
         java.sql.Connection pg = DriverManager.getConnection(TestPostgres.freshDatabase("diff"))) {
      String create = "CREATE TABLE r (k INTEGER PRIMARY KEY, a INTEGER, b VARCHAR(8), c DOUBLE PRECISION NOT NULL"
          + " DEFAULT 0.5)";
      run(accrete, create);
      run(pg, create);
      List<Long> moments = new ArrayList<>();
      List<List<List<Object>>> then = new ArrayList<>();
      boolean inTransaction = false;
      List<String> history = new ArrayList<>();
      for (int i = 0; i < STATEMENTS; i++) {
        String sql = statement(random, inTransaction);
        if (sql.equals("BEGIN")) {
          inTransaction = true;
        } else if (sql.equals("COMMIT") || sql.equals("ROLLBACK")) {
          inTransaction = false;
        }
        history.add(sql);
        String a = run(accrete, sql);
        String p = run(pg, sql);
        assertEquals(p == null, a == null, "after " + history + ": PostgreSQL " + (p == null ? "succeeded" : "failed: " + p)
            + ", Accrete " + (a == null ? "succeeded" : "failed: " + a));
        List<List<Object>> rows = rows(pg);
        assertEquals(rows, rows(accrete), "rows after " + history);
        if (!inTransaction) {
          moments.add(conn.db().basisT());
          then.add(rows);
        }
      }
      run(accrete, "ROLLBACK");
      for (int m = 0; m < moments.size(); m++) {
        assertEquals(then.get(m), SqlSupport.rows(accrete, "SELECT k, a, b, c FROM r FOR SYSTEM_TIME AS OF T("
            + moments.get(m) + ") ORDER BY k").stream().map(SqlWriteDifferentialTest::normalized).toList(),
            "AS OF T(" + moments.get(m) + "), after statement " + m);
      }
      assertTrue(moments.size() > STATEMENTS / 3, "enough moments were compared: " + moments.size());
    }
  }

  private static String statement(Random r, boolean inTransaction) {
    int k = r.nextInt(12);
    switch (r.nextInt(inTransaction ? 9 : 8)) {
      case 0, 1: {
        StringBuilder b = new StringBuilder("INSERT INTO r (k, a, b");
        boolean withC = r.nextBoolean();
        b.append(withC ? ", c) VALUES " : ") VALUES ");
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
          b.append(i == 0 ? "(" : ", (").append(r.nextInt(12)).append(", ").append(value(r))
              .append(", ").append(r.nextInt(4) == 0 ? "NULL" : "'s" + r.nextInt(5) + "'");
          if (withC) {
            b.append(", ").append(r.nextInt(10) + 0.25);
          }
          b.append(')');
        }
        return b.toString();
      }
      case 2:
        return "UPDATE r SET a = " + (r.nextBoolean() ? "a + 1" : value(r)) + " WHERE k " + op(r) + " " + k;
      case 3:
        return "UPDATE r SET b = " + (r.nextBoolean() ? "NULL" : "'u" + r.nextInt(3) + "'") + ", c = c * 2 WHERE a IS "
            + (r.nextBoolean() ? "" : "NOT ") + "NULL";
      case 4:
        return "DELETE FROM r WHERE k " + op(r) + " " + k;
      case 5:
        return r.nextInt(4) == 0 ? "DELETE FROM r" : "DELETE FROM r WHERE b = 's" + r.nextInt(5) + "'";
      case 6:
        return inTransaction ? (r.nextBoolean() ? "COMMIT" : "ROLLBACK") : "BEGIN";
      case 7:
        return "UPDATE r SET k = k + 100 WHERE k = " + k;
      default:
        return r.nextBoolean() ? "COMMIT" : "ROLLBACK";
    }
  }

  private static String value(Random r) {
    return r.nextInt(5) == 0 ? "NULL" : String.valueOf(r.nextInt(50) - 10);
  }

  private static String op(Random r) {
    return new String[] {"=", "<", ">", "<=", "<>"}[r.nextInt(5)];
  }

  /** Runs a statement; null when it succeeded, else its message. */
  private static String run(java.sql.Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static List<List<Object>> rows(java.sql.Connection c) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    boolean aborted = false;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT k, a, b, c FROM r ORDER BY k")) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
          row.add(rs.getObject(i));
        }
        out.add(normalized(row));
      }
    } catch (SQLException e) {
      aborted = true; // inside a failed transaction both refuse to read: compare that
    }
    return aborted ? List.of(List.of("aborted")) : out;
  }

  private static List<Object> normalized(List<Object> row) {
    List<Object> out = new ArrayList<>();
    for (Object v : row) {
      out.add(v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v);
    }
    return out;
  }
}
