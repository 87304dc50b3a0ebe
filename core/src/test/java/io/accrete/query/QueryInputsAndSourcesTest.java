package io.accrete.query;

import static io.accrete.query.QuerySupport.coll;
import static io.accrete.query.QuerySupport.kw;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.TxReport;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * :in bindings (scalar, tuple, collection, relation, blanks), sources (databases, asOf, since,
 * history, filtered, collections, logs, several at once), queries without a database, lookup
 * refs, idents, tx and added positions, tuple-valued attributes.
 */
class QueryInputsAndSourcesTest {
  static final String SCHEMA = """
      [{:db/ident :item/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :item/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :item/id :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}
       {:db/ident :item/price :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :item/tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}
       {:db/ident :item/status :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :item/maker :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :maker/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :maker/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :status/active}
       {:db/ident :status/retired}
       {:db/ident :t/pair :db/valueType :db.type/tuple :db/tupleTypes [:db.type/string :db.type/long]
        :db/cardinality :db.cardinality/one}
       {:db/ident :reg/course :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :reg/student :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :reg/course+student :db/valueType :db.type/tuple
        :db/tupleAttrs [:reg/course :reg/student] :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}]
      """;

  static final String TX1 = """
      [{:db/id "acme" :maker/email "a@acme.com" :maker/name "Acme"}
       {:db/id "bolt" :maker/email "b@bolt.com" :maker/name "Bolt"}
       {:item/sku "A1" :item/name "Anvil" :item/id #uuid "6f1c1b1e-0000-4000-8000-000000000001" :item/price 100 :item/tags [:heavy :metal]
        :item/status :status/active :item/maker "acme"}
       {:item/sku "B2" :item/name "Bolt pack" :item/price 5 :item/tags [:metal]
        :item/status :status/active :item/maker "bolt"}
       {:item/sku "C3" :item/name "Crate" :item/price 20 :item/status :status/retired
        :item/maker "acme"}
       {:db/id "p1" :t/pair ["a" 1]}
       {:db/id "p2" :t/pair ["b" 2]}
       {:db/id "p3" :t/pair ["b" 3]}
       {:reg/course "math" :reg/student "ann"}
       {:reg/course "math" :reg/student "bob"}
       {:reg/course "art" :reg/student "ann"}]
      """;
  static final String TX2 = """
      [[:db/add [:item/sku "A1"] :item/price 120]
       [:db/retract [:item/sku "B2"] :item/tags :metal]]
      """;
  static final String TX3 = """
      [{:item/sku "D4" :item/name "Drill" :item/price 80 :item/maker [:maker/email "b@bolt.com"]
        :item/status :status/active}]
      """;

  Connection conn;
  Database db;
  TxReport r1;
  TxReport r2;
  TxReport r3;

  @BeforeEach
  void load() {
    conn = QuerySupport.conn(SCHEMA);
    r1 = conn.transact(TX1).join();
    r2 = conn.transact(TX2).join();
    r3 = conn.transact(TX3).join();
    db = conn.db();
  }

  long t(TxReport r) {
    return r.dbAfter().basisT();
  }

  Long id(String sku) {
    return db.entid(List.of(kw(":item/sku"), sku));
  }

  // ---------------------------------------------------------------- bindings

  @Test
  void scalarBinding() {
    assertEquals("Anvil", q("[:find ?n . :in $ ?sku :where [?i :item/sku ?sku] [?i :item/name ?n]]", db, "A1"));
  }

  @Test
  void integerInputsBehaveLikeLongs() {
    assertEquals("Crate", q("[:find ?n . :in $ ?p :where [?i :item/price ?p] [?i :item/name ?n]]", db, 20));
  }

  @Test
  void blankScalarInput() {
    assertEquals("Anvil", q("[:find ?n . :in $ _ ?sku :where [?i :item/sku ?sku] [?i :item/name ?n]]",
        db, "ignored", "A1"));
  }

