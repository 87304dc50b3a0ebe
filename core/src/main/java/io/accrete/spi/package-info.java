/**
 * Accrete's service-provider interfaces, for modules outside the core: {@link
 * io.accrete.spi.DatabaseProvider} (the database URI schemes, found with {@link
 * java.util.ServiceLoader}) and {@link io.accrete.spi.IndexAccess} (the read SPI: a database
 * value's covering indexes as cursors and counts, for readers that plan their own access, such
 * as the SQL layer). Other modules reach the core's internals only through these and the public
 * API in {@code io.accrete}.
 */
package io.accrete.spi;
