package io.accrete.query;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.Symbol;
import io.accrete.edn.Edn;
import io.accrete.testing.TestData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;

/** Helpers shared by the Query*Test classes: values, result normalisation, small schemas. */
final class QuerySupport {
  private QuerySupport() {}

  private static Connection movies;

  /** One movies connection for all read-only tests (queries never change it). */
  static synchronized Connection movies() {
    if (movies == null) {
      movies = TestData.movies();
    }
    return movies;
  }

  /** A fresh in-memory connection with a schema and data transacted (EDN text). */
  static Connection conn(String schema, String... data) {
    Connection c = Peer.connect(TestData.freshUri());
    c.transact(schema).join();
    for (String d : data) {
      c.transact(d).join();
    }
    return c;
  }

  /** Peer.q with an Object result (avoids assertEquals overload ambiguity). */
  static Object q(Object query, Object... inputs) {
    return Peer.q(query, inputs);
  }

  static Keyword kw(String s) {
    return Keyword.intern(s);
  }

  static Symbol sym(String s) {
    return Symbol.intern(s);
  }

  static Object edn(String s) {
    return Edn.read(s);
  }

  static Date inst(String isoDate) {
    return Date.from(Instant.parse(isoDate.length() == 10 ? isoDate + "T00:00:00Z" : isoDate));
  }

  /** A relation result as a set of plain lists (so it compares with Set.of(List.of(...))). */
  static Set<List<Object>> rel(Object result) {
    Set<List<Object>> out = new HashSet<>();
    for (Object row : (Collection<?>) result) {
      out.add(new ArrayList<>((List<?>) row));
    }
    return out;
  }

  /** A relation result as a list of plain lists, in result order (for bags). */
  static List<List<Object>> bag(Object result) {
    List<List<Object>> out = new ArrayList<>();
    for (Object row : (Collection<?>) result) {
      out.add(new ArrayList<>((List<?>) row));
    }
    return out;
  }

  /** A collection result as a set. */
  static Set<Object> coll(Object result) {
    return new HashSet<>((Collection<?>) result);
  }

  static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  @SafeVarargs
  static <T> Set<T> setOf(T... values) {
    return new HashSet<>(Arrays.asList(values));
  }

  /** Runs and expects an AccreteException whose message mentions every fragment. */
  static AccreteException fails(Executable run, String... fragments) {
    AccreteException e = assertThrows(AccreteException.class, run);
    for (String f : fragments) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(f),
          "message should mention " + f + ": " + e.getMessage());
    }
    return e;
  }

  /** The single-row map of :keys results, for convenience. */
  @SuppressWarnings("unchecked")
  static Set<Map<Object, Object>> maps(Object result) {
    Set<Map<Object, Object>> out = new HashSet<>();
    for (Object m : (Collection<?>) result) {
      out.add((Map<Object, Object>) m);
    }
    return out;
  }
}
