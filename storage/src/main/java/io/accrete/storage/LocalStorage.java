package io.accrete.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Storage in a directory: a file per blob (keys with slashes are subdirectories) and a file per
 * root. A write goes to a temporary file that is synced, then atomically renamed into place,
 * and the directory is synced, so a crash leaves either the whole blob or none of it. Roots
 * change under an exclusive file lock, so processes sharing the directory cannot race.
 *
 * <p>The transaction log's batches (keys under {@code log/}) are appended to an
 * {@link AppendLog} instead: one write and one data sync per commit. A log key that is not
 * greater than the log's last one (never the transactor's) gets a file of its own.
 */
public final class LocalStorage implements Storage {
  private static final String LOG = "log/";
  private final Path dir;
  private final Path roots;
  private final AppendLog log;
  private final Set<Path> knownDirs = ConcurrentHashMap.newKeySet();

  /** Opens (creating) storage in {@code dir}. */
  public LocalStorage(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.roots = this.dir.resolve("roots");
    try {
      createDirectoriesDurably(roots);
    } catch (IOException e) {
      throw failure("cannot create the storage directory", this.dir, e);
    }
    this.log = new AppendLog(this.dir);
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  private Path path(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\\")
        || key.startsWith("roots/") || key.contains("//")) {
      throw new IllegalArgumentException("invalid storage key " + key);
    }
    return dir.resolve(key);
  }

