package io.accrete.sql;

import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static io.accrete.sql.SqlSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.math.BigDecimal;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tables, columns, types and names derived from a schema with every value type. */
class SqlMappingTest {
  static Connection conn;

  @BeforeAll
  static void load() {
    conn = Peer.connect(TestData.freshUri());
    conn.transact("""
        [{:db/ident :item/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one
          :db/unique :db.unique/identity}
         {:db/ident :item/count :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :item/price :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
         {:db/ident :item/weight :db/valueType :db.type/float :db/cardinality :db.cardinality/one}
         {:db/ident :item/active :db/valueType :db.type/boolean :db/cardinality :db.cardinality/one}
         {:db/ident :item/added-at :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :item/uuid :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}
         {:db/ident :item/kind :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}
         {:db/ident :item/handler :db/valueType :db.type/symbol :db/cardinality :db.cardinality/one}
         {:db/ident :item/color :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :item/serial :db/valueType :db.type/bigint :db/cardinality :db.cardinality/one}
         {:db/ident :item/cost :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/one}
         {:db/ident :item/home :db/valueType :db.type/uri :db/cardinality :db.cardinality/one}
         {:db/ident :item/blob :db/valueType :db.type/bytes :db/cardinality :db.cardinality/one}
         {:db/ident :item/dims :db/valueType :db.type/tuple :db/tupleType :db.type/long
          :db/cardinality :db.cardinality/one}
         {:db/ident :item/label :db/valueType :db.type/tuple
          :db/tupleTypes [:db.type/string :db.type/long] :db/cardinality :db.cardinality/one}
         {:db/ident :item/name+count :db/valueType :db.type/tuple
          :db/tupleAttrs [:item/name :item/count] :db/cardinality :db.cardinality/one}
         {:db/ident :item/tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
         {:db/ident :item/colors :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/ident :order.line/unit-price :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
         {:db/ident :order.line/year :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :order.line/select :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :Clash/firstName :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :Clash/first-name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :free :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :color/red} {:db/ident :color/blue}]""").join();
    conn.transact("""
        [{:item/name "anvil" :item/count 3 :item/price 9.5 :item/weight 2.5 :item/active true
          :item/added-at #inst "2026-03-01T10:00:00.000-00:00"
          :item/uuid #uuid "6f1c3f2e-0a8b-4c1e-9d52-1f0e6c2a7b10" :item/kind :kind/tool
          :item/handler my.ns/handle :item/color :color/red :item/serial 123456789012345678901234N
          :item/cost 12.50M :item/home #uri "https://example.com/anvil"
          :item/dims [10 20 30] :item/label ["A" 1]
          :item/tags ["heavy" "iron"] :item/colors [:color/red :color/blue]}
         {:item/name "feather"}
         {:order.line/unit-price 1.5 :order.line/year 2026 :order.line/select "x"}
         {:Clash/firstName "a" :Clash/first-name "b"}
         {:free "no namespace"}]""").join();
  }

