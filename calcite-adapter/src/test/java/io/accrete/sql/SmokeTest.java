package io.accrete.sql;

import io.accrete.Connection;
import io.accrete.testing.TestData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() throws Exception {
    Connection conn = TestData.movies();
    try (java.sql.Connection c = AccreteSql.connect(conn, new Properties());
         Statement s = c.createStatement()) {
      for (String sql : new String[] {
          "select * from movie limit 3",
          "select title, \"year\" from movie where \"year\" > 1990 and \"year\" < 1995",
          "explain plan for select title, \"year\" from movie where \"year\" > 1990 and \"year\" < 1995",
          "select m.title, p.name from movie m join movie_x_director d on d.movie = m.db__id join person p on p.db__id = d.director where p.name = 'James Cameron'",
          "explain plan for select m.title, p.name from movie m join movie_x_director d on d.movie = m.db__id join person p on p.db__id = d.director where p.name = 'James Cameron'",
          "select count(*) from person",
          "select * from transactions",
          "select * from movie for system_time as of timestamp '2020-01-01 00:00:00'",
          "select count(*) from movie for system_time as of t(1000)",
          "select * from db__attrs where sql_table is not null",
      }) {
        System.out.println("== " + sql);
        try (ResultSet rs = s.executeQuery(sql)) {
          ResultSetMetaData md = rs.getMetaData();
          int n = 0;
          while (rs.next() && n++ < 8) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              b.append(md.getColumnLabel(i)).append('=').append(rs.getObject(i)).append("  ");
            }
            System.out.println(b);
          }
        } catch (Exception e) {
          System.out.println("ERROR " + e);
          Throwable t = e;
          while (t.getCause() != null) { t = t.getCause(); }
          System.out.println("ROOT " + t);
        }
      }
    }
  }
}
