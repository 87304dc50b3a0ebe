package io.accrete.sql;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.TxReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One SQL connection's writes. With auto-commit each statement is one Accrete transaction.
 * Inside a transaction ({@code BEGIN}, or auto-commit off) each statement is applied to a
 * speculative value ({@link Database#with}), which the connection's reads see; {@code COMMIT}
 * submits the net change as one transaction — card-one changes as {@code :db/cas} of the value
 * the transaction read, so a concurrent change to the same value fails the commit (40001)
 * instead of being overwritten — and {@code ROLLBACK} drops it. A failed statement inside a
 * transaction aborts it: later statements fail with 25P02 until {@code ROLLBACK}.
 */
final class SqlWrites {
  private final Connection conn;
  /** The value the open transaction started from, or null when none is open. */
  private Database base;
  /** The open transaction's speculative value. */
  private Database current;
  /** Entities and attributes the open transaction touched; ids its statements created. */
  private final Set<List<Long>> touched = new LinkedHashSet<>();
  private final Set<Long> created = new HashSet<>();
  private boolean aborted;
  private long tempids;
  /** The identity values the last INSERT generated: a map of column to value per row. */
  private volatile List<java.util.Map<String, Object>> generated = List.of();

  SqlWrites(Connection conn) {
    this.conn = conn;
  }

  /** Whether the next DML statement keeps the rows it changes (for RETURNING), and those rows. */
  private volatile boolean keepRows;
  private volatile List<Object[]> changedRows = List.of();
  private volatile List<String> changedColumns = List.of();
  private volatile List<String> changedTypes = List.of();

  void keepRows(boolean on) {
    keepRows = on;
    if (on) {
      changedRows = List.of(); // a statement that fails before its rows are kept returns none
    }
  }

  boolean keepingRows() {
    return keepRows;
  }

  void changed(List<String> columns, List<String> types, List<Object[]> rows) {
    changedColumns = List.copyOf(columns);
    changedTypes = List.copyOf(types);
    changedRows = List.copyOf(rows);
  }

  /** The last DML statement's rows as RETURNING sees them: {columns, SQL types, rows}. */
  Object[] changed() {
    return new Object[] {changedColumns, changedTypes, changedRows};
  }

  void generated(List<java.util.Map<String, Object>> keys) {
    generated = List.copyOf(keys);
  }

  /** The identity values the last INSERT generated, a map of column to value per row. */
  List<java.util.Map<String, Object>> generated() {
    return generated;
  }

  /** Whether a transaction is open. */
  synchronized boolean inTransaction() {
    return base != null;
  }

  /** The value reads see: the open transaction's, or null for the latest. */
  synchronized Database speculative() {
    return current;
  }

  /** A tempid no other row of this connection uses. */
  synchronized String tempid() {
    return "sql-row-" + (++tempids);
  }

  /** Whether the open transaction has written anything yet. */
  synchronized boolean hasWrites() {
    return base != null && !touched.isEmpty();
  }

  /** An open transaction with no writes starts again from the latest value (after DDL). */
  synchronized void rebase() {
    if (base != null && touched.isEmpty()) {
      base = conn.db();
      current = base;
    }
  }

  synchronized void begin() {
    if (base == null) {
      base = conn.db();
      current = base;
      aborted = false;
    }
  }

  /** Checks that a statement may run now: not inside an aborted transaction. */
  synchronized void checkNotAborted() {
    if (aborted) {
      throw new AccreteSqlException("25P02",
          "current transaction is aborted, commands ignored until end of transaction block (ROLLBACK)");
    }
  }

  /**
   * Writes one statement's transaction data: at once with auto-commit, else onto the open
   * transaction's value. Returns the value after it.
   */
  synchronized Database write(List<?> txData, boolean autoCommit) {
    checkNotAborted();
    if (txData.isEmpty()) {
      return current != null ? current : conn.db();
    }
    if (base == null && !autoCommit) {
      begin();
    }
    if (base == null) {
      return transact(txData).dbAfter();
    }
    try {
      TxReport r = current.with(txData);
      for (Datom d : r.txData()) {
        if (d.e() != d.tx()) { // not the transaction entity's own datoms
          touched.add(List.of(d.e(), d.a()));
        }
      }
      created.addAll(r.tempids().values());
      current = r.dbAfter();
      return current;
    } catch (RuntimeException e) {
      aborted = true;
      throw translate(e, conn.db());
    }
  }

  /** Submits the open transaction (nothing when none is open). */
  synchronized void commit() {
    if (base == null) {
      return;
    }
    try {
      if (aborted) {
        return; // as PostgreSQL: COMMIT of a failed transaction rolls it back
      }
      List<Object> tx = netChange();
      if (!tx.isEmpty()) {
        transact(tx);
      }
    } finally {
      clear();
    }
  }

  synchronized void rollback() {
    clear();
  }

  private void clear() {
    base = null;
    current = null;
    touched.clear();
    created.clear();
    aborted = false;
  }

  /** The open transaction's effect on {@link #base} as one transaction's data. */
  private List<Object> netChange() {
    List<Object> tx = new ArrayList<>();
    for (List<Long> ea : touched) {
      long e = ea.get(0);
      long a = ea.get(1);
      io.accrete.Attribute attr = current.attribute(a);
      Object entity = created.contains(e) ? "sql-new-" + e : (Object) e;
      List<Object> before = Datoms.values(base, e, a);
      List<Object> after = Datoms.values(current, e, a);
      if (!attr.isMany() && !created.contains(e)) {
        Object old = before.isEmpty() ? null : before.get(0);
        Object now = after.isEmpty() ? null : after.get(0);
        if (Objects.equals(old, now)) {
          continue;
        }
        if (now != null) {
          tx.add(java.util.Arrays.asList(Keyword.of("db", "cas"), entity, a, old, now)); // old may be null
        } else {
          tx.add(List.of(Keyword.of("db", "retract"), entity, a, old));
        }
        continue;
      }
      for (Object v : after) {
        if (!before.contains(v)) {
          tx.add(List.of(Keyword.of("db", "add"), entity, a, refOf(attr, v)));
        }
      }
      for (Object v : before) {
        if (!after.contains(v)) {
          tx.add(List.of(Keyword.of("db", "retract"), entity, a, v));
        }
      }
    }
    return tx;
  }

  private Object refOf(io.accrete.Attribute attr, Object v) {
    return attr.isRef() && v instanceof Long id && created.contains(id) ? "sql-new-" + id : v;
  }

  /** Transacts now, waiting for the outcome; failures as SQL errors. */
  TxReport transact(List<?> txData) {
    try {
      return conn.transact(txData).get(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccreteSqlException("57014", "interrupted while the transaction was submitted; it may or may not"
          + " have been applied");
    } catch (TimeoutException e) {
      throw new AccreteSqlException("57014", "the transaction was not answered within 10 minutes");
    } catch (ExecutionException e) {
      throw translate(e.getCause(), conn.db());
    } catch (RuntimeException e) {
      throw translate(e, conn.db());
    }
  }

  /** {@code duplicate key value violates unique constraint "t_c_key": Key (c)=(v) already exists}. */
  private static String uniqueViolation(AccreteException a, Database db) {
    if (!(a.data().get(Keyword.of("db", "datom")) instanceof Datom d) || db.attribute(d.a()) == null) {
      return a.getMessage();
    }
    Keyword ident = db.attribute(d.a()).ident();
    String table = ident.namespace();
    String column = ident.name();
    return "duplicate key value violates unique constraint \"" + TableDef.constraintName(db, table, List.of(column))
        + "\": Key (" + column + ")=(" + d.v() + ") already exists";
  }

  /**
   * An Accrete failure as a SQL error with PostgreSQL's SQLSTATE; {@code db} (or null) names the
   * constraint a unique conflict broke, in PostgreSQL's words, which ORMs read.
   */
  static RuntimeException translate(Throwable t, Database db) {
    if (t instanceof AccreteSqlException s) {
      return s;
    }
    if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (!(t instanceof AccreteException a)) {
      return t instanceof RuntimeException r ? r : new AccreteSqlException(String.valueOf(t.getMessage()), t);
    }
    String state = switch (a.code().name()) {
      case "unique-conflict" -> "23505";
      case "cas-failed", "datoms-conflict" -> "40001";
      case "nil-value" -> "23502";
      case "wrong-type", "invalid-value" -> "22P02";
      case "transactor-unavailable", "transactor-deposed" -> "08006";
      case "transaction-outcome-unknown" -> "08007";
      default -> "XX000";
    };
    String message = state.equals("40001")
        ? "could not serialize access due to concurrent update (" + a.getMessage() + ")"
        : state.equals("23505") && db != null ? uniqueViolation(a, db) : a.getMessage();
    AccreteSqlException out = new AccreteSqlException(state, message);
    out.initCause(a);
    return out;
  }
}
