package io.accrete.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The people workload of the DataScript and Datalevin benchmarks: persons with {@code :name},
 * {@code :last-name}, {@code :sex}, {@code :age}, {@code :salary} and a few {@code :follows}
 * references, generated from a fixed seed so every JVM (Accrete's, Datomic's) builds the same
 * data.
 *
 * <p>The generator is neutral: it yields {@link Person} records. {@link #schema} and the
 * {@code *Tx} methods turn them into transaction data (plain {@code java.util} lists and maps)
 * with the keywords of one system, given as a function from a keyword's name without colon
 * ({@code "db/ident"}, {@code "name"}) to that system's keyword object.
 */
public final class People {
  private People() {}

  /** The seed every run uses. */
  public static final long SEED = 20_000L;

  /** Persons in the load workload. */
  public static final int LOAD_PERSONS = 20_000;

  /** Entities per transaction in the load workload. */
  public static final int LOAD_BATCH = 1_000;

  /** Transactions (one person each) in the single-entity workload. */
  public static final int SINGLE_PERSONS = 5_000;

  /** Most persons one person follows. */
  static final int MAX_FOLLOWS = 4;

  static final String[] FIRST_NAMES = {
    "Ivan", "Petr", "Sergei", "Oleg", "Yuri", "Dmitry", "Fedor", "Denis", "Anna", "Maria",
    "Olga", "Elena", "Irina", "Natalia", "Svetlana", "Tatiana", "Igor", "Pavel", "Nikolai", "Vera"
  };

  static final String[] LAST_NAMES = {
    "Ivanov", "Petrov", "Sidorov", "Kovalev", "Kuznetsov", "Voronoi", "Smirnov", "Popov",
    "Vasiliev", "Sokolov", "Mikhailov", "Novikov", "Fedorov", "Morozov", "Volkov", "Alekseev",
    "Lebedev", "Semenov", "Egorov", "Pavlov"
  };

  /**
   * One person. {@code followsInBatch} are indexes of other persons in the same
   * {@link #LOAD_BATCH}-person batch (referenced by tempid in the load workload);
   * {@code followsEarlier} are indexes of persons created before this one (referenced by entity
   * id in the single-entity workload). Both hold 0–{@value #MAX_FOLLOWS} distinct indexes.
   */
  public record Person(int index, String name, String lastName, boolean male, long age, long salary,
      int[] followsInBatch, int[] followsEarlier) {}

  /** {@code n} persons from {@link #SEED}; the first {@code k} of {@code generate(n)} do not depend on {@code n}. */
  public static List<Person> generate(int n) {
    SplittableRandom rnd = new SplittableRandom(SEED);
    List<Person> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = FIRST_NAMES[rnd.nextInt(FIRST_NAMES.length)];
      String last = LAST_NAMES[rnd.nextInt(LAST_NAMES.length)];
      boolean male = rnd.nextBoolean();
      long age = rnd.nextInt(100);
      long salary = rnd.nextInt(100_000);
      int batchStart = i / LOAD_BATCH * LOAD_BATCH;
      int batchEnd = batchStart + LOAD_BATCH;
      int[] inBatch = pick(rnd, rnd.nextInt(MAX_FOLLOWS + 1), batchStart, batchEnd, i);
      int[] earlier = pick(rnd, Math.min(rnd.nextInt(MAX_FOLLOWS + 1), i), 0, i, -1);
      out.add(new Person(i, name, last, male, age, salary, inBatch, earlier));
    }
    return out;
  }

  /** {@code k} distinct ints in [from, to), none equal to {@code except}. */
  private static int[] pick(SplittableRandom rnd, int k, int from, int to, int except) {
    LinkedHashSet<Integer> s = new LinkedHashSet<>();
    int room = to - from - (except >= from && except < to ? 1 : 0);
    k = Math.min(k, room);
    while (s.size() < k) {
      int j = from + rnd.nextInt(to - from);
      if (j != except) {
        s.add(j);
      }
    }
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The schema transaction: six attributes, all cardinality one except {@code :follows}. */
  public static List<Object> schema(Function<String, Object> kw) {
    return schema(kw, false);
  }

  /**
   * The schema transaction; with {@code index}, every attribute also gets {@code :db/index true}
   * (the query benchmarks: Datomic keeps AVET only for such attributes, Accrete keeps AVET for
   * every attribute and ignores the flag).
   */
  public static List<Object> schema(Function<String, Object> kw, boolean index) {
    List<Object> tx = new ArrayList<>();
    tx.add(attr(kw, "name", "string", "one", index));
    tx.add(attr(kw, "last-name", "string", "one", index));
    tx.add(attr(kw, "sex", "keyword", "one", index));
    tx.add(attr(kw, "age", "long", "one", index));
    tx.add(attr(kw, "salary", "long", "one", index));
    tx.add(attr(kw, "follows", "ref", "many", index));
    return tx;
  }

  private static Map<Object, Object> attr(Function<String, Object> kw, String ident, String type, String card,
      boolean index) {
    Map<Object, Object> m = new HashMap<>();
    m.put(kw.apply("db/ident"), kw.apply(ident));
    m.put(kw.apply("db/valueType"), kw.apply("db.type/" + type));
    m.put(kw.apply("db/cardinality"), kw.apply("db.cardinality/" + card));
    if (index) {
      m.put(kw.apply("db/index"), Boolean.TRUE);
    }
    return m;
  }

  /** The tempid string of person {@code i} in the load workload. */
  static String tempid(int i) {
    return "p" + i;
  }

  /**
   * The load workload's transactions: consecutive batches of {@link #LOAD_BATCH} entity maps;
   * each person's {@code :follows} names others of its batch by tempid string.
   */
  public static List<List<Object>> loadTx(List<Person> persons, Function<String, Object> kw) {
    Keys k = new Keys(kw);
    List<List<Object>> txs = new ArrayList<>();
    for (int start = 0; start < persons.size(); start += LOAD_BATCH) {
      int end = Math.min(start + LOAD_BATCH, persons.size());
      List<Object> tx = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        Person p = persons.get(i);
        Map<Object, Object> m = k.entity(p, tempid(i));
        if (p.followsInBatch().length > 0) {
          List<Object> f = new ArrayList<>(p.followsInBatch().length);
          for (int j : p.followsInBatch()) {
            if (j < end) {
              f.add(tempid(j));
            }
          }
          if (!f.isEmpty()) {
            m.put(k.follows, f);
          }
        }
        tx.add(m);
      }
      txs.add(tx);
    }
    return txs;
  }

  /**
   * One transaction of the single-entity workload: a list holding one entity map with tempid
   * {@code "p"}. When the person follows others, the map's {@code :follows} value is a mutable
   * list of the right size whose elements {@link SingleTx#fill} sets, just before transacting,
   * to the entity ids those earlier persons got.
   */
  public record SingleTx(List<Object> tx, List<Object> follows, int[] targets) {
    /** Sets the {@code :follows} values from the entity ids of earlier persons. */
    public void fill(long[] eids) {
      for (int k = 0; k < targets.length; k++) {
        follows.set(k, eids[targets[k]]);
      }
    }
  }

  /** The single-entity workload's transactions, one person each. */
  public static List<SingleTx> singleTx(List<Person> persons, Function<String, Object> kw) {
    Keys k = new Keys(kw);
    List<SingleTx> out = new ArrayList<>(persons.size());
    for (Person p : persons) {
      Map<Object, Object> m = k.entity(p, "p");
      List<Object> follows = new ArrayList<>(Collections.nCopies(p.followsEarlier().length, (Object) 0L));
      if (!follows.isEmpty()) {
        m.put(k.follows, follows);
      }
      out.add(new SingleTx(List.of(m), follows, p.followsEarlier()));
    }
    return out;
  }

  /** Keywords of one system, looked up once. */
  /**
   * The load workload's transactions as EDN text, one vector per transaction: what a user's
   * export file holds, for the import workload (read and transacted by each system's own reader).
   */
  public static String loadEdn(List<Person> persons) {
    StringBuilder sb = new StringBuilder();
    for (List<Object> tx : loadTx(persons, name -> new EdnKeyword(name))) {
      printEdn(tx, sb);
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A keyword for {@link #loadEdn}: only its text matters. */
  private record EdnKeyword(String name) {}

  private static void printEdn(Object x, StringBuilder sb) {
    if (x instanceof EdnKeyword k) {
      sb.append(':').append(k.name());
    } else if (x instanceof String s) {
      sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else if (x instanceof Map<?, ?> m) {
      sb.append('{');
      String sep = "";
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(sep);
        printEdn(e.getKey(), sb);
        sb.append(' ');
        printEdn(e.getValue(), sb);
        sep = " ";
      }
      sb.append('}');
    } else if (x instanceof List<?> l) {
      sb.append('[');
      String sep = "";
      for (Object o : l) {
        sb.append(sep);
        printEdn(o, sb);
        sep = " ";
      }
      sb.append(']');
    } else {
      sb.append(x); // longs and booleans print as EDN
    }
  }

  private static final class Keys {
    final Object dbId;
    final Object name;
    final Object lastName;
    final Object sex;
    final Object age;
    final Object salary;
    final Object follows;
    final Object male;
    final Object female;

    Keys(Function<String, Object> kw) {
      dbId = kw.apply("db/id");
      name = kw.apply("name");
      lastName = kw.apply("last-name");
      sex = kw.apply("sex");
      age = kw.apply("age");
      salary = kw.apply("salary");
      follows = kw.apply("follows");
      male = kw.apply("male");
      female = kw.apply("female");
    }

    Map<Object, Object> entity(Person p, String tempid) {
      Map<Object, Object> m = new HashMap<>();
      m.put(dbId, tempid);
      m.put(name, p.name());
      m.put(lastName, p.lastName());
      m.put(sex, p.male() ? male : female);
      m.put(age, p.age());
      m.put(salary, p.salary());
      return m;
    }
  }
}
