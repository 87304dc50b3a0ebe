/**
 * Schema as data: the bootstrap attributes, value types, entity ids and the immutable schema
 * derived from a database's datoms. Internal to the core, except for the types the read SPI
 * ({@link io.accrete.spi.IndexAccess}) hands out or needs to name datoms: {@link
 * io.accrete.schema.Schema}, {@link io.accrete.schema.ValueType}, the ids of the built-in
 * attributes in {@link io.accrete.schema.Bootstrap} and the t/tx conversions of {@link
 * io.accrete.schema.Ids}.
 */
package io.accrete.schema;
