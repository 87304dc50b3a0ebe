package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload (issue 17): a flood of {@code transactAsync} far beyond what local storage sustains,
 * in a process with a 256 MB heap ({@link OverloadProcess}), for {@code -Doverload.seconds}
 * (20 in CI; 600 for the ten minutes). The process must not run out of memory — writers
 * wait for room in the transaction queue instead of filling the heap — every transaction must
 * be acknowledged or refused with an Accrete error, lookups beside the flood stay fast, and a
 * query that would make more rows than the heap holds is refused.
 */
class OverloadTest {
  @TempDir
  Path dir;

  @Test
  void aFloodOfWritesKeepsMemoryAndLatencyBounded() throws Exception {
    long seconds = Long.getLong("overload.seconds", 20);
    // A small heap wants small novelty: index early, and hold writers back before a 256 MB heap fills.
    String uri = "accrete:local://" + dir.resolve("flood") + "?indexThreshold=20000&backpressure=100000";
    try (ChildJvm p = ChildJvm.start("overload", OverloadProcess.class,
        List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), uri, String.valueOf(seconds))) {
      String line = p.await(l -> l.startsWith("RESULT") || l.contains("OutOfMemoryError"), seconds + 600);
      assertTrue(line.startsWith("RESULT"), "the process ran out of memory: " + line);
      Map<String, String> r = new HashMap<>();
      for (String kv : line.substring("RESULT ".length()).split(" ")) {
        String[] f = kv.split("=", 2);
        r.put(f[0], f[1]);
      }
      System.out.println("overload: " + line);
      long submitted = Long.parseLong(r.get("submitted"));
      long acknowledged = Long.parseLong(r.get("acknowledged"));
      assertTrue(acknowledged > 0, line);
      assertEquals(submitted, acknowledged + Long.parseLong(r.get("refused")), "every transaction got an answer: " + line);
      assertEquals("0", r.get("unclear"), "refusals are Accrete errors: " + line);
      assertTrue(Double.parseDouble(r.get("p99ms")) < 1000, "lookups beside the flood stay fast: " + line);
      assertEquals(":db.error/query-too-large", r.get("tooLarge"), line);
    }
  }
}
