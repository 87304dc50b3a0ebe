package io.accrete.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.Symbol;
import io.accrete.TxReport;
import io.accrete.db.Db;
import io.accrete.edn.EdnList;
import io.accrete.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pull semantics on a schema of our own: components, unique refs, cycles, limits, options. */
public class PullTest {
  static final String SCHEMA = """
      [{:db/ident :user/email :db/valueType :db.type/string
        :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
       {:db/ident :user/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :user/tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
       {:db/ident :user/friends :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
       {:db/ident :user/best-friend :db/valueType :db.type/ref
        :db/cardinality :db.cardinality/one}
       {:db/ident :user/mentor :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :user/status :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :user/address :db/valueType :db.type/ref :db/cardinality :db.cardinality/one
        :db/isComponent true}
       {:db/ident :address/street :db/valueType :db.type/string
        :db/cardinality :db.cardinality/one}
       {:db/ident :address/city :db/valueType :db.type/string
        :db/cardinality :db.cardinality/one}
       {:db/ident :order/number :db/valueType :db.type/long :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :order/customer :db/valueType :db.type/ref
        :db/cardinality :db.cardinality/one}
       {:db/ident :order/items :db/valueType :db.type/ref :db/cardinality :db.cardinality/many
        :db/isComponent true}
       {:db/ident :item/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :item/qty :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :item/parts :db/valueType :db.type/ref :db/cardinality :db.cardinality/many
        :db/isComponent true}
       {:db/ident :part/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :status/active}
       {:db/ident :status/away}]
      """;

  static final String DATA = """
      [{:db/id "ann" :user/email "ann@x.org" :user/name "Ann" :user/tags ["a" "b" "c"]
        :user/friends ["bob"] :user/best-friend "bob" :user/status :status/active
        :user/address {:address/street "1 Main St" :address/city "Springfield"}}
       {:db/id "bob" :user/email "bob@x.org" :user/name "Bob" :user/friends ["cat"]
        :user/best-friend "ann" :user/mentor "cat"}
       {:db/id "cat" :user/email "cat@x.org" :user/name "Cat" :user/friends ["ann" "dan"]
        :user/mentor "dan"}
       {:db/id "dan" :user/email "dan@x.org" :user/name "Dan" :user/tags ["z"]}
       {:db/id "o1" :order/number 1 :order/customer "ann"
        :order/items [{:item/sku "apple" :item/qty 2
                       :item/parts [{:part/name "stem"} {:part/name "core"}]}
                      {:item/sku "pear" :item/qty 1}]}
       {:db/id "o2" :order/number 2 :order/customer "ann"}]
      """;

  Connection conn;
  Database db;
  TxReport loaded;

  @BeforeEach
  void load() {
    conn = Peer.connect(TestData.freshUri());
    conn.transact(SCHEMA).join();
    loaded = conn.transact(DATA).join();
    db = conn.db();
  }

  long id(String tempid) {
    return loaded.tempid(tempid);
  }

  static Keyword kw(String s) {
    return Keyword.intern(s);
  }

  static List<Object> ref(String email) {
    return List.of(kw(":user/email"), email);
  }

