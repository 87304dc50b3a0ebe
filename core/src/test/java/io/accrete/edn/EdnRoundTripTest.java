package io.accrete.edn;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Property tests: random values of every kind print to text that reads back to the same value,
 * and damaged text is either read or rejected with an EdnException, never another exception.
 */
class EdnRoundTripTest {
  private static final int MAX_DEPTH = 4;
  private static final long YEAR_0 = -62_167_219_200_000L;
  private static final long YEAR_9999_END = 253_402_300_799_999L;
  private static final String SYMBOL_START = "abcxyzABCXYZ*!_?$%&=<>";
  private static final String SYMBOL_REST = SYMBOL_START + "0123456789.+-#'";

  @Test
  void randomValuesRoundTrip() {
    for (long seed = 1; seed <= 8; seed++) {
      Random random = new Random(seed);
      for (int i = 0; i < 300; i++) {
        Object value = new Generator(random).value(0, true);
        String text = Edn.print(value);
        Object back;
        try {
          back = Edn.read(text);
        } catch (EdnException e) {
          throw new AssertionError("seed " + seed + ", value " + i + ": " + text, e);
        }
        assertEdnEquals(value, back, "seed " + seed + ", value " + i + ": " + text);
        assertEquals(text, Edn.print(back), "seed " + seed + ": printing is stable");
      }
    }
  }

