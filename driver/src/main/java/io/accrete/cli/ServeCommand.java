package io.accrete.cli;

import io.accrete.server.AccreteServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code accrete serve --db <uri> [--tx FILE.edn]… [--host H] [--port 8765] [--auth FILE]
 * [--tls KEYSTORE --tls-password P] [--max-connections N] [--idle-minutes M]
 * [--statement-timeout 10min]}: an Avatica server over a database, until SIGTERM or Ctrl-C.
 */
final class ServeCommand implements Main.Command {
  static final String USAGE = "usage: accrete serve --db <uri> [--tx FILE.edn]... [--host 127.0.0.1]"
      + " [--port 8765] [--auth REALM-FILE] [--tls KEYSTORE --tls-password PASSWORD]"
      + " [--max-connections 100] [--idle-minutes 10] [--statement-timeout 10min (0: none)] [--max-rows N]";

  @Override
  public String summary() {
    return "serve a database to JDBC clients (Avatica HTTP, PROTOBUF and JSON)";
  }

  @Override
  public String usage() {
    return """
        usage: accrete serve --db <uri> [options]

        Serves a database to JDBC clients and BI tools over Avatica's HTTP protocol (PROTOBUF
        and JSON) until SIGTERM or Ctrl-C. Clients connect with
        jdbc:accrete:remote:url=http://HOST:PORT.

        Options:
          --db <uri>                the database: accrete:mem://name, accrete:local:///dir/name,
                                    accrete:sql://name?jdbc:postgresql://host:5432/db
          --tx FILE.edn             transact a file first (repeatable); creates an accrete:mem: database
          --host H                  the address to listen on (default 127.0.0.1; 0.0.0.0 for all)
          --port N                  the port (default 8765; 0 picks a free one)
          --auth REALM-FILE         require HTTP Basic logins; a realm file of 'user: password' lines
          --tls KEYSTORE            serve HTTPS with a Java keystore (needs --tls-password)
          --tls-password PASSWORD   the keystore's password
          --max-connections N       open JDBC connections at most (default 100)
          --idle-minutes M          close a connection idle this long (default 10)
          --statement-timeout T     cancel statements running longer (default 10min; 0: none)
          --max-rows N              answer a query with N rows at most (default 0: no limit)
          -h, --help                print this help

        Example:
          accrete serve --db accrete:local:///data/movies --port 8765
          accrete sql jdbc:accrete:remote:url=http://localhost:8765
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    String uri = null;
    String host = "127.0.0.1";
    int port = 8765;
    Path auth = null;
    Path keystore = null;
    String keystorePassword = null;
    int maxConnections = 100;
    long idleMinutes = 10;
    String statementTimeout = AccreteServer.DEFAULT_STATEMENT_TIMEOUT;
    long maxRows = 0;
    List<Path> txFiles = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--db" -> uri = TxFiles.value(args, ++i, a);
        case "--tx" -> txFiles.add(Path.of(TxFiles.value(args, ++i, a)));
        case "--host" -> host = TxFiles.value(args, ++i, a);
        case "--port" -> port = number(TxFiles.value(args, ++i, a), a);
        case "--auth" -> auth = existing(TxFiles.value(args, ++i, a), a);
        case "--tls" -> keystore = existing(TxFiles.value(args, ++i, a), a);
        case "--tls-password" -> keystorePassword = TxFiles.value(args, ++i, a);
        case "--max-connections" -> maxConnections = number(TxFiles.value(args, ++i, a), a);
        case "--idle-minutes" -> idleMinutes = number(TxFiles.value(args, ++i, a), a);
        case "--statement-timeout" -> statementTimeout = TxFiles.value(args, ++i, a);
        case "--max-rows" -> maxRows = number(TxFiles.value(args, ++i, a), a);
        default -> throw Main.looksLikeOption(a) ? Main.notAnOption(a)
            : new Main.UsageException("unexpected argument " + a, true);
      }
    }
    if (uri == null) {
      throw new Main.UsageException("--db <uri> is required; " + USAGE);
    }
    if (keystore != null && keystorePassword == null) {
      throw new Main.UsageException("--tls needs --tls-password for the keystore " + keystore);
    }
    TxFiles.open(uri, txFiles);
    AccreteServer server;
    try {
      server = AccreteServer.start(new AccreteServer.Options(uri, host, port, auth, keystore,
          keystorePassword, maxConnections, idleMinutes, out, statementTimeout, maxRows));
    } catch (RuntimeException e) {
      if (bindFailure(e)) {
        throw new Main.UsageException("cannot listen on " + host + ":" + port
            + ": the port is in use or the address is not this machine's; choose another with --port/--host");
      }
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      out.println("accrete serve stopped");
    }, "accrete-serve-shutdown"));
    out.println("Serving " + uri + " at " + server.jdbcUrl()
        + (auth != null ? " (HTTP Basic, realm file " + auth + ")" : "") + "; Ctrl-C stops");
    server.join();
    return 0;
  }

  private static boolean bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException || (t.getMessage() != null && t.getMessage().contains("Failed to bind"))) {
        return true;
      }
    }
    return false;
  }

  private static int number(String s, String option) throws Main.UsageException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new Main.UsageException(option + " needs a number, not " + s);
    }
  }

  private static Path existing(String s, String option) throws Main.UsageException {
    Path p = Path.of(s);
    if (!Files.isReadable(p)) {
      throw new Main.UsageException(option + ": cannot read " + p.toAbsolutePath());
    }
    return p;
  }
}
