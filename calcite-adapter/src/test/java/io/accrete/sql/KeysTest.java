package io.accrete.sql;

import static io.accrete.sql.SqlSupport.bag;
import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Connection;
import io.accrete.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Primary and foreign keys: from the mapping, the metaschema, or inferred from the data. */
class KeysTest {
  @Test
  void moviesKeysAreInferredFromTheData() throws Exception {
    Connection conn = TestData.movies();
    conn.transact("[{:db/ident :genre/drama} {:db/ident :movie/genre :db/valueType :db.type/ref"
        + " :db/cardinality :db.cardinality/one}]").join();
    conn.transact("[{:movie/title \"Drama\" :movie/genre :genre/drama}]").join();
    try (java.sql.Connection c = sql(conn)) {
      assertEquals(bag(List.of(
          row("movie_x_director", "movie", "movie", "db__id"),
          row("movie_x_director", "director", "person", "db__id"),
          row("movie_x_cast", "movie", "movie", "db__id"),
          row("movie_x_cast", "cast", "person", "db__id"),
          row("movie", "sequel", "movie", "db__id"),
          row("movie", "genre", "db__idents", "db__id"))),
          bag(rows(c, "SELECT fk_table, fk_column, pk_table, pk_column FROM db__foreign_keys")));
      assertEquals(bag(List.of(row("movie", "db__id", 1L), row("person", "db__id", 1L),
          row("movie_x_director", "movie", 1L), row("movie_x_director", "director", 2L),
          row("movie_x_cast", "movie", 1L), row("movie_x_cast", "cast", 2L),
          row("trivia", "db__id", 1L), row("trivia", "trivia", 2L))), // :trivia has no namespace
          bag(rows(c, "SELECT table_name, column_name, key_seq FROM db__primary_keys")));
      // Every foreign key joins: no dangling references in the data set.
      for (List<Object> fk : rows(c, "SELECT fk_table, fk_column, pk_table FROM db__foreign_keys")) {
        String q = "SELECT count(*) FROM \"" + fk.get(0) + "\" f LEFT JOIN \"" + fk.get(2)
            + "\" p ON p.db__id = f.\"" + fk.get(1) + "\" WHERE f.\"" + fk.get(1) + "\" IS NOT NULL AND p.db__id IS NULL";
        assertEquals(List.of(row(0L)), rows(c, q), q);
      }
    }
  }
}
