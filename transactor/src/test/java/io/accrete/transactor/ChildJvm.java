package io.accrete.transactor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from the test classpath, its output collected line by line (and echoed with a
 * tag), so a test can wait for a line, write commands, and kill it with SIGKILL.
 */
final class ChildJvm implements AutoCloseable {
  private final String tag;
  private final Process process;
  private final PrintWriter in;
  private final List<String> lines = new ArrayList<>();

  private ChildJvm(String tag, Process process) {
    this.tag = tag;
    this.process = process;
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("[" + tag + "] " + line);
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process died: its output ends
      }
    }, "child-output " + tag);
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(String tag, Class<?> main, List<String> jvmArgs, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return new ChildJvm(tag, new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /** Waits for a line (seen since start) that matches; fails after {@code seconds}. */
  String await(Predicate<String> match, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (lines) {
      int from = 0;
      while (true) {
        for (int i = from; i < lines.size(); i++) {
          if (match.test(lines.get(i))) {
            return lines.get(i);
          }
        }
        from = lines.size();
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError(tag + ": no expected line within " + seconds + " s; output: " + lines
              + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
        }
        lines.wait(left);
      }
    }
  }

  /** Waits for a line containing {@code text}. */
  String await(String text, long seconds) throws InterruptedException {
    return await(l -> l.contains(text), seconds);
  }

  /** Every line it printed so far. */
  List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Writes a command line to the process. */
  void send(String line) {
    in.println(line);
  }

  /** Kills it with SIGKILL and waits for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Sends a POSIX signal (STOP, CONT) to it. */
  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  Process process() {
    return process;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
