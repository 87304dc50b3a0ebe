package io.accrete.pull;

import io.accrete.Attribute;
import io.accrete.Keyword;
import io.accrete.db.Db;
import io.accrete.db.Keys;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.RangeReader;
import io.accrete.index.Values;
import io.accrete.schema.Schema;
import io.accrete.util.JavaFunctions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks one database value with a bound pattern and builds result maps. One evaluator serves
 * one thread for one or more top-level pulls; it carries the state of the current path
 * (entities being pulled, recursion depths), which is back to empty between pulls.
 *
 * <p>Everything is read through the {@link Db} cursors, so asOf, since, history and filtered
 * values show exactly their datoms. Retraction datoms, which only history values show, are
 * skipped: a pull shows what was asserted.
 */
final class PullEvaluator {
  private static final Keyword DB_ID = Keyword.of("db", "id");

  private final Db db;
  private final Schema schema;
  /** Per recursive spec: how many times the current path has followed it. */
  private final int[] depth;
  /** The entities on the current path, outermost first: recursion into one of them stops. */
  private long[] path = new long[16];
  private int pathLen;
  /** System.nanoTime() after which the pull stops, or Long.MAX_VALUE; also stops when interrupted. */
  private long deadline = Long.MAX_VALUE;
  private int entities;
  /**
   * EAVT readers by depth on the path: the entities pulled at one depth often ascend (the rows
   * of a query), so each depth keeps its own place in the index.
   */
  private final RangeReader[] readers = new RangeReader[4];

  PullEvaluator(Db db, int recursionSlots) {
    this.db = db;
    this.schema = db.schema();
    this.depth = new int[recursionSlots];
  }

  /** Stops this pull with {@code :db.error/pull-timeout} once {@code millis} have passed. */
  PullEvaluator within(long millis) {
    deadline = System.nanoTime() + millis * 1_000_000;
    checkTime();
    return this;
  }

  private void checkTime() {
    if (Thread.currentThread().isInterrupted()) {
      throw new io.accrete.AccreteException(Keyword.of("db.error", "pull-cancelled"),
          "Pull cancelled: the thread running it was interrupted");
    }
    if (System.nanoTime() > deadline) {
      throw new io.accrete.AccreteException(Keyword.of("db.error", "pull-timeout"), "Pull timed out");
    }
  }

  /**
   * Pulls entity {@code e}: a fresh map in pattern order, or null when nothing in the pattern
   * matched (no attribute values and no defaults).
   */
  Map<Object, Object> pull(BoundSelection sel, long e) {
    if ((++entities & 0xff) == 0) {
      checkTime();
    }
    push(e);
    Map<Object, Object> out = new LinkedHashMap<>();
    long[] forward = sel.forwardAttributes();
    // Two or more attributes: one descent into EAVT for all of them instead of one each.
    EntityRange range = forward.length >= 2 ? new EntityRange(eavt(), e, forward[0], forward[forward.length - 1]) : null;
    for (BoundSpec b : sel.specs) {
      switch (b.spec.kind) {
        case WILDCARD -> wildcard(sel, e, out);
        case DB_ID -> out.put(b.spec.key, xform(b, e));
        case FORWARD -> forward(sel, b, e, out, range);
        case REVERSE -> reverse(sel, b, e, out);
        default -> throw new AssertionError(b.spec.kind);
      }
    }
    pathLen--;
    return out.isEmpty() ? null : out;
  }

  private void forward(BoundSelection sel, BoundSpec b, long e, Map<Object, Object> out, EntityRange range) {
    Attribute a = b.attr;
    // A reference's values are pulled while its cursor is read, which would move the reader.
    DatomCursor c = range != null ? range.cursor(a.id())
        : a.isRef() ? db.cursorEA(e, a.id()) : eavt().range(Keys.lo(e, a.id(), Values.MIN), Keys.hi(e, a.id(), Values.MAX));
    Object value = null;
    if (a.isMany()) {
      value = collect(sel, b, c, false);
    } else {
      while (c.next()) {
        if (c.added()) {
          value = a.isRef() ? ref(sel, b, (Long) c.v(), false) : c.v();
          break;
        }
      }
    }
    put(out, b, value);
  }

