package io.accrete.examples;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.sql.tpch.TpchData;
import io.accrete.tx.TxProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The examples' data sets and their SQL files. */
public final class Examples {
  private Examples() {}

  /** A named statement of one of the SQL files. */
  public record Statement(String name, String sql) {}

  /** The statements of a resource under {@code sql/}, each after a {@code -- name:} line. */
  public static List<Statement> statements(String file) {
    String text = resource("sql/" + file);
    List<Statement> out = new ArrayList<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith("-- name:")) {
        name = line.substring("-- name:".length()).trim();
      } else if (!line.startsWith("--") && name != null) {
        sql.append(line).append('\n');
        if (line.trim().endsWith(";")) {
          String s = sql.toString().trim();
          out.add(new Statement(name, s.substring(0, s.length() - 1)));
          sql.setLength(0);
          name = null;
        }
      }
    }
    return out;
  }

  /** A fresh in-memory database with the movies data set; returns its URI. */
  public static String movies() {
    String uri = fresh("movies");
    Connection c = Peer.connect(uri);
    c.transact(TxProcessor.parse(resource("datasets/movies/schema.edn"))).join();
    c.transact(TxProcessor.parse(resource("datasets/movies/data.edn"))).join();
    return uri;
  }

  /** A fresh in-memory database with TPC-H data at a scale factor (0.01 is 87,000 rows). */
  public static String sales(double scaleFactor) {
    String uri = fresh("sales");
    TpchData.load(Peer.connect(uri), scaleFactor);
    return uri;
  }

  /** A fresh in-memory database with the audit story: a count of 7 at 09:00, 100 at 13:00. */
  public static String audit() {
    String uri = fresh("audit");
    Connection c = Peer.connect(uri);
    c.transact("""
        [{:db/ident :inv/sku :db/valueType :db.type/string :db/cardinality :db.cardinality/one
          :db/unique :db.unique/identity}
         {:db/ident :inv/count :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :audit/user :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/id "datomic.tx" :db/txInstant #inst "2026-05-01T08:00:00Z"}]""").join();
    c.transact("""
        [{:inv/sku "W-1" :inv/count 7}
         {:db/id "datomic.tx" :db/txInstant #inst "2026-05-01T09:00:00Z" :audit/user "ann"}]""").join();
    c.transact("""
        [{:inv/sku "W-1" :inv/count 100}
         {:db/id "datomic.tx" :db/txInstant #inst "2026-05-01T13:00:00Z" :audit/user "bob"}]""").join();
    return uri;
  }

  private static String fresh(String name) {
    String uri = "accrete:mem://" + name + "-" + System.nanoTime();
    Peer.createDatabase(uri);
    return uri;
  }

  /** Prints a result as an aligned table; returns the rows. */
  public static int print(ResultSet rs, PrintStream out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    StringBuilder head = new StringBuilder("  ");
    for (int i = 1; i <= n; i++) {
      head.append(String.format("%-22s", md.getColumnLabel(i)));
    }
    out.println(head);
    int rows = 0;
    while (rs.next()) {
      StringBuilder b = new StringBuilder("  ");
      for (int i = 1; i <= n; i++) {
        b.append(String.format("%-22s", rs.getString(i)));
      }
      out.println(b);
      rows++;
    }
    return rows;
  }

  static String resource(String path) {
    try (InputStream in = Examples.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
