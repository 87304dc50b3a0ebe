package io.accrete.transactor;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.Symbol;
import io.accrete.TxReport;
import io.accrete.Util;
import io.accrete.transactor.TxnHistory.Mop;
import io.accrete.transactor.TxnHistory.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Multi-key list-append transactions on a database, for {@link TxnHistory}: a write transaction
 * is the database function {@code :txn/run}, which reads lists and appends to others inside the
 * transaction (the reads as of its start, recorded on the transaction entity as
 * {@code :txn/reads}); a read-only one reads several lists from one database value. The text
 * forms carry transactions to and from {@link TxnPeerProcess}.
 */
final class ListTxns {
  private ListTxns() {}

  private static final String CODE = """
      io.accrete.Database d = (io.accrete.Database) db;
      List out = new ArrayList();
      StringBuilder reads = new StringBuilder();
      int i = 0;
      for (Object o : (List) ops) {
        List op = (List) o;
        long k = ((Number) op.get(1)).longValue();
        if ("a".equals(op.get(0))) {
          out.add(map(Keyword.intern(":db/id"), "a" + (i++), Keyword.intern(":list/key"), k,
              Keyword.intern(":list/elem"), op.get(2)));
        } else {
          TreeMap byTx = new TreeMap();
          for (Object row : (Collection) Peer.q(
              "[:find ?v ?tx :in $ ?k :where [?e :list/key ?k ?tx] [?e :list/elem ?v]]", d, k)) {
            List r = (List) row;
            byTx.put(r.get(1), r.get(0));
          }
          reads.append(k).append('=');
          String sep = "";
          for (Object v : byTx.values()) {
            reads.append(sep).append(v);
            sep = " ";
          }
          reads.append(';');
        }
      }
      if (reads.length() > 0) {
        out.add(list(Keyword.intern(":db/add"), "datomic.tx", Keyword.intern(":txn/reads"), reads.toString()));
      }
      return out;
      """;

  /** The schema and the transaction function, as transaction data. */
  static List<Object> schema() {
    return List.of(
        Util.read("{:db/ident :list/key :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"),
        Util.read("{:db/ident :list/elem :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"),
        Util.read("{:db/ident :txn/reads :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"),
        Util.map(kw(":db/ident"), kw(":txn/run"), kw(":db/fn"), Peer.function(Map.of(kw(":lang"), "java",
            kw(":params"), List.of(Symbol.intern("db"), Symbol.intern("ops")), kw(":code"), CODE))));
  }

  private static Keyword kw(String s) {
    return Keyword.intern(s);
  }

  /** The list of {@code key} in {@code db}: its elements in transaction order (as :txn/run reads it). */
  static List<Long> list(Database db, long key) {
    java.util.TreeMap<Long, Long> byTx = new java.util.TreeMap<>();
    for (Object row : (java.util.Collection<?>) Peer.q(
        "[:find ?v ?tx :in $ ?k :where [?e :list/key ?k ?tx] [?e :list/elem ?v]]", db, key)) {
      List<?> r = (List<?>) row;
      byTx.put((Long) r.get(1), (Long) r.get(0));
    }
    return new ArrayList<>(byTx.values());
  }

  /** A list as text: {@code 1 2 3}. */
  static String text(List<Long> l) {
    StringBuilder b = new StringBuilder();
    for (Long v : l) {
      b.append(b.length() == 0 ? "" : " ").append(v);
    }
    return b.toString();
  }

  /** Runs a write transaction; returns its micro-operations with their reads, and its outcome. */
  static Result write(Connection c, List<Mop> mops) {
    List<Object> ops = new ArrayList<>();
    for (Mop m : mops) {
      ops.add(m.append() ? List.of("a", m.key(), m.value()) : List.of("r", m.key()));
    }
    try {
      TxReport r = c.transact(List.of(List.of(kw(":txn/run"), ops))).get(60, TimeUnit.SECONDS);
      Long attr = r.dbAfter().entid(kw(":txn/reads"));
      String reads = "";
      for (Datom d : r.txData()) {
        if (d.a() == attr) {
          reads = (String) d.v();
        }
      }
      return new Result(Outcome.OK, withReads(mops, parseReads(reads)), "", r.dbAfter().basisT());
    } catch (ExecutionException e) {
      boolean unknown = e.getCause() instanceof AccreteException a && TransactorLink.UNKNOWN.equals(a.code());
      return new Result(unknown ? Outcome.UNKNOWN : Outcome.FAIL, mops, String.valueOf(e.getCause()), -1);
    } catch (Exception e) {
      return new Result(Outcome.UNKNOWN, mops, e.toString(), -1);
    }
  }

  /** Reads lists from one database value, synced first when {@code synced}. */
  static Result read(Connection c, List<Mop> mops, boolean synced) {
    try {
      Database db = synced ? c.sync().get(60, TimeUnit.SECONDS) : c.db();
      Map<Long, List<Long>> seen = new LinkedHashMap<>();
      for (Mop m : mops) {
        seen.put(m.key(), list(db, m.key()));
      }
      return new Result(Outcome.OK, withReads(mops, seen), "", -1);
    } catch (Exception e) {
      return new Result(Outcome.FAIL, mops, e.toString(), -1); // nothing was written
    }
  }

  /** What a transaction did: for an acknowledged write, {@code t} is its t (else -1). */
  record Result(Outcome outcome, List<Mop> mops, String why, long t) {}

  private static List<Mop> withReads(List<Mop> mops, Map<Long, List<Long>> reads) {
    List<Mop> out = new ArrayList<>();
    for (Mop m : mops) {
      out.add(m.append() ? m : Mop.read(m.key(), reads.getOrDefault(m.key(), List.of())));
    }
    return out;
  }

  /** {@code 1=4 5;2=;} to lists by key. */
  static Map<Long, List<Long>> parseReads(String s) {
    Map<Long, List<Long>> out = new LinkedHashMap<>();
    for (String part : s.split(";")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      List<Long> l = new ArrayList<>();
      for (String v : part.substring(eq + 1).split(" ")) {
        if (!v.isEmpty()) {
          l.add(Long.parseLong(v));
        }
      }
      out.put(Long.parseLong(part.substring(0, eq)), l);
    }
    return out;
  }

  /** Micro-operations as text: {@code r:1,a:2:55}. */
  static String encode(List<Mop> mops) {
    StringBuilder b = new StringBuilder();
    for (Mop m : mops) {
      b.append(b.length() == 0 ? "" : ",").append(m.append() ? "a:" + m.key() + ":" + m.value() : "r:" + m.key());
    }
    return b.toString();
  }

  static List<Mop> decode(String s) {
    List<Mop> out = new ArrayList<>();
    for (String part : s.split(",")) {
      String[] f = part.split(":");
      out.add(f[0].equals("a") ? Mop.append(Long.parseLong(f[1]), Long.parseLong(f[2]))
          : Mop.read(Long.parseLong(f[1]), null));
    }
    return out;
  }

  /** Reads as text, for the process protocol. */
  static String readsText(List<Mop> mops) {
    StringBuilder b = new StringBuilder();
    for (Mop m : mops) {
      if (!m.append() && m.read() != null) {
        b.append(m.key()).append('=').append(text(m.read())).append(';');
      }
    }
    return b.toString();
  }
}
