package io.accrete.transactor;

import io.accrete.Connection;
import io.accrete.Keyword;
import io.accrete.Peer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process the crash test kills: writers on several threads transact entities with five
 * attributes each and print {@code ACK <id>} once a transaction is acknowledged. Run as
 * {@code CrashWriter <uri> <first id> <threads> [<jdbc-url>]}; with a JDBC URL the process
 * also runs the transactor of that PostgreSQL storage (taking over from the one killed before).
 */
public final class CrashWriter {
  private CrashWriter() {}

  static final String SCHEMA = """
      [{:db/ident :crash/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :crash/a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :crash/b :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :crash/c :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :crash/d :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}]""";

  static Map<Object, Object> entity(long id) {
    Map<Object, Object> m = new HashMap<>();
    m.put(Keyword.intern(":crash/id"), id);
    m.put(Keyword.intern(":crash/a"), id * 3);
    m.put(Keyword.intern(":crash/b"), "entity " + id);
    m.put(Keyword.intern(":crash/c"), -id);
    m.put(Keyword.intern(":crash/d"), Keyword.intern(id % 2 == 0 ? ":even" : ":odd"));
    return m;
  }

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    AtomicLong next = new AtomicLong(Long.parseLong(args[1]));
    int threads = Integer.parseInt(args[2]);
    if (args.length > 3) {
      Transactor t = Transactor.start(Transactor.Options.of(args[3], "127.0.0.1", 0, System.err).withTimings(200, 1000));
      t.activated().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    Connection c = Peer.connect(uri);
    c.transact(SCHEMA).join(); // redundant after the first time
    PrintStream out = System.out;
    out.println("READY");
    out.flush();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        while (true) {
          long id = next.getAndIncrement();
          c.transact(List.of(entity(id), entity(id + 1_000_000_000L))).join();
          synchronized (out) {
            out.println("ACK " + id);
            out.flush();
          }
        }
      });
      t.start();
      ts.add(t);
    }
    for (Thread t : ts) {
      t.join();
    }
  }
}
