package io.accrete.transactor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded history of appends to lists and reads of them, from concurrent clients, and the
 * checks a correct single-writer database must pass (in the spirit of Jepsen's list-append
 * workload): no acknowledged append lost, none applied twice, none that was refused applied,
 * no value from nowhere, every read a prefix of the final list, each client's reads growing,
 * appends in real-time order, read-your-writes, and synced reads that include every append
 * acknowledged before the sync began.
 */
final class ListAppendHistory {
  enum Outcome { OK, FAIL, UNKNOWN }

  /** One operation: an append (key, value) or a read (lists by key), with its time span. */
  record Op(int client, boolean append, long key, long value, boolean synced, long invoked, long completed,
      Outcome outcome, Map<Long, List<Long>> read) {}

  private final List<Op> ops = new ArrayList<>();

  synchronized void add(Op op) {
    ops.add(op);
  }

  synchronized int size() {
    return ops.size();
  }

  synchronized long count(boolean append, Outcome outcome) {
    return ops.stream().filter(o -> o.append() == append && o.outcome() == outcome).count();
  }

  /** Checks the history against the final lists; returns the anomalies found (none: empty). */
  synchronized List<String> check(Map<Long, List<Long>> fin) {
    List<String> bad = new ArrayList<>();
    Map<Long, Op> appends = new HashMap<>();
    for (Op o : ops) {
      if (o.append()) {
        appends.put(o.value(), o);
      }
    }
    Map<Long, Integer> position = new HashMap<>();
    for (Map.Entry<Long, List<Long>> e : fin.entrySet()) {
      List<Long> list = e.getValue();
      for (int i = 0; i < list.size(); i++) {
        Long v = list.get(i);
        if (position.put(v, i) != null) {
          bad.add("duplicate: " + v + " appears twice in the final list of " + e.getKey());
        }
        Op a = appends.get(v);
        if (a == null || a.key() != e.getKey()) {
          bad.add("phantom: " + v + " in the final list of " + e.getKey() + " was never appended there");
        } else if (a.outcome() == Outcome.FAIL) {
          bad.add("refused but applied: " + v);
        }
      }
    }
    for (Op a : appends.values()) {
      if (a.outcome() == Outcome.OK && !fin.getOrDefault(a.key(), List.of()).contains(a.value())) {
        bad.add("lost: acknowledged append " + a.value() + " to " + a.key());
      }
    }
    // Appends in real-time order: acknowledged before the other began means earlier in the list.
    List<Op> okAppends = appends.values().stream().filter(a -> a.outcome() == Outcome.OK).toList();
    for (Op a : okAppends) {
      for (Op b : okAppends) {
        Integer pa = position.get(a.value());
        Integer pb = position.get(b.value());
        if (a.key() == b.key() && a.completed() < b.invoked() && pa != null && pb != null && pa > pb) {
          bad.add("order: " + a.value() + " was acknowledged before " + b.value() + " began, yet comes after it");
        }
      }
    }
    Map<Integer, Map<Long, Integer>> lastLength = new HashMap<>();
    List<Op> byInvoke = new ArrayList<>(ops);
    byInvoke.sort((x, y) -> Long.compare(x.invoked(), y.invoked()));
    for (Op o : byInvoke) {
      if (o.append()) {
        continue;
      }
      for (Map.Entry<Long, List<Long>> e : o.read().entrySet()) {
        List<Long> f = fin.getOrDefault(e.getKey(), List.of());
        List<Long> r = e.getValue();
        if (r.size() > f.size() || !f.subList(0, r.size()).equals(r)) {
          bad.add("not a prefix: client " + o.client() + " read " + e.getKey() + " = " + r + ", final " + f);
        }
        int prev = lastLength.computeIfAbsent(o.client(), c -> new HashMap<>()).getOrDefault(e.getKey(), 0);
        if (r.size() < prev) {
          bad.add("went back: client " + o.client() + " read " + r.size() + " elements of " + e.getKey()
              + " after reading " + prev);
        }
        lastLength.get(o.client()).put(e.getKey(), Math.max(prev, r.size()));
      }
      for (Op a : okAppends) {
        List<Long> r = o.read().getOrDefault(a.key(), List.of());
        boolean own = a.client() == o.client() && a.completed() < o.invoked();
        boolean beforeSync = o.synced() && a.completed() < o.invoked();
        if ((own || beforeSync) && !r.contains(a.value())) {
          bad.add((own ? "read-your-writes" : "stale sync") + ": client " + o.client() + " did not see "
              + a.value() + " in " + a.key());
        }
      }
    }
    return bad.size() > 20 ? bad.subList(0, 20) : bad;
  }
}
