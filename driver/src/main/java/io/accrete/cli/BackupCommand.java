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
  public String usage() {
    return restore ? """
        usage: accrete restore DIR --db <uri>

        Restores a backup directory (made by accrete backup) into a new database, on any
        backend: this is how a local database moves to PostgreSQL. The database must not exist.

        Arguments:
          DIR          the backup directory
        Options:
          --db <uri>   the new database: accrete:local:///dir/name or
                       accrete:sql://name?jdbc:postgresql://host:5432/db?user=u&password=p
          -h, --help   print this help

        Example:
          accrete restore /backups/shop-2026-11-22 --db 'accrete:sql://shop?jdbc:postgresql://db:5432/app?user=accrete'
        """ : """
        usage: accrete backup --db <uri> DIR

        Copies a durable database (local or PostgreSQL) into a directory: its root, the segments
        it refers to and the whole log. The database may be in use meanwhile. On a terminal a
        progress line counts the blobs.

        Arguments:
          DIR          the backup directory (created if missing)
        Options:
          --db <uri>   the database: accrete:local:///dir/name or accrete:sql://name?jdbc:postgresql://…
          -h, --help   print this help

        Example:
          accrete backup --db accrete:local:///data/shop /backups/shop-2026-11-22
        """;
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
      } else if (Main.looksLikeOption(args[i])) {
        throw Main.notAnOption(args[i]);
      } else if (dir == null) {
        dir = args[i];
      } else {
        throw new Main.UsageException("one directory only, not also " + args[i], true);
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
