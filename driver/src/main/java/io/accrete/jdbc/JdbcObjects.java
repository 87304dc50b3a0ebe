package io.accrete.jdbc;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.sql.Types;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.UUID;

/**
 * The values JDBC 4.2 lets callers bind with {@code setObject} and read with {@code getObject(i,
 * Class)} that Avatica does not convert: {@code java.time} values (ORMs such as Hibernate use
 * nothing else) and {@link UUID}s (a VARCHAR column here, PostgreSQL's uuid there). A TIMESTAMP holds UTC: a {@link LocalDateTime} is that wall-clock time in UTC, an
 * {@link Instant} or {@link OffsetDateTime} its instant, whatever the JVM's time zone.
 */
final class JdbcObjects {
  private JdbcObjects() {}

  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  /** Whether binding this value needs {@link #bind}: a {@code java.time} value or a JDBC date/time. */
  static boolean isDateTime(Object value) {
    return value instanceof java.util.Date || value instanceof LocalDate || value instanceof LocalTime
        || value instanceof LocalDateTime || value instanceof Instant || value instanceof OffsetDateTime
        || value instanceof ZonedDateTime || value instanceof OffsetTime;
  }

  /**
   * Binds a date/time value to parameter {@code i} as the parameter's own type: Avatica keeps a
   * value's Java type, so a {@code setDate} on a TIMESTAMP parameter (Hibernate binds a
   * {@code LocalDate} that way) would reach the query as a day number where it expects
   * milliseconds. {@code calendar} is the caller's, for JDBC's own types; null for the connection's.
   */
  static void bind(PreparedStatement ps, int i, Object value, Calendar calendar) throws SQLException {
    Calendar cal = calendar;
    Timestamp ts;
    if (value instanceof Timestamp t) {
      ts = t;
    } else if (value instanceof java.util.Date d) {
      ts = new Timestamp(d.getTime());
    } else {
      cal = Calendar.getInstance(UTC); // java.time values name their own moment or UTC wall clock
      if (value instanceof LocalDate d) {
        ts = new Timestamp(d.toEpochDay() * 86_400_000L);
      } else if (value instanceof LocalTime t) {
        ts = new Timestamp(t.toNanoOfDay() / 1_000_000L);
      } else if (value instanceof OffsetTime t) {
        ts = new Timestamp(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime().toNanoOfDay() / 1_000_000L);
      } else if (value instanceof LocalDateTime dt) {
        ts = timestamp(dt.toInstant(ZoneOffset.UTC));
      } else if (value instanceof Instant t) {
        ts = timestamp(t);
      } else if (value instanceof OffsetDateTime t) {
        ts = timestamp(t.toInstant());
      } else {
        ts = timestamp(((ZonedDateTime) value).toInstant());
      }
    }
    int type = parameterType(ps, i, value);
    if (type == Types.DATE) {
      Date d = new Date(ts.getTime());
      if (cal == null) {
        ps.setDate(i, d);
      } else {
        ps.setDate(i, d, cal);
      }
    } else if (type == Types.TIME || type == Types.TIME_WITH_TIMEZONE) {
      Time t = new Time(ts.getTime());
      if (cal == null) {
        ps.setTime(i, t);
      } else {
        ps.setTime(i, t, cal);
      }
    } else if (cal == null) {
      ps.setTimestamp(i, ts);
    } else {
      ps.setTimestamp(i, ts, cal);
    }
  }

  /** The JDBC type parameter {@code i} was planned with, else the one the value itself names. */
  private static int parameterType(PreparedStatement ps, int i, Object value) throws SQLException {
    int planned = ps.getParameterMetaData().getParameterType(i);
    if (planned == Types.DATE || planned == Types.TIME || planned == Types.TIMESTAMP
        || planned == Types.TIME_WITH_TIMEZONE || planned == Types.TIMESTAMP_WITH_TIMEZONE) {
      return planned;
    }
    return value instanceof Date || value instanceof LocalDate ? Types.DATE
        : value instanceof Time || value instanceof LocalTime || value instanceof OffsetTime ? Types.TIME
        : Types.TIMESTAMP;
  }

