package io.accrete.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accrete.server.AccreteServer;
import io.accrete.testing.TestData;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accrete serve} as a process: SIGTERM, a port in use, a client that drops mid-request. */
class ServeCommandTest {
  @Test
  void aPortInUseIsOneClearLine() throws Exception {
    String uri = TestData.freshUri();
    try (AccreteServer taken = AccreteServer.start(new AccreteServer.Options(uri, "127.0.0.1", 0, null, null, null,
        5, 5, new PrintStream(new ByteArrayOutputStream())))) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc = Main.run(new String[] {"serve", "--db", uri, "--port", String.valueOf(taken.port())},
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
      String e = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, rc, e);
      assertTrue(e.contains("cannot listen on 127.0.0.1:" + taken.port()) && e.lines().count() == 1, e);
    }
  }

  @Test
  void servesAsAProcessSurvivesADroppedClientAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    String uri = "accrete:local://" + dir.resolve("movies");
    // The database exists (import creates it) and is released: the child process writes it.
    assertEquals(0, Main.run(new String[] {"import", "--db", uri, TestData.repoFile("datasets/movies/schema.edn").toString()},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    io.accrete.Peer.connect(uri).release();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.timezone=America/New_York", "-cp", System.getProperty("java.class.path"), "io.accrete.cli.Main",
        "serve", "--db", uri, "--port", "0",
        "--tx", TestData.repoFile("datasets/movies/data.edn").toString()));
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      String url = null;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("Serving ")) {
          url = line.substring(line.indexOf("jdbc:accrete:remote:"), line.indexOf(';')).trim();
          break;
        }
      }
      assertTrue(url != null, "the server said where it listens");
      int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
      // A client that sends half a request and vanishes.
      try (Socket s = new Socket("127.0.0.1", port)) {
        OutputStream o = s.getOutputStream();
        o.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"request\":".getBytes(StandardCharsets.UTF_8));
        o.flush();
      }
      try (Connection c = DriverManager.getConnection(url);
           ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM movie")) {
        rs.next();
        assertTrue(rs.getLong(1) > 10, "the server keeps serving after a dropped client");
      }
      // A server started in a zone with daylight saving still serves a wall-clock time of the
      // hour New York skips (02:30 on 2024-03-10) unchanged to a client in that zone.
      try (Connection c = DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE shift (id INTEGER, starts TIMESTAMP)");
        s.executeUpdate("INSERT INTO shift VALUES (1, TIMESTAMP '2024-03-10 02:30:00')");
        try (ResultSet rs = s.executeQuery("SELECT starts FROM shift")) {
          rs.next();
          assertEquals("2024-03-10 02:30:00", rs.getString(1).substring(0, 19));
        }
      }
      server.toHandle().destroy(); // SIGTERM, leaving our end of its output open
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server stops on SIGTERM");
      StringBuilder rest = new StringBuilder();
      while ((line = out.readLine()) != null) {
        rest.append(line).append('\n');
      }
      assertTrue(rest.toString().contains("accrete serve stopped"), rest.toString());
      assertTrue(rest.toString().contains("opened") && rest.toString().contains("closed"), rest.toString());
    } finally {
      server.destroyForcibly();
    }
  }
}
