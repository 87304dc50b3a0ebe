package io.accrete.transactor;

import io.accrete.db.Errors;
import io.accrete.spi.DatabaseProvider;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.DbRoot;
import io.accrete.storage.LocalStorage;
import io.accrete.storage.Segments;
import io.accrete.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Backup and restore across backends. A backup is a directory in the local storage format
 * holding a database's root, the segments it refers to and the whole log; restoring copies
 * them into any backend, the root last, so a half-done restore is never a database.
 */
public final class Backups {
  private Backups() {}

  private static final int PAGE = 1000;

  /**
   * Copies the database at {@code uri} into {@code dir}; returns the blobs copied. The database
   * may be in use meanwhile: the backup is the database as of its root when the copy starts,
   * plus the log written until the copy of the log ends.
   */
  public static long backup(String uri, Path dir, LongConsumer progress) {
    if (Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT))) {
      throw Errors.db("backup-exists", "Directory " + dir + " already holds a backup or database;"
          + " choose a new directory");
    }
    DatabaseUri u = DatabaseUri.parse(uri);
    try (Storage source = provider(u).reader(u); LocalStorage target = new LocalStorage(dir)) {
      byte[] rootBytes = source.getRoot(DurableConnection.ROOT);
      if (rootBytes == null) {
        throw Errors.db("db-not-found", "Database " + uri + " does not exist in " + source.describe());
      }
      return copy(source, target, rootBytes, progress);
    }
  }

  /** Copies the backup in {@code dir} into a new database at {@code uri}; returns the blobs copied. */
  public static long restore(Path dir, String uri, LongConsumer progress) {
    if (!Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT))) {
      throw Errors.db("backup-not-found", "Directory " + dir + " holds no complete backup (no roots/root)");
    }
    DatabaseUri u = DatabaseUri.parse(uri);
    DurableProvider p = provider(u);
    Storage target = p.storage(u, true);
    try (LocalStorage source = new LocalStorage(dir)) {
      if (target.getRoot(DurableConnection.ROOT) != null) {
        throw Errors.db("db-exists", "Database " + uri + " already exists; restore into a new one"
            + " (or delete it first with Peer.deleteDatabase)");
      }
      return copy(source, target, source.getRoot(DurableConnection.ROOT), progress);
    } finally {
      p.closed(u, target);
    }
  }

  /**
   * Copies the segments {@code rootBytes} reaches and the whole log, then the root last: only a
   * complete copy has a root, so a copy cut short is never taken for a database.
   */
  private static long copy(Storage source, Storage target, byte[] rootBytes, LongConsumer progress) {
    DbRoot root = DbRoot.decode(rootBytes, source.describe());
    long n = 0;
    Map<String, byte[]> batch = new LinkedHashMap<>();
    for (String key : Segments.reachable(source, root)) {
      batch.put(key, source.get(key));
      n = flush(target, batch, n, progress);
    }
    String after = null;
    while (true) {
      List<String> keys = source.keys("log/", after, PAGE);
      for (String k : keys) {
        batch.put(k, source.get(k));
        n = flush(target, batch, n, progress);
        after = k;
      }
      if (keys.size() < PAGE) {
        break;
      }
    }
    n = flushAll(target, batch, n, progress);
    if (!target.casRoot(DurableConnection.ROOT, null, rootBytes)) {
      throw Errors.db("db-exists", "A database appeared in " + target.describe() + " while copying into it");
    }
    return n + 1;
  }

  private static long flush(Storage target, Map<String, byte[]> batch, long n, LongConsumer progress) {
    return batch.size() >= 64 ? flushAll(target, batch, n, progress) : n;
  }

  private static long flushAll(Storage target, Map<String, byte[]> batch, long n, LongConsumer progress) {
    if (batch.isEmpty()) {
      return n;
    }
    target.putAll(batch);
    n += batch.size();
    batch.clear();
    progress.accept(n);
    return n;
  }

  /** The provider of a durable database URI (mem databases have no storage to copy). */
  private static DurableProvider provider(DatabaseUri u) {
    if (DatabaseProvider.of(u) instanceof DurableProvider d) {
      return d;
    }
    throw Errors.db("invalid-uri", "Backup and restore need a durable database (accrete:local: or accrete:sql:), not " + u);
  }
}
