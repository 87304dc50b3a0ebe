package io.accrete.sql;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Failures of SQL statements in PostgreSQL's terms: an {@link SQLException} with PostgreSQL's
 * SQLSTATE (42601 syntax, 42P01 undefined table, 42703 undefined column, 42883 undefined
 * function or operator, 22012 division by zero, 22P02 invalid text, 21000 more than one row, …)
 * and one line saying what and where, in place of Calcite's wrappers, its expectation lists and
 * its Java exceptions. Accrete's own errors ({@link AccreteSqlException}) keep their state and
 * words.
 */
public final class SqlErrors {
  private SqlErrors() {}

  private record Rule(Pattern pattern, String state, String message) {}

  /** Calcite's validator messages, and what PostgreSQL says for each ($1… are the groups). */
  private static final List<Rule> RULES = List.of(
      rule("Object '([^']+)' not found(?: within '[^']+')?", "42P01", "relation \"$1\" does not exist"),
      rule("Table '([^']+)' not found", "42P01", "relation \"$1\" does not exist"),
      rule("Column '([^']+)' not found in (?:any table|table '[^']+')", "42703", "column \"$1\" does not exist"),
      rule("Unknown identifier '([^']+)'", "42703", "column \"$1\" does not exist"),
      rule("Unknown target column '([^']+)'", "42703", "column \"$1\" does not exist"),
      rule("Column '([^']+)' is ambiguous", "42702", "column reference \"$1\" is ambiguous"),
      rule("No match found for function signature ([^(]+)\\((.*)\\)", "42883",
          "function $1($2) does not exist"),
      rule("Cannot apply '([^']+)' to arguments of type (.+)\\. Supported form.*", "42883",
          "operator does not exist: $1 applied to $2"),
      rule("Cannot apply '([^']+)' to arguments of type (.+)", "42883", "operator does not exist: $1 applied to $2"),
      rule("Expression '([^']+)' is not being grouped", "42803",
          "column \"$1\" must appear in the GROUP BY clause or be used in an aggregate function"),
      rule("Aggregate expression is illegal in (.+)", "42803", "aggregate functions are not allowed in $1"),
      rule("Cannot assign to target field '([^']+)' of type (.+) from source field '[^']+' of type (.+)", "42804",
          "column \"$1\" is of type $2 but expression is of type $3"),
      rule("Number of INSERT target columns \\((\\d+)\\) does not equal number of source items \\((\\d+)\\)",
          "42601", "INSERT has $1 target columns but $2 expressions"),
      rule("Duplicate relation name '([^']+)' in FROM clause", "42712", "table name \"$1\" specified more than once"),
      rule("Values passed to (.+) operator must have compatible types", "42804", "$1 types do not match"),
      rule("(.*) must be a condition|WHERE clause must be a condition", "42804", "argument of WHERE must be type boolean"),
      rule("more than one value in agg SINGLE_VALUE.*", "21000",
          "more than one row returned by a subquery used as an expression"));

  private static Rule rule(String regex, String state, String message) {
    return new Rule(Pattern.compile(regex, Pattern.DOTALL), state, message);
  }

  /**
   * The SQLException a JDBC caller should see for a failure of a statement.
   *
   * @param failure what the statement threw (a Calcite wrapper, an SQLException, a runtime exception)
   * @return an SQLException with PostgreSQL's SQLSTATE and one line, the failure as its cause
   */
  public static SQLException toSqlException(Throwable failure) {
    String[] classified = classify(failure);
    return new SQLException(classified[1], classified[0], failure);
  }

  /** {SQLSTATE, message} of a failure; the state is XX000 (internal error) when nothing better is known. */
  static String[] classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof AccreteSqlException a && a.sqlState() != null) {
        return new String[] {a.sqlState(), a.getMessage()};
      }
    }
    String where = "";
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof CalciteContextException c && c.getPosLine() > 0) {
        where = " (line " + c.getPosLine() + ", column " + c.getPosColumn() + ")";
        break;
      }
    }
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof SqlParseException p) {
        return new String[] {"42601", syntax(p)};
      }
      if (t instanceof ArithmeticException a && String.valueOf(a.getMessage()).toLowerCase(Locale.ROOT).contains("zero")) {
        return new String[] {"22012", "division by zero"};
      }
      if (t instanceof ArithmeticException a && String.valueOf(a.getMessage()).toLowerCase(Locale.ROOT).contains("overflow")) {
        // Math.addExact and friends, under the checked arithmetic PostgresConvertlets plans
        String m = a.getMessage().toLowerCase(Locale.ROOT);
        return new String[] {"22003", m.contains("long") ? "bigint out of range"
            : m.contains("integer") ? "integer out of range" : "value out of range"};
      }
      if (t instanceof NumberFormatException n) {
        return new String[] {"22P02", "invalid input syntax for a number: " + n.getMessage()};
      }
    }
    for (Throwable t = failure; t != null; t = next(t)) {
      String m = t.getMessage();
      if (m == null) {
        continue;
      }
      for (Rule r : RULES) {
        Matcher x = r.pattern.matcher(m.strip());
        if (x.matches()) {
          return new String[] {r.state, x.replaceFirst(r.message) + where};
        }
      }
    }
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof SQLException s && s.getSQLState() != null && !s.getSQLState().equals("00000")) {
        return new String[] {s.getSQLState(), s.getMessage()};
      }
    }
    Throwable root = failure;
    while (next(root) != null) {
      root = next(root);
    }
    String message = root.getMessage() != null ? root.getMessage() : root.toString();
    return new String[] {where.isEmpty() ? "XX000" : "42000", message.strip() + (message.contains("line ") ? "" : where)};
  }

  private static Throwable next(Throwable t) {
    return t.getCause() == t ? null : t.getCause();
  }

  /** {@code syntax error at or near "x" (line 1, column 8)}, and a hint when "x" is a reserved word. */
  private static String syntax(SqlParseException p) {
    String token = p.getMessage() == null ? null : tokenOf(p.getMessage());
    String where = p.getPos() == null ? "" : " (line " + p.getPos().getLineNum() + ", column " + p.getPos().getColumnNum()
        + ")";
    if (token == null) {
      String first = String.valueOf(p.getMessage()).split("\n")[0];
      return "syntax error: " + first;
    }
    if (token.equals("<EOF>")) {
      return "syntax error at end of input" + where;
    }
    String text = "syntax error at or near \"" + token + "\"" + where;
    if (token.matches("[A-Za-z_]+") && org.apache.calcite.sql.parser.SqlAbstractParserImpl.getSql92ReservedWords()
        .contains(token.toUpperCase(Locale.ROOT))) {
      text += ": " + token + " is a reserved word; quote it to use it as a name (\"" + token.toLowerCase(Locale.ROOT)
          + "\")";
    }
    return text;
  }

  private static final Pattern ENCOUNTERED = Pattern.compile("Encountered \"(.*?)\" at line");
  /** The Babel parser's words for a keyword where none may stand. */
  private static final Pattern NEAR_KEYWORD = Pattern.compile("Incorrect syntax near the keyword '(.*?)' at line");

  private static String tokenOf(String message) {
    Matcher m = ENCOUNTERED.matcher(message);
    if (!m.find()) {
      m = NEAR_KEYWORD.matcher(message);
      if (!m.find()) {
        return null;
      }
    }
    String t = m.group(1).strip();
    int space = t.indexOf(' ');
    return space > 0 ? t.substring(0, space) : t;
  }
}
