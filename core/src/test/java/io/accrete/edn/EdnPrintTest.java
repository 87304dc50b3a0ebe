package io.accrete.edn;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EdnPrintTest {
  @Test
  void scalars() {
    assertEquals("nil", Edn.print(null));
    assertEquals("true", Edn.print(true));
    assertEquals("false", Edn.print(false));
    assertEquals("42", Edn.print(42L));
    assertEquals("-7", Edn.print(-7));
    assertEquals("3", Edn.print((short) 3));
    assertEquals("-4", Edn.print((byte) -4));
    assertEquals("12345678901234567890N", Edn.print(new BigInteger("12345678901234567890")));
    assertEquals("5N", Edn.print(BigInteger.valueOf(5)));
    assertEquals("1988.0", Edn.print(1988.0));
    assertEquals("1.8333333333333333", Edn.print(11.0 / 6));
    assertEquals("1.0E10", Edn.print(1e10));
    assertEquals("-0.0", Edn.print(-0.0));
    assertEquals("##Inf", Edn.print(Double.POSITIVE_INFINITY));
    assertEquals("##-Inf", Edn.print(Double.NEGATIVE_INFINITY));
    assertEquals("##NaN", Edn.print(Double.NaN));
    assertEquals("1.5", Edn.print(1.5f));
    assertEquals("##NaN", Edn.print(Float.NaN));
    assertEquals("##-Inf", Edn.print(Float.NEGATIVE_INFINITY));
    assertEquals("1.50M", Edn.print(new BigDecimal("1.50")));
    assertEquals("1E+3M", Edn.print(new BigDecimal("1E+3")));
    assertEquals(":person/name", Edn.print(Keyword.of("person", "name")));
    assertEquals(":a", Edn.print(Keyword.of(null, "a")));
    assertEquals("java.lang.Math/abs", Edn.print(Symbol.intern("java.lang.Math/abs")));
    assertEquals("?e", Edn.print(Symbol.intern("?e")));
  }

  @Test
  void strings() {
    assertEquals("\"plain\"", Edn.print("plain"));
    assertEquals("\"\"", Edn.print(""));
    assertEquals("\"q\\\" b\\\\ n\\n t\\t r\\r f\\f b\\b\"", Edn.print("q\" b\\ n\n t\t r\r f\f b\b"));
    assertEquals("\"nul\\u0000 esc\\u001b del\\u007f\"", Edn.print("nul\u0000 esc\u001b del\u007f"));
    assertEquals("\"é ☃ 😀\"", Edn.print("é ☃ 😀"));
  }

  @Test
  void characters() {
    assertEquals("\\a", Edn.print('a'));
    assertEquals("\\newline", Edn.print('\n'));
    assertEquals("\\space", Edn.print(' '));
    assertEquals("\\tab", Edn.print('\t'));
    assertEquals("\\return", Edn.print('\r'));
    assertEquals("\\formfeed", Edn.print('\f'));
    assertEquals("\\backspace", Edn.print('\b'));
    assertEquals("\\u0000", Edn.print('\u0000'));
    assertEquals("\\u001b", Edn.print('\u001b'));
    assertEquals("\\u00a0", Edn.print('\u00a0'));
    assertEquals("\\\"", Edn.print('"'));
    assertEquals("\\\\", Edn.print('\\'));
    assertEquals("\\(", Edn.print('('));
    assertEquals("\\☃", Edn.print('☃'));
  }

  @Test
  void collections() {
    assertEquals("(1 :a \"s\")", Edn.print(EdnList.of(1L, Keyword.intern("a"), "s")));
    assertEquals("()", Edn.print(EdnList.of()));
    assertEquals("[1 nil [2 (3)]]", Edn.print(Arrays.asList(1, null, List.of(2, EdnList.of(3)))));
    assertEquals("[]", Edn.print(new ArrayList<>()));
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(Keyword.intern("b"), 1);
    map.put(Keyword.intern("a"), List.of("x"));
    map.put(null, null);
    assertEquals("{:b 1 :a [\"x\"] nil nil}", Edn.print(map));
    assertEquals("{}", Edn.print(Map.of()));
    assertEquals("#{3 1 2}", Edn.print(new LinkedHashSet<>(List.of(3, 1, 2))));
    assertEquals("#{}", Edn.print(new LinkedHashSet<>()));
  }

  @Test
  void instantsAndOtherTaggedTypes() {
    String born = "#inst \"1954-08-16T00:00:00.000Z\"";
    assertEquals(born, Edn.print(Date.from(Instant.parse("1954-08-16T00:00:00Z"))));
    assertEquals(born, Edn.print(Instant.parse("1954-08-16T00:00:00Z")));
    assertEquals("#inst \"1969-12-31T23:59:59.999Z\"", Edn.print(new Date(-1)));
    assertEquals("#inst \"0001-02-03T04:05:06.007Z\"",
        Edn.print(Instant.parse("0001-02-03T04:05:06.007999Z")));
    assertEquals("#inst \"9999-12-31T23:59:59.999Z\"",
        Edn.print(Instant.parse("9999-12-31T23:59:59.999Z")));
    assertEquals("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"",
        Edn.print(UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")));
    assertEquals("#uri \"https://example.com/a?b=c\"",
        Edn.print(URI.create("https://example.com/a?b=c")));
    assertEquals("#bytes \"AQL/\"", Edn.print(new byte[] {1, 2, (byte) 255}));
    assertEquals("#bytes \"\"", Edn.print(new byte[0]));
    assertEquals("#db/id [:db.part/user -1]",
        Edn.print(new TaggedValue(Symbol.intern("db/id"), List.of(Keyword.intern("db.part/user"),
            -1L))));
  }

  @Test
  void uriIsPrintedAsAQuotedString() {
    assertEquals("#uri \"urn:isbn:0451450523\"", Edn.print(URI.create("urn:isbn:0451450523")));
  }

  @Test
  void ednPrintableChoosesItsForm() {
    record Datom(long e, Keyword a, Object v) implements EdnPrintable {
      @Override
      public void printEdn(StringBuilder out) {
        out.append("#datom [").append(e).append(' ');
        Edn.print(a, out);
        out.append(' ');
        Edn.print(v, out);
        out.append(']');
      }
    }
    Datom d = new Datom(17, Keyword.intern("person/name"), "Ann");
    assertEquals("[#datom [17 :person/name \"Ann\"]]", Edn.print(List.of(d)));
    assertEquals(new TaggedValue(Symbol.intern("datom"),
        List.of(17L, Keyword.intern("person/name"), "Ann")), Edn.read(Edn.print(d)));
  }

  @Test
  void printableListUsesItsOwnForm() {
    class Row extends java.util.AbstractList<Object> implements EdnPrintable {
      @Override
      public Object get(int i) {
        return i;
      }

      @Override
      public int size() {
        return 2;
      }

      @Override
      public void printEdn(StringBuilder out) {
        out.append("#row ").append(size());
      }
    }
    assertEquals("#row 2", Edn.print(new Row()));
  }

  @Test
  void appendsToABuilder() {
    StringBuilder out = new StringBuilder("x=");
    Edn.print(List.of(1, 2), out);
    assertEquals("x=[1 2]", out.toString());
  }

  @Test
  void toStringOfReadValuesIsTheirEdn() {
    assertEquals("(1 [2] nil)", Edn.read("(1 [2] nil)").toString());
    assertEquals("[1 (2)]", Edn.read("[1 (2)]").toString());
    assertEquals("#x 1", Edn.read("#x 1").toString());
  }

  @Test
  void unprintableValuesNameTheirClass() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Edn.print(List.of(1, Optional.empty())));
    assertTrue(e.getMessage().contains("java.util.Optional"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Edn.print(new Object()));
  }

  @Test
  void printedTextReadsBackToEqualValues() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(Keyword.intern("db/id"), "person-100");
    map.put(Keyword.intern("person/born"), Date.from(Instant.parse("1954-08-16T00:00:00Z")));
    map.put(List.of(1L, EdnList.of(2L)), new LinkedHashSet<>(List.of('c', "s", 1.5)));
    map.put(UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), URI.create("urn:x"));
    map.put(BigInteger.TEN, new BigDecimal("-0.001"));
    assertEquals(map, Edn.read(Edn.print(map)));
  }
}
