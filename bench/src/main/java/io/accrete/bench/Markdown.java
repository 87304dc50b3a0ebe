package io.accrete.bench;

import java.util.Locale;

/** A markdown table built row by row, and the number formats {@link StorageBench}'s tables use. */
final class Markdown {
  private final StringBuilder sb = new StringBuilder();

  /** A table with these column headers; every column after the first is right-aligned. */
  Markdown(String... headers) {
    row((Object[]) headers);
    sb.append("| --- |");
    sb.append(" ---: |".repeat(headers.length - 1));
    sb.append('\n');
  }

  /** Adds a row; cells are printed with {@code toString}. */
  Markdown row(Object... cells) {
    sb.append('|');
    for (Object c : cells) {
      sb.append(' ').append(c).append(" |");
    }
    sb.append('\n');
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  /** Three significant digits or more, with thousands separators: 76,197, 243, 13.9, 2.61; "–" for NaN. */
  static String num(double x) {
    if (Double.isNaN(x)) {
      return "–";
    }
    double a = Math.abs(x);
    String f = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, f, x);
  }

  /** A count with thousands separators: 1,000,002. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A ratio as {@code 2.40×}; "–" when either side is missing. */
  static String ratio(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "–" : num(a / b) + "×";
  }

  /** Bytes as MiB with one decimal. */
  static String mib(long bytes) {
    return bytes < 0 ? "–" : String.format(Locale.ROOT, "%,.1f MiB", bytes / 1048576.0);
  }
}
