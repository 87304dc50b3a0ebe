package io.accrete.sql;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;

/**
 * Calcite's parser, taught the statements Accrete runs itself: before Calcite parses a
 * statement, {@link SqlCommandParser} looks at it, and a DDL or transaction statement becomes a
 * DDL node that Calcite hands to {@link #getDdlExecutor()} (for embedded and remote connections
 * alike). A query or DELETE goes to {@link SqlQueryParser}, which builds Babel's tree without
 * Babel's cost; other DML, and what it declines, to Babel.
 */
public final class AccreteParserFactory implements SqlParserImplFactory {
  /** The instance Calcite's {@code parserFactory} property names ({@code …AccreteParserFactory#FACTORY}). */
  public static final AccreteParserFactory FACTORY = new AccreteParserFactory();

  private static final SqlOperator COMMAND = new SqlSpecialOperator("ACCRETE COMMAND", SqlKind.OTHER_DDL);

  private static final java.util.regex.Pattern SHOW =
      java.util.regex.Pattern.compile("(?is)\\s*SHOW\\s+([a-z_][a-z0-9_.]*)\\s*");

  private AccreteParserFactory() {}

  @Override
  public SqlAbstractParserImpl getParser(Reader reader) {
    String sql;
    try {
      StringBuilder b = new StringBuilder();
      char[] buf = new char[4096];
      int n;
      while ((n = reader.read(buf)) > 0) {
        b.append(buf, 0, n);
      }
      sql = b.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sql = SqlCommandParser.withoutFinalSemicolon(sql); // PostgreSQL takes "…;" as one statement
    sql = SqlTextRewrites.apply(sql);
    java.util.regex.Matcher show = SHOW.matcher(sql);
    if (show.matches()) { // SHOW name: a query, so that it returns its row like any other
      String name = show.group(1).toLowerCase(java.util.Locale.ROOT);
      sql = "SELECT current_setting('" + name + "') AS \"" + name + "\"";
    }
    if (startsPlainStatement(sql)) {
      String query = sql;
      return new SqlQueryParser(query, () -> new Parser(query), AccreteParserFactory::finish);
    }
    String updateFrom = SqlCommandParser.rewriteUpdateFrom(sql);
    if (updateFrom != null) {
      return new Parser(updateFrom);
    }
    String[] split = SqlCommandParser.splitOnConflict(sql);
    if (split == null) {
      return new Parser(sql);
    }
    OnConflict.noteParsed(sql, split[1], SqlCommandParser.onConflict(split[2]));
    return new Parser(split[0]);
  }

  @Override
  public DdlExecutor getDdlExecutor() {
    return (context, node) -> {
      if (!(node instanceof CommandNode)) {
        throw new AccreteSqlException("0A000", "this statement is not supported: " + node.getKind()
            + " (" + node + ")");
      }
      SqlCommand command = ((CommandNode) node).command;
      SqlSession session = session(context);
      if (!(command instanceof SqlCommand.Begin || command instanceof SqlCommand.Commit
          || command instanceof SqlCommand.Rollback || command instanceof SqlCommand.SetOption)) {
        SqlSession.checkNotReadOnly(context.getDataContext(), command.text().split("\\s+")[0].toUpperCase(java.util.Locale.ROOT)
            + " " + command.text().split("\\s+")[1].toUpperCase(java.util.Locale.ROOT));
      }
      session.ddl().run(command, context.getDataContext().getQueryProvider() instanceof java.sql.Connection c
          ? c : null);
    };
  }

  /** Whether the statement starts as a query ({@code SELECT …}, {@code (…}) or a DELETE does. */
  private static boolean startsPlainStatement(String sql) {
    int i = 0;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    return sql.startsWith("(", i) || startsWithWord(sql, i, "select") || startsWithWord(sql, i, "delete");
  }

  private static boolean startsWithWord(String sql, int at, String word) {
    int end = at + word.length();
    return sql.regionMatches(true, at, word, 0, word.length())
        && (sql.length() == end || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
  }

  /** What every parsed statement goes through: its column labels noted, then Accrete's tree rewrites. */
  private static SqlNode finish(SqlNode parsed) {
    ColumnLabels.parsed(parsed); // before the rewrites: the names as written
    return PastTables.apply(PostgresRewrites.apply(parsed));
  }

  private static SqlSession session(CalcitePrepare.Context context) {
    CalciteSchema s = context.getRootSchema().getSubSchema(AccreteSql.SCHEMA, true);
    if (s == null || !(s.schema instanceof AccreteSchema a)) {
      throw new AccreteSqlException("this connection has no Accrete schema");
    }
    return a.session();
  }

  /**
   * Calcite's Babel parser (PostgreSQL's {@code ::} casts, most keywords usable as names), asked
   * only for what {@link SqlCommandParser} leaves.
   */
  private static final class Parser extends SqlBabelParserImpl {
    private final String sql;

    Parser(String sql) {
      super(new StringReader(sql));
      this.sql = sql;
    }

    @Override
    public SqlNode parseSqlStmtEof() throws Exception {
      SqlCommand command = SqlCommandParser.parse(sql);
      if (command != null) {
        return new CommandNode(command);
      }
      SqlNode parsed;
      try {
        parsed = super.parseSqlStmtEof();
      } catch (Exception e) {
        throw atEndOfInput(normalizeException(e));
      }
      return finish(parsed);
    }

    /**
     * Babel reports a statement that stops too early at its last token; PostgreSQL (and
     * Calcite's core parser) at the end of the input, which says better what is wrong.
     */
    private org.apache.calcite.sql.parser.SqlParseException atEndOfInput(
        org.apache.calcite.sql.parser.SqlParseException p) {
      SqlParserPos pos = p.getPos();
      if (pos == null || p.getMessage() == null || p.getMessage().contains("Encountered \"<EOF>\"")) {
        return p;
      }
      String[] lines = sql.split("\n", -1);
      if (pos.getLineNum() < 1 || pos.getLineNum() > lines.length) {
        return p;
      }
      int offset = 0;
      for (int i = 0; i < pos.getLineNum() - 1; i++) {
        offset += lines[i].length() + 1;
      }
      offset += pos.getColumnNum() - 1;
      if (offset < 0 || offset > sql.length() || !sql.substring(offset).strip().matches("\\S+")) {
        return p;
      }
      int line = lines.length;
      int column = lines[lines.length - 1].length() + 1;
      return new org.apache.calcite.sql.parser.SqlParseException("Encountered \"<EOF>\" at line " + line
          + ", column " + column + ".", new SqlParserPos(line, column), p.getExpectedTokenSequences(),
          p.getTokenImages(), p.getCause());
    }
  }

  /** A statement Accrete runs itself, as Calcite's DDL. */
  static final class CommandNode extends SqlDdl {
    final SqlCommand command;

    CommandNode(SqlCommand command) {
      super(COMMAND, SqlParserPos.ZERO);
      this.command = command;
    }

    @Override
    public List<SqlNode> getOperandList() {
      return List.of();
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
      writer.literal(command.text());
    }
  }
}
