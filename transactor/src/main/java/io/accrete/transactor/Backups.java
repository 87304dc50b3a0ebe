package io.accrete.transactor;

import io.accrete.Peer;
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
import java.util.ServiceLoader;
import java.util.function.LongConsumer;

/**
 * Backup and restore across backends. A backup is a directory in the local storage format
 * holding a database's root, the segments it refers to and the whole log; restoring copies
 * them into any backend, the root last, so a half-done restore is never a database.
 */
public final class Backups {
  private Backups() {}

  private static final int PAGE = 1000;

  /** Copies the database at {@code uri} into {@code dir}; returns the blobs copied. */
  public static long backup(String uri, Path dir, LongConsumer progress) {
    if (Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT))) {
      throw Errors.db("backup-exists", "Directory " + dir + " already holds a backup or database;"
          + " choose a new directory");
    }
    Storage source = open(uri, false);
    try (LocalStorage target = new LocalStorage(dir)) {
      byte[] rootBytes = source.getRoot(DurableConnection.ROOT);
      if (rootBytes == null) {
        throw Errors.db("db-not-found", "Database " + uri + " does not exist");
      }
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
      // The root last: a backup with a root is complete.
      target.casRoot(DurableConnection.ROOT, null, rootBytes);
      return n + 1;
    } finally {
      source.close();
    }
  }

  /** Copies the backup in {@code dir} into a new database at {@code uri}; returns the blobs copied. */
  public static long restore(Path dir, String uri, LongConsumer progress) {
    if (!Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT))) {
      throw Errors.db("backup-not-found", "Directory " + dir + " holds no complete backup (no roots/root)");
    }
    Storage target = open(uri, true);
    try (LocalStorage source = new LocalStorage(dir)) {
      if (target.getRoot(DurableConnection.ROOT) != null) {
        throw Errors.db("db-exists", "Database " + uri + " already exists; restore into a new one"
            + " (or delete it first with Peer.deleteDatabase)");
      }
      byte[] rootBytes = source.getRoot(DurableConnection.ROOT);
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
        throw Errors.db("db-exists", "Database " + uri + " was created while restoring into it");
      }
      return n + 1;
    } finally {
      target.close();
    }
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

  /** The storage of a durable database URI (mem databases have none to copy). */
  private static Storage open(String uri, boolean create) {
    DatabaseUri u = DatabaseUri.parse(uri);
    for (DatabaseProvider p : ServiceLoader.load(DatabaseProvider.class, Peer.class.getClassLoader())) {
      if (p.scheme().equals(u.scheme()) && p instanceof DurableProvider d) {
        d.releaseConnection(u);
        return d.storage(u, create);
      }
    }
    throw Errors.db("invalid-uri", "Backup and restore need a durable database (accrete:local: or accrete:sql:), not " + uri);
  }
}
