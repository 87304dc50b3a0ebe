package io.accrete.cli;

import io.accrete.AccreteException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code accrete} command line. Each command is one class; errors print one clear line
 * and exit non-zero.
 */
public final class Main {
  private Main() {}

  /** A command of the command line. */
  interface Command {
    /** One line for the help text. */
    String summary();

    /** Runs with the arguments after the command name; returns the exit code. */
    int run(String[] args, PrintStream out) throws Exception;
  }

  private static Map<String, Command> commands() {
    Map<String, Command> m = new LinkedHashMap<>();
    m.put("demo", new DemoCommand());
    m.put("query", new QueryCommand());
    m.put("serve", new ServeCommand());
    m.put("transactor", new TransactorCommand());
    m.put("import", new ImportCommand());
    m.put("sql", new SqlCommand());
    m.put("backup", new BackupCommand(false));
    m.put("restore", new BackupCommand(true));
    return m;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      out.println("usage: accrete <command> [options]");
      out.println();
      for (Map.Entry<String, Command> e : commands.entrySet()) {
        out.printf("  %-10s %s%n", e.getKey(), e.getValue().summary());
      }
      return args.length == 0 ? 2 : 0;
    }
    Command c = commands.get(args[0]);
    if (c == null) {
      err.println("accrete: unknown command '" + args[0] + "'; known: " + String.join(", ", commands.keySet()));
      return 2;
    }
    try {
      return c.run(Arrays.copyOfRange(args, 1, args.length), out);
    } catch (UsageException e) {
      err.println("accrete " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (AccreteException e) {
      err.println("accrete " + args[0] + ": " + e.getMessage());
      return 1;
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("accrete " + args[0] + ": " + (cause instanceof AccreteException ? cause.getMessage() : cause.toString()));
      return 1;
    } catch (Exception e) {
      err.println("accrete " + args[0] + ": " + e);
      return 1;
    }
  }

  /** Bad command-line arguments. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
