package io.accrete.examples;

/** Hibernate on the embedded driver, the database made by the URL's {@code create=true}. */
class HibernateEmbeddedTest extends HibernateCases {
  final String url = "jdbc:accrete:mem://hibernate-" + System.nanoTime();

  @Override
  String url() {
    return url;
  }

  @Override
  String createUrl() {
    return url + ";create=true";
  }
}
