package io.accrete.tx;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Attribute;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.testing.TestData;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schema as data: installation, Datomic's alteration rules, tuples, predicates, specs, functions. */
public class SchemaTest {
  Connection conn;

  @BeforeEach
  void setUp() {
    conn = Peer.connect(TestData.freshUri());
  }

  TxReport tx(String edn) {
    return conn.transact(edn).join();
  }

  AccreteException fails(String edn) {
    long before = conn.db().basisT();
    CompletionException e = assertThrows(CompletionException.class, () -> conn.transact(edn).join());
    assertEquals(before, conn.db().basisT());
    return (AccreteException) e.getCause();
  }

  static Keyword k(String s) {
    return Keyword.intern(s);
  }

  @Test
  void attributesInstallWithTheirFacts() {
    tx("""
        [{:db/ident :a/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one
          :db/unique :db.unique/identity :db/doc "A name" :db/index true}
         {:db/ident :a/tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many
          :db/noHistory true}
         {:db/ident :a/parts :db/valueType :db.type/ref :db/cardinality :db.cardinality/many
          :db/isComponent true}]""");
    Attribute name = conn.db().attribute(k(":a/name"));
    assertEquals(k(":db.type/string"), name.valueType());
    assertEquals(Attribute.UNIQUE_IDENTITY, name.unique());
    assertEquals("A name", name.doc());
    assertTrue(name.isIndexed());
    assertTrue(name.id() < (1L << 42), "attributes live in :db.part/db");
    assertTrue(conn.db().attribute(k(":a/tags")).isNoHistory());
    assertTrue(conn.db().attribute(k(":a/parts")).isComponent());
    assertEquals(name, conn.db().attribute(name.id()));
    // Datomic records the installation.
    boolean installed = false;
    for (var d : conn.db().datoms(k(":eavt"), k(":db.part/db"), k(":db.install/attribute"), name.id())) {
      installed = true;
    }
    assertTrue(installed);
  }

  @Test
  void incompleteOrInconsistentAttributesAreRefused() {
    assertTrue(fails("[{:db/ident :b/x :db/valueType :db.type/long}]").getMessage().contains(":db/cardinality"));
    assertTrue(fails("[{:db/ident :b/x :db/cardinality :db.cardinality/one}]").getMessage().contains(":db/valueType"));
    assertTrue(fails("[{:db/ident :b/x :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/isComponent true}]")
        .getMessage().contains("not a reference"));
    assertTrue(fails("[{:db/ident :b/x :db/valueType :db.type/tuple :db/cardinality :db.cardinality/one}]")
        .getMessage().contains("exactly one of"));
    assertTrue(fails("[{:db/ident :b/x :db/valueType :db.type/nope :db/cardinality :db.cardinality/one}]")
        .getMessage().contains(":db.type/nope"));
  }

  @Test
  void alterationRules() {
    tx("""
        [{:db/ident :c/n :db/valueType :db.type/long :db/cardinality :db.cardinality/many}
         {:db/ident :c/s :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]""");
    long e1 = tx("[{:db/id \"e\" :c/n [1 2] :c/s \"x\"}]").tempid("e");
    tx("[{:db/id \"f\" :c/n 3 :c/s \"x\"}]");
    // Value types never change.
    AccreteException vt = fails("[{:db/id :c/n :db/valueType :db.type/string}]");
    assertEquals(":db.error/incompatible-schema-change", vt.code().toString());
    // Many to one needs at most one value per entity.
    assertTrue(fails("[{:db/id :c/n :db/cardinality :db.cardinality/one}]").getMessage().contains(String.valueOf(e1)));
    tx("[[:db/retract " + e1 + " :c/n 2]]");
    tx("[{:db/id :c/n :db/cardinality :db.cardinality/one}]");
    assertFalse(conn.db().attribute(k(":c/n")).isMany());
    // Uniqueness needs unique values.
    assertTrue(fails("[{:db/id :c/s :db/unique :db.unique/value}]").getMessage().contains("\"x\""));
    tx("[[:db/add " + e1 + " :c/s \"y\"]]");
    tx("[{:db/id :c/s :db/unique :db.unique/value}]");
    assertTrue(conn.db().attribute(k(":c/s")).isUnique());
    tx("[[:db/retract :c/s :db/unique :db.unique/value]]");
    assertFalse(conn.db().attribute(k(":c/s")).isUnique());
    // Other facts change freely; a ref-only fact is refused on a long.
    tx("[{:db/id :c/s :db/noHistory true :db/doc \"now documented\"}]");
    assertEquals("now documented", conn.db().attribute(k(":c/s")).doc());
    assertTrue(fails("[{:db/id :c/n :db/isComponent true}]").getMessage().contains("not a reference"));
    assertEquals(":db.error/incompatible-schema-change",
        fails("[[:db/retract :c/s :db/valueType :db.type/string]]").code().toString());
  }

