package io.accrete.bench;

import io.accrete.Keyword;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows {@link StorageBench} writes, the same on every side: person {@code i} has a name
 * (one of {@value #NAMES} names, so a name matches about one person in {@value #NAMES}), an age
 * in 0–99 and a unique email. Everything is a pure function of {@code i}, so the Accrete
 * imports, the plain PostgreSQL loads and the queries agree without keeping a million rows in
 * memory; the callers build each transaction or COPY chunk from it inside the timed loop, the
 * same way on every side.
 *
 * <p>In Accrete a person is one entity with {@code :person/name}, {@code :person/age} and
 * {@code :person/email} (unique identity): three datoms. In plain PostgreSQL it is one row of
 * {@code (id, name, age, email)}.
 */
final class PersonRows {
  private PersonRows() {}

  /** Datoms per person (name, age, email), not counting each transaction's own datom. */
  static final int DATOMS_PER_PERSON = 3;

  /** Distinct names. */
  static final int NAMES = 1000;

  static final Keyword DB_ID = Keyword.intern(":db/id");
  static final Keyword NAME = Keyword.intern(":person/name");
  static final Keyword AGE = Keyword.intern(":person/age");
  static final Keyword EMAIL = Keyword.intern(":person/email");

  /** The schema transaction, as EDN. */
  static final String SCHEMA = """
      [{:db/ident :person/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :person/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :person/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}]""";

  /** A well-mixed 64-bit hash of {@code i} (SplitMix64's finalizer), so names and ages look random. */
  private static long mix(long i) {
    long z = i * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static String name(long i) {
    return "name-" + Math.floorMod(mix(i), NAMES);
  }

  static long age(long i) {
    return Math.floorMod(mix(i) >>> 20, 100);
  }

  static String email(long i) {
    return "person" + i + "@example.com";
  }

  /** One person as an Accrete entity map with a string tempid. */
  static Map<Object, Object> entity(long i, String tempid) {
    Map<Object, Object> m = new HashMap<>(8);
    m.put(DB_ID, tempid);
    m.put(NAME, name(i));
    m.put(AGE, age(i));
    m.put(EMAIL, email(i));
    return m;
  }

  /** Persons {@code from} (inclusive) to {@code to} (exclusive) as one Accrete transaction. */
  static List<Object> batch(long from, long to) {
    List<Object> tx = new ArrayList<>((int) (to - from));
    for (long i = from; i < to; i++) {
      tx.add(entity(i, "p" + i));
    }
    return tx;
  }

  /** One person as a line of PostgreSQL's COPY text format (no value needs escaping). */
  static void copyLine(long i, StringBuilder out) {
    out.append(i).append('\t').append(name(i)).append('\t').append(age(i)).append('\t').append(email(i)).append('\n');
  }
}
