package io.accrete.sql;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.SqlParserUtil;
import org.apache.calcite.sql.parser.Span;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformance;

/**
 * The parser Accrete hands Calcite: plain queries (SELECT with joins, sub-queries, CASE, CAST
 * and function calls; set operations; ORDER BY, LIMIT, OFFSET) and DELETEs it parses itself by recursive
 * descent, into the very tree Calcite's grammar builds (node classes, operators, positions: it
 * follows that grammar production by production and uses Calcite's own operator-precedence
 * step); any other statement, and any construct it does not know, goes to Babel's generated
 * parser. Babel decides between alternatives by trial parses ahead, which made parsing a third
 * of a short query's time; this reads each token once.
 */
final class SqlQueryParser extends SqlAbstractParserImpl {
  /** Babel's answers about its keywords, which decide where a word may be a name. */
  private static final Metadata BABEL = new org.apache.calcite.sql.parser.babel.SqlBabelParserImpl(
      new java.io.StringReader("")).getMetadata();

  /**
   * Keywords Babel also takes as plain names (its non-reserved ones) that this parser takes as
   * names too: a name that is another keyword may start a construct of Babel's (a literal, a
   * built-in call), so a statement with one goes to Babel.
   */
  private static final Set<String> KEYWORD_NAMES = Set.of("A", "B", "C", "D", "E", "G", "K", "M", "P", "Q",
      "T", "X", "NAME", "NAMES", "KEY", "TYPE", "VALUE", "DATA", "LEVEL", "STATUS", "SOURCE", "NUMBER",
      "PRIOR", "ORDERING", "ID");

  /** Words that may end a table reference or a select item rather than name it. */
  private static final Set<String> NOT_ALIASES = Set.of("FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT",
      "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT", "MINUS", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS",
      "NATURAL", "ON", "USING", "WINDOW", "QUALIFY", "OUTER", "APPLY", "SEMI", "ANTI", "ASOF", "TABLESAMPLE",
      "PIVOT", "UNPIVOT", "MATCH_RECOGNIZE", "FOR", "EXTEND", "OVER", "AS");

  /** Names of functions Babel's grammar parses specially, or that a keyword starts. */
  private static final Set<String> SPECIAL_FUNCTIONS = Set.of("CAST", "SAFE_CAST", "TRY_CAST", "EXTRACT", "POSITION",
      "CONVERT", "TRANSLATE", "OVERLAY", "FLOOR", "CEIL", "CEILING", "SUBSTRING", "TRIM", "TIMESTAMPADD",
      "TIMESTAMPDIFF", "STRING_AGG", "ARRAY_AGG", "ARRAY_CONCAT_AGG", "GROUP_CONCAT", "PERCENTILE_CONT",
      "PERCENTILE_DISC", "JSON_OBJECT", "JSON_ARRAY", "JSON_VALUE", "JSON_QUERY", "JSON_EXISTS",
      "JSON_OBJECTAGG", "JSON_ARRAYAGG", "DATE_PART", "DATEADD", "DATEDIFF", "DATE_TRUNC", "DATETIME_TRUNC",
      "TIME_TRUNC", "TIMESTAMP_TRUNC", "CONTAINS_SUBSTR", "MATCH_NUMBER", "CLASSIFIER", "PREV", "NEXT",
      "FIRST", "LAST", "RUNNING", "FINAL", "ROW", "ARRAY", "MAP", "MULTISET", "PERIOD", "CURSOR", "NEW",
      "INTERVAL", "DATE", "TIME", "TIMESTAMP", "DATETIME", "UNIQUE", "EXISTS", "SPECIFIC", "CURRENT",
      "LAMBDA", "TABLE", "LATERAL", "UNNEST");

  /** Thrown (without a stack) when the statement is one for Babel. */
  private static final RuntimeException DECLINED = new RuntimeException("not a plain query", null, false, false) {};

  private final String sql;
  private final Supplier<SqlAbstractParserImpl> babel;
  private final java.util.function.UnaryOperator<SqlNode> finish;
  private SqlAbstractParserImpl fallback;
  private int tabSize = 1;
  private Casing quotedCasing = Casing.UNCHANGED;
  private Casing unquotedCasing = Casing.TO_UPPER;
  private int identifierMaxLength = 128;
  private Map<String, TimeUnit> timeUnitCodes;
  private SqlConformance conformance;
  private LexicalState lexicalState = LexicalState.DEFAULT;

  /** Set once {@link #ReInit} gave Babel's parser another statement. */
  private boolean reinitialized;
  private List<Token> tokens;
  private int next;

  /**
   * @param sql the statement
   * @param babel makes Babel's parser for the statement, when this one declines it
   * @param finish what a query this parser parsed goes through (the Babel parser's own parse does too)
   */
  SqlQueryParser(String sql, Supplier<SqlAbstractParserImpl> babel, java.util.function.UnaryOperator<SqlNode> finish) {
    this.sql = sql;
    this.babel = babel;
    this.finish = finish;
  }

