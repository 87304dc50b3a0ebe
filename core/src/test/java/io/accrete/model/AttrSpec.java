package io.accrete.model;

import io.accrete.Keyword;

/** A generated attribute definition; {@link #id} is filled in once the schema is installed. */
final class AttrSpec {
  static final Keyword IDENTITY = Keyword.of("db.unique", "identity");
  static final Keyword VALUE = Keyword.of("db.unique", "value");

  final Keyword ident;
  final VType type;
  final boolean many;
  /** {@code :db.unique/identity}, {@code :db.unique/value} or null. */
  final Keyword unique;
  final boolean component;
  final boolean noHistory;
  long id;

  AttrSpec(Keyword ident, VType type, boolean many, Keyword unique, boolean component,
      boolean noHistory) {
    this.ident = ident;
    this.type = type;
    this.many = many;
    this.unique = unique;
    this.component = component;
    this.noHistory = noHistory;
  }

  boolean isRef() {
    return type == VType.REF;
  }

  boolean isUnique() {
    return unique != null;
  }

  boolean isIdentity() {
    return IDENTITY.equals(unique);
  }

  @Override
  public String toString() {
    return ident + " " + type + (many ? " many" : " one") + (unique != null ? " " + unique : "")
        + (component ? " component" : "") + (noHistory ? " noHistory" : "") + " id=" + id;
  }
}
