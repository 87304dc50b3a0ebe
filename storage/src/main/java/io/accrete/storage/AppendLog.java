package io.accrete.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The transaction log of a {@link LocalStorage}: log batches appended to segment files, as a
 * write-ahead log keeps them, so that committing a transaction costs one write and one
 * {@code fdatasync} instead of a file creation, two syncs and a rename.
 *
 * <p>Segments ({@code .wal/<number>.wal}) are zero-filled when created, so syncing a record does
 * not change the file's size. A record is {@code [int length][int crc][byte kind][short key
 * length][key][payload]}; the CRC covers the segment number and offset too, so stale bytes of a
 * torn write are never taken for a record. The first record whose CRC does not match (zeros, or
 * a write a crash tore) is the end of a segment; the log goes on in the next segment once that
 * file exists (the appender creates it only when it is done with the previous one). Keys are appended in increasing order (the transactor's batch keys always increase), so a
 * segment holds the keys from its first key to the next segment's first key; the caller stores a
 * key that is not greater than the last one some other way. Other processes may read while one
 * appends: readers catch up from where they stopped, and appends take a file lock.
 */
final class AppendLog {
  private static final int HEADER = 4 + 4 + 1 + 2;
  private static final byte PUT = 1;
  private static final int FIRST_SEGMENT = 1 << 20;
  private static final int MAX_SEGMENT = 16 << 20;
  private static final int CACHED_SEGMENTS = 4;
  /** One appender per directory in this JVM; a FileLock then keeps other processes out. */
  private static final Map<Path, Object> APPENDERS = new ConcurrentHashMap<>();

  private final Path dir;
  private final Object appender;
  /** Segment number to its first key (null while the segment is empty), in log order. */
  private final TreeMap<Long, String> segments = new TreeMap<>();
  /** The keys of the last segment, with their offsets. */
  private final TreeMap<String, Integer> tail = new TreeMap<>();
  /** Key indexes of earlier segments, the most recently used few. */
  private final Map<Long, NavigableMap<String, Integer>> sealed = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, NavigableMap<String, Integer>> eldest) {
      return size() > CACHED_SEGMENTS;
    }
  };
  private boolean opened;
  /** Whether this appender has checked that the tail ends in a torn record at worst. */
  private boolean tailChecked;
  private long tailNo;
  private int tailPos;
  private int tailSize;
  private String lastKey;
  private FileChannel tailChannel;
  /** The file appenders lock; guarded by {@link #appender}. */
  private FileChannel lockFile;

  AppendLog(Path storageDir) {
    this.dir = storageDir.resolve(".wal");
    this.appender = APPENDERS.computeIfAbsent(dir, d -> new Object());
  }

  /** Whether the log has no key, as far as this instance has seen. */
  synchronized boolean isEmpty() {
    if (!opened) {
      catchUp();
    }
    return lastKey == null;
  }

  /** The payload stored under {@code key}, or null when the log does not have it. */
  synchronized byte[] get(String key) {
    if (lastKey == null || key.compareTo(lastKey) > 0) {
      catchUp();
    }
    Map.Entry<Long, String> seg = segmentOf(key);
    if (seg == null) {
      return null;
    }
    Integer pos = index(seg.getKey()).get(key);
    return pos == null ? null : readPayload(seg.getKey(), pos, key);
  }

  /** Up to {@code limit} keys starting with {@code prefix}, greater than {@code after}, in order. */
  synchronized List<String> keys(String prefix, String after, int limit) {
    catchUp();
    List<String> out = new ArrayList<>();
    Map.Entry<Long, String> from = after == null ? null : segmentOf(after);
    Long start = from == null ? (segments.isEmpty() ? null : segments.firstKey()) : from.getKey();
    if (start == null) {
      return out;
    }
    for (long no : segments.tailMap(start, true).keySet()) {
      NavigableMap<String, Integer> keys = index(no);
      for (String k : after == null ? keys.navigableKeySet() : keys.tailMap(after, false).navigableKeySet()) {
        if (k.startsWith(prefix)) {
          out.add(k);
          if (out.size() >= limit) {
            return out;
          }
        }
      }
    }
    return out;
  }

  /** What {@link #append} did. */
  enum Appended {
    /** The blob is in the log now. */
    APPENDED,
    /** The log had the key already (a retry). */
    PRESENT,
    /** The key is not greater than the log's last one: nothing was written. */
    BEFORE_END
  }

  /** Appends a blob whose key is greater than every key in the log, and syncs it. */
  Appended append(String key, byte[] value) {
    return asAppender("cannot lock the log in", () -> {
      if (lastKey != null && key.compareTo(lastKey) <= 0) {
        return get(key) != null ? Appended.PRESENT : Appended.BEFORE_END;
      }
      if (!tailChecked && tailChannel != null) {
        refuseDamage(tailChannel, tailNo, tailPos); // only the appender may judge the tail
      }
      tailChecked = true;
      appendLocked(key, value);
      return Appended.APPENDED;
    });
  }

  /** Work on the log that only its one appender may do. */
  private interface AppenderWork<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code work} as the log's appender: this JVM's lock for the directory, the file lock
   * that keeps other processes out, then this instance's monitor, the log read up to its end.
   */
  private <T> T asAppender(String failure, AppenderWork<T> work) {
    synchronized (appender) {
      try {
        if (lockFile == null) {
          LocalStorage.createDirectoriesDurably(dir);
          lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        try (FileLock lock = lockFile.lock()) {
          synchronized (this) {
            catchUp();
            return work.run();
          }
        }
      } catch (IOException e) {
        throw LocalStorage.failure(failure, dir, e);
      }
    }
  }

  private void appendLocked(String key, byte[] value) {
    try {
      int size = HEADER + key.getBytes(StandardCharsets.UTF_8).length + value.length;
      if (tailChannel == null || tailPos + size > tailSize) {
        newSegment(Math.max(tailChannel == null ? FIRST_SEGMENT : Math.min(MAX_SEGMENT, tailSize * 2), size));
      }
    } catch (IOException e) {
      forget();
      throw LocalStorage.failure("cannot create a log segment in", dir, e);
    }
    int pos = tailPos;
    try {
      write(tailChannel, record(key, value, tailNo, pos), pos);
      tailChannel.force(false);
    } catch (IOException e) {
      // Zero the header, so that neither this process nor a restart adopts a record whose
      // sync failed; then read the log afresh.
      try {
        write(tailChannel, new byte[HEADER], pos);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      Path where = segmentPath(tailNo);
      forget();
      throw LocalStorage.failure("cannot append to the log", where, e);
    }
    tailPos = pos + HEADER + key.getBytes(StandardCharsets.UTF_8).length + value.length;
    tail.put(key, pos);
    if (segments.get(tailNo) == null) {
      segments.put(tailNo, key);
    }
    lastKey = key;
  }

  /**
   * Replaces the payloads of records already in the log (excision): each segment holding one is
   * written again whole — its records in order, the replaced ones with their new payloads, each
   * with a CRC for its new offset — to a synced temporary file renamed over the old one, so a
   * crash leaves the old segment or the new. Keys the log lacks are skipped.
   */
  void rewrite(Map<String, byte[]> replacements) {
    if (replacements.isEmpty()) {
      return;
    }
    asAppender("cannot rewrite the log in", () -> {
      Map<Long, List<String>> bySegment = new TreeMap<>();
      for (String key : replacements.keySet()) {
        Map.Entry<Long, String> seg = segmentOf(key);
        if (seg != null && index(seg.getKey()).containsKey(key)) {
          bySegment.computeIfAbsent(seg.getKey(), k -> new ArrayList<>()).add(key);
        }
      }
      try {
        for (long no : bySegment.keySet()) {
          rewriteSegment(no, replacements);
        }
      } finally {
        forget(); // offsets changed (or a rewrite failed midway): read the segments afresh
      }
      return null;
    });
  }

  private void rewriteSegment(long no, Map<String, byte[]> replacements) throws IOException {
    Path p = segmentPath(no);
    java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, Integer> r : new TreeMap<>(index(no)).entrySet()) {
      byte[] payload = replacements.get(r.getKey());
      if (payload == null) {
        payload = readPayload(no, r.getValue(), r.getKey());
      }
      content.write(record(r.getKey(), payload, no, content.size()));
    }
    long size = Math.max(Files.size(p), content.size());
    Path tmp = dir.resolve("." + no + ".rewrite.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      write(ch, content.toByteArray(), 0);
      // Zeros after the records, as in a new segment: the end of the records, room to append.
      byte[] zeros = new byte[1 << 16];
      for (long at = content.size(); at < size; at += zeros.length) {
        write(ch, java.util.Arrays.copyOf(zeros, (int) Math.min(zeros.length, size - at)), at);
      }
      ch.force(true);
    }
    Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    LocalStorage.syncDirectory(dir);
  }

  /** Drops what is known about the log, to read it again from the files. */
  private void forget() {
    try {
      if (tailChannel != null) {
        tailChannel.close();
      }
    } catch (IOException e) {
      // The channel is unusable either way; the next read reopens the files.
    }
    tailChannel = null;
    opened = false;
    tailChecked = false;
    segments.clear();
    tail.clear();
    sealed.clear();
    lastKey = null;
  }

  /**
   * Creates, zero-fills and syncs the next segment, and makes it the tail. From then on nothing
   * is written to the previous one, so a reader at its end moves on once this file exists.
   */
  private void newSegment(int size) throws IOException {
    LocalStorage.createDirectoriesDurably(dir);
    long no = segments.isEmpty() ? 1 : segments.lastKey() + 1;
    Path p = segmentPath(no);
    Path tmp = dir.resolve("." + no + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate(Math.min(size, 1 << 20));
      for (long at = 0; at < size; at += zeros.capacity()) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
        while (zeros.hasRemaining()) {
          ch.write(zeros, at + zeros.position());
        }
      }
      ch.force(true);
    }
    Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LocalStorage.syncDirectory(dir);
    if (tailChannel != null) {
      sealTail();
    }
    openTail(no, p);
  }

  private void sealTail() throws IOException {
    tailChannel.close();
    tailChannel = null;
    segments.put(tailNo, tail.isEmpty() ? null : tail.firstKey());
    sealed.put(tailNo, new TreeMap<>(tail));
    tail.clear();
  }

  private static void write(FileChannel ch, byte[] bytes, long at) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b, at + b.position());
    }
  }

  private static byte[] record(String key, byte[] payload, long segment, int offset) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(HEADER + k.length + payload.length);
    b.putInt(b.capacity()).putInt(0).put(PUT).putShort((short) k.length).put(k).put(payload);
    byte[] out = b.array();
    ByteBuffer.wrap(out).putInt(4, crc(out, segment, offset, b.capacity()));
    return out;
  }

  private static int crc(byte[] rec, long segment, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(ByteBuffer.allocate(12).putLong(segment).putInt(offset).flip());
    c.update(rec, 8, length - 8);
    return (int) c.getValue();
  }

  private Path segmentPath(long no) {
    return dir.resolve(String.format("%016d.wal", no));
  }

  /** Finds the segments on first use, then reads whatever was appended since the last look. */
  private void catchUp() {
    try {
      if (!opened) {
        open();
      }
      while (tailChannel != null) {
        int len = validRecord(tailChannel, tailNo, tailPos, tailSize);
        if (len == 0) {
          Path next = segmentPath(tailNo + 1);
          if (!Files.exists(next)) {
            return; // the end, or a record being written or torn
          }
          sealTail();
          openTail(tailNo + 1, next);
          continue;
        }
        String key = keyAt(tailChannel, tailPos);
        tail.put(key, tailPos);
        if (segments.get(tailNo) == null) {
          segments.put(tailNo, key);
        }
        lastKey = key;
        tailPos += len;
      }
    } catch (IOException e) {
      throw LocalStorage.failure("cannot read the log in", dir, e);
    }
  }

  /** Lists the segments: every one but the last is sealed; the last is read to its end. */
  private void open() throws IOException {
    opened = true;
    List<Long> nos = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.wal")) {
      for (Path p : s) {
        nos.add(Long.parseLong(p.getFileName().toString().replace(".wal", "")));
      }
    } catch (NoSuchFileException e) {
      return;
    }
    nos.sort(null);
    for (int i = 0; i + 1 < nos.size(); i++) {
      try (FileChannel ch = FileChannel.open(segmentPath(nos.get(i)), StandardOpenOption.READ)) {
        segments.put(nos.get(i), validRecord(ch, nos.get(i), 0, ch.size()) == 0 ? null : keyAt(ch, 0));
      }
    }
    if (!nos.isEmpty()) {
      long last = nos.get(nos.size() - 1);
      openTail(last, segmentPath(last));
      catchUp();
      Long prev = segments.lowerKey(tailNo);
      if (lastKey == null && prev != null) { // an empty tail: the greatest key is the previous segment's last
        NavigableMap<String, Integer> keys = index(prev);
        lastKey = keys.isEmpty() ? null : keys.lastKey();
      }
    }
  }

  private void openTail(long no, Path p) throws IOException {
    tailChannel = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    tailNo = no;
    tailPos = 0;
    tailSize = (int) tailChannel.size();
    segments.putIfAbsent(no, null);
  }

  /** The segment that holds {@code key} if any does: the last whose first key is not after it. */
  private Map.Entry<Long, String> segmentOf(String key) {
    Map.Entry<Long, String> found = null;
    for (Map.Entry<Long, String> e : segments.entrySet()) {
      if (e.getValue() != null && e.getValue().compareTo(key) <= 0) {
        found = e;
      } else if (e.getValue() != null) {
        break;
      }
    }
    return found;
  }

  private NavigableMap<String, Integer> index(long no) {
    if (no == tailNo && tailChannel != null) {
      return tail;
    }
    NavigableMap<String, Integer> keys = sealed.get(no);
    if (keys == null) {
      keys = new TreeMap<>();
      try (FileChannel ch = FileChannel.open(segmentPath(no), StandardOpenOption.READ)) {
        long size = ch.size();
        int pos = 0;
        for (int len; (len = validRecord(ch, no, pos, size)) > 0; pos += len) {
          keys.put(keyAt(ch, pos), pos);
        }
        refuseDamage(ch, no, pos);
      } catch (IOException e) {
        throw LocalStorage.failure("cannot read the log segment", segmentPath(no), e);
      }
      sealed.put(no, keys);
    }
    return keys;
  }

  /**
   * Fails when an intact record lies after {@code end}, where the segment's records stop: then
   * the bytes at {@code end} were damaged, not torn by a crash (a crash can tear only the last
   * record, since each append is synced before the next), and reading on would lose the records
   * after the damage.
   */
  private void refuseDamage(FileChannel ch, long no, int end) throws IOException {
    long size = ch.size();
    if (end >= size) {
      return;
    }
    byte[] rest = new byte[(int) (size - end)];
    readFully(ch, ByteBuffer.wrap(rest), end);
    int last = rest.length - 1;
    while (last >= 0 && rest[last] == 0) {
      last--;
    }
    for (int at = 1; at + HEADER <= last + 1; at++) {
      if (validRecord(ch, no, end + at, size) > 0) {
        throw new StorageException("corrupt", "The log segment " + segmentPath(no) + " is damaged at offset " + end
            + ": intact records follow it; restore the database from a backup");
      }
    }
  }

  /** The length of the record at {@code pos} if one is there whole and intact, else 0. */
  private static int validRecord(FileChannel ch, long no, int pos, long size) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    if (pos + HEADER > size || readFully(ch, head, pos) < HEADER) {
      return 0;
    }
    int len = head.getInt(0);
    if (len < HEADER || pos + (long) len > size || head.get(8) != PUT) {
      return 0;
    }
    byte[] rec = new byte[len];
    if (readFully(ch, ByteBuffer.wrap(rec), pos) < len || crc(rec, no, pos, len) != ByteBuffer.wrap(rec).getInt(4)) {
      return 0;
    }
    return len;
  }

  private static String keyAt(FileChannel ch, int pos) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    readFully(ch, head, pos);
    byte[] k = new byte[head.getShort(9)];
    readFully(ch, ByteBuffer.wrap(k), pos + HEADER);
    return new String(k, StandardCharsets.UTF_8);
  }

  private byte[] readPayload(long no, int pos, String key) {
    try (FileChannel ch = no == tailNo && tailChannel != null ? null
        : FileChannel.open(segmentPath(no), StandardOpenOption.READ)) {
      FileChannel from = ch == null ? tailChannel : ch;
      ByteBuffer head = ByteBuffer.allocate(HEADER);
      readFully(from, head, pos);
      byte[] rec = new byte[Math.max(HEADER, head.getInt(0))];
      if (readFully(from, ByteBuffer.wrap(rec), pos) < rec.length
          || crc(rec, no, pos, rec.length) != ByteBuffer.wrap(rec).getInt(4)) {
        throw new StorageException("corrupt", "Log batch " + key + " in " + segmentPath(no) + " at offset " + pos
            + " fails its checksum: the file was changed or damaged after it was written");
      }
      int at = HEADER + ByteBuffer.wrap(rec).getShort(9);
      return java.util.Arrays.copyOfRange(rec, at, rec.length);
    } catch (IOException e) {
      throw LocalStorage.failure("cannot read the log segment", segmentPath(no), e);
    }
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        break;
      }
    }
    return b.position();
  }

  void close() {
    synchronized (appender) {
      synchronized (this) {
        try {
          if (lockFile != null) {
            lockFile.close();
            lockFile = null;
          }
          if (tailChannel != null) {
            tailChannel.close();
            tailChannel = null;
          }
        } catch (IOException e) {
          throw LocalStorage.failure("cannot close the log in", dir, e);
        }
      }
    }
  }
}
