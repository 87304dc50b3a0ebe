package io.accrete.edn;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Prints Java values as EDN text that {@link EdnReader} reads back to equal values.
 *
 * <p>{@code null} prints as {@code nil}; strings quoted with {@code \" \\ \n \t \r \f \b} and
 * other control characters as {@code \}{@code uXXXX}; characters as {@code \a}, {@code
 * \newline} and the other names, or {@code \}{@code uXXXX} for control and whitespace
 * characters; {@link Long}, {@link Integer}, {@link Short} and {@link Byte} plainly; {@link
 * BigInteger} with {@code N}; {@link Double} and {@link Float} as Java prints them, with {@code
 * ##Inf}, {@code ##-Inf} and {@code ##NaN}; {@link BigDecimal} with {@code M}; keywords and
 * symbols as themselves; {@link EdnList} as {@code (a b)}, any other {@link List} as {@code [a
 * b]}; a {@link Map} as {@code {k v k v}} and a {@link Set} as {@code #{a b}}, both in iteration
 * order; {@link Date} and {@link Instant} as {@code #inst "1954-08-16T00:00:00.000Z"} (UTC,
 * milliseconds); {@link UUID} as {@code #uuid}; {@link URI} as {@code #uri}; {@code byte[]} as
 * {@code #bytes} and Base64; {@link TaggedValue} as {@code #tag value}; an {@link EdnPrintable}
 * as it chooses. Anything else is an IllegalArgumentException naming the class.
 *
 * <p>A Float reads back as a Double, an Integer, Short or Byte as a Long, and an Instant as a
 * Date; everything else reads back as an equal value of the same kind.
 */
public final class EdnPrinter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private EdnPrinter() {}

  /** The EDN text of a value. */
  public static String print(Object value) {
    StringBuilder out = new StringBuilder();
    print(value, out);
    return out.toString();
  }

  /**
   * Appends the EDN text of a value.
   *
   * @throws IllegalArgumentException if the value, or a value inside it, has no EDN form
   */
  public static void print(Object value, StringBuilder out) {
    // Final types first: they are the common case and cannot also be EdnPrintable.
    if (value == null) {
      out.append("nil");
    } else if (value instanceof String s) {
      printString(s, out);
    } else if (value instanceof Keyword k) {
      out.append(':').append(k.fullName());
    } else if (value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte) {
      out.append(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Symbol) {
      out.append(value);
    } else if (value instanceof Double d) {
      printDouble(d, out);
    } else if (value instanceof EdnPrintable p) {
      p.printEdn(out);
    } else if (value instanceof List<?> list) {
      boolean isList = list instanceof EdnList;
      printElements(list.iterator(), isList ? "(" : "[", isList ? ')' : ']', out);
    } else if (value instanceof Map<?, ?> map) {
      printMap(map, out);
    } else if (value instanceof Set<?> set) {
      printElements(set.iterator(), "#{", '}', out);
    } else {
      printOther(value, out);
    }
  }

  private static void printOther(Object value, StringBuilder out) {
    if (value instanceof Date d) {
      out.append("#inst ");
      Timestamps.format(d.getTime(), out);
    } else if (value instanceof Instant i) {
      out.append("#inst ");
      Timestamps.format(i.getEpochSecond(), i.getNano() / 1_000_000, out);
    } else if (value instanceof UUID) {
      out.append("#uuid \"").append(value).append('"');
    } else if (value instanceof java.util.regex.Pattern p) {
      out.append("#\"").append(p.pattern()).append('"'); // read back by EdnReader's #"…"
    } else if (value instanceof Character c) {
      printCharacter(c, out);
    } else if (value instanceof BigInteger) {
      out.append(value).append('N');
    } else if (value instanceof BigDecimal) {
      out.append(value).append('M');
    } else if (value instanceof Float f) {
      printFloat(f, out);
    } else if (value instanceof TaggedValue t) {
      out.append('#').append(t.tag()).append(' ');
      print(t.value(), out);
    } else if (value instanceof URI) {
      out.append("#uri ");
      printString(value.toString(), out);
    } else if (value instanceof byte[] bytes) {
      out.append("#bytes \"").append(Base64.getEncoder().encodeToString(bytes)).append('"');
    } else {
      throw new IllegalArgumentException(
          "Cannot print a " + value.getClass().getName() + " as EDN: " + value);
    }
  }

  private static void printElements(Iterator<?> it, String open, char close, StringBuilder out) {
    out.append(open);
    if (it.hasNext()) {
      print(it.next(), out);
      while (it.hasNext()) {
        out.append(' ');
        print(it.next(), out);
      }
    }
    out.append(close);
  }

  private static void printMap(Map<?, ?> map, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      print(e.getKey(), out);
      out.append(' ');
      print(e.getValue(), out);
    }
    out.append('}');
  }

  private static void printString(String s, StringBuilder out) {
    out.append('"');
    int run = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= ' ' && c != '"' && c != '\\' && (c < 0x7f || c > 0x9f)) {
        continue;
      }
      out.append(s, run, i);
      run = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        case '\f' -> out.append("\\f");
        case '\b' -> out.append("\\b");
        default -> unicodeEscape(c, out);
      }
    }
    out.append(s, run, n).append('"');
  }

  private static void printCharacter(char c, StringBuilder out) {
    switch (c) {
      case '\n' -> out.append("\\newline");
      case ' ' -> out.append("\\space");
      case '\t' -> out.append("\\tab");
      case '\r' -> out.append("\\return");
      case '\f' -> out.append("\\formfeed");
      case '\b' -> out.append("\\backspace");
      default -> {
        // Characters a reader would take for a delimiter or could not see get a code.
        if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
            || Character.isSurrogate(c) || c == '\uFEFF') {
          unicodeEscape(c, out);
        } else {
          out.append('\\').append(c);
        }
      }
    }
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[c >> 12])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  private static void printDouble(double d, StringBuilder out) {
    if (Double.isNaN(d)) {
      out.append("##NaN");
    } else if (Double.isInfinite(d)) {
      out.append(d > 0 ? "##Inf" : "##-Inf");
    } else {
      out.append(d);
    }
  }

  private static void printFloat(float f, StringBuilder out) {
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      printDouble(f, out);
    } else {
      out.append(f);
    }
  }
}