  @Test
  void uuidValuesAsLiteralAndInput() {
    assertEquals("A1", q("[:find ?sku . :where [?i :item/id #uuid \"6f1c1b1e-0000-4000-8000-000000000001\"]"
        + " [?i :item/sku ?sku]]", db));
    assertEquals("A1", q("[:find ?sku . :in $ ?id :where [?i :item/id ?id] [?i :item/sku ?sku]]", db,
        java.util.UUID.fromString("6f1c1b1e-0000-4000-8000-000000000001")));
  }

  @Test
  void tupleBinding() {
    Object r = q("[:find ?n :in $ [?lo ?hi] :where [?i :item/price ?p] [(<= ?lo ?p)] [(< ?p ?hi)]"
        + " [?i :item/name ?n]]", db, List.of(10L, 100L));
    assertEquals(setOf(row("Crate"), row("Drill")), rel(r));
  }

  @Test
  void tupleBindingWithBlank() {
    Object r = q("[:find ?n :in $ [_ ?sku] :where [?i :item/sku ?sku] [?i :item/name ?n]]", db,
        List.of("ignored", "B2"));
    assertEquals(setOf(row("Bolt pack")), rel(r));
  }

  @Test
  void collectionBinding() {
    Object r = q("[:find ?sku ?n :in $ [?sku ...] :where [?i :item/sku ?sku] [?i :item/name ?n]]", db,
        List.of("A1", "C3", "Z9"));
    assertEquals(setOf(row("A1", "Anvil"), row("C3", "Crate")), rel(r));
  }

  @Test
  void collectionBindingOfASet() {
    Object r = q("[:find [?n ...] :in $ [?p ...] :where [?i :item/price ?p] [?i :item/name ?n]]", db,
        Set.of(5L, 80L));
    assertEquals(setOf("Bolt pack", "Drill"), coll(r));
  }

  @Test
  void emptyCollectionBindingGivesNoRows() {
    Object r = q("[:find ?n :in $ [?sku ...] :where [?i :item/sku ?sku] [?i :item/name ?n]]", db, List.of());
    assertEquals(Set.of(), rel(r));
  }

  @Test
  void relationBinding() {
    Object r = q("[:find ?sku ?total :in $ [[?sku ?qty]] :where [?i :item/sku ?sku] [?i :item/price ?p]"
        + " [(* ?p ?qty) ?total]]", db, List.of(List.of("A1", 2L), List.of("B2", 10L), List.of("X", 1L)));
    assertEquals(setOf(row("A1", 240L), row("B2", 50L)), rel(r));
  }

  @Test
  void relationBindingWithBlank() {
    Object r = q("[:find ?n :in $ [[?sku _]] :where [?i :item/sku ?sku] [?i :item/name ?n]]", db,
        List.of(List.of("A1", "whatever"), List.of("D4", 7L)));
    assertEquals(setOf(row("Anvil"), row("Drill")), rel(r));
  }

  @Test
  void sameVariableBoundByInputAndPattern() {
    Object r = q("[:find ?sku :in $ ?p :where [?i :item/price ?p] [?i :item/sku ?sku]]", db, 120L);
    assertEquals(setOf(row("A1")), rel(r));
  }

  // ---------------------------------------------------------------- entity references

  @Test
  void entityIdInput() {
    assertEquals("Anvil", q("[:find ?n . :in $ ?i :where [?i :item/name ?n]]", db, id("A1")));
  }

  @Test
  void lookupRefInputInEntityPosition() {
    Object ref = List.of(kw(":item/sku"), "A1");
    assertEquals("Anvil", q("[:find ?n . :in $ ?i :where [?i :item/name ?n]]", db, ref));
  }

  @Test
  void lookupRefInputInEntityPositionJoined() {
    Object ref = List.of(kw(":item/sku"), "C3");
    assertEquals("Acme", q("[:find ?mn . :in $ ?i :where [?i :item/maker ?m] [?m :maker/name ?mn]]", db, ref));
  }

  @Test
  void lookupRefConstantInEntityPosition() {
    assertEquals("Anvil", q("[:find ?n . :where [[:item/sku \"A1\"] :item/name ?n]]", db));
  }

