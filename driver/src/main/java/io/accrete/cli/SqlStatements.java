package io.accrete.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at semicolons, fed a line at a time so that piped input runs
 * each statement as soon as its semicolon arrives. Semicolons inside 'strings', "names",
 * -- line comments and block comments do not split. Comments before a statement are dropped,
 * so a statement starts at its first word and its line is where an error is reported.
 */
final class SqlStatements {
  /** One statement (without its semicolon) and the 1-based line of the input it starts on. */
  record Statement(String sql, int line) {}

  private final StringBuilder current = new StringBuilder();
  private int line;
  private int startLine;
  private char quote; // ' or " while inside one, else 0
  private boolean blockComment;

  /**
   * Feeds the next line of input (without its line terminator).
   *
   * @return the statements this line completes, possibly none
   */
  List<Statement> feed(String text) {
    line++;
    List<Statement> done = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (blockComment) {
        if (ch == '*' && next == '/') {
          blockComment = false;
          i++;
          append("*/");
        } else {
          append(ch);
        }
      } else if (quote != 0) {
        append(ch);
        if (ch == quote) {
          quote = 0; // a doubled quote ('') closes and reopens: the same text, the same state
        }
      } else if (ch == '-' && next == '-') {
        append(text.substring(i));
        break;
      } else if (ch == '/' && next == '*') {
        blockComment = true;
        append("/*");
        i++;
      } else if (ch == ';') {
        Statement s = take();
        if (s != null) {
          done.add(s);
        }
      } else {
        if (ch == '\'' || ch == '"') {
          quote = ch;
        }
        if (!Character.isWhitespace(ch) && current.length() == 0) {
          startLine = line;
        }
        if (current.length() > 0 || !Character.isWhitespace(ch)) {
          current.append(ch);
        }
      }
    }
    if (current.length() > 0) {
      current.append('\n');
    }
    return done;
  }

  /** The statement left without a closing semicolon at the end of the input, or null. */
  Statement finish() {
    return take();
  }

  /** Comment text: kept inside a statement (the parser skips it), dropped before one. */
  private void append(CharSequence s) {
    if (current.length() > 0) {
      current.append(s);
    }
  }

  private void append(char ch) {
    if (current.length() > 0) {
      current.append(ch);
    }
  }

  private Statement take() {
    String sql = current.toString().strip();
    current.setLength(0);
    return sql.isEmpty() ? null : new Statement(sql, startLine);
  }
}
