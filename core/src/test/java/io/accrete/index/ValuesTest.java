package io.accrete.index;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The total order of values: inside each type and across types, consistent with equality. */
class ValuesTest {
  static final List<Object> ORDERED = Arrays.asList(
      null,
      false, true,
      Double.NEGATIVE_INFINITY, -5L, -1.5, 0L, 0.0, 1L, new BigDecimal("1.0"), new BigDecimal("1.00"),
      1.5f, 2L, BigInteger.valueOf(3), new BigDecimal("3.5"), Double.POSITIVE_INFINITY, Double.NaN,
      new Date(-1000), new Date(0), new Date(1000),
      "", "A", "B", "a", "ab", "b",
      Keyword.intern(":a"), Keyword.intern(":b"), Keyword.intern(":a/z"), Keyword.intern(":b/a"),
      Symbol.intern("a"), Symbol.intern("x/y"),
      new UUID(0, 1), new UUID(0, 2), new UUID(1, 0),
      URI.create("http://a"), URI.create("http://b"),
      new byte[] {}, new byte[] {1}, new byte[] {1, 2}, new byte[] {(byte) 0xff},
      Arrays.asList(null, 1L), Arrays.asList(1L), Arrays.asList(1L, null), Arrays.asList(1L, 2L), Arrays.asList("a"));

  @Test
  void ordersEveryTypeTotally() {
    for (int i = 0; i < ORDERED.size(); i++) {
      for (int j = 0; j < ORDERED.size(); j++) {
        int c = Integer.signum(Values.compare(ORDERED.get(i), ORDERED.get(j)));
        assertEquals(Integer.signum(Integer.compare(i, j)), c,
            "compare(" + show(ORDERED.get(i)) + ", " + show(ORDERED.get(j)) + ")");
        assertEquals(i == j, Values.equal(ORDERED.get(i), ORDERED.get(j)));
      }
    }
  }

  @Test
  void sortingAShuffleRestoresTheOrder() {
    List<Object> shuffled = new ArrayList<>(ORDERED);
    Collections.shuffle(shuffled, new Random(7));
    shuffled.sort(Values::compare);
    for (int i = 0; i < ORDERED.size(); i++) {
      assertTrue(Values.equal(ORDERED.get(i), shuffled.get(i)), "position " + i);
    }
  }

  /** Random values of every type, with near neighbours (ties of prefixes) on purpose. */
  static Object randomValue(Random r) {
    long big = r.nextBoolean() ? r.nextInt(2000) - 1000 : r.nextLong();
    String text = (r.nextInt(3) == 0 ? "person-with-a-long-name-" : "") + "abcdefgh".substring(0, r.nextInt(8)) + (char) ('a' + r.nextInt(3))
        + (r.nextInt(4) == 0 ? "\u00e9" : r.nextInt(4) == 0 ? "\uffff" : "") + (r.nextInt(4) == 0 ? "\u0000" : "");
    return switch (r.nextInt(14)) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> r.nextInt(3) == 0 ? (r.nextBoolean() ? 1L : -1L) * ((1L << 45) - 2 + r.nextInt(4)) : big;
      case 3 -> (double) big / (1 + r.nextInt(3));
      case 4 -> r.nextBoolean() ? -0.0 : r.nextBoolean() ? Double.NaN : (double) big;
      case 5 -> (float) big;
      case 6 -> new BigDecimal(BigInteger.valueOf(big).multiply(BigInteger.TEN.pow(r.nextInt(30))), r.nextInt(3));
      case 7 -> BigInteger.valueOf(big).shiftLeft(r.nextInt(80));
      case 8 -> new Date(r.nextBoolean() ? big : r.nextInt(3) - 1 + (r.nextBoolean() ? 1L << 56 : -(1L << 56)));
      case 9 -> text;
      case 10 -> Keyword.intern(r.nextBoolean() ? ":" + text.replace("\u0000", "") + "x" : ":" + "nsp".substring(0, 1 + r.nextInt(3)) + "/" + text.replace("\u0000", "") + "x");
      case 11 -> new UUID(big, r.nextLong());
      case 12 -> r.nextBoolean() ? Values.MIN : Values.MAX;
      default -> Arrays.asList(big);
    };
  }

  @Test
  void prefixesOrderAsTheValuesDo() {
    Random r = new Random(11);
    List<Object> vs = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      vs.add(randomValue(r));
    }
    int decided = 0;
    int exactTies = 0;
    int continued = 0;
    for (Object x : vs) {
      for (Object y : vs) {
        long px = Values.prefix(x);
        long py = Values.prefix(y);
        if (px != py) {
          decided++;
          assertEquals(Long.signum(px < py ? -1 : 1), Integer.signum(Values.compare(x, y)),
              "prefix(" + show(x) + ") vs prefix(" + show(y) + ")");
        } else if (Values.prefixIsExact(x) != Values.prefixIsExact(y) && x instanceof String && y instanceof String) {
          fail("equal prefixes of strings are both exact or both not: " + show(x) + ", " + show(y));
        } else if (!Values.prefixIsExact(x) && !Values.prefixIsExact(y)) {
          long cx = Values.prefixContinuation(x, Long.MIN_VALUE);
          long cy = Values.prefixContinuation(y, Long.MIN_VALUE);
          if (cx != Long.MIN_VALUE && cy != Long.MIN_VALUE && cx != cy) {
            continued++;
            assertEquals(cx < cy ? -1 : 1, Integer.signum(Values.compare(x, y)),
                "continuations of " + show(x) + " and " + show(y));
          }
        } else if (Values.prefixIsExact(x) && Values.prefixIsExact(y)) {
          exactTies++;
          assertEquals(0, Values.compare(x, y), "exact and equal prefixes of " + show(x) + " and " + show(y));
        }
      }
    }
    assertTrue(decided > vs.size() * vs.size() / 2, "prefixes decide most comparisons: " + decided);
    assertTrue(exactTies > vs.size(), "exact ties were tried: " + exactTies);
    assertTrue(continued > 50, "continuations were tried: " + continued);
  }

  @Test
  void equalValuesHashAlike() {
    assertEquals(Values.hash(new byte[] {1, 2}), Values.hash(new byte[] {1, 2}));
    assertTrue(Values.equal(new byte[] {1, 2}, new byte[] {1, 2}));
    assertEquals(Values.hash(Arrays.asList(new byte[] {3}, "x")), Values.hash(Arrays.asList(new byte[] {3}, "x")));
    assertFalse(Values.equal(1L, 1.0), "a long and a double are different values");
    assertTrue(Values.compare(Values.MIN, null) < 0 && Values.compare(Values.MAX, Arrays.asList("z")) > 0);
  }

  private static String show(Object o) {
    return o instanceof byte[] b ? Arrays.toString(b) : String.valueOf(o);
  }
}
