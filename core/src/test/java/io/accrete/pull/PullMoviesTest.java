package io.accrete.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pull conformance entries of the movies data set (v40, v41, v42, v48), pulled through
 * {@link Database#pull} and compared with Datomic's own answers in
 * conformance/movies-visible.expected.tsv, rendered as conformance/README.md says.
 */
class PullMoviesTest {
  private static Database db;

  @BeforeAll
  static void load() {
    db = TestData.movies().db();
  }

  /** The entities whose {@code attr} is {@code value}, via AVET. */
  private static List<Long> having(String attr, Object value) {
    List<Long> out = new ArrayList<>();
    for (Datom d : db.datoms(Keyword.intern(":avet"), Keyword.intern(attr), value)) {
      out.add(d.e());
    }
    return out;
  }

  private static String expected(String id) {
    for (String line : TestData.read("conformance/movies-visible.expected.tsv").split("\n")) {
      if (line.startsWith(id + "\t")) {
        return line.substring(id.length() + 1);
      }
    }
    throw new AssertionError("no expected line for " + id);
  }

  /** Renders one pull per row, like {@code :find (pull ?e pattern)}: rows sorted. */
  private static String rows(List<Map<Object, Object>> results) {
    List<String> rows = new ArrayList<>();
    for (Map<Object, Object> r : results) {
      rows.add("[" + Render.value(r) + "]");
    }
    rows.sort(String::compareTo);
    return "[" + String.join(" ", rows) + "]";
  }

  @Test
  void v40NestedRefs() {
    List<Long> aliens = having(":movie/title", "Aliens");
    assertEquals(1, aliens.size());
    Map<Object, Object> r = db.pull("[:movie/title :movie/year {:movie/director [:person/name]}"
        + " {:movie/cast [:person/name :person/born]}]", aliens.get(0));
    assertEquals(expected("v40-pull-nested-refs"), rows(List.of(r)));
  }

  @Test
  void v41ReverseRefs() {
    List<Long> mel = having(":person/name", "Mel Gibson");
    Map<Object, Object> r = db.pull("[:person/name {:movie/_cast [:movie/title :movie/year]}"
        + " {:movie/_director [:movie/title]}]", mel.get(0));
    assertEquals(expected("v41-pull-reverse-refs"), rows(List.of(r)));
  }

  @Test
  void v42AsDefaultLimit() {
    List<Long> movies = having(":movie/year", 1988L);
    assertEquals(2, movies.size());
    List<Map<Object, Object>> rs = db.pullMany("[[:movie/title :as :title]"
        + " [:trivia :default \"no trivia\"]"
        + " {[:movie/cast :limit 10] [[:person/name :as :name]"
        + " [:person/death :default :living]]}]", movies);
    assertEquals(expected("v42-pull-as-default-limit"), rows(rs));
  }

  @Test
  void v48RecursiveSequels() {
    List<Long> lw = having(":movie/title", "Lethal Weapon");
    Map<Object, Object> r = db.pull("[:movie/title {:movie/sequel ...}]", lw.get(0));
    assertEquals(expected("v48-pull-recursive-sequels"), rows(List.of(r)));
  }

  @Test
  void resultKeysFollowPatternOrder() {
    long aliens = having(":movie/title", "Aliens").get(0);
    Map<Object, Object> r = db.pull("[:movie/year :movie/title]", aliens);
    assertEquals(List.of(Keyword.intern(":movie/year"), Keyword.intern(":movie/title")),
        new ArrayList<>(r.keySet()));
  }

  @Test
  void recursionLimitStopsAtDepth() {
    long terminator = having(":movie/title", "The Terminator").get(0);
    Map<Object, Object> r = db.pull("[:movie/title {:movie/sequel 1}]", terminator);
    assertEquals("{:movie/sequel {:movie/title \"Terminator 2: Judgment Day\"}"
        + " :movie/title \"The Terminator\"}", Render.value(r));
  }

  @Test
  void reverseRecursionWalksBackToTheFirstMovie() {
    long t3 = having(":movie/title", "Terminator 3: Rise of the Machines").get(0);
    Map<Object, Object> r = db.pull("[:movie/title {:movie/_sequel ...}]", t3);
    assertEquals("{:movie/_sequel [{:movie/_sequel [{:movie/title \"The Terminator\"}]"
        + " :movie/title \"Terminator 2: Judgment Day\"}]"
        + " :movie/title \"Terminator 3: Rise of the Machines\"}", Render.value(r));
  }

  @Test
  void personWithoutTheAttributePullsNull() {
    long cameron = having(":person/name", "James Cameron").get(0);
    assertNull(db.pull("[:movie/title :person/death]", cameron));
  }
}
