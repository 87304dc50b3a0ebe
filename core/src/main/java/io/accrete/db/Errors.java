package io.accrete.db;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.edn.Edn;
import java.util.Map;

/** Builds the errors users see, with Datomic's error codes where Datomic has one. */
public final class Errors {
  private Errors() {}

  /** An error with code {@code :db.error/<name>}. */
  public static AccreteException db(String name, String message) {
    return new AccreteException(Keyword.of("db.error", name), message);
  }

  /** An error with code {@code :db.error/<name>} and data about the culprit. */
  public static AccreteException db(String name, String message, Map<Keyword, Object> data) {
    return new AccreteException(Keyword.of("db.error", name), message, data, null);
  }

  /**
   * A value as the user wrote it: EDN, falling back to a plain description for objects EDN
   * cannot print (without {@code toString}, which for collections prints EDN again).
   */
  public static String show(Object v) {
    try {
      return Edn.print(v);
    } catch (RuntimeException e) {
      return v == null ? "nil" : "a " + v.getClass().getSimpleName();
    }
  }
}