  @Test
  void damagedTextIsReadOrRejectedCleanly() {
    Random random = new Random(42);
    String noise = "()[]{}#_:;\\\"'/.+-0123456789eEMNx, \nabc";
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder(Edn.print(new Generator(random).value(0, true)));
      for (int edits = 1 + random.nextInt(3); edits > 0 && text.length() > 0; edits--) {
        int at = random.nextInt(text.length());
        if (random.nextBoolean()) {
          text.deleteCharAt(at);
        } else {
          text.insert(at, noise.charAt(random.nextInt(noise.length())));
        }
      }
      try {
        Edn.readAll(text.toString());
      } catch (EdnException e) {
        assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
      } catch (RuntimeException e) {
        throw new AssertionError("not an EdnException for: " + text, e);
      }
    }
  }

  @Test
  void typesThatReadBackAsTheirEdnKind() {
    assertEquals(1.5, Edn.read(Edn.print(1.5f)));
    assertEquals(7L, Edn.read(Edn.print(7)));
    assertEquals(new Date(1234), Edn.read(Edn.print(java.time.Instant.ofEpochMilli(1234))));
    assertArrayEquals(new byte[] {0, -1, 127},
        (byte[]) Edn.read(Edn.print(new byte[] {0, -1, 127})));
  }

  /**
   * Deep equality that also checks what java.util equality does not: byte arrays by content,
   * lists against vectors, and map and set order.
   */
  static void assertEdnEquals(Object expected, Object actual, String where) {
    if (expected instanceof byte[] bytes) {
      assertArrayEquals(bytes, assertInstanceOf(byte[].class, actual, where), where);
    } else if (expected instanceof List<?> list) {
      List<?> back = assertInstanceOf(List.class, actual, where);
      assertEquals(list instanceof EdnList, back instanceof EdnList, "list or vector: " + where);
      assertEquals(list.size(), back.size(), where);
      for (int i = 0; i < list.size(); i++) {
        assertEdnEquals(list.get(i), back.get(i), where);
      }
    } else if (expected instanceof Map<?, ?> map) {
      Map<?, ?> back = assertInstanceOf(Map.class, actual, where);
      assertEquals(map.size(), back.size(), where);
      Iterator<? extends Map.Entry<?, ?>> it = back.entrySet().iterator();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Map.Entry<?, ?> b = it.next();
        assertEdnEquals(e.getKey(), b.getKey(), where);
        assertEdnEquals(e.getValue(), b.getValue(), where);
      }
    } else if (expected instanceof Set<?> set) {
      Set<?> back = assertInstanceOf(Set.class, actual, where);
      assertEquals(set.size(), back.size(), where);
      Iterator<?> it = back.iterator();
      for (Object e : set) {
        assertEdnEquals(e, it.next(), where);
      }
    } else if (expected instanceof TaggedValue tagged) {
      TaggedValue back = assertInstanceOf(TaggedValue.class, actual, where);
      assertEquals(tagged.tag(), back.tag(), where);
      assertEdnEquals(tagged.value(), back.value(), where);
    } else {
      assertEquals(expected, actual, where);
      if (expected != null) {
        assertEquals(expected.getClass(), actual.getClass(), where);
      }
    }
  }

  /** Random EDN values; byte arrays only where equality does not need their hash. */
  private static final class Generator {
    private final Random r;

    Generator(Random r) {
      this.r = r;
    }

    Object value(int depth, boolean bytesAllowed) {
      int kinds = depth >= MAX_DEPTH ? 15 : 20;
      switch (r.nextInt(kinds)) {
        case 0:
          return null;
        case 1:
          return r.nextBoolean();
        case 2:
          return string();
        case 3:
          return (char) r.nextInt(0x10000);
        case 4:
          return longValue();
        case 5:
          return bigInteger();
        case 6:
          return doubleValue();
        case 7:
          return new BigDecimal(bigInteger(), r.nextInt(41) - 20);
        case 8:
          return Keyword.of(r.nextInt(3) == 0 ? null : name(), name());
        case 9:
          return symbol();
        case 10:
          return new Date(YEAR_0 + (long) (r.nextDouble() * (YEAR_9999_END - YEAR_0)));
        case 11:
          return new UUID(r.nextLong(), r.nextLong());
        case 12:
          return URI.create("https://example.com/" + word() + "?q=" + word() + "#" + word());
        case 13:
          if (bytesAllowed) {
            byte[] bytes = new byte[r.nextInt(20)];
            r.nextBytes(bytes);
            return bytes;
          }
          return r.nextLong();
        case 14:
          // A tag starts with a letter; "t" also keeps clear of the built-in tags.
          return new TaggedValue(Symbol.of(r.nextBoolean() ? null : "t" + name(), "t" + name()),
              value(depth + 1, bytesAllowed));
        case 15:
        case 16:
          return EdnList.of(elements(depth, bytesAllowed).toArray());
        case 17:
          return elements(depth, bytesAllowed);
        case 18:
          return map(depth, bytesAllowed);
        default:
          return new LinkedHashSet<>(elements(depth, false));
      }
    }

    private List<Object> elements(int depth, boolean bytesAllowed) {
      List<Object> items = new ArrayList<>();
      for (int n = r.nextInt(6); n > 0; n--) {
        items.add(value(depth + 1, bytesAllowed));
      }
      return items;
    }

    private Map<Object, Object> map(int depth, boolean bytesAllowed) {
      Map<Object, Object> map = new LinkedHashMap<>();
      for (int n = r.nextInt(6); n > 0; n--) {
        map.put(value(depth + 1, false), value(depth + 1, bytesAllowed));
      }
      return map;
    }

    private String string() {
      StringBuilder s = new StringBuilder();
      String special = "\"\\\n\t\r\f\b\u0000\u001b\u007f\u0085 ,;#()[]{}";
      for (int n = r.nextInt(12); n > 0; n--) {
        switch (r.nextInt(5)) {
          case 0 -> s.append(special.charAt(r.nextInt(special.length())));
          case 1 -> s.append((char) r.nextInt(0x10000));
          case 2 -> s.appendCodePoint(0x10000 + r.nextInt(0x100000 - 0x10000));
          default -> s.append((char) (' ' + r.nextInt(95)));
        }
      }
      return s.toString();
    }

    private Object longValue() {
      switch (r.nextInt(4)) {
        case 0:
          return (long) r.nextInt(100) - 50;
        case 1:
          return r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
        default:
          return r.nextLong() >> r.nextInt(64);
      }
    }

    private BigInteger bigInteger() {
      BigInteger b = new BigInteger(r.nextInt(200), r);
      return r.nextBoolean() ? b.negate() : b;
    }

    private double doubleValue() {
      switch (r.nextInt(6)) {
        case 0:
          double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e10, 1988.0};
          return special[r.nextInt(special.length)];
        case 1:
          return Double.longBitsToDouble(r.nextLong());
        default:
          return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
      }
    }

    private Symbol symbol() {
      if (r.nextInt(8) == 0) {
        String[] odd = {"/", "+", "-", "...", ".", "->", "$2", "clojure.core//"};
        return Symbol.intern(odd[r.nextInt(odd.length)]);
      }
      return Symbol.of(r.nextInt(3) == 0 ? name() : null, name());
    }

    /** A valid symbol or keyword part that is not nil, true or false. */
    private String name() {
      StringBuilder s = new StringBuilder();
      s.append(SYMBOL_START.charAt(r.nextInt(SYMBOL_START.length())));
      for (int n = r.nextInt(8); n > 0; n--) {
        s.append(SYMBOL_REST.charAt(r.nextInt(SYMBOL_REST.length())));
      }
      if (r.nextInt(10) == 0) {
        s.append("é☃");
      }
      String name = s.toString();
      return name.equals("nil") || name.equals("true") || name.equals("false") ? "x" + name : name;
    }

    private String word() {
      StringBuilder s = new StringBuilder();
      for (int n = 1 + r.nextInt(6); n > 0; n--) {
        s.append((char) ('a' + r.nextInt(26)));
      }
      return s.toString();
    }
  }
}
