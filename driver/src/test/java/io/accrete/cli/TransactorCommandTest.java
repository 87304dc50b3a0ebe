package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.storage.TestPostgres;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code accrete transactor} as a process, with {@code accrete serve} over the same database as
 * another process: a peer like any other, whose SQL sees what a Java peer transacts.
 */
class TransactorCommandTest {
  private static String[] run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(rc), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void badStorageIsOneClearLine() {
    String[] r = run("transactor");
    assertEquals("2", r[0]);
    assertTrue(r[1].contains("--storage is required"), r[1]);
    r = run("transactor", "--storage", "accrete:local:///tmp/x");
    assertEquals("2", r[0]);
    assertTrue(r[1].contains("mem and local databases run their transactor inside"), r[1]);
    r = run("transactor", "--storage", "accrete:sql://?jdbc:postgresql://127.0.0.1:1/x?user=u", "--port", "0");
    assertEquals("1", r[0]);
    assertTrue(r[1].contains("unreachable") && r[1].lines().count() == 1, r[1]);
    r = run("transactor", "--storage", "jdbc:postgresql://h/d", "--lease-ms", "100");
    assertEquals("2", r[0], r[1]);
    r = run("transactor", "--storage", "jdbc:postgresql://h/d", "--tls-peers", "peers.p12");
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("--tls-peers needs --tls"), r[1]);
  }

  /** A child JVM running the command line; its output lines arrive on a queue. */
  private static Process start(LinkedBlockingQueue<String> lines, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.accrete.cli.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("[" + args[0] + "] " + line);
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return p;
  }

  private static String await(LinkedBlockingQueue<String> lines, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null && l.contains(text)) {
        return l;
      }
    }
    throw new AssertionError("no line containing " + text);
  }

  @Test
  void transactorAndSqlServerAreProcessesAndTheServerIsAPeer() throws Exception {
    String jdbc = TestPostgres.freshDatabase("cli");
    String uri = "accrete:sql://shop?" + jdbc;
    LinkedBlockingQueue<String> txLines = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> serveLines = new LinkedBlockingQueue<>();
    Process transactor = start(txLines, "transactor", "--storage", "accrete:sql://?" + jdbc, "--port", "0",
        "--heartbeat-ms", "200", "--lease-ms", "1000");
    Process serve = null;
    try {
      await(txLines, "active:");
      assertTrue(Peer.createDatabase(uri));
      Connection c = Peer.connect(uri);
      c.transact("[{:db/ident :w/value :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]").get(30, TimeUnit.SECONDS);
      c.transact("[{:w/value 1} {:w/value 2}]").get(30, TimeUnit.SECONDS);
      serve = start(serveLines, "serve", "--db", uri, "--port", "0");
      String serving = await(serveLines, "Serving ");
      String url = serving.substring(serving.indexOf("jdbc:accrete:remote:"), serving.indexOf(';')).trim();
      assertEquals(3L, sum(url));
      c.transact("[{:w/value 40}]").get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sum(url) != 43L && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(43L, sum(url), "the SQL server's peer follows the novelty");
      c.release();
      transactor.toHandle().destroy(); // SIGTERM
      assertTrue(transactor.waitFor(30, TimeUnit.SECONDS));
      assertNotEquals(3, transactor.exitValue(), "stopped, not deposed");
      await(txLines, "stopped");
      assertEquals(43L, sum(url), "the SQL server reads on without a transactor");
    } finally {
      transactor.destroyForcibly();
      if (serve != null) {
        serve.destroyForcibly();
      }
    }
  }

  private static long sum(String url) throws Exception {
    try (java.sql.Connection c = DriverManager.getConnection(url);
         ResultSet rs = c.createStatement().executeQuery("SELECT sum(\"value\") FROM w")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
