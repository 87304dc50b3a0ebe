package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the statements Accrete runs itself ({@link SqlCommand}): PostgreSQL's {@code CREATE
 * TABLE}, {@code DROP TABLE}, {@code CREATE/DROP INDEX}, {@code CREATE/DROP VIEW},
 * {@code TRUNCATE} and transaction control. Everything else (queries and DML) is Calcite's:
 * {@link #parse} answers null for it. Identifiers follow PostgreSQL (unquoted folded to lower
 * case); expressions (DEFAULT, CHECK, a view's query) are kept as text.
 */
final class SqlCommandParser {
  private static final Set<String> COLUMN_CONSTRAINTS = Set.of("not", "null", "primary", "unique", "default",
      "check", "references", "constraint", "generated", "collate");

  private final String sql;
  private final List<Token> tokens;
  private int at;

  private record Token(String word, String text, boolean quoted, int start, int end) {
    boolean is(String w) {
      return !quoted && word != null && word.equals(w);
    }
  }

  private SqlCommandParser(String sql) {
    this.sql = sql;
    this.tokens = tokenize(sql);
  }

  /** The command {@code sql} is, or null when it is for Calcite (a query or DML). */
  static SqlCommand parse(String sql) {
    SqlCommandParser p = new SqlCommandParser(sql);
    if (p.tokens.isEmpty()) {
      return null;
    }
    Token first = p.tokens.get(0);
    if (first.quoted) {
      return null;
    }
    String text = sql.strip();
    return switch (String.valueOf(first.word)) {
      case "create" -> p.create(text);
      case "alter" -> p.alter(text);
      case "drop" -> p.drop(text);
      case "truncate" -> p.truncate(text);
      case "begin", "start" -> p.begin(text);
      case "commit", "end" -> p.end(text, new SqlCommand.Commit(text));
      case "rollback", "abort" -> p.end(text, new SqlCommand.Rollback(text));
      case "set", "reset" -> p.set(text, first.is("reset"));
      default -> null;
    };
  }

  /**
   * PostgreSQL's {@code INSERT … ON CONFLICT …} as Calcite can parse it: {the INSERT without the
   * clause, its target table, the clause}, or null when {@code sql} is no such statement.
   */
  static String[] splitOnConflict(String sql) {
    List<Token> t = tokenize(sql);
    if (t.size() < 4 || !t.get(0).is("insert") || !t.get(1).is("into")) {
      return null;
    }
    int last = lastNamePart(t, 2);
    int depth = 0;
    for (int i = last + 1; i + 1 < t.size(); i++) {
      Token k = t.get(i);
      if (k.is("(")) {
        depth++;
      } else if (k.is(")")) {
        depth--;
      } else if (depth == 0 && k.is("on") && t.get(i + 1).is("conflict")) {
        Token name = t.get(last);
        String clause = sql.substring(k.start).strip();
        if (clause.endsWith(";")) {
          clause = clause.substring(0, clause.length() - 1);
        }
        return new String[] {sql.substring(0, k.start), name.quoted ? name.text : name.word, clause};
      }
    }
    return null;
  }

  /**
   * {@code INSERT/UPDATE/DELETE … RETURNING list}: {the statement without the clause, its
   * target table, the list}, or null when {@code sql} has no RETURNING at its top level.
   */
  static String[] splitReturning(String sql) {
    List<Token> t = tokenize(sql);
    if (t.size() < 3) {
      return null;
    }
    int last;
    if (t.get(0).is("insert") && t.get(1).is("into") || t.get(0).is("delete") && t.get(1).is("from")) {
      last = lastNamePart(t, 2);
    } else if (t.get(0).is("update")) {
      last = lastNamePart(t, 1);
    } else {
      return null;
    }
    String table = t.get(last).quoted ? t.get(last).text : t.get(last).word;
    int depth = 0;
    for (int i = last + 1; i < t.size(); i++) {
      Token k = t.get(i);
      if (k.is("(")) {
        depth++;
      } else if (k.is(")")) {
        depth--;
      } else if (depth == 0 && k.is("returning") && i + 1 < t.size()) {
        String list = sql.substring(t.get(i + 1).start).strip();
        if (list.endsWith(";")) {
          list = list.substring(0, list.length() - 1);
        }
        return new String[] {sql.substring(0, k.start), table, list};
      }
    }
    return null;
  }

  /**
   * PostgreSQL's {@code UPDATE t [AS a] SET c = e, … FROM f WHERE w} as a statement Calcite takes:
   * each {@code e} becomes {@code (SELECT e FROM f WHERE w)} and the condition {@code EXISTS
   * (SELECT 1 FROM f WHERE w)}, the target row correlated into both. A target row that several
   * rows of {@code f} match fails (21000) where PostgreSQL would take any one of them. Null when
   * {@code sql} is no such statement.
   */
  static String rewriteUpdateFrom(String sql) {
    List<Token> t = tokenize(sql);
    if (t.size() < 6 || !t.get(0).is("update")) {
      return null;
    }
    int set = -1;
    int from = -1;
    int where = -1;
    int end = t.size();
    int depth = 0;
    for (int i = 1; i < t.size(); i++) {
      Token k = t.get(i);
      if (k.is("(")) {
        depth++;
      } else if (k.is(")")) {
        depth--;
      } else if (depth == 0) {
        if (set < 0 && k.is("set")) {
          set = i;
        } else if (set >= 0 && from < 0 && where < 0 && k.is("from")) {
          from = i;
        } else if (from >= 0 && where < 0 && k.is("where")) {
          where = i;
        } else if (k.is("returning") || k.is(";")) {
          end = i;
          break;
        }
      }
    }
    if (set < 0 || from < 0) {
      return null;
    }
    int endChar = end < t.size() ? t.get(end).start : sql.length();
    String fromList = sql.substring(t.get(from + 1).start, where >= 0 ? t.get(where).start : endChar).strip();
    String condition = where >= 0 ? sql.substring(t.get(where + 1).start, endChar).strip() : "TRUE";
    String sub = " FROM " + fromList + " WHERE " + condition + ")";
    StringBuilder out = new StringBuilder(sql.substring(0, t.get(set).end)).append(' ');
    // Each assignment: col = expression, split at top-level commas.
    int start = set + 1;
    depth = 0;
    boolean first = true;
    for (int i = set + 1; i <= from; i++) {
      Token k = i < from ? t.get(i) : null;
      if (k != null && k.is("(")) {
        depth++;
      } else if (k != null && k.is(")")) {
        depth--;
      } else if (k == null || depth == 0 && k.is(",")) {
        int eq = start;
        while (eq < i && !t.get(eq).is("=")) {
          eq++;
        }
        if (eq >= i - 1) {
          return null; // not col = expression: leave it to Calcite's parser to explain
        }
        String column = sql.substring(t.get(start).start, t.get(eq).start).strip();
        String expression = sql.substring(t.get(eq + 1).start, t.get(i - 1).end).strip();
        out.append(first ? "" : ", ").append(column).append(" = (SELECT ").append(expression).append(sub);
        first = false;
        start = i + 1;
      }
    }
    out.append(" WHERE EXISTS (SELECT 1").append(sub);
    if (end < t.size()) {
      out.append(' ').append(sql.substring(t.get(end).start));
    }
    return out.toString();
  }

  /**
   * A literal of {@code INSERT … VALUES}.
   *
   * @param kind {@code N} a number (its text, sign included), {@code S} a string (its value),
   *     {@code 0} NULL, {@code T} TRUE, {@code F} FALSE, {@code D} DEFAULT
   * @param text the number's text or the string's value, else null
   */
  record Literal(char kind, String text) {}

  /** {@code INSERT INTO table [(columns)] VALUES (literal, …), …}: nothing but literals. */
  record InsertValues(String table, List<String> columns, List<List<Literal>> rows) {}

  /** The statement as {@link InsertValues}, or null when it is anything else (or more). */
  static InsertValues insertValues(String sql) {
    SqlCommandParser p = new SqlCommandParser(sql);
    List<Token> t = p.tokens;
    if (t.size() < 6 || !t.get(0).is("insert") || !t.get(1).is("into")) {
      return null;
    }
    try {
      p.at = 2;
      String table = p.qualifiedName();
      List<String> columns = p.peek("(") ? p.nameList() : List.of();
      if (!p.accept("values")) {
        return null;
      }
      List<List<Literal>> rows = new ArrayList<>();
      do {
        if (!p.accept("(")) {
          return null;
        }
        List<Literal> row = new ArrayList<>();
        do {
          Literal l = p.literal();
          if (l == null) {
            return null;
          }
          row.add(l);
        } while (p.accept(","));
        if (!p.accept(")")) {
          return null;
        }
        rows.add(row);
      } while (p.accept(","));
      p.accept(";");
      return p.at == t.size() ? new InsertValues(table, columns, rows) : null;
    } catch (AccreteSqlException e) {
      return null; // Calcite's parser says what is wrong
    }
  }

  private Literal literal() {
    if (at >= tokens.size()) {
      return null;
    }
    Token k = tokens.get(at++);
    String sign = "";
    if (k.is("-") || k.is("+")) {
      sign = k.is("-") ? "-" : "";
      if (at >= tokens.size()) {
        return null;
      }
      k = tokens.get(at++);
      if (k.quoted || k.word == null || !k.word.matches("\\d+(\\.\\d*)?")) {
        return null;
      }
    }
    if (k.quoted || k.word == null) {
      return null;
    }
    if (k.word.equals("'")) {
      String text = k.text;
      return text.length() >= 2 && text.endsWith("'")
          ? new Literal('S', text.substring(1, text.length() - 1).replace("''", "'")) : null;
    }
    if (k.word.matches("\\d+(\\.\\d*)?")) {
      return new Literal('N', sign + k.word);
    }
    return switch (k.word) {
      case "null" -> new Literal('0', null);
      case "true" -> new Literal('T', null);
      case "false" -> new Literal('F', null);
      case "default" -> new Literal('D', null);
      default -> null;
    };
  }

  /** The statement without the semicolons (and blanks, comments) that end it. */
  static String withoutFinalSemicolon(String sql) {
    List<Token> t = tokenize(sql);
    int end = t.size();
    while (end > 0 && t.get(end - 1).is(";")) {
      end--;
    }
    return end == t.size() ? sql : end == 0 ? "" : sql.substring(0, t.get(end - 1).end);
  }

  /** The index of the table's own name in a name that may be qualified ({@code schema.table}) starting at {@code at}. */
  private static int lastNamePart(List<Token> t, int at) {
    int i = at;
    while (i + 2 < t.size() && t.get(i + 1).is(".")) {
      i += 2;
    }
    return i;
  }

  /** Reads an ON CONFLICT clause (as {@link #splitOnConflict} cut it out). */
  static OnConflict onConflict(String clause) {
    SqlCommandParser p = new SqlCommandParser(clause);
    p.at = 0;
    p.expect("on");
    p.expect("conflict");
    List<String> target = p.peek("(") ? p.nameList() : List.of();
    String constraint = null;
    if (target.isEmpty() && p.accept("on")) {
      p.expect("constraint");
      constraint = p.name();
    } else if (p.accept("where")) {
      // The predicate of a partial unique index to infer: every index here is whole, so the
      // columns alone name it.
      while (p.at < p.tokens.size() && !p.peek("do")) {
        p.at++;
      }
    }
    p.expect("do");
    if (p.accept("nothing")) {
      p.endOfStatement();
      return new OnConflict(target, constraint, null);
    }
    p.expect("update");
    p.expect("set");
    java.util.Map<String, Object> set = new java.util.LinkedHashMap<>();
    do {
      String col = p.name();
      p.expect("=");
      set.put(col, p.assignedValue());
    } while (p.accept(","));
    if (p.peek("where")) {
      throw p.error("0A000", "ON CONFLICT DO UPDATE … WHERE is not supported yet");
    }
    p.endOfStatement();
    if (target.isEmpty() && constraint == null) {
      throw p.error("42601", "ON CONFLICT DO UPDATE requires inference specification or constraint name");
    }
    return new OnConflict(target, constraint, set);
  }

  /** {@code EXCLUDED.col} (as {@link OnConflict.Excluded}), a literal, or NULL. */
  private Object assignedValue() {
    if (accept("excluded")) {
      expect(".");
      return new OnConflict.Excluded(name());
    }
    if (accept("null")) {
      return null;
    }
    if (accept("true")) {
      return Boolean.TRUE;
    }
    if (accept("false")) {
      return Boolean.FALSE;
    }
    boolean negative = accept("-");
    Token t = at < tokens.size() ? tokens.get(at) : null;
    if (t != null && t.word != null && t.word.equals("'")) {
      at++;
      return t.text.substring(1, t.text.length() - 1).replace("''", "'");
    }
    if (t != null && !t.quoted && t.word != null && Character.isDigit(t.word.charAt(0))) {
      at++;
      java.math.BigDecimal d = new java.math.BigDecimal(t.text);
      return negative ? d.negate() : d;
    }
    throw error("0A000", "ON CONFLICT DO UPDATE SET takes EXCLUDED.column, a literal or NULL here");
  }

  // ---- statements ----

  private SqlCommand create(String text) {
    at = 1;
    boolean orReplace = false;
    if (accept("or")) {
      expect("replace");
      orReplace = true;
    }
    boolean unique = accept("unique");
    accept("temp");
    accept("temporary");
    accept("unlogged");
    if (accept("table")) {
      return createTable(text);
    }
    if (accept("index")) {
      return createIndex(text, unique);
    }
    if (accept("view")) {
      return createView(text, orReplace);
    }
    if (accept("sequence")) {
      return createSequence(text);
    }
    return null; // CREATE FUNCTION, SCHEMA, …: Calcite says it does not know it
  }

  private SqlCommand.CreateTable createTable(String text) {
    boolean ifNotExists = ifNotExists();
    String table = qualifiedName();
    expect("(");
    List<SqlCommand.ColumnDef> columns = new ArrayList<>();
    List<String> primaryKey = new ArrayList<>();
    List<List<String>> uniques = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    List<SqlCommand.ForeignKey> foreignKeys = new ArrayList<>();
    java.util.Map<String, String> constraintNames = new java.util.LinkedHashMap<>();
    do {
      if (peek("constraint") || peek("primary") || peek("unique") || peek("check") || peek("foreign")) {
        SqlCommand.Constraint k = tableConstraint();
        switch (k.kind()) {
          case "PRIMARY KEY" -> {
            if (!primaryKey.isEmpty()) {
              throw error("42P16", "multiple primary keys for table " + table + " are not allowed");
            }
            primaryKey.addAll(k.columns());
          }
          case "UNIQUE" -> uniques.add(k.columns());
          case "CHECK" -> checks.add(k.check());
          default -> foreignKeys.add(k.references());
        }
        if (k.name() != null) {
          constraintNames.put(k.name(), TableDef.descriptor(k.kind(), k.columns(), k.check()));
        }
      } else {
        columns.add(column());
      }
    } while (accept(","));
    expect(")");
    for (SqlCommand.ColumnDef c : columns) {
      if (c.primaryKey()) {
        if (!primaryKey.isEmpty()) {
          throw error("42P16", "multiple primary keys for table " + table + " are not allowed");
        }
        primaryKey.add(c.name());
      }
    }
    endOfStatement();
    return new SqlCommand.CreateTable(text, table, ifNotExists, columns, primaryKey, uniques, checks, foreignKeys,
        constraintNames);
  }

  /** {@code [CONSTRAINT name] PRIMARY KEY (…) | UNIQUE (…) | CHECK (…) | FOREIGN KEY (…) REFERENCES …}. */
  private SqlCommand.Constraint tableConstraint() {
    String name = accept("constraint") ? name() : null;
    SqlCommand.Constraint k;
    if (accept("primary")) {
      expect("key");
      k = new SqlCommand.Constraint(name, "PRIMARY KEY", nameList(), null, null);
    } else if (accept("unique")) {
      k = new SqlCommand.Constraint(name, "UNIQUE", nameList(), null, null);
    } else if (accept("check")) {
      k = new SqlCommand.Constraint(name, "CHECK", List.of(), parenthesized(), null);
    } else {
      expect("foreign");
      expect("key");
      List<String> cols = nameList();
      expect("references");
      String target = qualifiedName();
      List<String> refCols = peek("(") ? nameList() : List.of();
      referentialActions();
      k = new SqlCommand.Constraint(name, "FOREIGN KEY", cols, null, new SqlCommand.ForeignKey(cols, target, refCols));
    }
    // Accepted: every constraint is checked at once, on each statement's result.
    if (accept("not")) {
      if (!accept("valid")) {
        expect("deferrable");
      }
    }
    accept("deferrable");
    if (accept("initially")) {
      if (!accept("immediate")) {
        expect("deferred");
      }
    }
    return k;
  }

  private SqlCommand.ColumnDef column() {
    String name = name();
    String type = type();
    boolean notNull = false;
    boolean primaryKey = false;
    boolean unique = false;
    String defaultSql = null;
    String check = null;
    SqlCommand.ForeignKey references = null;
    String identity = type.matches("(SMALL|BIG)?SERIAL[248]?") ? "BY DEFAULT" : null;
    if (identity != null) {
      notNull = true;
    }
    while (true) {
      if (accept("constraint")) {
        name();
      } else if (accept("not")) {
        expect("null");
        notNull = true;
      } else if (accept("null")) {
        notNull = false;
      } else if (accept("primary")) {
        expect("key");
        primaryKey = true;
        notNull = true;
      } else if (accept("unique")) {
        unique = true;
      } else if (accept("default")) {
        defaultSql = expressionText();
      } else if (accept("check")) {
        check = parenthesized();
      } else if (accept("references")) {
        String target = qualifiedName();
        references = new SqlCommand.ForeignKey(List.of(name), target, peek("(") ? nameList() : List.of());
        referentialActions();
      } else if (accept("collate")) {
        name();
      } else if (accept("generated")) {
        if (accept("always")) {
          identity = "ALWAYS";
        } else {
          expect("by");
          expect("default");
          identity = "BY DEFAULT";
        }
        expect("as");
        if (!accept("identity")) {
          throw error("0A000", "generated columns (GENERATED … AS (expression)) are not supported yet");
        }
        if (peek("(")) {
          parenthesized(); // sequence options: START WITH, INCREMENT BY … (the sequence starts at 1)
        }
        notNull = true;
      } else {
        break;
      }
    }
    return new SqlCommand.ColumnDef(name, type, notNull, defaultSql, primaryKey, unique, check, references, identity);
  }

  private void referentialActions() {
    while (accept("on")) {
      if (!accept("delete")) {
        expect("update");
      }
      if (accept("no")) {
        expect("action");
      } else if (accept("set")) {
        if (!accept("null")) {
          expect("default");
        }
      } else if (!accept("cascade") && !accept("restrict")) {
        throw error("42601", "expected CASCADE, RESTRICT, SET NULL, SET DEFAULT or NO ACTION");
      }
    }
  }

  /** A type as written, up to the first column constraint, comma or closing parenthesis. */
  private String type() {
    StringBuilder b = new StringBuilder();
    int depth = 0;
    while (at < tokens.size()) {
      Token t = tokens.get(at);
      if (depth == 0 && (t.is(",") || t.is(")") || (!t.quoted && COLUMN_CONSTRAINTS.contains(t.word)))) {
        break;
      }
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        depth--;
      }
      if (b.length() > 0 && !t.is("(") && !t.is(")") && !t.is(",") && b.charAt(b.length() - 1) != '('
          && b.charAt(b.length() - 1) != ',') {
        b.append(' ');
      }
      b.append(t.quoted ? t.text : t.text.toUpperCase(Locale.ROOT));
      at++;
    }
    if (b.length() == 0) {
      throw error("42601", "a column needs a type");
    }
    return b.toString();
  }

  private SqlCommand.CreateIndex createIndex(String text, boolean unique) {
    accept("concurrently");
    boolean ifNotExists = ifNotExists();
    String name = peek("on") ? null : name();
    expect("on");
    String table = qualifiedName();
    if (accept("using")) {
      name();
    }
    expect("(");
    List<String> columns = new ArrayList<>();
    do {
      columns.add(name());
      if (!accept("asc")) {
        accept("desc");
      }
    } while (accept(","));
    expect(")");
    endOfStatement();
    return new SqlCommand.CreateIndex(text, name, table, columns, unique, ifNotExists);
  }

  private SqlCommand.CreateSequence createSequence(String text) {
    boolean ifNotExists = ifNotExists();
    String name = qualifiedName();
    long start = Long.MIN_VALUE;
    long increment = 1;
    while (at < tokens.size() && !peek(";")) {
      if (accept("start")) {
        accept("with");
        start = signedNumber();
      } else if (accept("increment")) {
        accept("by");
        increment = signedNumber();
      } else if (accept("as") || accept("minvalue") || accept("maxvalue") || accept("cache")) {
        if (at < tokens.size() && !peek(";") && !peek("start") && !peek("increment") && !peek("no")) {
          at++; // a type, or the value of an option that changes nothing here
        }
      } else if (accept("no")) {
        at++; // NO MINVALUE, NO MAXVALUE, NO CYCLE
      } else if (accept("owned")) {
        expect("by");
        qualifiedName();
      } else if (accept("cycle")) {
        throw error("0A000", "CYCLE sequences are not supported");
      } else {
        throw error("42601", "unexpected '" + tokens.get(at).text + "' in CREATE SEQUENCE");
      }
    }
    endOfStatement();
    return new SqlCommand.CreateSequence(text, name, ifNotExists, start == Long.MIN_VALUE ? (increment > 0 ? 1 : -1) : start,
        increment);
  }

  private long signedNumber() {
    boolean negative = accept("-");
    if (at >= tokens.size() || tokens.get(at).word == null || !Character.isDigit(tokens.get(at).word.charAt(0))) {
      throw error("42601", "expected a number");
    }
    long v = Long.parseLong(tokens.get(at++).text);
    return negative ? -v : v;
  }

  private SqlCommand.CreateView createView(String text, boolean orReplace) {
    ifNotExists();
    String name = qualifiedName();
    List<String> columns = peek("(") ? nameList() : List.of();
    expect("as");
    String query = sql.substring(tokens.get(at).start).strip();
    if (query.endsWith(";")) {
      query = query.substring(0, query.length() - 1).strip();
    }
    return new SqlCommand.CreateView(text, name, columns, query, orReplace);
  }

  /**
   * {@code SET [SESSION | LOCAL] name { = | TO } value | DEFAULT}, {@code SET TIME ZONE value},
   * {@code RESET name | ALL}: a session setting.
   */
  private SqlCommand set(String text, boolean reset) {
    at = 1;
    if (reset) {
      String name = accept("all") ? "all" : settingName();
      endOfStatement();
      return new SqlCommand.SetOption(text, name, null);
    }
    if (!accept("session")) {
      accept("local");
    }
    String name;
    if (accept("time")) {
      expect("zone");
      name = "timezone";
    } else {
      name = settingName();
      if (!accept("=")) {
        expect("to");
      }
    }
    StringBuilder value = new StringBuilder();
    while (at < tokens.size() && !tokens.get(at).is(";")) {
      Token t = tokens.get(at++);
      String v = "'".equals(t.word) ? t.text.substring(1, t.text.length() - 1).replace("''", "'") : t.text;
      value.append(value.length() == 0 || t.is(",") ? "" : " ").append(v);
    }
    endOfStatement();
    String v = value.toString();
    if (v.isEmpty()) {
      throw error("42601", "SET " + name + " needs a value");
    }
    return new SqlCommand.SetOption(text, name, v.equalsIgnoreCase("default") || v.equalsIgnoreCase("local")
        && name.equals("timezone") ? null : v);
  }

  /** A setting's name, dotted ones ({@code application.name}) too, in lower case. */
  private String settingName() {
    StringBuilder b = new StringBuilder(name().toLowerCase(java.util.Locale.ROOT));
    while (accept(".")) {
      b.append('.').append(name().toLowerCase(java.util.Locale.ROOT));
    }
    return b.toString();
  }

  private SqlCommand alter(String text) {
    at = 1;
    if (!accept("table")) {
      return null;
    }
    boolean ifExists = false;
    if (accept("if")) {
      expect("exists");
      ifExists = true;
    }
    accept("only");
    String table = qualifiedName();
    SqlCommand.AlterTable a;
    if (accept("add")) {
      if (peek("constraint") || peek("primary") || peek("unique") || peek("foreign") || peek("check")) {
        SqlCommand.Constraint k = tableConstraint();
        endOfStatement();
        return new SqlCommand.AlterConstraint(text, table, ifExists, k, null, false);
      }
      accept("column");
      boolean ifNotExists = ifNotExists();
      SqlCommand.ColumnDef c = column();
      a = new SqlCommand.AlterTable(text, table, ifExists, "ADD", c.name(), c, null, ifNotExists);
    } else if (accept("drop")) {
      if (accept("constraint")) {
        boolean ifConstraintExists = false;
        if (accept("if")) {
          expect("exists");
          ifConstraintExists = true;
        }
        String name = name();
        if (!accept("cascade")) {
          accept("restrict");
        }
        endOfStatement();
        return new SqlCommand.AlterConstraint(text, table, ifExists, null, name, ifConstraintExists);
      }
      accept("column");
      boolean ifColumnExists = false;
      if (accept("if")) {
        expect("exists");
        ifColumnExists = true;
      }
      String c = name();
      boolean cascade = accept("cascade");
      if (!cascade) {
        accept("restrict");
      }
      a = new SqlCommand.AlterTable(text, table, ifExists, cascade ? "DROP_CASCADE" : "DROP", c, null, null,
          ifColumnExists);
    } else if (accept("rename")) {
      if (accept("to")) {
        a = new SqlCommand.AlterTable(text, table, ifExists, "RENAME_TABLE", null, null, name(), false);
      } else {
        accept("column");
        String c = name();
        expect("to");
        a = new SqlCommand.AlterTable(text, table, ifExists, "RENAME_COLUMN", c, null, name(), false);
      }
    } else if (accept("alter")) {
      accept("column");
      String c = name();
      if (accept("set")) {
        if (accept("not")) {
          expect("null");
          a = new SqlCommand.AlterTable(text, table, ifExists, "SET_NOT_NULL", c, null, null, false);
        } else {
          expect("default");
          a = new SqlCommand.AlterTable(text, table, ifExists, "SET_DEFAULT", c, null, expressionText(), false);
        }
      } else if (accept("drop")) {
        if (accept("not")) {
          expect("null");
          a = new SqlCommand.AlterTable(text, table, ifExists, "DROP_NOT_NULL", c, null, null, false);
        } else {
          expect("default");
          a = new SqlCommand.AlterTable(text, table, ifExists, "DROP_DEFAULT", c, null, null, false);
        }
      } else {
        throw error("0A000", "ALTER COLUMN … TYPE is not supported (an attribute's type cannot change)");
      }
    } else {
      throw error("42601", "expected ADD, DROP, RENAME or ALTER after ALTER TABLE " + table);
    }
    endOfStatement();
    return a;
  }

  private SqlCommand drop(String text) {
    at = 1;
    boolean table = accept("table");
    boolean view = !table && accept("view");
    boolean index = !table && !view && accept("index");
    boolean sequence = !table && !view && !index && accept("sequence");
    if (!table && !view && !index && !sequence) {
      return null;
    }
    boolean ifExists = false;
    if (accept("if")) {
      expect("exists");
      ifExists = true;
    }
    List<String> names = new ArrayList<>();
    do {
      names.add(qualifiedName());
    } while (accept(","));
    boolean cascade = accept("cascade");
    if (!cascade) {
      accept("restrict");
    }
    endOfStatement();
    if (table) {
      return new SqlCommand.DropTable(text, names, ifExists, cascade);
    }
    if (view) {
      return new SqlCommand.DropView(text, names, ifExists);
    }
    if (sequence) {
      return new SqlCommand.DropSequence(text, names, ifExists);
    }
    if (names.size() != 1) {
      throw error("0A000", "DROP INDEX takes one index at a time here");
    }
    return new SqlCommand.DropIndex(text, names.get(0), ifExists);
  }

  private SqlCommand truncate(String text) {
    at = 1;
    accept("table");
    List<String> names = new ArrayList<>();
    do {
      names.add(qualifiedName());
    } while (accept(","));
    while (at < tokens.size() && !tokens.get(at).is(";")) {
      at++; // RESTART IDENTITY, CASCADE
    }
    return new SqlCommand.Truncate(text, names);
  }

  private SqlCommand begin(String text) {
    at = 1;
    if (tokens.get(0).is("start")) {
      expect("transaction");
    } else if (!accept("transaction")) {
      accept("work");
    }
    skipModes();
    return new SqlCommand.Begin(text);
  }

  private SqlCommand end(String text, SqlCommand command) {
    at = 1;
    if (!accept("transaction")) {
      accept("work");
    }
    if (at < tokens.size() && (tokens.get(at).is("to") || tokens.get(at).is("prepared"))) {
      throw error("0A000", "savepoints and prepared transactions are not supported");
    }
    if (accept("and")) {
      accept("no");
      expect("chain");
    }
    endOfStatement();
    return command;
  }

  /** ISOLATION LEVEL …, READ WRITE/ONLY, [NOT] DEFERRABLE: every transaction here is serializable. */
  private void skipModes() {
    while (at < tokens.size() && !tokens.get(at).is(";")) {
      at++;
    }
  }

  // ---- pieces ----

  private boolean ifNotExists() {
    if (accept("if")) {
      expect("not");
      expect("exists");
      return true;
    }
    return false;
  }

  /** A name, perhaps schema-qualified ({@code public.t}, {@code accrete.t}): the last part. */
  private String qualifiedName() {
    String n = name();
    while (accept(".")) {
      n = name();
    }
    return n;
  }

  private String name() {
    if (at >= tokens.size()) {
      throw error("42601", "expected a name at the end of the statement");
    }
    Token t = tokens.get(at);
    if (!t.quoted && (t.word == null || !Character.isLetter(t.word.charAt(0)) && t.word.charAt(0) != '_')) {
      throw error("42601", "expected a name, found '" + t.text + "'");
    }
    at++;
    return t.quoted ? t.text : t.word;
  }

  private List<String> nameList() {
    expect("(");
    List<String> out = new ArrayList<>();
    do {
      out.add(name());
    } while (accept(","));
    expect(")");
    return out;
  }

  /** {@code ( expr )}: the text inside. */
  private String parenthesized() {
    int open = at;
    expect("(");
    int depth = 1;
    while (at < tokens.size() && depth > 0) {
      Token t = tokens.get(at++);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        depth--;
      }
    }
    if (depth != 0) {
      throw error("42601", "unbalanced parentheses");
    }
    return sql.substring(tokens.get(open).end, tokens.get(at - 1).start).strip();
  }

  /** An expression's text, up to a column constraint, comma or parenthesis at its depth. */
  private String expressionText() {
    int from = at;
    int depth = 0;
    while (at < tokens.size()) {
      Token t = tokens.get(at);
      if (depth == 0 && (t.is(",") || t.is(")")
          || (!t.quoted && at > from && COLUMN_CONSTRAINTS.contains(t.word) && !t.is("null")))) {
        break;
      }
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        depth--;
      }
      at++;
    }
    if (at == from) {
      throw error("42601", "DEFAULT needs an expression");
    }
    return sql.substring(tokens.get(from).start, tokens.get(at - 1).end).strip();
  }

  private boolean peek(String word) {
    return at < tokens.size() && tokens.get(at).is(word);
  }

  private boolean accept(String word) {
    if (peek(word)) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(String word) {
    if (!accept(word)) {
      throw error("42601", "expected " + word.toUpperCase(Locale.ROOT)
          + (at < tokens.size() ? ", found '" + tokens.get(at).text + "'" : " at the end of the statement"));
    }
  }

  private void endOfStatement() {
    accept(";");
    if (at < tokens.size()) {
      throw error("42601", "unexpected '" + tokens.get(at).text + "'");
    }
  }

  private AccreteSqlException error(String state, String message) {
    int offset = at < tokens.size() ? tokens.get(at).start : sql.length();
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset; i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new AccreteSqlException(state, "syntax error at line " + line + ", column " + column + ": " + message);
  }

  // ---- tokens ----

  private static List<Token> tokenize(String sql) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '"') {
        StringBuilder b = new StringBuilder();
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == '"') {
            if (j + 1 < n && sql.charAt(j + 1) == '"') {
              b.append('"');
              j += 2;
              continue;
            }
            break;
          }
          b.append(sql.charAt(j++));
        }
        out.add(new Token(null, b.toString(), true, i, Math.min(j + 1, n)));
        i = j + 1;
      } else if (c == '\'') {
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == '\'') {
            if (j + 1 < n && sql.charAt(j + 1) == '\'') {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        String text = sql.substring(i, Math.min(j + 1, n));
        out.add(new Token("'", text, false, i, Math.min(j + 1, n)));
        i = j + 1;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
        int j = i;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$'
            || (sql.charAt(j) == '.' && Character.isDigit(c)))) {
          j++;
        }
        String text = sql.substring(i, j);
        out.add(new Token(text.toLowerCase(Locale.ROOT), text, false, i, j));
        i = j;
      } else {
        String text = String.valueOf(c);
        out.add(new Token(text, text, false, i, i + 1));
        i++;
      }
    }
    return out;
  }
}
