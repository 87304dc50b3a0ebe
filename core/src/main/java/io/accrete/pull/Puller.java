package io.accrete.pull;

import io.accrete.db.Db;
import java.util.List;
import java.util.Map;

/** Evaluates pull patterns against a database value. */
public final class Puller {
  private Puller() {}

  /** Pulls {@code pattern} for one entity. */
  public static Map<Object, Object> pull(Db db, Object pattern, Object eid) {
    throw new IllegalStateException("pull is being written");
  }

  /** Pulls {@code pattern} for each entity. */
  public static List<Map<Object, Object>> pullMany(Db db, Object pattern, List<?> eids) {
    throw new IllegalStateException("pull is being written");
  }
}