  private void reverse(BoundSelection sel, BoundSpec b, long e, Map<Object, Object> out) {
    DatomCursor c = db.cursorVA(e, b.attr.id());
    Object value = null;
    if (b.attr.isComponent()) {
      // A component has one owner, so its reverse reference is a single map, as in Datomic.
      while (c.next()) {
        if (c.added()) {
          value = ref(sel, b, c.e(), true);
          break;
        }
      }
    } else {
      value = collect(sel, b, c, true);
    }
    put(out, b, value);
  }

  /**
   * The values of a card-many attribute or of a reverse reference, up to the spec's limit;
   * null when none remain. The limit counts values read, before nested maps that come back
   * empty are dropped, so a limit never makes pull walk more entities than it says.
   */
  private List<Object> collect(BoundSelection sel, BoundSpec b, DatomCursor c, boolean reverse) {
    List<Object> list = null;
    int limit = b.spec.limit;
    boolean isRef = reverse || b.attr.isRef();
    int taken = 0;
    while (taken < limit && c.next()) {
      if (!c.added()) {
        continue;
      }
      taken++;
      Object v = reverse ? ref(sel, b, c.e(), true)
          : isRef ? ref(sel, b, (Long) c.v(), false) : c.v();
      if (v != null) {
        if (list == null) {
          list = new ArrayList<>();
        }
        list.add(v);
      }
    }
    return list;
  }

  /**
   * The result for a reference from the current entity to {@code target}: a nested map, or
   * null when there is nothing to show (nested pattern matched nothing, recursion limit hit).
   */
  private Map<Object, Object> ref(BoundSelection sel, BoundSpec b, long target, boolean reverse) {
    AttrSpec s = b.spec;
    if (s.isRecursive()) {
      if (onPath(target)) {
        // A cycle: repeating the pattern would never end, so name the entity instead.
        return idMap(target);
      }
      int slot = s.recursionSlot;
      if (depth[slot] >= s.recursion) {
        return null;
      }
      depth[slot]++;
      Map<Object, Object> m = pull(sel, target);
      depth[slot]--;
      return m;
    }
    if (b.sub != null) {
      return pull(b.sub, target);
    }
    if (!reverse && b.attr.isComponent()) {
      return component(target);
    }
    return idMap(target);
  }

  /** A component entity is part of its owner, so pull shows all of it (Datomic's default). */
  private Map<Object, Object> component(long target) {
    // Components form a tree, but guard anyway: a bad transaction could make a cycle.
    return onPath(target) ? idMap(target) : pull(BoundSelection.WILDCARD, target);
  }

  /**
   * {@code *}: {@code :db/id} and every attribute of the entity, in attribute id order.
   * Attributes the selection names explicitly are left to their own specs.
   */
  private void wildcard(BoundSelection sel, long e, Map<Object, Object> out) {
    DatomCursor c = db.cursorE(e);
    long current = Long.MIN_VALUE;
    Attribute attr = null;
    boolean skip = true;
    boolean seenValue = false;
    int taken = 0;
    List<Object> many = null;
    boolean any = false;
    while (c.next()) {
      if (!c.added()) {
        continue;
      }
      if (!any) {
        // :db/id only for an entity that has datoms, so [*] of nothing stays empty (null).
        any = true;
        out.putIfAbsent(DB_ID, e);
      }
      long a = c.a();
      if (a != current) {
        if (many != null) {
          out.put(attr.ident(), many);
        }
        current = a;
        attr = schema.attribute(a);
        skip = attr == null || sel.isExplicit(a);
        seenValue = false;
        taken = 0;
        many = null;
      }
      if (skip) {
        continue;
      }
      if (attr.isMany()) {
        if (taken >= AttrSpec.DEFAULT_LIMIT) {
          continue;
        }
        taken++;
        Object v = wildcardValue(attr, c);
        if (v != null) {
          if (many == null) {
            many = new ArrayList<>();
          }
          many.add(v);
        }
      } else if (!seenValue) {
        seenValue = true;
        Object v = wildcardValue(attr, c);
        if (v != null) {
          out.put(attr.ident(), v);
        }
      }
    }
    if (many != null) {
      out.put(attr.ident(), many);
    }
  }

