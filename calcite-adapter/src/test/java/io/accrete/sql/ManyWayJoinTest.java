package io.accrete.sql;

import static io.accrete.sql.SqlSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Joins of more tables than the exhaustive join ordering takes ({@link GreedyJoinOrder}):
 * answers against a chain of lookups done by hand, whatever the order of the FROM list and
 * the conditions, and plans without cross products where the conditions connect every table.
 */
class ManyWayJoinTest {
  private static final int TABLES = 20;
  private static final int ROWS = 7;
  private static java.sql.Connection sql;
  /** next[t][a] = the b of table t's row whose a is a: rows chain t1.b = t2.a = …. */
  private static final int[][] next = new int[TABLES + 1][ROWS + 1];

  @BeforeAll
  static void tables() throws Exception {
    sql = SqlSupport.sql(Peer.connect(TestData.freshUri()));
    Random random = new Random(42);
    try (Statement s = sql.createStatement()) {
      for (int t = 1; t <= TABLES; t++) {
        s.executeUpdate("CREATE TABLE t" + t + " (a" + t + " INTEGER, b" + t + " INTEGER, x" + t + " TEXT)");
        List<Integer> bs = new ArrayList<>();
        for (int i = 1; i <= ROWS; i++) {
          bs.add(i);
        }
        Collections.shuffle(bs, random);
        StringBuilder values = new StringBuilder();
        for (int a = 1; a <= ROWS; a++) {
          next[t][a] = bs.get(a - 1);
          values.append(a == 1 ? "" : ", ").append("(").append(a).append(", ").append(bs.get(a - 1))
              .append(", 'x").append(t).append('-').append(a).append("')");
        }
        s.executeUpdate("INSERT INTO t" + t + " VALUES " + values);
      }
    }
  }

  /** The x of the last table for each a of table 1, following b = a through tables 1..n. */
  private static Set<List<Object>> chain(int n, int firstA) {
    Set<List<Object>> out = new HashSet<>();
    for (int a = 1; a <= ROWS; a++) {
      if (firstA > 0 && a != firstA) {
        continue;
      }
      int v = a;
      for (int t = 1; t < n; t++) {
        v = next[t][v];
      }
      out.add(List.of("x1-" + a, "x" + n + "-" + v));
    }
    return out;
  }

  private static String chainQuery(int n, long seed, String extra) {
    List<String> from = new ArrayList<>();
    List<String> where = new ArrayList<>();
    for (int t = 1; t <= n; t++) {
      from.add("t" + t);
      if (t < n) {
        where.add(t % 2 == 0 ? "b" + t + " = a" + (t + 1) : "a" + (t + 1) + " = b" + t);
      }
    }
    Random random = new Random(seed);
    Collections.shuffle(from, random);
    Collections.shuffle(where, random);
    if (!extra.isEmpty()) {
      where.add(extra);
    }
    return "SELECT x1, x" + n + " FROM " + String.join(", ", from) + " WHERE " + String.join(" AND ", where);
  }

  @Test
  void chainsAnsweredWhateverTheOrderOfTablesAndConditions() throws Exception {
    for (int n : new int[] {12, 13, 16, TABLES}) {
      for (long seed = 0; seed < 3; seed++) {
        String query = chainQuery(n, seed, "");
        assertEquals(chain(n, 0), Set.copyOf(rows(sql, query)), query);
        String plan = SqlSupport.explain(sql, query);
        assertTrue(!plan.contains("condition=[true]") && !plan.contains("NestedLoopJoin"), plan);
      }
    }
    // a restriction on one table, and a condition that is not an equality between two tables
    String restricted = chainQuery(TABLES, 7, "a1 = 3 AND x5 <> 'none' AND a2 + b3 > 0");
    assertEquals(chain(TABLES, 3), Set.copyOf(rows(sql, restricted)), restricted);
  }

  @Test
  void disconnectedTablesAreACrossProduct() throws Exception {
    // t1..t7 chained, t8..t14 chained, nothing between the two chains
    List<String> where = new ArrayList<>();
    for (int t = 1; t < 14; t++) {
      if (t != 7) {
        where.add("b" + t + " = a" + (t + 1));
      }
    }
    String query = "SELECT x1, x7, x8, x14 FROM " + java.util.stream.IntStream.rangeClosed(1, 14)
        .mapToObj(t -> "t" + t).collect(Collectors.joining(", ")) + " WHERE " + String.join(" AND ", where);
    Set<List<Object>> expected = new HashSet<>();
    for (List<Object> left : chain(7, 0)) {
      for (int a = 1; a <= ROWS; a++) {
        int v = a;
        for (int t = 8; t < 14; t++) {
          v = next[t][v];
        }
        expected.add(List.of(left.get(0), left.get(1), "x8-" + a, "x14-" + v));
      }
    }
    List<List<Object>> answer = rows(sql, query);
    assertEquals(ROWS * ROWS, answer.size());
    assertEquals(expected, Set.copyOf(answer));
  }
}
