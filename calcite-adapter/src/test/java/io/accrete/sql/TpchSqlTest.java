package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.sql.tpch.Answers;
import io.accrete.sql.tpch.TpchFixture;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL over TPC-H ({@link TpchFixture}, scale 0.01) answers what Datalog answers on the same
 * database value. Each test runs a query through {@link AccreteSql} (Calcite: parsing, planning,
 * the adapter's scans and pushed-down filters) and the same question in Datalog (Accrete's own
 * engine, no SQL code involved), and compares the answers as multisets of rows (sequences where
 * the SQL orders), numbers within 1e-9 relative: the two sum doubles in different orders.
 *
 * <p>The SQL connection has {@code basis=connection}, so all its statements read the value the
 * first one took; {@link #sameValue()} checks that it is the value the Datalog side reads. Every
 * comparison also requires a non-empty answer, so a query that matches nothing on both sides
 * cannot pass by accident.
 */
class TpchSqlTest {
  private static final double TOLERANCE = 1e-9;

  private static Connection conn;
  private static Database db;
  private static java.sql.Connection sql;

  @BeforeAll
  static void open() throws Exception {
    conn = TpchFixture.connection();
    db = conn.db();
    Properties p = new Properties();
    p.setProperty("basis", "connection");
    sql = AccreteSql.connect(conn, p);
  }

  @AfterAll
  static void close() throws Exception {
    if (sql != null) {
      sql.close();
    }
  }

  @Test
  void sameValue() throws Exception {
    List<List<Object>> rows = sqlRows("select max(t) from transactions");
    assertEquals(List.of(List.of(db.basisT())), rows);
    assertEquals(db.basisT(), conn.db().basisT(), "nothing may transact into the TPC-H fixture");
  }

  @Test
  void tableCountsAreTheRowsLoaded() throws Exception {
    for (var e : TpchFixture.counts().entrySet()) {
      String table = e.getKey();
      long loaded = e.getValue();
      assertTrue(loaded > 0, table);
      assertEquals(List.of(List.of(loaded)), sqlRows("select count(*) from " + table), table);
      // Any column of the table will do: every row has every attribute.
      String key = io.accrete.sql.tpch.TpchData.primaryKey(table).get(0);
      Object count = Peer.q("[:find (count ?e) . :where [?e :" + table + "/" + key + "]]", db);
      assertEquals(loaded, count, table);
    }
  }

  /** TPC-H Q6: a filtered sum over one table (a date range, a BETWEEN on a double, a comparison). */
  @Test
  void q6FilteredSum() throws Exception {
    compare("""
        select sum(l_extendedprice * l_discount) as revenue
        from lineitem
        where l_shipdate >= date '1994-01-01'
          and l_shipdate < date '1994-01-01' + interval '1' year
          and l_discount between 0.06 - 0.01 and 0.06 + 0.01
          and l_quantity < 24""",
        List.of(),
        """
        [:find (sum ?rev) :with ?l :in $ ?lo ?hi
         :where [?l :lineitem/l_shipdate ?d] [(>= ?d ?lo)] [(< ?d ?hi)]
                [?l :lineitem/l_discount ?disc] [(>= ?disc 0.05)] [(<= ?disc 0.07)]
                [?l :lineitem/l_quantity ?q] [(< ?q 24)]
                [?l :lineitem/l_extendedprice ?p] [(* ?p ?disc) ?rev]]""",
        List.of(utc("1994-01-01"), utc("1995-01-01")), false);
  }

  /**
   * The rows Q6 sums, counted: a BETWEEN with decimal bounds on a double column must keep the
   * lineitems whose discount is exactly 0.05 or 0.07, as PostgreSQL and Datalog do.
   */
  @Test
  void q6BoundsIncludeTheirEnds() throws Exception {
    compare("""
        select l_discount, count(*) from lineitem
        where l_discount between 0.05 and 0.07 group by l_discount""",
        List.of(),
        """
        [:find ?disc (count ?l)
         :where [?l :lineitem/l_discount ?disc] [(>= ?disc 0.05)] [(<= ?disc 0.07)]]""",
        List.of(), false);
    assertEquals(3, sqlRows("select distinct l_discount from lineitem where l_discount between 0.05 and 0.07").size());
  }

  /** TPC-H Q12's join: orders looked up by key for each selected lineitem, grouped. */
  @Test
  void q12JoinLooksUpByKey() throws Exception {
    compare("""
        select l_shipmode, count(*) from orders, lineitem
        where o_orderkey = l_orderkey and l_shipmode in ('MAIL', 'SHIP')
          and l_commitdate < l_receiptdate and l_shipdate < l_commitdate
          and l_receiptdate >= date '1994-01-01' and l_receiptdate < date '1995-01-01'
        group by l_shipmode""",
        List.of(),
        """
        [:find ?mode (count ?l)
         :where [?l :lineitem/l_shipmode ?mode] [(contains? #{"MAIL" "SHIP"} ?mode)]
                [?l :lineitem/l_receiptdate ?r] [(>= ?r #inst "1994-01-01")] [(< ?r #inst "1995-01-01")]
                [?l :lineitem/l_commitdate ?c] [?l :lineitem/l_shipdate ?s] [(< ?c ?r)] [(< ?s ?c)]
                [?l :lineitem/l_orderkey ?ok] [?o :orders/o_orderkey ?ok]]""",
        List.of(), false);
  }

  /** TPC-H Q1: group by two columns with sums, averages and a count, ordered. */
  @Test
  void q1GroupByAggregates() throws Exception {
    compare(tpch(1),
        List.of(),
        """
        [:find ?rf ?ls (sum ?q) (sum ?p) (sum ?dp) (sum ?ch) (avg ?q) (avg ?p) (avg ?disc) (count ?l)
         :with ?l :in $ ?hi
         :where [?l :lineitem/l_shipdate ?d] [(<= ?d ?hi)]
                [?l :lineitem/l_returnflag ?rf] [?l :lineitem/l_linestatus ?ls]
                [?l :lineitem/l_quantity ?q] [?l :lineitem/l_extendedprice ?p]
                [?l :lineitem/l_discount ?disc] [?l :lineitem/l_tax ?tax]
                [(- 1 ?disc) ?x] [(* ?p ?x) ?dp] [(+ 1 ?tax) ?y] [(* ?dp ?y) ?ch]]""",
        List.of(utc("1998-09-02")), true, byColumns(0, 1));
  }

  /** TPC-H Q3 without its LIMIT: three tables joined on key values, filters on each, grouped. */
  @Test
  void q3ThreeTableJoin() throws Exception {
    compare(tpch(3).substring(0, tpch(3).indexOf("order by")),
        List.of(), q3Datalog(), List.of("BUILDING", utc("1995-03-15")), false);
  }

  /** TPC-H Q3 as written: ORDER BY revenue DESC, o_orderdate with LIMIT 10. */
  @Test
  void q3OrderByLimit() throws Exception {
    compare(tpch(3),
        List.of(), q3Datalog(), List.of("BUILDING", utc("1995-03-15")), true,
        byColumns(-2, 2), 10);
  }

  /** The text of TPC-H query n, as the bench runs it. */
  private static String tpch(int n) {
    return io.accrete.sql.tpch.TpchQueries.all(TpchFixture.SCALE).get(n - 1).sql();
  }

  private static String q3Datalog() {
    // Find order as the SQL's select list: the aggregate between grouping variables.
    return """
        [:find ?ok (sum ?rev) ?od ?sp :with ?l :in $ ?seg ?date
         :where [?c :customer/c_mktsegment ?seg] [?c :customer/c_custkey ?ck]
                [?o :orders/o_custkey ?ck] [?o :orders/o_orderdate ?od] [(< ?od ?date)]
                [?o :orders/o_orderkey ?ok] [?o :orders/o_shippriority ?sp]
                [?l :lineitem/l_orderkey ?ok] [?l :lineitem/l_shipdate ?sd] [(> ?sd ?date)]
                [?l :lineitem/l_extendedprice ?p] [?l :lineitem/l_discount ?d]
                [(- 1 ?d) ?x] [(* ?p ?x) ?rev]]""";
  }

  /** TPC-H Q5: six tables, a chain of key joins and a join on two nation keys at once. */
  @Test
  void q5SixTableJoin() throws Exception {
    compare(tpch(5),
        List.of(),
        """
        [:find ?nn (sum ?rev) :with ?l :in $ ?region ?lo ?hi
         :where [?r :region/r_name ?region] [?r :region/r_regionkey ?rk]
                [?n :nation/n_regionkey ?rk] [?n :nation/n_nationkey ?nk] [?n :nation/n_name ?nn]
                [?s :supplier/s_nationkey ?nk] [?s :supplier/s_suppkey ?sk]
                [?c :customer/c_nationkey ?nk] [?c :customer/c_custkey ?ck]
                [?o :orders/o_custkey ?ck] [?o :orders/o_orderdate ?od] [(>= ?od ?lo)] [(< ?od ?hi)]
                [?o :orders/o_orderkey ?ok]
                [?l :lineitem/l_orderkey ?ok] [?l :lineitem/l_suppkey ?sk]
                [?l :lineitem/l_extendedprice ?p] [?l :lineitem/l_discount ?d]
                [(- 1 ?d) ?x] [(* ?p ?x) ?rev]]""",
        List.of("ASIA", utc("1994-01-01"), utc("1995-01-01")), false);
  }

  /** A point lookup by primary key, through a statement parameter, every column and db__id. */
  @Test
  void pointLookupByKey() throws Exception {
    long key = Peer.<Long>q("[:find (max ?k) . :where [_ :orders/o_orderkey ?k]]", db) / 2;
    // o_orderkey is sparse (8 of every 32 numbers): take the nearest key that exists.
    Long existing = Peer.q("[:find (min ?k) . :in $ ?from :where [_ :orders/o_orderkey ?k] [(>= ?k ?from)]]", db, key);
    compare("""
        select db__id, o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate,
               o_orderpriority, o_clerk, o_shippriority, o_comment
        from orders where o_orderkey = ?""",
        List.of(existing),
        """
        [:find ?o ?k ?ck ?st ?tp ?od ?pr ?cl ?sp ?cm :in $ ?k
         :where [?o :orders/o_orderkey ?k] [?o :orders/o_custkey ?ck] [?o :orders/o_orderstatus ?st]
                [?o :orders/o_totalprice ?tp] [?o :orders/o_orderdate ?od] [?o :orders/o_orderpriority ?pr]
                [?o :orders/o_clerk ?cl] [?o :orders/o_shippriority ?sp] [?o :orders/o_comment ?cm]]""",
        List.of(existing), false);
    assertEquals(1, sqlRows("select * from orders where o_orderkey = " + existing).size());
    long missing = existing + 1;
    while (Peer.q("[:find ?o . :in $ ?k :where [?o :orders/o_orderkey ?k]]", db, missing) != null) {
      missing++;
    }
    assertEquals(List.of(), sqlRows("select * from orders where o_orderkey = " + missing));
  }

  /** A short IN list on a key (Calcite keeps it as ORs), with a key that does not exist. */
  @Test
  void shortInList() throws Exception {
    List<Long> keys = List.of(1L, 7L, 42L, 1499L, 1500L, 99_999L);
    compare("select c_custkey, c_name, c_acctbal, c_nationkey from customer"
            + " where c_custkey in (1, 7, 42, 1499, 1500, 99999)",
        List.of(),
        """
        [:find ?k ?name ?bal ?nk :in $ [?k ...]
         :where [?c :customer/c_custkey ?k] [?c :customer/c_name ?name]
                [?c :customer/c_acctbal ?bal] [?c :customer/c_nationkey ?nk]]""",
        List.of(keys), false);
  }

  /** A long IN list (Calcite turns one of more than 20 values into a join with VALUES). */
  @Test
  void longInList() throws Exception {
    List<Long> keys = LongStream.rangeClosed(1, 40).map(i -> i * 37).boxed().toList();
    String in = String.join(", ", keys.stream().map(String::valueOf).toList());
    compare("select p_partkey, p_name, p_retailprice from part where p_partkey in (" + in + ")",
        List.of(),
        """
        [:find ?k ?name ?price :in $ [?k ...]
         :where [?p :part/p_partkey ?k] [?p :part/p_name ?name] [?p :part/p_retailprice ?price]]""",
        List.of(keys), false);
    assertEquals(40, sqlRows("select p_partkey from part where p_partkey in (" + in + ")").size());
  }

  /** An IN list on a string column, combined with a range on another column. */
  @Test
  void stringInListAndRange() throws Exception {
    compare("""
        select o_orderkey, o_orderpriority, o_totalprice from orders
        where o_orderpriority in ('1-URGENT', '5-LOW') and o_totalprice > 300000""",
        List.of(),
        """
        [:find ?k ?pr ?tp :in $ [?pr ...]
         :where [?o :orders/o_orderpriority ?pr] [?o :orders/o_totalprice ?tp] [(> ?tp 300000.0)]
                [?o :orders/o_orderkey ?k]]""",
        List.of(List.of("1-URGENT", "5-LOW")), false);
  }

  /** A range on a date column, half-open, with DATE literals against the TIMESTAMP column. */
  @Test
  void dateRange() throws Exception {
    compare("""
        select o_orderkey, o_custkey, o_totalprice, o_orderdate from orders
        where o_orderdate >= date '1995-01-01' and o_orderdate < date '1995-02-01'""",
        List.of(),
        """
        [:find ?k ?ck ?tp ?od :in $ ?lo ?hi
         :where [?o :orders/o_orderdate ?od] [(>= ?od ?lo)] [(< ?od ?hi)]
                [?o :orders/o_orderkey ?k] [?o :orders/o_custkey ?ck] [?o :orders/o_totalprice ?tp]]""",
        List.of(utc("1995-01-01"), utc("1995-02-01")), false);
  }

  /** The same kind of range as BETWEEN with TIMESTAMP literals, closed at both ends. */
  @Test
  void timestampBetween() throws Exception {
    compare("""
        select l_orderkey, l_linenumber, l_shipdate from lineitem
        where l_shipdate between timestamp '1996-03-01 00:00:00' and timestamp '1996-03-03 00:00:00'""",
        List.of(),
        """
        [:find ?k ?n ?sd :in $ ?lo ?hi
         :where [?l :lineitem/l_shipdate ?sd] [(>= ?sd ?lo)] [(<= ?sd ?hi)]
                [?l :lineitem/l_orderkey ?k] [?l :lineitem/l_linenumber ?n]]""",
        List.of(utc("1996-03-01"), utc("1996-03-03")), false);
  }

  /**
   * IS NULL: TPC-H has no missing values, but a third of the customers have no orders (their
   * keys are multiples of 3), which an outer join shows as NULL order columns.
   */
  @Test
  void isNullAfterOuterJoin() throws Exception {
    compare("""
        select c_custkey, c_name from customer left join orders on o_custkey = c_custkey
        where o_orderkey is null""",
        List.of(),
        """
        [:find ?k ?name
         :where [?c :customer/c_custkey ?k] [?c :customer/c_name ?name]
                (not [_ :orders/o_custkey ?k])]""",
        List.of(), false);
  }

  /** IS NULL and IS NOT NULL on a column of the scanned table (pushed into the scan). */
  @Test
  void isNullOnScannedColumn() throws Exception {
    compare("""
        select o_orderkey from orders
        where o_comment is not null and o_orderstatus = 'P'""",
        List.of(),
        "[:find ?k :where [?o :orders/o_orderstatus \"P\"] [?o :orders/o_comment _] [?o :orders/o_orderkey ?k]]",
        List.of(), false);
    assertEquals(List.of(List.of(0L)), sqlRows("select count(*) from orders where o_comment is null"));
  }

  /**
   * The inner query of TPC-H Q13: a left outer join whose ON clause filters the right side,
   * counted per customer (zero for customers without such orders).
   */
  @Test
  void q13OuterJoinCount() throws Exception {
    Collection<List<Object>> counted = Peer.q("""
        [:find ?ck (count ?o) :in $ ?re
         :where [?o :orders/o_custkey ?ck] [?o :orders/o_comment ?cm] (not [(re-find ?re ?cm)])]""",
        db, Pattern.compile("special.*requests"));
    Map<Object, Object> perCustomer = new HashMap<>();
    for (Object ck : Peer.<Collection<Object>>q("[:find [?ck ...] :where [_ :customer/c_custkey ?ck]]", db)) {
      perCustomer.put(ck, 0L);
    }
    counted.forEach(r -> perCustomer.put(r.get(0), r.get(1)));
    List<List<Object>> expected = new ArrayList<>();
    perCustomer.forEach((ck, n) -> expected.add(List.of(ck, n)));
    assertTrue(perCustomer.containsValue(0L) && counted.size() > 100, "both kinds of customer occur");
    List<List<Object>> actual = sqlRows("""
        select c_custkey, count(o_orderkey)
        from customer left outer join orders
          on c_custkey = o_custkey and o_comment not like '%special%requests%'
        group by c_custkey""");
    String diff = Answers.difference(Answers.of(expected), actual, TOLERANCE, false);
    assertNull(diff, diff);
  }

  /** ORDER BY … LIMIT on one table: the ten most expensive orders. */
  @Test
  void orderByLimit() throws Exception {
    compare("select o_orderkey, o_totalprice from orders order by o_totalprice desc, o_orderkey limit 10",
        List.of(),
        "[:find ?k ?tp :where [?o :orders/o_orderkey ?k] [?o :orders/o_totalprice ?tp]]",
        List.of(), true, byColumns(-2, 0), 10);
  }

  // ---------------------------------------------------------------------------------------------

  /** Compares a SQL answer with a Datalog answer as multisets ({@code ordered} false) or lists. */
  private static void compare(String query, List<Object> params, String datalog, List<Object> inputs,
      boolean ordered) throws Exception {
    compare(query, params, datalog, inputs, ordered, null, Integer.MAX_VALUE);
  }

  private static void compare(String query, List<Object> params, String datalog, List<Object> inputs,
      boolean ordered, Comparator<List<Object>> order) throws Exception {
    compare(query, params, datalog, inputs, ordered, order, Integer.MAX_VALUE);
  }

  /**
   * Runs both sides and compares. For an ordered SQL answer the Datalog rows (a set) are sorted
   * in Java by {@code order} and cut to {@code limit}.
   */
  private static void compare(String query, List<Object> params, String datalog, List<Object> inputs,
      boolean ordered, Comparator<List<Object>> order, int limit) throws Exception {
    List<Object> all = new ArrayList<>();
    all.add(db);
    all.addAll(inputs);
    Collection<List<Object>> raw = Peer.q(datalog, all.toArray());
    List<List<Object>> expected = new ArrayList<>(Answers.of(raw));
    if (order != null) {
      expected.sort(order);
    }
    if (expected.size() > limit) {
      expected = expected.subList(0, limit);
    }
    assertTrue(!expected.isEmpty(), "the Datalog side found nothing: the comparison would prove nothing");
    List<List<Object>> actual = sqlRows(query, params.toArray());
    String diff = Answers.difference(expected, actual, TOLERANCE, ordered);
    assertNull(diff, () -> "SQL and Datalog differ on\n" + query + "\n" + diff);
  }

  private static List<List<Object>> sqlRows(String query, Object... params) throws Exception {
    if (params.length == 0) {
      try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery(query)) {
        return Answers.read(rs);
      }
    }
    try (PreparedStatement s = sql.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return Answers.read(rs);
      }
    }
  }

  /**
   * Rows ordered by columns: {@code i} ascending, {@code -(i + 1)} descending (so {@code -2}
   * is column 1 descending).
   */
  private static Comparator<List<Object>> byColumns(int... columns) {
    return (x, y) -> {
      for (int c : columns) {
        int i = c >= 0 ? c : -c - 1;
        @SuppressWarnings("unchecked")
        int r = ((Comparable<Object>) x.get(i)).compareTo(y.get(i));
        if (r != 0) {
          return c >= 0 ? r : -r;
        }
      }
      return 0;
    };
  }

  private static Date utc(String day) {
    return Date.from(LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant());
  }
}
