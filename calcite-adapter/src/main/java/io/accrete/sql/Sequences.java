package io.accrete.sql;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sequences, as PostgreSQL's: an entity per sequence holds the last value handed out; a
 * connection takes a block of values at a time with one {@code :db/cas} transaction (retried
 * when another connection took a block meanwhile), so numbering a bulk INSERT costs one
 * transaction per block, not per row. As in PostgreSQL, values are never handed out twice, a
 * rolled-back transaction does not give its values back, and values from two connections
 * interleave.
 */
final class Sequences {
  static final Keyword NAME = Keyword.of("accrete.sql.sequence", "name");
  static final Keyword VALUE = Keyword.of("accrete.sql.sequence", "value");
  /** Values a connection takes at once. */
  private static final long BLOCK = 32;

  private final Connection conn;
  private final SqlWrites writes;
  /** Per sequence: the next value this connection hands out and the last of its block. */
  private final Map<String, long[]> blocks = new HashMap<>();
  private final Map<String, Long> current = new HashMap<>();

  Sequences(Connection conn, SqlWrites writes) {
    this.conn = conn;
    this.writes = writes;
  }

  /** The transaction data that creates a sequence (its first value is 1). */
  static Map<Keyword, Object> create(String name) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(NAME, name);
    m.put(VALUE, 0L);
    return m;
  }

  /** The sequence's next value (PostgreSQL's {@code nextval}). */
  synchronized long next(String name) {
    long[] b = blocks.get(name);
    if (b == null || b[0] > b[1]) {
      b = take(name);
      blocks.put(name, b);
    }
    long v = b[0]++;
    current.put(name, v);
    return v;
  }

  /** The value {@link #next} last gave this connection (PostgreSQL's {@code currval}). */
  synchronized long current(String name) {
    Long v = current.get(name);
    if (v == null) {
      throw new AccreteSqlException("55000", "currval of sequence \"" + name + "\" is not yet defined in this session");
    }
    return v;
  }

  private long[] take(String name) {
    for (int attempt = 0; ; attempt++) {
      Database db = conn.db();
      Long id = SqlDdl.entityNamed(db, NAME, name);
      if (id == null) {
        throw new AccreteSqlException("42P01", "relation \"" + name + "\" does not exist");
      }
      long last = 0;
      for (Datom d : db.datoms(Keyword.of(null, "eavt"), id, VALUE)) {
        last = (Long) d.v();
      }
      try {
        writes.transact(List.of(Arrays.asList(Keyword.of("db", "cas"), id, VALUE, last, last + BLOCK)));
        return new long[] {last + 1, last + BLOCK};
      } catch (AccreteSqlException e) {
        if (!"40001".equals(e.sqlState()) || attempt > 100) {
          throw e;
        }
      }
    }
  }
}
