package io.accrete.sql;

import static io.accrete.sql.SqlSupport.bag;
import static io.accrete.sql.SqlSupport.norm;
import static io.accrete.sql.SqlSupport.rows;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL over the movies data set, each answer compared with Datalog on the same database value
 * (the connection keeps one basis): hand-written joins and aggregates, and random filters
 * against rows read with Datalog and pull.
 */
class MoviesSqlTest {
  static Connection conn;
  static Database db;
  static java.sql.Connection sql;

  @BeforeAll
  static void load() throws Exception {
    conn = TestData.movies();
    db = conn.db();
    sql = sql(conn, "basis", "connection");
    rows(sql, "SELECT count(*) FROM movie"); // fixes the connection's basis
    // A write after the basis is fixed must not show in SQL answers.
    conn.transact("[{:movie/title \"Not Yet\" :movie/year 2030}]").join();
  }

  @AfterAll
  static void close() throws Exception {
    sql.close();
  }

  static Collection<List<Object>> q(String query, Object... inputs) {
    Object[] all = new Object[inputs.length + 1];
    all[0] = db;
    System.arraycopy(inputs, 0, all, 1, inputs.length);
    @SuppressWarnings("unchecked")
    Collection<List<Object>> r = (Collection<List<Object>>) Peer.q(query, all);
    return r;
  }

  static void same(Collection<List<Object>> datalog, List<List<Object>> sqlRows) {
    assertTrue(!datalog.isEmpty(), "a comparison over nothing proves nothing");
    assertEquals(bag(datalog), bag(sqlRows));
  }

  @Test
  void moviesOfADirectorThroughTheCardManyTable() throws Exception {
    same(q("[:find ?t ?y :in $ ?n :where [?p :person/name ?n] [?m :movie/director ?p]"
            + " [?m :movie/title ?t] [?m :movie/year ?y]]", "James Cameron"),
        rows(sql, "SELECT m.title, m.\"year\" FROM movie m JOIN movie_x_director d ON d.movie = m.db__id"
            + " JOIN person p ON p.db__id = d.director WHERE p.name = ?", "James Cameron"));
  }

  @Test
  void castOfOldMovies() throws Exception {
    same(q("[:find ?n ?t :where [?m :movie/year ?y] [(< ?y 1985)] [?m :movie/cast ?p]"
            + " [?p :person/name ?n] [?m :movie/title ?t]]"),
        rows(sql, "SELECT p.name, m.title FROM movie m, movie_x_cast c, person p"
            + " WHERE m.\"year\" < 1985 AND c.movie = m.db__id AND p.db__id = c.\"cast\""));
  }

  @Test
  void moviesPerDirector() throws Exception {
    same(q("[:find ?n (count ?m) :where [?m :movie/director ?p] [?p :person/name ?n]]"),
        rows(sql, "SELECT p.name, count(*) FROM movie_x_director d JOIN person p ON p.db__id = d.director"
            + " GROUP BY p.name"));
  }

  @Test
  void groupingByANonKeyColumnOfANarrowedScan() throws Exception {
    // A scan returning only "year" must not inherit db__id's uniqueness (Calcite would drop the GROUP BY).
    same(q("[:find ?y (count ?m) :where [?m :movie/year ?y]]"),
        rows(sql, "SELECT \"year\", count(*) FROM movie WHERE \"year\" IS NOT NULL GROUP BY \"year\""));
    same(q("[:find ?y :where [_ :movie/year ?y]]"), rows(sql, "SELECT DISTINCT \"year\" FROM movie WHERE \"year\" > 0"));
  }

  @Test
  void sequels() throws Exception {
    same(q("[:find ?a ?b :where [?m :movie/sequel ?s] [?m :movie/title ?a] [?s :movie/title ?b]]"),
        rows(sql, "SELECT m.title, s.title FROM movie m JOIN movie s ON m.sequel = s.db__id"));
  }

  @Test
  void leftJoinsKeepRowsWithoutAMatch() throws Exception {
    same(q("[:find ?t ?s :where [?m :movie/year ?y] [(<= ?y 1987)] [?m :movie/title ?t]"
            + " [(get-else $ ?m :movie/sequel -1) ?q] [(identity ?q) ?qq]"
            + " (or-join [?qq ?s] (and [(= ?qq -1)] [(ground \"-\") ?s]) (and [?qq :movie/title ?s]))]"),
        rows(sql, "SELECT m.title, COALESCE(s.title, '-') FROM movie m LEFT JOIN movie s ON s.db__id = m.sequel"
            + " WHERE m.\"year\" <= 1987"));
  }