  /** A map literal in insertion order, for expected results. */
  static Map<Object, Object> map(Object... kvs) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kvs.length; i += 2) {
      m.put(kvs[i] instanceof String s && s.startsWith(":") ? kw(s) : kvs[i], kvs[i + 1]);
    }
    return m;
  }

  /** The one entity whose {@code attr} is {@code value}. */
  long entityWith(String attr, Object value) {
    List<Long> es = new ArrayList<>();
    db.datoms(kw(":avet"), kw(attr), value).forEach(d -> es.add(d.e()));
    assertEquals(1, es.size(), attr + " " + value);
    return es.get(0);
  }

  /** A deep copy with every {@code :db/id} value shown as {@code ?}, for order-free rendering. */
  static Object anonymize(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, kw(":db/id").equals(k) ? Symbol.intern("?") : anonymize(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(anonymize(x)));
      return out;
    }
    return v;
  }

  Map<Object, Object> idMap(String tempid) {
    return map(":db/id", id(tempid));
  }

  // ---------------------------------------------------------------- attributes and values

  @Test
  void plainAttributesCardManyAndRefsWithoutPattern() {
    Map<Object, Object> r = db.pull(
        "[:user/name :user/tags :user/friends :user/best-friend :user/status]", ref("ann@x.org"));
    Map<Object, Object> status = map(":db/id", db.entid(kw(":status/active")));
    assertEquals(map(":user/name", "Ann", ":user/tags", List.of("a", "b", "c"),
        ":user/friends", List.of(idMap("bob")), ":user/best-friend", idMap("bob"),
        ":user/status", status), r);
  }

  @Test
  void dbIdReturnsTheEntityId() {
    assertEquals(map(":db/id", id("bob"), ":user/name", "Bob"),
        db.pull("[:db/id :user/name]", ref("bob@x.org")));
    // :db/id needs no datoms, as in Datomic.
    assertEquals(map(":db/id", 123456789L), db.pull("[:db/id]", 123456789L));
  }

  @Test
  void entityReferencesResolveOrPullNull() {
    Map<Object, Object> byId = db.pull("[:user/name]", id("dan"));
    assertEquals(map(":user/name", "Dan"), byId);
    assertEquals(byId, db.pull("[:user/name]", ref("dan@x.org")));
    assertNull(db.pull("[:user/name]", ref("nobody@x.org")));
    assertNull(db.pull("[:db/id]", ref("nobody@x.org")));
    assertNull(db.pull("[:user/name]", kw(":no/such-ident")));
    assertNull(db.pull("[:user/name]", 987654321L), "an id with no datoms");
    assertEquals(map(":db/id", db.entid(kw(":status/away"))),
        db.pull("[:db/id :user/name]", kw(":status/away")));
  }

  @Test
  void pullManyKeepsOrderAndNulls() {
    List<Map<Object, Object>> rs = db.pullMany("[:user/name]",
        List.of(ref("cat@x.org"), ref("nobody@x.org"), id("ann"), kw(":status/active")));
    assertEquals(Arrays.asList(map(":user/name", "Cat"), null, map(":user/name", "Ann"), null),
        rs);
  }

  @Test
  void missingAttributesAreOmittedAndDefaultsFillIn() {
    Map<Object, Object> r = db.pull("[:user/name :user/tags [:user/mentor :default :none]"
        + " [:user/tags :as :t2 :default \"no tags\"] (default :user/address \"homeless\")"
        + " [:order/_customer :default 0]]", ref("bob@x.org"));
    // The default is returned as given: a string for the card-many :user/tags, no xform.
    assertEquals(map(":user/name", "Bob", ":user/mentor", idMap("cat"), ":t2", "no tags",
        ":user/address", "homeless", ":order/_customer", 0L), r);
  }

  @Test
  void defaultsAloneMakeAResultForAnExistingId() {
    assertEquals(map(":user/name", "?"), db.pull("[[:user/name :default \"?\"]]", 987654321L));
  }

  @Test
  void asRenamesKeysOfAnyKind() {
    Map<Object, Object> r = db.pull("[[:user/name :as \"name\"] [:db/id :as :id]"
        + " {[:user/friends :as :pals] [[:user/name :as name]]}]", ref("ann@x.org"));
    assertEquals(map("name", "Ann", ":id", id("ann"),
        ":pals", List.of(map(Symbol.intern("name"), "Bob"))), r);
  }

  // ---------------------------------------------------------------- limits

  @Test
  void cardManyLimitDefaultsTo1000() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      tags.add(String.format("t%04d", i));
    }
    conn.transact(List.of(Map.of(kw(":db/id"), id("dan"), kw(":user/tags"), tags))).join();
    Database d = conn.db();
    assertEquals(1000, tagCount(d, "[:user/tags]"));
    assertEquals(1201, tagCount(d, "[[:user/tags :limit nil]]"));
    assertEquals(5, tagCount(d, "[[:user/tags :limit 5]]"));
    assertEquals(3, tagCount(d, "[(limit :user/tags 3)]"));
    assertEquals(1201, tagCount(d, "[(limit :user/tags nil)]"));
    assertEquals(1000, ((List<?>) d.pull("[*]", id("dan")).get(kw(":user/tags"))).size(),
        "the wildcard keeps the default limit");
    List<?> five = (List<?>) d.pull("[[:user/tags :limit 5]]", id("dan")).get(kw(":user/tags"));
    assertEquals(List.of("t0000", "t0001", "t0002", "t0003", "t0004"), five, "index order");
  }

  private int tagCount(Database d, String pattern) {
    return ((List<?>) d.pull(pattern, id("dan")).get(kw(":user/tags"))).size();
  }

  @Test
  void limitAppliesToRefsAndReverseRefs() {
    Map<Object, Object> r = db.pull("[{[:user/friends :limit 1] [:user/name]}"
        + " [:order/_customer :limit 1]]", ref("cat@x.org"));
    assertEquals(1, ((List<?>) r.get(kw(":user/friends"))).size());
    assertEquals(1, ((List<?>) db.pull("[{(limit :user/friends 1) [:user/name]}]",
        ref("cat@x.org")).get(kw(":user/friends"))).size(), "legacy limit as a map-spec key");
    Map<Object, Object> ann = db.pull("[[:order/_customer :limit 1]]", ref("ann@x.org"));
    assertEquals(map(":order/_customer", List.of(idMap("o1"))), ann);
    Map<Object, Object> all = db.pull("[:order/_customer]", ref("ann@x.org"));
    assertEquals(map(":order/_customer", List.of(idMap("o1"), idMap("o2"))), all);
  }

  @Test
  void limitIsIgnoredForCardOne() {
    assertEquals(map(":user/name", "Ann"), db.pull("[[:user/name :limit 1]]", ref("ann@x.org")));
  }

  // ---------------------------------------------------------------- nesting, components, reverse

  @Test
  void nestedEntitiesThatMatchNothingAreDropped() {
    // Of Cat's friends only Dan has tags; Ann has some too. Bob has friends with no tags.
    Map<Object, Object> cat = db.pull("[{:user/friends [:user/tags]}]", ref("cat@x.org"));
    assertEquals(map(":user/friends", List.of(map(":user/tags", List.of("a", "b", "c")),
        map(":user/tags", List.of("z")))), cat);
    assertNull(db.pull("[{:user/friends [:user/tags]}]", ref("bob@x.org")),
        "Bob's only friend Cat has no tags: nothing to show");
    assertEquals(map(":user/friends", "none"),
        db.pull("[{[:user/friends :default \"none\"] [:user/tags]}]", ref("bob@x.org")));
    assertEquals(map(":user/name", "Dan"),
        db.pull("[:user/name {:user/mentor [:user/name]}]", ref("dan@x.org")));
  }

  @Test
  void forwardComponentsPullWholeWithoutAPattern() {
    Map<Object, Object> r = db.pull("[:order/number :order/items]", id("o1"));
    assertEquals("{:order/items [{:db/id ? :item/parts [{:db/id ? :part/name \"core\"}"
        + " {:db/id ? :part/name \"stem\"}] :item/qty 2 :item/sku \"apple\"}"
        + " {:db/id ? :item/qty 1 :item/sku \"pear\"}] :order/number 1}",
        Render.value(anonymize(r)));
    Map<Object, Object> customer = db.pull("[:order/customer]", id("o1"));
    assertEquals(map(":order/customer", idMap("ann")), customer, "non-component: just the id");
  }

  @Test
  void reverseComponentIsOneMapAndReverseRefIsAList() {
    long apple = entityWith(":item/sku", "apple");
    assertEquals(map(":item/sku", "apple", ":order/_items", map(":order/number", 1L)),
        db.pull("[:item/sku {:order/_items [:order/number]}]", apple));
    assertEquals(map(":order/_items", idMap("o1")), db.pull("[:order/_items]", apple));
    assertEquals(map(":order/_customer", List.of(map(":order/number", 1L),
        map(":order/number", 2L))), db.pull("[{:order/_customer [:order/number]}]",
            ref("ann@x.org")));
    long street = entityWith(":address/street", "1 Main St");
    assertEquals(map(":user/_address", map(":user/name", "Ann")),
        db.pull("[{:user/_address [:user/name]}]", street));
  }

  // ---------------------------------------------------------------- wildcard

  @Test
  void wildcardPullsEverythingAndComponentsRecursively() {
    Map<Object, Object> r = db.pull("[*]", id("o1"));
    String shown = Render.value(anonymize(r));
    assertEquals("{:db/id ? :order/customer {:db/id ?} :order/items [{:db/id ? :item/parts"
        + " [{:db/id ? :part/name \"core\"} {:db/id ? :part/name \"stem\"}] :item/qty 2"
        + " :item/sku \"apple\"} {:db/id ? :item/qty 1 :item/sku \"pear\"}] :order/number 1}",
        shown);
    assertEquals(id("o1"), r.get(kw(":db/id")));
    assertEquals(idMap("ann"), r.get(kw(":order/customer")));
  }

  @Test
  void wildcardShowsEnumsAsIdsAndSkipsReverseRefs() {
    Map<Object, Object> r = db.pull("[*]", ref("ann@x.org"));
    assertEquals(map(":db/id", db.entid(kw(":status/active"))), r.get(kw(":user/status")));
    assertEquals(List.of(idMap("bob")), r.get(kw(":user/friends")));
    assertEquals(map(":address/street", "1 Main St", ":address/city", "Springfield"),
        withoutId(r.get(kw(":user/address"))));
    assertTrue(r.keySet().stream().noneMatch(k -> ((Keyword) k).isReverse()));
  }

  private static Map<Object, Object> withoutId(Object m) {
    Map<Object, Object> out = new LinkedHashMap<>((Map<?, ?>) m);
    out.remove(kw(":db/id"));
    return out;
  }

  @Test
  void explicitSpecsOverrideTheWildcard() {
    Map<Object, Object> r = db.pull("[* {:order/customer [:user/name]}"
        + " [:order/number :as :n :xform io.accrete.pull.PullTest/negate]]", id("o2"));
    assertEquals(map(":db/id", id("o2"), ":order/customer", map(":user/name", "Ann"), ":n", -2L),
        r);
    assertEquals(map(":db/id", id("o2"), ":order/number", 2L, ":order/customer", idMap("ann")),
        db.pull("[* :order/_items]", id("o2")));
  }

  @Test
  void wildcardOfNothingIsNull() {
    assertNull(db.pull("[*]", 987654321L));
    assertNull(db.pull("[\"*\"]", 987654321L));
  }

  // ---------------------------------------------------------------- recursion and cycles

  @Test
  void unboundedRecursionStopsOnCycles() {
    // ann -> bob -> cat -> (ann, dan): ann is on the path, so it comes back as its id.
    Map<Object, Object> r = db.pull("[:user/name {:user/friends ...}]", ref("ann@x.org"));
    Map<Object, Object> dan = map(":user/name", "Dan");
    Map<Object, Object> cat = map(":user/name", "Cat",
        ":user/friends", List.of(idMap("ann"), dan));
    Map<Object, Object> bob = map(":user/name", "Bob", ":user/friends", List.of(cat));
    assertEquals(map(":user/name", "Ann", ":user/friends", List.of(bob)), r);
    assertEquals(map(":user/name", "Ann", ":user/best-friend",
        map(":user/name", "Bob", ":user/best-friend", idMap("ann"))),
        db.pull("[:user/name {:user/best-friend ...}]", ref("ann@x.org")));
  }

  @Test
  void recursionLimitsCountPerSpec() {
    Map<Object, Object> one = db.pull("[:user/name {:user/friends 1}]", ref("ann@x.org"));
    assertEquals(map(":user/name", "Ann", ":user/friends", List.of(map(":user/name", "Bob"))),
        one);
    // Two recursive specs, each with its own depth: mentor chain bob -> cat -> dan.
    Map<Object, Object> r = db.pull("[:user/name {:user/mentor 1} {:user/best-friend 5}]",
        ref("bob@x.org"));
    assertEquals(map(":user/name", "Bob", ":user/mentor", map(":user/name", "Cat"),
        ":user/best-friend", map(":user/name", "Ann", ":user/best-friend", idMap("bob"))), r);
    Map<Object, Object> two = db.pull("[:user/name {:user/mentor 2}]", ref("bob@x.org"));
    assertEquals(map(":user/name", "Bob", ":user/mentor", map(":user/name", "Cat",
        ":user/mentor", map(":user/name", "Dan"))), two);
  }

  @Test
  void recursionInsideANestedPatternRepeatsThatPattern() {
    Map<Object, Object> r = db.pull("[:order/number {:order/customer [:user/email"
        + " {:user/best-friend 2}]}]", id("o1"));
    assertEquals(map(":order/number", 1L, ":order/customer", map(":user/email", "ann@x.org",
        ":user/best-friend", map(":user/email", "bob@x.org",
            ":user/best-friend", idMap("ann")))), r);
  }

  // ---------------------------------------------------------------- :xform

  /** An :xform for card-one values. */
  public static Object upper(Object s) {
    return ((String) s).toUpperCase();
  }

  /** An :xform for card-many values: it gets the whole list. */
  public static Object count(List<?> xs) {
    return (long) xs.size();
  }

  /** An :xform for longs. */
  public static long negate(long x) {
    return -x;
  }

  @Test
  void xformAppliesToValuesListsAndIds() {
    Map<Object, Object> r = db.pull("[[:user/name :xform io.accrete.pull.PullTest/upper]"
        + " [:user/tags :xform io.accrete.pull.PullTest/count]"
        + " [:db/id :as :neg :xform io.accrete.pull.PullTest/negate]"
        + " {[:user/friends :xform io.accrete.pull.PullTest/count] [:user/name]}]",
        ref("ann@x.org"));
    assertEquals(map(":user/name", "ANN", ":user/tags", 3L, ":neg", -id("ann"),
        ":user/friends", 1L), r);
  }

  @Test
  void xformIsNotAppliedToDefaults() {
    assertEquals(map(":user/tags", "none"), db.pull(
        "[[:user/tags :default \"none\" :xform io.accrete.pull.PullTest/count]]",
        ref("bob@x.org")));
  }

  // ---------------------------------------------------------------- pattern forms

  @Test
  void patternsAsDataMatchEdnText() {
    String text = "[:user/name (limit :user/tags 2) (default :user/mentor :none)"
        + " {[:user/friends :as :f] [* [:user/tags :limit 1]]} {:user/best-friend 1}]";
    List<Object> data = List.of(kw(":user/name"),
        EdnList.of(Symbol.intern("limit"), kw(":user/tags"), 2L),
        List.of(Symbol.intern("default"), ":user/mentor", kw(":none")),
        Map.of(List.of(":user/friends", kw(":as"), kw(":f")),
            List.of("*", List.of(kw(":user/tags"), kw(":limit"), 1))),
        Map.of(kw(":user/best-friend"), 1));
    Map<Object, Object> fromText = db.pull(text, ref("ann@x.org"));
    assertEquals(fromText, db.pull(data, ref("ann@x.org")));
    assertEquals(List.of("a", "b"), fromText.get(kw(":user/tags")));
    assertEquals(kw(":none"), fromText.get(kw(":user/mentor")));
    Map<?, ?> bob = (Map<?, ?>) ((List<?>) fromText.get(kw(":f"))).get(0);
    assertEquals("Bob", bob.get(kw(":user/name")));
    assertEquals(idMap("cat"), ((List<?>) bob.get(kw(":user/friends"))).get(0));
  }

  @Test
  void attrWithOptionsMayBeAList() {
    assertEquals(map(":n", "Ann"), db.pull("[(:user/name :as :n)]", ref("ann@x.org")));
  }

  @Test
  void parsedPatternPullsManyEntities() {
    PullPattern p = PullPattern.parse("[:user/name {:user/best-friend [:user/name]}]");
    assertSame(p, PullPattern.parse("[:user/name {:user/best-friend [:user/name]}]"),
        "EDN text is parsed once");
    Db d = (Db) db;
    List<Object> names = new ArrayList<>();
    for (String t : List.of("ann", "bob", "cat", "dan")) {
      Map<Object, Object> r = Puller.pull(d, p, id(t));
      names.add(r.get(kw(":user/name")));
      assertEquals(r, db.pull(p.form(), id(t)));
    }
    assertEquals(List.of("Ann", "Bob", "Cat", "Dan"), names);
    assertNull(Puller.pull(d, p, 987654321L));
  }

  @Test
  void thousandsOfEntitiesShareOneParseAndBinding() {
    List<Object> tx = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      tx.add(Map.of(kw(":user/email"), "u" + i + "@x.org", kw(":user/name"), "U" + i,
          kw(":user/best-friend"), ref("ann@x.org")));
    }
    conn.transact(tx).join();
    Db d = (Db) conn.db();
    PullPattern p = PullPattern.parse("[:user/email {:user/best-friend [:user/name]}]");
    BoundSelection bound = p.bind(d.schema());
    List<Object> eids = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      eids.add(ref("u" + i + "@x.org"));
    }
    List<Map<Object, Object>> rs = d.pullMany(p, eids);
    assertEquals(3000, rs.size());
    for (int i = 0; i < 3000; i++) {
      assertEquals(map(":user/email", "u" + i + "@x.org",
          ":user/best-friend", map(":user/name", "Ann")), rs.get(i));
    }
    assertSame(bound, p.bind(d.schema()), "bound once per schema");
    assertSame(p, PullPattern.parse(p), "a parsed pattern is taken as is");
  }

  @Test
  void aParsedPatternFollowsSchemaChanges() {
    PullPattern p = PullPattern.parse(List.of(kw(":user/name"), kw(":user/nick")));
    io.accrete.AccreteException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.accrete.AccreteException.class, () -> Puller.pull((Db) db, p, id("ann")));
    assertEquals(kw(":db.error/not-an-attribute"), e.code());
    conn.transact("[{:db/ident :user/nick :db/valueType :db.type/string"
        + " :db/cardinality :db.cardinality/one}]").join();
    conn.transact(List.of(Map.of(kw(":db/id"), id("ann"), kw(":user/nick"), "annie"))).join();
    assertEquals(map(":user/name", "Ann", ":user/nick", "annie"),
        Puller.pull((Db) conn.db(), p, id("ann")));
  }

  // ---------------------------------------------------------------- time and filters

  @Test
  void pullHonoursAsOfSinceAndFilters() {
    long before = conn.db().basisT();
    conn.transact(List.of(Map.of(kw(":db/id"), id("ann"), kw(":user/name"), "Anne",
        kw(":user/tags"), List.of("d")))).join();
    conn.transact(List.of(List.of(kw(":db/retract"), id("ann"), kw(":user/best-friend"),
        id("bob")))).join();
    Database now = conn.db();
    assertEquals(map(":user/name", "Anne", ":user/tags", List.of("a", "b", "c", "d")),
        now.pull("[:user/name :user/tags :user/best-friend]", id("ann")));
    Database then = now.asOf(before);
    assertEquals(map(":user/name", "Ann", ":user/tags", List.of("a", "b", "c"),
        ":user/best-friend", map(":user/name", "Bob")),
        then.pull("[:user/name :user/tags {:user/best-friend [:user/name]}]", id("ann")));
    assertEquals(map(":user/_best-friend", List.of(map(":user/name", "Ann"))),
        then.pull("[{:user/_best-friend [:user/name]}]", id("bob")));
    assertNull(now.pull("[:user/_best-friend]", id("bob")));
    assertEquals(map(":user/name", "Anne", ":user/tags", List.of("d")),
        now.since(before).pull("[:user/name :user/tags :user/email]", id("ann")));
    Database noTags = now.filter((dbv, datom) -> datom.a() != now.entid(kw(":user/tags")));
    assertEquals(map(":user/name", "Anne"), noTags.pull("[:user/name :user/tags]", id("ann")));
    assertTrue(!noTags.pull("[*]", id("ann")).containsKey(kw(":user/tags")));
  }

  @Test
  void historyShowsAssertionsOnly() {
    conn.transact(List.of(List.of(kw(":db/retract"), id("dan"), kw(":user/tags"), "z"))).join();
    conn.transact(List.of(List.of(kw(":db/add"), id("dan"), kw(":user/tags"), "y"))).join();
    Database h = conn.db().history();
    assertEquals(map(":user/tags", List.of("y", "z")), h.pull("[:user/tags]", id("dan")));
    assertEquals(map(":user/tags", List.of("y")), conn.db().pull("[:user/tags]", id("dan")));
  }
}
