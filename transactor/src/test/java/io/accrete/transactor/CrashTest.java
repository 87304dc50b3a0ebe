package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.Connection;
import io.accrete.Peer;
import java.util.List;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes, really killed: a writer JVM transacts on several threads and is killed with
 * SIGKILL at a random moment, again and again; after each restart every acknowledged
 * transaction must be there, whole, and no entity may be partial. Cycles scale with
 * {@code -Daccrete.crash.cycles}.
 */
class CrashTest {
  @TempDir
  Path dir;

  static final int CYCLES = Integer.getInteger("accrete.crash.cycles", 6);

  @Test
  void localSurvivesKillNine() throws Exception {
    String uri = "accrete:local://" + dir.resolve("crash") + "?indexThreshold=2000";
    run(uri, null);
  }

  @Test
  void sqlSurvivesKillNine() throws Exception {
    System.setProperty("accrete.indexThreshold", "2000");
    try {
      // The killed process holds the transactor; the next one takes the lease over from it.
      String jdbc = TestTransactor.freshStorage("crash");
      run("accrete:sql://crash?" + jdbc, jdbc);
    } finally {
      System.clearProperty("accrete.indexThreshold");
    }
  }

  private void run(String uri, String transactorJdbc) throws Exception {
    assertTrue(Peer.createDatabase(uri));
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    Random r = new Random(42);
    long nextId = 1;
    try {
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        List<String> cmd = new java.util.ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
            "-Daccrete.indexThreshold=2000", CrashWriter.class.getName(), uri, String.valueOf(nextId), "4"));
        if (transactorJdbc != null) {
          cmd.add(transactorJdbc);
        }
        Process p = new ProcessBuilder(cmd)
            .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = in.readLine();
        assertEquals("READY", first, "the writer started");
        Thread reader = new Thread(() -> {
          try {
            String line;
            while ((line = in.readLine()) != null) {
              if (line.startsWith("ACK ")) {
                acked.add(Long.parseLong(line.substring(4)));
              }
            }
          } catch (java.io.IOException e) {
            // the process died: the stream ends
          }
        });
        reader.start();
        Thread.sleep(300 + r.nextInt(1200));
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        reader.join(5000);
        nextId += 100_000;
        check(uri, acked);
      }
      assertTrue(acked.size() > CYCLES * 5, "writers got work done: " + acked.size());
    } finally {
      Peer.deleteDatabase(uri);
    }
  }

  private static void check(String uri, Set<Long> acked) {
    Connection c = Peer.connect(uri);
    try {
      PostgresRestartTest.check(c.db(), acked);
    } finally {
      c.release();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

}
