package io.accrete.edn;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Date;

/**
 * Reads and writes {@code #inst} timestamps. Reading accepts what Clojure's reader accepts: RFC
 * 3339 with {@code Z} or a numeric offset and a fraction of any length (truncated to
 * milliseconds), and the partial forms {@code 2020}, {@code 2020-01}, {@code 2020-01-01},
 * {@code 2020-01-01T10}, {@code 2020-01-01T10:00}, each optionally with an offset (UTC when
 * absent). Hand-written rather than java.time parsing because java.time has no format that
 * accepts all those shapes, and this runs once per timestamp in large files.
 */
final class Timestamps {
  private Timestamps() {}

  /** Parses a timestamp; throws IllegalArgumentException saying what is wrong. */
  static Date parse(String s) {
    Cursor c = new Cursor(s);
    int year = c.digits(4, "year");
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
    if (c.take('-')) {
      month = c.digits(2, "month");
      if (c.take('-')) {
        day = c.digits(2, "day");
        if (c.take('T') || c.take('t')) {
          hour = c.digits(2, "hour");
          if (c.take(':')) {
            minute = c.digits(2, "minute");
            if (c.take(':')) {
              second = c.digits(2, "second");
              if (c.take('.')) {
                millis = c.fractionMillis();
              }
            }
          }
        }
      }
    }
    int offsetMinutes = 0;
    if (!(c.take('Z') || c.take('z'))) {
      int sign = c.take('+') ? 1 : c.take('-') ? -1 : 0;
      if (sign != 0) {
        int offsetHours = c.digits(2, "offset hours");
        c.expect(':');
        int offsetMins = c.digits(2, "offset minutes");
        check(offsetHours, 0, 23, "offset hours");
        check(offsetMins, 0, 59, "offset minutes");
        offsetMinutes = sign * (offsetHours * 60 + offsetMins);
      }
    }
    c.end();
    check(month, 1, 12, "month");
    check(hour, 0, 23, "hour");
    check(minute, 0, 59, "minute");
    // Like Clojure: a leap second is allowed in the last minute of an hour.
    check(second, 0, minute == 59 ? 60 : 59, "second");
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "day " + day + " is out of range for " + year + "-" + pad2(month));
    }
    long epochSecond =
        epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetMinutes * 60L;
    return new Date(epochSecond * 1000 + millis);
  }

  private static void check(int value, int min, int max, String field) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " " + value + " is out of range");
    }
  }

  private static String pad2(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  /**
   * Appends {@code "yyyy-MM-ddTHH:mm:ss.SSSZ"} (in quotes, UTC) for epoch milliseconds. Years
   * outside 0–9999 print with as many digits as they need (and a sign when negative).
   */
  static void format(long epochMillis, StringBuilder out) {
    format(Math.floorDiv(epochMillis, 1000), Math.floorMod(epochMillis, 1000), out);
  }

  /** As {@link #format(long, StringBuilder)}, for a second and a millisecond within it. */
  static void format(long epochSecond, int millis, StringBuilder out) {
    long epochDay = Math.floorDiv(epochSecond, 86_400);
    int secondOfDay = Math.floorMod(epochSecond, 86_400);
    LocalDate date = LocalDate.ofEpochDay(epochDay);
    int year = date.getYear();
    out.append('"');
    if (year >= 0 && year < 10_000) {
      pad(out, year, 4);
    } else {
      out.append(year);
    }
    out.append('-');
    pad(out, date.getMonthValue(), 2);
    out.append('-');
    pad(out, date.getDayOfMonth(), 2);
    out.append('T');
    pad(out, secondOfDay / 3600, 2);
    out.append(':');
    pad(out, secondOfDay / 60 % 60, 2);
    out.append(':');
    pad(out, secondOfDay % 60, 2);
    out.append('.');
    pad(out, millis, 3);
    out.append("Z\"");
  }

  private static void pad(StringBuilder out, int value, int width) {
    for (int limit = 10, w = 1; w < width; w++, limit *= 10) {
      if (value < limit) {
        out.append('0');
      }
    }
    out.append(value);
  }

  /** A position in the timestamp text, with the small steps the grammar needs. */
  private static final class Cursor {
    private final String s;
    private int i;

    Cursor(String s) {
      this.s = s;
    }

    boolean take(char ch) {
      if (i < s.length() && s.charAt(i) == ch) {
        i++;
        return true;
      }
      return false;
    }

    void expect(char ch) {
      if (!take(ch)) {
        throw new IllegalArgumentException(
            "expected '" + ch + "' at character " + (i + 1) + ", not an RFC 3339 timestamp");
      }
    }

    int digits(int count, String field) {
      int value = 0;
      for (int k = 0; k < count; k++, i++) {
        char ch = i < s.length() ? s.charAt(i) : 0;
        if (ch < '0' || ch > '9') {
          throw new IllegalArgumentException(
              "expected " + count + " digits of " + field + " at character " + (i + 1 - k)
                  + ", not an RFC 3339 timestamp");
        }
        value = value * 10 + (ch - '0');
      }
      return value;
    }

    /** Reads one or more fraction digits, keeping the first three as milliseconds. */
    int fractionMillis() {
      int start = i;
      int millis = 0;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i - start < 3) {
          millis = millis * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int n = i - start;
      if (n == 0) {
        throw new IllegalArgumentException(
            "expected digits of the fraction of a second at character " + (i + 1)
                + ", not an RFC 3339 timestamp");
      }
      for (; n < 3; n++) {
        millis *= 10;
      }
      return millis;
    }

    void end() {
      if (i != s.length()) {
        throw new IllegalArgumentException(
            "unexpected '" + s.charAt(i) + "' at character " + (i + 1)
                + ", not an RFC 3339 timestamp");
      }
    }
  }
}
