package io.accrete.sql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** SQL literals for values as Calcite holds them, for queries Accrete writes itself (RETURNING). */
final class SqlLiterals {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private SqlLiterals() {}

  /** The literal of a SQL internal value of a column of {@code type} (a TIMESTAMP holds millis, a DATE days). */
  static String of(Object v, String type) {
    if (v instanceof Long millis && type.startsWith("TIMESTAMP")) {
      return of(new java.util.Date(millis));
    }
    if (v instanceof Integer days && type.equals("DATE")) {
      return "DATE '" + java.time.LocalDate.ofEpochDay(days) + "'";
    }
    if (v instanceof Integer millis && type.startsWith("TIME")) {
      return "TIME '" + java.time.LocalTime.ofNanoOfDay(millis * 1_000_000L) + "'";
    }
    return of(v);
  }

  /** The literal of a value. */
  static String of(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof String s) {
      return "'" + s.replace("'", "''") + "'";
    }
    if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? Double.toString(d) : "NULL";
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Number n) {
      return String.valueOf(n.longValue());
    }
    if (v instanceof java.util.Date d) {
      return "TIMESTAMP '" + TIMESTAMP.format(Instant.ofEpochMilli(d.getTime())) + "'";
    }
    if (v instanceof org.apache.calcite.avatica.util.ByteString b) {
      return "X'" + b.toString() + "'";
    }
    return "'" + v.toString().replace("'", "''") + "'";
  }
}
