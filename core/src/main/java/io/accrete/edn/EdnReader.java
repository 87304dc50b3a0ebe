package io.accrete.edn;

import io.accrete.Keyword;
import io.accrete.Symbol;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads EDN forms one after another from text.
 *
 * <p>A hand-written scanner over a {@code char[]}: no regular expressions and no per-character
 * bookkeeping on the hot path. Line and column are worked out from the offset only when an
 * error is reported, so every {@link EdnException} names the offending place. Values are the
 * Java types listed in the {@linkplain io.accrete.edn package description}.
 *
 * <p>Where the EDN specification is silent the reader follows Clojure's: integers that overflow
 * a long become {@link BigInteger}, {@code 0x} hexadecimal integers, {@code 1.} as a float,
 * namespaced maps {@code #:ns{:a 1}}, {@code #!} line comments, octal characters {@code \o101}.
 * Where the specification is explicit it wins over Clojure: {@code 012} and ratios such as
 * {@code 1/2} are errors rather than octal or ratio numbers.
 *
 * <p>Not thread-safe: one reader per thread. After an {@link EdnException} the reader's place
 * is unspecified; start a new reader rather than read on.
 */
public final class EdnReader {
  private static final byte WHITESPACE = 1;
  private static final byte DELIMITER = 2;
  private static final byte SYMBOL_CHAR = 4;
  private static final byte SYMBOL_START = 8;

  /** Character classes of ASCII; every character from 128 up is a symbol character. */
  private static final byte[] CLASS = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      if (Character.isWhitespace(c) || c == ',') {
        CLASS[c] = WHITESPACE | DELIMITER;
      } else if (Character.isLetter(c)) {
        CLASS[c] = SYMBOL_CHAR | SYMBOL_START;
      } else if (Character.isDigit(c)) {
        CLASS[c] = SYMBOL_CHAR;
      }
    }
    for (char c : "()[]{}\";\\".toCharArray()) {
      CLASS[c] = DELIMITER;
    }
    for (char c : ".*+!-_?$%&=<>/".toCharArray()) {
      CLASS[c] = SYMBOL_CHAR | SYMBOL_START;
    }
    for (char c : "#:'".toCharArray()) {
      CLASS[c] = SYMBOL_CHAR;
    }
  }

  /** What {@link #readOptional} returns when a closing delimiter or the end comes instead. */
  private static final Object NONE = new Object();

  private final char[] buf;
  private final int len;
  private final Map<Symbol, Function<Object, Object>> tagReaders;
  private int pos;
  /**
   * Keywords this reader has read, by a hash of their characters: transaction data repeats a
   * few attribute names thousands of times, and a hit skips building, checking and interning.
   */
  private final Keyword[] recentKeywords = new Keyword[256];
  /** The characters of each of {@link #recentKeywords}, compared without String calls. */
  private final char[][] recentText = new char[256][];

  /** Elements of the collections being read, innermost last: one buffer instead of a list each. */
  private Object[] stack = new Object[64];
  /** The offset where each element on the stack starts, to name a duplicate's place. */
  private int[] starts = new int[64];
  private int top;

  /** A reader over text, with the default tag readers. */
  public EdnReader(String text) {
    this(text, Map.of());
  }

  /**
   * A reader over text with extra tag readers.
   *
   * @param tagReaders for a tag symbol (such as {@code db/id}), the function that turns the
   *     tagged value into a Java value; these override the defaults ({@code inst}, {@code
   *     uuid}, {@code uri}, {@code bytes}). Tags without a reader become {@link
   *     TaggedValue}s. An exception thrown by a function becomes an {@link EdnException}
   *     naming the tag's place, with the exception as its cause.
   */
  public EdnReader(String text, Map<Symbol, Function<Object, Object>> tagReaders) {
    this(text.toCharArray(), tagReaders);
  }

  /**
   * A reader over everything the given reader yields (read at once and not closed), with extra
   * tag readers as in {@link #EdnReader(String, Map)}.
   *
   * @throws UncheckedIOException if reading fails
   */
  public EdnReader(Reader in, Map<Symbol, Function<Object, Object>> tagReaders) {
    this(slurp(in), tagReaders);
  }

  /** A reader over everything the given reader yields, with the default tag readers. */
  public EdnReader(Reader in) {
    this(in, Map.of());
  }

  /** Whether {@code #"…"} reads as a regular expression (query text), not an error (EDN). */
  private boolean regexLiterals;

  /**
   * This reader, also reading Clojure's {@code #"…"} regular expressions as
   * {@link java.util.regex.Pattern}s: Datomic's query text is read by Clojure's reader.
   */
  public EdnReader withRegexLiterals() {
    regexLiterals = true;
    return this;
  }

  private EdnReader(char[] buf, Map<Symbol, Function<Object, Object>> tagReaders) {
    this.buf = buf;
    this.len = buf.length;
    this.tagReaders = mergeTagReaders(tagReaders);
    // A byte order mark at the start is an artefact of the file, not content.
    this.pos = len > 0 && buf[0] == '\uFEFF' ? 1 : 0;
  }

  private static Map<Symbol, Function<Object, Object>> mergeTagReaders(
      Map<Symbol, Function<Object, Object>> extra) {
    if (extra.isEmpty()) {
      return DefaultTagReaders.ALL;
    }
    Map<Symbol, Function<Object, Object>> all = new HashMap<>(DefaultTagReaders.ALL);
    all.putAll(extra);
    return all;
  }

  /**
   * True when another form follows, skipping whitespace, comments and discarded forms.
   *
   * @throws EdnException on a closing delimiter that closes nothing, or malformed discarded
   *     forms
   */
  public boolean hasNext() {
    top = 0;
    try {
      int c = skipIgnorable();
      if (isCloser(c)) {
        throw unmatched(c);
      }
      return c >= 0;
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  /**
   * Reads the next form.
   *
   * @throws EdnException if the form is malformed or no form is left
   */
  public Object next() {
    top = 0;
    try {
      int c = skipIgnorable();
      if (c < 0) {
        throw error(pos, "Expected an EDN form but reached the end of input");
      }
      return readForm(c);
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  /** Reads every remaining form, in order, into an unmodifiable list. */
  public List<Object> readAll() {
    List<Object> forms = new ArrayList<>();
    while (hasNext()) {
      forms.add(next());
    }
    return Collections.unmodifiableList(forms);
  }

  /** Reads exactly one form: an error when there is none or when another follows it. */
  Object readOne() {
    Object form = next();
    try {
      int c = skipIgnorable();
      if (isCloser(c)) {
        throw unmatched(c);
      }
      if (c >= 0) {
        throw error(pos, "Expected a single form, but another form follows");
      }
      return form;
    } catch (StackOverflowError e) {
      throw tooDeep();
    }
  }

  // ---------------------------------------------------------------- whitespace and dispatch

  /**
   * Skips whitespace, commas, comments and {@code #_} discarded forms; returns the next
   * character (left unread) or -1 at the end.
   */
  private int skipIgnorable() {
    final char[] b = buf;
    while (pos < len) {
      char c = b[pos];
      if (c < 128) {
        if ((CLASS[c] & WHITESPACE) != 0) {
          pos++;
          continue;
        }
        if (c == ';') {
          skipLine();
          continue;
        }
        if (c == '#' && pos + 1 < len) {
          char d = b[pos + 1];
          if (d == '_') {
            int at = pos;
            pos += 2;
            if (readOptional() == NONE) {
              throw error(at, "#_ is not followed by a form to discard");
            }
            continue;
          }
          if (d == '!') {
            skipLine();
            continue;
          }
        }
        return c;
      }
      if (!isWhitespace(c)) {
        return c;
      }
      pos++;
    }
    return -1;
  }

  private void skipLine() {
    while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') {
      pos++;
    }
  }

  /** Reads the next form, or returns {@link #NONE} at a closing delimiter or the end. */
  private Object readOptional() {
    int c = skipIgnorable();
    return c < 0 || isCloser(c) ? NONE : readForm(c);
  }

  /** Reads the form starting with {@code c}, the character at {@code pos}. */
  private Object readForm(int c) {
    return switch (c) {
      case '"' -> readString();
      case ':' -> readKeyword();
      case '(' -> readList();
      case '[' -> readVector();
      case '{' -> readMap();
      case '#' -> readDispatch();
      case '\\' -> readCharacter();
      case ')', ']', '}' -> throw unmatched(c);
      case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> readNumber();
      case '+', '-' -> pos + 1 < len && isDigit(buf[pos + 1]) ? readNumber() : readSymbol();
      default -> readSymbol();
    };
  }

  private Object readDispatch() {
    int start = pos;
    if (pos + 1 >= len) {
      throw error(start, "Unexpected end of input after '#'");
    }
    char d = buf[pos + 1];
    if (d == '{') {
      pos += 2;
      return buildSet(readItems(start, '}', "set"));
    }
    if (d == '#') {
      return readSymbolicValue(start);
    }
    if (d == ':') {
      return readNamespacedMap(start);
    }
    if (d == '"' && regexLiterals) {
      return readRegex(start);
    }
    if (Character.isLetter(d)) {
      return readTagged(start);
    }
    if (isWhitespace(d) || Character.isISOControl(d)) {
      throw error(start, "Unexpected " + describeChar(d) + " after '#'");
    }
    throw error(start, "Unsupported dispatch #" + d, "not part of EDN");
  }

  // ---------------------------------------------------------------- collections

  private EdnList readList() {
    int open = pos++;
    return EdnList.wrap(popItems(readItems(open, ')', "list")));
  }

  private List<Object> readVector() {
    int open = pos++;
    return ArrayVector.wrap(popItems(readItems(open, ']', "vector")));
  }

  private Map<Object, Object> readMap() {
    int open = pos++;
    return buildMap(open, readItems(open, '}', "map"), null);
  }

  /**
   * Reads forms up to the closing delimiter, pushing them on the stack; returns the stack index
   * of the first. {@code pos} is just past the opening delimiter at {@code openPos}.
   */
  private int readItems(int openPos, char close, String kind) {
    int base = top;
    while (true) {
      int c = skipIgnorable();
      if (c == close) {
        pos++;
        return base;
      }
      if (c < 0) {
        throw error(openPos, "Unterminated " + kind + " starting");
      }
      if (isCloser(c)) {
        throw error(
            pos,
            "Unmatched '" + (char) c + "'",
            "expected '" + close + "' to close the " + kind + " starting at " + where(openPos));
      }
      int at = pos;
      push(readForm(c), at);
    }
  }

  private void push(Object value, int at) {
    if (top == stack.length) {
      stack = Arrays.copyOf(stack, top * 2);
      starts = Arrays.copyOf(starts, top * 2);
    }
    stack[top] = value;
    starts[top++] = at;
  }

  /** Takes the items from {@code base} up off the stack. */
  private Object[] popItems(int base) {
    Object[] items = Arrays.copyOfRange(stack, base, top);
    Arrays.fill(stack, base, top, null);
    top = base;
    return items;
  }

  /** Builds a map of the items from {@code base} up; {@code ns} qualifies keys of #:ns maps. */
  private Map<Object, Object> buildMap(int openPos, int base, String ns) {
    int n = top - base;
    if ((n & 1) != 0) {
      throw error(
          openPos,
          "Map literal has an odd number of forms",
          "the key " + describe(stack[top - 1]) + " has no value");
    }
    if (n == 0) {
      return Collections.emptyMap();
    }
    Map<Object, Object> map = new LinkedHashMap<>(capacity(n / 2));
    for (int i = base; i < top; i += 2) {
      Object key = ns == null ? stack[i] : qualify(stack[i], ns);
      map.put(key, stack[i + 1]);
      // The size, not put's result, tells a repeated key apart from a key mapped to nil.
      if (map.size() != (i - base) / 2 + 1) {
        throw error(starts[i], "Map literal has duplicate key " + describe(key));
      }
    }
    Arrays.fill(stack, base, top, null);
    top = base;
    return Collections.unmodifiableMap(map);
  }

  private Set<Object> buildSet(int base) {
    int n = top - base;
    if (n == 0) {
      return Collections.emptySet();
    }
    Set<Object> set = new LinkedHashSet<>(capacity(n));
    for (int i = base; i < top; i++) {
      if (!set.add(stack[i])) {
        throw error(starts[i], "Set literal has duplicate element " + describe(stack[i]));
      }
    }
    Arrays.fill(stack, base, top, null);
    top = base;
    return Collections.unmodifiableSet(set);
  }

  private static int capacity(int entries) {
    return (int) (entries / 0.75f) + 1;
  }

  /** {@code #:person{:name "x", :_/id 1}}: Clojure's namespaced map. */
  private Map<Object, Object> readNamespacedMap(int start) {
    int nsStart = pos + 2;
    int nsEnd = tokenEnd(nsStart);
    String ns = new String(buf, nsStart, nsEnd - nsStart);
    if (ns.isEmpty()) {
      throw error(start, "Missing namespace after #:");
    }
    if (ns.startsWith(":")) {
      throw error(start, "Auto-resolved namespaced map " + clip("#:" + ns), "not part of EDN");
    }
    if (ns.indexOf('/') >= 0 || !validSymbolic(nsStart, nsEnd, false)) {
      throw error(start, "Invalid namespace " + clip(ns) + " in namespaced map");
    }
    pos = nsEnd;
    while (pos < len && isWhitespace(buf[pos])) {
      pos++;
    }
    if (pos >= len || buf[pos] != '{') {
      throw error(start, "Namespaced map #:" + clip(ns) + " is not followed by a map");
    }
    int open = pos++;
    return buildMap(open, readItems(open, '}', "map"), ns);
  }

  private static Object qualify(Object key, String ns) {
    if (key instanceof Keyword k) {
      if (k.namespace() == null) {
        return Keyword.of(ns, k.name());
      }
      return "_".equals(k.namespace()) ? Keyword.of(null, k.name()) : k;
    }
    if (key instanceof Symbol s) {
      if (s.namespace() == null) {
        return Symbol.of(ns, s.name());
      }
      return "_".equals(s.namespace()) ? Symbol.of(null, s.name()) : s;
    }
    return key;
  }

  // ---------------------------------------------------------------- tags

  private Object readTagged(int start) {
    int tagStart = start + 1;
    int tagEnd = tokenEnd(tagStart);
    if (!validSymbolic(tagStart, tagEnd, false)) {
      throw error(start, "Invalid tag " + clip(text(start, tagEnd)));
    }
    pos = tagEnd;
    Symbol tag = Symbol.intern(text(tagStart, tagEnd));
    Object value = readOptional();
    if (value == NONE) {
      throw error(start, "Tag #" + tag + " is not followed by a form");
    }
    Function<Object, Object> reader = tagReaders.get(tag);
    if (reader == null) {
      return new TaggedValue(tag, value);
    }
    try {
      return reader.apply(value);
    } catch (EdnException e) {
      throw e;
    } catch (RuntimeException e) {
      String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw error(start, "Invalid #" + tag + " value " + describe(value), reason, e);
    }
  }

  private Double readSymbolicValue(int start) {
    int nameStart = start + 2;
    int nameEnd = tokenEnd(nameStart);
    String name = text(nameStart, nameEnd);
    pos = nameEnd;
    return switch (name) {
      case "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> throw error(start, "Unknown symbolic value ##" + clip(name),
          "expected ##Inf, ##-Inf or ##NaN");
    };
  }

  // ---------------------------------------------------------------- atoms

  /**
   * {@code #"…"}: a regular expression, as Clojure's reader (and so Datomic's query text)
   * reads it. Not EDN, but queries use it ({@code clojure.string/split}); backslashes stay in
   * the pattern as written.
   */
  private java.util.regex.Pattern readRegex(int start) {
    StringBuilder b = new StringBuilder();
    int i = start + 2;
    while (i < len && buf[i] != '"') {
      if (buf[i] == '\\' && i + 1 < len) {
        b.append(buf[i++]);
      }
      b.append(buf[i++]);
    }
    if (i >= len) {
      throw error(start, "Unterminated regular expression #\"");
    }
    pos = i + 1;
    try {
      return java.util.regex.Pattern.compile(b.toString());
    } catch (java.util.regex.PatternSyntaxException e) {
      throw error(start, "Invalid regular expression #\"" + b + "\": " + e.getDescription());
    }
  }

  private String readString() {
    final char[] b = buf;
    int start = pos;
    int i = start + 1;
    // Fast path: most strings have no escapes and become one copy of the buffer.
    while (i < len) {
      char c = b[i];
      if (c == '"') {
        pos = i + 1;
        return new String(b, start + 1, i - start - 1);
      }
      if (c == '\\') {
        break;
      }
      i++;
    }
    StringBuilder sb = new StringBuilder(i - start + 16);
    int run = start + 1;
    while (i < len) {
      char c = b[i];
      if (c == '"') {
        pos = i + 1;
        return sb.append(b, run, i - run).toString();
      }
      if (c != '\\') {
        i++;
        continue;
      }
      sb.append(b, run, i - run);
      if (i + 1 >= len) {
        break;
      }
      char e = b[i + 1];
      switch (e) {
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'n' -> sb.append('\n');
        case '\\' -> sb.append('\\');
        case '"' -> sb.append('"');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          int code = hex4(i + 2);
          if (code < 0) {
            throw error(i, "Invalid unicode escape " + clip(text(i, Math.min(i + 6, len)))
                + " in string", "expected \\u and four hexadecimal digits");
          }
          sb.append((char) code);
          i += 4;
        }
        default -> throw error(i, "Unsupported escape " + clip("\\" + e) + " in string");
      }
      i += 2;
      run = i;
    }
    throw error(start, "Unterminated string starting");
  }

  /** The value of four hexadecimal digits at {@code at}, or -1. */
  private int hex4(int at) {
    if (at + 4 > len) {
      return -1;
    }
    int code = 0;
    for (int k = at; k < at + 4; k++) {
      int d = Character.digit(buf[k], 16);
      if (d < 0 || buf[k] >= 128) {
        return -1;
      }
      code = code * 16 + d;
    }
    return code;
  }

  private Character readCharacter() {
    int start = pos;
    if (start + 1 >= len) {
      throw error(start, "Unexpected end of input after '\\'");
    }
    char first = buf[start + 1];
    if (first != ',' && isWhitespace(first)) {
      throw error(start, "Invalid character literal", "'\\' is followed by whitespace");
    }
    int end = tokenEnd(start + 2);
    pos = end;
    if (end == start + 2) {
      return first;
    }
    String name = text(start + 1, end);
    int code = switch (name) {
      case "newline" -> '\n';
      case "space" -> ' ';
      case "tab" -> '\t';
      case "return" -> '\r';
      case "formfeed" -> '\f';
      case "backspace" -> '\b';
      default -> first == 'u' && name.length() == 5 ? hex4(start + 2)
          : first == 'o' && name.length() <= 4 ? octal(name)
          : -1;
    };
    if (code < 0) {
      throw error(start, "Invalid character literal " + clip("\\" + name));
    }
    return (char) code;
  }

  /** Clojure's {@code \o101}: one to three octal digits up to 377, or -1. */
  private static int octal(String name) {
    int code = 0;
    for (int k = 1; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < '0' || c > '7') {
        return -1;
      }
      code = code * 8 + (c - '0');
    }
    return code <= 0377 ? code : -1;
  }

  private Object readKeyword() {
    int start = pos;
    int end = tokenEnd(start + 1);
    if (end == start + 1) {
      throw error(start, "Invalid keyword ':'", "a keyword needs a name after the colon");
    }
    if (buf[start + 1] == ':') {
      throw error(start, "Invalid keyword " + clip(text(start, end)),
          "auto-resolved keywords are not part of EDN");
    }
    int h = 0;
    for (int i = start + 1; i < end; i++) {
      h = 31 * h + buf[i];
    }
    int slot = (h ^ (h >>> 8)) & (recentKeywords.length - 1);
    char[] seen = recentText[slot];
    if (seen != null && sameText(seen, start + 1, end)) {
      pos = end;
      return recentKeywords[slot];
    }
    if (!validSymbolic(start + 1, end, true)) {
      throw error(start, "Invalid keyword " + clip(text(start, end)));
    }
    pos = end;
    Keyword k = Keyword.intern(text(start + 1, end));
    recentKeywords[slot] = k;
    recentText[slot] = Arrays.copyOfRange(buf, start + 1, end);
    return k;
  }

  private boolean sameText(char[] text, int start, int end) {
    return Arrays.equals(text, 0, text.length, buf, start, end);
  }

  /** A symbol, or nil, true or false. */
  private Object readSymbol() {
    int start = pos;
    char c = buf[start];
    if (c < 128 && (CLASS[c] & SYMBOL_START) == 0) {
      throw error(start, "Unexpected character " + describeChar(c));
    }
    int end = tokenEnd(start);
    int n = end - start;
    if (n == 3 && matches(start, "nil")) {
      pos = end;
      return null;
    }
    if (n == 4 && matches(start, "true")) {
      pos = end;
      return Boolean.TRUE;
    }
    if (n == 5 && matches(start, "false")) {
      pos = end;
      return Boolean.FALSE;
    }
    if (!validSymbolic(start, end, false)) {
      throw error(start, "Invalid symbol " + clip(text(start, end)));
    }
    pos = end;
    return Symbol.intern(text(start, end));
  }

  private boolean matches(int at, String word) {
    for (int k = 0; k < word.length(); k++) {
      if (buf[at + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a symbol or a keyword without its colon against EDN's rules: symbol characters
   * only; at most one {@code /} separating two non-empty parts (or {@code /} alone, or a name
   * {@code /} as in {@code clojure.core//}); a part does not start with a digit, nor with
   * {@code + - .} followed by a digit; no trailing {@code :} and no {@code ::} (Clojure). A
   * keyword's first part may start with a digit, as Clojure reads {@code :1}.
   */
  private boolean validSymbolic(int start, int end, boolean keyword) {
    if (start >= end) {
      return false;
    }
    int slash = -1;
    for (int i = start; i < end; i++) {
      char c = buf[i];
      if (c < 128 && (CLASS[c] & SYMBOL_CHAR) == 0) {
        return false;
      }
      if (c == ':' && (i + 1 == end || buf[i + 1] == ':')) {
        return false;
      }
      if (c == '/' && slash < 0) {
        slash = i;
      }
    }
    if (slash < 0) {
      return keyword || validPart(start, end);
    }
    if (end - start == 1) {
      return true;
    }
    if (slash == start || slash == end - 1) {
      return false;
    }
    boolean slashName = end - slash == 2 && buf[slash + 1] == '/';
    for (int i = slash + 1; i < end && !slashName; i++) {
      if (buf[i] == '/') {
        return false;
      }
    }
    return (keyword || validPart(start, slash)) && (slashName || validPart(slash + 1, end));
  }

  private boolean validPart(int start, int end) {
    char c = buf[start];
    if (isDigit(c) || c == '\'') {
      return false;
    }
    return !((c == '+' || c == '-' || c == '.') && end - start > 1 && isDigit(buf[start + 1]));
  }

  // ---------------------------------------------------------------- numbers

  private Object readNumber() {
    int start = pos;
    int end = tokenEnd(start);
    pos = end;
    Object n = parseNumber(start, end);
    if (n == null) {
      throw error(start, "Invalid number " + clip(text(start, end)));
    }
    return n;
  }

  /** The number in {@code buf[start, end)}, or null when it is not a valid EDN number. */
  private Object parseNumber(int start, int end) {
    final char[] b = buf;
    int i = start;
    boolean negative = b[i] == '-';
    if (negative || b[i] == '+') {
      i++;
    }
    int digits = i;
    long value = 0;
    while (i < end && isDigit(b[i])) {
      value = value * 10 + (b[i] - '0');
      i++;
    }
    int count = i - digits;
    boolean leadingZero = count > 1 && b[digits] == '0';
    if (i == end) {
      if (leadingZero) {
        return null;
      }
      // 18 digits always fit a long; longer ones may overflow into a BigInteger.
      return count <= 18 ? (Object) (negative ? -value : value) : integer(start, end);
    }
    char c = b[i];
    if (c == 'N' && i == end - 1) {
      return leadingZero ? null : new BigInteger(text(start, i));
    }
    if ((c == 'x' || c == 'X') && count == 1 && b[digits] == '0') {
      return hexInteger(i + 1, end, negative);
    }
    if (c == '/') {
      throw error(start, "Invalid number " + clip(text(start, end)), "ratios are not part of EDN");
    }
    return decimal(start, i, end);
  }

  /** A decimal integer too long for the fast path: a Long if it fits, else a BigInteger. */
  private Object integer(int start, int end) {
    BigInteger big = new BigInteger(text(start, end));
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }

  /** The digits after {@code 0x}, with an optional N suffix. */
  private Object hexInteger(int start, int end, boolean negative) {
    boolean big = end > start && buf[end - 1] == 'N';
    int digitsEnd = big ? end - 1 : end;
    if (digitsEnd == start) {
      return null;
    }
    for (int k = start; k < digitsEnd; k++) {
      if (buf[k] >= 128 || Character.digit(buf[k], 16) < 0) {
        return null;
      }
    }
    BigInteger value = new BigInteger(text(start, digitsEnd), 16);
    if (negative) {
      value = value.negate();
    }
    return big || value.bitLength() >= 64 ? value : (Object) value.longValue();
  }

  /**
   * A float: the integer part ends at {@code i}; then an optional fraction, an optional
   * exponent and an optional {@code M}. Validated by hand because Double.parseDouble accepts
   * more (hex floats, {@code Infinity}, a {@code d} suffix).
   */
  private Object decimal(int start, int i, int end) {
    final char[] b = buf;
    if (i < end && b[i] == '.') {
      i++;
      while (i < end && isDigit(b[i])) {
        i++;
      }
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int exponentDigits = i;
      while (i < end && isDigit(b[i])) {
        i++;
      }
      if (i == exponentDigits) {
        return null;
      }
    }
    boolean big = i == end - 1 && b[i] == 'M';
    if (i != end && !big) {
      return null;
    }
    String text = text(start, big ? end - 1 : end);
    if (!big) {
      return Double.parseDouble(text);
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw error(start, "Decimal " + text + "M is out of range (its exponent must fit in 32 bits)");
    }
  }

  // ---------------------------------------------------------------- scanning helpers

  /** The end of the token starting at {@code i}: the next delimiter or the end of input. */
  private int tokenEnd(int i) {
    final char[] b = buf;
    while (i < len) {
      char c = b[i];
      if (c < 128 ? (CLASS[c] & DELIMITER) != 0 : isWhitespace(c)) {
        break;
      }
      i++;
    }
    return i;
  }

  private static boolean isWhitespace(char c) {
    // U+FEFF (a byte order mark, or a zero-width no-break space) separates like a space: inside
    // a symbol it would be invisible, and a file may start with it.
    return c < 128 ? (CLASS[c] & WHITESPACE) != 0 : Character.isWhitespace(c) || c == '\uFEFF';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isCloser(int c) {
    return c == ')' || c == ']' || c == '}';
  }

  private String text(int start, int end) {
    return new String(buf, start, end - start);
  }

  // ---------------------------------------------------------------- errors

  private EdnException unmatched(int c) {
    return error(pos, "Unmatched '" + (char) c + "'");
  }

  private EdnException tooDeep() {
    return error(Math.min(pos, len), "Forms are nested too deeply");
  }

  private EdnException error(int offset, String problem) {
    return error(offset, problem, null, null);
  }

  private EdnException error(int offset, String problem, String detail) {
    return error(offset, problem, detail, null);
  }

  /** An error at an offset: "problem at line L, column C[: detail]". */
  private EdnException error(int offset, String problem, String detail, Throwable cause) {
    int[] place = place(offset);
    String message = problem + " at line " + place[0] + ", column " + place[1]
        + (detail == null ? "" : ": " + detail);
    return new EdnException(message, place[0], place[1], cause);
  }

  private String where(int offset) {
    int[] place = place(offset);
    return "line " + place[0] + ", column " + place[1];
  }

  /**
   * The 1-based line and column of an offset, counted here rather than while scanning since
   * only errors need them. Line breaks are \n, \r\n and a lone \r; a column counts code points.
   */
  private int[] place(int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < len; i++) {
      char c = buf[i];
      if (c == '\n' || (c == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
        line++;
        column = 1;
      } else if (!(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(buf[i - 1]))) {
        column++;
      }
    }
    return new int[] {line, column};
  }

  /** A value for an error message: its EDN form, shortened. */
  private static String describe(Object value) {
    String s;
    try {
      s = EdnPrinter.print(value);
    } catch (RuntimeException e) {
      s = String.valueOf(value);
    }
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static String describeChar(char c) {
    boolean invisible = c != ' '
        && (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c));
    return invisible ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }

  /** A token for an error message, shortened. */
  private static String clip(String token) {
    return token.length() <= 60 ? token : token.substring(0, 57) + "...";
  }

  // ---------------------------------------------------------------- input

  /** The characters of a java.io.Reader, read to the end. */
  private static char[] slurp(Reader in) {
    char[] chars = new char[8192];
    int length = 0;
    try {
      for (int n; (n = in.read(chars, length, chars.length - length)) >= 0; ) {
        length += n;
        if (length == chars.length) {
          chars = Arrays.copyOf(chars, length * 2);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Arrays.copyOf(chars, length);
  }
}