  @Test
  void lookupRefConstantInValuePosition() {
    Object r = q("[:find [?n ...] :where [?i :item/maker [:maker/email \"a@acme.com\"]] [?i :item/name ?n]]", db);
    assertEquals(setOf("Anvil", "Crate"), coll(r));
  }

  @Test
  void lookupRefInputInValuePosition() {
    Object r = q("[:find [?n ...] :in $ ?m :where [?i :item/maker ?m] [?i :item/name ?n]]", db,
        List.of(kw(":maker/email"), "b@bolt.com"));
    assertEquals(setOf("Bolt pack", "Drill"), coll(r));
  }

  @Test
  void identConstantInValuePosition() {
    Object r = q("[:find [?sku ...] :where [?i :item/status :status/active] [?i :item/sku ?sku]]", db);
    assertEquals(setOf("A1", "B2", "D4"), coll(r));
  }

  @Test
  void identInputInValuePosition() {
    Object r = q("[:find [?sku ...] :in $ ?s :where [?i :item/status ?s] [?i :item/sku ?sku]]", db,
        kw(":status/retired"));
    assertEquals(setOf("C3"), coll(r));
  }

  @Test
  void identConstantInEntityPosition() {
    Object r = q("[:find ?vt . :where [:item/price :db/valueType ?t] [?t :db/ident ?vt]]", db);
    assertEquals(kw(":db.type/long"), r);
  }

  @Test
  void refValuesAreEntityIdsJoinableWithIdent() {
    Object r = q("[:find ?sku ?st :where [?i :item/status ?s] [?s :db/ident ?st] [?i :item/sku ?sku]]", db);
    assertEquals(setOf(row("A1", kw(":status/active")), row("B2", kw(":status/active")),
        row("C3", kw(":status/retired")), row("D4", kw(":status/active"))), rel(r));
  }

  @Test
  void keywordValues() {
    Object r = q("[:find ?sku :where [?i :item/tags :heavy] [?i :item/sku ?sku]]", db);
    assertEquals(setOf(row("A1")), rel(r));
    Object tags = q("[:find [?t ...] :where [_ :item/tags ?t]]", db);
    assertEquals(setOf(kw(":heavy"), kw(":metal")), coll(tags));
  }

  @Test
  void attributeAsVariable() {
    Object r = q("[:find ?attr :in $ ?i :where [?i ?a _] [?a :db/ident ?attr]]", db, id("C3"));
    assertEquals(setOf(row(kw(":item/sku")), row(kw(":item/name")), row(kw(":item/price")),
        row(kw(":item/status")), row(kw(":item/maker"))), rel(r), "C3 has no :item/id or tags");
  }

  // ---------------------------------------------------------------- tx and added positions

  @Test
  void txPositionBindsTheTransaction() {
    Object r = q("[:find ?p ?tx :in $ ?sku :where [?i :item/sku ?sku] [?i :item/price ?p ?tx]]", db, "A1");
    assertEquals(setOf(row(120L, r2.tx())), rel(r));
  }

  @Test
  void txPositionAsInputAndConstant() {
    Object r = q("[:find [?sku ...] :in $ ?tx :where [?i :item/name _ ?tx] [?i :item/sku ?sku]]", db, r3.tx());
    assertEquals(setOf("D4"), coll(r));
    Object c = q("[:find [?sku ...] :where [?i :item/price _ " + r2.tx() + "] [?i :item/sku ?sku]]", db);
    assertEquals(setOf("A1"), coll(c));
  }

  @Test
  void txEntityHasTxInstant() {
    Object r = q("[:find ?inst . :in $ ?sku :where [?i :item/sku ?sku] [?i :item/price _ ?tx]"
        + " [?tx :db/txInstant ?inst]]", db, "A1");
    assertNotNull(r);
    assertEquals(r, db.entity(r2.tx()).get(":db/txInstant"));
  }

  @Test
  void historyWithAddedPosition() {
    Object r = q("[:find ?p ?added :in $ ?sku :where [?i :item/sku ?sku] [?i :item/price ?p _ ?added]]",
        db.history(), "A1");
    assertEquals(setOf(row(100L, true), row(100L, false), row(120L, true)), rel(r));
  }