  @Test
  void livingPeopleBornAfter1950() throws Exception {
    same(q("[:find ?n :where [?p :person/born ?b] [(> ?b #inst \"1950-01-01\")]"
            + " [(missing? $ ?p :person/death)] [?p :person/name ?n]]"),
        rows(sql, "SELECT name FROM person WHERE born > TIMESTAMP '1950-01-01 00:00:00' AND death IS NULL"));
  }

  @Test
  void youngestAndOldest() throws Exception {
    same(q("[:find (min ?b) (max ?b) :where [_ :person/born ?b]]"),
        rows(sql, "SELECT min(born), max(born) FROM person"));
    List<List<Object>> oldest = rows(sql, "SELECT name FROM person ORDER BY born LIMIT 1");
    Object first = Peer.q("[:find (min ?x) . :where [_ :person/born ?x]]", db);
    same(q("[:find ?n :in $ ?b :where [?p :person/born ?b] [?p :person/name ?n]]", first), oldest);
  }

  @Test
  void countsAgreeWithDatalogAndIgnoreTheLaterWrite() throws Exception {
    same(q("[:find (count ?m) :where [?m :movie/title]]"), rows(sql, "SELECT count(title) FROM movie"));
    same(q("[:find (count ?e) :where [?e :person/name]]"), rows(sql, "SELECT count(*) FROM person"));
    try (java.sql.Connection fresh = sql(conn)) {
      assertEquals(List.of(List.of(2030L)),
          rows(fresh, "SELECT \"year\" FROM movie WHERE title = 'Not Yet'"), "a new connection sees it");
    }
  }

  // ------------------------------------------------------------------ random filters

  /** The columns a random filter uses, with how to print a literal of their type. */
  private record Col(String name, String kind) {}

  private static final List<Col> MOVIE = List.of(new Col("db__id", "id"), new Col("title", "text"),
      new Col("\"year\"", "long"), new Col("sequel", "id"));
  private static final List<Col> PERSON = List.of(new Col("db__id", "id"), new Col("name", "text"),
      new Col("born", "time"), new Col("death", "time"));

  @Test
  void randomFiltersMatchTheRowsDatalogReads() throws Exception {
    List<Map<String, Object>> movies = reference("movie", List.of("title", "year", "sequel"));
    List<Map<String, Object>> people = reference("person", List.of("name", "born", "death"));
    Random rnd = new Random(42);
    int nonEmpty = 0;
    for (int i = 0; i < 400; i++) {
      boolean movie = rnd.nextBoolean();
      List<Map<String, Object>> ref = movie ? movies : people;
      List<Col> cols = movie ? MOVIE : PERSON;
      Filter f = randomFilter(rnd, cols, ref, 1 + rnd.nextInt(3));
      String select = "SELECT db__id FROM " + (movie ? "movie" : "person") + " WHERE " + f.sql;
      List<List<Object>> expected = new ArrayList<>();
      for (Map<String, Object> r : ref) {
        if (Boolean.TRUE.equals(f.eval.apply(r))) {
          expected.add(List.of(r.get("db__id")));
        }
      }
      List<List<Object>> got = rows(sql, select, f.params.toArray());
      assertEquals(bag(expected), bag(got), select + " with " + f.params);
      if (!expected.isEmpty()) {
        nonEmpty++;
        List<List<Object>> limited = rows(sql, select + " LIMIT 2", f.params.toArray());
        assertEquals(Math.min(2, expected.size()), limited.size(), select + " LIMIT 2");
        assertTrue(expected.containsAll(limited));
      }
    }
    assertTrue(nonEmpty > 100, "most random filters should match something: " + nonEmpty);
  }

