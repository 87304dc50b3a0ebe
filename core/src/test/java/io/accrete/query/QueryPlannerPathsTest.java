package io.accrete.query;

import static io.accrete.query.QuerySupport.kw;
import static io.accrete.query.QuerySupport.q;
import static io.accrete.query.QuerySupport.rel;
import static io.accrete.query.QuerySupport.row;
import static io.accrete.query.QuerySupport.setOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same questions on a small database (where the planner scans and hash-joins) and on a big
 * one (where it looks bound rows up in an index): the answers must not depend on the strategy,
 * for every kind of database value and for every way of naming an entity.
 */
class QueryPlannerPathsTest {
  static final String SCHEMA = """
      [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :email :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :kind :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
       {:db/ident :kind/vip}
       {:db/ident :kind/plain}]
      """;

  /** A database with {@code filler} anonymous people, plus Ivan (20, then 21) and Olga (45). */
  static final class World {
    final Connection conn;
    final TxReport r1;
    final TxReport r2;
    final long ivan;
    final long olga;

    World(int filler) {
      conn = QuerySupport.conn(SCHEMA);
      StringBuilder tx = new StringBuilder("[");
      for (int i = 0; i < filler; i++) {
        tx.append("{:name \"P").append(i).append("\" :email \"p").append(i).append("@x\" :age ")
            .append(i % 100).append(" :kind :kind/plain}");
      }
      tx.append("{:db/id \"ivan\" :name \"Ivan\" :email \"ivan@x\" :age 20 :kind :kind/vip}");
      tx.append("{:db/id \"olga\" :name \"Olga\" :email \"olga@x\" :age 45 :kind :kind/plain}]");
      r1 = conn.transact(tx.toString()).join();
      ivan = r1.tempid("ivan");
      olga = r1.tempid("olga");
      r2 = conn.transact("[[:db/add [:email \"ivan@x\"] :age 21]]").join();
    }

    Database db() {
      return conn.db();
    }
  }

  static final Map<Integer, World> WORLDS = new java.util.concurrent.ConcurrentHashMap<>();

  static World world(int filler) {
    return WORLDS.computeIfAbsent(filler, World::new);
  }

  static String firstStrategy(Object query, Object... inputs) {
    @SuppressWarnings("unchecked")
    List<Map<Keyword, Object>> steps = (List<Map<Keyword, Object>>) Peer.explain(query, inputs).get(kw(":steps"));
    return (String) steps.get(steps.size() - 1).get(kw(":strategy"));
  }

  // ---------------------------------------------------------------- both sizes

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void currentValue(int filler) {
    World w = world(filler);
    Object r = q("[:find ?n ?a :where [?e :name ?n] [(contains? #{\"Ivan\" \"Olga\"} ?n)] [?e :age ?a]]", w.db());
    assertEquals(setOf(row("Ivan", 21L), row("Olga", 45L)), rel(r));
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void asOfValue(int filler) {
    World w = world(filler);
    Database then = w.db().asOf(w.r1.dbAfter().basisT());
    Object r = q("[:find ?a . :in $ ?n :where [?e :name ?n] [?e :age ?a]]", then, "Ivan");
    assertEquals(20L, r);
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void historyValue(int filler) {
    World w = world(filler);
    Object r = q("[:find ?a ?added :in $ ?n :where [?e :name ?n] [?e :age ?a _ ?added]]", w.db().history(), "Ivan");
    assertEquals(setOf(row(20L, true), row(20L, false), row(21L, true)), rel(r));
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void sinceValueJoinedWithCurrent(int filler) {
    World w = world(filler);
    Database since = w.db().since(w.r1.dbAfter().basisT());
    Object r = q("[:find ?n ?a :in $ $since :where [?e :name ?n] [$since ?e :age ?a]]", w.db(), since);
    assertEquals(setOf(row("Ivan", 21L)), rel(r));
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void filteredValue(int filler) {
    World w = world(filler);
    long age = w.db().entid(kw(":age"));
    Database no21 = w.db().filter((d, datom) -> datom.a() != age || (Long) datom.v() != 21L);
    Object r = q("[:find ?n ?a :where [?e :name ?n] [(contains? #{\"Ivan\" \"Olga\"} ?n)] [?e :age ?a]]", no21);
    assertEquals(setOf(row("Olga", 45L)), rel(r), "Ivan's age 21 is filtered out");
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void entityIdInput(int filler) {
    World w = world(filler);
    assertEquals(21L, q("[:find ?a . :in $ ?e :where [?e :age ?a]]", w.db(), w.ivan));
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void lookupRefInput(int filler) {
    World w = world(filler);
    Object ref = List.of(kw(":email"), "ivan@x");
    assertEquals(21L, q("[:find ?a . :in $ ?e :where [?e :age ?a]]", w.db(), ref),
        "strategy: " + firstStrategy("[:find ?a . :in $ ?e :where [?e :age ?a]]", w.db(), ref));
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void lookupRefsInCollectionInput(int filler) {
    World w = world(filler);
    Object refs = List.of(List.of(kw(":email"), "ivan@x"), List.of(kw(":email"), "olga@x"));
    Object r = q("[:find [?a ...] :in $ [?e ...] :where [?e :age ?a]]", w.db(), refs);
    assertEquals(setOf(21L, 45L), QuerySupport.coll(r));
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void identInputForRefValue(int filler) {
    World w = world(filler);
    String query = "[:find [?n ...] :in $ ?k :where [?e :kind ?k] [?e :name ?n]]";
    assertEquals(setOf("Ivan"), QuerySupport.coll(q(query, w.db(), kw(":kind/vip"))),
        "strategy: " + firstStrategy(query, w.db(), kw(":kind/vip")));
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void attributeAsInput(int filler) {
    World w = world(filler);
    Object r = q("[:find ?v . :in $ ?attr ?e :where [?e ?attr ?v]]", w.db(), kw(":age"), w.olga);
    assertEquals(45L, r);
  }

  @ParameterizedTest(name = "{0} filler people")
  @ValueSource(ints = {3, 3000})
  void rangeOverJoinedValues(int filler) {
    World w = world(filler);
    Object r = q("[:find ?n :in $ [?e ...] :where [?e :age ?a] [(> ?a 30)] [?e :name ?n]]", w.db(),
        List.of(w.ivan, w.olga));
    assertEquals(setOf(row("Olga")), rel(r));
  }

  // ---------------------------------------------------------------- the big one chooses lookups

  @Test
  void bigDatabaseUsesLookupsForBoundEntities() {
    World w = world(3000);
    String s = firstStrategy("[:find ?a . :in $ ?n :where [?e :name ?n] [?e :age ?a]]", w.db(), "Ivan");
    assertTrue(s.startsWith("lookup"), s);
  }

  @Test
  void sameAnswersOnBothSizes() {
    Function<Database, Object> ask = db -> rel(q("[:find ?n ?k :where [?e :age ?a] [(>= ?a 21)] [(< ?a 46)]"
        + " [?e :name ?n] [(contains? #{\"Ivan\" \"Olga\"} ?n)] [?e :kind ?kind] [?kind :db/ident ?k]]", db));
    assertEquals(setOf(row("Ivan", kw(":kind/vip")), row("Olga", kw(":kind/plain"))), ask.apply(world(3).db()));
    assertEquals(ask.apply(world(3).db()), ask.apply(world(3000).db()));
  }
}
