package io.accrete.sql;

import com.google.common.collect.AbstractIterator;
import io.accrete.Database;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.spi.IndexAccess;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows of an {@link EntityTable} for one scan, in entity id order, reading only the
 * attributes the scan needs. Entity ids come from the access path: a {@code db__id} list, an
 * AVET/VAET read of a value condition, or a merge of the attributes' AEVT ranges.
 */
final class EntityRows implements Iterable<Object[]> {
  private final EntityTable table;
  private final Database database;
  /** The same value's indexes (the read SPI). */
  private final IndexAccess db;
  private final ScanSpec spec;
  private final List<Condition.Bound> bound;
  /** The attributes read for values, in cursor order. */
  private final long[] attrs;
  /** Per table column: the index into {@link #attrs}, or -1. */
  private final int[] attrOf;
  /** The row every call of {@link #row} fills. */
  private final Object[] buffer;
  /** One entity's values per attribute read (see {@link #entityValues}), and the attributes' range. */
  private Object[] fetched;
  private long lowest;
  private long highest;
  /** The columns a row needs (the id, and those read from attributes), and their definitions. */
  private final int[] filled;
  private final Column[] filledColumns;

  /**
   * Which attributes a scan reads and where their values go: the same for every run of a scan,
   * so worked out once per scan (a lookup join runs its scan once per outer row).
   */
  record Layout(long[] attrs, int[] attrOf, int[] filled, Column[] filledColumns) {
    static Layout of(EntityTable table, ScanSpec spec) {
      BitSet needed = spec.needed();
      Map<Long, Integer> index = new LinkedHashMap<>();
      int[] attrOf = new int[table.columns.size()];
      Arrays.fill(attrOf, -1);
      for (int c = needed.nextSetBit(0); c >= 0; c = needed.nextSetBit(c + 1)) {
        Column col = table.columns.get(c);
        if (col.attr() != null) {
          attrOf[c] = index.computeIfAbsent(col.attr().id(), k -> index.size());
        }
      }
      long[] attrs = index.keySet().stream().mapToLong(Long::longValue).toArray();
      int[] filled = needed.stream()
          .filter(c -> attrOf[c] >= 0 || table.columns.get(c).kind() == Column.Kind.ID).toArray();
      Column[] filledColumns = new Column[filled.length];
      for (int i = 0; i < filled.length; i++) {
        filledColumns[i] = table.columns.get(filled[i]);
      }
      return new Layout(attrs, attrOf, filled, filledColumns);
    }
  }

  EntityRows(EntityTable table, Database db, ScanSpec spec, Layout layout, List<Condition.Bound> bound) {
    this.table = table;
    this.database = db;
    this.db = IndexAccess.of(db);
    this.spec = spec;
    this.bound = bound;
    this.attrs = layout.attrs();
    this.attrOf = layout.attrOf();
    this.filled = layout.filled();
    this.filledColumns = layout.filledColumns();
    this.buffer = new Object[table.columns.size()];
  }

  @Override
  public Iterator<Object[]> iterator() {
    Access access = spec.access;
    switch (access.type()) {
      case IDS: {
        Condition.Bound b = bind(access.condition());
        long[] ids = b.points().stream().mapToLong(x -> (Long) x).sorted().distinct().toArray();
        return lookups(ids, true);
      }
      case VALUES:
        return lookups(valueIds(access.condition()), false);
      default:
        return merge();
    }
  }

  private Condition.Bound bind(int condition) {
    return bound.get(condition);
  }

