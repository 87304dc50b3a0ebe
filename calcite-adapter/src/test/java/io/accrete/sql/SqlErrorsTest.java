package io.accrete.sql;

import static io.accrete.sql.SqlSupport.fails;
import static io.accrete.sql.SqlSupport.rows;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Connection;
import io.accrete.testing.TestData;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad SQL gets a clear error with its position; writes are refused and change nothing. */
class SqlErrorsTest {
  static Connection conn;
  static java.sql.Connection sql;

  @BeforeAll
  static void load() throws Exception {
    conn = TestData.movies();
    sql = sql(conn);
  }

  @AfterAll
  static void close() throws Exception {
    sql.close();
  }

  @Test
  void unknownTablesAndColumnsNamePosition() {
    fails(sql, "SELECT * FROM films", "line 1, column 15", "Object 'films' not found");
    fails(sql, "SELECT rating FROM movie", "line 1, column 8", "Column 'rating' not found");
  }

  @Test
  void typeErrorsAndSyntaxErrors() {
    fails(sql, "SELECT title FROM movie WHERE \"year\"", "line 1, column 31", "must be a condition");
    fails(sql, "SELECT sum(title) FROM movie GROUP BY", "line 1, column");
    fails(sql, "SELECT title FROM movie WHERE", "line 1, column");
  }

  @Test
  void systemTablesAndPastMomentsRefuseWrites() throws Exception {
    long before = (Long) rows(sql, "SELECT count(*) FROM movie").get(0).get(0);
    for (String write : new String[] {
        "INSERT INTO transactions (t) VALUES (1)",
        "DELETE FROM datoms",
        "UPDATE db__attrs SET sql_table = 'x'",
    }) {
      SQLException e = assertThrows(SQLException.class, () -> {
        try (Statement s = sql.createStatement()) {
          s.executeUpdate(write);
        }
      });
      assertTrue(SqlSupport.messages(e).contains("is a system table: it cannot be changed"), write + ": "
          + SqlSupport.messages(e));
    }
    long t = conn.db().basisT();
    try (java.sql.Connection past = sql(conn, "asOf", String.valueOf(t)); Statement s = past.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM movie"));
      assertTrue(SqlSupport.messages(e).contains("cannot write movie: this connection reads as of a past moment"),
          SqlSupport.messages(e));
    }
    assertEquals(before, rows(sql, "SELECT count(*) FROM movie").get(0).get(0));
  }

  /** {@link SqlErrors} gives Calcite's failures PostgreSQL's SQLSTATEs and one line each. */
  @Test
  void failuresInPostgresTerms() {
    String[][] cases = {
        {"SELECT order FROM movie", "42601", "syntax error at or near \"order\" (line 1, column 8): order is a reserved word"},
        {"SELECT * FROM films", "42P01", "relation \"films\" does not exist (line 1, column 15)"},
        {"SELECT rating FROM movie", "42703", "column \"rating\" does not exist (line 1, column 8)"},
        {"SELECT nope(1)", "42883", "function nope("},
        {"SELECT 1/0", "22012", "division by zero"},
        {"SELECT title FROM movie GROUP BY \"year\"", "42803", "column \"movie.title\" must appear in the GROUP BY"},
        {"SELECT m.title FROM movie m, movie m", "42712", "table name \"m\" specified more than once"},
        {"SELECT title FROM movie WHERE", "42601", "syntax error at end of input"},
        {"SELECT title FROM movie WHERE year >", "42601", "syntax error at end of input"},
    };
    for (String[] k : cases) {
      Throwable failure = assertThrows(Throwable.class, () -> {
        try (Statement s = sql.createStatement(); java.sql.ResultSet rs = s.executeQuery(k[0])) {
          rs.next();
        }
      }, k[0]);
      SQLException e = SqlErrors.toSqlException(failure);
      assertEquals(k[1], e.getSQLState(), k[0] + ": " + e.getMessage());
      assertTrue(e.getMessage().startsWith(k[2]), k[0] + ": " + e.getMessage());
    }
  }
}
