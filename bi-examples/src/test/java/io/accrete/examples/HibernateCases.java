package io.accrete.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hibernate ORM with its PostgreSQL dialect, used as its users use it: it creates its schema (identity
 * keys, a sequence, foreign keys, a unique constraint), persists, queries with joins, fetches and
 * pagination, updates and deletes — and every row it wrote is datoms that SQL reads {@code AS OF} the past.
 * Embedded ({@link HibernateEmbeddedTest}) and through {@code accrete serve} ({@link HibernateRemoteTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HibernateCases {
  SessionFactory sessions;

  /** The JDBC URL Hibernate connects to. */
  abstract String url();

  /** Stops what {@link #url()} started, after Hibernate closed its connections. */
  void stop() {}

  /** The URL that creates the database, when the URL itself can. */
  String createUrl() {
    return url();
  }

  @Entity(name = "Author")
  @Table(name = "author")
  public static class Author {
    @Id @GeneratedValue(strategy = GenerationType.IDENTITY) Long id;
    @Column(nullable = false, unique = true, length = 80) String name;
    LocalDate born;
    @OneToMany(mappedBy = "author") List<Book> books = new ArrayList<>();

    Author() {}

    Author(String name, LocalDate born) {
      this.name = name;
      this.born = born;
    }
  }

  @Entity(name = "Book")
  @Table(name = "book")
  public static class Book {
    @Id @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "book_seq")
    @SequenceGenerator(name = "book_seq", sequenceName = "book_seq", allocationSize = 5)
    Long id;
    @Column(nullable = false) String title;
    @Column(precision = 10, scale = 2) BigDecimal price;
    Instant published;
    boolean inPrint;
    UUID isbnKey;
    @ManyToOne(fetch = FetchType.LAZY, optional = false) Author author;

    Book() {}

    Book(String title, String price, Author author) {
      this.title = title;
      this.price = new BigDecimal(price);
      this.author = author;
      this.published = Instant.parse("2020-01-02T03:04:05.123Z"); // instants keep milliseconds, as Datomic's do
      this.inPrint = true;
      this.isbnKey = UUID.nameUUIDFromBytes(title.getBytes());
    }
  }

  @BeforeAll
  void createSchema() {
    Properties p = new Properties();
    p.setProperty(AvailableSettings.JAKARTA_JDBC_URL, createUrl());
    p.setProperty(AvailableSettings.DIALECT, "org.hibernate.dialect.PostgreSQLDialect");
    p.setProperty(AvailableSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, "drop-and-create");
    p.setProperty(AvailableSettings.SHOW_SQL, "false");
    sessions = new Configuration().addProperties(p)
        .addAnnotatedClass(Author.class).addAnnotatedClass(Book.class).buildSessionFactory();
  }

  @AfterAll
  void close() {
    if (sessions != null) {
      sessions.close();
    }
    stop();
  }

  @Test
  void persistsQueriesUpdatesAndDeletes() throws Exception {
    long[] ids = sessions.fromTransaction(s -> {
      Author le = new Author("Ursula K. Le Guin", LocalDate.of(1929, 10, 21));
      Author lem = new Author("Stanisław Lem", LocalDate.of(1921, 9, 12));
      s.persist(le);
      s.persist(lem);
      for (String[] b : new String[][] {{"The Dispossessed", "14.99"}, {"The Lathe of Heaven", "12.50"},
          {"A Wizard of Earthsea", "9.95"}, {"The Left Hand of Darkness", "13.00"}}) {
        s.persist(new Book(b[0], b[1], le));
      }
      for (String[] b : new String[][] {{"Solaris", "11.20"}, {"The Cyberiad", "15.75"}, {"Fiasco", "10.00"}}) {
        s.persist(new Book(b[0], b[1], lem));
      }
      return new long[] {le.id, lem.id};
    });
    assertTrue(ids[0] > 0 && ids[1] > ids[0], "identity keys generated in order: " + ids[0] + ", " + ids[1]);

    // A join fetch, a parameter, ordering and a page of the answer.
    List<String> page = sessions.fromSession(s -> s.createSelectionQuery(
            "from Book b join fetch b.author a where a.name like :n order by b.title", Book.class)
        .setParameter("n", "Ursula%").setFirstResult(1).setMaxResults(2).getResultList()
        .stream().map(b -> b.title + " / " + b.author.name).toList());
    assertEquals(List.of("The Dispossessed / Ursula K. Le Guin", "The Lathe of Heaven / Ursula K. Le Guin"), page);

    // Aggregates grouped over a join, and a collection fetched through the one-to-many side.
    List<Object[]> totals = sessions.fromSession(s -> s.createSelectionQuery(
            "select a.name, count(b), sum(b.price) from Book b join b.author a group by a.name order by a.name",
            Object[].class).getResultList());
    assertEquals(2, totals.size());
    assertEquals("Stanisław Lem", totals.get(0)[0]);
    assertEquals(3L, totals.get(0)[1]);
    assertEquals(0, new BigDecimal("36.95").compareTo((BigDecimal) totals.get(0)[2]));
    int leGuinsBooks = sessions.fromSession(s -> s.get(Author.class, ids[0]).books.size());
    assertEquals(4, leGuinsBooks);

    // Types come back as they went in.
    Book solaris = sessions.fromSession(s -> s.createSelectionQuery("from Book where title = 'Solaris'", Book.class)
        .getSingleResult());
    assertEquals(new BigDecimal("11.20"), solaris.price);
    assertEquals(Instant.parse("2020-01-02T03:04:05.123Z"), solaris.published);
    assertTrue(solaris.inPrint);
    assertEquals(UUID.nameUUIDFromBytes("Solaris".getBytes()), solaris.isbnKey);

    long beforeUpdate = basisT();
    sessions.inTransaction(s -> s.find(Book.class, solaris.id).price = new BigDecimal("8.80"));
    sessions.inTransaction(s -> s.remove(s.find(Book.class, solaris.id)));
    assertNull(sessions.fromSession(s -> s.find(Book.class, solaris.id)));
    assertEquals(6L, (long) sessions.fromSession(s -> s.createSelectionQuery("select count(*) from Book", Long.class)
        .getSingleResult()));

    // Bulk HQL update and delete become SQL UPDATE and DELETE statements.
    int raised = sessions.fromTransaction(s -> s.createMutationQuery(
        "update Book set price = price + 1 where author.id = :a").setParameter("a", ids[0]).executeUpdate());
    assertEquals(4, raised);
    int gone = sessions.fromTransaction(s -> s.createMutationQuery("delete from Book where price > 15.9")
        .executeUpdate());
    assertEquals(1, gone, "only The Dispossessed, raised to 15.99, costs more than 15.90");

    // Nothing was overwritten: SQL reads the price Hibernate changed as it was before.
    try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT price FROM book FOR SYSTEM_TIME AS OF T(" + beforeUpdate
             + ") WHERE title = 'Solaris'")) {
      assertTrue(rs.next(), "Solaris is there as of t " + beforeUpdate);
      assertEquals(new BigDecimal("11.20"), rs.getBigDecimal(1));
    }
  }

  @Test
  void constraintViolationsReachTheOrmWithTheirSqlState() {
    sessions.inTransaction(s -> s.persist(new Author("Unique Name", null)));
    ConstraintViolationException e = assertThrows(ConstraintViolationException.class,
        () -> sessions.inTransaction(s -> s.persist(new Author("Unique Name", null))));
    assertEquals("23505", e.getSQLState());
    assertEquals("author_name_key", e.getConstraintName(), "PostgreSQL's words, which Hibernate reads the name from");
    Author a = sessions.fromSession(s -> s.createSelectionQuery("from Author where name = 'Unique Name'", Author.class)
        .getSingleResult());
    assertNotNull(a.id);
  }

  /** The basis t of the database now, read through SQL. */
  long basisT() throws SQLException {
    try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT max(t) FROM transactions")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
