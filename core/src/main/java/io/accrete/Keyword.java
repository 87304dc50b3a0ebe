package io.accrete;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An EDN keyword such as {@code :person/name}: an interned, immutable name with an optional
 * namespace. Keywords name attributes, idents and enum values.
 *
 * <p>Keywords are interned, so two equal keywords are usually the same object; {@link #equals}
 * still compares by value. {@link #toString()} prints the EDN form, {@code :ns/name}.
 */
public final class Keyword implements Comparable<Keyword> {
  private static final ConcurrentHashMap<String, Keyword> INTERNED = new ConcurrentHashMap<>();

  private final String namespace;
  private final String name;
  private final String text;
  private final int hash;

  private Keyword(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
    this.text = namespace == null ? name : namespace + "/" + name;
    this.hash = text.hashCode() * 31 + 7;
  }

  /**
   * Returns the keyword for a namespace and a name.
   *
   * @param namespace the namespace, or null for none
   * @param name the name, not empty
   */
  public static Keyword of(String namespace, String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a keyword needs a name");
    }
    String key = namespace == null ? name : namespace + "/" + name;
    Keyword k = INTERNED.get(key);
    return k != null ? k : INTERNED.computeIfAbsent(key, s -> new Keyword(namespace, name));
  }

  /**
   * Parses {@code ":ns/name"}, {@code "ns/name"} or {@code "name"} into a keyword. The text's
   * first slash separates namespace and name; {@code "/"} alone is the name {@code /}.
   */
  public static Keyword intern(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.startsWith(":") ? text.substring(1) : text;
    Keyword k = INTERNED.get(s);
    if (k != null) {
      return k;
    }
    int slash = s.indexOf('/');
    if (slash <= 0 || s.length() == 1) {
      return of(null, s);
    }
    return of(s.substring(0, slash), s.substring(slash + 1));
  }

  /** The namespace, or null when the keyword has none. */
  public String namespace() {
    return namespace;
  }

  /** The name, without namespace. */
  public String name() {
    return name;
  }

  /** The namespace and name without the leading colon: {@code person/name}. */
  public String fullName() {
    return text;
  }

  /** True when the name starts with an underscore, as reverse attribute references do. */
  public boolean isReverse() {
    return name.startsWith("_");
  }

  @Override
  public int compareTo(Keyword o) {
    if (this == o) {
      return 0;
    }
    if (namespace == null) {
      if (o.namespace != null) {
        return -1;
      }
    } else {
      if (o.namespace == null) {
        return 1;
      }
      int c = namespace.compareTo(o.namespace);
      if (c != 0) {
        return c;
      }
    }
    return name.compareTo(o.name);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Keyword k && k.text.equals(text));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The EDN form: {@code :ns/name}. */
  @Override
  public String toString() {
    return ":" + text;
  }
}