  @Test
  void historyRetractionsOnly() {
    Object r = q("[:find ?sku ?a ?v ?tx :where [?i ?attr ?v ?tx false] [?attr :db/ident ?a]"
        + " [?i :item/sku ?sku]]", db.history());
    assertEquals(setOf(row("A1", kw(":item/price"), 100L, r2.tx()), row("B2", kw(":item/tags"), kw(":metal"), r2.tx())),
        rel(r));
  }

  @Test
  void historyAsNamedSourceNextToCurrent() {
    Object r = q("[:find ?sku ?old ?now :in $ $hist :where [$hist ?i :item/price ?old _ false]"
        + " [?i :item/price ?now] [?i :item/sku ?sku]]", db, db.history());
    assertEquals(setOf(row("A1", 100L, 120L)), rel(r));
  }

  // ---------------------------------------------------------------- other database values

  @Test
  void asOfDatabase() {
    Object r = q("[:find ?sku ?p :where [?i :item/price ?p] [?i :item/sku ?sku]]", db.asOf(t(r1)));
    assertEquals(setOf(row("A1", 100L), row("B2", 5L), row("C3", 20L)), rel(r));
  }

  @Test
  void asOfAsSecondSource() {
    Object r = q("[:find ?sku ?before ?after :in $ $before :where [$before ?i :item/price ?before]"
        + " [?i :item/price ?after] [(!= ?before ?after)] [?i :item/sku ?sku]]", db, db.asOf(t(r1)));
    assertEquals(setOf(row("A1", 100L, 120L)), rel(r));
  }

  @Test
  void sinceDatabase() {
    Object r = q("[:find ?sku :in $ $since :where [$since ?i :item/price _] [?i :item/sku ?sku]]", db,
        db.since(t(r1)));
    assertEquals(setOf(row("A1"), row("D4")), rel(r));
  }

  @Test
  void filteredDatabase() {
    long price = db.entid(kw(":item/price"));
    Database cheap = db.filter((d, datom) -> datom.a() != price || (Long) datom.v() < 50);
    Object r = q("[:find ?sku ?p :where [?i :item/price ?p] [?i :item/sku ?sku]]", cheap);
    assertEquals(setOf(row("B2", 5L), row("C3", 20L)), rel(r));
  }

  @Test
  void twoDatabasesWithoutDefaultSource() {
    Object r = q("[:find ?sku :in $old $new :where [$new ?i :item/sku ?sku] (not [$old ?i :item/sku ?sku])]",
        db.asOf(t(r1)), db);
    assertEquals(setOf(row("D4")), rel(r));
  }

  @Test
  void withDatabaseSpeculativeValue() {
    Database later = db.with(List.of(List.of(kw(":db/add"), List.of(kw(":item/sku"), "B2"), kw(":item/price"), 7L)))
        .dbAfter();
    Object r = q("[:find ?p . :in $ ?sku :where [?i :item/sku ?sku] [?i :item/price ?p]]", later, "B2");
    assertEquals(7L, r);
    assertEquals(5L, q("[:find ?p . :in $ ?sku :where [?i :item/sku ?sku] [?i :item/price ?p]]", db, "B2"));
  }

  @Test
  void getElseAndPullOnNamedSource() {
    Object r = q("[:find ?old . :in $ $before ?sku :where [?i :item/sku ?sku]"
        + " [(get-else $before ?i :item/price 0) ?old]]", db, db.asOf(t(r1)), "D4");
    assertEquals(0L, r);
    Object p = q("[:find (pull $before ?i [:item/price]) . :in $ $before ?sku :where [?i :item/sku ?sku]]",
        db, db.asOf(t(r1)), "A1");
    assertEquals(Map.of(kw(":item/price"), 100L), p);
  }

  @Test
  void ruleOnNamedSource() {
    Object rules = QuerySupport.edn("[[(priced ?i ?p) [?i :item/price ?p]]]");
    Object r = q("[:find ?sku ?p :in $ $before % :where ($before priced ?i ?p) [?i :item/sku ?sku]]",
        db, db.asOf(t(r1)), rules);
    assertEquals(setOf(row("A1", 100L), row("B2", 5L), row("C3", 20L)), rel(r));
  }

