package io.accrete.cli;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Entity;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.edn.Edn;
import io.accrete.tx.TxProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code accrete demo}: the README's main job. Loads the movies data set into a fresh
 * database, reads it through the indexes, the entity API, pull and Datalog, changes facts over
 * time and travels back, in Java and in SQL.
 */
final class DemoCommand implements Main.Command {
  private static final Keyword TITLE = Keyword.intern(":movie/title");
  private static final Keyword AVET = Keyword.intern(":avet");
  private static final Keyword EAVT = Keyword.intern(":eavt");

  @Override
  public String summary() {
    return "load a sample data set into a local database, query it, change it, travel back in time [--dir D]";
  }

  @Override
  public String usage() {
    return """
        usage: accrete demo [--dir D]

        Loads the movies sample data set into a new local database, then reads it through the
        indexes, the entity API, pull and Datalog, changes facts over time, travels back in time
        and asks the same questions in SQL over JDBC.

        Options:
          --dir D      keep the database afterwards, in D/movies (D is created if missing).
                       If D/movies already exists (say, from an earlier demo) the demo stops with
                       exit status 1 and leaves it as it is: query it, or pick another D.
                       Without --dir the database lives in a temporary directory, deleted at the end.
          -h, --help   print this help

        Example:
          accrete demo --dir /tmp/accrete-demo
          accrete sql jdbc:accrete:local:///tmp/accrete-demo/movies -e 'SELECT title FROM movie'
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    java.nio.file.Path dir = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--dir")) {
        dir = java.nio.file.Path.of(TxFiles.value(args, ++i, "--dir")).toAbsolutePath();
      } else if (Main.looksLikeOption(args[i])) {
        throw Main.notAnOption(args[i]);
      } else {
        throw new Main.UsageException("unexpected argument " + args[i], true);
      }
    }
    boolean keep = dir != null;
    if (dir == null) {
      dir = java.nio.file.Files.createTempDirectory("accrete-demo");
    }
    String uri = "accrete:local://" + dir.resolve("movies");
    if (keep) {
      refuseExisting(dir.resolve("movies"));
    }
    if (!Peer.createDatabase(uri)) { // created meanwhile by someone else: still not ours to replace
      throw new Main.Failure(dir.resolve("movies") + " already holds a database; " + useIt(dir.resolve("movies")));
    }
    Connection conn = Peer.connect(uri);
    out.println("Accrete demo on " + uri);
    out.println();

    out.println("1. Import the movies data set (schema, then 70 people and movies), in batches");
    long start = System.nanoTime();
    long[] schema = ImportCommand.load(conn, "   schema.edn", resource("datasets/movies/schema.edn"), 20, out);
    long[] data = ImportCommand.load(conn, "   data.edn", resource("datasets/movies/data.edn"), 20, out);
    long loadedT = conn.db().basisT();
    double ms = (System.nanoTime() - start) / 1e6;
    out.printf("   %d + %d datoms in %d transactions, %.1f ms; basis t = %d%n",
        schema[1], data[1], schema[0] + data[0], ms, loadedT);
    conn.requestIndex();
    conn.release();
    conn = Peer.connect(uri);
    long files;
    try (java.util.stream.Stream<java.nio.file.Path> f = java.nio.file.Files.walk(dir.resolve("movies"))) {
      files = f.filter(java.nio.file.Files::isRegularFile).count();
    }
    out.println("   indexed into segments on disk (" + files + " files), released and reopened: basis t = "
        + conn.db().basisT());
    out.println();

    Database db = conn.db();
    out.println("2. Read it back");
    long aliens = first(db.datoms(AVET, TITLE, "Aliens")).e();
    Entity movie = db.entity(aliens);
    out.println("   AVET lookup of :movie/title \"Aliens\" -> entity " + aliens);
    out.println("   entity API: year " + movie.get(":movie/year") + ", directed by "
        + names(movie.get(":movie/director")) + ", cast " + names(movie.get(":movie/cast")));
    long mel = first(db.datoms(AVET, Keyword.intern(":person/name"), "Mel Gibson")).e();
    out.println("   reverse reference :movie/_cast of Mel Gibson -> "
        + titles(db.entity(mel).get(":movie/_cast")));
    Map<Object, Object> pulled = db.pull("[:movie/title :movie/year {:movie/director [:person/name]}]", aliens);
    out.println("   pull: " + Edn.print(pulled));
    out.println();

    out.println("3. Ask with Datalog");
    Object costars = Peer.q("[:find [?name ...] :in $ ?who :where [?p :person/name ?who] "
        + "[?m :movie/cast ?p] [?m :movie/cast ?c] [(!= ?c ?p)] [?c :person/name ?name]]", db, "Mel Gibson");
    out.println("   Mel Gibson's co-stars: " + sorted((java.util.Collection<?>) costars));
    Object perYear = Peer.q("[:find ?year (count ?m) :where [?m :movie/year ?year] [(< ?year 1984)]]", db);
    out.println("   movies per year before 1984: " + Edn.print(sortedRows((java.util.Collection<?>) perYear)));
    Object sequels = Peer.q("[:find [?title ...] :in $ % :where [?f :movie/title \"The Terminator\"] "
        + "(sequel-of ?f ?s) [?s :movie/title ?title]]", db,
        "[[(sequel-of ?a ?b) [?a :movie/sequel ?b]] [(sequel-of ?a ?b) [?a :movie/sequel ?x] (sequel-of ?x ?b)]]");
    out.println("   sequels of The Terminator (a recursive rule): " + sorted((java.util.Collection<?>) sequels));
    Map<io.accrete.Keyword, Object> plan = Peer.explain("[:find ?title :where [?m :movie/title ?title] "
        + "[?m :movie/cast ?p] [?p :person/name \"Sigourney Weaver\"]]", db);
    out.println("   the plan of a query written in the worst order (explain):");
    for (Object step : (List<?>) plan.get(Keyword.intern(":steps"))) {
      Map<?, ?> st = (Map<?, ?>) step;
      out.println("     " + Edn.print(st.get(Keyword.intern(":clause"))) + "  " + st.get(Keyword.intern(":strategy"))
          + ", estimated " + st.get(Keyword.intern(":estimated-rows")) + ", actual " + st.get(Keyword.intern(":actual-rows")));
    }
    out.println();

    out.println("4. Change facts over time");
    TxReport wrong = conn.transact("[[:db/add " + aliens + " :movie/year 1987]]").join();
    out.println("   t=" + wrong.dbAfter().basisT() + ": someone sets the year of Aliens to 1987");
    TxReport fixed = conn.transact("[[:db/cas " + aliens + " :movie/year 1987 1986] "
        + "{:db/id \"datomic.tx\" :db/doc \"fix the year of Aliens\"}]").join();
    out.println("   t=" + fixed.dbAfter().basisT() + ": :db/cas puts it back to 1986, with a note on the transaction");
    TxReport gone = conn.transact("[[:db/retract " + aliens + " :movie/cast "
        + first(db.datoms(AVET, Keyword.intern(":person/name"), "Carrie Henn")).e() + "]]").join();
    out.println("   t=" + gone.dbAfter().basisT() + ": Carrie Henn is retracted from the cast");
    out.println();

    out.println("5. Travel in time");
    Database now = conn.db();
    out.println("   now:                 year " + now.entity(aliens).get(":movie/year") + ", cast "
        + names(now.entity(aliens).get(":movie/cast")));
    Database then = now.asOf(wrong.dbAfter().basisT());
    out.println("   asOf t=" + then.asOfT() + ":        year " + then.entity(aliens).get(":movie/year")
        + ", cast " + names(then.entity(aliens).get(":movie/cast")));
    out.println("   history of :movie/year for Aliens, in transaction order:");
    List<Datom> history = new ArrayList<>();
    now.history().datoms(EAVT, aliens, Keyword.intern(":movie/year")).forEach(history::add);
    history.sort(java.util.Comparator.comparingLong(Datom::tx).thenComparing(Datom::added));
    for (Datom d : history) {
      Object note = now.entity(d.tx()).get(":db/doc");
      out.println("     " + (d.added() ? "asserted  " : "retracted ") + d.v() + " at t="
          + Peer.toT(d.tx()) + " " + Edn.print(now.entity(d.tx()).get(":db/txInstant"))
          + (note != null ? "  (" + note + ")" : ""));
    }
    out.println("   since t=" + loadedT + ": " + count(now.since(loadedT)
        .datoms(EAVT, aliens)) + " datom(s) of Aliens are newer than the load");
    out.println("   the same query now and as of t=" + then.asOfT() + ": "
        + Peer.q("[:find ?y . :in $ ?t :where [?m :movie/title ?t] [?m :movie/year ?y]]", now, "Aliens") + " / "
        + Peer.q("[:find ?y . :in $ ?t :where [?m :movie/title ?t] [?m :movie/year ?y]]", then, "Aliens"));
    out.println();

    sql(uri, aliens, wrong.dbAfter().basisT(), out);

    out.println("7. What if? (speculative, nothing is written)");
    TxReport whatIf = now.with(TxProcessor.parse("[[:db/retractEntity " + aliens + "]]"));
    out.println("   with retractEntity Aliens: " + whatIf.txData().size()
        + " datoms would change; the movie would have " + whatIf.dbAfter().entity(aliens).keySet().size()
        + " attributes. The connection still says: "
        + conn.db().entity(aliens).get(":movie/title"));
    conn.release();
    if (keep) {
      out.println();
      out.println("The database stays in " + dir.resolve("movies") + "; query it with");
      out.println("  bin/accrete query --db " + uri + " '[:find ?title :where [_ :movie/title ?title]]'");
    } else {
      Peer.deleteDatabase(uri);
      java.nio.file.Files.deleteIfExists(dir);
    }
    return 0;
  }

  /**
   * Stops before touching an existing {@code --dir}: it may hold an earlier demo's database
   * that someone changed and wants to keep, or files that are not a database at all.
   */
  private static void refuseExisting(java.nio.file.Path db) throws Exception {
    if (!java.nio.file.Files.exists(db)) {
      return;
    }
    if (java.nio.file.Files.isDirectory(db)) {
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(db)) {
        if (files.findAny().isEmpty()) {
          return; // an empty directory holds nothing to lose
        }
      }
    }
    // Local storage keeps its roots in a "roots" directory: that tells a database from other files.
    boolean database = java.nio.file.Files.isDirectory(db.resolve("roots"));
    throw new Main.Failure(db + (database ? " already holds a database (from an earlier demo?); " + useIt(db)
        : " already exists and is not a database; pick another --dir"));
  }

  private static String useIt(java.nio.file.Path db) {
    return "it is left as it is: query it with 'accrete sql jdbc:accrete:local://" + db
        + "', or pick another --dir";
  }

  /** Step 6: the same facts through SQL over JDBC (Calcite), time travel included. */
  private static void sql(String uri, long aliens, long wrongT, PrintStream out) throws Exception {
    out.println("6. The same facts in SQL, over JDBC: DriverManager.getConnection(\"jdbc:" + uri + "\")");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:" + uri);
         java.sql.Statement s = c.createStatement()) {
      String cameron = "SELECT m.title, m.\"year\" FROM movie m"
          + " JOIN movie_x_director d ON d.movie = m.db__id JOIN person p ON p.db__id = d.director"
          + " WHERE p.name = 'James Cameron' ORDER BY m.\"year\"";
      out.println("   " + cameron);
      printRows(s.executeQuery(cameron), out);
      String now = "SELECT \"year\" FROM movie WHERE title = 'Aliens'";
      String then = "SELECT \"year\" FROM movie FOR SYSTEM_TIME AS OF T(" + wrongT + ") WHERE title = 'Aliens'";
      out.println("   " + now);
      printRows(s.executeQuery(now), out);
      out.println("   " + then);
      printRows(s.executeQuery(then), out);
      String history = "SELECT h.\"value\", h.added, t.t, t.tx_instant FROM movie__history h"
          + " JOIN transactions t ON t.tx = h.tx WHERE h.db__id = " + aliens
          + " AND h.attribute = ':movie/year' ORDER BY t.t, h.added";
      out.println("   " + history);
      printRows(s.executeQuery(history), out);
      out.println("   EXPLAIN PLAN FOR " + now + ":");
      try (java.sql.ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + now)) {
        rs.next();
        for (String line : rs.getString(1).split("\n")) {
          out.println("     " + line);
        }
      }
    }
    out.println();
  }

  private static void printRows(java.sql.ResultSet rs, PrintStream out) throws java.sql.SQLException {
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder("     |");
        for (int i = 1; i <= n; i++) {
          b.append(' ').append(rs.getString(i)).append(" |");
        }
        out.println(b);
      }
    }
  }

  private static List<String> sorted(java.util.Collection<?> c) {
    List<String> out = new ArrayList<>();
    for (Object o : c) {
      out.add(String.valueOf(o));
    }
    out.sort(null);
    return out;
  }

  private static List<List<?>> sortedRows(java.util.Collection<?> rows) {
    List<List<?>> out = new ArrayList<>();
    for (Object r : rows) {
      out.add((List<?>) r);
    }
    out.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
    return out;
  }

  private static List<?> resource(String path) throws IOException {
    try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("the demo data " + path + " is missing from the jar");
      }
      return TxProcessor.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Datom first(Iterable<Datom> ds) {
    for (Datom d : ds) {
      return d;
    }
    throw new IllegalStateException("the demo data is missing a datom it expects");
  }

  private static int count(Iterable<Datom> ds) {
    int n = 0;
    for (Datom d : ds) {
      n++;
    }
    return n;
  }

  private static String names(Object entities) {
    return attr(entities, ":person/name");
  }

  private static String titles(Object entities) {
    return attr(entities, ":movie/title");
  }

  private static String attr(Object entities, String attr) {
    TreeSet<String> out = new TreeSet<>();
    if (entities instanceof Iterable<?> it) {
      for (Object o : it) {
        out.add(String.valueOf(((Entity) o).get(attr)));
      }
    } else if (entities instanceof Entity e) {
      out.add(String.valueOf(e.get(attr)));
    }
    return String.join(", ", new ArrayList<>(out));
  }
}
