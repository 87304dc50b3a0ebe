package io.accrete.cli;

import io.accrete.transactor.Backups;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code accrete backup --db <uri> DIR} and {@code accrete restore DIR --db <uri>}: copy a
 * durable database out to a directory and into any backend (local → PostgreSQL is how a
 * database moves up).
 */
final class BackupCommand implements Main.Command {
  private final boolean restore;

  BackupCommand(boolean restore) {
    this.restore = restore;
  }

  @Override
  public String summary() {
    return restore ? "restore a backup directory into a new database: restore DIR --db <uri>"
        : "copy a durable database into a directory: backup --db <uri> DIR";
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    String uri = null;
    String dir = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--db")) {
        if (++i >= args.length) {
          throw new Main.UsageException("--db needs a database URI");
        }
        uri = args[i];
      } else if (args[i].startsWith("--")) {
        throw new Main.UsageException("unknown option " + args[i]);
      } else if (dir == null) {
        dir = args[i];
      } else {
        throw new Main.UsageException("one directory only, not also " + args[i]);
      }
    }
    if (uri == null || dir == null) {
      throw new Main.UsageException(restore ? "usage: accrete restore DIR --db <uri>"
          : "usage: accrete backup --db <uri> DIR");
    }
    long start = System.nanoTime();
    Progress p = new Progress(out, restore ? "restoring" : "backing up");
    long n = restore ? Backups.restore(Path.of(dir), uri, p::update) : Backups.backup(uri, Path.of(dir), p::update);
    p.done();
    out.printf("%s %d blobs in %.1f s%n", restore ? "restored" : "backed up", n, (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
