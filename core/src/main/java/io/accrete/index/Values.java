package io.accrete.index;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The total order, equality and hashing of datom values.
 *
 * <p>Inside one type values compare naturally (strings by UTF-16 code units, byte arrays
 * unsigned lexicographically, tuples element by element with nil first). Across types the
 * order is by type rank: nil, booleans, numbers, instants, strings, keywords, symbols, UUIDs,
 * URIs, byte arrays, tuples, anything else. Numbers of different Java types compare by
 * numeric value and, when equal, by type, so the order stays consistent with equality
 * ({@code 1} and {@code 1.0} are different values). {@link #MIN} and {@link #MAX} sort below
 * and above every value; index seeks use them as open bounds.
 */
public final class Values {
  private Values() {}

  /** A bound used for open ends of index ranges; never stored. */
  public static final class Bound {
    private final String name;

    private Bound(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Sorts below every value. */
  public static final Bound MIN = new Bound("MIN");
  /** Sorts above every value. */
  public static final Bound MAX = new Bound("MAX");

  /** Compares two values in the total order described above. */
  public static int compare(Object x, Object y) {
    if (x == y) {
      return 0;
    }
    // The bounds first, by identity: a seek key's MIN or MAX is then compared without reading
    // the other value's object, which in a large index is a cache miss per comparison (lookups
    // by entity and attribute descend with such keys).
    if (x == MIN || y == MAX) {
      return -1;
    }
    if (x == MAX || y == MIN) {
      return 1;
    }
    // Fast paths for the common same-class cases.
    if (x instanceof Long lx && y instanceof Long ly) {
      return Long.compare(lx, ly);
    }
    if (x instanceof String sx && y instanceof String sy) {
      return sx.compareTo(sy);
    }
    int rx = rank(x);
    int ry = rank(y);
    if (rx != ry) {
      return rx < ry ? -1 : 1;
    }
    switch (rx) {
      case 0:
        return 0;
      case 1:
        return Boolean.compare((Boolean) x, (Boolean) y);
      case 2:
        return compareNumbers((Number) x, (Number) y);
      case 3:
        return Long.compare(((Date) x).getTime(), ((Date) y).getTime());
      case 4:
        return ((String) x).compareTo((String) y);
      case 5:
        return ((Keyword) x).compareTo((Keyword) y);
      case 6:
        return ((Symbol) x).compareTo((Symbol) y);
      case 7:
        return ((UUID) x).compareTo((UUID) y);
      case 8:
        return ((URI) x).compareTo((URI) y);
      case 9:
        return Arrays.compareUnsigned((byte[]) x, (byte[]) y);
      case 10:
        return compareTuples((List<?>) x, (List<?>) y);
      default:
        int c = x.getClass().getName().compareTo(y.getClass().getName());
        if (c != 0) {
          return c;
        }
        if (x instanceof Comparable) {
          @SuppressWarnings("unchecked")
          Comparable<Object> cx = (Comparable<Object>) x;
          return cx.compareTo(y);
        }
        return x.toString().compareTo(y.toString());
    }
  }

  /**
   * A long that orders as the value does, coarsely: {@code prefix(x) < prefix(y)} implies
   * {@code compare(x, y) < 0}; equal prefixes say nothing unless both values are
   * {@link #prefixIsExact exact}. Sorted sets keep it beside each datom so most comparisons
   * touch only an array of longs, not the value objects behind it. The type rank takes the top
   * five bits; below them a monotone digest of the value: a number's double, an instant's
   * millis, the start of a string (or of a keyword's namespace, else its name) in an
   * order-preserving code of 9 bits per ASCII char and 18 per other char.
   */
  public static long prefix(Object v) {
    if (v instanceof Long l) {
      return (2L << 58) | (sortable((double) l) >>> 6);
    }
    if (v instanceof String s) {
      return (4L << 58) | code(s, 58);
    }
    if (v == MIN) {
      return Long.MIN_VALUE;
    }
    if (v == MAX) {
      return Long.MAX_VALUE;
    }
    int r = rank(v);
    long digest = switch (r) {
      case 1 -> ((Boolean) v) ? 1 : 0;
      case 2 -> sortable(((Number) v).doubleValue()) >>> 6;
      case 3 -> instant(((Date) v).getTime());
      case 5 -> {
        Keyword k = (Keyword) v;
        // Plain keywords sort before namespaced ones, namespaced ones by namespace first.
        yield k.namespace() == null ? code(k.name(), 57) : (1L << 57) | code(k.namespace(), 57);
      }
      case 7 -> (((UUID) v).getMostSignificantBits() ^ Long.MIN_VALUE) >>> 6;
      default -> 0;
    };
    return ((long) r << 58) | digest;
  }

  /**
   * True when {@link #prefix} holds all of {@code v}: two exact values with equal prefixes are
   * equal. Longs of magnitude below 2^45, booleans, nil, instants within ±2^56 ms, and strings
   * and plain keywords whose code fits (six ASCII chars).
   */
  public static boolean prefixIsExact(Object v) {
    if (v instanceof Long l) {
      return l > -(1L << 45) && l < (1L << 45);
    }
    if (v instanceof String s) {
      return fits(s, 58);
    }
    if (v instanceof Keyword k) {
      return k.namespace() == null && fits(k.name(), 57);
    }
    if (v instanceof Date d) {
      long t = d.getTime();
      return t > -(1L << 56) && t < (1L << 56) - 1;
    }
    return v == null || v instanceof Boolean;
  }

  /** A double's bits as an unsigned-sortable long; -0.0 as 0.0, whose order against integers is by type. */
  private static long sortable(double d) {
    long bits = Double.doubleToLongBits(d == 0 ? 0.0 : d);
    return bits < 0 ? ~bits : bits | Long.MIN_VALUE;
  }

  /** Millis shifted into 57 bits, clamped at the ends (monotone; exact in between). */
  private static long instant(long millis) {
    long lo = -(1L << 56);
    long hi = (1L << 56) - 1;
    return (Math.max(lo, Math.min(hi, millis)) - lo);
  }

  /**
   * Bits {@code [from, from + bits)} of an order-preserving code of {@code s}: each ASCII char
   * as 10 + 7 bits, any other char as 11 + 16 bits, and the end as 0 (zeros after it). Every
   * char sorts above the end, so comparing codes compares strings, a shorter one first.
   */
  private static long code(String s, int from, int bits) {
    long out = 0;
    int pos = 0; // bit position of the next char's code in the whole code
    int end = from + bits;
    for (int i = 0; i < s.length() && pos < end; i++) {
      char c = s.charAt(i);
      int w = c < 0x80 ? 9 : 18;
      long piece = c < 0x80 ? (0b10L << 7) | c : (0b11L << 16) | c;
      int lo = Math.max(pos, from);
      int hi = Math.min(pos + w, end);
      if (lo < hi) {
        // The piece's bits [lo - pos, hi - pos), placed at [lo - from, hi - from) of the result.
        long bitsOf = (piece >>> (pos + w - hi)) & ((1L << (hi - lo)) - 1);
        out |= bitsOf << (end - hi);
      }
      pos += w;
    }
    return out;
  }

  private static long code(String s, int bits) {
    return code(s, 0, bits);
  }

  /** True when the whole code of {@code s}, its end included, fits in {@code bits}. */
  private static boolean fits(String s, int bits) {
    int used = 0;
    for (int i = 0; i < s.length(); i++) {
      used += s.charAt(i) < 0x80 ? 9 : 18;
      if (used >= bits) {
        return false;
      }
    }
    return true;
  }

  /**
   * For a string {@link #prefixIsExact not exact}: the next 58 bits of its code after those in
   * its prefix, to compare when two prefixes tie; {@code none} for anything else.
   */
  public static long prefixContinuation(Object v, long none) {
    return v instanceof String s && !fits(s, 58) ? code(s, 58, 58) : none;
  }

  /** The rank of a value's type in the cross-type order. */
  static int rank(Object v) {
    if (v == null) {
      return 0;
    } else if (v instanceof Boolean) {
      return 1;
    } else if (v instanceof Number) {
      return 2;
    } else if (v instanceof Date) {
      return 3;
    } else if (v instanceof String) {
      return 4;
    } else if (v instanceof Keyword) {
      return 5;
    } else if (v instanceof Symbol) {
      return 6;
    } else if (v instanceof UUID) {
      return 7;
    } else if (v instanceof URI) {
      return 8;
    } else if (v instanceof byte[]) {
      return 9;
    } else if (v instanceof List) {
      return 10;
    }
    return 11;
  }

  private static int numberRank(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return 0;
    } else if (n instanceof Double) {
      return 1;
    } else if (n instanceof Float) {
      return 2;
    } else if (n instanceof BigInteger) {
      return 3;
    } else if (n instanceof BigDecimal) {
      return 4;
    }
    return 5;
  }

  /** Compares numbers by value; equal values of different types order by type. */
  public static int compareNumbers(Number x, Number y) {
    int kx = numberRank(x);
    int ky = numberRank(y);
    int c;
    if (kx == 0 && ky == 0) {
      c = Long.compare(x.longValue(), y.longValue());
    } else if ((kx == 1 || kx == 2) && (ky == 1 || ky == 2)) {
      c = Double.compare(x.doubleValue(), y.doubleValue());
    } else {
      c = compareExact(x, y);
    }
    if (c == 0 && kx == 4 && ky == 4) {
      // 1.0M and 1.00M are different values (BigDecimal.equals), so order them apart.
      return Integer.compare(((BigDecimal) x).scale(), ((BigDecimal) y).scale());
    }
    return c != 0 ? c : Integer.compare(kx, ky);
  }

  private static int compareExact(Number x, Number y) {
    double dx = x.doubleValue();
    double dy = y.doubleValue();
    // NaN and infinities have no BigDecimal form; Double.compare orders them sensibly.
    if (Double.isNaN(dx) || Double.isNaN(dy) || Double.isInfinite(dx) || Double.isInfinite(dy)) {
      return Double.compare(dx, dy);
    }
    return toBigDecimal(x).compareTo(toBigDecimal(y));
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal b) {
      return b;
    } else if (n instanceof BigInteger b) {
      return new BigDecimal(b);
    } else if (n instanceof Double || n instanceof Float) {
      return new BigDecimal(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static int compareTuples(List<?> x, List<?> y) {
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      int c = compare(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  /** Value equality: {@code equals}, except that byte arrays compare by content. */
  public static boolean equal(Object x, Object y) {
    if (x == y) {
      return true;
    }
    if (x == null || y == null) {
      return false;
    }
    if (x instanceof byte[] bx) {
      return y instanceof byte[] by && Arrays.equals(bx, by);
    }
    if (x instanceof List<?> lx && y instanceof List<?> ly) {
      if (lx.size() != ly.size()) {
        return false;
      }
      for (int i = 0; i < lx.size(); i++) {
        if (!equal(lx.get(i), ly.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (x instanceof BigDecimal bx && y instanceof BigDecimal by) {
      return bx.compareTo(by) == 0 && bx.scale() == by.scale();
    }
    return x.equals(y);
  }

  /** A hash consistent with {@link #equal}. */
  public static int hash(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof byte[] b) {
      return Arrays.hashCode(b);
    }
    if (v instanceof List<?> l) {
      int h = 1;
      for (Object o : l) {
        h = 31 * h + hash(o);
      }
      return h;
    }
    return v.hashCode();
  }
}
