package io.accrete.query;

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

/** Renders query results the way conformance/README.md specifies, to compare with Datomic's. */
final class Render {
  private Render() {}

  static String result(Object result, String findKind) {
    switch (findKind) {
      case "scalar":
        return value(result, false);
      case "tuple":
        return result == null ? "nil" : vector((List<?>) result, false);
      case "collection": {
        List<String> items = new ArrayList<>();
        for (Object o : (Collection<?>) result) {
          items.add(value(o, false));
        }
        items.sort(null);
        return "[" + String.join(" ", items) + "]";
      }
      default: {
        List<String> rows = new ArrayList<>();
        for (Object row : (Collection<?>) result) {
          rows.add(row instanceof Map<?, ?> m ? map(m) : vector((List<?>) row, false));
        }
        rows.sort(null);
        return "[" + String.join(" ", rows) + "]";
      }
    }
  }

  static String vector(List<?> l, boolean sorted) {
    List<String> items = new ArrayList<>();
    for (Object o : l) {
      items.add(value(o, sorted));
    }
    if (sorted) {
      items.sort(null);
    }
    return "[" + String.join(" ", items) + "]";
  }

  static String map(Map<?, ?> m) {
    List<String[]> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      entries.add(new String[] {value(e.getKey(), true), value(e.getValue(), true)});
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

  /** One value; {@code inMap} sorts vectors, as pull results inside maps are rendered. */
  static String value(Object o, boolean inMap) {
    if (o == null) {
      return "nil";
    }
    if (o instanceof String s) {
      StringBuilder sb = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
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
    if (o instanceof Keyword || o instanceof Symbol || o instanceof Boolean || o instanceof Long
        || o instanceof Integer) {
      return o.toString();
    }
    if (o instanceof Double d) {
      return Double.toString(d);
    }
    if (o instanceof Date d) {
      SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
      f.setTimeZone(TimeZone.getTimeZone("UTC"));
      return "#inst \"" + f.format(d) + "\"";
    }
    if (o instanceof Map<?, ?> m) {
      return map(m);
    }
    if (o instanceof Set<?> s) {
      List<String> items = new ArrayList<>();
      for (Object x : s) {
        items.add(value(x, inMap));
      }
      items.sort(null);
      return "#{" + String.join(" ", items) + "}";
    }
    if (o instanceof List<?> l) {
      return vector(l, inMap);
    }
    return o.toString();
  }
}
