package io.accrete.edn;

import io.accrete.Symbol;
import java.io.Reader;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reading and printing EDN: the entry point. See the {@linkplain io.accrete.edn package
 * description} for the Java types of EDN values, {@link EdnReader} for reading form by form
 * and {@link EdnPrinter} for the printed forms.
 *
 * <p>Every reading method throws {@link EdnException}, naming what is wrong and its line and
 * column, on malformed input.
 */
public final class Edn {
  private Edn() {}

  /**
   * Reads exactly one form. Whitespace and comments may follow it; another form may not.
   *
   * @throws EdnException if the text holds no form, a malformed one, or more than one
   */
  public static Object read(String text) {
    return new EdnReader(text).readOne();
  }

  /**
   * Reads one form of Datalog query text: EDN plus Clojure's {@code #"…"} regular expressions
   * (as {@link java.util.regex.Pattern}s), which Datomic's query text may hold.
   */
  public static Object readQuery(String text) {
    return new EdnReader(text).withRegexLiterals().readOne();
  }

  /**
   * Reads exactly one form with extra tag readers, which override the defaults ({@code inst},
   * {@code uuid}, {@code uri}, {@code bytes}); see {@link EdnReader#EdnReader(String, Map)}.
   */
  public static Object read(String text, Map<Symbol, Function<Object, Object>> tagReaders) {
    return new EdnReader(text, tagReaders).readOne();
  }

  /** Reads every top-level form, in order, into an unmodifiable list (empty for blank text). */
  public static List<Object> readAll(String text) {
    return new EdnReader(text).readAll();
  }

  /** Reads every top-level form with extra tag readers. */
  public static List<Object> readAll(
      String text, Map<Symbol, Function<Object, Object>> tagReaders) {
    return new EdnReader(text, tagReaders).readAll();
  }

  /**
   * Reads every top-level form the reader yields (it is read to the end, not closed).
   *
   * @throws java.io.UncheckedIOException if reading fails
   */
  public static List<Object> readAll(Reader in) {
    return new EdnReader(in).readAll();
  }

  /** Reads every top-level form the reader yields, with extra tag readers. */
  public static List<Object> readAll(
      Reader in, Map<Symbol, Function<Object, Object>> tagReaders) {
    return new EdnReader(in, tagReaders).readAll();
  }

  /**
   * The EDN text of a value.
   *
   * @throws IllegalArgumentException if the value, or a value inside it, has no EDN form
   */
  public static String print(Object value) {
    return EdnPrinter.print(value);
  }

  /** Appends the EDN text of a value; see {@link #print(Object)}. */
  public static void print(Object value, StringBuilder out) {
    EdnPrinter.print(value, out);
  }
}
