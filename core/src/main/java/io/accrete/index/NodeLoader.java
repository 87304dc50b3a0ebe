package io.accrete.index;

/** Loads stored nodes by key; the storage layer implements it (with its caches). */
public interface NodeLoader {
  /** The node stored under {@code key}. */
  Node load(String key);
}
