package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.sql.SqlExplainLevel;
import org.junit.jupiter.api.Test;

/**
 * {@link QueryBinder} against Calcite's validator and converter: every query it binds must come
 * out as the very plan the converter makes (operators, casts, every expression's type), with the
 * same result columns (labels, types, nullability, origins); what it declines goes to Calcite.
 */
class QueryBinderTest {
  /** Every twenty-ninth query of every shared sqllogictest file, on a database with the file's tables. */
  @Test
  void sqllogictestQueriesBindAsCalciteConvertsThem() throws Exception {
    Path root = TestData.repoFile("shared/sqllogictest");
    List<Path> files = SqlSupport.sqllogictestFiles();
    int queries = 0;
    long boundBefore = QueryBinder.binds();
    for (Path file : files) {
      Connection conn = Peer.connect(TestData.freshUri());
      try (java.sql.Connection binding = SqlSupport.sql(conn);
          java.sql.Connection validating = SqlSupport.sql(conn, "bind", "false")) {
        int seen = 0;
        for (String[] record : PlanInterpreterTest.records(file, Integer.MAX_VALUE)) {
          String sql = record[1];
          if (record[0].equals("statement")) {
            // The tables and views are what binding depends on; the rows are not.
            if (sql.regionMatches(true, 0, "CREATE", 0, 6) || sql.regionMatches(true, 0, "DROP", 0, 4)) {
              try (Statement s = validating.createStatement()) {
                s.execute(sql);
              } catch (SQLException e) {
                // statements expected to fail are part of the files
              }
            }
            continue;
          }
          if (seen++ % 29 != 0) {
            continue;
          }
          queries++;
          String calcite = prepared(validating, sql);
          long b0 = QueryBinder.binds();
          String ours = prepared(binding, sql);
          if (QueryBinder.binds() == b0) System.out.println("DECLINED " + root.relativize(file) + ": " + sql.replace('\n', ' '));
          if (!calcite.equals(ours)) {
            throw new AssertionError(root.relativize(file) + ": " + sql + "\n" + firstDifference(calcite, ours));
          }
        }
      } finally {
        conn.release();
      }
    }
    long bound = QueryBinder.binds() - boundBefore;
    assertTrue(queries > 8_000, "queries " + queries);
    // The index/ files' queries are nearly all plain; so are many of the others (3,709 of 8,931 when written).
    assertTrue(bound > queries / 3, "only " + bound + " of " + queries + " queries bound");
  }

  @Test
  void toolWrittenQueriesBindAsCalciteConvertsThem() throws Exception {
    Connection conn = Peer.connect(TestData.freshUri());
    String[] queries = {
        "SELECT pk AS x FROM t ORDER BY c0 DESC, x NULLS FIRST",
        "SELECT t.c0, pk FROM t AS t ORDER BY pk, 1 DESC NULLS LAST",
        "SELECT * FROM t WHERE c1 >= 2.5 AND NOT (c0 IN (1, 2, 3) OR c2 IS NULL) ORDER BY c2, c0",
        "SELECT c0 AS pk, pk AS c0 FROM t ORDER BY pk",
        "SELECT pk FROM t u WHERE u.c0 NOT BETWEEN 1 AND 7 OR 3 < u.c1 OR c2 >= c2 OR c0 NOT IN (5, 6)",
        "SELECT pk FROM t WHERE 1.5 > pk AND c1 BETWEEN 1.5 AND 3 AND c0 <> 2",
        "SELECT DISTINCT c0 * 2 + - pk, c1 - 1 AS d FROM t WHERE - c1 < 4 + pk",
        "SELECT COUNT(*), SUM(c0) / 2, MAX(c1) AS m, COUNT(DISTINCT c0), COUNT(pk) FROM t WHERE c0 > 1",
        "SELECT c0, COUNT(*), AVG(c1 + 1) FROM t GROUP BY c0",
        "SELECT c0 + NULL, NULL FROM t WHERE c2 IS NULL OR NULL IS NULL OR c0 <> NULL",
        "SELECT 1 + 2 * 3, - 4",
    };
    // Left to Calcite: the validator retypes the literal to the column's type.
    String[] declined = {"SELECT c3 FROM t WHERE c3 > 5", "SELECT pk FROM t WHERE c2 = 'x'",
        "SELECT pk FROM t ORDER BY c0 LIMIT 2", "SELECT nosuch FROM t"};
    long before = QueryBinder.binds();
    try (java.sql.Connection binding = SqlSupport.sql(conn);
        java.sql.Connection validating = SqlSupport.sql(conn, "bind", "false")) {
      try (Statement s = validating.createStatement()) {
        s.execute("CREATE TABLE t (pk INTEGER PRIMARY KEY, c0 INTEGER, c1 DOUBLE PRECISION, c2 VARCHAR(10), c3 BIGINT)");
      }
      for (String q : queries) {
        String calcite = prepared(validating, q);
        String ours = prepared(binding, q);
        assertEquals(calcite, ours, () -> q + "\n" + firstDifference(calcite, ours));
      }
      for (String q : declined) {
        assertEquals(prepared(validating, q), prepared(binding, q), q);
      }
    } finally {
      conn.release();
    }
    assertEquals(queries.length, QueryBinder.binds() - before, "every query but the declined ones bound");
  }

