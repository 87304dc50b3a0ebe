package io.accrete.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Storage in this JVM's memory: for tests, and for the contract every backend meets. */
public final class MemStorage implements Storage {
  private final ConcurrentSkipListMap<String, byte[]> blobs = new ConcurrentSkipListMap<>();
  private final Map<String, byte[]> roots = new ConcurrentHashMap<>();
  private final String name;

  public MemStorage(String name) {
    this.name = name;
  }

  @Override
  public byte[] get(String key) {
    byte[] v = blobs.get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public void put(String key, byte[] value) {
    byte[] had = blobs.putIfAbsent(key, value.clone());
    if (had != null && !java.util.Arrays.equals(had, value)) {
      throw new StorageException("conflict", "Blob " + key + " in memory already holds other bytes; blobs are"
          + " immutable: nothing was written");
    }
  }

  @Override
  public void rewrite(Map<String, byte[]> replacements) {
    for (Map.Entry<String, byte[]> e : replacements.entrySet()) {
      blobs.computeIfPresent(e.getKey(), (k, old) -> e.getValue().clone());
    }
  }

  @Override
  public byte[] getRoot(String name) {
    byte[] v = roots.get(name);
    return v == null ? null : v.clone();
  }

  @Override
  public synchronized boolean casRoot(String name, byte[] expected, byte[] value) {
    byte[] cur = roots.get(name);
    if (!(cur == null ? expected == null : expected != null && Arrays.equals(cur, expected))) {
      return false;
    }
    roots.put(name, value.clone());
    return true;
  }

  @Override
  public void delete(String key) {
    blobs.remove(key);
  }

  @Override
  public synchronized void deleteRoot(String name) {
    roots.remove(name);
  }

  @Override
  public List<String> keys(String prefix, String after, int limit) {
    List<String> out = new ArrayList<>();
    String from = after == null || after.compareTo(prefix) < 0 ? prefix : after;
    for (String k : blobs.tailMap(from, after == null || after.compareTo(prefix) < 0).keySet()) {
      if (!k.startsWith(prefix) || out.size() >= limit) {
        break;
      }
      out.add(k);
    }
    return out;
  }

  @Override
  public String describe() {
    return "memory storage " + name;
  }

  @Override
  public void close() {}
}
