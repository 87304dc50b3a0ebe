package io.accrete.sql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites of a statement's text before it is parsed, for what Calcite's parser cannot take in
 * any form: the JDBC escapes it lacks ({@code {oj …}}, {@code {escape 'c'}}, {@code {limit n
 * offset m}}; {@code {fn …}}, {@code {d …}}, {@code {t …}} and {@code {ts …}} it parses itself)
 * PostgreSQL's interval literals with the unit inside the quotes ({@code interval '30 days'},
 * {@code interval '1 day 2 hours'}), {@code x::type} as a cast of the operand just before it, and
 * {@code SELECT DISTINCT ON (e, …)} as a marker select item {@link PostgresRewrites} finishes.
 * Quoted text, quoted names and comments are left alone.
 */
final class SqlTextRewrites {
  private SqlTextRewrites() {}

  private static final Pattern ESCAPE = Pattern.compile("(?i)\\{\\s*escape\\s+('(?:[^']|'')*')\\s*}");
  private static final Pattern LIMIT = Pattern.compile("(?i)\\{\\s*limit\\s+(\\d+|\\?)(?:\\s+offset\\s+(\\d+|\\?))?\\s*}");
  private static final Pattern OJ = Pattern.compile("(?i)\\{\\s*oj\\s");
  private static final Pattern FN = Pattern.compile("(?i)\\{\\s*fn\\s+([a-z_][a-z0-9_]*)\\s*(\\(\\s*\\))?");
  /** The escape functions Calcite's parser turns into calls itself; the others are written as plain calls. */
  private static final java.util.Set<String> CALCITE_FN = java.util.Set.of(String.join(",",
      org.apache.calcite.sql.SqlJdbcFunctionCall.getNumericFunctions(),
      org.apache.calcite.sql.SqlJdbcFunctionCall.getStringFunctions(),
      org.apache.calcite.sql.SqlJdbcFunctionCall.getTimeDateFunctions(),
      org.apache.calcite.sql.SqlJdbcFunctionCall.getSystemFunctions()).split(","));
  /** Functions SQL writes without parentheses, which JDBC's escape gives an empty pair. */
  private static final java.util.Set<String> NILADIC = java.util.Set.of("CURRENT_DATE", "CURRENT_TIME",
      "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER", "SESSION_USER", "USER");
  private static final Pattern INTERVAL = Pattern.compile("(?i)interval\\s*'([^']*)'");
  private static final Pattern UNIT_AFTER = Pattern.compile(
      "(?i)\\s*(year|month|day|hour|minute|second)s?\\b");
  private static final Pattern PART = Pattern.compile(
      "(?i)\\s*([+-]?\\d+(?:\\.\\d+)?)\\s*(millennium|millennia|century|centuries|decade|year|yr|month|mon|week|day|"
          + "hour|hr|minute|min|second|sec|millisecond|ms)s?\\b\\s*");

