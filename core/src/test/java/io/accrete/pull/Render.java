package io.accrete.pull;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

/**
 * Renders values the way conformance/README.md says the expected files do: map entries sorted
 * by rendered key, vectors inside maps sorted (card-many values have no portable order), sets
 * sorted, instants in UTC with milliseconds.
 */
final class Render {
  private Render() {}

  /** A value at top level: vectors keep their order. */
  static String value(Object v) {
    return render(v, false);
  }

  private static String render(Object v, boolean inMap) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof String s) {
      return string(s);
    }
    if (v instanceof Keyword || v instanceof Symbol || v instanceof Boolean || v instanceof Long
        || v instanceof Integer || v instanceof Double) {
      return v.toString();
    }
    if (v instanceof Date d) {
      SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
      f.setTimeZone(TimeZone.getTimeZone("UTC"));
      return "#inst \"" + f.format(d) + "\"";
    }
    if (v instanceof Map<?, ?> m) {
      List<String[]> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        entries.add(new String[] {render(e.getKey(), true), render(e.getValue(), true)});
      }
      entries.sort((a, b) -> a[0].compareTo(b[0]));
      StringBuilder sb = new StringBuilder("{");
      for (String[] e : entries) {
        if (sb.length() > 1) {
          sb.append(' ');
        }
        sb.append(e[0]).append(' ').append(e[1]);
      }
      return sb.append('}').toString();
    }
    if (v instanceof Set<?> s) {
      return "#{" + join(s, true, true) + "}";
    }
    if (v instanceof List<?> l) {
      return "[" + join(l, inMap, true) + "]";
    }
    throw new IllegalArgumentException("cannot render " + v.getClass() + ": " + v);
  }

  private static String join(Collection<?> xs, boolean sorted, boolean inMap) {
    List<String> parts = new ArrayList<>();
    for (Object x : xs) {
      parts.add(render(x, inMap));
    }
    if (sorted) {
      parts.sort(String::compareTo);
    }
    return String.join(" ", parts);
  }

  private static String string(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\f' -> sb.append("\\f");
        case '\b' -> sb.append("\\b");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
