package io.accrete.spi;

import io.accrete.db.Errors;

/**
 * A parsed database URI, {@code accrete:<scheme>://<rest>}: {@code accrete:mem://name},
 * {@code accrete:local:///dir/name}, {@code accrete:sql://name?jdbc:postgresql://…}. The
 * provider of the scheme interprets the rest.
 */
public final class DatabaseUri {
  private final String text;
  private final String scheme;
  private final String rest;

  private DatabaseUri(String text, String scheme, String rest) {
    this.text = text;
    this.scheme = scheme;
    this.rest = rest;
  }

  /** Parses a URI, or fails with a message that shows the expected form. */
  public static DatabaseUri parse(String text) {
    if (text == null) {
      throw Errors.db("invalid-uri", "A database URI is needed, e.g. accrete:mem://name");
    }
    String s = text.trim();
    if (!s.startsWith("accrete:")) {
      throw Errors.db("invalid-uri", "Database URI " + text
          + " must start with accrete: (accrete:mem://name, accrete:local:///dir/name or accrete:sql://name?jdbc:…)");
    }
    int sep = s.indexOf("://", 8);
    if (sep < 0) {
      throw Errors.db("invalid-uri", "Database URI " + text
          + " must look like accrete:<scheme>://<name>, e.g. accrete:mem://name");
    }
    String scheme = s.substring(8, sep);
    if (scheme.isEmpty() || !scheme.chars().allMatch(Character::isLetterOrDigit)) {
      throw Errors.db("invalid-uri", "Database URI " + text + " has no valid scheme before ://");
    }
    return new DatabaseUri(s, scheme, s.substring(sep + 3));
  }

  /** The scheme: {@code mem}, {@code local}, {@code sql}, … */
  public String scheme() {
    return scheme;
  }

  /** Everything after {@code ://}. */
  public String rest() {
    return rest;
  }

  /** The rest up to a {@code ?}. */
  public String path() {
    int q = rest.indexOf('?');
    return q < 0 ? rest : rest.substring(0, q);
  }

  /** The text after the first {@code ?}, or null. */
  public String query() {
    int q = rest.indexOf('?');
    return q < 0 ? null : rest.substring(q + 1);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseUri u && u.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
