package io.accrete.query;

import io.accrete.index.Values;
import io.accrete.query.Terms.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of bindings: rows of values for a list of variables. Rows are {@code Object[]} in
 * variable order; entity ids are {@code Long}. Relations are built once and then only read.
 */
final class Relation {
  final Var[] vars;
  final List<Object[]> rows;
  /** True when no two rows are equal (known without checking), so projection can skip dedup. */
  final boolean distinct;
  /**
   * A variable whose entity ids ({@code Long}) ascend down the rows (a scan of one attribute's
   * AEVT range yields its entities in order), or null: joins on it merge instead of hashing.
   */
  final Var sortedBy;

  Relation(Var[] vars, List<Object[]> rows) {
    this(vars, rows, false);
  }

  Relation(Var[] vars, List<Object[]> rows, boolean distinct) {
    this(vars, rows, distinct, null);
  }

  Relation(Var[] vars, List<Object[]> rows, boolean distinct, Var sortedBy) {
    this.vars = vars;
    this.rows = rows;
    this.distinct = distinct;
    this.sortedBy = sortedBy;
  }

  /** The relation with no variables and one empty row: the identity of joins. */
  static Relation unit() {
    List<Object[]> rows = new ArrayList<>(1);
    rows.add(new Object[0]);
    return new Relation(new Var[0], rows, true);
  }

  int size() {
    return rows.size();
  }

  int indexOf(Var v) {
    for (int i = 0; i < vars.length; i++) {
      if (vars[i].equals(v)) {
        return i;
      }
    }
    return -1;
  }

  boolean has(Var v) {
    return indexOf(v) >= 0;
  }

  Set<Var> varSet() {
    return new HashSet<>(Arrays.asList(vars));
  }