  private Object wildcardValue(Attribute attr, DatomCursor c) {
    if (!attr.isRef()) {
      return c.v();
    }
    long target = (Long) c.v();
    return attr.isComponent() ? component(target) : idMap(target);
  }

  /** Puts a value under the spec's key, or its default when there is no value. */
  private static void put(Map<Object, Object> out, BoundSpec b, Object value) {
    if (value != null) {
      out.put(b.spec.key, xform(b, value));
    } else if (b.spec.hasDefault) {
      // Datomic returns the default as given: no xform, no list even for card-many.
      out.put(b.spec.key, b.spec.defaultValue);
    }
  }

  private static Object xform(BoundSpec b, Object value) {
    return b.spec.xform == null ? value
        : JavaFunctions.invoke(b.spec.xform, "pull :xform", value);
  }

  private static Map<Object, Object> idMap(long e) {
    Map<Object, Object> m = new LinkedHashMap<>(2);
    m.put(DB_ID, e);
    return m;
  }

  /**
   * An entity's datoms from one attribute to another, read once (as the database value shows
   * them, in EAVT order); {@link #cursor} gives one attribute's run of them.
   */
  private static final class EntityRange {
    private final List<io.accrete.Datom> datoms = new ArrayList<>();

    EntityRange(RangeReader eavt, long e, long firstAttr, long lastAttr) {
      DatomCursor c = eavt.range(Keys.lo(e, firstAttr, Values.MIN), Keys.hi(e, lastAttr, Values.MAX));
      while (c.next()) {
        datoms.add(c.datom());
      }
    }

    DatomCursor cursor(long attr) {
      int from = 0;
      while (from < datoms.size() && datoms.get(from).a() != attr) {
        from++;
      }
      int to = from;
      while (to < datoms.size() && datoms.get(to).a() == attr) {
        to++;
      }
      return new Run(datoms, from, to);
    }
  }

  /** A cursor over {@code datoms[from, to)}. */
  private static final class Run extends DatomCursor {
    private final List<io.accrete.Datom> datoms;
    private final int to;
    private int at;
    private io.accrete.Datom d;

    Run(List<io.accrete.Datom> datoms, int from, int to) {
      this.datoms = datoms;
      this.to = to;
      this.at = from;
    }

    @Override
    public boolean next() {
      if (at >= to) {
        return false;
      }
      d = datoms.get(at++);
      return true;
    }

    @Override
    public long e() {
      return d.e();
    }

    @Override
    public long a() {
      return d.a();
    }

    @Override
    public Object v() {
      return d.v();
    }

    @Override
    public long tx() {
      return d.tx();
    }

    @Override
    public boolean added() {
      return d.added();
    }
  }

  /** The EAVT reader of the current depth (the entity being pulled is on the path). */
  private RangeReader eavt() {
    int level = pathLen - 1;
    if (level >= readers.length) {
      return (lo, hi) -> db.cursor(IndexOrder.EAVT, lo, hi);
    }
    RangeReader r = readers[level];
    if (r == null) {
      r = db.reader(IndexOrder.EAVT);
      readers[level] = r;
    }
    return r;
  }

  private void push(long e) {
    if (pathLen == path.length) {
      path = Arrays.copyOf(path, pathLen * 2);
    }
    path[pathLen++] = e;
  }

  private boolean onPath(long e) {
    // Paths are short (pattern nesting plus recursion depth); a scan beats hashing here.
    for (int i = 0; i < pathLen; i++) {
      if (path[i] == e) {
        return true;
      }
    }
    return false;
  }
}