  /** Rows of a namespace table built with Datalog (membership) and pull (values). */
  private static List<Map<String, Object>> reference(String ns, List<String> attrs) {
    StringBuilder or = new StringBuilder("(or");
    for (String a : attrs) {
      or.append(" [?e :").append(ns).append('/').append(a).append(']');
    }
    for (Keyword many : List.of(Keyword.of("movie", "director"), Keyword.of("movie", "cast"))) {
      if (many.namespace().equals(ns)) {
        or.append(" [?e ").append(many).append(']');
      }
    }
    or.append(')');
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Object> r : q("[:find ?e :where " + or + "]")) {
      long e = (Long) r.get(0);
      Map<String, Object> row = new java.util.HashMap<>();
      row.put("db__id", e);
      for (String a : attrs) {
        Object v = db.entity(e).get(Keyword.of(ns, a));
        if (v instanceof io.accrete.Entity ent) {
          v = ent.get(Keyword.of("db", "id"));
        }
        row.put(a, norm(v));
      }
      out.add(row);
    }
    return out;
  }

  private record Filter(String sql, java.util.function.Function<Map<String, Object>, Boolean> eval,
      List<Object> params) {}

  private static Filter randomFilter(Random rnd, List<Col> cols, List<Map<String, Object>> ref, int atoms) {
    Filter f = atom(rnd, cols, ref);
    for (int i = 1; i < atoms; i++) {
      Filter g = atom(rnd, cols, ref);
      boolean and = rnd.nextInt(3) > 0;
      Filter a = f;
      List<Object> params = new ArrayList<>(a.params);
      params.addAll(g.params);
      f = new Filter("(" + a.sql + (and ? " AND " : " OR ") + g.sql + ")", r -> {
        Boolean x = a.eval.apply(r);
        Boolean y = g.eval.apply(r);
        if (and) {
          return Boolean.FALSE.equals(x) || Boolean.FALSE.equals(y) ? Boolean.FALSE
              : x == null || y == null ? null : Boolean.TRUE;
        }
        return Boolean.TRUE.equals(x) || Boolean.TRUE.equals(y) ? Boolean.TRUE
            : x == null || y == null ? null : Boolean.FALSE;
      }, params);
    }
    return f;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Filter atom(Random rnd, List<Col> cols, List<Map<String, Object>> ref) {
    Col c = cols.get(rnd.nextInt(cols.size()));
    String key = c.name.replace("\"", "");
    Object v = ref.get(rnd.nextInt(ref.size())).get(key);
    if (v == null || rnd.nextInt(8) == 0) {
      v = switch (c.kind) {
        case "text" -> "Nobody " + rnd.nextInt(3);
        case "time" -> Instant.parse("19" + (30 + rnd.nextInt(60)) + "-06-01T00:00:00Z").toEpochMilli();
        case "long" -> 1970L + rnd.nextInt(40);
        default -> 17592186045000L + rnd.nextInt(600);
      };
    }
    Object value = v;
    boolean param = rnd.nextInt(4) == 0;
    String lit = param ? "?" : literal(c, value);
    List<Object> params = param ? List.of(c.kind.equals("time") ? new Timestamp((Long) value) : value) : List.of();
    int op = rnd.nextInt(8);
    switch (op) {
      case 0:
        return new Filter(c.name + " IS NULL", r -> r.get(key) == null, List.of());
      case 1:
        return new Filter(c.name + " IS NOT NULL", r -> r.get(key) != null, List.of());
      case 2: {
        Object other = ref.get(rnd.nextInt(ref.size())).get(key);
        List<Object> in = new ArrayList<>(Arrays.asList(value));
        if (other != null) {
          in.add(other);
        }
        StringBuilder s = new StringBuilder(c.name + " IN (");
        for (int i = 0; i < in.size(); i++) {
          s.append(i > 0 ? ", " : "").append(literal(c, in.get(i)));
        }
        return new Filter(s + ")", r -> r.get(key) == null ? null : in.contains(r.get(key)), List.of());
      }
      default: {
        String[] ops = {"=", "<", "<=", ">", ">=", "<>"};
        String o = ops[op - 2];
        return new Filter(c.name + " " + o + " " + lit, r -> {
          Object x = r.get(key);
          if (x == null) {
            return null;
          }
          int cmp = ((Comparable) x).compareTo(value);
          return switch (o) {
            case "=" -> cmp == 0;
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            case ">=" -> cmp >= 0;
            default -> cmp != 0;
          };
        }, params);
      }
    }
  }

  private static String literal(Col c, Object v) {
    return switch (c.kind) {
      case "text" -> "'" + ((String) v).replace("'", "''") + "'";
      case "time" -> "TIMESTAMP '" + new Timestamp((Long) v).toInstant().toString()
          .replace("T", " ").replace("Z", "") + "'";
      default -> String.valueOf(v);
    };
  }

  static Date date(String iso) {
    return Date.from(Instant.parse(iso));
  }
}
