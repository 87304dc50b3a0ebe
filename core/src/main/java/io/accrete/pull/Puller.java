package io.accrete.pull;

import io.accrete.Keyword;
import io.accrete.db.Db;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates pull patterns (Datomic's pull grammar) against a database value.
 *
 * <p>Results are fresh {@link java.util.LinkedHashMap}s in pattern order, owned by the caller:
 *
 * <ul>
 *   <li>Keys are the attribute keywords as written in the pattern, or the {@code :as} value.
 *   <li>Card-one values are plain; card-many values (and reverse references) are {@code List}s
 *       in index order, at most {@code :limit} of them (1000 unless the pattern says otherwise;
 *       {@code :limit nil} for all).
 *   <li>A reference without a nested pattern is {@code {:db/id eid}}, except a forward
 *       component reference, which pulls the component with {@code [*]} (Datomic's default).
 *       A reverse reference through a component attribute is one map, not a list.
 *   <li>{@code *} adds {@code :db/id} and every attribute the entity has; explicit specs for
 *       the same attribute override it.
 *   <li>A recursive spec ({@code {:attr n}} or {@code {:attr ...}}) repeats the enclosing
 *       pattern at most n levels deep; an entity already on the current path comes back as
 *       {@code {:db/id eid}}.
 *   <li>Missing attributes are left out, unless the spec has a {@code :default}, returned as
 *       given. A nested entity that matches nothing is left out too: dropped from a list, and
 *       the key omitted when nothing is left. So a result never holds null or empty maps.
 * </ul>
 */
public final class Puller {
  private Puller() {}

  /**
   * Pulls {@code pattern} (EDN text, data or a {@link PullPattern}) for one entity: an entity
   * id, ident or lookup ref.
   *
   * @return the result map, or null when the entity reference resolves to nothing or nothing
   *     in the pattern matched
   * @throws io.accrete.AccreteException {@code :db.error/invalid-pull} for a malformed pattern,
   *     {@code :db.error/not-an-attribute} for an attribute the schema lacks
   */
  public static Map<Object, Object> pull(Db db, Object pattern, Object eid) {
    PullPattern p = PullPattern.parse(pattern);
    BoundSelection root = p.bind(db.schema());
    Long e = db.entid(eid);
    return e == null ? null : new PullEvaluator(db, p.recursionSlots()).pull(root, e);
  }

  /**
   * Datomic's arg-map pull: {@code :selector} (a pattern), {@code :eid} (an entity id, ident or
   * lookup ref) and optionally {@code :timeout} (milliseconds; {@code :db.error/pull-timeout}
   * after them). Other keys are refused.
   */
  public static Map<Object, Object> pull(Db db, Map<?, ?> argMap) {
    Keyword selector = Keyword.of(null, "selector");
    Keyword eid = Keyword.of(null, "eid");
    Keyword timeout = Keyword.of(null, "timeout");
    for (Object k : argMap.keySet()) {
      if (!selector.equals(k) && !eid.equals(k) && !timeout.equals(k)) {
        throw badArgMap(argMap, "pull takes :selector, :eid and :timeout, not " + k);
      }
    }
    if (argMap.get(selector) == null || argMap.get(eid) == null) {
      throw badArgMap(argMap, "pull needs :selector and :eid");
    }
    Object ms = argMap.get(timeout);
    if (ms != null && !(ms instanceof Number n && n.longValue() > 0)) {
      throw badArgMap(argMap, ":timeout is a positive number of milliseconds, not " + ms);
    }
    PullPattern p = PullPattern.parse(argMap.get(selector));
    BoundSelection root = p.bind(db.schema());
    Long e = db.entid(argMap.get(eid));
    if (e == null) {
      return null;
    }
    PullEvaluator ev = new PullEvaluator(db, p.recursionSlots());
    return (ms == null ? ev : ev.within(((Number) ms).longValue())).pull(root, e);
  }

  private static io.accrete.AccreteException badArgMap(Map<?, ?> argMap, String why) {
    return io.accrete.db.Errors.db("invalid-pull",
        "Invalid pull arg-map " + io.accrete.db.Errors.show(argMap) + ": " + why);
  }

  /**
   * Pulls a parsed pattern for an entity id ({@link #puller} pulls many with one binding).
   *
   * @return the result map, or null when nothing in the pattern matched
   */
  public static Map<Object, Object> pull(Db db, PullPattern pattern, long eid) {
    return puller(db, pattern).apply(eid);
  }

  /**
   * A pull of a parsed pattern, bound to the schema once, for entity after entity: the query
   * engine's {@code (pull ?e pattern)} over its rows. The function serves one thread; entities
   * given in ascending order read the index forward.
   */
  public static java.util.function.LongFunction<Map<Object, Object>> puller(Db db, PullPattern pattern) {
    BoundSelection root = pattern.bind(db.schema());
    PullEvaluator ev = new PullEvaluator(db, pattern.recursionSlots());
    return e -> ev.pull(root, e);
  }

  /**
   * Pulls {@code pattern} for each entity, in order: one result (possibly null) per entry of
   * {@code eids}. The pattern is parsed and checked once.
   */
  public static List<Map<Object, Object>> pullMany(Db db, Object pattern, List<?> eids) {
    java.util.function.LongFunction<Map<Object, Object>> puller = puller(db, PullPattern.parse(pattern));
    List<Map<Object, Object>> out = new ArrayList<>(eids.size());
    for (Object eid : eids) {
      Long e = db.entid(eid);
      out.add(e == null ? null : puller.apply(e));
    }
    return out;
  }
}
