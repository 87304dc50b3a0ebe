package io.accrete.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a pattern can be wrong, with the code and the message the user sees. */
public class PullErrorTest {
  private static final Keyword INVALID = Keyword.intern(":db.error/invalid-pull");
  private static final Keyword NOT_ATTR = Keyword.intern(":db.error/not-an-attribute");

  private static Database db;
  private static long ann;

  @BeforeAll
  static void load() {
    Connection conn = Peer.connect(TestData.freshUri());
    conn.transact(PullTest.SCHEMA).join();
    ann = conn.transact(PullTest.DATA).join().tempid("ann");
    db = conn.db();
  }

  /** Pulls, expects an error with {@code code}, and checks its message holds every fragment. */
  private static AccreteException fails(Keyword code, Object pattern, String... fragments) {
    AccreteException e = assertThrows(AccreteException.class, () -> db.pull(pattern, ann));
    assertEquals(code, e.code(), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "expected <" + f + "> in: " + e.getMessage());
    }
    return e;
  }

  private static void invalid(String pattern, String... fragments) {
    fails(INVALID, pattern, fragments);
  }

  @Test
  void unknownAttributesNameThemselvesAndThePattern() {
    fails(NOT_ATTR, "[:user/name :user/nope]", "Unknown attribute :user/nope",
        "in pull pattern [:user/name :user/nope]");
    fails(NOT_ATTR, "[{:user/_nope [:user/name]}]", "Unknown attribute :user/_nope");
    fails(NOT_ATTR, "[{:user/friends [:user/nope]}]", ":user/nope",
        "[{:user/friends [:user/nope]}]");
    fails(NOT_ATTR, "[:status/active]", "Unknown attribute :status/active");
  }

  @Test
  void patternErrorsComeBeforeEntityResolution() {
    AccreteException e = assertThrows(AccreteException.class,
        () -> db.pull("[:user/nope]", PullTest.ref("nobody@x.org")));
    assertEquals(NOT_ATTR, e.code());
    e = assertThrows(AccreteException.class, () -> db.pullMany("[:user/nope]", List.of()));
    assertEquals(NOT_ATTR, e.code());
  }

  @Test
  void nestedPatternsNeedReferences() {
    invalid("[{:user/name [:db/id]}]", "Invalid pull spec {:user/name [:db/id]}",
        ":user/name is not a reference attribute (it is :db.type/string)");
    invalid("[{:user/tags ...}]", ":user/tags is not a reference attribute");
    invalid("[{:db/id [:user/name]}]", ":db/id is not a reference");
    invalid("[:user/_name]", "reverse attribute :user/_name needs :user/name to be a reference"
        + " attribute, but it is :db.type/string");
  }

  @Test
  void badOptions() {
    invalid("[[:user/tags :limit 0]]", "Invalid pull spec [:user/tags :limit 0]",
        ":limit must be a positive integer or nil, not 0", "in pull pattern");
    invalid("[[:user/tags :limit -3]]", "not -3");
    invalid("[[:user/tags :limit \"5\"]]", "not \"5\"");
    invalid("[(limit :user/tags 0)]", "Invalid pull spec (limit :user/tags 0)");
    invalid("[[:user/tags :size 5]]", "unknown option :size",
        "the options are :as, :limit, :default and :xform");
    invalid("[[:user/tags :limit]]", "option :limit has no value");
    invalid("[[:user/tags :as :a :as :b]]", "option :as is given twice");
    invalid("[[:user/name :as nil]]", ":as needs a key");
    invalid("[(limit :user/tags)]", "takes exactly an attribute name and a limit");
    invalid("[(default :user/tags 1 2)]", "takes exactly an attribute name and a default");
    invalid("[[* :as :all]]", "the wildcard takes no options");
    invalid("[[]]", "an attribute expression needs an attribute name");
  }

  @Test
  void badXforms() {
    invalid("[[:user/name :xform \"upper\"]]", ":xform needs a symbol");
    invalid("[[:user/name :xform upper]]", "must be a fully qualified Class/method symbol");
    invalid("[[:user/name :xform com.nowhere.Fns/upper]]",
        "Invalid pull spec [:user/name :xform com.nowhere.Fns/upper]",
        "class com.nowhere.Fns is not on the classpath");
    invalid("[[:user/name :xform io.accrete.pull.PullTest/nope]]",
        "io.accrete.pull.PullTest has no public static method nope");
    invalid("[[:user/name :xform java.lang.Math/max]]", "has no overload taking one argument");
  }

  @Test
  void xformThatThrowsIsReported() {
    AccreteException e = fails(Keyword.intern(":db.error/fn-threw"),
        "[[:user/tags :xform io.accrete.pull.PullTest/upper]]", "PullTest/upper threw");
    assertTrue(e.getCause() instanceof ClassCastException);
  }

  @Test
  void badRecursionAndMapSpecs() {
    invalid("[{:user/friends 0}]", "Invalid pull spec {:user/friends 0}",
        "a recursion limit must be a positive integer or ..., not 0");
    invalid("[{:user/friends -1}]", "not -1");
    invalid("[{:user/friends :all}]", "a map-spec value is a pattern vector, a positive"
        + " recursion limit or ..., not :all");
    invalid("[{:user/friends 1.5}]", "not 1.5");
    invalid("[{}]", "a map-spec needs at least one attribute");
    invalid("[{* [:user/name]}]", "the wildcard cannot take a nested pattern");
    invalid("[{:user/friends []}]", "a pull pattern needs at least one attribute spec");
  }

  @Test
  void badPatternShapes() {
    invalid("[]", "Invalid pull spec []", "needs at least one attribute spec");
    invalid(":user/name", "Invalid pull spec :user/name", "a pull pattern is a vector");
    invalid("{:user/friends [:user/name]}", "a pull pattern is a vector");
    invalid("[:user/name 42]", "Invalid pull spec 42",
        "42 is not an attribute name, a wildcard, a map-spec or an attribute expression");
    invalid("[:user/name \"user/name\"]", "\"user/name\" is not an attribute name");
    invalid("[[\"x\" :as :y]]", "\"x\" is not an attribute name");
    invalid("[:user/name", "is not valid EDN");
    fails(INVALID, null, "the pull pattern is nil");
    fails(INVALID, List.of(Keyword.intern(":user/name"), 7L), "Invalid pull spec 7",
        "in pull pattern [:user/name 7]");
  }

  @Test
  void errorsCarryTheSpecAsData() {
    AccreteException e = fails(INVALID, "[:user/name [:user/tags :limit 0]]");
    assertEquals(List.of(Keyword.intern(":user/tags"), Keyword.intern(":limit"), 0L),
        e.data().get(Keyword.intern(":spec")));
  }
}
