/** Benchmarks of Accrete against Datomic's peer library and PostgreSQL. */
package io.accrete.bench;
