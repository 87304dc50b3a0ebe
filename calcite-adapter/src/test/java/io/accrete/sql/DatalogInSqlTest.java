package io.accrete.sql;

import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code datalog(query, inputs…)} in FROM: Datalog's answer as rows SQL joins, at the statement's moment. */
class DatalogInSqlTest {
  @Test
  void aQueryIsATable() throws Exception {
    Connection conn = TestData.movies();
    try (java.sql.Connection sql = SqlSupport.sql(conn); Statement s = sql.createStatement()) {
      assertEquals(List.of(row("Alien", 1979L), row("Mad Max", 1979L)), rows(sql,
          "SELECT * FROM TABLE(datalog('[:find ?title ?year :where [?m :movie/title ?title] [?m :movie/year ?year]"
              + " [(< ?year 1980)]]')) ORDER BY title"));
      try (java.sql.ResultSet rs = s.executeQuery("SELECT * FROM datalog('[:find ?m ?title (count ?p)"
          + " :where [?m :movie/title ?title] [?m :movie/cast ?p]]') WHERE 1 = 0")) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals(List.of("m", "title", "count_p"), List.of(md.getColumnLabel(1), md.getColumnLabel(2), md.getColumnLabel(3)));
        assertEquals(List.of(Types.BIGINT, Types.VARCHAR, Types.BIGINT),
            List.of(md.getColumnType(1), md.getColumnType(2), md.getColumnType(3)));
      }
      // joined with a table on the entity id, with an input
      assertEquals(List.of(row("Aliens"), row("Terminator 2: Judgment Day"), row("The Terminator")), rows(sql,
          "SELECT m.title FROM datalog('[:find ?m :in $ ?name :where [?p :person/name ?name] [?m :movie/director ?p]]',"
              + " '\"James Cameron\"') AS d JOIN movie m ON m.db__id = d.m ORDER BY 1"));
      assertEquals(List.of(row(20L)), rows(sql, "SELECT * FROM datalog('[:find (count ?m) . :where [?m :movie/title]]')"));
      SqlSupport.fails(sql, "SELECT * FROM datalog('[:find ?x :where')", "datalog", "not EDN");
    }
  }

  @Test
  void fulltextSearchIsATableToo() throws Exception {
    Connection conn = TestData.movies("datasets/movies/schema-fulltext.edn");
    try (java.sql.Connection sql = SqlSupport.sql(conn)) {
      assertEquals(List.of(row("Mad Max", 1979L), row("Mad Max 2", 1981L), row("Mad Max Beyond Thunderdome", 1985L)),
          rows(sql, "SELECT m.title, m.year FROM datalog('[:find ?m :in $ ?s :where"
              + " [(fulltext $ :movie/title ?s) [[?m]]]]', '\"max\"') AS f JOIN movie m ON m.db__id = f.m ORDER BY 1"));
      assertEquals(List.of(row("Arnold Schwarzenegger")), rows(sql, "SELECT name FROM datalog('[:find ?name ?score"
          + " :where [(fulltext $ :person/name \"arnold\") [[_ ?name _ ?score]]]]') WHERE score > 0"));
      // The SQL table function: a column by table and name, joined back by its entity id.
      assertEquals(List.of(row("Terminator 2: Judgment Day", 1991L), row("Terminator 3: Rise of the Machines", 2003L),
          row("The Terminator", 1984L)), rows(sql, "SELECT m.title, m.year FROM TABLE(fulltext('movie', 'title',"
              + " 'TERMINATOR')) AS f JOIN movie m ON m.db__id = f.id WHERE f.score > 0 ORDER BY 1"));
      assertEquals(List.of(row("Die Hard")), rows(sql, "SELECT title FROM fulltext('movie', 'title', '\"die hard\"')"));
      SqlSupport.fails(sql, "SELECT * FROM fulltext('movie', 'year', 'x')", "movie.year", "not a full-text column");
    }
  }

  @Test
  void theStatementsMomentIsTheQuerys() throws Exception {
    Connection conn = Peer.connect(TestData.freshUri());
    conn.transact("[{:db/ident :city/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").join();
    conn.transact("[{:city/name \"Lund\"}]").join();
    long before = conn.db().basisT();
    conn.transact("[{:city/name \"Malmö\"}]").join();
    String query = "SELECT count(*) FROM datalog('[:find ?n :where [_ :city/name ?n]]')";
    try (java.sql.Connection now = SqlSupport.sql(conn); java.sql.Connection then = SqlSupport.sql(conn, "asOf", "" + before)) {
      assertEquals(List.of(row(2L)), rows(now, query));
      assertEquals(List.of(row(1L)), rows(then, query));
    }
  }
}