  /** The statement's tree as Calcite's parser builds it, or null when it is not a plain query or DELETE. */
  SqlNode parse() {
    if (reinitialized || lexicalState != LexicalState.DQID || conformance == null) { // names in double quotes, as PostgreSQL
      return null;
    }
    try {
      tokens = Token.scan(sql, tabSize);
      next = 0;
      if (peekWord("DELETE")) {
        SqlNode delete = delete();
        return peekToken().kind == Token.Kind.EOF ? delete : null;
      }
      if (!peekWord("SELECT") && !peek("(")) {
        return null;
      }
      SqlNode query = orderedQuery(true);
      if (!query.isA(SqlKind.QUERY) || peekToken().kind != Token.Kind.EOF) {
        return null;
      }
      return query;
    } catch (RuntimeException e) {
      if (e == DECLINED) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public SqlNode parseSqlStmtEof() throws Exception {
    SqlNode statement = parse();
    return statement != null ? finish.apply(statement) : babel().parseSqlStmtEof();
  }

  /** Babel's parser for the statement, set up as this one was. */
  private SqlAbstractParserImpl babel() {
    if (fallback == null) {
      SqlAbstractParserImpl p = babel.get();
      p.setOriginalSql(getOriginalSql());
      p.setTabSize(tabSize);
      p.setQuotedCasing(quotedCasing);
      p.setUnquotedCasing(unquotedCasing);
      p.setIdentifierMaxLength(identifierMaxLength);
      if (timeUnitCodes != null) {
        p.setTimeUnitCodes(timeUnitCodes);
      }
      if (conformance != null) {
        p.setConformance(conformance);
      }
      p.switchTo(lexicalState);
      fallback = p;
    }
    return fallback;
  }

  // ---- the parts of Calcite's parser contract a query parse does not need go to Babel's

  @Override
  public Metadata getMetadata() {
    return BABEL;
  }

  @Override
  public SqlParseException normalizeException(Throwable ex) {
    return babel().normalizeException(ex);
  }

  /** Another statement: Babel's parser takes it (set up as this one), and parses from then on. */
  @Override
  public void ReInit(Reader reader) {
    SqlAbstractParserImpl p = babel();
    p.ReInit(reader);
    p.switchTo(lexicalState); // JavaCC's ReInit goes back to its default lexical state
    reinitialized = true;
  }

  @Override
  public SqlNode parseSqlExpressionEof() throws Exception {
    return babel().parseSqlExpressionEof();
  }

  @Override
  public SqlNodeList parseSqlStmtList() throws Exception {
    return babel().parseSqlStmtList();
  }

  @Override
  public SqlNode parseArray() throws SqlParseException {
    return babel().parseArray();
  }

  @Override
  public void setTabSize(int tabSize) {
    this.tabSize = tabSize;
  }

  @Override
  public void setQuotedCasing(Casing casing) {
    this.quotedCasing = casing;
  }

  @Override
  public void setUnquotedCasing(Casing casing) {
    this.unquotedCasing = casing;
  }

  @Override
  public void setIdentifierMaxLength(int identifierMaxLength) {
    this.identifierMaxLength = identifierMaxLength;
  }

  @Override
  public void setTimeUnitCodes(Map<String, TimeUnit> timeUnitCodes) {
    this.timeUnitCodes = timeUnitCodes;
  }

  @Override
  public void setConformance(SqlConformance conformance) {
    this.conformance = conformance;
  }

  @Override
  public void switchTo(LexicalState state) {
    this.lexicalState = state;
  }

  /** The position of the token read last, as Calcite's generated parser's {@code getPos()}. */
  @Override
  protected SqlParserPos getPos() {
    return tokens.get(next - 1).pos;
  }

  // ---- tokens

  private Token peekToken() {
    return tokens.get(next);
  }

  private Token peekToken(int ahead) {
    return tokens.get(Math.min(next + ahead, tokens.size() - 1));
  }

  private boolean peek(String symbol) {
    Token t = tokens.get(next);
    return t.kind == Token.Kind.SYMBOL && t.text.equals(symbol);
  }

  private boolean peekWord(String word) {
    return tokens.get(next).isWord(word);
  }

  private Token take() {
    Token t = tokens.get(next);
    if (t.kind == Token.Kind.EOF) {
      throw DECLINED;
    }
    next++;
    return t;
  }

  private boolean accept(String symbol) {
    if (peek(symbol)) {
      next++;
      return true;
    }
    return false;
  }

  private boolean acceptWord(String word) {
    if (peekWord(word)) {
      next++;
      return true;
    }
    return false;
  }

  private void expect(String symbol) {
    if (!accept(symbol)) {
      throw DECLINED;
    }
  }

  private void expectWord(String word) {
    if (!acceptWord(word)) {
      throw DECLINED;
    }
  }

  /** Whether the token is a name this parser takes as one (see {@link #KEYWORD_NAMES}). */
  private static boolean isName(Token t) {
    if (t.kind == Token.Kind.QUOTED_NAME) {
      return true;
    }
    return t.kind == Token.Kind.WORD && (!BABEL.isKeyword(t.upper)
        || KEYWORD_NAMES.contains(t.upper) && !BABEL.isReservedWord(t.upper));
  }

  private SqlIdentifier simpleIdentifier() {
    Token t = take();
    if (!isName(t)) {
      throw DECLINED;
    }
    return new SqlIdentifier(name(t), namePos(t));
  }

  private String name(Token t) {
    String name;
    if (t.kind == Token.Kind.QUOTED_NAME) {
      name = SqlParserUtil.stripQuotes(t.text, "\"", "\"", "\"\"", quotedCasing);
    } else {
      switch (unquotedCasing) {
      case TO_UPPER:
        name = t.text.toUpperCase(Locale.ROOT);
        break;
      case TO_LOWER:
        name = t.text.toLowerCase(Locale.ROOT);
        break;
      default:
        name = t.text;
      }
    }
    if (name.length() > identifierMaxLength) {
      throw DECLINED; // Babel reports it
    }
    return name;
  }

  private static SqlParserPos namePos(Token t) {
    return t.kind == Token.Kind.QUOTED_NAME ? t.pos.withQuoting(true) : t.pos;
  }

  /** CompoundIdentifier: names joined by dots, perhaps ending in {@code .*}. */
  private SqlIdentifier compoundIdentifier(boolean table) {
    List<String> names = new ArrayList<>();
    List<SqlParserPos> positions = new ArrayList<>();
    Token first = take();
    if (!isName(first)) {
      throw DECLINED;
    }
    names.add(name(first));
    positions.add(namePos(first));
    boolean star = false;
    while (peek(".")) {
      Token after = peekToken(1);
      if (isName(after)) {
        next += 2;
        names.add(name(after));
        positions.add(namePos(after));
      } else if (!table && after.kind == Token.Kind.SYMBOL && after.text.equals("*")) {
        next += 2;
        star = true;
        names.add("");
        positions.add(after.pos);
        break;
      } else {
        throw DECLINED;
      }
    }
    if (table) {
      for (int i = 0; i < names.size(); i++) {
        if (positions.get(i).isQuoted() && names.get(i).contains(".")) {
          throw DECLINED; // a conformance may split it
        }
      }
    }
    SqlParserPos pos = SqlParserPos.sum(positions);
    return star ? SqlIdentifier.star(names, pos, positions) : new SqlIdentifier(names, null, pos, positions);
  }

  // ---- queries

  /** OrderedQueryOrExpr; where only a query may stand when {@code queryOnly}. */
  private SqlNode orderedQuery(boolean queryOnly) {
    return orderByLimit(queryOrExpr(queryOnly));
  }

  /** OrderByLimitOpt: ORDER BY, then LIMIT and OFFSET in PostgreSQL's forms. */
  private SqlNode orderByLimit(SqlNode e) {
    SqlNodeList orderBy = null;
    if (peekWord("ORDER")) {
      if (!e.isA(SqlKind.QUERY) || e instanceof SqlSelect s && s.hasByClause()) {
        throw DECLINED;
      }
      take();
      Span s = Span.of(getPos());
      expectWord("BY");
      List<SqlNode> items = new ArrayList<>();
      do {
        items.add(orderItem());
      } while (accept(","));
      orderBy = new SqlNodeList(items, s.addAll(items).pos());
    }
    SqlNode offset = null;
    SqlNode fetch = null;
    if (acceptWord("LIMIT")) {
      if (!acceptWord("ALL")) {
        fetch = unsignedInteger();
        if (peek(",")) {
          throw DECLINED;
        }
      }
      if (acceptWord("OFFSET")) {
        offset = unsignedInteger();
        if (!acceptWord("ROWS")) {
          acceptWord("ROW");
        }
      }
    } else if (peekWord("OFFSET") || peekWord("FETCH")) {
      throw DECLINED;
    }
    if (orderBy != null || offset != null || fetch != null) {
      if (!e.isA(SqlKind.QUERY)) {
        throw DECLINED;
      }
      return new SqlOrderBy(getPos(), e, orderBy == null ? SqlNodeList.EMPTY : orderBy, offset, fetch);
    }
    return e;
  }

  private SqlNode unsignedInteger() {
    Token t = take();
    if (t.kind != Token.Kind.INTEGER) {
      throw DECLINED;
    }
    return SqlLiteral.createExactNumeric(t.text, t.pos);
  }

  private SqlNode orderItem() {
    SqlNode e = expression();
    if (peekWord("AS")) {
      throw DECLINED;
    }
    if (acceptWord("DESC")) {
      e = SqlStdOperatorTable.DESC.createCall(getPos(), e);
    } else {
      acceptWord("ASC");
    }
    if (peekWord("NULLS")) {
      take();
      if (acceptWord("FIRST")) {
        e = SqlStdOperatorTable.NULLS_FIRST.createCall(getPos(), e);
      } else {
        expectWord("LAST");
        e = SqlStdOperatorTable.NULLS_LAST.createCall(getPos(), e);
      }
    }
    return e;
  }

  /** QueryOrExpr: an expression, or queries joined by set operators. */
  private SqlNode queryOrExpr(boolean queryOnly) {
    if (peekWord("WITH")) {
      throw DECLINED;
    }
    List<Object> list = new ArrayList<>();
    SqlNode first = queryOnly ? leafQuery() : peekWord("SELECT") ? select() : expression();
    list.add(first);
    while (true) {
      SqlOperator op;
      if (acceptWord("UNION")) {
        op = acceptWord("ALL") ? SqlStdOperatorTable.UNION_ALL : quantified(SqlStdOperatorTable.UNION);
      } else if (acceptWord("INTERSECT")) {
        op = acceptWord("ALL") ? SqlStdOperatorTable.INTERSECT_ALL : quantified(SqlStdOperatorTable.INTERSECT);
      } else if (acceptWord("EXCEPT")) {
        op = acceptWord("ALL") ? SqlStdOperatorTable.EXCEPT_ALL : quantified(SqlStdOperatorTable.EXCEPT);
      } else {
        break;
      }
      if (!first.isA(SqlKind.QUERY)) {
        throw DECLINED;
      }
      SqlParserPos pos = getPos();
      list.add(new SqlParserUtil.ToTreeListItem(op, pos));
      list.add(leafQuery());
    }
    return toTree(list);
  }

  private SqlOperator quantified(SqlOperator distinct) {
    acceptWord("DISTINCT");
    return distinct;
  }

  /** A SELECT, or a query in parentheses (LeafQueryOrExpr where only a query may stand). */
  private SqlNode leafQuery() {
    if (peekWord("SELECT")) {
      return select();
    }
    if (peek("(")) {
      SqlNodeList list = parenthesizedList();
      if (list.size() != 1 || !list.get(0).isA(SqlKind.QUERY)) {
        throw DECLINED;
      }
      return list.get(0).clone(list.getParserPosition());
    }
    throw DECLINED;
  }

  /** SqlDelete: {@code DELETE FROM t [[AS] alias] [WHERE …]}. */
  private SqlNode delete() {
    expectWord("DELETE");
    Span s = Span.of(getPos());
    expectWord("FROM");
    SqlIdentifier table = compoundIdentifier(true);
    if (peek("(") || peekWord("EXTEND")) {
      throw DECLINED;
    }
    SqlIdentifier alias = null;
    Token t = peekToken();
    if (acceptWord("AS") || t.kind == Token.Kind.QUOTED_NAME
        || t.kind == Token.Kind.WORD && !BABEL.isReservedWord(t.upper) && !NOT_ALIASES.contains(t.upper)) {
      alias = simpleIdentifier();
    }
    SqlNode where = acceptWord("WHERE") ? expression() : null;
    return new org.apache.calcite.sql.SqlDelete(s.add(table).addIf(alias).addIf(where).pos(), table, where, null,
        alias);
  }

  /** SqlSelect. */
  private SqlSelect select() {
    expectWord("SELECT");
    Span s = Span.of(getPos());
    List<SqlNode> keywords = new ArrayList<>();
    if (acceptWord("DISTINCT")) {
      keywords.add(SqlSelectKeyword.DISTINCT.symbol(getPos()));
    } else if (acceptWord("ALL")) {
      keywords.add(SqlSelectKeyword.ALL.symbol(getPos()));
    } else if (peekWord("STREAM")) {
      throw DECLINED;
    }
    SqlNodeList keywordList = new SqlNodeList(keywords, s.addAll(keywords).pos());
    List<SqlNode> items = new ArrayList<>();
    do {
      items.add(selectItem());
    } while (accept(","));
    SqlNode from = null;
    SqlNode where = null;
    SqlNodeList groupBy = null;
    SqlNode having = null;
    if (acceptWord("FROM")) {
      from = fromClause();
      if (acceptWord("WHERE")) {
        where = expression();
      }
      if (acceptWord("GROUP")) {
        Span g = Span.of(getPos());
        expectWord("BY");
        if (peekWord("DISTINCT") || peekWord("ALL")) {
          throw DECLINED;
        }
        List<SqlNode> keys = new ArrayList<>();
        do {
          if (peekWord("GROUPING") || peekWord("ROLLUP") || peekWord("CUBE") || peek("(") && peekToken(1).is(")")) {
            throw DECLINED;
          }
          keys.add(expression());
        } while (accept(","));
        groupBy = new SqlNodeList(keys, g.end(this));
      }
      if (acceptWord("HAVING")) {
        having = expression();
      }
      if (peekWord("WINDOW") || peekWord("QUALIFY")) {
        throw DECLINED;
      }
    }
    return new SqlSelect(s.end(this), keywordList, new SqlNodeList(items, Span.of(items).pos()), from, where,
        groupBy, having, null, null, null, null, null, new SqlNodeList(List.of(), getPos()));
  }

  /** AddSelectItem: an expression or {@code *}, perhaps named. */
  private SqlNode selectItem() {
    SqlNode e;
    if (accept("*")) {
      e = SqlIdentifier.star(getPos());
    } else {
      e = expression();
    }
    if (acceptWord("AS")) {
      if (peekWord("MEASURE") || peekToken().kind == Token.Kind.STRING) {
        throw DECLINED;
      }
      SqlIdentifier id = simpleIdentifier();
      return SqlStdOperatorTable.AS.createCall(Span.of(getPos()).end(e), e, id);
    }
    Token t = peekToken();
    if (t.kind == Token.Kind.QUOTED_NAME || t.kind == Token.Kind.WORD && !BABEL.isReservedWord(t.upper)
        && !NOT_ALIASES.contains(t.upper)) {
      SqlIdentifier id = simpleIdentifier();
      return SqlStdOperatorTable.AS.createCall(Span.of(getPos()).end(e), e, id);
    }
    if (t.kind == Token.Kind.STRING) {
      throw DECLINED; // a string as a name, in some conformances
    }
    return e;
  }

  /** FromClause: table references joined by commas and JOINs. */
  private SqlNode fromClause() {
    return joins(tableRef(), true);
  }

  /** JoinOrCommaTable (JoinTable only, unless {@code commas}) for as long as one follows. */
  private SqlNode joins(SqlNode e, boolean commas) {
    while (true) {
      if (commas && accept(",")) {
        SqlLiteral type = JoinType.COMMA.symbol(getPos());
        SqlNode right = tableRef();
        e = new SqlJoin(type.getParserPosition(), e, SqlLiteral.createBoolean(false, type.getParserPosition()), type,
            right, JoinConditionType.NONE.symbol(SqlParserPos.ZERO), null);
        continue;
      }
      if (peekWord("NATURAL") || peekWord("ASOF")) {
        throw DECLINED;
      }
      SqlLiteral natural = SqlLiteral.createBoolean(false, getPos());
      JoinType type;
      if (acceptWord("JOIN")) {
        type = JoinType.INNER;
      } else if (acceptWord("INNER")) {
        expectWord("JOIN");
        type = JoinType.INNER;
      } else if (peekWord("LEFT") || peekWord("RIGHT") || peekWord("FULL")) {
        String side = take().upper;
        if (!acceptWord("OUTER") && !peekWord("JOIN")) {
          throw DECLINED; // LEFT SEMI JOIN and such
        }
        expectWord("JOIN");
        type = side.equals("LEFT") ? JoinType.LEFT : side.equals("RIGHT") ? JoinType.RIGHT : JoinType.FULL;
      } else if (peekWord("CROSS")) {
        take();
        expectWord("JOIN");
        type = JoinType.CROSS;
      } else {
        return e;
      }
      SqlLiteral joinType = type.symbol(getPos());
      SqlNode right = tableRef();
      if (peekWord("MATCH_CONDITION") || peekWord("USING")) {
        throw DECLINED;
      }
      if (acceptWord("ON")) {
        SqlLiteral on = JoinConditionType.ON.symbol(getPos());
        SqlNode condition = expression();
        e = new SqlJoin(joinType.getParserPosition(), e, natural, joinType, right, on, condition);
      } else {
        e = new SqlJoin(joinType.getParserPosition(), e, natural, joinType, right,
            JoinConditionType.NONE.symbol(joinType.getParserPosition()), null);
      }
    }
  }

  /** TableRef3: a table's name or a query in parentheses, perhaps named. */
  private SqlNode tableRef() {
    SqlNode ref;
    Token t = peekToken();
    if (t.is("(")) {
      ref = parenthesizedTable();
    } else if (isName(t) && !(t.kind == Token.Kind.WORD && SPECIAL_FUNCTIONS.contains(t.upper))) {
      ref = compoundIdentifier(true);
      if (peek("(") || peekWord("OVER") || peekWord("FOR") || peekWord("EXTEND")) {
        throw DECLINED;
      }
    } else {
      throw DECLINED;
    }
    if ((peekWord("PIVOT") || peekWord("UNPIVOT") || peekWord("MATCH_RECOGNIZE")) && peekToken(1).is("(")) {
      throw DECLINED;
    }
    boolean as = acceptWord("AS");
    Token alias = peekToken();
    if (as || alias.kind == Token.Kind.QUOTED_NAME
        || alias.kind == Token.Kind.WORD && !BABEL.isReservedWord(alias.upper) && !NOT_ALIASES.contains(alias.upper)) {
      SqlIdentifier id = simpleIdentifier();
      if (peek("(") || ref instanceof SqlJoin) {
        throw DECLINED;
      }
      ref = SqlStdOperatorTable.AS.createCall(Span.of(ref).end(this), ref, id);
    }
    if (peekWord("TABLESAMPLE")) {
      throw DECLINED;
    }
    return ref;
  }

  /** ParenthesizedExpression in FROM: a query, or table references joined. */
  private SqlNode parenthesizedTable() {
    expect("(");
    SqlNode e;
    if (peekWord("SELECT")) {
      e = orderedQuery(true);
    } else if (isName(peekToken())) {
      e = joins(tableRef(), false);
      if (peekWord("UNION") || peekWord("INTERSECT") || peekWord("EXCEPT")) {
        throw DECLINED;
      }
    } else {
      throw DECLINED;
    }
    expect(")");
    return e;
  }

  // ---- expressions

  /** Expression: the flat list {@link #expression2} reads, associated by Calcite's operator precedence. */
  private SqlNode expression() {
    return toTree(expression2());
  }

  /** Calcite's association of operators; a list it finds malformed is one for Babel to report. */
  private static SqlNode toTree(List<Object> list) {
    try {
      return SqlParserUtil.toTree(list);
    } catch (RuntimeException e) {
      throw DECLINED;
    }
  }

  /** Expression2: operands and the operators between and after them, as a flat list. */
  private List<Object> expression2() {
    List<Object> list = new ArrayList<>();
    expression2b(list);
    while (true) {
      Token t = peekToken();
      Token t1 = peekToken(1);
      if (t.isWord("IN") || t.isWord("NOT") && t1.isWord("IN")) {
        SqlOperator op = t.isWord("NOT") ? SqlStdOperatorTable.NOT_IN : SqlStdOperatorTable.IN;
        next += op == SqlStdOperatorTable.NOT_IN ? 2 : 1;
        SqlParserPos pos = getPos();
        if (!peek("(") || peekToken(1).is(")")) {
          throw DECLINED;
        }
        SqlNodeList values = parenthesizedList();
        list.add(new SqlParserUtil.ToTreeListItem(op, pos));
        list.add(values.size() == 1 && values.get(0).isA(SqlKind.QUERY) ? values.get(0) : values);
      } else if (t.isWord("BETWEEN") || t.isWord("NOT") && t1.isWord("BETWEEN")) {
        SqlOperator op = t.isWord("NOT") ? SqlStdOperatorTable.NOT_BETWEEN : SqlStdOperatorTable.BETWEEN;
        next += op == SqlStdOperatorTable.NOT_BETWEEN ? 2 : 1;
        SqlParserPos pos = getPos();
        if (peekWord("SYMMETRIC") || peekWord("ASYMMETRIC")) {
          throw DECLINED;
        }
        List<Object> bound = new ArrayList<>();
        expression2b(bound);
        list.add(new SqlParserUtil.ToTreeListItem(op, pos));
        list.addAll(bound);
      } else if (t.isWord("LIKE") || t.isWord("NOT") && t1.isWord("LIKE")) {
        SqlParserPos pos = getPos(); // Calcite's grammar takes the token before the operator's
        SqlOperator op = t.isWord("NOT") ? SqlStdOperatorTable.NOT_LIKE : SqlStdOperatorTable.LIKE;
        next += op == SqlStdOperatorTable.NOT_LIKE ? 2 : 1;
        List<Object> pattern = expression2();
        list.add(new SqlParserUtil.ToTreeListItem(op, pos));
        list.addAll(pattern);
        if (peekWord("ESCAPE")) {
          throw DECLINED;
        }
      } else if (t.isWord("IS")) {
        SqlOperator op = isOperator(t1, peekToken(2), peekToken(3));
        list.add(new SqlParserUtil.ToTreeListItem(op, getPos()));
        if (op.getKind() == SqlKind.IS_DISTINCT_FROM || op.getKind() == SqlKind.IS_NOT_DISTINCT_FROM) {
          expression2b(list);
        }
      } else {
        SqlOperator op = binaryOperator(t, t1);
        if (op == null) {
          if (t.isWord("NOT") || t.is("[") || t.is(":") || t.isWord("ILIKE") || t.isWord("RLIKE")
              || t.isWord("SIMILAR") || t.isWord("MEMBER") || t.isWord("SUBMULTISET") || t.isWord("MULTISET")
              || t.isWord("CONTAINS") || t.isWord("OVERLAPS") || t.isWord("PRECEDES") || t.isWord("SUCCEEDS")
              || t.isWord("IMMEDIATELY") || t.isWord("EQUALS") || t.isWord("COLLATE") || t.isWord("FORMAT")) {
            throw DECLINED;
          }
          return list;
        }
        list.add(new SqlParserUtil.ToTreeListItem(op, getPos()));
        expression2b(list);
      }
    }
  }

  /** After IS: a postfix test, or IS [NOT] DISTINCT FROM; consumes its tokens. */
  private SqlOperator isOperator(Token t1, Token t2, Token t3) {
    SqlOperator op;
    int length;
    if (t1.isWord("NOT")) {
      length = 3;
      if (t2.isWord("NULL")) {
        op = SqlStdOperatorTable.IS_NOT_NULL;
      } else if (t2.isWord("TRUE")) {
        op = SqlStdOperatorTable.IS_NOT_TRUE;
      } else if (t2.isWord("FALSE")) {
        op = SqlStdOperatorTable.IS_NOT_FALSE;
      } else if (t2.isWord("UNKNOWN")) {
        op = SqlStdOperatorTable.IS_NOT_UNKNOWN;
      } else if (t2.isWord("DISTINCT") && t3.isWord("FROM")) {
        op = SqlStdOperatorTable.IS_NOT_DISTINCT_FROM;
        length = 4;
      } else {
        throw DECLINED;
      }
    } else {
      length = 2;
      if (t1.isWord("NULL")) {
        op = SqlStdOperatorTable.IS_NULL;
      } else if (t1.isWord("TRUE")) {
        op = SqlStdOperatorTable.IS_TRUE;
      } else if (t1.isWord("FALSE")) {
        op = SqlStdOperatorTable.IS_FALSE;
      } else if (t1.isWord("UNKNOWN")) {
        op = SqlStdOperatorTable.IS_UNKNOWN;
      } else if (t1.isWord("DISTINCT") && t2.isWord("FROM")) {
        op = SqlStdOperatorTable.IS_DISTINCT_FROM;
        length = 3;
      } else {
        throw DECLINED;
      }
    }
    next += length;
    return op;
  }

  /** BinaryRowOperator, consumed when the next tokens are one; else null. */
  private SqlOperator binaryOperator(Token t, Token t1) {
    SqlOperator op = null;
    if (t.kind == Token.Kind.SYMBOL) {
      switch (t.text) {
      case "=": op = SqlStdOperatorTable.EQUALS; break;
      case ">": op = SqlStdOperatorTable.GREATER_THAN; break;
      case "<": op = SqlStdOperatorTable.LESS_THAN; break;
      case "<=": op = SqlStdOperatorTable.LESS_THAN_OR_EQUAL; break;
      case ">=": op = SqlStdOperatorTable.GREATER_THAN_OR_EQUAL; break;
      case "<>": op = SqlStdOperatorTable.NOT_EQUALS; break;
      case "!=":
        if (!conformance.isBangEqualAllowed()) {
          throw DECLINED;
        }
        op = SqlStdOperatorTable.NOT_EQUALS;
        break;
      case "+": op = SqlStdOperatorTable.PLUS; break;
      case "-": op = SqlStdOperatorTable.MINUS; break;
      case "*": op = SqlStdOperatorTable.MULTIPLY; break;
      case "/": op = SqlStdOperatorTable.DIVIDE; break;
      case "%":
        if (!conformance.isPercentRemainderAllowed()) {
          throw DECLINED;
        }
        op = SqlStdOperatorTable.PERCENT_REMAINDER;
        break;
      case "||": op = SqlStdOperatorTable.CONCAT; break;
      default: return null;
      }
    } else if (t.isWord("AND")) {
      op = SqlStdOperatorTable.AND;
    } else if (t.isWord("OR")) {
      op = SqlStdOperatorTable.OR;
    } else {
      return null;
    }
    next++;
    return op;
  }

  /** AddExpression2b: prefix operators, then an operand. */
  private void expression2b(List<Object> list) {
    while (true) {
      Token t = peekToken();
      SqlOperator op;
      if (t.is("+")) {
        op = SqlStdOperatorTable.UNARY_PLUS;
      } else if (t.is("-")) {
        op = SqlStdOperatorTable.UNARY_MINUS;
      } else if (t.isWord("NOT")) {
        op = SqlStdOperatorTable.NOT;
      } else if (t.isWord("EXISTS")) {
        op = SqlStdOperatorTable.EXISTS;
      } else {
        break;
      }
      next++;
      list.add(new SqlParserUtil.ToTreeListItem(op, getPos()));
    }
    list.add(expression3());
    if (peek(".") || peek(":") || peek("[")) {
      throw DECLINED;
    }
  }

  /** Expression3: an atom, or expressions in parentheses (one, a sub-query, or a row). */
  private SqlNode expression3() {
    Token t = peekToken();
    if (t.is("(")) {
      SqlNodeList list = parenthesizedList();
      Token after = peekToken();
      if (after.kind == Token.Kind.WORD && isTimeUnit(after.upper)) {
        throw DECLINED; // an interval qualifier: (a - b) DAY
      }
      if (list.size() == 1) {
        return list.get(0).clone(list.getParserPosition());
      }
      return SqlStdOperatorTable.ROW.createCall(Span.of(getPos()).end(list), (List<SqlNode>) list);
    }
    return atom();
  }

  private static final Set<String> TIME_UNITS = Set.of("YEAR", "YEARS", "QUARTER", "QUARTERS", "MONTH", "MONTHS",
      "WEEK", "WEEKS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND", "SECONDS", "MILLISECOND",
      "MICROSECOND", "NANOSECOND", "DOW", "DOY", "ISODOW", "ISOYEAR", "EPOCH", "DECADE", "CENTURY", "MILLENNIUM");

  private static boolean isTimeUnit(String word) {
    return TIME_UNITS.contains(word);
  }

  /** ParenthesizedQueryOrCommaList: {@code (query)} or {@code (e, …)}. */
  private SqlNodeList parenthesizedList() {
    expect("(");
    Span s = Span.of(getPos());
    List<SqlNode> list = new ArrayList<>();
    list.add(orderedQuery(false));
    while (accept(",")) {
      list.add(expression());
    }
    expect(")");
    return new SqlNodeList(list, s.end(this));
  }

  /** AtomicRowExpression: a literal, a name, a function call, CASE or CAST. */
  private SqlNode atom() {
    Token t = take();
    switch (t.kind) {
    case INTEGER:
    case DECIMAL:
      return SqlLiteral.createExactNumeric(t.text, t.pos);
    case APPROX:
      return SqlLiteral.createApproxNumeric(t.text, t.pos);
    case STRING:
      if (peekToken().kind == Token.Kind.STRING) {
        throw DECLINED; // a literal continued
      }
      return SqlLiteral.createCharString(SqlParserUtil.parseString(t.text), null, t.pos).unescapeUnicode('\0');
    case QUOTED_NAME:
      next--;
      return peekToken(1).is("(") ? functionCall() : compoundIdentifier(false);
    case WORD:
      break;
    default:
      throw DECLINED;
    }
    switch (t.upper) {
    case "NULL":
      return SqlLiteral.createNull(t.pos);
    case "TRUE":
      return SqlLiteral.createBoolean(true, t.pos);
    case "FALSE":
      return SqlLiteral.createBoolean(false, t.pos);
    case "UNKNOWN":
      return SqlLiteral.createUnknown(t.pos);
    case "CASE":
      return caseExpression();
    case "CAST":
      return cast();
    default:
      break;
    }
    next--;
    boolean call = peekToken(1).is("(");
    if (SPECIAL_FUNCTIONS.contains(t.upper) || BABEL.isContextVariableName(t.upper)) {
      throw DECLINED;
    }
    if (call && BABEL.isReservedFunctionName(t.upper)) {
      return functionCall();
    }
    if (!isName(t) || peekToken(1).kind == Token.Kind.STRING) {
      throw DECLINED; // a keyword, or a typed literal such as DATE '…'
    }
    return call || qualifiedCall() ? functionCall() : compoundIdentifier(false);
  }

  /** Whether the tokens ahead are a qualified name followed by {@code (}. */
  private boolean qualifiedCall() {
    int i = 1;
    while (peekToken(i).is(".") && isName(peekToken(i + 1))) {
      i += 2;
    }
    return i > 1 && peekToken(i).is("(");
  }

  /** NamedFunctionCall without FILTER, OVER and the like: {@code f(*)}, {@code f()}, {@code f([ALL|DISTINCT] a, …)}. */
  private SqlNode functionCall() {
    Token nameToken = peekToken();
    SqlIdentifier name;
    if (nameToken.kind == Token.Kind.WORD && BABEL.isReservedFunctionName(nameToken.upper)) {
      take();
      name = new SqlIdentifier(name(nameToken), nameToken.pos);
    } else {
      name = compoundIdentifier(false);
      if (name.isStar()) {
        throw DECLINED;
      }
    }
    Span s = Span.of(getPos());
    expect("(");
    List<SqlNode> args = new ArrayList<>();
    SqlLiteral quantifier = null;
    if (accept("*")) {
      args.add(SqlIdentifier.star(getPos()));
      expect(")");
    } else if (!accept(")")) {
      if (acceptWord("DISTINCT")) {
        quantifier = SqlSelectKeyword.DISTINCT.symbol(getPos());
      } else if (acceptWord("ALL")) {
        quantifier = SqlSelectKeyword.ALL.symbol(getPos());
      }
      do {
        Token a = peekToken();
        if (a.isWord("SELECT") || a.isWord("DEFAULT") || a.isWord("TABLE") || a.isWord("WITH")
            || a.isWord("PARTITION") || isName(a) && peekToken(1).is("=>")) {
          throw DECLINED;
        }
        args.add(expression());
        if (peekWord("ORDER") || peekWord("LIMIT") || peek("->")) {
          throw DECLINED;
        }
      } while (accept(","));
      expect(")");
    }
    SqlNode call = createCall(name, s.end(this), SqlFunctionCategory.USER_DEFINED_FUNCTION, quantifier, args);
    if (peekWord("FILTER") || peekWord("OVER") || peekWord("WITHIN") || peekWord("IGNORE") || peekWord("RESPECT")
        || peekWord("FROM") && (peekToken(1).isWord("FIRST") || peekToken(1).isWord("LAST"))) {
      throw DECLINED;
    }
    return call;
  }

  /** CaseExpression, its CASE read. */
  private SqlNode caseExpression() {
    Span s = Span.of(getPos());
    Span whenSpan = Span.of();
    Span thenSpan = Span.of();
    SqlNode value = peekWord("WHEN") ? null : expression();
    List<SqlNode> whens = new ArrayList<>();
    List<SqlNode> thens = new ArrayList<>();
    do {
      expectWord("WHEN");
      whenSpan.add(this);
      List<SqlNode> conditions = new ArrayList<>();
      do {
        conditions.add(expression());
      } while (accept(","));
      SqlNodeList list = new SqlNodeList(conditions, s.addAll(conditions).pos());
      whens.add(list.size() == 1 ? list.get(0) : list);
      expectWord("THEN");
      thenSpan.add(this);
      thens.add(expression());
    } while (peekWord("WHEN"));
    SqlNode otherwise = acceptWord("ELSE") ? expression() : null;
    expectWord("END");
    return SqlCase.createSwitched(s.end(this), value, new SqlNodeList(whens, whenSpan.addAll(whens).pos()),
        new SqlNodeList(thens, thenSpan.addAll(thens).pos()), otherwise);
  }

  /** CAST, its keyword read, to the plain types (others go to Babel). */
  private SqlNode cast() {
    Span s = Span.of(getPos());
    expect("(");
    List<SqlNode> args = new ArrayList<>();
    args.add(expression());
    expectWord("AS");
    Span typeSpan = Span.of();
    Token t = take();
    SqlTypeName type;
    switch (t.kind == Token.Kind.WORD ? t.upper : "") {
    case "INTEGER":
    case "INT":
      type = SqlTypeName.INTEGER;
      break;
    case "BIGINT":
      type = SqlTypeName.BIGINT;
      break;
    case "SMALLINT":
      type = SqlTypeName.SMALLINT;
      break;
    case "TINYINT":
      type = SqlTypeName.TINYINT;
      break;
    case "REAL":
      type = SqlTypeName.REAL;
      break;
    case "FLOAT":
      type = SqlTypeName.FLOAT;
      break;
    case "BOOLEAN":
      type = SqlTypeName.BOOLEAN;
      break;
    case "DOUBLE":
      type = SqlTypeName.DOUBLE;
      break;
    case "DECIMAL":
    case "DEC":
    case "NUMERIC":
      type = SqlTypeName.DECIMAL;
      break;
    default:
      throw DECLINED;
    }
    typeSpan.add(this);
    int precision = org.apache.calcite.rel.type.RelDataType.PRECISION_NOT_SPECIFIED;
    int scale = org.apache.calcite.rel.type.RelDataType.SCALE_NOT_SPECIFIED;
    if (type == SqlTypeName.DECIMAL && accept("(")) {
      precision = smallInteger();
      if (accept(",")) {
        scale = smallInteger();
      }
      expect(")");
    }
    if (type == SqlTypeName.DOUBLE) {
      acceptWord("PRECISION");
    }
    if (peekWord("UNSIGNED") || peekWord("ARRAY") || peekWord("MULTISET")) {
      throw DECLINED;
    }
    SqlBasicTypeNameSpec name = type == SqlTypeName.DECIMAL
        ? new SqlBasicTypeNameSpec(type, precision, scale, typeSpan.end(this))
        : new SqlBasicTypeNameSpec(type, typeSpan.end(this));
    args.add(new SqlDataTypeSpec(name, Span.of(name.getParserPos()).add(name.getParserPos()).pos()));
    expect(")");
    return SqlStdOperatorTable.CAST.createCall(s.end(this), args);
  }

  private int smallInteger() {
    Token t = take();
    if (t.kind != Token.Kind.INTEGER || t.text.length() > 9) {
      throw DECLINED;
    }
    return Integer.parseInt(t.text);
  }

  /** One token of a statement and where it stands (lines and columns from 1, ends inclusive). */
  private static final class Token {
    enum Kind { WORD, QUOTED_NAME, STRING, INTEGER, DECIMAL, APPROX, SYMBOL, EOF }

    final Kind kind;
    final String text;
    /** The text in upper case, for words. */
    final String upper;
    final SqlParserPos pos;

    Token(Kind kind, String text, SqlParserPos pos) {
      this.kind = kind;
      this.text = text;
      this.upper = kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : text;
      this.pos = pos;
    }

    boolean isWord(String word) {
      return kind == Kind.WORD && upper.equals(word);
    }

    boolean is(String symbol) {
      return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** The statement's tokens, ending with EOF; declines what Calcite's tokenizer would read otherwise. */
    static List<Token> scan(String sql, int tabSize) {
      List<Token> tokens = new ArrayList<>();
      int line = 1;
      int column = 1;
      int i = 0;
      int n = sql.length();
      while (true) {
        // whitespace and comments
        while (i < n) {
          char c = sql.charAt(i);
          if (c == '\n' || c == '\r') {
            i += c == '\r' && i + 1 < n && sql.charAt(i + 1) == '\n' ? 2 : 1;
            line++;
            column = 1;
          } else if (c == ' ' || c == '\f' || c == '\t' && tabSize == 1) {
            i++;
            column++;
          } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
            while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
              i++;
            }
          } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            throw DECLINED; // a comment, or a hint
          } else {
            break;
          }
        }
        if (i >= n) {
          tokens.add(new Token(Kind.EOF, "", new SqlParserPos(line, column, line, column)));
          return tokens;
        }
        char c = sql.charAt(i);
        int start = i;
        int startLine = line;
        int startColumn = column;
        Kind kind;
        if (c == '\'' || c == '"') {
          kind = c == '\'' ? Kind.STRING : Kind.QUOTED_NAME;
          i++;
          column++;
          while (true) {
            if (i >= n) {
              throw DECLINED;
            }
            char d = sql.charAt(i);
            if (d == c) {
              if (i + 1 < n && sql.charAt(i + 1) == c) {
                i += 2;
                column += 2;
                continue;
              }
              i++;
              column++;
              break;
            }
            if (d == '\n' || d == '\r' || d == '\t' || d > 0x7e) {
              throw DECLINED; // where JavaCC's counting and ours might part
            }
            i++;
            column++;
          }
          if (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            throw DECLINED;
          }
        } else if (isDigit(c) || c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1))) {
          kind = Kind.INTEGER;
          while (i < n && isDigit(sql.charAt(i))) {
            i++;
          }
          if (i < n && sql.charAt(i) == '.') {
            kind = Kind.DECIMAL;
            i++;
            while (i < n && isDigit(sql.charAt(i))) {
              i++;
            }
          }
          if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            kind = Kind.APPROX;
            i++;
            if (i < n && (sql.charAt(i) == '+' || sql.charAt(i) == '-')) {
              i++;
            }
            if (i >= n || !isDigit(sql.charAt(i))) {
              throw DECLINED;
            }
            while (i < n && isDigit(sql.charAt(i))) {
              i++;
            }
          }
          if (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '.')) {
            throw DECLINED;
          }
          column += i - start;
        } else if (c < 0x80 && (Character.isLetter(c) || c == '_')) {
          kind = Kind.WORD;
          while (i < n && sql.charAt(i) < 0x80 && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
          }
          if (i < n && (sql.charAt(i) == '$' || sql.charAt(i) == '\'' || sql.charAt(i) == '"' || sql.charAt(i) >= 0x80)) {
            throw DECLINED; // a prefixed literal (X'…', E'…') or a name Calcite reads otherwise
          }
          column += i - start;
        } else {
          kind = Kind.SYMBOL;
          String two = i + 1 < n ? sql.substring(i, i + 2) : "";
          switch (two) {
          case "<=": case ">=": case "<>": case "!=": case "||": case "=>": case "->": case "::":
            i += 2;
            break;
          default:
            if ("(),.*+-/%=<>;".indexOf(c) < 0) {
              throw DECLINED;
            }
            i++;
          }
          column += i - start;
        }
        tokens.add(new Token(kind, sql.substring(start, i),
            new SqlParserPos(startLine, startColumn, startLine, column - 1)));
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }
}
