package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.sql.tpch.Answers;
import io.accrete.sql.tpch.TpchData;
import io.accrete.storage.TestPostgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 22 TPC-H queries exactly as {@code io.trino.tpch} 1.2 ships them
 * ({@code io/trino/tpch/queries/q*.sql}: PostgreSQL-style text, Q15 with its view) give
 * PostgreSQL's answers on the same rows at scale 0.01: what a user pasting them meets.
 */
class TpchStockQueriesTest {
  private static final double SCALE = 0.01;
  /** None: the money columns are exact decimals on both sides, and every decimal answer must be PostgreSQL's. */
  private static final double TOLERANCE = 0;

  private static java.sql.Connection accrete;
  private static java.sql.Connection postgres;

  @BeforeAll
  static void load() throws Exception {
    String uri = "accrete:mem://tpch-stock-" + UUID.randomUUID();
    Peer.createDatabase(uri);
    Connection conn = Peer.connect(uri);
    TpchData.load(conn, SCALE, true);
    accrete = AccreteSql.connect(conn, new Properties());
    postgres = DriverManager.getConnection(TestPostgres.url());
    TpchData.loadPostgres(postgres, SCALE);
  }

  @AfterAll
  static void close() throws Exception {
    if (accrete != null) {
      accrete.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @ParameterizedTest(name = "Q{0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
  void answersAsPostgres(int q) throws Exception {
    List<String> statements = statements(q);
    List<List<Object>> expected = run(postgres, statements);
    List<List<Object>> actual = run(accrete, statements);
    assertFalse(expected.isEmpty(), "Q" + q + " answers something on PostgreSQL");
    boolean ordered = statements.get(statements.size() - 1).toLowerCase(java.util.Locale.ROOT).contains("order by");
    String diff = Answers.difference(expected, actual, TOLERANCE, ordered);
    assertNull(diff, () -> "Q" + q + ": " + diff);
  }

  @ParameterizedTest(name = "Q{0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
  void plansJoinWithoutProductsOrLoopsOverScans(int q) throws Exception {
    List<String> statements = statements(q);
    String plan;
    try (Statement s = accrete.createStatement()) {
      try {
        for (String update : statements.subList(0, statements.size() - 1)) {
          s.execute(update);
        }
        plan = SqlSupport.explain(accrete, statements.get(statements.size() - 1));
      } finally {
        dropViews(s, statements);
      }
    }
    String loop = loopOverScans(plan);
    assertNull(loop, () -> "Q" + q + " joins by a nested loop or a product where neither side is one row: " + loop
        + "\n" + plan);
  }

  @org.junit.jupiter.api.Test
  void theLoopCheckTellsAProductOfTablesFromALoopOverOneRow() {
    String scans = "EnumerableNestedLoopJoin(condition=[>($1, $2)], joinType=[inner])\n"
        + "  AccreteToEnumerableConverter\n    AccreteTableScan(table=[[accrete, a]])\n"
        + "  EnumerableCalc(expr#0=[{inputs}])\n    AccreteToEnumerableConverter\n      AccreteTableScan(table=[[accrete, b]])\n";
    org.junit.jupiter.api.Assertions.assertNotNull(loopOverScans(scans));
    String product = scans.replace("EnumerableNestedLoopJoin(condition=[>($1, $2)]", "EnumerableHashJoin(condition=[true]");
    org.junit.jupiter.api.Assertions.assertNotNull(loopOverScans(product));
    String scalar = "EnumerableNestedLoopJoin(condition=[>($1, $2)], joinType=[inner])\n"
        + "  AccreteToEnumerableConverter\n    AccreteTableScan(table=[[accrete, a]])\n"
        + "  EnumerableCalc(expr#0=[{inputs}])\n    EnumerableAggregate(group=[{}], s=[SUM($0)])\n"
        + "      AccreteToEnumerableConverter\n        AccreteTableScan(table=[[accrete, b]])\n";
    assertNull(loopOverScans(scalar));
  }

  /**
   * The first join in an EXPLAIN plan that loops over two inputs of many rows (a nested loop,
   * or any join whose condition is {@code true}), or null. A side that is an aggregate without
   * grouping (TPC-H's scalar sub-queries) is one row, and looping over it is right.
   */
  static String loopOverScans(String plan) {
    String[] lines = plan.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (!l.contains("NestedLoopJoin") && !(l.contains("Join(") && l.contains("condition=[true]"))) {
        continue;
      }
      int indent = indent(l);
      List<Integer> children = new ArrayList<>();
      for (int j = i + 1; j < lines.length && indent(lines[j]) > indent; j++) {
        if (indent(lines[j]) == indent + 2) {
          children.add(j);
        }
      }
      if (children.stream().noneMatch(c -> oneRow(lines, c))) {
        return l.trim();
      }
    }
    return null;
  }

  private static boolean oneRow(String[] lines, int k) {
    while (k < lines.length) {
      String op = lines[k].trim();
      if (op.startsWith("EnumerableAggregate(group=[{}]") || op.startsWith("EnumerableValues(")) {
        return true;
      }
      boolean passThrough = op.startsWith("EnumerableCalc") || op.startsWith("EnumerableProject")
          || op.startsWith("EnumerableFilter") || op.startsWith("AccreteToEnumerableConverter");
      if (!passThrough) {
        return false;
      }
      k++; // its only input is the next line
    }
    return false;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /** The query's statements as shipped, without comment lines (Q15: the view, then the query). */
  static List<String> statements(int q) throws Exception {
    String path = "io/trino/tpch/queries/q" + q + ".sql";
    String text;
    try (InputStream in = TpchStockQueriesTest.class.getClassLoader().getResourceAsStream(path)) {
      assertNotNull(in, path + " is on the test class path (io.trino.tpch)");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.trim().startsWith("--")) {
        b.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : b.toString().split(";")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private static final java.util.regex.Pattern VIEW =
      java.util.regex.Pattern.compile("(?is)CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+(\\w+).*");

  /** Runs every statement; the last one's rows. Views it made are dropped again (other tests drop the tables). */
  private static List<List<Object>> run(java.sql.Connection c, List<String> statements) throws Exception {
    try (Statement s = c.createStatement()) {
      try {
        for (String update : statements.subList(0, statements.size() - 1)) {
          s.execute(update);
        }
        try (ResultSet rs = s.executeQuery(statements.get(statements.size() - 1))) {
          return Answers.read(rs);
        }
      } finally {
        dropViews(s, statements);
      }
    }
  }

  private static void dropViews(Statement s, List<String> statements) throws java.sql.SQLException {
    for (String update : statements) {
      java.util.regex.Matcher m = VIEW.matcher(update);
      if (m.matches()) {
        s.execute("DROP VIEW IF EXISTS " + m.group(1));
      }
    }
  }
}
