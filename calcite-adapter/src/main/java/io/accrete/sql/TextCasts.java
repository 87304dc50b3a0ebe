package io.accrete.sql;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text cast to BOOLEAN, DATE and TIMESTAMP with PostgreSQL's input rules and errors, where
 * Calcite's refused {@code 't'::bool} and {@code '2024-01-02 03:04'::timestamp} and failed with
 * internal errors: booleans as {@code t}/{@code true}/{@code yes}/{@code on}/{@code 1} (and
 * unambiguous prefixes, any case), dates and timestamps in ISO form with or without seconds or
 * time, {@code T} or a space between, an optional fraction and UTC offset (a timestamp with an
 * offset is taken at that offset and shown in UTC, as Accrete's instants are). Bad text is 22P02
 * (boolean) or 22007 (date, timestamp); fields out of range are 22008. Public only for Calcite's
 * generated code.
 */
public final class TextCasts {
  private TextCasts() {}

  private static final Pattern DATE_TIME = Pattern.compile(
      "(\\d{4,})-(\\d{1,2})-(\\d{1,2})(?:(?:[ T]+)(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
          + "\\s*(Z|[+-]\\d{1,2}(?::?\\d{2})?)?", Pattern.CASE_INSENSITIVE);

  /**
   * PostgreSQL's boolean input.
   *
   * @param text the text, or null
   * @return the boolean, or null for null
   */
  public static Boolean toBoolean(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (!t.isEmpty()) {
      if ("true".startsWith(t) || "yes".startsWith(t) || t.equals("on") || t.equals("1")) {
        return true;
      }
      if ("false".startsWith(t) || "no".startsWith(t) || t.equals("off") || t.equals("of") || t.equals("0")) {
        return false;
      }
    }
    throw new AccreteSqlException("22P02", "invalid input syntax for type boolean: \"" + text + "\"");
  }

  /**
   * PostgreSQL's date input, as Calcite's DATE value: days since 1970-01-01.
   *
   * @param text the text, or null
   * @return the day number, or null for null
   */
  public static Integer toDate(String text) {
    if (text == null) {
      return null;
    }
    return (int) dateTime(text, "date").toLocalDate().toEpochDay();
  }

  /**
   * PostgreSQL's timestamp input, as Calcite's TIMESTAMP value: milliseconds since the epoch, UTC.
   *
   * @param text the text, or null
   * @return the milliseconds, or null for null
   */
  public static Long toTimestamp(String text) {
    if (text == null) {
      return null;
    }
    return dateTime(text, "timestamp").toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static LocalDateTime dateTime(String text, String type) {
    Matcher m = DATE_TIME.matcher(text.strip());
    if (!m.matches()) {
      throw new AccreteSqlException("22007", "invalid input syntax for type " + type + ": \"" + text + "\"");
    }
    try {
      LocalDate day = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)));
      if (m.group(4) == null) {
        return day.atStartOfDay();
      }
      int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
      LocalDateTime at = day.atTime(LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos));
      return m.group(8) == null ? at : at.atOffset(offset(m.group(8))).withOffsetSameInstant(ZoneOffset.UTC)
          .toLocalDateTime();
    } catch (DateTimeException | NumberFormatException e) {
      throw new AccreteSqlException("22008", "date/time field value out of range: \"" + text + "\"");
    }
  }

  private static ZoneOffset offset(String text) {
    if (text.equalsIgnoreCase("z")) {
      return ZoneOffset.UTC;
    }
    String digits = text.substring(1).replace(":", "");
    int hours = Integer.parseInt(digits.length() <= 2 ? digits : digits.substring(0, digits.length() - 2));
    int minutes = digits.length() <= 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
    int sign = text.charAt(0) == '-' ? -1 : 1;
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }
}
