package io.accrete.sql;

import static io.accrete.sql.SqlSupport.rows;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.testing.ExcisionScenario;
import io.accrete.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What SQL shows after an excision: nothing of the excised data, now, in the past or in history. */
class ExcisionSqlTest {

  @Test
  void sqlSeesNoExcisedValueAtAnyMomentOrInHistory() throws Exception {
    ExcisionScenario s = new ExcisionScenario(Peer.connect(TestData.freshUri())).load(true);
    long firstT = s.conn.db().basisT() - 1; // the transaction that wrote ann's first values
    try (java.sql.Connection c = sql(s.conn)) {
      assertTrue(text(rows(c, "SELECT * FROM p__history")).contains("ann-old-secret"), "history holds it before");
      s.excise();
      String now = text(rows(c, "SELECT * FROM p")) + text(rows(c, "SELECT * FROM a"));
      String past = text(rows(c, "SELECT * FROM p FOR SYSTEM_TIME AS OF T(" + firstT + ")"))
          + text(rows(c, "SELECT * FROM a FOR SYSTEM_TIME AS OF T(" + firstT + ")"));
      String history = text(rows(c, "SELECT * FROM p__history")) + text(rows(c, "SELECT * FROM a__history"));
      for (String secret : ExcisionScenario.SECRETS) {
        assertFalse(now.contains(secret) || past.contains(secret) || history.contains(secret), secret);
      }
      assertEquals(List.of(List.of("bob")), rows(c, "SELECT name FROM p FOR SYSTEM_TIME AS OF T(" + firstT + ")"));
      assertEquals(List.of(List.of("bob-new-note")), rows(c, "SELECT note FROM p"));
    }
  }

  private static String text(List<List<Object>> rows) {
    return rows.toString();
  }
}
