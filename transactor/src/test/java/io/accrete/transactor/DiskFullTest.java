package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that really fills up: a local database on a 6 MB tmpfs mounted in a user and mount
 * namespace of its own ({@code unshare -Urm}, no privileges needed). The refused transaction
 * gets a message naming the disk and what to do; everything acknowledged stays readable; once
 * space is freed writes resume; reopening finds it all. Skipped where user namespaces are off.
 */
class DiskFullTest {
  @TempDir
  Path dir;

  private static boolean canMountTmpfs(Path at) throws Exception {
    Process p = new ProcessBuilder("unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs " + at)
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void aFullDiskRefusesCleanlyAndLosesNothing() throws Exception {
    Path mnt = dir.resolve("small");
    Files.createDirectories(mnt);
    boolean can;
    try {
      can = canMountTmpfs(mnt);
    } catch (java.io.IOException e) {
      can = false; // no unshare binary
    }
    assumeTrue(can, "user namespaces with tmpfs mounts are not available here");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script = "mount -t tmpfs -o size=6m tmpfs \"$1\" && exec \"$2\" -Xmx256m -cp \"$3\" "
        + DiskFullWriter.class.getName() + " \"$1\"";
    Process p = new ProcessBuilder("unshare", "-Urm", "sh", "-c", script, "sh", mnt.toString(), java,
        System.getProperty("java.class.path")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the writer finished");
    assertEquals(0, p.exitValue(), out);
    System.out.print(out);
    List<String> lines = out.lines().toList();
    String failed = lines.stream().filter(l -> l.startsWith("FAILED ")).findFirst().orElse(null);
    assertNotNull(failed, "a transaction was refused: " + out);
    assertTrue(failed.contains("disk is full") && failed.contains(mnt.toString()) && failed.contains("free some space"),
        failed);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("PRESENT true ")), "acknowledged stays readable: " + out);
    assertTrue(lines.contains("RECOVERED"), "writes resume once space is freed: " + out);
    assertTrue(lines.contains("REOPENED true"), "reopening finds everything: " + out);
  }
}
