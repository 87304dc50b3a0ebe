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
