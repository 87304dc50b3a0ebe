package io.accrete.sql;

import io.accrete.Connection;
import io.accrete.Database;
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
  static final Keyword INCREMENT = Keyword.of("accrete.sql.sequence", "increment");
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
    return create(name, 1, 1);
  }

  /** The transaction data that creates a sequence starting at {@code start}, stepping by {@code increment}. */
  static Map<Keyword, Object> create(String name, long start, long increment) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(NAME, name);
    m.put(VALUE, start - increment);
    m.put(INCREMENT, increment);
    return m;
  }

  /** PostgreSQL's setval: the next value handed out is {@code value} plus the increment. */
  synchronized long set(String name, long value) {
    Database db = conn.db();
    Long id = SqlDdl.entityNamed(db, NAME, name);
    if (id == null) {
      throw new AccreteSqlException("42P01", "relation \"" + name + "\" does not exist");
    }
    writes.transact(List.of(List.of(Keyword.of("db", "add"), id, VALUE, value)));
    blocks.remove(name);
    current.put(name, value);
    return value;
  }

  /** The sequence's next value (PostgreSQL's {@code nextval}). */
  synchronized long next(String name) {
    long[] b = blocks.get(name); // next value, values left, increment
    if (b == null || b[1] == 0) {
      b = take(name);
      blocks.put(name, b);
    }
    long v = b[0];
    b[0] += b[2];
    b[1]--;
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
      Object v = Datoms.value(db, id, VALUE);
      long last = v == null ? 0 : (Long) v;
      Object inc = db.attribute(INCREMENT) == null ? null : Datoms.value(db, id, INCREMENT);
      long step = inc == null ? 1 : (Long) inc;
      try {
        writes.transact(List.of(Arrays.asList(Keyword.of("db", "cas"), id, VALUE, last, last + BLOCK * step)));
        return new long[] {last + step, BLOCK, step};
      } catch (AccreteSqlException e) {
        if (!"40001".equals(e.sqlState()) || attempt > 100) {
          throw e;
        }
      }
    }
  }
}
