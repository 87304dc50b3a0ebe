package io.accrete.cli;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import io.accrete.edn.Edn;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code accrete query --db <uri> [--tx FILE.edn]… [--explain] QUERY [ARG…]}: runs one Datalog
 * query and prints the result as EDN. The database is the first input; each ARG is EDN and
 * follows it, in :in order. {@code --tx} transacts a file first (creating an in-memory database
 * if needed), which makes {@code accrete:mem:} URIs useful from the command line.
 */
final class QueryCommand implements Main.Command {
  @Override
  public String summary() {
    return "run one Datalog query and print the result as EDN";
  }

  @Override
  public String usage() {
    return """
        usage: accrete query --db <uri> [--tx FILE.edn]... [--explain] QUERY [ARG...]

        Runs one Datalog query on a database and prints the result as EDN. The database is the
        query's first input ($); each ARG is EDN and follows it, in :in order.

        Arguments:
          QUERY          the query as EDN: [:find ... :in $ ... :where ...]
          ARG            an input value as EDN (a string is "quoted", a keyword :a/b)
        Options:
          --db <uri>     the database: accrete:mem://name, accrete:local:///dir/name,
                         accrete:sql://name?jdbc:postgresql://host:5432/db
          --tx FILE.edn  transact a file of transaction forms first (repeatable); an
                         accrete:mem: database is created for it if it does not exist
          --explain      print the query's plan (clause order, strategies, row counts) instead
          -h, --help     print this help

        Example:
          accrete query --db accrete:mem://movies --tx datasets/movies/schema.edn \\
            --tx datasets/movies/data.edn \\
            '[:find ?title :in $ ?year :where [?m :movie/title ?title] [?m :movie/year ?year]]' 1985
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    String uri = null;
    List<Path> txFiles = new ArrayList<>();
    boolean explain = false;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--db":
          uri = value(args, ++i, "--db");
          break;
        case "--tx":
          txFiles.add(Path.of(value(args, ++i, "--tx")));
          break;
        case "--explain":
          explain = true;
          break;
        default:
          if (Main.looksLikeOption(args[i])) {
            throw Main.notAnOption(args[i]);
          }
          rest.add(args[i]);
      }
    }
    if (uri == null) {
      throw new Main.UsageException("--db <uri> is required, e.g. --db accrete:mem://movies");
    }
    if (rest.isEmpty()) {
      throw new Main.UsageException("a query is required, e.g. '[:find ?e :where [?e :db/ident]]'");
    }
    Connection conn = TxFiles.open(uri, txFiles);
    Database db = conn.db();
    List<Object> inputs = new ArrayList<>();
    inputs.add(db);
    for (String a : rest.subList(1, rest.size())) {
      inputs.add(Edn.read(a));
    }
    Object query = rest.get(0);
    Object result = explain ? Peer.explain(query, inputs.toArray()) : Peer.q(query, inputs.toArray());
    out.println(Edn.print(result));
    return 0;
  }

  private static String value(String[] args, int i, String option) throws Main.UsageException {
    return TxFiles.value(args, i, option);
  }
}
