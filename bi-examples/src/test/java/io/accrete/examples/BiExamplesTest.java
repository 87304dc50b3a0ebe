package io.accrete.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every example statement runs and answers; the audit story's answers are the right ones. */
class BiExamplesTest {
  static int rows(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      return Examples.print(rs, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
  }

  @Test
  void dashboardsAnswer() throws Exception {
    String movies = "jdbc:" + Examples.movies();
    String sales = "jdbc:" + Examples.sales(0.002);
    for (var s : Examples.statements("movies-dashboard.sql")) {
      assertTrue(rows(movies, s.sql()) > 0, s.name());
    }
    List<Examples.Statement> salesStatements = Examples.statements("sales-dashboard.sql");
    assertEquals(4, salesStatements.size());
    for (var s : salesStatements) {
      assertTrue(rows(sales, s.sql()) > 0, s.name());
    }
  }

  @Test
  void theAuditStoryAnswersInSqlAndDatalog() throws Exception {
    String uri = Examples.audit();
    List<String> answers = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:" + uri); Statement s = c.createStatement()) {
      for (var q : Examples.statements("audit.sql")) {
        try (ResultSet rs = s.executeQuery(q.sql())) {
          while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              row.add(rs.getString(i));
            }
            answers.add(q.name() + ": " + String.join(", ", row));
          }
        }
      }
    }
    assertEquals(List.of(
        "what we believed at 11:00: W-1, 7",
        "what we believe now: W-1, 100",
        "who changed it, and when: 7, true, ann, 2026-05-01 09:00:00.000",
        "who changed it, and when: 7, false, bob, 2026-05-01 13:00:00.000",
        "who changed it, and when: 100, true, bob, 2026-05-01 13:00:00.000",
        "then and now side by side: W-1, 7, 100"), answers);
    io.accrete.Database now = Peer.connect(uri).db();
    Object atEleven = Peer.q("[:find ?c . :where [?i :inv/sku \"W-1\"] [?i :inv/count ?c]]",
        now.asOf(java.util.Date.from(java.time.Instant.parse("2026-05-01T11:00:00Z"))));
    assertEquals(7L, atEleven);
  }

  @Test
  void theJavaExamplesRun() throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      AuditStory.main(new String[0]);
      HikariDashboard.main(new String[] {"movies"});
    } finally {
      System.setOut(old);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("what we believed at 11:00: 7"), text);
    assertTrue(text.contains("busiest actors"), text);
  }
}
