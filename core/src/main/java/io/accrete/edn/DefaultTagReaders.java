package io.accrete.edn;

import io.accrete.Symbol;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The tags every reader knows: {@code #inst}, {@code #uuid}, and {@code #uri} and {@code
 * #bytes} so that everything {@link EdnPrinter} prints reads back. Each reader throws
 * IllegalArgumentException with a short reason; {@link EdnReader} adds the place.
 */
final class DefaultTagReaders {
  static final Symbol INST = Symbol.of(null, "inst");
  static final Symbol UUID_TAG = Symbol.of(null, "uuid");
  static final Symbol URI_TAG = Symbol.of(null, "uri");
  static final Symbol BYTES = Symbol.of(null, "bytes");

  static final Map<Symbol, Function<Object, Object>> ALL =
      Map.of(
          INST, v -> Timestamps.parse(string(v)),
          UUID_TAG, v -> uuid(string(v)),
          URI_TAG, v -> uri(string(v)),
          BYTES, v -> bytes(string(v)));

  private DefaultTagReaders() {}

  private static String string(Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("expected a string");
  }

  /** Strict 8-4-4-4-12 hex, since UUID.fromString also accepts short groups like "1-2-3-4-5". */
  private static UUID uuid(String s) {
    if (s.length() != 36) {
      throw new IllegalArgumentException("a UUID has 36 characters");
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !isHex(c)) {
        throw new IllegalArgumentException(
            "a UUID is 8-4-4-4-12 hexadecimal digits; unexpected '" + c + "' at character "
                + (i + 1));
      }
    }
    return UUID.fromString(s);
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static URI uri(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static byte[] bytes(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not Base64: " + e.getMessage());
    }
  }
}
