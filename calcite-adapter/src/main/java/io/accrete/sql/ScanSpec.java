package io.accrete.sql;

import com.google.common.collect.AbstractIterator;
import io.accrete.Database;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;

/**
 * What one scan reads: its table, the columns it returns, the conditions it applies, how it
 * reaches the indexes, a row limit and a moment in time. Immutable; the rules derive new specs
 * as they push work into the scan. Public only because Calcite's generated code calls
 * {@link #enumerate(DataContext)}.
 */
public final class ScanSpec {
  final AccreteTable table;
  /** Table column indexes, in output order. */
  final int[] projection;
  final List<Condition> conditions;
  final Access access;
  /** Rows to return at most, or -1. */
  final long limit;
  /** The scan's own time travel, or null for the connection's. */
  final TimeTravel time;

  private ScanSpec(AccreteTable table, int[] projection, List<Condition> conditions, Access access,
      long limit, TimeTravel time) {
    this.table = table;
    this.projection = projection;
    this.conditions = List.copyOf(conditions);
    this.access = access;
    this.limit = limit;
    this.time = time;
  }

  static ScanSpec of(AccreteTable table, Database db) {
    int[] all = new int[table.columns.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    ScanSpec s = new ScanSpec(table, all, List.of(), null, -1, null);
    return s.withAccess(db);
  }

  private ScanSpec withAccess(Database db) {
    ScanSpec s = new ScanSpec(table, projection, conditions, null, limit, time);
    return new ScanSpec(table, projection, conditions, table.access(s, db), limit, time);
  }

  ScanSpec withConditions(List<Condition> more, Database db) {
    List<Condition> all = new ArrayList<>(conditions);
    all.addAll(more);
    return new ScanSpec(table, projection, all, access, limit, time).withAccess(db);
  }

  ScanSpec withProjection(int[] outputs) {
    int[] p = new int[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      p[i] = projection[outputs[i]];
    }
    // Fewer columns can make another access path cheaper.
    return new ScanSpec(table, p, conditions, access, limit, time).withAccess(table.session.latest());
  }

  /** The same scan also returning table column {@code column}, as its last field. */
  ScanSpec withColumnAppended(int column) {
    int[] p = java.util.Arrays.copyOf(projection, projection.length + 1);
    p[projection.length] = column;
    return new ScanSpec(table, p, conditions, access, limit, time);
  }

  ScanSpec withLimit(long n) {
    return new ScanSpec(table, projection, conditions, access, n, time);
  }

  ScanSpec withTime(TimeTravel t) {
    return new ScanSpec(table, projection, conditions, access, limit, t);
  }

  /** What a table works out once per scan (see {@link #memo}); null until asked. */
  private volatile Object memo;

  /**
   * A value a table derives from this spec alone, computed once: specs are immutable, and a
   * lookup join runs the same spec once per outer row.
   */
  @SuppressWarnings("unchecked")
  <T> T memo(java.util.function.Supplier<T> compute) {
    Object m = memo;
    if (m == null) {
      m = compute.get();
      memo = m;
    }
    return (T) m;
  }

  /** The table columns the scan reads: those it returns and those its conditions test. */
  BitSet needed() {
    BitSet b = new BitSet();
    for (int p : projection) {
      b.set(p);
    }
    for (Condition c : conditions) {
      b.set(c.column);
    }
    return b;
  }

  /** Estimated rows out: the access path's, narrowed by the other conditions. */
  double estimatedRows() {
    double rows = access.rows();
    for (int i = 0; i < conditions.size(); i++) {
      if (i != access.condition()) {
        rows *= conditions.get(i).kind == Condition.Kind.IS_NOT_NULL ? 0.9 : 0.25;
      }
    }
    if (limit >= 0) {
      rows = Math.min(rows, limit);
    }
    return Math.max(rows, 1);
  }

  /** Runs the scan: called by the code Calcite generates for {@link AccreteTableScan}. */
  public Enumerable<Object[]> enumerate(DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        Database db = database(root);
        return Linq4j.iterableEnumerator(() -> run(db, root, null));
      }
    };
  }

  /** The database value this scan reads in a statement. */
  Database database(DataContext root) {
    return table.session.view(root, time, table.name);
  }

  /** The scan's rows on a database value, for one outer row of a lookup join (or null). */
  Iterator<Object[]> run(Database db, DataContext root, Object[] outerRow) {
    List<Condition.Bound> bound = new ArrayList<>(conditions.size());
    for (Condition c : conditions) {
      bound.add(c.bind(table.columns.get(c.column), root, outerRow));
    }
    return filter(table.rows(db, this, bound), bound, Cancellation.of(root, table.session));
  }

  /** Runs a one-column scan, each row as its bare value (Calcite's scalar row format). */
  public Enumerable<Object> enumerateScalar(DataContext root) {
    return scalar(enumerate(root));
  }

  /** One-column rows as bare values. */
  public Enumerable<Object> scalar(Enumerable<Object[]> rows) {
    return rows.select(row -> row[0]);
  }

  /**
   * An index nested-loop join with this scan on the right: for each left row, this scan's rows
   * for the row's key (the scan's outer-row condition), concatenated to it. Called by the code
   * Calcite generates for {@link AccreteLookupJoin}.
   *
   * @param left the left rows
   * @param key the left key column
   * @param leftOuter whether a left row without a match is kept, with nulls on the right
   * @param root the statement's context
   */
  public Enumerable<Object[]> lookupJoin(Enumerable<Object[]> left, int key, boolean leftOuter,
      DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        Database db = database(root);
        return Linq4j.iterableEnumerator(() -> new LookupIterator(left.iterator(), key, leftOuter, db, root));
      }
    };
  }

  /**
   * A semi join (or, with {@code anti}, an anti join) by lookup: the left rows for which some
   * (no) row of this scan with the left row's key makes {@code condition} true. A NULL key
   * finds no row.
   */
  public Enumerable<Object[]> lookupSemiJoin(Enumerable<Object[]> left, int key, boolean anti,
      org.apache.calcite.linq4j.function.Predicate2<Object[], Object[]> condition, DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        Database db = database(root);
        Iterator<Object[]> rows = left.iterator();
        return Linq4j.iterableEnumerator(() -> new AbstractIterator<Object[]>() {
          @Override
          protected Object[] computeNext() {
            while (rows.hasNext()) {
              Object[] row = rows.next();
              boolean found = false;
              if (row[key] != null) {
                Iterator<Object[]> matches = run(db, root, new Object[] {row[key]});
                while (!found && matches.hasNext()) {
                  found = condition.apply(row, matches.next());
                }
              }
              if (found != anti) {
                return row;
              }
            }
            return endOfData();
          }
        });
      }
    };
  }

  /**
   * An inner lookup join on a condition beyond the key: each left row joined with the rows of
   * this scan that have its key and make {@code condition} true.
   */
  public Enumerable<Object[]> lookupJoinWhere(Enumerable<Object[]> left, int key,
      org.apache.calcite.linq4j.function.Predicate2<Object[], Object[]> condition, DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        Database db = database(root);
        return Linq4j.iterableEnumerator(() -> new LookupIterator(left.iterator(), key, false, db, root, condition));
      }
    };
  }

  /** The rows of a lookup join, one left row at a time. */
  private final class LookupIterator extends AbstractIterator<Object[]> {
    private final Iterator<Object[]> left;
    private final int key;
    private final boolean leftOuter;
    private final Database db;
    private final DataContext root;
    private Object[] current;
    private Iterator<Object[]> matches = java.util.Collections.emptyIterator();

    private final org.apache.calcite.linq4j.function.Predicate2<Object[], Object[]> condition;

    LookupIterator(Iterator<Object[]> left, int key, boolean leftOuter, Database db, DataContext root) {
      this(left, key, leftOuter, db, root, null);
    }

    LookupIterator(Iterator<Object[]> left, int key, boolean leftOuter, Database db, DataContext root,
        org.apache.calcite.linq4j.function.Predicate2<Object[], Object[]> condition) {
      this.left = left;
      this.key = key;
      this.leftOuter = leftOuter;
      this.db = db;
      this.root = root;
      this.condition = condition;
    }

    @Override
    protected Object[] computeNext() {
      while (true) {
        while (matches.hasNext()) {
          Object[] match = matches.next();
          if (condition == null || condition.apply(current, match)) {
            return concat(current, match);
          }
        }
        if (!left.hasNext()) {
          return endOfData();
        }
        current = left.next();
        Object k = current[key];
        matches = k == null ? java.util.Collections.emptyIterator() : run(db, root, new Object[] {k});
        if (!matches.hasNext() && leftOuter) {
          return concat(current, new Object[projection.length]);
        }
      }
    }

    private Object[] concat(Object[] l, Object[] r) {
      Object[] out = java.util.Arrays.copyOf(l, l.length + r.length);
      System.arraycopy(r, 0, out, l.length, r.length);
      return out;
    }
  }

  /** The rows that pass every condition, projected, up to the limit. */
  private Iterator<Object[]> filter(Iterator<Object[]> rows, List<Condition.Bound> bound, Cancellation cancel) {
    cancel.check();
    return new AbstractIterator<>() {
      private long emitted;
      private int sinceCheck;

      @Override
      protected Object[] computeNext() {
        if (limit >= 0 && emitted >= limit) {
          return endOfData();
        }
        while (rows.hasNext()) {
          if (++sinceCheck == 4096) {
            sinceCheck = 0;
            cancel.check();
          }
          Object[] row = rows.next();
          if (passes(row)) {
            Object[] out = new Object[projection.length];
            for (int i = 0; i < out.length; i++) {
              out[i] = row[projection[i]];
            }
            emitted++;
            return out;
          }
        }
        return endOfData();
      }

      private boolean passes(Object[] row) {
        for (Condition.Bound b : bound) {
          if (!b.test(row[b.condition.column])) {
            return false;
          }
        }
        return true;
      }
    };
  }

  /** The pushed conditions as text, for EXPLAIN. */
  List<String> describeConditions() {
    List<String> out = new ArrayList<>();
    for (Condition c : conditions) {
      out.add(c.describe(table.columns.get(c.column).name()));
    }
    return out;
  }
}
