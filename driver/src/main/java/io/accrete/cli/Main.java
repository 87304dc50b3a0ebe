package io.accrete.cli;

import io.accrete.AccreteException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code accrete} command line. Each command is one class; errors print one clear line
 * and exit non-zero: 2 for bad arguments (as getopt-style tools do), 1 when the work failed.
 * {@code --help} or {@code -h} after any command prints its usage and exits 0.
 */
public final class Main {
  private Main() {}

  /** A command of the command line. */
  interface Command {
    /** One line for the list of commands. */
    String summary();

    /** What {@code --help} prints: what it does, its arguments and options, an example. */
    String usage();

    /** Runs with the arguments after the command name; returns the exit code. */
    int run(String[] args, PrintStream out) throws Exception;

    /** As {@link #run(String[], PrintStream)}, for commands that report on stderr themselves. */
    default int run(String[] args, PrintStream out, PrintStream err) throws Exception {
      return run(args, out);
    }
  }

  /** Every command by name, in the order the help lists them. */
  static Map<String, Command> commands() {
    Map<String, Command> m = new LinkedHashMap<>();
    m.put("demo", new DemoCommand());
    m.put("query", new QueryCommand());
    m.put("serve", new ServeCommand());
    m.put("transactor", new TransactorCommand());
    m.put("import", new ImportCommand());
    m.put("sql", new SqlCommand());
    m.put("backup", new BackupCommand(false));
    m.put("restore", new BackupCommand(true));
    m.put("verify", new VerifyCommand());
    return m;
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args a command and its arguments; none, {@code --help} or {@code help} list the commands
   */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("serve")) {
      // Avatica's JDBC bridge reads timestamps through the JVM's calendar: in a zone with daylight
      // saving, a wall-clock time in the hour skipped in spring would come out an hour later.
      // Clients convert in their own zones, so the server process itself keeps UTC.
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.length == 0 || isHelp(args[0]) || (args[0].equals("help") && args.length == 1)) {
      list(commands, out);
      return args.length == 0 ? 2 : 0;
    }
    if (args[0].equals("help")) { // accrete help sql
      Command c = commands.get(args[1]);
      if (c == null) {
        err.println("accrete help: unknown command '" + args[1] + "'; known: " + String.join(", ", commands.keySet()));
        return 2;
      }
      out.print(c.usage());
      return 0;
    }
    Command c = commands.get(args[0]);
    if (c == null) {
      err.println("accrete: unknown " + (args[0].startsWith("-") ? "option " + args[0] : "command '" + args[0] + "'")
          + "; known commands: " + String.join(", ", commands.keySet()) + " ('accrete --help' tells more)");
      return 2;
    }
    String name = "accrete " + args[0];
    try {
      return c.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (HelpRequested e) {
      out.print(c.usage());
      return 0;
    } catch (UsageException e) {
      err.println(name + ": " + e.getMessage() + (e.hint ? "; '" + name + " --help' lists the options" : ""));
      return 2;
    } catch (Failure | AccreteException e) {
      err.println(name + ": " + e.getMessage());
      return 1;
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println(name + ": " + (cause instanceof AccreteException ? cause.getMessage() : cause.toString()));
      return 1;
    } catch (Exception e) {
      err.println(name + ": " + e);
      return 1;
    }
  }

  private static void list(Map<String, Command> commands, PrintStream out) {
    out.println("usage: accrete <command> [options]");
    out.println();
    for (Map.Entry<String, Command> e : commands.entrySet()) {
      out.printf("  %-10s %s%n", e.getKey(), e.getValue().summary());
    }
    out.println();
    out.println("'accrete <command> --help' (or -h) prints a command's arguments, options and an example.");
  }

  static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /**
   * Throws what a command's argument loop does with an argument that looks like an option but
   * is none of its own: {@code --help}/{@code -h} ask for the usage, anything else is unknown.
   */
  static UsageException notAnOption(String arg) throws HelpRequested {
    if (isHelp(arg)) {
      throw new HelpRequested();
    }
    return new UsageException("unknown option " + arg, true);
  }

  /** Whether an argument is written as an option ({@code --x}, {@code -x}), not a value like {@code -1} or {@code -}. */
  static boolean looksLikeOption(String arg) {
    return arg.startsWith("--") || (arg.length() > 1 && arg.charAt(0) == '-' && Character.isLetter(arg.charAt(1)));
  }

  /** Bad command-line arguments: one line, exit status 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Whether to point at {@code --help}: the arguments were wrong, not the environment. */
    private final boolean hint;

    UsageException(String message) {
      this(message, false);
    }

    UsageException(String message, boolean hint) {
      super(message);
      this.hint = hint;
    }
  }

  /** The command could not do its work, for a reason its one-line message says: exit status 1. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /** {@code --help} or {@code -h} among a command's arguments: print its usage, exit 0. */
  static final class HelpRequested extends Exception {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super("--help", null, false, false);
    }
  }
}
