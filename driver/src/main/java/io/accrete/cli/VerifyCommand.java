package io.accrete.cli;

import io.accrete.transactor.Verify;
import java.io.PrintStream;
import java.util.Map;

/** {@code accrete verify --db <uri>}: reads a durable database whole and checks it. */
final class VerifyCommand implements Main.Command {
  @Override
  public String summary() {
    return "check a durable database's segments, log and indexes: verify --db <uri>";
  }

  @Override
  public String usage() {
    return """
        usage: accrete verify --db <uri>

        Reads a durable database (local or PostgreSQL) whole and checks it: the root, every
        segment it reaches and every log batch against their checksums, the log in t order, and
        that the four indexes hold the same datoms, history included. Reads only; the database
        may be in use. Exits 0 when it is whole, 1 naming every problem found.

        Options:
          --db <uri>   accrete:local:///dir/name or accrete:sql://name?jdbc:postgresql://…
          -h, --help   print this help

        Example:
          accrete verify --db accrete:local:///data/shop
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    String uri = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--db")) {
        if (++i >= args.length) {
          throw new Main.UsageException("--db needs a database URI");
        }
        uri = args[i];
      } else if (Main.looksLikeOption(args[i])) {
        throw Main.notAnOption(args[i]);
      } else {
        throw new Main.UsageException("verify takes no arguments but --db, not " + args[i], true);
      }
    }
    if (uri == null) {
      throw new Main.UsageException("usage: accrete verify --db <uri>");
    }
    Verify.Report r = Verify.verify(uri, step -> out.println("checking " + step + " …"));
    StringBuilder counts = new StringBuilder();
    for (Map.Entry<String, Long> e : r.datomsPerIndex().entrySet()) {
      counts.append(counts.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
    }
    out.println(r.segments() + " segments, " + r.logEntries() + " log entries; datoms: " + counts);
    if (r.ok()) {
      out.println("ok: " + uri + " is whole");
      return 0;
    }
    for (String p : r.problems()) {
      out.println("problem: " + p);
    }
    out.println(r.problems().size() + " problem" + (r.problems().size() == 1 ? "" : "s") + " in " + uri);
    return 1;
  }
}
