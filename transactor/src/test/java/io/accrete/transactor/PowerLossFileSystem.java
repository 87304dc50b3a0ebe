package io.accrete.transactor;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A file system for tests that loses power, as LazyFS and CharybdeFS let real ones do: it
 * passes every operation to the real directory underneath and remembers what was not yet made
 * durable — file contents written since their file's last sync, names created, renamed or
 * removed since their directory's last sync. From a chosen operation on, everything fails (the
 * machine is off); {@link #powerLoss} then puts the real directory in a state the disk could
 * hold after such a crash: every unsynced change undone, or (torn) some unsynced writes kept
 * whole or in part and the names changed up to some point kept, the rest undone.
 */
final class PowerLossFileSystem {
  private final FileSystem real = java.nio.file.FileSystems.getDefault();
  private final Provider provider = new Provider();
  private final Fs fs = new Fs();
  /** What a power loss would undo, oldest first. */
  private final List<Change> unsynced = new ArrayList<>();
  /** The identity of each file by its current real path (a rename moves it), for syncs. */
  private final Map<Path, Object> files = new HashMap<>();
  private long operations;
  private long failFrom = Long.MAX_VALUE;
  private boolean off;

  /** The path in this file system of a real directory. */
  Path wrap(Path realPath) {
    return new FsPath(realPath.toAbsolutePath().normalize());
  }

  /** From the {@code n}th changing operation on (1 is the first), every operation fails. */
  synchronized void failFrom(long n) {
    failFrom = n;
  }

  /** The changing operations so far (writes, syncs, creations, renames, deletions). */
  synchronized long operations() {
    return operations;
  }

  /** True once the power is off. */
  synchronized boolean isOff() {
    return off;
  }

  /**
   * Turns the power off (if it is not yet) and leaves the real directory as the disk would
   * hold it: with {@code rnd} null every unsynced change undone, else a random torn state.
   */
  synchronized void powerLoss(Random rnd) throws IOException {
    off = true;
    int keepNames = 0;
    int names = (int) unsynced.stream().filter(c -> !(c instanceof Write)).count();
    if (rnd != null) {
      keepNames = rnd.nextInt(names + 1); // the journal kept its oldest name changes
    }
    int name = 0;
    List<Change> undo = new ArrayList<>();
    for (Change c : unsynced) {
      if (c instanceof Write w) {
        if (rnd == null) {
          undo.add(w);
        } else {
          int pick = rnd.nextInt(3); // the page cache flushed all of it, none, or its first pages
          if (pick == 1) {
            undo.add(w);
          } else if (pick == 2) {
            int pages = Math.max(1, (w.old.length + 4095) / 4096);
            w.keepBytes = 4096L * rnd.nextInt(pages);
            undo.add(w);
          }
        }
      } else if (name++ >= keepNames) {
        undo.add(c);
      }
    }
    for (int i = undo.size() - 1; i >= 0; i--) {
      undo.get(i).undo(rnd == null);
    }
    unsynced.clear();
  }

  // ---- bookkeeping ----

  private synchronized void step() throws IOException {
    if (off) {
      throw new IOException("simulated power loss: the machine is off");
    }
    if (++operations >= failFrom) {
      off = true;
      throw new IOException("simulated power loss at operation " + operations);
    }
  }

  private synchronized void check() throws IOException {
    if (off) {
      throw new IOException("simulated power loss: the machine is off");
    }
  }

  private synchronized Object identity(Path p) {
    return files.computeIfAbsent(p, k -> new Object());
  }

  private synchronized void synced(Path p) {
    if (Files.isDirectory(p)) {
      unsynced.removeIf(c -> !(c instanceof Write) && p.equals(c.directory()));
    } else {
      Object id = identity(p);
      unsynced.removeIf(c -> c instanceof Write w && w.file == id);
    }
  }

  private abstract static class Change {
    /** The directory whose sync makes this change durable (null for a write). */
    abstract Path directory();

    abstract void undo(boolean all) throws IOException;
  }

  /** Bytes written over {@code old} (and up to {@code oldSize}) at {@code pos} of a file. */
  private static final class Write extends Change {
    final Object file;
    final Path path;
    final long pos;
    final byte[] old;
    final long written;
    final long oldSize;
    long keepBytes;

    Write(Object file, Path path, long pos, byte[] old, long written, long oldSize) {
      this.file = file;
      this.path = path;
      this.pos = pos;
      this.old = old;
      this.written = written;
      this.oldSize = oldSize;
    }

    @Override
    Path directory() {
      return null;
    }

    @Override
    void undo(boolean all) throws IOException {
      if (!Files.exists(path)) {
        return; // its name was undone already
      }
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
        long from = pos + keepBytes;
        if (keepBytes < old.length) {
          ch.write(ByteBuffer.wrap(old, (int) keepBytes, old.length - (int) keepBytes), from);
        }
        long end = pos + written;
        if (end > oldSize) {
          if (all) {
            ch.truncate(oldSize); // every later write is undone already
          } else {
            long zeroFrom = Math.max(oldSize, from);
            if (zeroFrom < end) {
              ch.write(ByteBuffer.allocate((int) (end - zeroFrom)), zeroFrom); // size journaled, data not
            }
          }
        }
      }
    }
  }

  private static final class Created extends Change {
    final Path path;

    Created(Path path) {
      this.path = path;
    }

    @Override
    Path directory() {
      return path.getParent();
    }

    @Override
    void undo(boolean all) throws IOException {
      deleteTree(path);
    }
  }

  private static final class Deleted extends Change {
    final Path path;
    final byte[] content;

    Deleted(Path path, byte[] content) {
      this.path = path;
      this.content = content;
    }

    @Override
    Path directory() {
      return path.getParent();
    }

    @Override
    void undo(boolean all) throws IOException {
      if (content == null) {
        Files.createDirectories(path);
      } else {
        Files.write(path, content);
      }
    }
  }

  private static final class Renamed extends Change {
    final Path from;
    final Path to;
    final byte[] replaced;

    Renamed(Path from, Path to, byte[] replaced) {
      this.from = from;
      this.to = to;
      this.replaced = replaced;
    }

    @Override
    Path directory() {
      return to.getParent();
    }

    @Override
    void undo(boolean all) throws IOException {
      if (Files.exists(to)) {
        Files.move(to, from, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      if (replaced != null) {
        Files.write(to, replaced);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }

  private static Path real(Path p) {
    if (!(p instanceof FsPath f)) {
      throw new java.nio.file.ProviderMismatchException(String.valueOf(p));
    }
    return f.real;
  }

  // ---- the java.nio plumbing ----

  private final class Provider extends FileSystemProvider {
    private final FileSystemProvider under = real.provider();

    @Override
    public String getScheme() {
      return "powerloss";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
      return fs;
    }

    @Override
    public Path getPath(URI uri) {
      return new FsPath(under.getPath(uri));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
        throws IOException {
      return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
        throws IOException {
      Path p = real(path);
      synchronized (PowerLossFileSystem.this) { // a change and its record are one step
        boolean creates = (options.contains(StandardOpenOption.CREATE)
            || options.contains(StandardOpenOption.CREATE_NEW)) && !Files.exists(p);
        if (creates || options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
          step();
        } else {
          check();
        }
        byte[] before = options.contains(StandardOpenOption.TRUNCATE_EXISTING) && Files.isRegularFile(p)
            ? Files.readAllBytes(p) : null;
        Set<OpenOption> readable = new java.util.HashSet<>(options);
        readable.add(StandardOpenOption.READ); // to remember what a write overwrites
        FileChannel ch = under.newFileChannel(p, readable, attrs);
        if (creates) {
          files.put(p, new Object());
          unsynced.add(new Created(p));
        } else if (before != null && before.length > 0) {
          unsynced.add(new Write(identity(p), p, 0, before, 0, before.length));
        }
        return new Channel(p, ch);
      }
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
        throws IOException {
      check();
      DirectoryStream<Path> s = under.newDirectoryStream(real(dir), p -> filter.accept(new FsPath(p)));
      return new DirectoryStream<>() {
        @Override
        public Iterator<Path> iterator() {
          Iterator<Path> it = s.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Path next() {
              return new FsPath(it.next());
            }
          };
        }

        @Override
        public void close() throws IOException {
          s.close();
        }
      };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
      Path p = real(dir);
      synchronized (PowerLossFileSystem.this) {
        step();
        under.createDirectory(p, attrs);
        unsynced.add(new Created(p));
      }
    }

    @Override
    public void delete(Path path) throws IOException {
      Path p = real(path);
      synchronized (PowerLossFileSystem.this) {
        step();
        byte[] content = Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        under.delete(p);
        unsynced.add(new Deleted(p, content));
      }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
      throw new UnsupportedOperationException("copy");
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
      Path from = real(source);
      Path to = real(target);
      synchronized (PowerLossFileSystem.this) {
        step();
        byte[] replaced = Files.isRegularFile(to) ? Files.readAllBytes(to) : null;
        under.move(from, to, options);
        Object id = files.remove(from);
        files.put(to, id == null ? new Object() : id);
        unsynced.add(new Renamed(from, to, replaced));
      }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
      return under.isSameFile(real(path), real(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
      return under.isHidden(real(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
      return under.getFileStore(real(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
      check();
      under.checkAccess(real(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
      return under.getFileAttributeView(real(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
        throws IOException {
      check();
      return under.readAttributes(real(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
      check();
      return under.readAttributes(real(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
      throw new UnsupportedOperationException("setAttribute");
    }
  }

  /** A channel whose writes are remembered until its file is synced. */
  private final class Channel extends FileChannel {
    private final Path path;
    private final FileChannel ch;

    Channel(Path path, FileChannel ch) {
      this.path = path;
      this.ch = ch;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      check();
      return ch.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      check();
      return ch.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      check();
      return ch.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      long pos = ch.position();
      int n = write(src, pos);
      ch.position(pos + n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      synchronized (PowerLossFileSystem.this) {
        step();
        long size = ch.size();
        int len = src.remaining();
        byte[] old = new byte[(int) Math.max(0, Math.min(len, size - position))];
        ch.read(ByteBuffer.wrap(old), position);
        int n = ch.write(src, position);
        unsynced.add(new Write(identity(path), path, position, old, n, size));
        return n;
      }
    }

    @Override
    public long position() throws IOException {
      return ch.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      ch.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      check();
      return ch.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      synchronized (PowerLossFileSystem.this) {
        step();
        long before = ch.size();
        byte[] cut = new byte[(int) Math.max(0, before - size)];
        ch.read(ByteBuffer.wrap(cut), size);
        ch.truncate(size);
        // Undone by writing the cut bytes back where they were.
        unsynced.add(new Write(identity(path), path, size, cut, 0, before));
        return this;
      }
    }

    @Override
    public void force(boolean metaData) throws IOException {
      synchronized (PowerLossFileSystem.this) {
        step();
        ch.force(metaData);
        synced(path);
      }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
      throw new UnsupportedOperationException("transferTo");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException("transferFrom");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
      throw new UnsupportedOperationException("map");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      check();
      return ch.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      check();
      return ch.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      ch.close();
    }
  }

  private final class Fs extends FileSystem {
    @Override
    public FileSystemProvider provider() {
      return provider;
    }

    @Override
    public void close() {}

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean isReadOnly() {
      return false;
    }

    @Override
    public String getSeparator() {
      return real.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
      List<Path> out = new ArrayList<>();
      real.getRootDirectories().forEach(p -> out.add(new FsPath(p)));
      return out;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
      return real.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
      return real.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
      return new FsPath(real.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
      PathMatcher m = real.getPathMatcher(syntaxAndPattern);
      return p -> m.matches(p instanceof FsPath f ? f.real : p);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
      return real.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
      throw new UnsupportedOperationException("watch");
    }
  }

  private final class FsPath implements Path {
    final Path real;

    FsPath(Path real) {
      this.real = real;
    }

    private Path wrapOrNull(Path p) {
      return p == null ? null : new FsPath(p);
    }

    @Override
    public FileSystem getFileSystem() {
      return fs;
    }

    @Override
    public boolean isAbsolute() {
      return real.isAbsolute();
    }

    @Override
    public Path getRoot() {
      return wrapOrNull(real.getRoot());
    }

    @Override
    public Path getFileName() {
      return wrapOrNull(real.getFileName());
    }

    @Override
    public Path getParent() {
      return wrapOrNull(real.getParent());
    }

    @Override
    public int getNameCount() {
      return real.getNameCount();
    }

    @Override
    public Path getName(int index) {
      return new FsPath(real.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
      return new FsPath(real.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
      return real.startsWith(PowerLossFileSystem.real(other));
    }

    @Override
    public boolean endsWith(Path other) {
      return real.endsWith(PowerLossFileSystem.real(other));
    }

    @Override
    public Path normalize() {
      return new FsPath(real.normalize());
    }

    @Override
    public Path resolve(Path other) {
      return new FsPath(real.resolve(PowerLossFileSystem.real(other)));
    }

    @Override
    public Path relativize(Path other) {
      return new FsPath(real.relativize(PowerLossFileSystem.real(other)));
    }

    @Override
    public URI toUri() {
      return real.toUri();
    }

    @Override
    public Path toAbsolutePath() {
      return new FsPath(real.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
      return new FsPath(real.toRealPath(options));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
      throw new UnsupportedOperationException("watch");
    }

    @Override
    public int compareTo(Path other) {
      return real.compareTo(PowerLossFileSystem.real(other));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FsPath f && f.real.equals(real);
    }

    @Override
    public int hashCode() {
      return real.hashCode();
    }

    @Override
    public String toString() {
      return real.toString();
    }
  }
}