  @Test
  void renamedIdentsKeepResolving() {
    tx("[{:db/ident :old/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
    long e = tx("[{:db/id \"e\" :old/name \"v\"}]").tempid("e");
    tx("[{:db/id :old/name :db/ident :new/name}]");
    Database db = conn.db();
    assertEquals(k(":new/name"), db.attribute(k(":old/name")).ident());
    assertEquals(db.entid(k(":new/name")), db.entid(k(":old/name")));
    assertEquals(k(":new/name"), db.ident(db.entid(k(":old/name"))));
    assertEquals("v", db.entity(e).get(":new/name"));
    tx("[[:db/add " + e + " :old/name \"w\"]]");
    assertEquals("w", conn.db().entity(e).get(":new/name"));
    assertTrue(conn.db().entity(e).keySet().contains(":new/name"));
  }

  @Test
  void compositeTuplesAreMaintained() {
    tx("""
        [{:db/ident :reg/course :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :reg/student :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :reg/course+student :db/valueType :db.type/tuple
          :db/tupleAttrs [:reg/course :reg/student] :db/cardinality :db.cardinality/one
          :db/unique :db.unique/identity}]""");
    long r = tx("[{:db/id \"r\" :reg/course \"math\" :reg/student \"ann\"}]").tempid("r");
    assertEquals(List.of("math", "ann"), conn.db().entity(r).get(":reg/course+student"));
    tx("[[:db/add " + r + " :reg/student \"bob\"]]");
    assertEquals(List.of("math", "bob"), conn.db().entity(r).get(":reg/course+student"));
    tx("[[:db/retract " + r + " :reg/course \"math\"]]");
    assertEquals(Arrays.asList(null, "bob"), conn.db().entity(r).get(":reg/course+student"));
    // Unique composite: a second registration with the same pair conflicts.
    tx("[{:db/id \"x\" :reg/course \"art\" :reg/student \"cy\"}]");
    assertEquals(":db.error/unique-conflict",
        fails("[{:db/id \"y\" :reg/course \"art\" :reg/student \"cy\"}]").code().toString());
    // Composites are not asserted by hand.
    assertEquals(":db.error/invalid-tuple-value",
        fails("[{:db/id \"z\" :reg/course+student [\"a\" \"b\"]}]").code().toString());
    // Lookup by the composite works.
    assertNotNull(conn.db().entid(List.of(k(":reg/course+student"), List.of("art", "cy"))));
  }

  @Test
  void heterogeneousAndHomogeneousTuples() {
    tx("""
        [{:db/ident :t/pair :db/valueType :db.type/tuple :db/tupleTypes [:db.type/string :db.type/long]
          :db/cardinality :db.cardinality/one}
         {:db/ident :t/coords :db/valueType :db.type/tuple :db/tupleType :db.type/double
          :db/cardinality :db.cardinality/one}]""");
    long e = tx("[{:db/id \"e\" :t/pair [\"a\" 1] :t/coords [1.5 2.5 3.5]}]").tempid("e");
    assertEquals(List.of("a", 1L), conn.db().entity(e).get(":t/pair"));
    assertEquals(List.of(1.5, 2.5, 3.5), conn.db().entity(e).get(":t/coords"));
    assertTrue(fails("[{:db/id \"e\" :t/pair [\"a\" \"b\"]}]").getMessage().contains("Element 1"));
    assertTrue(fails("[{:db/id \"e\" :t/pair [\"a\"]}]").getMessage().contains("2 to 8"));
  }

  public static boolean positive(Object v) {
    return v instanceof Long l && l > 0;
  }

  public static boolean adult(Database db, Object eid) {
    Object age = db.entity(eid).get(":p/age");
    return age instanceof Long l && l >= 18;
  }

  public static List<Object> inc(Database db, Object eid, Object attr, Object by) {
    Long cur = (Long) db.entity(eid).get(attr);
    long next = (cur == null ? 0 : cur) + (Long) by;
    return List.of(List.of(k(":db/add"), eid, attr, next));
  }

  public static List<Object> boom(Database db) {
    throw new IllegalStateException("boom");
  }

  @Test
  void attributePredicatesAndEntitySpecs() {
    tx("""
        [{:db/ident :p/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one
          :db.attr/preds io.accrete.tx.SchemaTest/positive}
         {:db/ident :p/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :p/adult-spec :db.entity/attrs [:p/name :p/age]
          :db.entity/preds io.accrete.tx.SchemaTest/adult}]""");
    tx("[{:p/age 5}]");
    AccreteException p = fails("[{:p/age -1}]");
    assertEquals(":db.error/attr-pred", p.code().toString());
    assertTrue(p.getMessage().contains("io.accrete.tx.SchemaTest/positive"), p.getMessage());
    tx("[{:p/name \"Ann\" :p/age 30 :db/ensure :p/adult-spec}]");
    assertEquals(":db.error/entity-attrs", fails("[{:p/age 30 :db/ensure :p/adult-spec}]").code().toString());
    assertEquals(":db.error/entity-pred",
        fails("[{:p/name \"Kid\" :p/age 10 :db/ensure :p/adult-spec}]").code().toString());
  }

  @Test
  void transactionFunctionsBySymbolAndByIdent() {
    tx("[{:db/ident :counter/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
    long c = tx("[{:db/id \"c\" :counter/n 1}]").tempid("c");
    tx("[[io.accrete.tx.SchemaTest/inc " + c + " :counter/n 5]]");
    assertEquals(6L, conn.db().entity(c).get(":counter/n"));
    tx("[{:db/ident :counter/inc :db/fn io.accrete.tx.SchemaTest/inc}]");
    tx("[[:counter/inc " + c + " :counter/n 10]]");
    assertEquals(16L, conn.db().entity(c).get(":counter/n"));
    AccreteException t = fails("[[io.accrete.tx.SchemaTest/boom]]");
    assertTrue(t.getMessage().contains("boom"), t.getMessage());
    assertEquals(":db.error/invalid-fn", fails("[[no.such.Cls/fn 1]]").code().toString());
    assertEquals(":db.error/not-a-fn", fails("[[:counter/n 1]]").code().toString());
  }

  @Test
  void noHistoryForgetsRetractedValues() {
    tx("[{:db/ident :h/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/noHistory true}]");
    long e = tx("[{:db/id \"e\" :h/v 1}]").tempid("e");
    long t1 = conn.db().basisT();
    tx("[[:db/add " + e + " :h/v 2]]");
    assertEquals(2L, conn.db().entity(e).get(":h/v"));
    assertNull(conn.db().asOf(t1).entity(e).get(":h/v"), "no history: the old value is gone");
  }

  @Test
  void userPartitions() {
    tx("[{:db/id \"p\" :db/ident :part/people} [:db/add :db.part/db :db.install/partition \"p\"]]");
    tx("[{:db/ident :x/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
    TxReport r = conn.transact(TxProcessor.parse("[{:db/id #db/id [:part/people -1] :x/v 1}]")).join();
    long e = r.tempids().values().iterator().next();
    assertEquals(conn.db().entid(k(":part/people")).longValue(), Peer.part(e));
    assertEquals(":db.error/not-a-partition",
        fails("[{:db/id #db/id [:x/v -1] :x/v 1}]").code().toString());
  }
}