  @Override
  public byte[] get(String key) {
    Path p = path(key);
    if (key.startsWith(LOG)) {
      byte[] b = log.get(key);
      if (b != null) {
        return b;
      }
    }
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw failure("cannot read", p, e);
    }
  }

  @Override
  public void put(String key, byte[] value) {
    Path p = path(key);
    if (key.startsWith(LOG) && appendToLog(key, value, p)) {
      return;
    }
    if (Files.exists(p)) {
      sameAsStored(key, value); // immutable: written before (a retry)
      return;
    }
    Path parent = p.getParent();
    ensureDir(parent);
    writeAtomically(p, value);
    syncDir(parent);
  }

  /**
   * Writes every blob to its own synced temporary file, then renames them into place and syncs
   * their directories once. The file syncs run in parallel: the file system commits concurrent
   * syncs together, so an indexing job's hundreds of segments cost a few journal commits, not
   * one each.
   */
  @Override
  public void putAll(Map<String, byte[]> blobs) {
    List<Path[]> pending = new ArrayList<>(blobs.size()); // {temporary, final}
    Set<Path> dirs = new java.util.HashSet<>();
    try {
      for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
        Path p = path(e.getKey());
        if (Files.exists(p) || (e.getKey().startsWith(LOG) && log.get(e.getKey()) != null)) {
          sameAsStored(e.getKey(), e.getValue());
          continue;
        }
        ensureDir(p.getParent());
        pending.add(new Path[] {writeTemporary(p, e.getValue(), pending.size() < 2), p});
        dirs.add(p.getParent());
      }
      if (pending.size() > 2) {
        syncAll(pending);
      }
      for (Path[] tp : pending) {
        moveIntoPlace(tp[0], tp[1]);
      }
    } catch (RuntimeException e) {
      for (Path[] tp : pending) {
        deleteQuietly(tp[0], e);
      }
      throw e;
    }
    for (Path d : dirs) {
      syncDir(d);
    }
  }

  /**
   * Log batches in the append log are rewritten there (their segment replaced whole); other
   * blobs each by a synced temporary file renamed over the old one.
   */
  @Override
  public void rewrite(Map<String, byte[]> blobs) {
    Map<String, byte[]> inLog = new java.util.TreeMap<>();
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      if (e.getKey().startsWith(LOG) && log.get(e.getKey()) != null) {
        inLog.put(e.getKey(), e.getValue());
        continue;
      }
      Path p = path(e.getKey());
      if (Files.exists(p)) {
        writeAtomically(p, e.getValue());
        syncDir(p.getParent());
      }
    }
    log.rewrite(inLog);
  }

  /**
   * Appends a log batch after the log's last key, or finds it there (a retry); false when it
   * belongs before the last key, and goes to a file. Only single puts use the log: a crash can
   * then tear no more than the last record, which the log tells apart from damage.
   */
  private boolean appendToLog(String key, byte[] value, Path file) {
    if (log.isEmpty() && Files.exists(file)) {
      return true; // a database from before the log, and a retry
    }
    AppendLog.Appended a = log.append(key, value);
    if (a == AppendLog.Appended.PRESENT) {
      sameAsStored(key, value);
    }
    return a != AppendLog.Appended.BEFORE_END;
  }

  /** A blob written again must carry the bytes it has (a retry); others are another writer's. */
  private void sameAsStored(String key, byte[] value) {
    byte[] stored = get(key);
    if (stored != null && !java.util.Arrays.equals(stored, value)) {
      throw new StorageException("conflict", "Blob " + key + " in " + dir + " already holds other bytes; blobs"
          + " are immutable: nothing was written");
    }
  }

  /** Syncs the temporary files (all but the first two, synced as they were written) in parallel. */
  private void syncAll(List<Path[]> pending) {
    List<java.util.concurrent.Future<?>> syncs = new ArrayList<>();
    for (Path[] tp : pending.subList(2, pending.size())) {
      syncs.add(SYNCS.submit(() -> {
        try (FileChannel ch = FileChannel.open(tp[0], StandardOpenOption.WRITE)) {
          ch.force(true);
        } catch (IOException e) {
          throw failure("cannot write", tp[1], e);
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : syncs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted", "Interrupted while syncing segments in " + dir);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof StorageException se ? se
            : new StorageException("io-error", "Cannot sync a segment in " + dir + ": " + e.getCause(), e.getCause());
      }
    }
  }

  /** Threads that only wait for file syncs; shared by every local storage of the JVM. */
  private static final java.util.concurrent.ExecutorService SYNCS =
      java.util.concurrent.Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "accrete-local-fsync");
        t.setDaemon(true);
        return t;
      });

  private void ensureDir(Path d) {
    if (knownDirs.contains(d)) {
      return;
    }
    try {
      createDirectoriesDurably(d);
      knownDirs.add(d);
    } catch (IOException e) {
      throw failure("cannot create directory", d, e);
    }
  }

  /** Writes a file through a synced temporary file and an atomic rename. */
  private void writeAtomically(Path p, byte[] value) {
    Path tmp = writeTemporary(p, value, true);
    try {
      moveIntoPlace(tmp, p);
    } catch (RuntimeException e) {
      deleteQuietly(tmp, e);
      throw e;
    }
  }

  /** Writes {@code value} to a new temporary file beside {@code p}, synced if {@code sync}. */
  private Path writeTemporary(Path p, byte[] value, boolean sync) {
    Path tmp = p.resolveSibling("." + p.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(value);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (sync) {
        ch.force(true);
      }
      return tmp;
    } catch (IOException e) {
      StorageException failure = failure("cannot write", p, e);
      deleteQuietly(tmp, failure);
      throw failure;
    }
  }

  private void moveIntoPlace(Path tmp, Path p) {
    try {
      try {
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw failure("cannot write", p, e);
    }
  }

  private static void deleteQuietly(Path tmp, Exception cause) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  private void syncDir(Path d) {
    syncDirectory(d);
  }

  /**
   * Creates a directory and its missing parents so that they survive a power loss: a new name
   * is durable only once the directory holding it is synced, and files synced inside a
   * directory whose own name is not durable vanish with it.
   */
  static void createDirectoriesDurably(Path d) throws IOException {
    java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
    for (Path p = d.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p); // outermost first
    }
    Files.createDirectories(d);
    for (Path p : missing) {
      syncDirectory(p.getParent());
    }
  }

  static void syncDirectory(Path d) {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw failure("cannot sync directory", d, e);
    }
  }

  @Override
  public byte[] getRoot(String name) {
    Path p = roots.resolve(rootFile(name));
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw failure("cannot read root", p, e);
    }
  }

  @Override
  public synchronized boolean casRoot(String name, byte[] expected, byte[] value) {
    Path p = roots.resolve(rootFile(name));
    try (FileChannel lockFile = FileChannel.open(roots.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
      byte[] cur = getRoot(name);
      if (!(cur == null ? expected == null : expected != null && Arrays.equals(cur, expected))) {
        return false;
      }
      writeAtomically(p, value);
      syncDir(roots);
      return true;
    } catch (IOException e) {
      throw failure("cannot lock roots in", roots, e);
    }
  }

  @Override
  public synchronized void deleteRoot(String name) {
    try {
      Files.deleteIfExists(roots.resolve(rootFile(name)));
      syncDir(roots);
    } catch (IOException e) {
      throw failure("cannot delete root", roots.resolve(rootFile(name)), e);
    }
  }

  private static String rootFile(String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("invalid root name " + name);
    }
    return name;
  }

  @Override
  public void delete(String key) {
    Path p = path(key);
    if (key.startsWith(LOG) && log.get(key) != null) {
      throw new StorageException("immutable", "Log batch " + key + " is in the append-only log of " + dir
          + " and cannot be deleted: the transaction log is kept whole");
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw failure("cannot delete", p, e);
    }
  }

  @Override
  public List<String> keys(String prefix, String after, int limit) {
    int slash = prefix.lastIndexOf('/');
    String dirPart = slash < 0 ? "" : prefix.substring(0, slash + 1);
    String namePrefix = prefix.substring(slash + 1);
    Path d = dirPart.isEmpty() ? dir : dir.resolve(dirPart);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") || !n.startsWith(namePrefix) || Files.isDirectory(p)) {
          continue;
        }
        String key = dirPart + n;
        if (after == null || key.compareTo(after) > 0) {
          names.add(key);
        }
      }
    } catch (NoSuchFileException e) {
      // no files under this prefix; the log may still have keys
    } catch (IOException e) {
      throw failure("cannot list", d, e);
    }
    if (prefix.startsWith(LOG)) {
      names.addAll(log.keys(prefix, after, limit));
      names = new ArrayList<>(new java.util.TreeSet<>(names));
    }
    Collections.sort(names);
    return names.size() > limit ? new ArrayList<>(names.subList(0, limit)) : names;
  }

  @Override
  public String describe() {
    return "local storage in " + dir;
  }

  @Override
  public void close() {
    log.close();
  }

  static StorageException failure(String what, Path p, IOException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("No space left") || msg.contains("Disk quota")) {
      return new StorageException("disk-full", "The disk is full: " + what + " " + p
          + "; free some space and retry (nothing unacknowledged was kept)", e);
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return new StorageException("access-denied", "Permission denied: " + what + " " + p
          + "; check the directory's owner and permissions", e);
    }
    return new StorageException("io-error", what + " " + p + ": " + e, e);
  }
}