  @Test
  void orAndNotOnNamedSource() {
    Object r = q("[:find [?sku ...] :in $ $before :where [?i :item/sku ?sku]"
        + " ($before or [?i :item/price 100] [?i :item/price 5])]", db, db.asOf(t(r1)));
    assertEquals(setOf("A1", "B2"), coll(r));
    Object n = q("[:find [?sku ...] :in $ $before :where [?i :item/sku ?sku] ($before not [?i :item/sku _])]",
        db, db.asOf(t(r1)));
    assertEquals(setOf("D4"), coll(n));
  }

  // ---------------------------------------------------------------- collections as sources

  @Test
  void relationAsNamedSource() {
    List<List<Object>> list = List.of(List.of("A1", 110L), List.of("B2", 5L), List.of("Q7", 1L));
    Object r = q("[:find ?sku ?p ?lp :in $ $list :where [$list ?sku ?lp] [?i :item/sku ?sku]"
        + " [?i :item/price ?p] [(!= ?p ?lp)]]", db, list);
    assertEquals(setOf(row("A1", 120L, 110L)), rel(r));
  }

  @Test
  void relationSourceWithConstantsAndBlanks() {
    List<List<Object>> edges = List.of(List.of("a", "likes", "b"), List.of("b", "likes", "c"),
        List.of("a", "hates", "c"), List.of("c", "likes", "a"));
    Object r = q("[:find ?x ?y :in $e :where [$e ?x \"likes\" ?y]]", edges);
    assertEquals(setOf(row("a", "b"), row("b", "c"), row("c", "a")), rel(r));
    Object s = q("[:find [?x ...] :in $e :where [$e ?x _ \"c\"]]", edges);
    assertEquals(setOf("a", "b"), coll(s));
    Object joined = q("[:find ?x ?z :in $e :where [$e ?x \"likes\" ?y] [$e ?y \"likes\" ?z]]", edges);
    assertEquals(setOf(row("a", "c"), row("b", "a"), row("c", "b")), rel(joined));
  }

  @Test
  void relationAsDefaultSource() {
    List<List<Object>> people = List.of(List.of("ann", 35), List.of("bob", 25), List.of("cy", 41));
    Object r = q("[:find ?name :where [?name ?age] [(> ?age 30)]]", people);
    assertEquals(setOf(row("ann"), row("cy")), rel(r));
  }

  @Test
  void repeatedVariableInCollectionPattern() {
    List<List<Object>> pairs = List.of(List.of(1L, 1L), List.of(1L, 2L), List.of(3L, 3L));
    assertEquals(setOf(1L, 3L), coll(q("[:find [?x ...] :in $ :where [?x ?x]]", pairs)));
  }

  // ---------------------------------------------------------------- no database at all

  @Test
  void queryWithoutDatabase() {
    assertEquals(3L, q("[:find ?s . :in ?a ?b :where [(+ ?a ?b) ?s]]", 1L, 2L));
    Object r = q("[:find ?x ?y :in [[?x ?y]] :where [(> ?y 1)]]",
        List.of(List.of("a", 1L), List.of("b", 2L), List.of("c", 3L)));
    assertEquals(setOf(row("b", 2L), row("c", 3L)), rel(r));
  }

  @Test
  void queryWithoutWhere() {
    Object r = q("[:find ?x :in [?x ...]]", List.of(1L, 2L, 2L, 3L));
    assertEquals(setOf(row(1L), row(2L), row(3L)), rel(r));
    assertEquals(List.of("a", 1L), List.copyOf((List<?>) q("[:find [?a ?b] :in ?a ?b]", "a", 1L)));
  }

  @Test
  void queryWithNoInAndNoDatabaseVariables() {
    Object r = q("[:find ?x . :where [(ground 42) ?x]]", db);
    assertEquals(42L, r);
  }

