package io.accrete.transactor;

import io.accrete.db.Errors;
import io.accrete.spi.DatabaseUri;
import io.accrete.storage.LocalStorage;
import io.accrete.storage.Storage;
import io.accrete.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code accrete:local:///dir/name}: a database in the directory {@code /dir/name}, with its
 * transactor in the process that opens it. A lock file keeps a second process from opening the
 * same database; the query part takes {@link Settings} options.
 */
public final class LocalProvider extends DurableProvider {
  private static final String LOCK = ".transactor.lock";
  private final Map<Path, FileChannel> locks = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "local";
  }

  /** The databases in the directory of {@code accrete:local:///dir/*}: subdirectories holding a root. */
  @Override
  public java.util.List<String> databaseNames(DatabaseUri uri) {
    Path parent = dir(uri).getParent();
    java.util.List<String> out = new java.util.ArrayList<>();
    if (parent == null || !Files.isDirectory(parent)) {
      return out;
    }
    try (Stream<Path> s = Files.list(parent)) {
      s.filter(d -> Files.exists(d.resolve("roots").resolve(DurableConnection.ROOT)))
          .forEach(d -> out.add(d.getFileName().toString()));
    } catch (java.io.IOException e) {
      throw Errors.db("io", "Cannot list the databases in " + parent + ": " + e.getMessage());
    }
    java.util.Collections.sort(out);
    return out;
  }

  static Path dir(DatabaseUri uri) {
    String p = uri.path();
    if (!p.startsWith("/") || p.length() < 2 || p.endsWith("/")) {
      throw Errors.db("invalid-uri", "Database URI " + uri
          + " needs an absolute directory path: accrete:local:///path/to/dir/name");
    }
    try {
      return Path.of(p).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw Errors.db("invalid-uri", "Database URI " + uri + " has an invalid path: " + e.getMessage());
    }
  }

  @Override
  String id(DatabaseUri uri) {
    return dir(uri).toString();
  }

  @Override
  Map<String, String> options(DatabaseUri uri) {
    return query(uri.query(), uri.toString());
  }

  @Override
  Storage storage(DatabaseUri uri, boolean create) {
    Storage storage = open(uri, create);
    lock(uri, dir(uri));
    return storage;
  }

  /** Reading needs no lock: blobs are immutable and the root is replaced by an atomic rename. */
  @Override
  Storage reader(DatabaseUri uri) {
    return open(uri, false);
  }

  private Storage open(DatabaseUri uri, boolean create) {
    Path dir = dir(uri);
    if (!create) {
      if (!Files.isDirectory(dir)) {
        throw Errors.db("db-not-found", "Database " + uri + " does not exist: there is no directory " + dir
            + "; create it with Peer.createDatabase(\"" + uri + "\")");
      }
      if (!Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT))) {
        throw Errors.db("db-not-found", "Directory " + dir + " holds no Accrete database (no roots/root)"
            + "; check the path, or create the database with Peer.createDatabase(\"" + uri + "\")");
      }
    } else if (Files.isDirectory(dir) && !Files.exists(dir.resolve("roots"))) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw Errors.db("foreign-directory", "Directory " + dir + " exists and is not an Accrete"
              + " database; choose an empty or new directory");
        }
      } catch (IOException e) {
        throw new StorageException("io-error", "Cannot read directory " + dir + ": " + e, e);
      }
    }
    return new LocalStorage(dir);
  }

  /** Takes the directory's lock file so no other process writes the database meanwhile. */
  private void lock(DatabaseUri uri, Path dir) {
    try {
      FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw Errors.db("db-locked", "Database " + uri + " is open in another process (" + dir.resolve(LOCK)
            + " is locked); a local database has one transactor: connect through it, or use accrete:sql:");
      }
      locks.put(dir, ch);
    } catch (IOException e) {
      throw new StorageException("io-error", "Cannot lock " + dir.resolve(LOCK) + ": " + e, e);
    }
  }

  @Override
  void closed(DatabaseUri uri, Storage storage) {
    unlock(dir(uri));
    storage.close();
  }

  private void unlock(Path dir) {
    FileChannel ch = locks.remove(dir);
    if (ch != null) {
      try {
        ch.close(); // releases the lock
      } catch (IOException e) {
        throw new StorageException("io-error", "Cannot release " + dir.resolve(LOCK) + ": " + e, e);
      }
    }
  }

  /**
   * Moves the database's directory to {@code newName} beside it (one atomic rename), after
   * releasing this process's connection; refused while another process holds its lock.
   */
  @Override
  public boolean renameDatabase(DatabaseUri uri, String newName) {
    if (newName == null || newName.isEmpty() || newName.contains("/") || newName.equals(".")
        || newName.equals("..")) {
      throw Errors.db("invalid-uri", "Cannot rename " + uri + " to \"" + newName
          + "\": the new name is a directory name beside the old one, without /");
    }
    releaseConnection(uri);
    Path dir = dir(uri);
    if (!Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT))) {
      return false;
    }
    Path target = dir.resolveSibling(newName);
    if (Files.exists(target)) {
      throw Errors.db("db-exists", "Cannot rename " + uri + " to " + newName + ": " + target + " exists");
    }
    lock(uri, dir); // no transactor of another process is writing it
    try {
      Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StorageException("io-error", "Cannot rename " + dir + " to " + target + ": " + e, e);
    } finally {
      unlock(dir);
    }
    return true;
  }

  @Override
  public boolean deleteDatabase(DatabaseUri uri) {
    releaseConnection(uri);
    Path dir = dir(uri);
    if (!Files.exists(dir.resolve("roots").resolve(DurableConnection.ROOT))) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new StorageException("io-error", "Cannot delete " + dir + ": " + e, e);
    }
    return true;
  }
}
