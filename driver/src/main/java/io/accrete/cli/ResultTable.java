package io.accrete.cli;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prints a result set as psql does: an aligned table with a header, numbers to the right and
 * a row count, or CSV (RFC 4180, a header line, NULL as an empty field) for other programs.
 * The rows are read before printing, to size the columns.
 */
final class ResultTable {
  private static final Set<Integer> NUMBERS = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT,
      Types.DECIMAL, Types.NUMERIC, Types.REAL, Types.FLOAT, Types.DOUBLE);

  private ResultTable() {}

  /** Prints {@code rs} (and closes it): aligned, or CSV when {@code csv}. */
  static void print(ResultSet rs, boolean csv, PrintStream out) throws SQLException {
    try (rs) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String[]> rows = new ArrayList<>();
      String[] header = new String[n];
      for (int i = 0; i < n; i++) {
        header[i] = md.getColumnLabel(i + 1);
      }
      while (rs.next()) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.add(row);
      }
      if (csv) {
        csv(header, rows, out);
      } else {
        boolean[] right = new boolean[n];
        for (int i = 0; i < n; i++) {
          right[i] = NUMBERS.contains(md.getColumnType(i + 1));
        }
        aligned(header, right, rows, out);
      }
    }
  }

  private static void csv(String[] header, List<String[]> rows, PrintStream out) {
    out.println(csvLine(header));
    for (String[] row : rows) {
      out.println(csvLine(row));
    }
  }

  private static String csvLine(String[] fields) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i] == null ? "" : fields[i];
      if (i > 0) {
        b.append(',');
      }
      boolean quote = f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r");
      b.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
    }
    return b.toString();
  }

  /** A multi-line value (an EXPLAIN plan) takes several lines of its row; NULL prints as nothing. */
  private static void aligned(String[] header, boolean[] right, List<String[]> rows, PrintStream out) {
    int n = header.length;
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = header[i].length();
    }
    for (String[] row : rows) {
      for (int i = 0; i < n; i++) {
        for (String l : lines(row[i])) {
          width[i] = Math.max(width[i], l.length());
        }
      }
    }
    StringBuilder head = new StringBuilder();
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int pad = width[i] - header[i].length();
      head.append(i > 0 ? "|" : "").append(' ').append(" ".repeat(pad / 2)).append(header[i])
          .append(" ".repeat(pad - pad / 2)).append(' ');
      rule.append(i > 0 ? "+" : "").append("-".repeat(width[i] + 2));
    }
    out.println(head.toString().stripTrailing());
    out.println(rule);
    for (String[] row : rows) {
      String[][] cells = new String[n][];
      int height = 1;
      for (int i = 0; i < n; i++) {
        cells[i] = lines(row[i]);
        height = Math.max(height, cells[i].length);
      }
      for (int h = 0; h < height; h++) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
          String v = h < cells[i].length ? cells[i][h] : "";
          String pad = " ".repeat(width[i] - v.length());
          b.append(i > 0 ? "|" : "").append(' ').append(right[i] ? pad + v : v + pad).append(' ');
        }
        out.println(b.toString().stripTrailing());
      }
    }
    out.println(rows.size() == 1 ? "(1 row)" : "(" + rows.size() + " rows)");
    out.println();
  }

  private static String[] lines(String value) {
    return value == null ? new String[] {""} : value.split("\r?\n", -1);
  }
}
