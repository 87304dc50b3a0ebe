package io.accrete.sql;

import static io.accrete.sql.SqlSupport.bag;
import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A metaschema file chooses tables by membership attribute, hides and renames columns. */
class MetaschemaTest {
  static Connection conn;
  @TempDir static Path dir;
  static Path file;

  @BeforeAll
  static void load() throws Exception {
    conn = TestData.movies();
    // Someone known only by a birth date: a person row by namespace, not by membership.
    conn.transact("[{:person/born #inst \"1990-01-01\"}]").join();
    file = write("ms.edn", """
        {:tables {:person/name {} :movie/title {:name "film"}}
         :exclude [:person/death]
         :rename {:movie/year "release_year"}
         :joins {:movie/director "person" :movie/cast "person" :movie/sequel "film"}}""");
  }

  static Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void tablesComeFromMembershipAttributes() throws Exception {
    try (java.sql.Connection c = sql(conn, "metaschema", file.toString())) {
      @SuppressWarnings("unchecked")
      Collection<List<Object>> named = (Collection<List<Object>>) Peer.q(
          "[:find ?e :where [?e :person/name]]", conn.db());
      assertEquals(bag(named), bag(rows(c, "SELECT db__id FROM person")));
      assertEquals(List.of(row(0L)), rows(c, "SELECT count(*) FROM person WHERE name IS NULL"));
      // reading a column that is no membership attribute does not make its entities rows
      assertEquals(List.of(), rows(c, "SELECT db__id, born FROM person WHERE name IS NULL"));
      assertEquals(rows(c, "SELECT count(*) FROM person WHERE born IS NOT NULL AND name IS NOT NULL"),
          rows(c, "SELECT count(*) FROM person WHERE born IS NOT NULL"));
      assertEquals(List.of(row("The Terminator", 1984L)),
          rows(c, "SELECT title, release_year FROM film WHERE title = 'The Terminator'"));
      assertTrue(rows(c, "SELECT count(*) FROM film_x_director").get(0).get(0) instanceof Long);
      SqlSupport.fails(c, "SELECT death FROM person", "Column 'death' not found");
      SqlSupport.fails(c, "SELECT * FROM movie", "Object 'movie' not found");
      assertEquals(List.of(row(":movie/director", "film_x_director", "person"), row(":movie/sequel", "film", "film")),
          rows(c, "SELECT ident, sql_table, ref_table FROM db__attrs WHERE ident IN (':movie/director', ':movie/sequel')"
              + " ORDER BY ident"));
    }
    try (java.sql.Connection c = sql(conn)) {
      assertEquals(List.of(row(1L)), rows(c, "SELECT count(*) FROM person WHERE name IS NULL"),
          "without the file, a person/* attribute makes a row");
    }
  }

  @Test
  void badFilesAreClearErrors() throws Exception {
    assertError(write("a.edn", "{:tables {:person/nope {}}}"), "names :person/nope, which is not an attribute");
    assertError(write("b.edn", "{:tables [:person/name]}"), ":tables: expected a map");
    assertError(write("c.edn", "{:colour {}}"), "unknown key :colour");
    assertError(write("d.edn", "{:tables {:person/name {} "), "is not valid EDN");
    assertError(write("e.edn", "{:rename {:movie/year \"Release Year\"}}"), "expected a lower-case SQL name");
    assertError(dir.resolve("missing.edn"), "Cannot read the metaschema file");
  }

  static void assertError(Path p, String fragment) {
    AccreteSqlException e = assertThrows(AccreteSqlException.class, () -> sql(conn, "metaschema", p.toString()));
    assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains(p.toString()), e.getMessage());
  }
}
