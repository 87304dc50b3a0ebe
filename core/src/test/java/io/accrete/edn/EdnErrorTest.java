package io.accrete.edn;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.Symbol;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of malformed input: the exact message, and the line and column it names. */
class EdnErrorTest {
  private static EdnException readError(String text) {
    return assertThrows(EdnException.class, () -> Edn.readAll(text), () -> "accepted: " + text);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        // unterminated: the place is the opening delimiter
        err("[1 2\n  \"abc", 2, 3, "Unterminated string starting at line 2, column 3"),
        err("\n\n  (a b", 3, 3, "Unterminated list starting at line 3, column 3"),
        err("[1 (2)", 1, 1, "Unterminated vector starting at line 1, column 1"),
        err("{:a 1", 1, 1, "Unterminated map starting at line 1, column 1"),
        err(" #{1 2", 1, 2, "Unterminated set starting at line 1, column 2"),
        err("[[[]]", 1, 1, "Unterminated vector starting at line 1, column 1"),
        err("\"abc\\\"", 1, 1, "Unterminated string starting at line 1, column 1"),
        err("\"abc\\", 1, 1, "Unterminated string starting at line 1, column 1"),
        // unmatched closing delimiters
        err("[1 2 3 4 5]]", 1, 12, "Unmatched ']' at line 1, column 12"),
        err(")", 1, 1, "Unmatched ')' at line 1, column 1"),
        err("{:a 1}\n  }", 2, 3, "Unmatched '}' at line 2, column 3"),
        err("(a\n b]", 2, 3, "Unmatched ']' at line 2, column 3: expected ')' to close the"
            + " list starting at line 1, column 1"),
        err("#{1)", 1, 4, "Unmatched ')' at line 1, column 4: expected '}' to close the set"
            + " starting at line 1, column 1"),
        // maps and sets
        err("{:a 1\n :b 2\n :a 3}", 3, 2, "Map literal has duplicate key :a at line 3, column 2"),
        err("{:a 1\n [1 nil] 2,  [1 nil] 3}", 2, 14,
            "Map literal has duplicate key [1 nil] at line 2, column 14"),
        err("{:a 1 :b}", 1, 1, "Map literal has an odd number of forms at line 1, column 1:"
            + " the key :b has no value"),
        err("#{:a :b\n :a}", 2, 2, "Set literal has duplicate element :a at line 2, column 2"),
        err("#{nil nil}", 1, 7, "Set literal has duplicate element nil at line 1, column 7"),
        err("#:p{:a 1 :p/a 2}", 1, 10, "Map literal has duplicate key :p/a at line 1, column 10"),
        // strings
        err("\"a\\qb\"", 1, 3, "Unsupported escape \\q in string at line 1, column 3"),
        err("\"\\u12G4\"", 1, 2, "Invalid unicode escape \\u12G4 in string at line 1, column 2:"
            + " expected \\u and four hexadecimal digits"),
        err("\"\\u12\"", 1, 2, "Invalid unicode escape \\u12\" in string at line 1, column 2:"
            + " expected \\u and four hexadecimal digits"),
        // characters
        err("[\\foo]", 1, 2, "Invalid character literal \\foo at line 1, column 2"),
        err("\\u12", 1, 1, "Invalid character literal \\u12 at line 1, column 1"),
        err("\\ab", 1, 1, "Invalid character literal \\ab at line 1, column 1"),
        err("\\o400", 1, 1, "Invalid character literal \\o400 at line 1, column 1"),
        err("[\\ a]", 1, 2, "Invalid character literal at line 1, column 2:"
            + " '\\' is followed by whitespace"),
        err("[1 \\", 1, 4, "Unexpected end of input after '\\' at line 1, column 4"),
        // numbers
        err("[1 2.3.4]", 1, 4, "Invalid number 2.3.4 at line 1, column 4"),
        err("1/2", 1, 1, "Invalid number 1/2 at line 1, column 1: ratios are not part of EDN"),
        err("012", 1, 1, "Invalid number 012 at line 1, column 1"),
        err("-1a", 1, 1, "Invalid number -1a at line 1, column 1"),
        err("1e", 1, 1, "Invalid number 1e at line 1, column 1"),
        err("1.5N", 1, 1, "Invalid number 1.5N at line 1, column 1"),
        err("1MM", 1, 1, "Invalid number 1MM at line 1, column 1"),
        err("0x", 1, 1, "Invalid number 0x at line 1, column 1"),
        err("0xG", 1, 1, "Invalid number 0xG at line 1, column 1"),
        err("1d", 1, 1, "Invalid number 1d at line 1, column 1"),
        err("##Foo", 1, 1, "Unknown symbolic value ##Foo at line 1, column 1:"
            + " expected ##Inf, ##-Inf or ##NaN"),
        // keywords and symbols
        err("[: a]", 1, 2, "Invalid keyword ':' at line 1, column 2:"
            + " a keyword needs a name after the colon"),
        err("::x", 1, 1, "Invalid keyword ::x at line 1, column 1:"
            + " auto-resolved keywords are not part of EDN"),
        err(":a/", 1, 1, "Invalid keyword :a/ at line 1, column 1"),
        err(":a/1", 1, 1, "Invalid keyword :a/1 at line 1, column 1"),
        err(":a:", 1, 1, "Invalid keyword :a: at line 1, column 1"),
        err("a/b/c", 1, 1, "Invalid symbol a/b/c at line 1, column 1"),
        err("/a", 1, 1, "Invalid symbol /a at line 1, column 1"),
        err("a/", 1, 1, "Invalid symbol a/ at line 1, column 1"),
        err(".5", 1, 1, "Invalid symbol .5 at line 1, column 1"),
        err("a::b", 1, 1, "Invalid symbol a::b at line 1, column 1"),
        err("a@b", 1, 1, "Invalid symbol a@b at line 1, column 1"),
        err("(f @x)", 1, 4, "Unexpected character '@' at line 1, column 4"),
        err("'a", 1, 1, "Unexpected character ''' at line 1, column 1"),
        err("[\u0001]", 1, 2, "Unexpected character U+0001 at line 1, column 2"),
        // dispatch, tags and discard
        err("[1 #", 1, 4, "Unexpected end of input after '#' at line 1, column 4"),
        err("#(inc %)", 1, 1, "Unsupported dispatch #( at line 1, column 1: not part of EDN"),
        err("#\"re\"", 1, 1, "Unsupported dispatch #\" at line 1, column 1: not part of EDN"),
        err("#1", 1, 1, "Unsupported dispatch #1 at line 1, column 1: not part of EDN"),
        err("[# a]", 1, 2, "Unexpected ' ' after '#' at line 1, column 2"),
        err("#foo", 1, 1, "Tag #foo is not followed by a form at line 1, column 1"),
        err("[1 #foo ]", 1, 4, "Tag #foo is not followed by a form at line 1, column 4"),
        err("#foo #_ 1", 1, 1, "Tag #foo is not followed by a form at line 1, column 1"),
        err("#foo/ 1", 1, 1, "Invalid tag #foo/ at line 1, column 1"),
        err("[1 #_]", 1, 4, "#_ is not followed by a form to discard at line 1, column 4"),
        err("#_", 1, 1, "#_ is not followed by a form to discard at line 1, column 1"),
        err("#:{:a 1}", 1, 1, "Missing namespace after #: at line 1, column 1"),
        err("#:a/b{:a 1}", 1, 1, "Invalid namespace a/b in namespaced map at line 1, column 1"),
        err("#::{:a 1}", 1, 1, "Auto-resolved namespaced map #:: at line 1, column 1:"
            + " not part of EDN"),
        err("#:p [1]", 1, 1, "Namespaced map #:p is not followed by a map at line 1, column 1"),
        // built-in tags
        err("{:born\n #inst \"1954-13-16\"}", 2, 2, "Invalid #inst value \"1954-13-16\" at"
            + " line 2, column 2: month 13 is out of range"),
        err("#inst \"2021-02-29\"", 1, 1, "Invalid #inst value \"2021-02-29\" at line 1,"
            + " column 1: day 29 is out of range for 2021-02"),
        err("#inst \"2020-01-01T24:00\"", 1, 1, "Invalid #inst value \"2020-01-01T24:00\" at"
            + " line 1, column 1: hour 24 is out of range"),
        err("#inst \"2020-01-01T10:00:60\"", 1, 1, "Invalid #inst value"
            + " \"2020-01-01T10:00:60\" at line 1, column 1: second 60 is out of range"),
        err("#inst \"2020-1-1\"", 1, 1, "Invalid #inst value \"2020-1-1\" at line 1, column 1:"
            + " expected 2 digits of month at character 6, not an RFC 3339 timestamp"),
        err("#inst \"20\"", 1, 1, "Invalid #inst value \"20\" at line 1, column 1:"
            + " expected 4 digits of year at character 1, not an RFC 3339 timestamp"),
        err("#inst \"2020-01-01T10:00:00.Z\"", 1, 1, "Invalid #inst value"
            + " \"2020-01-01T10:00:00.Z\" at line 1, column 1: expected digits of the fraction"
            + " of a second at character 21, not an RFC 3339 timestamp"),
        err("#inst \"2020-01-01 10:00\"", 1, 1, "Invalid #inst value \"2020-01-01 10:00\" at"
            + " line 1, column 1: unexpected ' ' at character 11, not an RFC 3339 timestamp"),
        err("#inst \"2020-01-01T10:00+0100\"", 1, 1, "Invalid #inst value"
            + " \"2020-01-01T10:00+0100\" at line 1, column 1: expected ':' at character 20,"
            + " not an RFC 3339 timestamp"),
        err("#inst \"2020-01-01T10:00+24:00\"", 1, 1, "Invalid #inst value"
            + " \"2020-01-01T10:00+24:00\" at line 1, column 1: offset hours 24 is out of range"),
        err("#inst 2020", 1, 1, "Invalid #inst value 2020 at line 1, column 1:"
            + " expected a string"),
        err("#uuid \"f81d4fae-7dec-11d0-a765\"", 1, 1, "Invalid #uuid value"
            + " \"f81d4fae-7dec-11d0-a765\" at line 1, column 1: a UUID has 36 characters"),
        err("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bfg\"", 1, 1, "Invalid #uuid value"
            + " \"f81d4fae-7dec-11d0-a765-00a0c91e6bfg\" at line 1, column 1: a UUID is"
            + " 8-4-4-4-12 hexadecimal digits; unexpected 'g' at character 36"),
        err("#bytes \"***\"", 1, 1, "Invalid #bytes value \"***\" at line 1, column 1:"
            + " not Base64: Illegal base64 character 2a"),
        // the end
        err("", 1, 1, "Expected an EDN form but reached the end of input at line 1, column 1"));
  }

  private static Arguments err(String text, int line, int column, String message) {
    return Arguments.of(text, line, column, message);
  }

  @ParameterizedTest
  @MethodSource("errors")
  void namesWhatIsWrongAndWhere(String text, int line, int column, String message) {
    EdnException e = assertThrows(EdnException.class,
        () -> Edn.read(text), () -> "accepted: " + text);
    assertEquals(message, e.getMessage());
    assertEquals(line, e.line(), "line");
    assertEquals(column, e.column(), "column");
    assertEquals(Keyword.intern(":edn/parse-error"), e.code());
    assertEquals(Map.of(Keyword.intern(":line"), (long) line, Keyword.intern(":column"),
        (long) column), e.data());
    assertInstanceOf(AccreteException.class, e);
  }

  @Test
  void readRejectsASecondFormAndNamesIt() {
    EdnException e = assertThrows(EdnException.class, () -> Edn.read("{:a 1}\n ; c\n  [2]"));
    assertEquals("Expected a single form, but another form follows at line 3, column 3",
        e.getMessage());
    assertEquals(3, e.line());
    assertEquals(3, e.column());
    assertEquals(1L, Edn.read("1 ; trailing comment\n  #_ discarded\n"));
    EdnException blank = assertThrows(EdnException.class, () -> Edn.read(" ; nothing\n "));
    assertEquals("Expected an EDN form but reached the end of input at line 2, column 2",
        blank.getMessage());
    EdnException closer = assertThrows(EdnException.class, () -> Edn.read("[1] ]"));
    assertEquals("Unmatched ']' at line 1, column 5", closer.getMessage());
  }

  @Test
  void columnsCountCharactersAndLinesAnyBreak() {
    assertEquals(2, readError("\r\n]").line());
    assertEquals(3, readError("\r\r]").line());
    // The snowman is one column, and so is the emoji (two UTF-16 units).
    EdnException e = readError("[\"☃😀\" ]]");
    assertEquals(1, e.line());
    assertEquals(8, e.column());
  }

  @Test
  void failingTagReaderBecomesAParseErrorWithItsCause() {
    IllegalStateException boom = new IllegalStateException("no partition :nope");
    Map<Symbol, Function<Object, Object>> readers = Map.of(Symbol.intern("db/id"), v -> {
      throw boom;
    });
    EdnException e = assertThrows(EdnException.class,
        () -> Edn.read("[\n #db/id [:nope -1]]", readers));
    assertEquals("Invalid #db/id value [:nope -1] at line 2, column 2: no partition :nope",
        e.getMessage());
    assertSame(boom, e.getCause());
  }

  @Test
  void deepNestingIsAnErrorNotACrash() {
    String deep = "[".repeat(200_000) + "]".repeat(200_000);
    EdnException e = assertThrows(EdnException.class, () -> Edn.read(deep));
    assertTrue(e.getMessage().startsWith("Forms are nested too deeply at line 1"), e.getMessage());
    // A moderately deep form still reads.
    assertEquals(1, ((java.util.List<?>) Edn.read("[".repeat(500) + "]".repeat(500))).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[", "(", "{", "#{", "\"", "#", "#_", "#inst", "\\", "{:a"})
  void truncatedInputIsAlwaysAnEdnException(String text) {
    readError(text);
    readError("[1 2 " + text);
  }
}
