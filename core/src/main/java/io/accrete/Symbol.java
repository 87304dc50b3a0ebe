package io.accrete;

import java.util.Objects;

/**
 * An EDN symbol such as {@code ?e}, {@code count} or {@code java.lang.Math/abs}: an immutable
 * name with an optional namespace. Symbols name query variables, functions and rules.
 * {@link #toString()} prints the EDN form.
 */
public final class Symbol implements Comparable<Symbol> {
  private final String namespace;
  private final String name;
  private final String text;

  private Symbol(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
    this.text = namespace == null ? name : namespace + "/" + name;
  }

  /**
   * Returns the symbol for a namespace and a name.
   *
   * @param namespace the namespace, or null for none
   * @param name the name, not empty
   */
  public static Symbol of(String namespace, String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a symbol needs a name");
    }
    return new Symbol(namespace, name);
  }

  /**
   * Parses {@code "ns/name"} or {@code "name"} into a symbol. The first slash separates the
   * namespace from the name; {@code "/"} alone is the division symbol.
   */
  public static Symbol intern(String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.indexOf('/');
    if (slash <= 0 || text.length() == 1) {
      return of(null, text);
    }
    return of(text.substring(0, slash), text.substring(slash + 1));
  }

  /** The namespace, or null when the symbol has none. */
  public String namespace() {
    return namespace;
  }

  /** The name, without namespace. */
  public String name() {
    return name;
  }

  /** True for query variables: symbols whose name starts with {@code ?}. */
  public boolean isVariable() {
    return namespace == null && name.startsWith("?");
  }

  @Override
  public int compareTo(Symbol o) {
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
    return this == o || (o instanceof Symbol s && s.text.equals(text));
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The EDN form: {@code ns/name}. */
  @Override
  public String toString() {
    return text;
  }
}
