package io.accrete.cli;

import io.accrete.transactor.Transactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code accrete transactor --storage <uri> [--host H] [--port 4334] [--advertise H:P]
 * [--secret-file F] [--tls KEYSTORE --tls-password P [--tls-peers TRUSTSTORE
 * [--tls-peers-password P]]] [--heartbeat-ms 1000] [--lease-ms 5000] [--allow-fn PATTERNS] [--config FILE]}: the transactor of a PostgreSQL storage, serving every database in it to
 * peers. A second one on the same storage waits as the standby. Runs until SIGTERM; exits with
 * 3 when another transactor took the lease.
 */
final class TransactorCommand implements Main.Command {
  static final String USAGE = "usage: accrete transactor --storage accrete:sql://?jdbc:postgresql://host:5432/db"
      + " [--host 127.0.0.1] [--port 4334] [--advertise HOST:PORT] [--secret-file FILE]"
      + " [--tls KEYSTORE --tls-password PASSWORD [--tls-peers TRUSTSTORE [--tls-peers-password PASSWORD]]]"
      + " [--heartbeat-ms 1000] [--lease-ms 5000] [--allow-fn PATTERNS] [--config FILE]";

  @Override
  public String summary() {
    return "run the transactor of PostgreSQL storage (a second one is its standby)";
  }

