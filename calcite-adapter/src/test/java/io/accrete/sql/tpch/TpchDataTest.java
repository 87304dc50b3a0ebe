package io.accrete.sql.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.storage.TestPostgres;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchColumnType;
import io.trino.tpch.TpchTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two loads of {@link TpchData} hold the same data: TPC-H at {@link TpchFixture#SCALE} in
 * Accrete and in a real PostgreSQL agree, column by column, on count, distinct values, minimum,
 * maximum and (for numbers) sum. The counts are also the ones TPC-H specifies for the scale.
 */
class TpchDataTest {
  @Test
  void rowCountsAreTpchs() {
    // TPC-H 4.2.5: SF × 150,000 customers, 1,500,000 orders, 200,000 parts, 800,000 partsupps,
    // 10,000 suppliers; 25 nations, 5 regions; lineitems vary (1–7 per order).
    Map<String, Long> counts = TpchFixture.counts();
    assertEquals(List.of("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"),
        List.copyOf(counts.keySet()));
    assertEquals(5L, counts.get("region"));
    assertEquals(25L, counts.get("nation"));
    assertEquals(100L, counts.get("supplier"));
    assertEquals(1_500L, counts.get("customer"));
    assertEquals(2_000L, counts.get("part"));
    assertEquals(8_000L, counts.get("partsupp"));
    assertEquals(15_000L, counts.get("orders"));
    assertEquals(60_175L, counts.get("lineitem"));
  }

  @Test
  void accreteAndPostgresHoldTheSameColumns() throws Exception {
    Database db = TpchFixture.connection().db();
    try (Connection pg = DriverManager.getConnection(TestPostgres.url())) {
      Map<String, Long> loaded = TpchData.loadPostgres(pg, TpchFixture.SCALE);
      assertEquals(TpchFixture.counts(), loaded);
      int compared = 0;
      try (Statement s = pg.createStatement()) {
        for (TpchTable<?> t : TpchData.tables()) {
          for (TpchColumn<?> c : t.getColumns()) {
            String table = t.getTableName();
            String col = c.getColumnName();
            boolean number = c.getType().getBase() != TpchColumnType.Base.VARCHAR
                && c.getType().getBase() != TpchColumnType.Base.DATE;
            boolean text = c.getType().getBase() == TpchColumnType.Base.VARCHAR;
            // Byte order for text, as Accrete orders strings (PostgreSQL's default follows the locale).
            String x = text ? col + " COLLATE \"C\"" : col;
            String query = "select count(" + col + "), count(distinct " + col + "), min(" + x + "), max(" + x + ")"
                + (number ? ", sum(" + col + ")" : "") + " from " + table;
            List<List<Object>> expected;
            try (ResultSet rs = s.executeQuery(query)) {
              expected = Answers.read(rs);
            }
            String a = ":" + table + "/" + col;
            List<Object> row = new ArrayList<>();
            row.add(Peer.q("[:find (count ?e) . :where [?e " + a + "]]", db));
            Collection<List<Object>> stats =
                Peer.q("[:find (count-distinct ?v) (min ?v) (max ?v) :where [_ " + a + " ?v]]", db);
            row.addAll(stats.iterator().next());
            if (number) {
              row.add(Peer.q("[:find (sum ?v) . :with ?e :where [?e " + a + " ?v]]", db));
            }
            List<List<Object>> actual = Answers.of(List.of(row));
            assertTrue((Long) actual.get(0).get(0) > 0, a);
            String diff = Answers.difference(expected, actual, 1e-12, true);
            assertNull(diff, () -> a + ": " + diff);
            compared++;
          }
        }
      }
      assertEquals(61, compared, "every column of the eight tables");
    }
  }
}
