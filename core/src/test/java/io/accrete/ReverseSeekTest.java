package io.accrete;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code rseekDatoms} and reverse {@code indexPull} against the naive answer: the forward walk of
 * the same view from the start of the index to the same place, reversed. The data has durable
 * trees and novelty, values retracted and asserted again many times (groups of one entity,
 * attribute and value longer than a backward window) and every kind of view.
 */
class ReverseSeekTest {
  private static final List<Keyword> INDEXES = List.of(Keyword.intern(":eavt"), Keyword.intern(":aevt"),
      Keyword.intern(":avet"), Keyword.intern(":vaet"));

  @Test
  void backwardsIsTheForwardWalkReversed() {
    String uri = "accrete:mem://reverse-" + UUID.randomUUID() + "?indexThreshold=700";
    Peer.createDatabase(uri);
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :r/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/index true}"
        + " {:db/ident :r/s :db/valueType :db.type/string :db/cardinality :db.cardinality/many}"
        + " {:db/ident :r/to :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]").join();
    Random rnd = new Random(7);
    List<Long> ids = new ArrayList<>();
    TxReport first = c.transact(entities(300, rnd)).join();
    ids.addAll(first.tempids().values());
    Database middle = first.dbAfter();
    for (int round = 0; round < 12; round++) {
      List<Object> tx = new ArrayList<>();
      List<Long> some = new ArrayList<>(ids);
      Collections.shuffle(some, rnd);
      for (int i = 0; i < 120; i++) {
        long e = some.get(i); // one new value per entity and transaction
        tx.add(List.of(Keyword.intern(":db/add"), e, Keyword.intern(":r/n"), (long) rnd.nextInt(50)));
        tx.add(List.of(rnd.nextBoolean() ? Keyword.intern(":db/add") : Keyword.intern(":db/retract"), e,
            Keyword.intern(":r/s"), "s" + rnd.nextInt(20)));
      }
      c.transact(tx).join();
      if (round == 4) {
        middle = c.db();
      }
    }
    c.syncIndex(c.db().basisT()).join(); // durable trees under what follows
    // One value of one entity asserted and retracted 700 times: a group longer than a backward window.
    for (int i = 0; i < 700; i++) {
      c.transact(List.of(List.of(i % 2 == 0 ? Keyword.intern(":db/add") : Keyword.intern(":db/retract"), ids.get(1),
          Keyword.intern(":r/s"), "flip"))).join();
    }
    c.transact(entities(50, rnd)).join(); // novelty beside the trees
    Database now = c.db();
    Map<String, Database> views = new java.util.LinkedHashMap<>();
    views.put("current", now);
    views.put("as of the middle", now.asOf(middle.basisT()));
    views.put("since the middle", now.since(middle.basisT()));
    views.put("history", now.history());
    views.put("filtered", now.filter((db, d) -> d.e() % 3 != 0));
    for (Map.Entry<String, Database> v : views.entrySet()) {
      Database db = v.getValue();
      for (Keyword index : INDEXES) {
        List<Datom> all = list(db.seekDatoms(index));
        Collections.reverse(all);
        assertSame(all, list(db.rseekDatoms(index)), v.getKey() + " " + index + " from the end");
      }
      for (int probe = 0; probe < 6; probe++) {
        long e = ids.get(rnd.nextInt(ids.size()));
        assertBackwardsFrom(db, v.getKey(), Keyword.intern(":eavt"), e);
        assertBackwardsFrom(db, v.getKey(), Keyword.intern(":eavt"), e, Keyword.intern(":r/s"));
        assertBackwardsFrom(db, v.getKey(), Keyword.intern(":aevt"), Keyword.intern(":r/s"), e);
        assertBackwardsFrom(db, v.getKey(), Keyword.intern(":avet"), Keyword.intern(":r/n"), (long) rnd.nextInt(50));
        assertBackwardsFrom(db, v.getKey(), Keyword.intern(":vaet"), e);
      }
      assertBackwardsFrom(db, v.getKey(), Keyword.intern(":eavt"), ids.get(1), Keyword.intern(":r/s"), "flip");
      assertBackwardsFrom(db, v.getKey(), Keyword.intern(":avet"), Keyword.intern(":r/n"));
    }
  }

  @Test
  void reverseIndexPullWalksFromTheStartBackwards() {
    Connection c = Peer.connect(io.accrete.testing.TestData.freshUri());
    c.transact("[{:db/ident :r/rank :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
        + " {:db/ident :r/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").join();
    c.transact("[{:r/rank 30 :r/name \"c\"} {:r/rank 10 :r/name \"a\"} {:r/rank 20 :r/name \"b\"}"
        + " {:r/name \"no rank\"}]").join();
    Database db = c.db();
    assertEquals(List.of("b", "a"), names(db, ":avet", List.of(Keyword.intern(":r/rank"), 25L)),
        "by value, from 25 down");
    assertEquals(List.of("c", "b", "a"), names(db, ":avet", List.of(Keyword.intern(":r/rank"))),
        "the whole attribute, highest value first");
    List<Object> byEntity = names(db, ":aevt", List.of(Keyword.intern(":r/rank")));
    assertEquals(List.of("b", "a", "c"), byEntity, "by entity, the last made first");
  }

  private static List<Object> names(Database db, String index, List<Object> start) {
    List<Object> names = new ArrayList<>();
    for (Map<Object, Object> m : db.indexPull(Map.of(Keyword.intern(":index"), Keyword.intern(index),
        Keyword.intern(":selector"), Util.read("[:r/name]"), Keyword.intern(":start"), start,
        Keyword.intern(":reverse"), true))) {
      names.add(m.get(Keyword.intern(":r/name")));
    }
    return names;
  }

  private static void assertBackwardsFrom(Database db, String view, Keyword index, Object... components) {
    // Naive: the forward walk of the whole index up to and with the datoms that have these
    // leading components (seekDatoms from them is a suffix of that walk, datoms its matching head).
    List<Datom> all = list(db.seekDatoms(index));
    int from = all.size() - list(db.seekDatoms(index, components)).size();
    List<Datom> upTo = new ArrayList<>(all.subList(0, from + list(db.datoms(index, components)).size()));
    Collections.reverse(upTo);
    assertSame(upTo, list(db.rseekDatoms(index, components)), view + " " + index + " " + List.of(components));
  }

  /** Equal lists, or a short message naming the first place they differ. */
  private static void assertSame(List<Datom> expected, List<Datom> actual, String what) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        fail(what + ": datom " + i + " is " + actual.get(i) + ", expected " + expected.get(i));
      }
    }
    assertEquals(expected.size(), actual.size(), what + ": datoms backwards");
  }

  private static List<Object> entities(int n, Random rnd) {
    List<Object> tx = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tx.add(Map.of(Keyword.intern(":db/id"), "e" + i, Keyword.intern(":r/n"), (long) rnd.nextInt(50),
          Keyword.intern(":r/s"), List.of("s" + rnd.nextInt(20), "s" + rnd.nextInt(20)),
          Keyword.intern(":r/to"), "e" + rnd.nextInt(n)));
    }
    return tx;
  }

  private static List<Datom> list(Iterable<Datom> it) {
    List<Datom> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }
}