  @Override
  public String usage() {
    return """
        usage: accrete transactor --storage accrete:sql://?jdbc:postgresql://host:5432/db [options]

        Runs the transactor of a PostgreSQL storage: it writes every database in it, for any
        number of peers. A second transactor on the same storage waits as the standby and takes
        over when the active one stops. Runs until SIGTERM; exits with 3 when another transactor
        took the lease.

        Options:
          --storage URI             the storage: accrete:sql://?jdbc:postgresql://… or a bare
                                    jdbc:postgresql: URL (user and password in it)
          --host H                  the address to listen on (default 127.0.0.1)
          --port N                  the port (default 4334; 0 picks a free one)
          --advertise HOST:PORT     the address peers are told to connect to (default: the bound one)
          --secret-file FILE        a shared secret peers must prove (else $ACCRETE_SECRET; none: any peer)
          --tls KEYSTORE            speak TLS with a Java keystore (needs --tls-password)
          --tls-password PASSWORD   the keystore's password
          --tls-peers TRUSTSTORE    accept only peers with a certificate from this truststore
          --tls-peers-password P    the truststore's password (default: --tls-password)
          --heartbeat-ms N          how often the lease is renewed (default 1000)
          --lease-ms N              how long a lease lasts; at least twice the heartbeat (default 5000)
          --allow-fn PATTERNS       static Java methods transaction data may run as transaction
                                    functions or predicates, comma-separated: com.acme.Bank/transfer,
                                    com.acme.Bank/*, com.acme.*, or * (default: none; #db/fn
                                    functions installed in a database always run)
          --config FILE             read the options from a properties file (storage=…, port=…);
                                    options on the command line win
          -h, --help                print this help

        Example:
          accrete transactor --storage 'accrete:sql://?jdbc:postgresql://db:5432/app?user=accrete' \\
            --host 0.0.0.0 --advertise tx1.internal:4334 --secret-file /etc/accrete/secret
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    Properties p = new Properties();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config")) {
        Path f = Path.of(TxFiles.value(args, ++i, a));
        try (InputStream in = Files.newInputStream(f)) {
          Properties file = new Properties();
          file.load(in);
          file.forEach(p::putIfAbsent);
        } catch (IOException e) {
          throw new Main.UsageException("--config: cannot read " + f.toAbsolutePath() + ": " + e.getMessage());
        }
        continue;
      }
      if (!a.startsWith("--") || !KEYS.contains(a.substring(2))) {
        throw Main.looksLikeOption(a) ? Main.notAnOption(a) : new Main.UsageException("unexpected argument " + a, true);
      }
      p.setProperty(a.substring(2), TxFiles.value(args, ++i, a));
    }
    String storage = p.getProperty("storage");
    if (storage == null) {
      throw new Main.UsageException("--storage is required; " + USAGE);
    }
    byte[] secret = null;
    if (p.getProperty("secret-file") != null) {
      Path f = Path.of(p.getProperty("secret-file"));
      if (!Files.isReadable(f)) {
        throw new Main.UsageException("--secret-file: cannot read " + f.toAbsolutePath());
      }
      secret = Files.readString(f, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    } else if (System.getenv("ACCRETE_SECRET") != null && !System.getenv("ACCRETE_SECRET").isEmpty()) {
      secret = System.getenv("ACCRETE_SECRET").getBytes(StandardCharsets.UTF_8);
    }
    Path keystore = p.getProperty("tls") == null ? null : Path.of(p.getProperty("tls"));
    if (keystore != null && p.getProperty("tls-password") == null) {
      throw new Main.UsageException("--tls needs --tls-password for the keystore " + keystore);
    }
    Path peerTruststore = p.getProperty("tls-peers") == null ? null : Path.of(p.getProperty("tls-peers"));
    if (peerTruststore != null && keystore == null) {
      throw new Main.UsageException("--tls-peers needs --tls: peers present certificates only over TLS");
    }
    long heartbeat = number(p, "heartbeat-ms", 1000);
    long lease = number(p, "lease-ms", 5000);
    if (lease < 2 * heartbeat) {
      throw new Main.UsageException("--lease-ms must be at least twice --heartbeat-ms");
    }
    Transactor.TlsKeys tls = keystore == null ? null : new Transactor.TlsKeys(keystore, p.getProperty("tls-password"),
        peerTruststore, p.getProperty("tls-peers-password", p.getProperty("tls-password")));
    Transactor.Options o = new Transactor.Options(jdbc(storage), p.getProperty("host", "127.0.0.1"),
        (int) number(p, "port", 4334), p.getProperty("advertise"), secret, tls, heartbeat, lease, out);
    if (p.getProperty("allow-fn") != null) {
      try {
        o = o.withAllowedFunctions(java.util.Arrays.stream(p.getProperty("allow-fn").split(","))
            .map(String::trim).filter(x -> !x.isEmpty()).toList());
      } catch (IllegalArgumentException e) {
        throw new Main.UsageException("--allow-fn: " + e.getMessage());
      }
    }
    Transactor t = Transactor.start(o);
    Thread hook = new Thread(t::close, "accrete-transactor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Transactor.State end = t.stopped().get();
    if (end == Transactor.State.DEPOSED) {
      Runtime.getRuntime().removeShutdownHook(hook);
      return 3;
    }
    return 0;
  }

  private static final java.util.Set<String> KEYS = java.util.Set.of("storage", "host", "port", "advertise",
      "secret-file", "tls", "tls-password", "tls-peers", "tls-peers-password", "heartbeat-ms", "lease-ms",
      "allow-fn");

  /** The JDBC URL of {@code accrete:sql://[name]?jdbc:postgresql:…} or of a bare JDBC URL. */
  static String jdbc(String storage) throws Main.UsageException {
    String s = storage.strip();
    if (s.startsWith("accrete:sql:")) {
      int q = s.indexOf('?');
      s = q < 0 ? "" : s.substring(q + 1);
    } else if (s.startsWith("accrete:")) {
      throw new Main.UsageException("a transactor serves PostgreSQL storage (accrete:sql://?jdbc:postgresql://…), not "
          + s + "; mem and local databases run their transactor inside the process that opens them");
    }
    if (!s.startsWith("jdbc:postgresql:")) {
      throw new Main.UsageException("--storage needs a PostgreSQL JDBC URL: accrete:sql://?jdbc:postgresql://host:5432/db"
          + "?user=u&password=p");
    }
    return s;
  }

  private static long number(Properties p, String key, long dflt) throws Main.UsageException {
    String v = p.getProperty(key);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Main.UsageException("--" + key + " needs a number, not " + v);
    }
  }
}
