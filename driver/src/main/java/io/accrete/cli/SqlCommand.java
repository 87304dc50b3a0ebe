package io.accrete.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code accrete sql <jdbc-url> [sqlline options]}: an interactive SQL shell (sqlline) on
 * Accrete's driver, embedded ({@code jdbc:accrete:local:///…}) or remote
 * ({@code jdbc:accrete:remote:url=…}). {@code -n USER -p PASSWORD} log in to a server.
 */
final class SqlCommand implements Main.Command {
  @Override
  public String summary() {
    return "an interactive SQL shell (sqlline) on a jdbc:accrete: URL";
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    if (args.length == 0 || !args[0].startsWith("jdbc:accrete:")) {
      throw new Main.UsageException("usage: accrete sql <jdbc-url> [sqlline options], e.g."
          + " accrete sql jdbc:accrete:local:///data/movies");
    }
    // Connect once first: a bad URL or a missing database is one clear line, not sqlline's trace.
    java.util.Properties props = new java.util.Properties();
    for (int i = 1; i + 1 < args.length; i++) {
      if (args[i].equals("-n")) {
        props.setProperty("user", args[i + 1]);
      } else if (args[i].equals("-p")) {
        props.setProperty("password", args[i + 1]);
      }
    }
    try (java.sql.Connection c = new io.accrete.jdbc.Driver().connect(args[0], props)) {
      c.getSchema();
    } catch (java.sql.SQLException e) {
      throw new Main.UsageException(e.getMessage());
    }
    java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.SEVERE);
    List<String> a = new ArrayList<>(List.of("-u", args[0], "-d", "io.accrete.jdbc.Driver"));
    boolean user = false;
    for (int i = 1; i < args.length; i++) {
      user |= args[i].equals("-n");
      a.add(args[i]);
    }
    if (!user) {
      a.addAll(List.of("-n", "", "-p", ""));
    }
    a.add("--verbose=false"); // errors as one message, not a stack trace
    if (System.console() == null) {
      a.add("--maxWidth=120"); // sqlline cannot measure a terminal that is not there
    }
    sqlline.SqlLine shell = new sqlline.SqlLine();
    shell.setOutputStream(out);
    shell.setErrorStream(out);
    sqlline.SqlLine.Status s = shell.begin(a.toArray(new String[0]), null, true);
    return s == sqlline.SqlLine.Status.OK ? 0 : 1;
  }
}