  /** The shared variables of two relations. */
  static List<Var> shared(Relation a, Relation b) {
    List<Var> out = new ArrayList<>();
    for (Var v : a.vars) {
      if (b.has(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** The natural join: a hash join on the shared variables, a product when there are none. */
  static Relation join(Relation a, Relation b) {
    List<Var> on = shared(a, b);
    // Output: a's vars, then b's vars not in a.
    List<Var> outVars = new ArrayList<>(Arrays.asList(a.vars));
    int[] bExtra = new int[b.vars.length - on.size()];
    int k = 0;
    for (int i = 0; i < b.vars.length; i++) {
      if (!a.has(b.vars[i])) {
        outVars.add(b.vars[i]);
        bExtra[k++] = i;
      }
    }
    Var[] ov = outVars.toArray(new Var[0]);
    List<Object[]> out = new ArrayList<>();
    long limit = maxRows();
    if (on.isEmpty()) {
      if ((long) a.size() * b.size() > limit) {
        throw tooLarge((long) a.size() * b.size(), limit, "the product of " + Arrays.toString(a.vars) + " ("
            + a.size() + " rows) and " + Arrays.toString(b.vars) + " (" + b.size() + " rows), which share no variable");
      }
      for (Object[] ra : a.rows) {
        for (Object[] rb : b.rows) {
          out.add(concat(ra, rb, bExtra, ov.length));
        }
      }
      return new Relation(ov, out, a.distinct && b.distinct);
    }
    if (on.size() == 1 && on.get(0).equals(a.sortedBy) && on.get(0).equals(b.sortedBy)) {
      return mergeJoin(a, b, on.get(0), ov, bExtra, limit);
    }
    // Build on the smaller side.
    boolean buildA = a.size() < b.size();
    Relation build = buildA ? a : b;
    Relation probe = buildA ? b : a;
    int[] bk = positions(build, on);
    int[] pk = positions(probe, on);
    Map<Object, List<Object[]>> table = new HashMap<>(build.size() * 2);
    for (Object[] r : build.rows) {
      table.computeIfAbsent(key(r, bk), x -> new ArrayList<>(2)).add(r);
    }
    for (Object[] r : probe.rows) {
      List<Object[]> matches = table.get(key(r, pk));
      if (matches == null) {
        continue;
      }
      if (out.size() + matches.size() > limit) {
        throw tooLarge(out.size() + (long) matches.size(), limit, "the join of " + Arrays.toString(a.vars) + " and "
            + Arrays.toString(b.vars) + " on " + on);
      }
      for (Object[] m : matches) {
        Object[] ra = buildA ? m : r;
        Object[] rb = buildA ? r : m;
        out.add(concat(ra, rb, bExtra, ov.length));
      }
    }
    return new Relation(ov, out, a.distinct && b.distinct);
  }

  /** {@link #join} of two relations sorted by their one shared variable: runs of equal ids meet. */
  private static Relation mergeJoin(Relation a, Relation b, Var on, Var[] ov, int[] bExtra, long limit) {
    int ia = a.indexOf(on);
    int ib = b.indexOf(on);
    List<Object[]> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.rows.size() && j < b.rows.size()) {
      long ka = (Long) a.rows.get(i)[ia];
      long kb = (Long) b.rows.get(j)[ib];
      if (ka < kb) {
        i++;
      } else if (ka > kb) {
        j++;
      } else {
        int i2 = i + 1;
        while (i2 < a.rows.size() && (Long) a.rows.get(i2)[ia] == ka) {
          i2++;
        }
        int j2 = j + 1;
        while (j2 < b.rows.size() && (Long) b.rows.get(j2)[ib] == kb) {
          j2++;
        }
        if (out.size() + (long) (i2 - i) * (j2 - j) > limit) {
          throw tooLarge(out.size() + (long) (i2 - i) * (j2 - j), limit, "the join of " + Arrays.toString(a.vars)
              + " and " + Arrays.toString(b.vars) + " on " + on);
        }
        for (int x = i; x < i2; x++) {
          for (int y = j; y < j2; y++) {
            out.add(concat(a.rows.get(x), b.rows.get(y), bExtra, ov.length));
          }
        }
        i = i2;
        j = j2;
      }
    }
    return new Relation(ov, out, a.distinct && b.distinct, on);
  }

  /**
   * The most rows one step of a query may make ({@code accrete.maxQueryRows}, 20 million): a
   * runaway product would otherwise fill the heap of the process serving others too.
   */
  static long maxRows() {
    return Long.getLong("accrete.maxQueryRows", 20_000_000L);
  }

  private static io.accrete.AccreteException tooLarge(long rows, long limit, String what) {
    return new io.accrete.AccreteException(io.accrete.Keyword.of("db.error", "query-too-large"),
        "Query refused: " + what + " would make more than " + limit + " rows (" + rows + " at least); add a"
            + " clause that joins them, or raise accrete.maxQueryRows");
  }

  private static Object[] concat(Object[] ra, Object[] rb, int[] bExtra, int n) {
    Object[] row = Arrays.copyOf(ra, n);
    for (int i = 0; i < bExtra.length; i++) {
      row[ra.length + i] = rb[bExtra[i]];
    }
    return row;
  }

  /** The rows of {@code a} that have (or, when {@code keep} is false, lack) a match in {@code b}. */
  static Relation semiJoin(Relation a, Relation b, boolean keep) {
    List<Var> on = shared(a, b);
    if (on.isEmpty()) {
      return (b.size() > 0) == keep ? a : new Relation(a.vars, new ArrayList<>(), true);
    }
    int[] ak = positions(a, on);
    int[] bk = positions(b, on);
    Set<Object> keys = new HashSet<>(b.size() * 2);
    for (Object[] r : b.rows) {
      keys.add(key(r, bk));
    }
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : a.rows) {
      if (keys.contains(key(r, ak)) == keep) {
        out.add(r);
      }
    }
    return new Relation(a.vars, out, a.distinct, a.sortedBy);
  }

  /** The relation projected onto {@code onto} (which it must bind), duplicates removed. */
  Relation project(List<Var> onto) {
    if (distinct && onto.equals(java.util.Arrays.asList(vars))) {
      return this; // already these columns, without duplicates: nothing to hash
    }
    int[] pos = positions(this, onto);
    if (distinct && onto.size() == vars.length && new java.util.HashSet<>(onto).size() == vars.length) {
      // The same columns in another order: distinct rows stay distinct, so only reorder.
      List<Object[]> out = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        Object[] p = new Object[pos.length];
        for (int i = 0; i < pos.length; i++) {
          p[i] = r[pos[i]];
        }
        out.add(p);
      }
      return new Relation(onto.toArray(new Var[0]), out, true);
    }
    Set<Object> seen = new HashSet<>(size() * 2);
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] p = new Object[pos.length];
      for (int i = 0; i < pos.length; i++) {
        p[i] = r[pos[i]];
      }
      if (seen.add(new RowKey(p))) {
        out.add(p);
      }
    }
    return new Relation(onto.toArray(new Var[0]), out, true);
  }

  /** The union of relations over the same variables (in any order), duplicates removed. */
  static Relation union(List<Var> vars, List<Relation> parts) {
    Set<Object> seen = new HashSet<>();
    List<Object[]> out = new ArrayList<>();
    for (Relation p : parts) {
      int[] pos = positions(p, vars);
      for (Object[] r : p.rows) {
        Object[] row = new Object[pos.length];
        for (int i = 0; i < pos.length; i++) {
          row[i] = r[pos[i]];
        }
        if (seen.add(new RowKey(row))) {
          out.add(row);
        }
      }
    }
    return new Relation(vars.toArray(new Var[0]), out, true);
  }

  static int[] positions(Relation r, List<Var> vars) {
    int[] out = new int[vars.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.indexOf(vars.get(i));
      if (out[i] < 0) {
        throw new IllegalStateException("variable " + vars.get(i) + " not in relation");
      }
    }
    return out;
  }

  /** A hash key for the values at some positions of a row. */
  static Object key(Object[] row, int[] pos) {
    if (pos.length == 1) {
      return keyOf(row[pos[0]]);
    }
    Object[] k = new Object[pos.length];
    for (int i = 0; i < pos.length; i++) {
      k[i] = row[pos[i]];
    }
    return new RowKey(k);
  }

  /** A value as a hash key: byte arrays and tuples by content. */
  static Object keyOf(Object v) {
    return v instanceof byte[] || v instanceof List ? new RowKey(new Object[] {v}) : v;
  }

  /** A row compared by content with {@link Values#equal}. */
  static final class RowKey {
    final Object[] values;
    private final int hash;

    RowKey(Object[] values) {
      this.values = values;
      int h = 1;
      for (Object v : values) {
        h = 31 * h + Values.hash(v);
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof RowKey k) || k.hash != hash || k.values.length != values.length) {
        return false;
      }
      for (int i = 0; i < values.length; i++) {
        if (!Values.equal(values[i], k.values[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
