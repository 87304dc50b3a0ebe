package io.accrete.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code accrete sql <jdbc-url> [-e SQL | -f FILE]…}: SQL on Accrete's driver, embedded
 * ({@code jdbc:accrete:local:///…}) or remote ({@code jdbc:accrete:remote:url=…}). Statements
 * from {@code -e}, {@code -f} or piped input run in {@link SqlRunner}, which gives psql's one-line
 * errors and exit status (sqlline can give neither); with none of them, on a terminal, it is
 * the interactive sqlline shell.
 */
final class SqlCommand implements Main.Command {
  /** One {@code -e} text or {@code -f} file, run in the order given. */
  private record Source(String sql, Path file) {}

  @Override
  public String summary() {
    return "run SQL on a jdbc:accrete: URL: -e, -f, piped input, or an interactive shell (sqlline)";
  }

  @Override
  public String usage() {
    return """
        usage: accrete sql <jdbc-url> [-e SQL]... [-f FILE]... [options]

        Runs SQL on an Accrete database. Statements from -e, -f (in the order given) or from
        piped input print their results as tables. A failed statement prints one line on
        stderr, as psql does, and the statements after it still run:
          q.sql:3: ERROR:  relation "nosuch" does not exist (SQLSTATE 42P01)
        (3 is the line the statement starts on; a line and column in the message count within
        the statement; -e gives no location). Exit status: 0 when every statement succeeded,
        1 when any failed, 2 when the arguments are wrong or the database cannot be opened.
        With neither -e nor -f, on a terminal, it opens the interactive sqlline shell.

        Arguments:
          <jdbc-url>              jdbc:accrete:mem://name, jdbc:accrete:local:///dir/name,
                                  jdbc:accrete:sql://name?jdbc:postgresql://…, or an accrete serve
                                  server: jdbc:accrete:remote:url=http://host:8765
        Options:
          -e, --execute SQL       run these statements (separated by ;); repeatable
          -f, --file FILE         run the statements in FILE ('-' for stdin); repeatable.
                                  --run=FILE (sqlline's spelling) is the same
          -n, --user USER         the user, for a server started with --auth
          -p, --password PASSWORD its password
          --csv                   print results as CSV (a header line, no row counts or tags)
          --verbose               print the Java stack trace after each error
          -h, --help              print this help

        Examples:
          accrete sql jdbc:accrete:local:///data/movies -e 'SELECT title, "year" FROM movie ORDER BY 2'
          accrete sql jdbc:accrete:local:///data/movies -f report.sql --csv > report.csv
          echo 'SELECT count(*) FROM movie;' | accrete sql jdbc:accrete:local:///data/movies
          accrete sql jdbc:accrete:remote:url=http://localhost:8765 -n alice -p secret
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    return run(args, out, System.err);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String url = null;
    List<Source> sources = new ArrayList<>();
    Properties props = new Properties();
    boolean csv = false;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-e", "--execute" -> sources.add(new Source(TxFiles.value(args, ++i, a), null));
        case "-f", "--file" -> sources.add(new Source(null, file(TxFiles.value(args, ++i, a), a)));
        case "-n", "--user" -> props.setProperty("user", TxFiles.value(args, ++i, a));
        case "-p", "--password" -> props.setProperty("password", TxFiles.value(args, ++i, a));
        case "--csv" -> csv = true;
        case "--verbose" -> verbose = true;
        default -> {
          if (a.startsWith("--run=")) {
            sources.add(new Source(null, file(a.substring("--run=".length()), "--run")));
          } else if (Main.looksLikeOption(a)) {
            throw Main.notAnOption(a);
          } else if (url == null) {
            url = a;
          } else {
            throw new Main.UsageException("unexpected argument " + a + " (one JDBC URL only; SQL goes after -e)", true);
          }
        }
      }
    }
    if (url == null || !url.startsWith(io.accrete.jdbc.Driver.PREFIX)) {
      throw new Main.UsageException("usage: accrete sql <jdbc-url> [-e SQL]... [-f FILE]..., e.g."
          + " accrete sql jdbc:accrete:local:///data/movies" + (url == null ? "" : "; not a jdbc:accrete: URL: " + url),
          true);
    }
    if (sources.isEmpty() && Terminal.isTerminal()) {
      return Interactive.run(url, props, csv, verbose, out);
    }
    try (java.sql.Connection c = connect(url, props)) {
      SqlRunner runner = new SqlRunner(c, out, err, csv, verbose);
      if (sources.isEmpty()) {
        sources.add(new Source(null, Path.of("-")));
      }
      for (Source s : sources) {
        if (s.sql() != null) {
          runner.run(new BufferedReader(new java.io.StringReader(s.sql())), null);
        } else if (s.file().toString().equals("-")) {
          // Not closed: stdin belongs to the process.
          runner.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "<stdin>");
        } else {
          try (BufferedReader in = Files.newBufferedReader(s.file(), StandardCharsets.UTF_8)) {
            runner.run(in, s.file().toString());
          }
        }
      }
      return runner.failures() == 0 ? 0 : 1;
    }
  }

  /**
   * Connects once before anything runs: a bad URL, a missing database or a refused login is one
   * line and exit status 2 (as psql's connection failures), not a failure per statement.
   */
  static java.sql.Connection connect(String url, Properties props) throws Main.UsageException {
    try {
      java.sql.Connection c = new io.accrete.jdbc.Driver().connect(url, props);
      c.getSchema();
      return c;
    } catch (java.sql.SQLException e) {
      throw new Main.UsageException(e.getMessage());
    }
  }

  /** A file checked before anything runs, so a typo in the last -f does not leave half a script done. */
  private static Path file(String name, String option) throws Main.UsageException {
    Path p = Path.of(name);
    if (!name.equals("-") && !Files.isReadable(p)) {
      throw new Main.UsageException(option + ": cannot read " + p.toAbsolutePath());
    }
    return p;
  }

  /** The interactive shell: sqlline, which edits lines and keeps a history on a terminal. */
  private static final class Interactive {
    static int run(String url, Properties props, boolean csv, boolean verbose, PrintStream out) throws Exception {
      connect(url, props).close(); // a bad URL is one clear line, not sqlline's trace
      java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.SEVERE);
      List<String> a = new ArrayList<>(List.of("-u", url, "-d", "io.accrete.jdbc.Driver",
          "-n", props.getProperty("user", ""), "-p", props.getProperty("password", "")));
      a.add("--verbose=" + verbose); // errors as one message unless asked for traces
      if (csv) {
        a.add("--outputformat=csv");
      }
      sqlline.SqlLine shell = new sqlline.SqlLine();
      shell.setOutputStream(out);
      shell.setErrorStream(out);
      sqlline.SqlLine.Status s = shell.begin(a.toArray(new String[0]), null, true);
      return s == sqlline.SqlLine.Status.OK ? 0 : 1;
    }
  }
}
