package io.accrete.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A dashboard through a HikariCP pool, as an application server would run it:
 * {@code HikariDashboard movies|sales [jdbc-url]}. Without a URL it loads the data set into an
 * in-memory database first; with one ({@code jdbc:accrete:local:///…} or
 * {@code jdbc:accrete:remote:url=http://…}) it queries that database.
 */
public final class HikariDashboard {
  private HikariDashboard() {}

  /** Runs the dashboard. */
  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "movies";
    if (!which.equals("movies") && !which.equals("sales")) {
      System.err.println("usage: HikariDashboard movies|sales [jdbc-url]");
      System.exit(2);
    }
    String url = args.length > 1 ? args[1]
        : "jdbc:" + (which.equals("movies") ? Examples.movies() : Examples.sales(0.01));
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setMaximumPoolSize(4);
    cfg.setReadOnly(true);
    cfg.setPoolName("accrete-dashboard");
    try (HikariDataSource pool = new HikariDataSource(cfg)) {
      for (Examples.Statement s : Examples.statements(which + "-dashboard.sql")) {
        System.out.println(s.name());
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(s.sql())) {
          Examples.print(rs, System.out);
        }
        System.out.println();
      }
    }
  }
}
