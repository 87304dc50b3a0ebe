package io.accrete.bench;

import io.accrete.index.IndexOrder;
import io.accrete.storage.DbRoot;
import io.accrete.storage.Segments;
import io.accrete.storage.Storage;
import io.accrete.transactor.DurableConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How many bytes a database takes in storage: the segments its current root can reach, per
 * index tree (what the database needs), and everything its storage holds, by kind of blob
 * ({@code seg}: every segment ever written, including those later indexing jobs replaced and
 * nothing collects yet; {@code log}; the root), for a local directory or a PostgreSQL table.
 */
final class StorageSize {
  private StorageSize() {}

  /** The root blob's name, as {@code DurableConnection} writes it. */
  private static final String ROOT = "root";

  /**
   * The segments of one index tree the root names.
   *
   * @param index {@code EAVT}, or {@code EAVT history}
   * @param datoms datoms in the tree (its root's count)
   * @param leaves leaf segments
   * @param branches branch segments
   * @param bytes their size as stored (envelope + LZ4 payload)
   * @param rawBytes their payloads before LZ4
   */
  record Tree(String index, long datoms, int leaves, int branches, long bytes, long rawBytes) {}

  /** Blobs of one kind in storage: how many and their size. */
  record Kind(long count, long bytes) {}

  /** The non-empty trees of the database's current root, walked segment by segment. */
  static List<Tree> liveTrees(DurableConnection conn) {
    Storage storage = conn.trees().storage();
    DbRoot root = DbRoot.decode(storage.getRoot(ROOT), storage.describe());
    List<Tree> out = new ArrayList<>();
    DbRoot.Tree empty = new DbRoot.Tree(null, 0, -1, null);
    for (int i = 0; i < root.trees().length; i++) {
      DbRoot.Tree t = root.trees()[i];
      if (t.key() == null) {
        continue;
      }
      // A root naming only this tree, so Segments walks just its segments.
      DbRoot.Tree[] one = new DbRoot.Tree[root.trees().length];
      java.util.Arrays.fill(one, empty);
      one[i] = t;
      DbRoot single = new DbRoot(root.dbId(), root.indexBasisT(), root.nextT(), root.lastTxInstant(), one, java.util.Map.of());
      int leaves = 0;
      int branches = 0;
      long bytes = 0;
      long raw = 0;
      for (String key : Segments.reachable(storage, single)) {
        byte[] blob = storage.get(key);
        if (blob[3] == 'L') {
          leaves++;
        } else {
          branches++;
        }
        bytes += blob.length;
        raw += payloadLength(blob);
      }
      // DbRoot keeps trees in IndexOrder order, current then history.
      String name = IndexOrder.values()[i / 2].name() + (i % 2 == 1 ? " history" : "");
      out.add(new Tree(name, t.count(), leaves, branches, bytes, raw));
    }
    return out;
  }

  /**
   * The uncompressed payload length in a blob's envelope (storage's {@code Blobs}: magic and
   * kind in bytes 0–3, version, flags, then this length big-endian at byte 6).
   */
  private static int payloadLength(byte[] blob) {
    return ((blob[6] & 0xFF) << 24) | ((blob[7] & 0xFF) << 16) | ((blob[8] & 0xFF) << 8) | (blob[9] & 0xFF);
  }

  /** Files under a local database directory by top-level entry ({@code seg}, {@code log}, {@code roots}, the lock). */
  static Map<String, Kind> localFiles(Path dir) throws IOException {
    Map<String, long[]> acc = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String top = dir.relativize(p).getName(0).toString();
        long[] a = acc.computeIfAbsent(top, k -> new long[2]);
        a[0]++;
        a[1] += Files.size(p);
      }
    }
    Map<String, Kind> out = new TreeMap<>();
    acc.forEach((k, a) -> out.put(k, new Kind(a[0], a[1])));
    return out;
  }

  /**
   * Bytes the file system allocated for a directory ({@code du}), which rounds every file up to
   * whole blocks; -1 when {@code du} is not there.
   */
  static long allocated(Path dir) {
    try {
      Process p = new ProcessBuilder("du", "-s", "--block-size=1", dir.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Long.parseLong(out.split("\\s+")[0]) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Rows of one database (key prefix {@code name/}) in a storage table by kind of key
   * ({@code seg}, {@code log}, {@code root:root}): counts and value bytes as stored
   * ({@code pg_column_size}, after any TOAST compression).
   */
  static Map<String, Kind> sqlRows(Connection c, String table, String prefix) throws SQLException {
    Map<String, Kind> out = new TreeMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT split_part(substr(id, ?), '/', 1), count(*),"
        + " sum(pg_column_size(val)) FROM " + table + " WHERE id >= ? AND id < ? GROUP BY 1")) {
      s.setInt(1, prefix.length() + 1);
      s.setString(2, prefix);
      s.setString(3, prefix + "\u007f");
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), new Kind(r.getLong(2), r.getLong(3)));
        }
      }
    }
    return out;
  }

  /**
   * A table's footprint in PostgreSQL: {@code [total, heap, indexes, toast and the rest]} in
   * bytes ({@code pg_total_relation_size} = heap + indexes + TOAST + free-space and visibility
   * maps).
   */
  static long[] relation(Connection c, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_total_relation_size(?::regclass),"
        + " pg_relation_size(?::regclass), pg_indexes_size(?::regclass)")) {
      for (int i = 1; i <= 3; i++) {
        s.setString(i, table);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        long total = r.getLong(1);
        long heap = r.getLong(2);
        long indexes = r.getLong(3);
        return new long[] {total, heap, indexes, total - heap - indexes};
      }
    }
  }

  /** The size of each index of a table, by index name. */
  static Map<String, Long> indexSizes(Connection c, String table) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT indexrelid::regclass::text,"
        + " pg_relation_size(indexrelid) FROM pg_index WHERE indrelid = ?::regclass")) {
      s.setString(1, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getLong(2));
        }
      }
    }
    return out;
  }
}
