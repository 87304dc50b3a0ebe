package io.accrete.sql;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;

/**
 * PostgreSQL's scalar functions that Calcite's PostgreSQL library lacks: {@code btrim},
 * {@code reverse}, {@code trunc} and {@code make_date}. Public only for Calcite's generated
 * code.
 */
public final class PostgresScalars {
  private PostgresScalars() {}

  /** {name, method} of each function, for the schema to register. */
  static List<Object[]> functions() {
    try {
      return List.of(
          new Object[] {"btrim", PostgresScalars.class.getMethod("btrim", String.class)},
          new Object[] {"btrim", PostgresScalars.class.getMethod("btrim", String.class, String.class)},
          new Object[] {"reverse", PostgresScalars.class.getMethod("reverse", String.class)},
          new Object[] {"trunc", PostgresScalars.class.getMethod("trunc", BigDecimal.class)},
          new Object[] {"trunc", PostgresScalars.class.getMethod("trunc", BigDecimal.class, int.class)},
          new Object[] {"make_date", PostgresScalars.class.getMethod("makeDate", int.class, int.class, int.class)});
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("PostgresScalars lost a method", e);
    }
  }

  /** The text without leading and trailing spaces. */
  public static String btrim(String text) {
    return btrim(text, " ");
  }

  /** The text without leading and trailing characters of {@code characters}. */
  public static String btrim(String text, String characters) {
    if (text == null || characters == null) {
      return null;
    }
    int start = 0;
    int end = text.length();
    while (start < end && characters.indexOf(text.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && characters.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(start, end);
  }

  /** The text's characters in reverse order. */
  public static String reverse(String text) {
    return text == null ? null : new StringBuilder(text).reverse().toString();
  }

  /** The number without its fraction, toward zero. */
  public static BigDecimal trunc(BigDecimal x) {
    return trunc(x, 0);
  }

  /** The number cut (toward zero) to {@code places} decimal places; a negative count cuts digits left of the point. */
  public static BigDecimal trunc(BigDecimal x, int places) {
    if (x == null) {
      return null;
    }
    BigDecimal cut = x.setScale(places, RoundingMode.DOWN);
    return places < 0 ? cut.setScale(0, RoundingMode.UNNECESSARY) : cut;
  }

  /** The date of a year, month and day; 22008 when there is none. */
  public static java.sql.Date makeDate(int year, int month, int day) {
    try {
      return java.sql.Date.valueOf(LocalDate.of(year, month, day)); // local midnight: Calcite reads it in this zone
    } catch (DateTimeException e) {
      throw new AccreteSqlException("22008", "date field value out of range: " + year + "-" + month + "-" + day);
    }
  }
}
