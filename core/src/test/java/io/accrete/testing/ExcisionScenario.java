package io.accrete.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Log;
import io.accrete.Peer;
import io.accrete.TxReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One excision workload and its checks, for every backend: people with a component address,
 * a changed e-mail (so history holds an older value), and excisions of an entity (with its
 * component), of one attribute of an entity, and of an attribute's values before a t.
 */
public final class ExcisionScenario {
  public static final String SCHEMA = "["
      + "{:db/ident :p/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
      + "{:db/ident :p/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
      + "{:db/ident :p/note :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}"
      + "{:db/ident :p/address :db/valueType :db.type/ref :db/cardinality :db.cardinality/one :db/isComponent true}"
      + "{:db/ident :a/street :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
      + "{:db/ident :p/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]";

  /** Strings that must be gone, from every index, history, the log and storage. */
  public static final List<String> SECRETS = List.of("ann-old-secret@example.org",
      "ann-new-secret@example.org", "Secret Street 17 (ann)", "bob-old-note-secret");

  public final Connection conn;
  public long ann;
  public long bob;
  public long excisedAt;

  public ExcisionScenario(Connection conn) {
    this.conn = conn;
  }

  /** The same scenario, its data already written and excised, seen through {@code other}. */
  public ExcisionScenario on(Connection other) {
    ExcisionScenario s = new ExcisionScenario(other);
    s.ann = ann;
    s.bob = bob;
    s.excisedAt = excisedAt;
    return s;
  }

  /** Writes the data; {@code indexBetween} merges novelty into durable trees between steps. */
  public ExcisionScenario load(boolean indexBetween) {
    conn.transact(SCHEMA).join();
    conn.transact("[{:p/name \"ann\" :p/email \"ann-old-secret@example.org\" :p/note \"kept? no\""
        + " :p/address {:a/street \"Secret Street 17 (ann)\"}}"
        + " {:p/name \"bob\" :p/email \"bob@example.org\" :p/note \"bob-old-note-secret\"}]").join();
    if (indexBetween) {
      conn.requestIndex();
    }
    conn.transact("[{:p/name \"ann\" :p/email \"ann-new-secret@example.org\"}"
        + " {:p/name \"bob\" :p/friend [:p/name \"ann\"] :p/note \"bob-new-note\"}]").join();
    Database db = conn.db();
    ann = db.entid(List.of(io.accrete.Keyword.intern(":p/name"), "ann"));
    bob = db.entid(List.of(io.accrete.Keyword.intern(":p/name"), "bob"));
    return this;
  }

  /**
   * Asks to excise ann (with her address) and bob's notes before the last transaction, in two
   * requests; returns the t of the second.
   */
  public long requestExcisions() {
    long lastT = conn.db().basisT();
    conn.transact("[{:db/excise " + ann + "}]").join();
    TxReport r = conn.transact("[{:db/excise :p/note :db.excise/beforeT " + lastT + "}]").join();
    excisedAt = r.dbAfter().basisT();
    return excisedAt;
  }

  /** {@link #requestExcisions}, then waits for {@code syncExcise}. */
  public Database excise() {
    return conn.syncExcise(requestExcisions()).join();
  }

  /** Everything a reader can reach shows neither the excised datoms nor their values. */
  public void checkGone(Database db) {
    for (Database view : List.of(db, db.history(), db.asOf(excisedAt - 3), db.asOf(1000L))) {
      List<Datom> all = datoms(view);
      for (Datom d : all) {
        assertFalse(d.e() == ann, () -> "ann's datom " + d + " is still in " + view);
        assertFalse(SECRETS.contains(String.valueOf(d.v())), () -> "excised value in " + d);
      }
    }
    for (Log.Entry e : conn.log().txRange(null, null)) {
      for (Datom d : e.data()) {
        assertFalse(d.e() == ann || SECRETS.contains(String.valueOf(d.v())),
            () -> "excised datom " + d + " still in the log at t " + e.t());
      }
    }
    Collection<?> names = (Collection<?>) Peer.q("[:find [?n ...] :where [?e :p/name ?n]]", db);
    assertTrue(names.contains("bob") && !names.contains("ann"), () -> "names: " + names);
    // What was not excised stays: bob, his newer note, his friend link to ann (a reference
    // to ann is a datom about bob), and the requests themselves.
    assertEquals("bob-new-note", db.entity(bob).get(":p/note"));
    assertEquals("bob@example.org", db.entity(bob).get(":p/email"));
    Collection<?> friends = (Collection<?>) Peer.q("[:find [?f ...] :in $ ?b :where [?b :p/friend ?f]]", db, bob);
    assertEquals(Set.of(ann), Set.copyOf(friends));
    for (Database view : List.of(db, db.asOf(excisedAt - 3))) {
      Collection<?> found = (Collection<?>) Peer.q(
          "[:find ?v :where [(fulltext $ :p/note \"secret\") [[?e ?v]]]]", view);
      assertTrue(found.isEmpty(), () -> "full-text still finds " + found);
    }
    Collection<?> requests = (Collection<?>) Peer.q("[:find [?r ...] :where [?r :db/excise]]", db);
    assertEquals(2, requests.size());
    Collection<?> bobNotes = (Collection<?>) Peer.q(
        "[:find [?v ...] :in $ ?b :where [?b :p/note ?v]]", db.history(), bob);
    assertEquals(Set.of("bob-new-note"), Set.copyOf(bobNotes));
  }

  /** Every datom of a view, from all four indexes' starts. */
  public static List<Datom> datoms(Database db) {
    List<Datom> out = new ArrayList<>();
    for (String index : List.of(":eavt", ":aevt", ":avet", ":vaet")) {
      for (Datom d : db.datoms(io.accrete.Keyword.intern(index))) {
        out.add(d);
      }
    }
    assertTrue(out.size() > 50, "the views hold the bootstrap at least");
    return out;
  }
}
