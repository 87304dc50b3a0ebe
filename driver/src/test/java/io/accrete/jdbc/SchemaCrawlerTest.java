package io.accrete.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import io.accrete.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import schemacrawler.schema.Catalog;
import schemacrawler.schema.ForeignKey;
import schemacrawler.schema.Table;
import schemacrawler.schemacrawler.LoadOptionsBuilder;
import schemacrawler.schemacrawler.SchemaCrawlerOptions;
import schemacrawler.schemacrawler.SchemaCrawlerOptionsBuilder;
import schemacrawler.schemacrawler.SchemaInfoLevelBuilder;
import schemacrawler.tools.utility.SchemaCrawlerUtility;
import us.fatehi.utility.datasource.DatabaseConnectionSources;

/** SchemaCrawler, a real metadata client, crawls a remote server and finds the movies' keys. */
class SchemaCrawlerTest {
  @Test
  void crawlsTablesColumnsAndForeignKeysOverTheNetwork() throws Exception {
    String uri = "accrete:mem://crawl-" + System.nanoTime();
    Peer.createDatabase(uri);
    io.accrete.Connection c = Peer.connect(uri);
    c.transact(TestData.txData("datasets/movies/schema.edn")).join();
    c.transact(TestData.txData("datasets/movies/data.edn")).join();
    try (AccreteServer server = AccreteServer.start(new AccreteServer.Options(uri, "127.0.0.1", 0, null, null,
        null, 10, 10, new PrintStream(new ByteArrayOutputStream())));
         Connection conn = DriverManager.getConnection(server.jdbcUrl())) {
      SchemaCrawlerOptions options = SchemaCrawlerOptionsBuilder.newSchemaCrawlerOptions()
          .withLoadOptions(LoadOptionsBuilder.builder().withSchemaInfoLevel(SchemaInfoLevelBuilder.standard()).toOptions());
      Catalog catalog = SchemaCrawlerUtility.getCatalog(DatabaseConnectionSources.fromConnection(conn), options);
      Set<String> tables = new TreeSet<>();
      Set<String> fks = new TreeSet<>();
      Table movie = null;
      for (Table t : catalog.getTables()) {
        tables.add(t.getName());
        if (t.getName().equals("movie")) {
          movie = t;
        }
        for (ForeignKey fk : t.getImportedForeignKeys()) {
          fk.getColumnReferences().forEach(r -> fks.add(r.getForeignKeyColumn().getParent().getName() + "."
              + r.getForeignKeyColumn().getName() + " -> " + r.getPrimaryKeyColumn().getParent().getName() + "."
              + r.getPrimaryKeyColumn().getName()));
        }
      }
      assertTrue(tables.containsAll(Set.of("movie", "person", "movie_x_cast", "movie_x_director")), tables.toString());
      assertNotNull(movie);
      assertTrue(movie.lookupColumn("title").isPresent());
      assertEquals("db__id", movie.getPrimaryKey().getConstrainedColumns().get(0).getName());
      assertTrue(fks.containsAll(Set.of("movie_x_cast.cast -> person.db__id", "movie_x_cast.movie -> movie.db__id",
          "movie_x_director.director -> person.db__id", "movie.sequel -> movie.db__id")), fks.toString());
    }
  }
}
