package io.accrete.spi;

import io.accrete.Connection;

/**
 * A kind of database URI ({@code accrete:<scheme>://…}) and how to create, connect to and
 * delete its databases. Providers are found with {@link java.util.ServiceLoader}; core has
 * {@code mem}, the transactor module adds {@code local} and {@code sql}.
 */
public interface DatabaseProvider {
  /** The URI scheme this provider serves, e.g. {@code mem}. */
  String scheme();

  /** Creates the database; false when it already exists. */
  boolean createDatabase(DatabaseUri uri);

  /** Connects to an existing database; an error naming the URI when there is none. */
  Connection connect(DatabaseUri uri);

  /** Deletes the database; false when there was none. */
  boolean deleteDatabase(DatabaseUri uri);

  /**
   * The names of the databases where {@code uri} (whose name is {@code *}) points, for
   * {@link io.accrete.Peer#getDatabaseNames}; an error when this scheme cannot list them.
   */
  default java.util.List<String> databaseNames(DatabaseUri uri) {
    throw io.accrete.db.Errors.db("unsupported", "Listing databases is not supported for " + scheme() + ": URIs");
  }

  /**
   * Renames the database at {@code uri} to {@code newName} ({@link io.accrete.Peer#renameDatabase});
   * false when there is none; an error when this scheme cannot rename.
   */
  default boolean renameDatabase(DatabaseUri uri, String newName) {
    throw io.accrete.db.Errors.db("unsupported", "Renaming databases is not supported for " + scheme() + ": URIs");
  }

  /** Releases every connection this provider opened in this JVM ({@link io.accrete.Peer#shutdown}). */
  default void releaseAll() {}

  /** Every provider on the classpath (one shared instance each). */
  static java.util.Collection<DatabaseProvider> all() {
    return Providers.all();
  }

  /**
   * The provider of {@code uri}'s scheme: one shared instance per scheme, the one
   * {@link io.accrete.Peer} uses. An error listing the known schemes when none serves it.
   */
  static DatabaseProvider of(DatabaseUri uri) {
    return Providers.of(uri);
  }
}
