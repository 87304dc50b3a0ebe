package io.accrete.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the command line in this JVM through {@link Main#run}, as a shell would: its exit
 * status, what it printed on stdout and on stderr. Whether it "is on a terminal" is set
 * explicitly (tests never have a console), and piped stdin can be given.
 */
record Cli(int code, String out, String err) {
  /** Runs {@code accrete args…} as not on a terminal, with empty stdin. */
  static Cli run(String... args) {
    return run(false, "", args);
  }

  /** Runs {@code accrete args…} with {@code stdin} piped in, as not on a terminal. */
  static Cli piped(String stdin, String... args) {
    return run(false, stdin, args);
  }

  /** Runs {@code accrete args…} as on a terminal or not ({@link Terminal#PROPERTY}). */
  static Cli run(boolean terminal, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    InputStream in = System.in;
    String before = System.getProperty(Terminal.PROPERTY);
    System.setProperty(Terminal.PROPERTY, String.valueOf(terminal));
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(in);
      if (before == null) {
        System.clearProperty(Terminal.PROPERTY);
      } else {
        System.setProperty(Terminal.PROPERTY, before);
      }
    }
  }

  /** For assertion messages: everything it printed. */
  String all() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
