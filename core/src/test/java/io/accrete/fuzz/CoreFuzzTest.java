package io.accrete.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.edn.Edn;
import io.accrete.testing.TestData;

/**
 * Fuzz targets for what reads untrusted text: the EDN reader, Datalog queries, pull patterns and
 * transaction data over the movies data. Every bad input must end in the engine's own error type (with a
 * message), never another exception, a hang or an exhausted heap. In a normal build each runs
 * the committed inputs under {@code src/test/resources/io/accrete/fuzz/CoreFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest=CoreFuzzTest#<target>} fuzzes one of them (see
 * bench/README.md).
 */
class CoreFuzzTest {
  private static Database movies;

  private static Database movies() {
    if (movies == null) {
      Connection c = TestData.movies();
      movies = c.db();
    }
    return movies;
  }

  @FuzzTest(maxDuration = "30s")
  void ednReader(FuzzedDataProvider in) {
    String text = in.consumeRemainingAsString();
    try {
      Object v = Edn.read(text);
      // What was read prints as EDN that reads back to an equal value.
      Object again = Edn.read(Edn.print(v));
      if (!Edn.print(again).equals(Edn.print(v))) {
        throw new AssertionError("print/read round trip changed " + Edn.print(v) + " into " + Edn.print(again));
      }
    } catch (AccreteException e) { // EdnException is one
      requireMessage(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void datalogQuery(FuzzedDataProvider in) {
    String query = in.consumeRemainingAsString();
    try {
      Peer.query(java.util.Map.of(io.accrete.Keyword.intern(":query"), query,
          io.accrete.Keyword.intern(":args"), java.util.List.of(movies()),
          io.accrete.Keyword.intern(":timeout"), 2000L));
    } catch (AccreteException e) {
      requireMessage(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void transactionData(FuzzedDataProvider in) {
    String tx = in.consumeRemainingAsString();
    try {
      movies().with(tx);
    } catch (AccreteException e) {
      requireMessage(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void pullPattern(FuzzedDataProvider in) {
    String pattern = in.consumeRemainingAsString();
    try {
      movies().pull(pattern, java.util.List.of(io.accrete.Keyword.intern(":movie/title"), "Aliens"));
      movies().pullMany(pattern, java.util.List.of(io.accrete.Keyword.intern(":db.part/db"), 0L, -1L));
    } catch (AccreteException e) {
      requireMessage(e);
    }
  }

  private static void requireMessage(RuntimeException e) {
    if (e.getMessage() == null || e.getMessage().isBlank()) {
      throw new AssertionError("an error without a message", e);
    }
  }
}
