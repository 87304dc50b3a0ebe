package io.accrete.jdbc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fuzz target for SQL text, parse through execution, through the JDBC driver on the movies
 * data: every statement either runs or fails with an {@link SQLException} carrying an SQLSTATE
 * and a message — never another exception, a hang past the statement timeout, or an exhausted
 * heap. Statements may write (the database is the fuzz run's own). Committed inputs run in every
 * build; {@code JAZZER_FUZZ=1 mvn -pl driver test -Dtest=SqlFuzzTest} fuzzes.
 */
class SqlFuzzTest {
  private static Connection sql;

  private static Connection sql() throws SQLException {
    if (sql == null) {
      String uri = TestData.freshUri();
      io.accrete.Connection c = Peer.connect(uri);
      c.transact(TestData.txData("datasets/movies/schema.edn")).join();
      c.transact(TestData.txData("datasets/movies/data.edn")).join();
      sql = DriverManager.getConnection("jdbc:" + uri);
    }
    return sql;
  }

  @FuzzTest(maxDuration = "30s")
  void statement(FuzzedDataProvider in) throws SQLException {
    String text = in.consumeRemainingAsString();
    try (Statement s = sql().createStatement()) {
      s.setQueryTimeout(2);
      s.setMaxRows(1000);
      if (s.execute(text)) {
        try (java.sql.ResultSet rs = s.getResultSet()) {
          while (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              rs.getObject(i);
            }
          }
        }
      }
    } catch (SQLException e) {
      if (e.getSQLState() == null || e.getSQLState().length() != 5 || e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("an SQLException without an SQLSTATE or message: " + e.getSQLState(), e);
      }
    }
    if (!sql.getAutoCommit()) {
      sql.rollback(); // a BEGIN the fuzzer wrote must not hold the next input's statements
      sql.setAutoCommit(true);
    }
  }
}