  /** Entity ids whose value satisfies a condition, from AVET (VAET for refs), sorted. */
  private long[] valueIds(int condition) {
    Condition.Bound b = bind(condition);
    Column col = table.columns.get(b.condition.column);
    long a = col.attr().id();
    LongList ids = new LongList();
    for (Object[] i : b.intervals) {
      boolean point = b.condition.isPoints();
      Object lo = (boolean) i[4] ? EntityTable.seekValue(database, col, i[0]) : Values.MIN;
      Object hi = (boolean) i[5] ? EntityTable.seekValue(database, col, i[1]) : Values.MAX;
      if (lo == SqlTypes.NO_VALUE || hi == SqlTypes.NO_VALUE) {
        continue;
      }
      DatomCursor c = point && col.attr().isRef()
          ? db.cursorVA((Long) lo, a)
          : db.cursor(IndexOrder.AVET, IndexAccess.lo(Long.MIN_VALUE, a, lo), IndexAccess.hi(Long.MAX_VALUE, a, hi));
      while (c.next()) {
        ids.add(c.e());
      }
    }
    return ids.sortedDistinct();
  }

  /** Rows for known entity ids; {@code checkMember} when the ids may lack the namespace. */
  private Iterator<Object[]> lookups(long[] ids, boolean checkMember) {
    return new AbstractIterator<>() {
      private int i;

      @Override
      protected Object[] computeNext() {
        while (i < ids.length) {
          long e = ids[i++];
          if (!checkMember || isMember(e)) {
            return row(e, null);
          }
        }
        return endOfData();
      }
    };
  }