  /** The statement with those forms rewritten; the same text when it has none. */
  static String apply(String sql) {
    if (sql.indexOf('{') < 0 && !sql.contains("::") && !containsInterval(sql) && !DISTINCT_ON.matcher(sql).find()
        && !SHORT_TIMESTAMP.matcher(sql).find()) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length());
    Deque<Boolean> braces = new ArrayDeque<>(); // per open brace: whether its closing one goes
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      int skip = quotedOrComment(sql, i);
      Matcher shortTimestamp;
      if (skip > i && ch == '\'' && (shortTimestamp = SHORT_TIMESTAMP_TEXT.matcher(sql).region(i, skip)).matches()
          && wordBefore(out, out.length()) >= 0 && out.substring(wordBefore(out, out.length())).strip()
              .equalsIgnoreCase("timestamp")) {
        // TIMESTAMP '2024-05-17 01:00' or '2024-05-17', which PostgreSQL takes and Calcite refuses
        out.append('\'').append(shortTimestamp.group(1)).append(' ')
            .append(shortTimestamp.group(2) == null ? "00:00" : shortTimestamp.group(2)).append(":00'");
        i = skip;
        continue;
      }
      if (skip > i) {
        out.append(sql, i, skip);
        i = skip;
        continue;
      }
      if (ch == ':' && sql.startsWith("::", i)) {
        int end = castTo(sql, i + 2, out);
        if (end > 0) {
          i = end;
          continue;
        }
        out.append("::");
        i += 2;
        continue;
      }
      if (ch == '{') {
        Matcher m;
        if ((m = ESCAPE.matcher(sql).region(i, sql.length())).lookingAt()) {
          out.append(" ESCAPE ").append(m.group(1)).append(' ');
          i = m.end();
          continue;
        }
        if ((m = LIMIT.matcher(sql).region(i, sql.length())).lookingAt()) {
          out.append(" LIMIT ").append(m.group(1)).append(m.group(2) == null ? "" : " OFFSET " + m.group(2)).append(' ');
          i = m.end();
          continue;
        }
        if ((m = FN.matcher(sql).region(i, sql.length())).lookingAt()
            && !CALCITE_FN.contains(m.group(1).toUpperCase(java.util.Locale.ROOT))) {
          // {fn EXTRACT(YEAR FROM d)}, {fn CHAR_LENGTH(s)}, {fn CURRENT_DATE()}: the call as SQL
          // has it (an unknown name then fails as any unknown function, 42883)
          String name = m.group(1);
          boolean niladic = NILADIC.contains(name.toUpperCase(java.util.Locale.ROOT));
          braces.push(true);
          out.append(' ').append(name).append(niladic || m.group(2) == null ? "" : "()");
          i = m.end();
          continue;
        }
        if ((m = OJ.matcher(sql).region(i, sql.length())).lookingAt()) {
          braces.push(true);
          out.append(' ');
          i = m.end();
          continue;
        }
        braces.push(false);
      } else if (ch == '}' && !braces.isEmpty()) {
        if (braces.pop()) {
          out.append(' ');
          i++;
          continue;
        }
      } else if ((ch == 'd' || ch == 'D') && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)))) {
        Matcher m = DISTINCT_ON.matcher(sql).region(i, sql.length());
        int close = m.lookingAt() ? closingParenthesis(sql, m.end() - 1) : -1;
        if (close > 0) {
          // a first select item PostgresRewrites turns into QUALIFY ROW_NUMBER() … = 1
          out.append(PostgresRewrites.DISTINCT_ON).append(sql, m.end() - 1, close + 1).append(" AS \"")
              .append(PostgresRewrites.DISTINCT_ON).append("\",");
          i = close + 1;
          continue;
        }
      } else if ((ch == 'i' || ch == 'I') && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1))
          && sql.charAt(i - 1) != '_')) {
        Matcher m = INTERVAL.matcher(sql).region(i, sql.length());
        if (m.lookingAt() && !UNIT_AFTER.matcher(sql).region(m.end(), sql.length()).lookingAt()) {
          String literal = interval(m.group(1));
          if (literal != null) {
            out.append(literal);
            i = m.end();
            continue;
          }
        }
      }
      out.append(ch);
      i++;
    }
    return out.toString();
  }

  private static final Pattern TYPE_NAME = Pattern.compile("(?i)\\s*(double\\s+precision|character\\s+varying|"
      + "char\\s+varying|bit\\s+varying|(?:timestamp|time)\\b(?:\\s*\\(\\s*\\d+\\s*\\))?(?:\\s+with(?:out)?\\s+time\\s+zone)?|"
      + "[a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)?)(\\s*\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?(\\s*\\[\\s*\\])?");

  /**
   * PostgreSQL's {@code x::type}, where {@code ::} binds tighter than any operator, as
   * {@code CAST(x AS type)} over the operand written just before it (Calcite's parser would cast
   * all of {@code a > b} in {@code a > b::int}). Rewrites {@code out} and answers where the type
   * name ends, or -1 (left to the parser) when the operand or the type is not a simple one.
   */
  private static int castTo(String sql, int typeStart, StringBuilder out) {
    Matcher type = TYPE_NAME.matcher(sql).region(typeStart, sql.length());
    if (!type.lookingAt()) {
      return -1;
    }
    int start = operandStart(out);
    if (start < 0) {
      return -1;
    }
    String operand = out.substring(start).strip();
    out.setLength(start);
    out.append("CAST(").append(operand).append(" AS ").append(type.group().strip()).append(')');
    return type.end();
  }

  /** Where the operand that ends {@code out} starts: a literal, a name, a call or a parenthesis; -1 if none. */
  private static int operandStart(StringBuilder out) {
    int j = out.length() - 1;
    while (j >= 0 && Character.isWhitespace(out.charAt(j))) {
      j--;
    }
    if (j < 0) {
      return -1;
    }
    char c = out.charAt(j);
    int start;
    if (c == '\'') {
      int k = j - 1;
      while (true) {
        while (k >= 0 && out.charAt(k) != '\'') {
          k--;
        }
        if (k > 0 && out.charAt(k - 1) == '\'') {
          k -= 2; // an escaped quote inside the text
          continue;
        }
        break;
      }
      if (k < 0) {
        return -1;
      }
      start = k;
      int w = wordBefore(out, start);
      if (w >= 0 && out.substring(w, start).strip().toLowerCase(Locale.ROOT)
          .matches("date|time|timestamp|interval|e|x|b|n|u&")) {
        start = w; // a typed literal: DATE '…'
      }
      return start;
    }
    if (c == ')') {
      int depth = 0;
      boolean quoted = false;
      int k = j;
      for (; k >= 0; k--) {
        char x = out.charAt(k);
        if (x == '\'') {
          quoted = !quoted;
        } else if (!quoted && x == ')') {
          depth++;
        } else if (!quoted && x == '(' && --depth == 0) {
          break;
        }
      }
      if (k < 0) {
        return -1;
      }
      int name = k;
      while (name > 0 && (Character.isLetterOrDigit(out.charAt(name - 1)) || out.charAt(name - 1) == '_'
          || out.charAt(name - 1) == '.')) {
        name--;
      }
      String word = out.substring(name, k).toLowerCase(Locale.ROOT);
      return word.matches("and|or|not|in|exists|any|all|some|values|select|where|on|then|else|when|between") ? k : name;
    }
    if (Character.isLetterOrDigit(c) || c == '_' || c == '"' || c == '.') {
      int k = j;
      while (k >= 0) {
        char x = out.charAt(k);
        if (x == '"') {
          int open = out.lastIndexOf("\"", k - 1);
          if (open < 0) {
            return -1;
          }
          k = open - 1;
        } else if (Character.isLetterOrDigit(x) || x == '_' || x == '.' || x == '$') {
          k--;
        } else {
          break;
        }
      }
      return k + 1;
    }
    return -1;
  }

  /** The start of the word (and the spaces after it) just before {@code at}, or -1. */
  private static int wordBefore(StringBuilder out, int at) {
    int k = at - 1;
    while (k >= 0 && Character.isWhitespace(out.charAt(k))) {
      k--;
    }
    int end = k;
    while (k >= 0 && (Character.isLetter(out.charAt(k)) || out.charAt(k) == '&')) {
      k--;
    }
    return end == k || k >= 0 && (Character.isLetterOrDigit(out.charAt(k)) || out.charAt(k) == '_') ? -1 : k + 1;
  }

  private static final Pattern DISTINCT_ON = Pattern.compile("(?i)distinct\\s+on\\s*\\(");
  /** A timestamp literal without seconds, or without a time. */
  private static final Pattern SHORT_TIMESTAMP = Pattern.compile(
      "(?i)timestamp\\s*'\\s*\\d{4}-\\d{1,2}-\\d{1,2}(?:[ T]+\\d{1,2}:\\d{2})?\\s*'");
  private static final Pattern SHORT_TIMESTAMP_TEXT = Pattern.compile(
      "'\\s*(\\d{4}-\\d{1,2}-\\d{1,2})(?:[ T]+(\\d{1,2}:\\d{2}))?\\s*'");

  /** Where the parenthesis opened at {@code open} closes (quotes skipped), or -1. */
  private static int closingParenthesis(String sql, int open) {
    int depth = 0;
    for (int i = open; i < sql.length(); i++) {
      int skip = quotedOrComment(sql, i);
      if (skip > i) {
        i = skip - 1;
        continue;
      }
      char c = sql.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean containsInterval(String sql) {
    return sql.toLowerCase(Locale.ROOT).contains("interval");
  }

  /** The end of a quoted string, quoted name or comment starting at {@code i}, else {@code i}. */
  private static int quotedOrComment(String sql, int i) {
    char ch = sql.charAt(i);
    if (ch == '\'' || ch == '"') {
      int j = i + 1;
      while (j < sql.length()) {
        if (sql.charAt(j) == ch) {
          if (j + 1 < sql.length() && sql.charAt(j + 1) == ch) {
            j += 2;
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    if (ch == '-' && sql.startsWith("--", i)) {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end;
    }
    if (ch == '/' && sql.startsWith("/*", i)) {
      int end = sql.indexOf("*/", i + 2);
      return end < 0 ? sql.length() : end + 2;
    }
    return i;
  }

  /**
   * PostgreSQL's {@code interval 'n unit …'} as a SQL standard interval literal, or null when
   * the text is not of that form (it is then parsed as written).
   */
  static String interval(String text) {
    if (text.isBlank()) {
      return null;
    }
    java.math.BigDecimal months = java.math.BigDecimal.ZERO;
    java.math.BigDecimal millis = java.math.BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    int at = 0;
    boolean anyMonths = false;
    boolean anyMillis = false;
    while (at < text.length()) {
      if (!m.region(at, text.length()).lookingAt()) {
        return null;
      }
      java.math.BigDecimal n = new java.math.BigDecimal(m.group(1));
      String unit = m.group(2).toLowerCase(Locale.ROOT);
      switch (unit) {
        case "millennium", "millennia" -> months = months.add(n.multiply(java.math.BigDecimal.valueOf(12_000)));
        case "century", "centuries" -> months = months.add(n.multiply(java.math.BigDecimal.valueOf(1200)));
        case "decade" -> months = months.add(n.multiply(java.math.BigDecimal.valueOf(120)));
        case "year", "yr" -> months = months.add(n.multiply(java.math.BigDecimal.valueOf(12)));
        case "mon", "month" -> months = months.add(n);
        case "week" -> millis = millis.add(n.multiply(java.math.BigDecimal.valueOf(7 * 86_400_000L)));
        case "day" -> millis = millis.add(n.multiply(java.math.BigDecimal.valueOf(86_400_000L)));
        case "hour", "hr" -> millis = millis.add(n.multiply(java.math.BigDecimal.valueOf(3_600_000L)));
        case "minute", "min" -> millis = millis.add(n.multiply(java.math.BigDecimal.valueOf(60_000L)));
        case "second", "sec" -> millis = millis.add(n.multiply(java.math.BigDecimal.valueOf(1000L)));
        default -> millis = millis.add(n);
      }
      if (unit.startsWith("mon") || unit.startsWith("y") || unit.startsWith("dec") || unit.startsWith("cent")
          || unit.startsWith("mill") && !unit.equals("millisecond")) {
        anyMonths = true;
      } else {
        anyMillis = true;
      }
      at = m.end();
    }
    if (anyMonths && anyMillis) {
      return null; // months and days in one value: no single SQL interval holds both
    }
    if (anyMonths) {
      if (months.stripTrailingZeros().scale() > 0) {
        return null;
      }
      long total = months.longValueExact();
      return "INTERVAL '" + (total < 0 ? "-" : "") + Math.abs(total) / 12 + "-" + Math.abs(total) % 12
          + "' YEAR TO MONTH";
    }
    long total = millis.setScale(0, java.math.RoundingMode.HALF_UP).longValue();
    long abs = Math.abs(total);
    return String.format(Locale.ROOT, "INTERVAL '%s%d %02d:%02d:%02d.%03d' DAY TO SECOND", total < 0 ? "-" : "",
        abs / 86_400_000L, abs / 3_600_000L % 24, abs / 60_000L % 60, abs / 1000 % 60, abs % 1000);
  }
}
