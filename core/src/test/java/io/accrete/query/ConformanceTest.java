package io.accrete.query;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.Symbol;
import io.accrete.edn.Edn;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance queries over the movies data set, each compared with the answer real
 * Datomic (peer 1.0.7622) gives, rendered as conformance/README.md specifies.
 */
class ConformanceTest {
  static final Keyword ID = Keyword.intern(":id");
  static final Keyword QUERY = Keyword.intern(":query");
  static final Keyword ARGS = Keyword.intern(":args");
  static final Keyword RULES = Keyword.intern(":rules");

  @TestFactory
  Stream<DynamicTest> moviesVisible() {
    return cases(TestData.movies(), "conformance/movies-visible");
  }

  /** Full-text search over titles and names, with Datomic's analyzer and query syntax. */
  @TestFactory
  Stream<DynamicTest> moviesFulltextVisible() {
    return cases(TestData.movies("datasets/movies/schema-fulltext.edn"), "conformance/movies-fulltext-visible");
  }

  /** The project's own cases of Datomic behaviour the shared ones leave out (conformance/movies-accrete.edn). */
  @TestFactory
  Stream<DynamicTest> moviesAccrete() {
    return cases(TestData.movies(), "conformance/movies-accrete");
  }

  /** One dynamic test per case of {@code file}.edn, against {@code file}.expected.tsv. */
  static Stream<DynamicTest> cases(Connection conn, String file) {
    List<?> cases = (List<?>) Edn.read(TestData.read(file + ".edn"));
    Map<String, String> expected = new HashMap<>();
    for (String line : TestData.read(file + ".expected.tsv").split("\n")) {
      if (!line.isBlank()) {
        String[] p = line.split("\t", 2);
        expected.put(p[0], p[1]);
      }
    }
    assertEquals(cases.size(), expected.size(), "every case has an expected answer");
    List<DynamicTest> tests = new ArrayList<>();
    for (Object c : cases) {
      Map<?, ?> m = (Map<?, ?>) c;
      String id = (String) m.get(ID);
      tests.add(DynamicTest.dynamicTest(id, () -> run(conn, m, expected.get(id))));
    }
    return tests.stream();
  }

  static void run(Connection conn, Map<?, ?> m, String expected) {
    Object query = m.get(QUERY);
    List<Object> inputs = inputs(conn, query, m);
    if (expected.startsWith("ERROR")) {
      AccreteException e = assertThrows(AccreteException.class, () -> Peer.q(query, inputs.toArray()));
      assertFalse(e.getMessage().isBlank());
      return;
    }
    Object result = Peer.q(query, inputs.toArray());
    assertEquals(expected, Render.result(result, findKind(query)), Edn.print(query));
  }

  /** The database, then :args, with the rules where % stands. */
  static List<Object> inputs(Connection conn, Object query, Map<?, ?> m) {
    List<?> in = inSection(query);
    List<Object> args = m.get(ARGS) == null ? List.of() : new ArrayList<>((List<?>) m.get(ARGS));
    List<Object> out = new ArrayList<>();
    int next = 0;
    for (Object o : in) {
      if (o instanceof Symbol s && s.name().equals("$")) {
        out.add(conn.db());
      } else if (o instanceof Symbol s && s.name().equals("%")) {
        out.add(m.get(RULES));
      } else {
        out.add(args.get(next++));
      }
    }
    return out;
  }

  static List<?> inSection(Object query) {
    if (query instanceof Map<?, ?> qm) {
      Object in = qm.get(Keyword.intern(":in"));
      return in == null ? List.of(Symbol.intern("$")) : (List<?>) in;
    }
    List<?> l = (List<?>) query;
    int i = l.indexOf(Keyword.intern(":in"));
    if (i < 0) {
      return List.of(Symbol.intern("$"));
    }
    List<Object> out = new ArrayList<>();
    for (int k = i + 1; k < l.size() && !(l.get(k) instanceof Keyword); k++) {
      out.add(l.get(k));
    }
    return out;
  }

  static String findKind(Object query) {
    List<?> find;
    if (query instanceof Map<?, ?> qm) {
      find = (List<?>) qm.get(Keyword.intern(":find"));
    } else {
      List<?> l = (List<?>) query;
      int i = l.indexOf(Keyword.intern(":find"));
      find = new ArrayList<>();
      for (int k = i + 1; k < l.size() && !(l.get(k) instanceof Keyword); k++) {
        ((List<Object>) find).add(l.get(k));
      }
    }
    if (find.size() == 2 && Symbol.intern(".").equals(find.get(1))) {
      return "scalar";
    }
    if (find.size() == 1 && find.get(0) instanceof List<?> v && !(v instanceof io.accrete.edn.EdnList)) {
      return v.size() == 2 && Symbol.intern("...").equals(v.get(1)) ? "collection" : "tuple";
    }
    return "relation";
  }
}