  /** The first line where two texts differ, from each. */
  private static String firstDifference(String x, String y) {
    String[] a = x.split("\n");
    String[] b = y.split("\n");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String p = i < a.length ? a[i] : "(end)";
      String q = i < b.length ? b[i] : "(end)";
      if (!p.equals(q)) {
        return "Calcite: " + p + "\nbinder:  " + q;
      }
    }
    return "(same)";
  }

  /** The plan the converter hands on and the result's columns, or the error preparing it gives. */
  private static String prepared(java.sql.Connection c, String sql) {
    StringBuilder out = new StringBuilder();
    try (Hook.Closeable hook = Hook.CONVERTED.addThread((RelNode rel) -> out.append(plan(rel)))) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ResultSetMetaData md = ps.getMetaData();
        for (int i = 1; md != null && i <= md.getColumnCount(); i++) {
          out.append('\n').append(md.getColumnLabel(i)).append(' ').append(md.getColumnTypeName(i)).append('(')
              .append(md.getPrecision(i)).append(',').append(md.getScale(i)).append(") nullable=")
              .append(md.isNullable(i)).append(" from ").append(md.getSchemaName(i)).append('.')
              .append(md.getTableName(i)).append('.').append(md.getColumnName(i));
        }
      }
    } catch (SQLException | RuntimeException | AssertionError e) { // Calcite asserts on some statements
      out.append("\nfails: ").append(e.getMessage());
    }
    return out.toString();
  }

  /** A plan with every node's row type and every expression's type. */
  private static String plan(RelNode rel) {
    StringBuilder b = new StringBuilder(RelOptUtil.toString(rel, SqlExplainLevel.ALL_ATTRIBUTES));
    rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        b.append(other.getRelTypeName()).append(' ').append(other.getRowType().getFullTypeString()).append('\n');
        if (other instanceof org.apache.calcite.rel.core.Aggregate a) {
          for (org.apache.calcite.rel.core.AggregateCall call : a.getAggCallList()) {
            b.append("  ").append(call).append(" : ").append(call.getType().getFullTypeString()).append(" by ")
                .append(System.identityHashCode(call.getAggregation())).append('\n');
          }
        }
        other.accept(new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            // Operators print by name: their identity tells a look-alike from the standard one.
            b.append("  ").append(call).append(" : ").append(call.getType().getFullTypeString()).append(" by ")
                .append(call.getOperator().getClass().getName()).append('@')
                .append(System.identityHashCode(call.getOperator())).append(" ").append(call.getOperator().getKind()).append('\n');
            return super.visitCall(call);
          }

          @Override
          public RexNode visitLiteral(RexLiteral literal) {
            b.append("  ").append(literal).append(" : ").append(literal.getType().getFullTypeString()).append('\n');
            return literal;
          }

          @Override
          public RexNode visitInputRef(RexInputRef ref) {
            b.append("  ").append(ref).append(" : ").append(ref.getType().getFullTypeString()).append('\n');
            return ref;
          }
        });
        return super.visit(other);
      }
    });
    return b.toString().replaceAll(", id = \\d+", "");
  }
}
