package io.accrete.transactor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A history of list-append transactions over several keys — each transaction reads some lists
 * and appends to others, all at once — and the checks of Elle (Kingsbury and Alvaro, 2020) for
 * it: per key, no acknowledged append lost, none applied twice or from nowhere, no refused one
 * applied, every read a prefix of the final list; across keys, the dependencies between
 * committed transactions — write-write (ww: the next append to a list), write-read (wr: a read
 * ending in a transaction's append) and read-write (rw: a read that misses the next append) —
 * form no cycle. A cycle is named as Adya's anomalies are: G0 (ww only), G1c (ww and wr),
 * G-single (one rw) and G2 (more rw). Real-time order is checked for synced reads: one that
 * began after an append was acknowledged includes it.
 */
final class TxnHistory {
  enum Outcome { OK, FAIL, UNKNOWN }

  /** A micro-operation: an append of {@code value} to {@code key}, or a read of {@code key}. */
  record Mop(boolean append, long key, long value, List<Long> read) {
    static Mop append(long key, long value) {
      return new Mop(true, key, value, null);
    }

    static Mop read(long key, List<Long> seen) {
      return new Mop(false, key, 0, seen);
    }
  }

  /**
   * One transaction as its client saw it: reads are null unless it committed; {@code t} is the
   * transaction's t when the database acknowledged a write (else -1).
   */
  record Txn(int client, List<Mop> mops, boolean synced, long invoked, long completed, Outcome outcome, long t) {
    Txn(int client, List<Mop> mops, boolean synced, long invoked, long completed, Outcome outcome) {
      this(client, mops, synced, invoked, completed, outcome, -1);
    }
  }

  private final List<Txn> txns = new ArrayList<>();

  synchronized void add(Txn t) {
    txns.add(t);
  }

  synchronized long count(Outcome o) {
    return txns.stream().filter(t -> t.outcome() == o).count();
  }

  /** Committed reads that saw at least one element: evidence that the read checks checked something. */
  synchronized long nonEmptyReads() {
    return txns.stream().filter(t -> t.outcome() == Outcome.OK)
        .flatMap(t -> t.mops().stream()).filter(m -> !m.append() && !m.read().isEmpty()).count();
  }

  synchronized int size() {
    return txns.size();
  }

  /** The anomalies of this history given the final lists (none: empty). */
  synchronized List<String> check(Map<Long, List<Long>> fin) {
    List<String> bad = new ArrayList<>();
    Map<Long, Integer> writer = new HashMap<>(); // appended value → index of its transaction
    for (int i = 0; i < txns.size(); i++) {
      for (Mop m : txns.get(i).mops()) {
        if (m.append() && writer.put(m.value(), i) != null) {
          throw new IllegalArgumentException("value " + m.value() + " appended twice by the workload");
        }
      }
    }
    // Per key: the final lists.
    Set<Integer> committed = new HashSet<>();
    for (Map.Entry<Long, List<Long>> e : fin.entrySet()) {
      Set<Long> seen = new HashSet<>();
      for (Long v : e.getValue()) {
        Integer w = writer.get(v);
        if (!seen.add(v)) {
          bad.add("duplicate: " + v + " twice in the final list of key " + e.getKey());
        } else if (w == null || !appends(txns.get(w), e.getKey(), v)) {
          bad.add("phantom: " + v + " in key " + e.getKey() + " was never appended there");
        } else if (txns.get(w).outcome() == Outcome.FAIL) {
          bad.add("refused but applied: " + v + " in key " + e.getKey());
        } else {
          committed.add(w);
        }
      }
    }
    for (int i = 0; i < txns.size(); i++) {
      Txn t = txns.get(i);
      if (t.outcome() == Outcome.OK) {
        committed.add(i);
        for (Mop m : t.mops()) {
          if (m.append() && !fin.getOrDefault(m.key(), List.of()).contains(m.value())) {
            bad.add("lost: acknowledged append " + m.value() + " to key " + m.key());
          }
        }
      }
    }
    // Reads: prefixes of the final lists (which also rules out reading refused appends).
    for (int i = 0; i < txns.size(); i++) {
      Txn t = txns.get(i);
      if (t.outcome() != Outcome.OK) {
        continue;
      }
      for (Mop m : t.mops()) {
        if (!m.append()) {
          List<Long> f = fin.getOrDefault(m.key(), List.of());
          if (m.read().size() > f.size() || !f.subList(0, m.read().size()).equals(m.read())) {
            bad.add("incompatible read: key " + m.key() + " read as " + m.read() + ", finally " + f);
          }
        }
      }
    }
    if (!bad.isEmpty()) {
      return bad; // the graph below needs consistent lists
    }
    bad.addAll(transactionIds(fin, writer));
    bad.addAll(cycles(fin, writer, committed));
    bad.addAll(realTime(fin, writer));
    return bad;
  }

  /**
   * The t each acknowledged write was given: no two transactions share one, and each list holds
   * its acknowledged appends in the order of their t.
   */
  private List<String> transactionIds(Map<Long, List<Long>> fin, Map<Long, Integer> writer) {
    List<String> bad = new ArrayList<>();
    Map<Long, Integer> byT = new HashMap<>();
    for (int i = 0; i < txns.size(); i++) {
      Txn x = txns.get(i);
      if (x.t() >= 0) {
        Integer other = byT.put(x.t(), i);
        if (other != null) {
          bad.add("t " + x.t() + " acknowledged twice: " + txns.get(other).mops() + " and " + x.mops());
        }
      }
    }
    for (Map.Entry<Long, List<Long>> e : fin.entrySet()) {
      long last = -1;
      for (Long v : e.getValue()) {
        long t = txns.get(writer.get(v)).t();
        if (t >= 0) {
          if (t <= last) {
            bad.add("t order: " + v + " (t " + t + ") follows an append of t " + last + " in key " + e.getKey());
          }
          last = t;
        }
      }
    }
    return bad;
  }

  private static boolean appends(Txn t, long key, long value) {
    return t.mops().stream().anyMatch(m -> m.append() && m.key() == key && m.value() == value);
  }

  private static final int WW = 1;
  private static final int WR = 2;
  private static final int RW = 4;

  /** Dependency edges between committed transactions, by kind, and their cycles. */
  private List<String> cycles(Map<Long, List<Long>> fin, Map<Long, Integer> writer, Set<Integer> committed) {
    Map<Integer, Map<Integer, Integer>> edges = new HashMap<>();
    for (Map.Entry<Long, List<Long>> e : fin.entrySet()) {
      List<Long> l = e.getValue();
      for (int p = 0; p + 1 < l.size(); p++) {
        edge(edges, writer.get(l.get(p)), writer.get(l.get(p + 1)), WW);
      }
    }
    for (int i : committed) {
      for (Mop m : txns.get(i).mops()) {
        if (m.append() || m.read() == null) {
          continue;
        }
        List<Long> l = fin.getOrDefault(m.key(), List.of());
        int n = m.read().size();
        if (n > 0) {
          edge(edges, writer.get(m.read().get(n - 1)), i, WR);
        }
        if (n < l.size()) {
          edge(edges, i, writer.get(l.get(n)), RW);
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (List<Integer> scc : components(edges, committed)) {
      out.add(name(scc, edges) + ": a cycle among transactions " + describe(scc));
    }
    return out;
  }

  private static void edge(Map<Integer, Map<Integer, Integer>> edges, int from, int to, int kind) {
    if (from != to) {
      edges.computeIfAbsent(from, k -> new HashMap<>()).merge(to, kind, (a, b) -> a | b);
    }
  }

  /** Strongly connected components of more than one transaction (Tarjan's, iterative). */
  private static List<List<Integer>> components(Map<Integer, Map<Integer, Integer>> edges, Set<Integer> nodes) {
    Map<Integer, Integer> index = new HashMap<>();
    Map<Integer, Integer> low = new HashMap<>();
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    Set<Integer> onStack = new HashSet<>();
    List<List<Integer>> out = new ArrayList<>();
    int[] counter = {0};
    for (int start : nodes) {
      if (index.containsKey(start)) {
        continue;
      }
      ArrayDeque<int[]> work = new ArrayDeque<>(); // {node, next successor position}
      work.push(new int[] {start, 0});
      index.put(start, counter[0]);
      low.put(start, counter[0]++);
      stack.push(start);
      onStack.add(start);
      while (!work.isEmpty()) {
        int[] top = work.peek();
        int v = top[0];
        List<Integer> succ = new ArrayList<>(edges.getOrDefault(v, Map.of()).keySet());
        if (top[1] < succ.size()) {
          int w = succ.get(top[1]++);
          if (!index.containsKey(w)) {
            index.put(w, counter[0]);
            low.put(w, counter[0]++);
            stack.push(w);
            onStack.add(w);
            work.push(new int[] {w, 0});
          } else if (onStack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          int parent = work.peek()[0];
          low.put(parent, Math.min(low.get(parent), low.get(v)));
        }
        if (low.get(v).equals(index.get(v))) {
          List<Integer> scc = new ArrayList<>();
          int w;
          do {
            w = stack.pop();
            onStack.remove(w);
            scc.add(w);
          } while (w != v);
          if (scc.size() > 1) {
            out.add(scc);
          }
        }
      }
    }
    return out;
  }

  /** Adya's name for the worst-understood cycle in a component: the one with the fewest rw edges. */
  private static String name(List<Integer> scc, Map<Integer, Map<Integer, Integer>> edges) {
    Set<Integer> in = new HashSet<>(scc);
    if (hasCycle(in, edges, WW)) {
      return "G0";
    }
    if (hasCycle(in, edges, WW | WR)) {
      return "G1c";
    }
    for (int u : scc) {
      for (Map.Entry<Integer, Integer> e : edges.getOrDefault(u, Map.of()).entrySet()) {
        if (in.contains(e.getKey()) && (e.getValue() & RW) != 0 && reaches(e.getKey(), u, in, edges, WW | WR)) {
          return "G-single";
        }
      }
    }
    return "G2";
  }

  private static boolean hasCycle(Set<Integer> in, Map<Integer, Map<Integer, Integer>> edges, int kinds) {
    for (int u : in) {
      for (Map.Entry<Integer, Integer> e : edges.getOrDefault(u, Map.of()).entrySet()) {
        if (in.contains(e.getKey()) && (e.getValue() & kinds) != 0 && reaches(e.getKey(), u, in, edges, kinds)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean reaches(int from, int to, Set<Integer> in, Map<Integer, Map<Integer, Integer>> edges,
      int kinds) {
    ArrayDeque<Integer> frontier = new ArrayDeque<>(List.of(from));
    Set<Integer> seen = new HashSet<>(frontier);
    while (!frontier.isEmpty()) {
      int v = frontier.pop();
      if (v == to) {
        return true;
      }
      for (Map.Entry<Integer, Integer> e : edges.getOrDefault(v, Map.of()).entrySet()) {
        if (in.contains(e.getKey()) && (e.getValue() & kinds) != 0 && seen.add(e.getKey())) {
          frontier.push(e.getKey());
        }
      }
    }
    return false;
  }

  private String describe(List<Integer> scc) {
    StringBuilder b = new StringBuilder();
    for (int i : scc.subList(0, Math.min(6, scc.size()))) {
      b.append(txns.get(i).mops()).append(' ');
    }
    return b.append(scc.size() > 6 ? "… (" + scc.size() + ")" : "").toString().trim();
  }

  /** A synced read that began after an append was acknowledged must include it. */
  private List<String> realTime(Map<Long, List<Long>> fin, Map<Long, Integer> writer) {
    List<String> bad = new ArrayList<>();
    for (Txn r : txns) {
      if (!r.synced() || r.outcome() != Outcome.OK) {
        continue;
      }
      for (Mop m : r.mops()) {
        if (m.append()) {
          continue;
        }
        for (Txn w : txns) {
          if (w.outcome() != Outcome.OK || w.completed() >= r.invoked()) {
            continue;
          }
          for (Mop a : w.mops()) {
            if (a.append() && a.key() == m.key() && !m.read().contains(a.value())) {
              bad.add("stale synced read: key " + m.key() + " read as " + m.read() + " misses " + a.value()
                  + ", acknowledged before the read began");
            }
          }
        }
      }
    }
    return bad;
  }
}
