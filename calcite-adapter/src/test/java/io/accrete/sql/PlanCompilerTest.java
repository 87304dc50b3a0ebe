package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Plans compiled concurrently through {@link PlanCompiler}'s pooled Janino class loaders: every
 * statement is a new text (a new class named as every other plan's), on several connections at
 * once, and each answer is the one its own text asks for.
 */
class PlanCompilerTest {
  @Test
  void newStatementsOnConcurrentConnectionsEachGetTheirOwnPlan() throws Exception {
    Connection conn = Peer.connect(TestData.freshUri());
    try (java.sql.Connection c = SqlSupport.sql(conn, "interpret", "false"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE n (id INTEGER PRIMARY KEY, v INTEGER, name VARCHAR(10))");
      StringBuilder insert = new StringBuilder("INSERT INTO n VALUES ");
      for (int i = 1; i <= 50; i++) {
        insert.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i % 7).append(", 'n").append(i)
            .append("')");
      }
      s.execute(insert.toString());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          try (java.sql.Connection c = SqlSupport.sql(conn, "interpret", "false")) {
            for (int q = 0; q < 30; q++) {
              int k = thread * 100 + q;
              // Three shapes, each text new: a filter, a grouping, a correlated sub-query.
              switch (q % 3) {
                case 0 -> assertEquals(List.of(List.of((long) count(i -> i > k % 50))),
                    SqlSupport.rows(c, "SELECT count(*) FROM n WHERE id > " + (k % 50)), "thread " + thread + " query " + q);
                case 1 -> assertEquals(sumOfV() + 50L * k,
                    ((Number) SqlSupport.rows(c, "SELECT sum(v + " + k + ") FROM n").get(0).get(0)).longValue(),
                    "thread " + thread + " query " + q);
                default -> assertEquals(List.of(List.of("n" + (k % 50 + 1))),
                    SqlSupport.rows(c, "SELECT name FROM n AS a WHERE (SELECT count(*) FROM n AS b WHERE b.id < a.id) = "
                        + (k % 50)), "thread " + thread + " query " + q);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      int loaders = PlanCompiler.INSTANCE.idleLoaders();
      assertTrue(loaders >= 1, "plans compiled through PlanCompiler keep its Janino class loaders: " + loaders);
    } finally {
      pool.shutdownNow();
      conn.release();
    }
  }

  @Test
  void theSameQueryOverAnotherTableReusesThePlanClassAndReadsItsOwnTable() throws Exception {
    Connection conn = Peer.connect(TestData.freshUri());
    try (java.sql.Connection c = SqlSupport.sql(conn, "interpret", "false"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ta (id INTEGER PRIMARY KEY, v INTEGER)");
      s.execute("CREATE TABLE tb (id INTEGER PRIMARY KEY, v INTEGER)");
      s.execute("INSERT INTO ta VALUES (1, 10), (2, 20), (3, 30)");
      s.execute("INSERT INTO tb VALUES (1, 5), (2, 7)");
      assertEquals(List.of(List.of(50L)), SqlSupport.rows(c, "SELECT sum(v) FROM ta WHERE id > 1"));
      long before = PlanCompiler.INSTANCE.compilations();
      assertEquals(List.of(List.of(7L)), SqlSupport.rows(c, "SELECT sum(v) FROM tb WHERE id > 1"));
      assertEquals(before, PlanCompiler.INSTANCE.compilations(), "the second table's plan is the first's class");
      assertEquals(List.of(List.of(12L)), SqlSupport.rows(c, "SELECT sum(v) FROM tb WHERE id > 0"),
          "a filter the scan takes is not in the class");
      assertEquals(List.of(List.of(36L)), SqlSupport.rows(c, "SELECT sum(v * 3) FROM tb"));
      assertEquals(before + 1, PlanCompiler.INSTANCE.compilations(), "another expression is another class");
    } finally {
      conn.release();
    }
  }

  @Test
  void aPlanWhoseConstantsFailFailsTheSameWayEachTime() throws Exception {
    Connection conn = Peer.connect(TestData.freshUri());
    try (java.sql.Connection c = SqlSupport.sql(conn, "interpret", "false")) {
      for (int i = 0; i < 3; i++) {
        // The driver turns this into SQLSTATE 22012; here it is the generated class's own error.
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> SqlSupport.rows(c, "SELECT 1/0"));
        Throwable root = e;
        while (root.getCause() != null) {
          assertTrue(!(root instanceof NoClassDefFoundError), "run " + i + ": a class left broken by an earlier run: " + e);
          root = root.getCause();
        }
        assertTrue(root instanceof ArithmeticException, "run " + i + ": " + e);
      }
    } finally {
      conn.release();
    }
  }

  private static int count(java.util.function.IntPredicate p) {
    int n = 0;
    for (int i = 1; i <= 50; i++) {
      n += p.test(i) ? 1 : 0;
    }
    return n;
  }

  private static long sumOfV() {
    long s = 0;
    for (int i = 1; i <= 50; i++) {
      s += i % 7;
    }
    return s;
  }
}