  private boolean isMember(long e) {
    for (long a : table.members) {
      if (db.cursorEA(e, a).next()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A row for entity e; values per attribute given, or read from EAVT when null. The same array
   * comes back every time (only the columns the scan needs are written, and all of them each
   * time): its one consumer, {@link ScanSpec}, tests it and copies out the projected columns, so
   * a scan allocates for the rows it returns, not for every row it reads.
   */
  private Object[] row(long e, Object[] values) {
    if (values == null && attrs.length > 1) {
      values = entityValues(e);
    }
    Object[] row = buffer;
    for (int i = 0; i < filled.length; i++) {
      int c = filled[i];
      Column col = filledColumns[i];
      if (col.kind() == Column.Kind.ID) {
        row[c] = e;
      } else {
        Object v = values != null ? values[attrOf[c]] : db.value(e, attrs[attrOf[c]]);
        row[c] = col.fromValue(v, database);
      }
    }
    return row;
  }

  /**
   * The values of the attributes read, of one entity, from one EAVT range: the entity's datoms
   * from the lowest attribute read to the highest, in one descent of the index, where a descent
   * per attribute cost most of a lookup join's time (TPC-H Q5: three in five). The first value
   * of each attribute, as {@link IndexAccess#value} gives it.
   */
  private Object[] entityValues(long e) {
    if (fetched == null) {
      fetched = new Object[attrs.length];
      lowest = Long.MAX_VALUE;
      highest = Long.MIN_VALUE;
      for (long a : attrs) {
        lowest = Math.min(lowest, a);
        highest = Math.max(highest, a);
      }
    }
    Arrays.fill(fetched, null);
    DatomCursor c = db.cursor(IndexOrder.EAVT, IndexAccess.lo(e, lowest, Values.MIN), IndexAccess.hi(e, highest, Values.MAX));
    while (c.next()) {
      long a = c.a();
      for (int i = 0; i < attrs.length; i++) {
        if (attrs[i] == a) {
          if (fetched[i] == null) {
            fetched[i] = c.v();
          }
          break;
        }
      }
    }
    return fetched;
  }

  /**
   * Every row, merging the AEVT ranges of the attributes read. When a condition rejects nulls
   * of some attribute, that attribute's entities are all the candidates; otherwise every
   * attribute of the namespace is merged so that an entity with any of them is a row.
   */
  private Iterator<Object[]> merge() {
    boolean narrowed = false;
    for (Condition c : spec.conditions) {
      if (c.rejectsNull() && table.columns.get(c.column).attr() != null) {
        narrowed = true;
      }
    }
    long[] read = attrs;
    if (!narrowed) {
      LongList all = new LongList();
      for (long a : attrs) {
        all.add(a);
      }
      for (long a : table.members) {
        if (Arrays.stream(attrs).noneMatch(x -> x == a)) {
          all.add(a);
        }
      }
      read = all.toArray();
    }
    DatomCursor[] cursors = new DatomCursor[read.length];
    for (int i = 0; i < read.length; i++) {
      cursors[i] = db.cursor(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, read[i], Values.MIN),
          IndexAccess.hi(Long.MAX_VALUE, read[i], Values.MAX));
    }
    Merge m = new Merge(cursors);
    // A metaschema's table, whose rows are the entities with some membership attribute, may read
    // other attributes too: an entity with only those is no row. (A table SQL created keeps its
    // columns' entities as rows, its row marker or not.)
    boolean[] member = new boolean[read.length];
    boolean others = false;
    int membersRead = 0;
    for (int i = 0; i < read.length; i++) {
      long a = read[i];
      member[i] = Arrays.stream(table.members).anyMatch(x -> x == a);
      others |= !member[i];
      membersRead += member[i] ? 1 : 0;
    }
    boolean checkMembers = others && table.def == null;
    boolean allMembersRead = membersRead == table.members.length;
    return new AbstractIterator<>() {
      @Override
      protected Object[] computeNext() {
        while (m.hasNext()) {
          long e = m.next();
          if (!checkMembers || hasMember(m.values, member) || !allMembersRead && isMember(e)) {
            return row(e, m.values);
          }
        }
        return endOfData();
      }
    };
  }

  private static boolean hasMember(Object[] values, boolean[] member) {
    for (int i = 0; i < values.length; i++) {
      if (member[i] && values[i] != null) {
        return true;
      }
    }
    return false;
  }

  /** A k-way merge by entity id of AEVT cursors, one value per cursor and entity. */
  private static final class Merge {
    private final DatomCursor[] cursors;
    private final long[] e;
    private final Object[] v;
    private final boolean[] live;
    final Object[] values;

    Merge(DatomCursor[] cursors) {
      this.cursors = cursors;
      this.e = new long[cursors.length];
      this.v = new Object[cursors.length];
      this.live = new boolean[cursors.length];
      this.values = new Object[cursors.length];
      for (int i = 0; i < cursors.length; i++) {
        e[i] = Long.MIN_VALUE;
        advance(i);
      }
    }

    private void advance(int i) {
      long prev = e[i];
      while (cursors[i].next()) {
        if (cursors[i].e() != prev || !live[i]) {
          e[i] = cursors[i].e();
          v[i] = cursors[i].v();
          live[i] = true;
          return;
        }
      }
      live[i] = false;
    }

    boolean hasNext() {
      for (boolean l : live) {
        if (l) {
          return true;
        }
      }
      return false;
    }

    long next() {
      long min = Long.MAX_VALUE;
      for (int i = 0; i < cursors.length; i++) {
        if (live[i] && e[i] < min) {
          min = e[i];
        }
      }
      for (int i = 0; i < cursors.length; i++) {
        if (live[i] && e[i] == min) {
          values[i] = v[i];
          skip(i, min);
        } else {
          values[i] = null;
        }
      }
      return min;
    }

    /** Moves cursor i past entity e (card-many attributes have several datoms per entity). */
    private void skip(int i, long entity) {
      while (cursors[i].next()) {
        if (cursors[i].e() != entity) {
          e[i] = cursors[i].e();
          v[i] = cursors[i].v();
          return;
        }
      }
      live[i] = false;
    }
  }

  /** A growable array of longs. */
  static final class LongList {
    private long[] a = new long[16];
    private int n;

    void add(long x) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = x;
    }

    long[] toArray() {
      return Arrays.copyOf(a, n);
    }

    long[] sortedDistinct() {
      long[] s = toArray();
      Arrays.sort(s);
      int w = 0;
      for (int i = 0; i < s.length; i++) {
        if (w == 0 || s[i] != s[w - 1]) {
          s[w++] = s[i];
        }
      }
      return Arrays.copyOf(s, w);
    }
  }
}
