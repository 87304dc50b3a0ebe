package io.accrete.examples;

import io.accrete.Database;
import io.accrete.Peer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Date;

/**
 * The audit story: a stock count entered as 7 at 09:00 and corrected to 100 at 13:00. What did
 * we believe at 11:00, and who changed it? Asked in SQL ({@code AS OF}, a history table) and in
 * Datalog, on the same database.
 */
public final class AuditStory {
  private AuditStory() {}

  /** Tells the story. */
  public static void main(String[] args) throws Exception {
    String uri = Examples.audit();
    System.out.println("In SQL (jdbc:" + uri + "):");
    try (Connection c = DriverManager.getConnection("jdbc:" + uri); Statement s = c.createStatement()) {
      for (Examples.Statement q : Examples.statements("audit.sql")) {
        System.out.println(q.name());
        try (ResultSet rs = s.executeQuery(q.sql())) {
          Examples.print(rs, System.out);
        }
      }
    }
    System.out.println();
    System.out.println("In Datalog:");
    Database now = Peer.connect(uri).db();
    Database eleven = now.asOf(Date.from(java.time.Instant.parse("2026-05-01T11:00:00Z")));
    String count = "[:find ?c . :in $ ?sku :where [?i :inv/sku ?sku] [?i :inv/count ?c]]";
    System.out.println("what we believed at 11:00: " + Peer.q(count, eleven, "W-1"));
    System.out.println("what we believe now:       " + Peer.q(count, now, "W-1"));
    System.out.println("who changed it: " + Peer.q("""
        [:find ?v ?added ?user ?when
         :where [?i :inv/count ?v ?tx ?added] [?tx :audit/user ?user] [?tx :db/txInstant ?when]]""",
        now.history()));
  }
}
