package io.accrete.sql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one rule that turns attribute names into SQL names.
 *
 * <p>A keyword part (namespace or name) is lower-cased; every character other than {@code a-z}
 * and {@code 0-9} becomes {@code _}; runs of {@code _} shrink to one and leading or trailing
 * ones are dropped; a result that is empty or starts with a digit gets a leading {@code _}. So
 * {@code :order.line/unit-price} is table {@code order_line}, column {@code unit_price}. A double
 * underscore never comes out of the rule: it marks the names Accrete adds ({@code db__id},
 * {@code <column>__ident}, {@code <table>__history}, {@code db__attrs}). When two attributes
 * come out the same, the one installed first keeps the name and the others get {@code _2},
 * {@code _3}, … in installation order.
 */
public final class SqlNames {
  private SqlNames() {}

  /** The SQL form of one keyword part. */
  public static String of(String part) {
    StringBuilder out = new StringBuilder(part.length());
    for (char c : part.toLowerCase(Locale.ROOT).toCharArray()) {
      boolean plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      char x = plain ? c : '_';
      if (x == '_' && (out.length() == 0 || out.charAt(out.length() - 1) == '_')) {
        continue;
      }
      out.append(x);
    }
    if (out.length() > 0 && out.charAt(out.length() - 1) == '_') {
      out.setLength(out.length() - 1);
    }
    if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString();
  }

  /** Hands out names, suffixing repeats with {@code _2}, {@code _3}, … in the order asked. */
  static final class Unique {
    private final Map<String, Integer> seen = new HashMap<>();

    Unique reserve(String name) {
      seen.putIfAbsent(name, 1);
      return this;
    }

    String claim(String name) {
      Integer n = seen.get(name);
      if (n == null) {
        seen.put(name, 1);
        return name;
      }
      while (true) {
        n++;
        String candidate = name + "_" + n;
        if (!seen.containsKey(candidate)) {
          seen.put(name, n);
          seen.put(candidate, 1);
          return candidate;
        }
      }
    }
  }
}
