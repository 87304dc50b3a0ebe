package io.accrete.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.accrete.index.Branch;
import io.accrete.index.IndexTree;
import io.accrete.index.Leaf;
import io.accrete.index.Node;
import io.accrete.index.NodeLoader;
import io.accrete.index.FulltextSegment;
import io.accrete.index.NodeRef;
import java.util.Map;
import java.util.UUID;

/**
 * Index trees in storage, and the peer's cache of them. Writing a tree stores every node not
 * stored yet (leaves, then the branches above them) and gives back a light tree: its branches
 * stay in memory, its leaves become references that load on demand. Loading goes through two
 * Caffeine tiers: compressed segment bytes (cheap on the heap) and decoded leaves (fast to
 * scan, kept fewer), each bounded by configuration.
 */
public final class TreeStore implements NodeLoader {
  private final Storage storage;
  private final Cache<String, byte[]> bytes;
  private final Cache<String, Node> nodes;
  /** Nodes {@link #persist} gave a key whose write is not yet known to have happened. */
  private final Map<String, Node> unconfirmed = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A store over {@code storage} caching at most {@code cacheBytes} of compressed segments
   * and {@code cacheDatoms} datoms of decoded leaves.
   */
  public TreeStore(Storage storage, long cacheBytes, long cacheDatoms) {
    this.storage = storage;
    this.bytes = Caffeine.newBuilder().maximumWeight(cacheBytes)
        .weigher((String k, byte[] v) -> v.length + 64).build();
    this.nodes = Caffeine.newBuilder().maximumWeight(cacheDatoms)
        .weigher((String k, Node n) -> (int) Math.min(Integer.MAX_VALUE, n instanceof Leaf l ? l.size() : 64))
        .build();
  }

  /** The storage underneath. */
  public Storage storage() {
    return storage;
  }

  @Override
  public Node load(String key) {
    return nodes.get(key, this::decode);
  }

  private Node decode(String key) {
    byte[] b = bytes.get(key, k -> {
      byte[] v = storage.get(k);
      if (v == null) {
        throw new StorageException("missing-segment", "Segment " + k + " is missing from "
            + storage.describe() + "; either garbage collection deleted it (the database value is older"
            + " than the gc retention window: use a newer one) or the storage was changed outside"
            + " Accrete (restore from a backup)");
      }
      return v;
    });
    byte kind = b.length > 3 ? b[3] : 0;
    Node n = kind == Blobs.BRANCH ? SegmentCodec.decodeBranch(b, key, storage.describe(), this)
        : SegmentCodec.decodeLeaf(b, key, storage.describe());
    n.storageKey(key);
    return n;
  }

  /**
   * Stores what is new in {@code tree}, adding the blobs to {@code pending} (the caller writes
   * them, all before the root that refers to them, then calls {@link #written} or, when the
   * write failed, {@link #notWritten}), and returns the light tree.
   */
  public IndexTree persist(IndexTree tree, Map<String, byte[]> pending) {
    Node root = tree.root();
    return IndexTree.of(tree.order(), tree.isFull(), root == null ? null : persist(root, pending));
  }

  private Node persist(Node n, Map<String, byte[]> pending) {
    if (n instanceof NodeRef) {
      return n;
    }
    if (n instanceof Leaf leaf) {
      String key = leaf.storageKey();
      if (key == null) {
        key = newKey();
        byte[] blob = SegmentCodec.encodeLeaf(leaf);
        pending.put(key, blob);
        leaf.storageKey(key);
        unconfirmed.put(key, leaf);
        bytes.put(key, blob);
        nodes.put(key, leaf);
      }
      return new NodeRef(key, leaf.count(), leaf.firstKey(), 0, this);
    }
    Branch b = (Branch) n;
    if (b.storageKey() != null && allRefs(b)) {
      return b;
    }
    Node[] children = new Node[b.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = persist(b.childRef(i), pending);
    }
    Branch light = Branch.of(children);
    String key = b.storageKey();
    if (key == null) {
      key = newKey();
      pending.put(key, SegmentCodec.encodeBranch(light));
      b.storageKey(key);
      unconfirmed.put(key, b);
    }
    light.storageKey(key);
    return light;
  }

  /** The blobs {@link #persist} handed out under these keys are in storage. */
  public void written(java.util.Collection<String> keys) {
    for (String k : keys) {
      unconfirmed.remove(k);
    }
  }

  /**
   * Writing the blobs under these keys failed (or may have): their nodes forget the keys, so the
   * next {@link #persist} stores them again under new ones; what did get written is garbage that
   * collection sweeps as never referenced.
   */
  public void notWritten(java.util.Collection<String> keys) {
    for (String k : keys) {
      Node n = unconfirmed.remove(k);
      if (n != null) {
        n.forgetStorageKey(k);
      }
      nodes.invalidate(k);
      bytes.invalidate(k);
    }
  }

  private static boolean allRefs(Branch b) {
    for (int i = 0; i < b.size(); i++) {
      Node c = b.childRef(i);
      if (!(c instanceof NodeRef) && !(c instanceof Branch br && br.storageKey() != null)) {
        return false;
      }
    }
    return true;
  }

  /** A fresh segment key; the time in it lets garbage collection honour a retention window. */
  static String newKey() {
    return "seg/" + Long.toString(System.currentTimeMillis(), 36) + "-" + UUID.randomUUID();
  }

  /** When a segment key was made (epoch millis), or -1 for keys not of that form. */
  static long keyTime(String key) {
    int dash = key.indexOf('-', 4);
    if (!key.startsWith("seg/") || dash < 0) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(4, dash), 36);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Adds a stored full-text index to {@code pending} under a fresh segment key (written, like
   * tree segments, before the root that names it) and returns it as the indexes carry it.
   */
  public FulltextSegment persistFulltext(long attr, byte[] index, Map<String, byte[]> pending) {
    String key = newKey();
    pending.put(key, SegmentCodec.encodeFulltext(attr, index));
    return new FulltextSegment(key, () -> index);
  }

  /** A stored full-text index of the trees, read from storage at first use. */
  public FulltextSegment fulltext(String key) {
    return new FulltextSegment(key, () -> {
      byte[] b = storage.get(key);
      if (b == null) {
        throw new StorageException("missing-segment", "Full-text segment " + key + " is missing from "
            + storage.describe());
      }
      return SegmentCodec.decodeFulltext(b, key, storage.describe());
    });
  }

  /** A segment's bytes, through the cache of compressed segments. */
  public byte[] blob(String key) {
    return bytes.get(key, storage::get);
  }

  /** Drops everything cached (tests, and measurements of a cold cache). */
  public void clearCache() {
    bytes.invalidateAll();
    nodes.invalidateAll();
  }
}
