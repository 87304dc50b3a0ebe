package io.accrete.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the CPU samples ({@code jdk.ExecutionSample}) of a Flight Recorder file, such as
 * the ones {@code TxBench --jfr DIR} writes: samples per thread, then the top methods by self
 * samples (the frame on top of the stack) and by total samples (anywhere in the stack).
 *
 * <pre>
 * java -cp … io.accrete.bench.JfrTop FILE.jfr [--top N] [--thread SUBSTRING] [--callers METHOD]
 * </pre>
 *
 * {@code --callers} also prints the most frequent call paths (six frames) leading to methods
 * whose {@code Class.method} name contains METHOD.
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int top = 25;
    String threadFilter = null;
    String callers = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--top" -> top = Integer.parseInt(args[++i]);
        case "--thread" -> threadFilter = args[++i];
        case "--callers" -> callers = args[++i];
        default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
      }
    }
    Map<String, Integer> paths = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      RecordedThread t = e.getThread("sampledThread");
      String tn = t == null ? "?" : t.getJavaName();
      threads.merge(tn, 1, Integer::sum);
      if (threadFilter != null && (tn == null || !tn.contains(threadFilter))) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      self.merge(name(frames.get(0)), 1, Integer::sum);
      if (callers != null) {
        for (int i = 0; i < frames.size(); i++) {
          if (name(frames.get(i)).contains(callers)) {
            StringBuilder sb = new StringBuilder();
            for (int j = i; j < Math.min(frames.size(), i + 6); j++) {
              sb.append(j == i ? "" : "\n           <- ").append(name(frames.get(j)))
                  .append(':').append(frames.get(j).getLineNumber());
            }
            paths.merge(sb.toString(), 1, Integer::sum);
            break;
          }
        }
      }
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (seen.add(n)) {
          total.merge(n, 1, Integer::sum);
        }
      }
    }
    System.out.println("samples per thread:");
    print(threads, 10, threads.values().stream().mapToInt(Integer::intValue).sum());
    System.out.println("\ntop " + top + " by self samples" + (threadFilter == null ? "" : " in threads *" + threadFilter + "*")
        + " (" + samples + " samples):");
    print(self, top, samples);
    System.out.println("\ntop " + top + " by total samples:");
    print(total, top, samples);
    if (callers != null) {
      System.out.println("\ncall paths to *" + callers + "*:");
      print(paths, 8, samples);
    }
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  private static void print(Map<String, Integer> counts, int top, int of) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(en -> System.out.printf("  %6d %5.1f%%  %s%n", en.getValue(), 100.0 * en.getValue() / Math.max(1, of), en.getKey()));
  }
}