  @Test
  void tablesAreTheNamespacesAndTheCardManyAttributes() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      List<String> names = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, AccreteSql.SCHEMA, "%", null)) {
        while (rs.next()) {
          names.add(rs.getString("TABLE_NAME"));
        }
      }
      for (String t : List.of("item", "item__history", "item_x_tags", "item_x_colors", "order_line",
          "clash", "datoms", "transactions", "db__attrs", "db__idents")) {
        assertTrue(names.contains(t), t + " in " + names);
      }
      assertFalse(names.stream().anyMatch(n -> n.startsWith("db_") && !n.startsWith("db__")), names.toString());
      assertTrue(names.contains("free"), "an attribute without a namespace is a table of its own");
      assertEquals(List.of(List.of("no namespace")), SqlSupport.rows(c, "SELECT free FROM free"));
      assertFalse(names.contains("color"), "idents alone (enum values) are no attributes");
    }
  }

  @Test
  void columnsAndTypesFollowTheSchema() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      Map<String, Integer> types = new LinkedHashMap<>();
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getColumns(null, AccreteSql.SCHEMA, "item", "%")) {
        while (rs.next()) {
          types.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
        }
      }
      Map<String, Integer> expected = new LinkedHashMap<>();
      expected.put("db__id", Types.BIGINT);
      expected.put("name", Types.VARCHAR);
      expected.put("count", Types.BIGINT);
      expected.put("price", Types.DOUBLE);
      expected.put("weight", Types.REAL);
      expected.put("active", Types.BOOLEAN);
      expected.put("added_at", Types.TIMESTAMP);
      expected.put("uuid", Types.VARCHAR);
      expected.put("kind", Types.VARCHAR);
      expected.put("handler", Types.VARCHAR);
      expected.put("color", Types.BIGINT);
      expected.put("color__ident", Types.VARCHAR);
      expected.put("serial", Types.DECIMAL);
      expected.put("cost", Types.DECIMAL);
      expected.put("home", Types.VARCHAR);
      expected.put("blob", Types.VARBINARY);
      expected.put("dims", Types.ARRAY);
      expected.put("label__1", Types.VARCHAR);
      expected.put("label__2", Types.BIGINT);
      expected.put("name_count__1", Types.VARCHAR);
      expected.put("name_count__2", Types.BIGINT);
      assertEquals(expected, types);
    }
  }

  @Test
  void valuesCrossAsTheirSqlTypes() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      List<List<Object>> r = rows(c, "SELECT name, \"count\", price, weight, active, added_at, \"uuid\", kind,"
          + " handler, color__ident, serial, cost, home, dims, label__1, label__2, name_count__1,"
          + " name_count__2 FROM item WHERE name = 'anvil'");
      assertEquals(List.of(row("anvil", 3L, 9.5, 2.5f, true,
          Instant.parse("2026-03-01T10:00:00Z").toEpochMilli(), "6f1c3f2e-0a8b-4c1e-9d52-1f0e6c2a7b10",
          ":kind/tool", "my.ns/handle", ":color/red", new BigDecimal("123456789012345678901234"),
          new BigDecimal("12.50"), "https://example.com/anvil", List.of(10L, 20L, 30L), "A", 1L,
          "anvil", 3L)), r);
      long red = conn.db().entid(io.accrete.Keyword.of("color", "red"));
      assertEquals(List.of(row(red)), rows(c, "SELECT color FROM item WHERE name = 'anvil'"));
    }
  }

  @Test
  void aMissingAttributeIsNull() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      List<List<Object>> r = rows(c, "SELECT \"count\", price, color, color__ident, dims FROM item WHERE name = 'feather'");
      assertEquals(List.of(row(null, null, null, null, null)), r);
      assertEquals(List.of(row("feather")), rows(c, "SELECT name FROM item WHERE price IS NULL"));
    }
  }

  @Test
  void cardManyAttributesAreTablesOfTheirOwn() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      long anvil = conn.db().entid(List.of(io.accrete.Keyword.of("item", "name"), "anvil"));
      assertEquals(SqlSupport.bag(List.of(row(anvil, "heavy"), row(anvil, "iron"))),
          SqlSupport.bag(rows(c, "SELECT item, tags FROM item_x_tags")));
      assertEquals(SqlSupport.bag(List.of(row(":color/red"), row(":color/blue"))),
          SqlSupport.bag(rows(c, "SELECT colors__ident FROM item_x_colors WHERE item = ?", anvil)));
    }
  }

  @Test
  void namesFollowOneRule() throws Exception {
    assertEquals("unit_price", SqlNames.of("unit-price"));
    assertEquals("order_line", SqlNames.of("order.line"));
    assertEquals("firstname", SqlNames.of("firstName"));
    assertEquals("a_b", SqlNames.of("a--b?"));
    assertEquals("_2nd", SqlNames.of("2nd"));
    assertEquals("_", SqlNames.of("?"));
    try (java.sql.Connection c = sql(conn)) {
      assertEquals(List.of(row(1.5, 2026L, "x")),
          rows(c, "SELECT unit_price, \"year\", \"select\" FROM order_line"));
      // firstName folds to firstname; first-name is first_name: no clash.
      assertEquals(List.of(row("a", "b")), rows(c, "SELECT firstname, first_name FROM clash"));
    }
  }

  @Test
  void clashingNamesGetSuffixesInInstallationOrder() throws Exception {
    Connection x = Peer.connect(TestData.freshUri());
    x.transact("""
        [{:db/ident :p/nickName :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :p/nickname :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :P/other :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""").join();
    x.transact("[{:p/nickName \"z\" :p/nickname 7} {:P/other 1}]").join();
    try (java.sql.Connection c = sql(x)) {
      assertEquals(List.of(row("z", 7L)), rows(c, "SELECT nickname, nickname_2 FROM p"));
      assertEquals(List.of(row(1L)), rows(c, "SELECT other FROM p_2"));
      assertEquals(List.of(row("p_2", "other")),
          rows(c, "SELECT sql_table, sql_column FROM db__attrs WHERE ident = ':P/other'"));
    }
  }

  @Test
  void unquotedNamesAreCaseInsensitiveQuotedOnesExact() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      assertEquals(List.of(row("anvil")), rows(c, "SELECT NAME FROM ITEM WHERE Name = 'anvil'"));
      assertEquals(List.of(row("anvil")), rows(c, "SELECT \"name\" FROM \"item\" WHERE name = 'anvil'"));
      SqlSupport.fails(c, "SELECT \"NAME\" FROM item", "Column 'NAME' not found");
    }
  }

  @Test
  void aNewAttributeAppearsWithoutReconnecting() throws Exception {
    Connection x = Peer.connect(TestData.freshUri());
    x.transact("[{:db/ident :pet/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").join();
    x.transact("[{:pet/name \"rex\"}]").join();
    try (java.sql.Connection c = sql(x)) {
      assertEquals(List.of(row("rex")), rows(c, "SELECT name FROM pet"));
      SqlSupport.fails(c, "SELECT age FROM pet", "Column 'age' not found");
      x.transact("[{:db/ident :pet/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :toy/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").join();
      x.transact("[{:pet/name \"tom\" :pet/age 3} {:toy/name \"ball\"}]").join();
      assertEquals(SqlSupport.bag(List.of(row("rex", null), row("tom", 3L))),
          SqlSupport.bag(rows(c, "SELECT name, age FROM pet")));
      assertEquals(List.of(row("ball")), rows(c, "SELECT name FROM toy"));
      ResultSetMetaData md = c.createStatement().executeQuery("SELECT * FROM pet").getMetaData();
      assertEquals(3, md.getColumnCount());
    }
  }

  @Test
  void systemTablesDescribeTheSchema() throws Exception {
    try (java.sql.Connection c = sql(conn)) {
      assertEquals(List.of(row(":item/count", ":db.type/long", false, null, "item", "count", "BIGINT")),
          rows(c, "SELECT ident, value_type, is_many, is_unique, sql_table, sql_column, sql_type"
              + " FROM db__attrs WHERE ident = ':item/count'"));
      assertEquals(List.of(row(":db.unique/identity")),
          rows(c, "SELECT is_unique FROM db__attrs WHERE ident = ':item/name'"));
      long red = conn.db().entid(io.accrete.Keyword.of("color", "red"));
      assertEquals(List.of(row(red)), rows(c, "SELECT db__id FROM db__idents WHERE ident = ':color/red'"));
    }
  }
}
