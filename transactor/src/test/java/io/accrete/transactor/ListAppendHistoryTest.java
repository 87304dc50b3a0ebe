package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.transactor.ListAppendHistory.Op;
import io.accrete.transactor.ListAppendHistory.Outcome;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The history checker finds each kind of anomaly it claims to, and passes a clean history. */
class ListAppendHistoryTest {
  private static Op append(int client, long key, long value, long invoked, long completed, Outcome o) {
    return new Op(client, true, key, value, false, invoked, completed, o, null);
  }

  private static Op read(int client, boolean synced, long invoked, Map<Long, List<Long>> lists) {
    return new Op(client, false, -1, -1, synced, invoked, invoked + 1, Outcome.OK, lists);
  }

  /** A clean history: two appends to key 1 in order, reads along the way. */
  private static ListAppendHistory clean(Consumer<ListAppendHistory> extra) {
    ListAppendHistory h = new ListAppendHistory();
    h.add(append(0, 1, 10, 0, 5, Outcome.OK));
    h.add(read(0, false, 6, Map.of(1L, List.of(10L))));
    h.add(append(1, 1, 11, 7, 9, Outcome.OK));
    h.add(read(1, true, 10, Map.of(1L, List.of(10L, 11L))));
    h.add(append(1, 1, 12, 11, 12, Outcome.UNKNOWN));
    h.add(append(1, 1, 13, 13, 14, Outcome.FAIL));
    extra.accept(h);
    return h;
  }

  private static void assertFinds(String kind, ListAppendHistory h, Map<Long, List<Long>> fin) {
    List<String> found = h.check(fin);
    assertTrue(found.stream().anyMatch(s -> s.startsWith(kind)), kind + " not found in " + found);
  }

  @Test
  void cleanHistoriesPass() {
    assertEquals(List.of(), clean(h -> { }).check(Map.of(1L, List.of(10L, 11L))));
    assertEquals(List.of(), clean(h -> { }).check(Map.of(1L, List.of(10L, 11L, 12L))), "unknown may be applied");
  }

  @Test
  void eachAnomalyIsFound() {
    assertFinds("lost", clean(h -> { }), Map.of(1L, List.of(10L)));
    assertFinds("duplicate", clean(h -> { }), Map.of(1L, List.of(10L, 11L, 10L)));
    assertFinds("refused but applied", clean(h -> { }), Map.of(1L, List.of(10L, 11L, 13L)));
    assertFinds("phantom", clean(h -> { }), Map.of(1L, List.of(10L, 11L, 99L)));
    assertFinds("order", clean(h -> { }), Map.of(1L, List.of(11L, 10L)));
    assertFinds("not a prefix", clean(h -> h.add(read(2, false, 20, Map.of(1L, List.of(11L))))),
        Map.of(1L, List.of(10L, 11L)));
    assertFinds("went back", clean(h -> h.add(read(1, false, 20, Map.of(1L, List.of(10L))))),
        Map.of(1L, List.of(10L, 11L)));
    assertFinds("read-your-writes", clean(h -> h.add(read(0, false, 20, Map.of(1L, List.of())))),
        Map.of(1L, List.of(10L, 11L)));
    assertFinds("stale sync", clean(h -> h.add(read(2, true, 20, Map.of(1L, List.of(10L))))),
        Map.of(1L, List.of(10L, 11L)));
  }
}
