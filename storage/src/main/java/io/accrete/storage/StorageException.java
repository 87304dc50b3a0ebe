package io.accrete.storage;

import io.accrete.AccreteException;
import io.accrete.Keyword;

/** A storage failure: the resource could not be read or written. Names it and what to do. */
public class StorageException extends AccreteException {
  private static final long serialVersionUID = 1L;

  /** An error with code {@code :storage/<name>}. */
  public StorageException(String name, String message, Throwable cause) {
    super(Keyword.of("storage", name), message, cause);
  }

  /** An error with code {@code :storage/<name>}. */
  public StorageException(String name, String message) {
    super(Keyword.of("storage", name), message);
  }
}
