package io.accrete.edn;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EdnReadTest {
  private static Keyword kw(String s) {
    return Keyword.intern(s);
  }

  private static Symbol sym(String s) {
    return Symbol.intern(s);
  }

  private static Date inst(String iso) {
    return Date.from(Instant.parse(iso));
  }

  @Test
  void nilAndBooleans() {
    assertNull(Edn.read("nil"));
    assertEquals(Boolean.TRUE, Edn.read("true"));
    assertEquals(Boolean.FALSE, Edn.read("false"));
    // Words that merely start like the literals are symbols.
    assertEquals(sym("nilly"), Edn.read("nilly"));
    assertEquals(sym("true?"), Edn.read("true?"));
  }

  @Test
  void stringsWithEscapes() {
    assertEquals("", Edn.read("\"\""));
    assertEquals("plain text", Edn.read("\"plain text\""));
    assertEquals("t\tr\rn\nb\\q\"b\bf\f", Edn.read("\"t\\tr\\rn\\nb\\\\q\\\"b\\bf\\f\""));
    assertEquals("Aé☃", Edn.read("\"\\u0041\\u00e9\\u2603\""));
    assertEquals("two\nlines", Edn.read("\"two\nlines\""));
    assertEquals("unicode ☃ 😀 raw", Edn.read("\"unicode ☃ 😀 raw\""));
  }

  @Test
  void characters() {
    assertEquals('a', Edn.read("\\a"));
    assertEquals('\n', Edn.read("\\newline"));
    assertEquals(' ', Edn.read("\\space"));
    assertEquals('\t', Edn.read("\\tab"));
    assertEquals('\r', Edn.read("\\return"));
    assertEquals('\f', Edn.read("\\formfeed"));
    assertEquals('\b', Edn.read("\\backspace"));
    assertEquals('A', Edn.read("\\u0041"));
    assertEquals('\u2603', Edn.read("\\u2603"));
    assertEquals('u', Edn.read("\\u"));
    assertEquals('A', Edn.read("\\o101"));
    assertEquals(List.of('(', ')', ',', '"', '\\'), Edn.read("[\\( \\) \\, \\\" \\\\]"));
    assertEquals(List.of('a', 'b'), Edn.read("[\\a\\b]"));
  }

  @Test
  void integers() {
    assertEquals(0L, Edn.read("0"));
    assertEquals(42L, Edn.read("42"));
    assertEquals(42L, Edn.read("+42"));
    assertEquals(-42L, Edn.read("-42"));
    assertEquals(0L, Edn.read("-0"));
    assertEquals(Long.MAX_VALUE, Edn.read("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, Edn.read("-9223372036854775808"));
    assertEquals(new BigInteger("9223372036854775808"), Edn.read("9223372036854775808"));
    assertEquals(new BigInteger("-9223372036854775809"), Edn.read("-9223372036854775809"));
    assertEquals(new BigInteger("123456789012345678901234567890"),
        Edn.read("123456789012345678901234567890"));
    assertEquals(BigInteger.valueOf(7), Edn.read("7N"));
    assertEquals(BigInteger.valueOf(-7), Edn.read("-7N"));
    assertEquals(31L, Edn.read("0x1F"));
    assertEquals(-255L, Edn.read("-0XfF"));
    assertEquals(BigInteger.valueOf(16), Edn.read("0x10N"));
    assertEquals(new BigInteger("ffffffffffffffff", 16), Edn.read("0xffffffffffffffff"));
  }

  @Test
  void floats() {
    assertEquals(1.5, Edn.read("1.5"));
    assertEquals(1e10, Edn.read("1e10"));
    assertEquals(-2.5e-3, Edn.read("-2.5E-3"));
    assertEquals(3e2, Edn.read("+3E+2"));
    assertEquals(1.0, Edn.read("1."));
    assertEquals(-0.0, Edn.read("-0.0"));
    assertEquals(new BigDecimal("1.50"), Edn.read("1.50M"));
    assertEquals(new BigDecimal("3"), Edn.read("3M"));
    assertEquals(new BigDecimal("-1.5E+3"), Edn.read("-1.5E+3M"));
    assertEquals(Double.POSITIVE_INFINITY, Edn.read("##Inf"));
    assertEquals(Double.NEGATIVE_INFINITY, Edn.read("##-Inf"));
    assertEquals(Double.NaN, Edn.read("##NaN"));
  }

  @Test
  void keywords() {
    assertEquals(Keyword.of(null, "a"), Edn.read(":a"));
    assertEquals(Keyword.of("a", "b"), Edn.read(":a/b"));
    assertEquals(Keyword.of("db.part", "user"), Edn.read(":db.part/user"));
    Keyword reverse = (Keyword) Edn.read(":person/_friend");
    assertEquals("person", reverse.namespace());
    assertTrue(reverse.isReverse());
    assertEquals(Keyword.of("a.b", "c-d?*!"), Edn.read(":a.b/c-d?*!"));
    assertSame(Keyword.of("movie", "title"), Edn.read(":movie/title"));
    assertEquals(Keyword.of(null, "1"), Edn.read(":1"));
    assertEquals(Keyword.of(null, "a:b"), Edn.read(":a:b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", ".", "...", "_", "$", "$2", "%", "?x", "+", "-", "->", "<=", "!=",
      "not=", "clojure.string/starts-with?", "java.lang.Math/abs", "-a", "+a", "a#", "a'",
      "*ns*", "&", "é", "a.b", "clojure.core//", "-.", "..a"})
  void symbols(String text) {
    Object value = Edn.read(text);
    assertInstanceOf(Symbol.class, value);
    assertEquals(text, value.toString());
    assertEquals(Symbol.intern(text), value);
  }

  @Test
  void symbolParts() {
    Symbol abs = (Symbol) Edn.read("java.lang.Math/abs");
    assertEquals("java.lang.Math", abs.namespace());
    assertEquals("abs", abs.name());
    assertTrue(((Symbol) Edn.read("?x")).isVariable());
    assertEquals(-1L, Edn.read("-1"));
  }

  @Test
  void listsAndVectorsStayDistinguishable() {
    Object list = Edn.read("(1 2 3)");
    Object vector = Edn.read("[1 2 3]");
    assertInstanceOf(EdnList.class, list);
    assertInstanceOf(List.class, vector);
    assertFalse(vector instanceof EdnList);
    // java.util.List equality: same elements, same order.
    assertEquals(List.of(1L, 2L, 3L), list);
    assertEquals(list, vector);
    assertEquals(List.of(1L, 2L, 3L).hashCode(), list.hashCode());
    assertEquals(List.of(1L, 2L, 3L).hashCode(), vector.hashCode());
    assertEquals(EdnList.of(1L, 2L, 3L), list);
    assertEquals("(1 2 3)", Edn.print(list));
    assertEquals("[1 2 3]", Edn.print(vector));
    assertInstanceOf(EdnList.class, Edn.read("()"));
    assertEquals(List.of(), Edn.read("[]"));
  }

  @Test
  void collectionsAreImmutableAndHoldNil() {
    @SuppressWarnings("unchecked")
    List<Object> vector = (List<Object>) Edn.read("[nil 1 nil]");
    assertEquals(Arrays.asList(null, 1L, null), vector);
    assertThrows(UnsupportedOperationException.class, () -> vector.add(2L));
    assertThrows(UnsupportedOperationException.class, () -> vector.set(0, 2L));
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) Edn.read("(nil)");
    assertThrows(UnsupportedOperationException.class, () -> list.add(2L));
    @SuppressWarnings("unchecked")
    Map<Object, Object> map = (Map<Object, Object>) Edn.read("{nil nil :a nil}");
    assertTrue(map.containsKey(null));
    assertTrue(map.containsKey(kw(":a")));
    assertNull(map.get(kw(":a")));
    assertThrows(UnsupportedOperationException.class, () -> map.put(1L, 2L));
    @SuppressWarnings("unchecked")
    Set<Object> set = (Set<Object>) Edn.read("#{nil 1}");
    assertTrue(set.contains(null));
    assertThrows(UnsupportedOperationException.class, () -> set.add(2L));
    @SuppressWarnings("unchecked")
    Map<Object, Object> empty = (Map<Object, Object>) Edn.read("{}");
    assertFalse(empty.containsKey(null));
  }

  @Test
  void mapsAndSetsKeepReadOrder() {
    Map<?, ?> map = (Map<?, ?>) Edn.read("{:z 1, :a 2, :m 3, :b 4}");
    assertEquals(List.of(kw(":z"), kw(":a"), kw(":m"), kw(":b")), new ArrayList<>(map.keySet()));
    Set<?> set = (Set<?>) Edn.read("#{3 1 2 :x \"s\"}");
    assertEquals(List.of(3L, 1L, 2L, kw(":x"), "s"), new ArrayList<>(set));
  }

  @Test
  void anyValueCanBeAKey() {
    Map<?, ?> map = (Map<?, ?>) Edn.read("{[1 2] :vec, (3) :list, {:a 1} :map, #{1} :set}");
    assertEquals(kw(":vec"), map.get(List.of(1L, 2L)));
    assertEquals(kw(":list"), map.get(List.of(3L)));
    assertEquals(kw(":map"), map.get(Map.of(kw(":a"), 1L)));
    assertEquals(kw(":set"), map.get(Set.of(1L)));
  }

  @Test
  void nestedCollections() {
    Object value = Edn.read("{:a [1 (2 #{3 [4 {:b nil}]})] :c {:d {:e []}}}");
    Map<?, ?> map = (Map<?, ?>) value;
    List<?> a = (List<?>) map.get(kw(":a"));
    assertEquals(1L, a.get(0));
    EdnList inner = (EdnList) a.get(1);
    Set<?> set = (Set<?>) inner.get(1);
    Map<Keyword, Object> b = new java.util.HashMap<>();
    b.put(kw(":b"), null);
    assertTrue(set.contains(List.of(4L, b)));
    assertEquals(Map.of(kw(":d"), Map.of(kw(":e"), List.of())), map.get(kw(":c")));
    assertEquals("{:a [1 (2 #{3 [4 {:b nil}]})] :c {:d {:e []}}}", Edn.print(value));
  }

  @Test
  void whitespaceCommasAndComments() {
    assertEquals(List.of(1L, 2L, 3L), Edn.read(" \t\n[1,2 , ,3]\r\n,,"));
    assertEquals(List.of(1L, 2L), Edn.read("; leading\n[1 ; inside\n 2] ; trailing"));
    assertEquals(List.of(1L, 2L), Edn.read("#!/usr/bin/env bb\n[1 2]"));
    assertEquals(List.of(), Edn.readAll(" ; only a comment"));
    assertEquals(List.of(), Edn.readAll(""));
    assertEquals(5L, Edn.read("\uFEFF5"));
  }

  @Test
  void discard() {
    assertEquals(List.of(1L, 3L), Edn.read("[1 #_ 2 3]"));
    assertEquals(List.of(1L), Edn.read("[1 #_(2 [3])]"));
    assertEquals(List.of(6L), Edn.read("[#_ #_ 4 5 6]"));
    assertEquals(Map.of(kw(":a"), 1L), Edn.read("{:a 1 #_ :b #_ 2}"));
    assertEquals(7L, Edn.read("#_ :gone 7"));
    assertEquals(7L, Edn.read("7 #_ :gone"));
    assertEquals(List.of(1L, 2L), Edn.readAll("#_ 0 1 #_ x 2 #_ 3"));
    // A discarded form is still read, so it must be well formed.
    assertThrows(EdnException.class, () -> Edn.read("[1 #_ {:a} 2]"));
  }

  @Test
  void instants() {
    assertEquals(inst("1954-08-16T00:00:00Z"), Edn.read("#inst \"1954-08-16\""));
    assertEquals(inst("2020-01-01T00:00:00Z"), Edn.read("#inst \"2020-01\""));
    assertEquals(inst("2020-01-01T00:00:00Z"), Edn.read("#inst \"2020\""));
    assertEquals(inst("2020-01-01T10:00:00Z"), Edn.read("#inst \"2020-01-01T10:00\""));
    assertEquals(inst("2020-01-01T10:00:00Z"), Edn.read("#inst \"2020-01-01T10\""));
    assertEquals(inst("1985-04-12T23:20:50.520Z"), Edn.read("#inst \"1985-04-12T23:20:50.52Z\""));
    assertEquals(inst("1985-04-12T23:20:50.123Z"),
        Edn.read("#inst \"1985-04-12T23:20:50.123456789Z\""));
    assertEquals(inst("1996-12-20T00:39:57Z"), Edn.read("#inst \"1996-12-19T16:39:57-08:00\""));
    assertEquals(inst("2020-01-01T08:30:00.100Z"),
        Edn.read("#inst \"2020-01-01T10:00:00.1+01:30\""));
    assertEquals(inst("2020-02-29T00:00:00Z"), Edn.read("#inst \"2020-02-29\""));
    assertEquals(inst("1969-12-31T23:59:59.999Z"), Edn.read("#inst \"1969-12-31T23:59:59.999Z\""));
    // A leap second rolls over, as Clojure reads it.
    assertEquals(inst("2017-01-01T00:00:00Z"), Edn.read("#inst \"2016-12-31T23:59:60Z\""));
    assertInstanceOf(Date.class, Edn.read("#inst\"2020-01-01\""));
  }

  @Test
  void uuidsUrisAndBytes() {
    assertEquals(UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"),
        Edn.read("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""));
    assertEquals(URI.create("https://example.com/a?b=c"),
        Edn.read("#uri \"https://example.com/a?b=c\""));
    assertArrayEquals(new byte[] {1, 2, (byte) 255}, (byte[]) Edn.read("#bytes \"AQL/\""));
  }

  @Test
  void unknownTagsBecomeTaggedValues() {
    Object value = Edn.read("#myapp/Person {:first \"Fred\"}");
    assertEquals(new TaggedValue(sym("myapp/Person"), Map.of(kw(":first"), "Fred")), value);
    assertEquals("#myapp/Person {:first \"Fred\"}", Edn.print(value));
    assertEquals(new TaggedValue(sym("db/id"), List.of(kw(":db.part/user"), -1L)),
        Edn.read("#db/id [:db.part/user -1]"));
    assertEquals(new TaggedValue(sym("x"), null), Edn.read("#x nil"));
    // Whitespace, comments and discards may separate the tag from its value.
    assertEquals(new TaggedValue(sym("x"), 2L), Edn.read("#x ; c\n #_ 1 2"));
  }

  @Test
  void tagReadersAreUsedAndOverrideDefaults() {
    Map<Symbol, Function<Object, Object>> readers = Map.of(
        sym("db/id"), v -> "id:" + Edn.print(v),
        sym("inst"), v -> "raw:" + v);
    assertEquals(List.of("id:[:db.part/user -1]", "raw:2020"),
        Edn.read("[#db/id [:db.part/user -1] #inst \"2020\"]", readers));
    assertEquals(List.of("id:1", "id:2"), Edn.readAll("#db/id 1 #db/id 2", readers));
    assertEquals(List.of("id:1"), Edn.readAll(new StringReader("#db/id 1"), readers));
    // Defaults stay in force for tags the caller does not name.
    assertInstanceOf(UUID.class,
        Edn.read("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"", readers));
  }

  @Test
  void namespacedMaps() {
    Map<?, ?> map = (Map<?, ?>) Edn.read("#:person{:name \"Ann\" :_/id 1 :other/x 2 y 3}");
    assertEquals(List.of(kw(":person/name"), kw(":id"), kw(":other/x"), sym("person/y")),
        new ArrayList<>(map.keySet()));
    assertEquals(Map.of(kw(":p/a"), 1L), Edn.read("#:p {:a 1}"));
  }

  @Test
  void readAllReadsEveryTopLevelForm() {
    assertEquals(List.of(1L, kw(":a"), "s", List.of(), EdnList.of()),
        Edn.readAll("1 :a \"s\" [] ()"));
    assertEquals(Arrays.asList(1L, null, 2L), Edn.readAll(new StringReader("1 nil\n2\n")));
    assertThrows(UnsupportedOperationException.class, () -> Edn.readAll("1").add(2L));
  }

  @Test
  void readerReadsFormByForm() {
    EdnReader reader = new EdnReader("1 [2] ; done\n");
    assertTrue(reader.hasNext());
    assertEquals(1L, reader.next());
    assertTrue(reader.hasNext());
    assertEquals(List.of(2L), reader.next());
    assertFalse(reader.hasNext());
    assertThrows(EdnException.class, reader::next);
  }

  @Test
  void readsFromAReaderLargerThanItsBuffer() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < 20_000; i++) {
      text.append("{:n ").append(i).append(" :s \"x\"}\n");
    }
    text.append(']');
    List<?> all = (List<?>) Edn.readAll(new StringReader(text.toString())).get(0);
    assertEquals(20_000, all.size());
    assertEquals(19_999L, ((Map<?, ?>) all.get(19_999)).get(kw(":n")));
  }
}
