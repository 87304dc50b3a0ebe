package io.accrete;

import java.util.Set;

/**
 * A lazy, navigable view of one entity in one database value. Attribute values load on first
 * access. Card-one attributes give a value, card-many a {@code Set}; references give an
 * {@code Entity}, or the {@link Keyword} ident when the referenced entity has one (an enum),
 * as in Datomic. Reverse references ({@code :person/_friend}) give the set of entities that
 * point here (one entity for a component attribute). Two entities are equal when they have
 * the same id and database.
 */
public interface Entity {
  /** The entity id. */
  long id();

  /** The database value this entity belongs to. */
  Database db();

  /**
   * The value of an attribute, forward or reverse, given as a {@link Keyword} or as text
   * ({@code ":person/name"}); {@code :db/id} gives the id. Null when absent.
   */
  Object get(Object attr);

  /** The attributes this entity has, as text ({@code ":person/name"}), as Datomic returns them. */
  Set<String> keySet();

  /** Loads every attribute now and returns this entity. */
  Entity touch();
}
