package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.sql.tpch.Answers;
import io.accrete.sql.tpch.TpchData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TPC-H at scale 0.01 twice: once with each table's key attribute {@code :db.unique/identity},
 * once with the same unique values but nothing declaring them. Plans must not depend on the
 * declaration: the answers are the same, no plan loops over two scans, and Q5 (six tables
 * joined along keys) meets customers and suppliers through line items — without keys it once
 * joined every customer to every supplier of the same nation first and ran for minutes (join
 * sizes from distinct counts, {@link JoinEstimates}).
 */
class TpchWithoutKeysTest {
  private static final double SCALE = 0.01;
  private static java.sql.Connection keyed;
  private static java.sql.Connection unkeyed;

  @BeforeAll
  static void load() throws Exception {
    keyed = open(true);
    unkeyed = open(false);
  }

  private static java.sql.Connection open(boolean keys) throws Exception {
    String uri = "accrete:mem://tpch-" + (keys ? "keys-" : "nokeys-") + UUID.randomUUID();
    Peer.createDatabase(uri);
    Connection conn = Peer.connect(uri);
    TpchData.load(conn, SCALE, true, keys);
    return AccreteSql.connect(conn, new Properties());
  }

  @AfterAll
  static void close() throws Exception {
    for (java.sql.Connection c : new java.sql.Connection[] {keyed, unkeyed}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void q5JoinsCustomersToSuppliersThroughLineitems() throws Exception {
    String plan = SqlSupport.explain(unkeyed, last(TpchStockQueriesTest.statements(5)));
    // The smallest join that has both customers and suppliers below it must have the line items
    // too: customers and suppliers meet through the orders' line items, not by nation first.
    List<String> tables = smallestJoinWith(plan, "customer", "supplier");
    assertTrue(tables.contains("lineitem"), () -> "Q5 joins customer and supplier before lineitem: " + tables
        + "\n" + plan);
  }

  /**
   * A join on a declared key whose side is filtered to a small part of its table is sized as
   * PostgreSQL sizes it: in TPC-H Q20, partsupp joined with the 'forest' parts. With Calcite's
   * 15% of the product it was more rows than partsupp holds, and the plan read all the year's
   * line items instead of those of the forest parts' suppliers by index lookups.
   */
  @Test
  void q20ReadsTheForestPartsLineitemsByLookup() throws Exception {
    String plan = SqlSupport.explain(keyed, last(TpchStockQueriesTest.statements(20)));
    assertTrue(plan.contains("index=[AVET lineitem/l_partkey]"), plan);
    // The forest parts' partsupp rows are looked up by part, not found in a scan of all of
    // partsupp: the filter on p_name is counted in the index while joins are ordered.
    for (String line : plan.split("\n")) {
      if (line.contains("table=[[accrete, partsupp]]")) {
        assertTrue(line.contains("index=[AVET partsupp/ps_partkey]"), plan);
      }
    }
  }

  /** The tables under the deepest join of an EXPLAIN plan that reads both tables. */
  private static List<String> smallestJoinWith(String plan, String a, String b) {
    String[] lines = plan.split("\n");
    List<String> best = null;
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].contains("Join(")) {
        continue;
      }
      int indent = lines[i].length() - lines[i].stripLeading().length();
      List<String> under = new java.util.ArrayList<>();
      for (int j = i + 1; j < lines.length && lines[j].length() - lines[j].stripLeading().length() > indent; j++) {
        java.util.regex.Matcher m = TABLE.matcher(lines[j]);
        if (m.find()) {
          under.add(m.group(1));
        }
      }
      if (under.contains(a) && under.contains(b) && (best == null || under.size() < best.size())) {
        best = under;
      }
    }
    return best == null ? List.of() : best;
  }

  private static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile("table=\\[\\[accrete, (\\w+)\\]\\]");

  @ParameterizedTest(name = "Q{0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22})
  void answersAsWithKeysWithoutLoopsOverScans(int q) throws Exception {
    String query = last(TpchStockQueriesTest.statements(q));
    String plan = SqlSupport.explain(unkeyed, query);
    String loop = TpchStockQueriesTest.loopOverScans(plan);
    assertNull(loop, () -> "Q" + q + " without keys loops over scans: " + loop + "\n" + plan);
    boolean ordered = query.toLowerCase(java.util.Locale.ROOT).contains("order by");
    String diff = Answers.difference(rows(keyed, query), rows(unkeyed, query), 0, ordered);
    assertNull(diff, () -> "Q" + q + " without keys: " + diff);
  }

  private static String last(List<String> statements) {
    return statements.get(statements.size() - 1);
  }

  private static List<List<Object>> rows(java.sql.Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return Answers.read(rs);
    }
  }
}