  private static Timestamp timestamp(Instant t) {
    Timestamp ts = new Timestamp(t.toEpochMilli());
    ts.setNanos(t.getNano());
    return ts;
  }

  /** Whether {@code getObject(column, type)} of this type needs {@link #read}. */
  static boolean converts(Class<?> type) {
    return type == UUID.class || type == LocalDate.class || type == LocalTime.class || type == LocalDateTime.class || type == Instant.class
        || type == OffsetDateTime.class || type == ZonedDateTime.class || type == OffsetTime.class;
  }

  /** Reads column {@code column} (an index or a label) as a {@code java.time} value, or null. */
  static Object read(ResultSet rs, Object column, Class<?> type) throws SQLException {
    if (type == UUID.class) {
      String text = column instanceof Integer i ? rs.getString(i) : rs.getString((String) column);
      try {
        return text == null ? null : UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        throw new SQLException("invalid input syntax for type uuid: \"" + text + "\"", "22P02", e);
      }
    }
    Calendar utc = Calendar.getInstance(UTC);
    if (type == LocalDate.class) {
      Date d = column instanceof Integer i ? rs.getDate(i, utc) : rs.getDate((String) column, utc);
      return d == null ? null : LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L));
    }
    if (type == LocalTime.class || type == OffsetTime.class) {
      Time t = column instanceof Integer i ? rs.getTime(i, utc) : rs.getTime((String) column, utc);
      if (t == null) {
        return null;
      }
      LocalTime local = LocalTime.ofNanoOfDay(Math.floorMod(t.getTime(), 86_400_000L) * 1_000_000L);
      return type == LocalTime.class ? local : local.atOffset(ZoneOffset.UTC);
    }
    // The text is the value itself; a Timestamp passes through the JVM's calendar, where a wall-clock
    // time its zone skipped (02:30 on the night DST starts) does not exist and moves an hour.
    String text = column instanceof Integer i ? rs.getString(i) : rs.getString((String) column);
    if (text == null) {
      return null;
    }
    Instant instant;
    try {
      instant = LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (java.time.format.DateTimeParseException e) {
      Timestamp ts = column instanceof Integer i ? rs.getTimestamp(i, utc) : rs.getTimestamp((String) column, utc);
      if (ts == null) {
        return null;
      }
      instant = ts.toInstant();
    }
    if (type == Instant.class) {
      return instant;
    }
    if (type == LocalDateTime.class) {
      return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
    OffsetDateTime utcTime = instant.atOffset(ZoneOffset.UTC);
    return type == OffsetDateTime.class ? utcTime : utcTime.toZonedDateTime();
  }

  /**
   * An interval's text in PostgreSQL's style: {@code 1 year 2 mons}, {@code 3 days 04:05:06},
   * {@code -01:30:00}, {@code 00:00:00} for none. Calcite holds a year-month interval as its
   * months and a day-time one as its milliseconds.
   */
  static String intervalText(String typeName, Object value) {
    if (!(value instanceof Number n)) {
      return value == null ? null : value.toString();
    }
    StringBuilder b = new StringBuilder();
    if (typeName.startsWith("INTERVAL_YEAR") || typeName.equals("INTERVAL_MONTH")) {
      long months = n.longValue();
      part(b, months / 12, "year");
      part(b, months % 12, "mon");
      return b.length() == 0 ? "00:00:00" : b.toString();
    }
    long millis = n.longValue();
    long days = millis / 86_400_000L;
    long rest = Math.abs(millis % 86_400_000L);
    part(b, days, "day");
    if (rest != 0 || days == 0) {
      if (b.length() > 0) {
        b.append(' ');
      }
      if (millis < 0 && days == 0) {
        b.append('-');
      }
      b.append(String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", rest / 3_600_000L, rest / 60_000L % 60,
          rest / 1000 % 60));
      if (rest % 1000 != 0) {
        b.append(String.format(java.util.Locale.ROOT, ".%03d", rest % 1000).replaceAll("0+$", ""));
      }
    }
    return b.toString();
  }

  private static void part(StringBuilder b, long count, String unit) {
    if (count != 0) {
      b.append(b.length() > 0 ? " " : "").append(count).append(' ').append(unit).append(Math.abs(count) == 1 ? "" : "s");
    }
  }
}