  @Test
  void crossProductOfInputs() {
    Object r = q("[:find ?x ?y :in [?x ...] [?y ...]]", List.of(1L, 2L), List.of("a", "b"));
    assertEquals(setOf(row(1L, "a"), row(1L, "b"), row(2L, "a"), row(2L, "b")), rel(r));
  }

  // ---------------------------------------------------------------- tuples

  @Test
  void tupleValuedAttributeMatchedByConstantAndInput() {
    Long p2 = q("[:find ?e . :where [?e :t/pair [\"b\" 2]]]", db) instanceof Long l ? l : null;
    assertNotNull(p2);
    assertEquals(p2, q("[:find ?e . :in $ ?p :where [?e :t/pair ?p]]", db, List.of("b", 2L)));
    assertNull(q("[:find ?e . :where [?e :t/pair [\"b\" 9]]]", db));
  }

  @Test
  void tupleValuesUntupledAndCompared() {
    Object r = q("[:find ?s ?n :where [_ :t/pair ?p] [(untuple ?p) [?s ?n]] [(> ?n 1)]]", db);
    assertEquals(setOf(row("b", 2L), row("b", 3L)), rel(r));
    Object ranged = q("[:find [?n ...] :where [_ :t/pair ?p] [(< ?p [\"b\" 3])] [(untuple ?p) [_ ?n]]]", db);
    assertEquals(setOf(1L, 2L), coll(ranged));
  }

  @Test
  void compositeTupleBuiltWithTupleFunction() {
    Object r = q("[:find ?r . :in $ ?c ?s :where [(tuple ?c ?s) ?k] [?r :reg/course+student ?k]]", db,
        "art", "ann");
    assertNotNull(r);
    assertEquals(r, db.entid(List.of(kw(":reg/course+student"), List.of("art", "ann"))));
    Object students = q("[:find [?s ...] :where [?r :reg/course+student ?k] [(untuple ?k) [?c ?s]]"
        + " [(= ?c \"math\")]]", db);
    assertEquals(setOf("ann", "bob"), coll(students));
  }

  @Test
  void compositeLookupRefAsInput() {
    Object ref = List.of(kw(":reg/course+student"), List.of("math", "bob"));
    assertEquals("bob", q("[:find ?s . :in $ ?r :where [?r :reg/student ?s]]", db, ref));
  }

  // ---------------------------------------------------------------- the log

  @Test
  void txIdsFromLog() {
    Object r = q("[:find [?tx ...] :in ?log ?from ?to :where [(tx-ids ?log ?from ?to) [?tx ...]]]",
        conn.log(), t(r2), t(r3) + 1);
    assertEquals(setOf(r2.tx(), r3.tx()), coll(r));
  }

  @Test
  void txDataFromLog() {
    Object r = q("[:find ?sku ?attr ?v ?added :in $ ?log ?tx :where [(tx-data ?log ?tx) [[?e ?a ?v _ ?added]]]"
        + " [?a :db/ident ?attr] [?e :item/sku ?sku]]", db, conn.log(), r2.tx());
    assertEquals(setOf(row("A1", kw(":item/price"), 100L, false), row("A1", kw(":item/price"), 120L, true),
        row("B2", kw(":item/tags"), kw(":metal"), false)), rel(r));
  }

  @Test
  void txIdsThenTxData() {
    Object r = q("[:find [?sku ...] :in $ ?log ?from ?to :where [(tx-ids ?log ?from ?to) [?tx ...]]"
        + " [(tx-data ?log ?tx) [[?e ?a _ _ ?added]]] [(= ?added true)] [?a :db/ident :item/name]"
        + " [?e :item/sku ?sku]]", db, conn.log(), t(r3), t(r3) + 1);
    assertEquals(setOf("D4"), coll(r));
  }

  @Test
  void logAsUnusedInputIsHarmless() {
    assertEquals(Arrays.asList("Anvil"), List.copyOf((java.util.Collection<?>) q(
        "[:find [?n ...] :in $ ?log :where [?i :item/sku \"A1\"] [?i :item/name ?n]]", db, conn.log())));
  }
}
