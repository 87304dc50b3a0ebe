/**
 * The covering indexes: trees of sorted datom segments plus in-memory novelty. Internal to the
 * core, except for the types the read SPI ({@link io.accrete.spi.IndexAccess}) hands out:
 * {@link io.accrete.index.DatomCursor}, {@link io.accrete.index.IndexOrder} and the seek-key
 * bounds {@link io.accrete.index.Values#MIN} and {@link io.accrete.index.Values#MAX}.
 */
package io.accrete.index;
