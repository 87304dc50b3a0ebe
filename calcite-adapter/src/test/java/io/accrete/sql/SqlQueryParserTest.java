package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.util.Litmus;
import org.junit.jupiter.api.Test;

/**
 * {@link SqlQueryParser} against Babel's generated parser, configured as Accrete's connections
 * configure it: whatever it parses must come out as the very tree Babel builds (node classes,
 * operators, literals, every position, as error messages cite them), and what Babel refuses it
 * must decline.
 */
class SqlQueryParserTest {
  private static final SqlParser.Config CONFIG = SqlParser.config().withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.TO_LOWER).withQuotedCasing(Casing.UNCHANGED).withCaseSensitive(true)
      .withConformance(SqlConformanceEnum.LENIENT);

  /** Every twentieth query or DELETE of every shared sqllogictest file (about 16,000). */
  @Test
  void sqllogictestQueriesParseAsBabelParsesThem() throws Exception {
    Path root = TestData.repoFile("shared/sqllogictest");
    List<Path> files = SqlSupport.sqllogictestFiles();
    int queries = 0;
    int babelParsed = 0;
    int parsed = 0;
    for (Path file : files) {
      List<String> sqls = queries(file);
      for (int i = 0; i < sqls.size(); i += 20) {
        queries++;
        String sql = sqls.get(i);
        SqlNode babel = babel(sql);
        SqlNode ours = ours(sql);
        if (babel != null) {
          babelParsed++;
        }
        if (ours != null) {
          parsed++;
          assertNotNull(babel, () -> "Babel refuses what SqlQueryParser parsed: " + sql);
          String difference = difference(babel, ours, "");
          assertNull(difference, () -> difference + "\n  in " + sql);
        }
      }
    }
    assertTrue(queries > 15_000, "queries " + queries);
    // The fast path must carry nearly all of them (the rest: MySQL's CAST … AS SIGNED and such).
    assertTrue(parsed > babelParsed * 0.93, parsed + " of " + babelParsed + " parsed");
  }

  /** Constructs the sqllogictest files lack, each parsed (not declined) and as Babel parses it. */
  @Test
  void queriesToolsWriteParseAsBabelParsesThem() {
    String[] parsed = {
        "SELECT \"Title\", m.\"year\" AS y FROM \"Movie\" m WHERE m.title = 'It''s' ORDER BY 2 DESC NULLS LAST LIMIT 10 OFFSET 5",
        "select t.*, count(*) from t\n  left outer join u on t.id = u.t_id\n  where u.x is distinct from 3 group by t.id having count(*) > 1",
        "SELECT a FROM t -- a comment\nWHERE b LIKE 'x%' AND c NOT LIKE '%y' OR d IS NOT TRUE",
        "SELECT CAST(a AS DECIMAL(10, 2)), CAST(b AS DOUBLE PRECISION), CAST(c AS NUMERIC) FROM t",
        "SELECT s.f(x), upper(name), coalesce(a, b, 0), nullif(a, 1) FROM t",
        "SELECT * FROM t WHERE (a, b) IN (SELECT x, y FROM u) AND EXISTS (SELECT 1 FROM v WHERE v.a = t.a)",
        "(SELECT a FROM t UNION ALL SELECT b FROM u) EXCEPT (SELECT c FROM w ORDER BY c LIMIT 3)",
        "SELECT CASE WHEN a > 1 THEN 'x' WHEN a IN (1, 2) THEN 'y' ELSE NULL END, CASE a WHEN 1, 2 THEN 3 END FROM t",
        "SELECT x FROM (SELECT a AS x FROM t ORDER BY a) AS s CROSS JOIN u INNER JOIN w ON TRUE",
        "SELECT 1.5e3, .5, 7., -(-2), a || 'b', a % 2 FROM t WHERE a <> 1 AND b != 2",
        "SELECT count(DISTINCT a), sum(ALL b) FROM t WHERE a BETWEEN 1 AND 2 AND b NOT BETWEEN c AND d",
        "DELETE FROM t",
        "DELETE FROM s.t AS x WHERE x.a IN (SELECT b FROM u WHERE u.c = x.c)",
        "delete from \"T\" y where a > 1",
    };
    for (String sql : parsed) {
      SqlNode ours = ours(sql);
      assertNotNull(ours, () -> "declined: " + sql);
      SqlNode babel = babel(sql);
      assertNotNull(babel, sql);
      assertNull(difference(babel, ours, ""), sql);
    }
  }

  /** What Babel's grammar treats specially goes to Babel. */
  @Test
  void otherConstructsAreDeclined() {
    String[] declined = {
        "WITH w AS (SELECT 1) SELECT * FROM w",
        "SELECT row_number() OVER (ORDER BY a) FROM t",
        "SELECT count(*) FILTER (WHERE a > 1) FROM t",
        "SELECT DATE '2024-01-01', INTERVAL '1' DAY",
        "SELECT /*+ hint */ a FROM t",
        "SELECT current_date, user",
        "SELECT substring(a FROM 2) FROM t",
        "SELECT a FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00'",
        "SELECT x'01' FROM t",
        "SELECT 'a' 'b' FROM t",
        "SELECT a FROM t WHERE a IN ()",
        "SELECT a FROM t; SELECT b FROM u",
        "SELECT CAST(a AS VARCHAR(3)) FROM t",
        "VALUES (1, 2)",
        "INSERT INTO t VALUES (1)",
        "DELETE FROM t RETURNING a",
        "UPDATE t SET a = 1",
    };
    for (String sql : declined) {
      assertNull(ours(sql), () -> "parsed: " + sql);
    }
  }

  /** After ReInit the statement is Babel's to parse, set up as this parser was. */
  @Test
  void reInitHandsTheNextStatementToBabel() throws Exception {
    SqlQueryParser p = configured(new SqlQueryParser("SELECT 1", () -> new org.apache.calcite.sql.parser.babel
        .SqlBabelParserImpl(new java.io.StringReader("SELECT 1")), n -> n));
    p.ReInit(new java.io.StringReader("SELECT \"X\" FROM t"));
    assertNull(p.parse());
    SqlNode babel = babel("SELECT \"X\" FROM t");
    assertNull(difference(babel, p.parseSqlStmtEof(), ""));
  }

  /** A connection parses through it, and a syntax error is still Babel's message. */
  @Test
  void connectionsParseThroughIt() throws Exception {
    try (java.sql.Connection c = SqlSupport.sql(io.accrete.Peer.connect(TestData.freshUri()));
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b VARCHAR(10))");
      s.execute("INSERT INTO t VALUES (1, 'x'), (2, 'y')");
      assertEquals(List.of(List.of("y", 1L)), SqlSupport.rows(c, "SELECT b, count(*) FROM t WHERE a > 1 GROUP BY b"));
      java.sql.SQLException e = SqlSupport.fails(c, "SELECT a FROM t WHERE", "line 1, column");
      assertEquals("42601", SqlErrors.toSqlException(e).getSQLState());
    }
  }

  private static SqlNode babel(String sql) {
    try {
      return SqlParser.create(sql, CONFIG.withParserFactory(SqlBabelParserImpl.FACTORY)).parseStmt();
    } catch (Exception e) {
      return null;
    }
  }

  private static SqlNode ours(String sql) {
    return configured(new SqlQueryParser(sql, () -> null, n -> n)).parse();
  }

  /** The parser set up as SqlParser sets up a connection's parser. */
  private static SqlQueryParser configured(SqlQueryParser p) {
    p.setTabSize(1);
    p.setQuotedCasing(CONFIG.quotedCasing());
    p.setUnquotedCasing(CONFIG.unquotedCasing());
    p.setIdentifierMaxLength(CONFIG.identifierMaxLength());
    p.setConformance(CONFIG.conformance());
    p.switchTo(SqlAbstractParserImpl.LexicalState.forConfig(CONFIG));
    return p;
  }

  /** The queries and DELETEs of a sqllogictest file, as the connection's parser sees them. */
  private static List<String> queries(Path file) throws java.io.IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      boolean statement = lines.get(i).startsWith("statement");
      if (!lines.get(i).startsWith("query") && !statement) {
        continue;
      }
      StringBuilder b = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).equals("----"); i++) {
        b.append(b.length() > 0 ? "\n" : "").append(lines.get(i));
      }
      if (!statement || b.toString().regionMatches(true, 0, "DELETE", 0, 6)) {
        out.add(SqlTextRewrites.apply(SqlCommandParser.withoutFinalSemicolon(b.toString())));
      }
    }
    return out;
  }

  /** Where two trees differ (class, operator, literal, names, position), or null. */
  static String difference(SqlNode x, SqlNode y, String path) {
    if (x == null || y == null) {
      return x == y ? null : path + ": " + x + " vs " + y;
    }
    if (x.getClass() != y.getClass()) {
      return path + ": " + x.getClass().getSimpleName() + " vs " + y.getClass().getSimpleName();
    }
    String here = path + "/" + x.getClass().getSimpleName();
    if (!x.getParserPosition().equals(y.getParserPosition())
        || x.getParserPosition().isQuoted() != y.getParserPosition().isQuoted()) {
      return here + ": at " + x.getParserPosition() + " vs " + y.getParserPosition() + " (" + x + ")";
    }
    if (x instanceof SqlIdentifier i) {
      SqlIdentifier j = (SqlIdentifier) y;
      if (!i.names.equals(j.names)) {
        return here + ": " + i.names + " vs " + j.names;
      }
      for (int k = 0; k < i.names.size(); k++) {
        if (!i.getComponentParserPosition(k).equals(j.getComponentParserPosition(k))) {
          return here + ": part " + k + " at " + i.getComponentParserPosition(k) + " vs " + j.getComponentParserPosition(k);
        }
      }
      return null;
    }
    if (x instanceof SqlLiteral l) {
      SqlLiteral m = (SqlLiteral) y;
      boolean same = l.getTypeName() == m.getTypeName() && Objects.equals(l.getValue(), m.getValue());
      if (same && l instanceof SqlNumericLiteral n) {
        SqlNumericLiteral o = (SqlNumericLiteral) m;
        same = Objects.equals(n.getPrec(), o.getPrec()) && Objects.equals(n.getScale(), o.getScale()) && n.isExact() == o.isExact();
      }
      if (same && l instanceof SqlCharStringLiteral c) {
        same = Objects.equals(c.getNlsString().getCharsetName(), ((SqlCharStringLiteral) m).getNlsString().getCharsetName());
      }
      return same ? null : here + ": " + l + " (" + l.getTypeName() + ") vs " + m + " (" + m.getTypeName() + ")";
    }
    if (x instanceof SqlNodeList l) {
      SqlNodeList m = (SqlNodeList) y;
      if (l.size() != m.size()) {
        return here + ": " + l.size() + " vs " + m.size() + " elements";
      }
      for (int k = 0; k < l.size(); k++) {
        String d = difference(l.get(k), m.get(k), here + "[" + k + "]");
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (x instanceof SqlDataTypeSpec t) {
      return t.equalsDeep(y, Litmus.IGNORE)
          && t.getTypeNameSpec().getParserPos().equals(((SqlDataTypeSpec) y).getTypeNameSpec().getParserPos())
          ? null : here + ": " + t + " vs " + y;
    }
    if (x instanceof SqlCall c) {
      SqlCall d = (SqlCall) y;
      if (c.getOperator() != d.getOperator() && !(c.getOperator().getClass() == d.getOperator().getClass()
          && c.getOperator().getName().equals(d.getOperator().getName()) && c.getOperator().getKind() == d.getOperator().getKind())) {
        return here + ": " + c.getOperator() + " vs " + d.getOperator();
      }
      String q = difference(c.getFunctionQuantifier(), d.getFunctionQuantifier(), here + "(quantifier)");
      if (q != null) {
        return q;
      }
      List<SqlNode> xs = c.getOperandList();
      List<SqlNode> ys = d.getOperandList();
      if (xs.size() != ys.size()) {
        return here + ": " + xs.size() + " vs " + ys.size() + " operands";
      }
      for (int k = 0; k < xs.size(); k++) {
        String e = difference(xs.get(k), ys.get(k), here + "." + k);
        if (e != null) {
          return e;
        }
      }
      return x.toString().equals(y.toString()) ? null : here + ": " + x + " vs " + y;
    }
    return x.equalsDeep(y, Litmus.IGNORE) ? null : here + ": " + x + " vs " + y;
  }
}
