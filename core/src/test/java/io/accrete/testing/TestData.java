package io.accrete.testing;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.edn.Edn;
import io.accrete.tx.TxProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Finds the repository's data sets and loads them into fresh databases. */
public final class TestData {
  private TestData() {}

  /**
   * A file found by walking up from the working directory: the shared suite's copy
   * ({@code shared/<relative>}, beside the repository) first, then the repository's own.
   */
  public static Path repoFile(String relative) {
    for (String base : new String[] {"shared", ""}) {
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path p = dir.resolve(base).resolve(relative);
        if (Files.exists(p)) {
          return p;
        }
      }
    }
    throw new IllegalStateException("cannot find " + relative + " above " + Path.of("").toAbsolutePath());
  }

  public static String read(String relative) {
    try {
      return Files.readString(repoFile(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The transaction data of an EDN file holding one vector of forms. */
  public static List<?> txData(String relative) {
    return (List<?>) Edn.read(read(relative), TxProcessor.tagReaders());
  }

  /** A fresh in-memory database URI. */
  public static String freshUri() {
    String uri = "accrete:mem://test-" + UUID.randomUUID();
    Peer.createDatabase(uri);
    return uri;
  }

  /** A fresh connection with the movies schema and data transacted. */
  public static Connection movies() {
    return movies("datasets/movies/schema.edn");
  }

  /** The movies data under the schema in {@code schema} (e.g. the one with full-text titles and names). */
  public static Connection movies(String schema) {
    Connection conn = Peer.connect(freshUri());
    conn.transact(txData(schema)).join();
    conn.transact(txData("datasets/movies/data.edn")).join();
    return conn;
  }

}
