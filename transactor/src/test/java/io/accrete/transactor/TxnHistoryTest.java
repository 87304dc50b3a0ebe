package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.transactor.TxnHistory.Mop;
import io.accrete.transactor.TxnHistory.Outcome;
import io.accrete.transactor.TxnHistory.Txn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The multi-key history checker names each anomaly it is built to find, and passes a serial history. */
class TxnHistoryTest {
  private static long clock;

  private static Txn txn(Mop... mops) {
    return txn(Outcome.OK, false, mops);
  }

  private static Txn txn(Outcome o, boolean synced, Mop... mops) {
    long start = clock++;
    return new Txn(0, List.of(mops), synced, start, clock++, o);
  }

  private static List<String> check(Map<Long, List<Long>> fin, Txn... txns) {
    TxnHistory h = new TxnHistory();
    for (Txn t : txns) {
      h.add(t);
    }
    return h.check(fin);
  }

  private static void assertFinds(String kind, List<String> anomalies) {
    assertEquals(1, anomalies.size(), anomalies.toString());
    assertTrue(anomalies.get(0).startsWith(kind), anomalies.toString());
  }

  @Test
  void aSerialHistoryPasses() {
    assertEquals(List.of(), check(Map.of(1L, List.of(1L, 2L), 2L, List.of(3L)),
        txn(Mop.append(1, 1), Mop.read(2, List.of())),
        txn(Mop.read(1, List.of(1L)), Mop.append(2, 3)),
        txn(Mop.read(2, List.of(3L)), Mop.append(1, 2)),
        txn(Outcome.OK, true, Mop.read(1, List.of(1L, 2L)), Mop.read(2, List.of(3L))),
        txn(Outcome.FAIL, false, Mop.append(2, 9))));
  }

  @Test
  void writeCycleIsG0() {
    // T1 appends before T2 on key 1, after it on key 2.
    assertFinds("G0", check(Map.of(1L, List.of(1L, 2L), 2L, List.of(3L, 4L)),
        txn(Mop.append(1, 1), Mop.append(2, 4)), txn(Mop.append(1, 2), Mop.append(2, 3))));
  }

  @Test
  void circularInformationFlowIsG1c() {
    // Each reads the other's append: wr both ways.
    assertFinds("G1c", check(Map.of(1L, List.of(1L), 2L, List.of(2L)),
        txn(Mop.read(2, List.of(2L)), Mop.append(1, 1)), txn(Mop.read(1, List.of(1L)), Mop.append(2, 2))));
  }

  @Test
  void readSkewIsGSingle() {
    // T2 appends to both keys; T1 sees its append to key 2 but not to key 1.
    assertFinds("G-single", check(Map.of(1L, List.of(1L), 2L, List.of(2L)),
        txn(Mop.read(1, List.of()), Mop.read(2, List.of(2L))), txn(Mop.append(1, 1), Mop.append(2, 2))));
  }

  @Test
  void writeSkewIsG2() {
    // Each reads the key the other appends to, before the other's append.
    assertFinds("G2", check(Map.of(1L, List.of(2L), 2L, List.of(1L)),
        txn(Mop.read(1, List.of()), Mop.append(2, 1)), txn(Mop.read(2, List.of()), Mop.append(1, 2))));
  }

  @Test
  void transactionIdsAreUniqueAndInListOrder() {
    Txn a = new Txn(0, List.of(Mop.append(1, 1)), false, clock++, clock++, Outcome.OK, 1001);
    Txn b = new Txn(0, List.of(Mop.append(2, 2)), false, clock++, clock++, Outcome.OK, 1001);
    assertFinds("t 1001 acknowledged twice", check(Map.of(1L, List.of(1L), 2L, List.of(2L)), a, b));
    Txn late = new Txn(0, List.of(Mop.append(1, 1)), false, clock++, clock++, Outcome.OK, 1005);
    Txn early = new Txn(0, List.of(Mop.append(1, 2)), false, clock++, clock++, Outcome.OK, 1002);
    assertFinds("t order", check(Map.of(1L, List.of(1L, 2L)), late, early));
  }

  @Test
  void perKeyAnomaliesAreNamed() {
    assertFinds("lost", check(Map.of(1L, List.of()), txn(Mop.append(1, 1))));
    assertFinds("duplicate", check(Map.of(1L, List.of(1L, 1L)), txn(Mop.append(1, 1))));
    assertFinds("phantom", check(Map.of(1L, List.of(7L)), txn(Mop.read(1, List.of()))));
    assertFinds("refused but applied", check(Map.of(1L, List.of(1L)), txn(Outcome.FAIL, false, Mop.append(1, 1))));
    assertFinds("incompatible read", check(Map.of(1L, List.of(1L, 2L)),
        txn(Mop.append(1, 1)), txn(Mop.append(1, 2)), txn(Mop.read(1, List.of(2L)))));
    assertFinds("stale synced read", check(Map.of(1L, List.of(1L)),
        txn(Mop.append(1, 1)), txn(Outcome.OK, true, Mop.read(1, List.of()))));
  }
}
