package io.accrete.edn;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads the project's real EDN files. */
class EdnDatasetTest {
  private static final Path MOVIES = Path.of("/work/shared/datasets/movies/data.edn");
  private static final Path QUERIES = Path.of("/work/shared/conformance/movies-visible.edn");

  private static List<Object> readFile(Path path) throws IOException {
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return Edn.readAll(in);
    }
  }

  private static Keyword kw(String s) {
    return Keyword.intern(s);
  }

  @Test
  void moviesDataIsOneVectorOfSeventyMaps() throws IOException {
    List<Object> forms = readFile(MOVIES);
    assertEquals(1, forms.size());
    List<?> entities = assertInstanceOf(List.class, forms.get(0));
    assertFalse(entities instanceof EdnList);
    assertEquals(70, entities.size());
    for (Object e : entities) {
      Map<?, ?> entity = assertInstanceOf(Map.class, e);
      assertInstanceOf(String.class, entity.get(kw(":db/id")));
    }
    Map<?, ?> cameron = (Map<?, ?>) entities.get(0);
    assertEquals("person-100", cameron.get(kw(":db/id")));
    assertEquals("James Cameron", cameron.get(kw(":person/name")));
    assertEquals(Date.from(Instant.parse("1954-08-16T00:00:00Z")),
        cameron.get(kw(":person/born")));
  }

  @Test
  void multiLineTriviaStringIsIntact() throws IOException {
    List<?> entities = (List<?>) readFile(MOVIES).get(0);
    List<?> commando = entities.stream()
        .map(e -> (Map<?, ?>) e)
        .filter(e -> e.containsKey(kw(":trivia")))
        .toList();
    assertEquals(1, commando.size());
    Map<?, ?> movie = (Map<?, ?>) commando.get(0);
    assertEquals("Commando", movie.get(kw(":movie/title")));
    assertEquals(1985L, movie.get(kw(":movie/year")));
    assertEquals(List.of("person-101", "person-120", "person-121"),
        movie.get(kw(":movie/cast")));
    assertEquals("In 1986, a sequel was written with an eye to having\n"
        + "  John McTiernan direct. Schwarzenegger wasn't interested in reprising\n"
        + "  the role. The script was then reworked with a new central character,\n"
        + "  eventually played by Bruce Willis, and became Die Hard",
        movie.get(kw(":trivia")));
  }

  @Test
  void conformanceQueriesAreOneVectorOfFiftySixMaps() throws IOException {
    List<Object> forms = readFile(QUERIES);
    assertEquals(1, forms.size());
    List<?> queries = assertInstanceOf(List.class, forms.get(0));
    assertEquals(56, queries.size());
    for (Object q : queries) {
      Map<?, ?> query = assertInstanceOf(Map.class, q);
      assertInstanceOf(String.class, query.get(kw(":id")), () -> "no :id in " + query);
      assertTrue(query.containsKey(kw(":query")), () -> "no :query in " + query);
    }
    Map<?, ?> first = (Map<?, ?>) queries.get(0);
    assertEquals("v01-single-pattern-wildcard-entity", first.get(kw(":id")));
    assertEquals(List.of(kw(":find"), Symbol.intern("?title"), kw(":where"),
        List.of(Symbol.intern("_"), kw(":movie/title"), Symbol.intern("?title"))),
        first.get(kw(":query")));
  }

  @Test
  void predicateClausesAreListsInsideVectors() throws IOException {
    List<?> queries = (List<?>) readFile(QUERIES).get(0);
    Map<?, ?> v03 = (Map<?, ?>) queries.get(2);
    assertEquals("v03-join-through-ref-with-predicate", v03.get(kw(":id")));
    List<?> query = (List<?>) v03.get(kw(":query"));
    List<?> predicate = (List<?>) query.get(query.size() - 1);
    assertFalse(predicate instanceof EdnList);
    assertEquals(EdnList.of(Symbol.intern("<="), Symbol.intern("?y"), 1982L),
        predicate.get(0));
    assertInstanceOf(EdnList.class, predicate.get(0));
  }

  @Test
  void printedDatasetReadsBackEqual() throws IOException {
    List<Object> forms = readFile(MOVIES);
    assertEquals(forms, Edn.readAll(Edn.print(forms.get(0))));
    List<Object> queries = readFile(QUERIES);
    assertEquals(queries, Edn.readAll(Edn.print(queries.get(0))));
  }
}
