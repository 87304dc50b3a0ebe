package io.accrete.model;

import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TempId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Random schemas and transactions. Values come from small pools so that equal values, unique
 * conflicts, redundant assertions and upserts happen often; the pools include edge cases of
 * the value order (surrogate pairs, -0.0, NaN, BigDecimal scale, unsigned bytes, UUIDs with the
 * sign bit set). The generator reads the model's state to pick present values, held unique
 * values and live entities; whether a transaction succeeds is for the model to say.
 */
final class TxGen {
  static final Keyword DB_ID = Model.DB_ID;

  private static final long[] LONGS = {-3, 0, 1, 2, 7, 42, Long.MAX_VALUE, Long.MIN_VALUE};
  private static final String[] STRINGS = {
    "", "a", "b", "ab", "B", "\u00e9", "\uD83D\uDE00", "\uFFFF", "a b", "z"
  };
  private static final double[] DOUBLES = {
    0.0, -0.0, 1.5, -2.25, 1e300, Double.MIN_VALUE, 3.0, Double.NaN, Double.NEGATIVE_INFINITY
  };
  private static final long[] INSTANTS = {0L, 1000L, -86_400_000L, 1_700_000_000_000L, 1L};
  private static final Keyword[] KEYWORDS = {
    Keyword.of("k", "a"), Keyword.of("k", "b"), Keyword.of(null, "c"), Keyword.of("k.x", "y"),
    Keyword.of("a", "z")
  };
  private static final UUID[] UUIDS = {
    new UUID(0L, 1L), new UUID(-1L, 0L), new UUID(Long.MIN_VALUE, 5L), new UUID(1L, -1L),
    new UUID(0x7fffffffffffffffL, 0L)
  };
  private static final String[] BIGDECS = {"1.0", "1.00", "0", "-3.5", "1E+3", "1000", "0.001"};
  private static final byte[][] BYTES = {
    {}, {0}, {0, 0}, {1, 2}, {(byte) 0xff}, {0x7f}, {(byte) 0x80, 1}
  };

  private final Random r;
  private final Model m;
  /** Whether this sequence has bulk transactions (enough datoms for several durable leaves). */
  private final boolean bulk;
  private int bulkCreates;
  private int tempCounter;
  // Per transaction.
  private List<Object> txTempids;
  private boolean autoUsed;

  TxGen(Random r, Model m, boolean bulk) {
    this.r = r;
    this.m = m;
    this.bulk = bulk;
  }

  // ------------------------------------------------------------------ schema

  static List<AttrSpec> schema(Random r) {
    int n = 4 + r.nextInt(5);
    VType[] types = VType.values();
    List<AttrSpec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      VType t;
      if (i == 0) {
        // At least one identity attribute ...
        VType[] ids = {VType.LONG, VType.STRING, VType.KEYWORD, VType.UUID, VType.BIGDEC};
        t = ids[r.nextInt(ids.length)];
      } else if (i == 1) {
        t = VType.REF; // ... and at least one reference.
      } else {
        t = types[r.nextInt(types.length)];
      }
      boolean many = i != 0 && r.nextInt(100) < 35;
      Keyword unique = null;
      if (i == 0) {
        unique = AttrSpec.IDENTITY;
      } else if (t.uniqueable() && r.nextInt(100) < 35 && (!many || r.nextInt(4) == 0)) {
        unique = r.nextBoolean() ? AttrSpec.IDENTITY : AttrSpec.VALUE;
      }
      boolean component = t == VType.REF && r.nextBoolean();
      boolean noHistory = r.nextInt(100) < 20;
      Keyword ident = Keyword.of("p", "a" + i + "-" + t.name().toLowerCase(java.util.Locale.ROOT));
      out.add(new AttrSpec(ident, t, many, unique, component, noHistory));
    }
    return out;
  }

  static List<Object> schemaTx(List<AttrSpec> attrs, Random r) {
    List<Object> tx = new ArrayList<>();
    for (int i = 0; i < attrs.size(); i++) {
      AttrSpec a = attrs.get(i);
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(DB_ID, "a" + i);
      m.put(Keyword.of("db", "ident"), a.ident);
      m.put(Keyword.of("db", "valueType"), a.type.ident());
      m.put(Keyword.of("db", "cardinality"),
          a.many ? Keyword.of("db.cardinality", "many") : Keyword.of("db.cardinality", "one"));
      if (a.unique != null) {
        m.put(Keyword.of("db", "unique"), a.unique);
      }
      if (a.component) {
        m.put(Keyword.of("db", "isComponent"), true);
      }
      if (a.noHistory) {
        m.put(Keyword.of("db", "noHistory"), true);
      }
      if (r.nextBoolean()) {
        m.put(Keyword.of("db", "doc"), "generated attribute " + i);
      }
      tx.add(m);
    }
    return tx;
  }

  // ------------------------------------------------------------------ values

  /** A random valid raw value of a non-ref type (sometimes in a form that needs coercion). */
  Object scalar(VType t) {
    switch (t) {
      case LONG: {
        long v = LONGS[r.nextInt(LONGS.length)];
        return r.nextInt(5) == 0 && v == (int) v ? (Object) (int) v : (Object) v;
      }
      case STRING:
        return STRINGS[r.nextInt(STRINGS.length)];
      case DOUBLE: {
        double d = DOUBLES[r.nextInt(DOUBLES.length)];
        return r.nextInt(6) == 0 && (double) (float) d == d ? (Object) (float) d : (Object) d;
      }
      case BOOLEAN:
        return r.nextBoolean();
      case INSTANT: {
        long ms = INSTANTS[r.nextInt(INSTANTS.length)];
        return r.nextInt(5) == 0 ? (Object) Instant.ofEpochMilli(ms) : new Date(ms);
      }
      case KEYWORD:
        return KEYWORDS[r.nextInt(KEYWORDS.length)];
      case UUID:
        return UUIDS[r.nextInt(UUIDS.length)];
      case BIGDEC:
        return new BigDecimal(BIGDECS[r.nextInt(BIGDECS.length)]);
      case BYTES:
        return BYTES[r.nextInt(BYTES.length)].clone();
      default:
        throw new IllegalArgumentException(t.toString());
    }
  }

  /** A value of the wrong type for an attribute. */
  Object wrongValue(AttrSpec a) {
    switch (a.type) {
      case LONG:
        return r.nextBoolean() ? "1" : (Object) 1.5;
      case STRING:
        return 1L;
      case DOUBLE:
        return r.nextBoolean() ? (Object) 1L : new BigDecimal("1.5");
      case BOOLEAN:
        return "true";
      case INSTANT:
        return 0L;
      case KEYWORD:
        return "k/a";
      case REF:
        return r.nextBoolean() ? (Object) true : (Object) 1.5;
      case UUID:
        return UUIDS[0].toString();
      case BIGDEC:
        return r.nextBoolean() ? (Object) 1.5 : (Object) 1L;
      case BYTES:
        return "bytes";
      default:
        throw new IllegalArgumentException(a.type.toString());
    }
  }

  /** A valid value for an attribute; refs name existing entities, tempids, idents or lookup refs. */
  Object value(AttrSpec a) {
    if (a.isUnique() && r.nextInt(10) < 7) {
      return freshUniqueValue(a); // held unique values come up often enough through the pools
    }
    if (!a.isRef()) {
      return scalar(a.type);
    }
    int p = r.nextInt(10);
    if (p < 3 && !txTempids.isEmpty()) {
      return pick(txTempids);
    }
    if (p == 3 && !a.component) {
      return pick(m.attrs).ident; // an ident: the entity view gives it back as a keyword
    }
    if (p == 4) {
      Object lookup = lookupRefOf(null);
      if (lookup != null) {
        return lookup;
      }
    }
    if (!m.entities.isEmpty()) {
      return pick(m.entities);
    }
    if (!txTempids.isEmpty()) {
      return pick(txTempids);
    }
    return a.component ? null : pick(m.attrs).ident;
  }

  /** A lookup ref naming an entity that holds a unique value ({@code e} or any), or null. */
  private Object lookupRefOf(Long e) {
    List<Object> refs = new ArrayList<>();
    for (AttrSpec a : m.attrs) {
      if (!a.isUnique()) {
        continue;
      }
      for (Map.Entry<Object, Long> en : m.heldValues(a).entrySet()) {
        if (e == null || en.getValue().equals(e)) {
          refs.add(List.of(a.ident, MValues.toRaw(en.getKey())));
        }
      }
    }
    return refs.isEmpty() ? null : refs.get(r.nextInt(refs.size()));
  }

  /** A value for a map entry: for card-many a list or set of values, sometimes one value. */
  Object mapValue(AttrSpec a, int depth) {
    if (a.isRef() && depth == 0 && r.nextInt(a.component ? 3 : 8) == 0) {
      if (!a.many || r.nextBoolean()) {
        return nested(a);
      }
      List<Object> l = new ArrayList<>();
      l.add(nested(a));
      l.add(nested(a));
      return l;
    }
    if (!a.many || r.nextInt(5) == 0) {
      return value(a); // for card-many, a lone lookup ref is still one value
    }
    int n = 1 + r.nextInt(3);
    List<Object> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object v = value(a);
      if (v != null) {
        vs.add(v);
      }
    }
    if (vs.isEmpty()) {
      return null;
    }
    boolean ambiguous = vs.size() == 2 && vs.get(0) instanceof Keyword;
    if (ambiguous || r.nextInt(3) == 0) {
      // A set, deduplicated by model value so that its EDN form has no duplicates.
      Set<Object> seen = new LinkedHashSet<>();
      Set<Object> s = new LinkedHashSet<>();
      for (Object v : vs) {
        Object key = a.isRef() ? v : MValues.canon(a.type, v);
        if (seen.add(key)) {
          s.add(v);
        }
      }
      return s;
    }
    return vs;
  }

  /** A nested entity map under a ref attribute. */
  private Map<Object, Object> nested(AttrSpec via) {
    Map<Object, Object> sub = new LinkedHashMap<>();
    if (!via.component || autoUsed || r.nextInt(3) == 0) {
      sub.put(DB_ID, newTempid());
    } else {
      autoUsed = true;
    }
    int n = 1 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      AttrSpec a = pick(m.attrs);
      if (a.isRef() && a.component) {
        continue;
      }
      Object v = a.isUnique() && r.nextInt(3) != 0 ? freshUniqueValue(a) : mapValue(a, 1);
      if (v != null) {
        sub.put(a.ident, v);
      }
    }
    if (sub.size() == (sub.containsKey(DB_ID) ? 1 : 0)) {
      AttrSpec a = firstScalar();
      sub.put(a.ident, scalar(a.type));
    }
    if (sub.containsKey(DB_ID)) {
      txTempids.add(sub.get(DB_ID));
    }
    return sub;
  }

  private List<AttrSpec> refAttrs() {
    List<AttrSpec> out = new ArrayList<>();
    for (AttrSpec a : m.attrs) {
      if (a.isRef()) {
        out.add(a);
      }
    }
    return out;
  }

  private AttrSpec firstScalar() {
    for (AttrSpec a : m.attrs) {
      if (!a.isRef()) {
        return a;
      }
    }
    throw new IllegalStateException("no scalar attribute");
  }

  /** A value of a unique attribute, preferring one no entity holds. */
  private Object freshUniqueValue(AttrSpec a) {
    for (int i = 0; i < 3; i++) {
      Object v = scalar(a.type);
      if (m.holders(a.id, MValues.canon(a.type, v)).isEmpty()) {
        return v;
      }
    }
    return r.nextInt(10) == 0 ? scalar(a.type) : wideScalar(a.type);
  }

  /** A value from a wide domain, rarely equal to another. */
  private Object wideScalar(VType t) {
    int n = r.nextInt(1_000_000);
    switch (t) {
      case LONG:
        return (long) n - 500_000;
      case STRING:
        return "s" + n;
      case DOUBLE:
        return n / 64.0;
      case INSTANT:
        return new Date(1_000_000_000_000L + n * 1000L);
      case KEYWORD:
        return Keyword.of("w", "k" + n);
      case UUID:
        return new UUID(r.nextLong(), r.nextLong());
      case BIGDEC:
        return BigDecimal.valueOf(n, r.nextInt(4));
      case BYTES:
        return new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16)};
      default:
        return scalar(t);
    }
  }

  /** A tempid: mostly a string, sometimes a {@link TempId} (fresh or with an explicit index). */
  private Object newTempid() {
    int n = tempCounter++;
    int k = r.nextInt(10);
    if (k == 0) {
      return Peer.tempid(Keyword.of("db.part", "user"));
    }
    if (k == 1) {
      return Peer.tempid(":db.part/user", -1 - n);
    }
    return "t" + n;
  }

  private <T> T pick(List<T> l) {
    return l.get(r.nextInt(l.size()));
  }

  // ------------------------------------------------------------------ entities

  /** An existing entity id, preferring ones with datoms; null when there is none. */
  private Long entityId() {
    if (m.entities.isEmpty()) {
      return null;
    }
    if (r.nextInt(4) != 0) {
      List<Long> live = new ArrayList<>();
      for (long e : m.entities) {
        if (m.hasDatoms(e)) {
          live.add(e);
        }
      }
      if (!live.isEmpty()) {
        return pick(live);
      }
    }
    return pick(m.entities);
  }

  /** How to write an existing entity: its id, or sometimes a lookup ref. */
  private Object entityRef(long e) {
    if (r.nextInt(5) == 0) {
      Object ref = lookupRefOf(e);
      if (ref != null) {
        return ref;
      }
    }
    return e;
  }

  /** A current datom of a live entity, or null. */
  private MDatom currentDatom() {
    if (m.current.isEmpty()) {
      return null;
    }
    List<MDatom> all = m.currentDatoms();
    return all.get(r.nextInt(all.size()));
  }

  // ------------------------------------------------------------------ transactions

  List<Object> tx() {
    txTempids = new ArrayList<>();
    autoUsed = false;
    List<Object> forms = new ArrayList<>();
    if (r.nextInt(40) == 0) {
      return forms; // an empty transaction: just the tx entity
    }
    if (bulk && r.nextInt(7) == 0) {
      return bulkTx();
    }
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      forms.addAll(form());
    }
    if (r.nextInt(10) == 0) {
      // Attributes of the transaction entity itself.
      List<AttrSpec> plain = new ArrayList<>();
      for (AttrSpec a : m.attrs) {
        if (!a.isUnique() && !a.isRef()) {
          plain.add(a);
        }
      }
      if (!plain.isEmpty()) {
        AttrSpec a = pick(plain);
        if (r.nextBoolean()) {
          forms.add(List.of(Model.ADD, Model.TX_TEMPID, a.ident, scalar(a.type)));
        } else {
          Map<Object, Object> map = new LinkedHashMap<>();
          map.put(DB_ID, Model.TX_TEMPID);
          map.put(a.ident, mapValue(a, 1));
          forms.add(map);
        }
      }
    }
    if (r.nextInt(15) == 0 && !m.entities.isEmpty()) {
      // A reference to the transaction entity.
      for (AttrSpec a : refAttrs()) {
        if (!a.component) {
          forms.add(List.of(Model.ADD, pick(m.entities), a.ident, Model.TX_TEMPID));
          break;
        }
      }
    }
    if (r.nextInt(100) < 18) {
      List<Object> bad = failingForms();
      forms.addAll(r.nextInt(forms.size() + 1), bad);
    }
    return forms;
  }

  /**
   * Many datoms at once: hundreds of new entities (non-unique attributes only, so that it
   * succeeds), or retractions of many entities or attribute values.
   */
  private List<Object> bulkTx() {
    List<Object> forms = new ArrayList<>();
    List<AttrSpec> plain = new ArrayList<>();
    for (AttrSpec a : m.attrs) {
      if (!a.isUnique() && !(a.isRef() && a.component)) {
        plain.add(a);
      }
    }
    int k = r.nextInt(4);
    if ((k < 2 || m.entities.size() < 50) && bulkCreates < 2) {
      // Two of these pass 2048 datoms, the size of a durable leaf.
      bulkCreates++;
      int n = 350 + r.nextInt(200);
      for (int i = 0; i < n; i++) {
        Object t = newTempid();
        txTempids.add(t);
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(DB_ID, t);
        for (int j = 0; j < 3; j++) {
          AttrSpec a = pick(plain);
          Object v = a.many ? mapValue(a, 1) : value(a);
          if (v != null) {
            map.put(a.ident, v);
          }
        }
        if (map.size() == 1) {
          AttrSpec a = firstScalar();
          map.put(a.ident, freshUniqueValue(a));
        }
        forms.add(map);
      }
    } else if (k % 2 == 0) {
      Set<Long> es = new LinkedHashSet<>();
      for (int i = 0; i < 20 + r.nextInt(60); i++) {
        es.add(pick(m.entities));
      }
      for (long e : es) {
        forms.add(List.of(Model.RETRACT_ENTITY, e));
      }
    } else {
      for (MDatom d : m.currentDatoms()) {
        if (r.nextInt(4) == 0) {
          forms.add(List.of(Model.RETRACT, d.e(), m.byId.get(d.a()).ident, MValues.toRaw(d.v())));
        }
      }
    }
    return forms;
  }

  private List<Object> form() {
    int k = r.nextInt(100);
    Long e = entityId();
    if (e == null || k < 22) {
      return newMap();
    }
    if (k < 32) {
      return newList();
    }
    if (k < 45) {
      AttrSpec a = pick(m.attrs);
      Object v = value(a);
      return v == null ? List.of() : List.of(List.of(Model.ADD, entityRef(e), a.ident, v));
    }
    if (k < 52) {
      Map<Object, Object> map = new LinkedHashMap<>();
      map.put(DB_ID, entityRef(e));
      putAttrs(map, 1 + r.nextInt(3));
      return List.of(map);
    }
    if (k < 62) {
      MDatom d = currentDatom();
      if (d != null && r.nextInt(10) < 7) {
        AttrSpec a = m.byId.get(d.a());
        return List.of(List.of(Model.RETRACT, entityRef(d.e()), a.ident, MValues.toRaw(d.v())));
      }
      AttrSpec a = pick(m.attrs);
      Object v = value(a);
      return v == null ? List.of() : List.of(List.of(Model.RETRACT, entityRef(e), a.ident, v));
    }
    if (k < 67) {
      MDatom d = currentDatom();
      if (d != null && r.nextInt(10) < 7) {
        return List.of(List.of(Model.RETRACT, entityRef(d.e()), m.byId.get(d.a()).ident));
      }
      return List.of(List.of(Model.RETRACT, entityRef(e), pick(m.attrs).ident));
    }
    if (k < 71) {
      Keyword op = r.nextInt(4) == 0 ? Model.FN_RETRACT_ENTITY : Model.RETRACT_ENTITY;
      return List.of(List.of(op, entityRef(e)));
    }
    if (k < 78) {
      return List.of(cas(e, r.nextInt(10) < 8));
    }
    if (k < 85) {
      // A redundant re-assertion of a current datom.
      MDatom d = currentDatom();
      if (d == null) {
        return newMap();
      }
      AttrSpec a = m.byId.get(d.a());
      if (r.nextBoolean()) {
        return List.of(List.of(Model.ADD, entityRef(d.e()), a.ident, MValues.toRaw(d.v())));
      }
      Map<Object, Object> map = new LinkedHashMap<>();
      map.put(DB_ID, d.e());
      map.put(a.ident, MValues.toRaw(d.v()));
      return List.of(map);
    }
    if (k < 93) {
      return upsert();
    }
    // A new entity pointing at another new entity through a ref.
    List<Object> out = new ArrayList<>(newMap());
    out.addAll(newMap());
    return out;
  }

  private void putAttrs(Map<Object, Object> map, int n) {
    if (r.nextInt(8) == 0 && !m.entities.isEmpty()) {
      // A reverse reference: other entities point at this one.
      AttrSpec a = pick(refAttrs());
      Keyword rev = Keyword.of(a.ident.namespace(), "_" + a.ident.name());
      Object src = pick(m.entities);
      if (r.nextBoolean()) {
        map.put(rev, src);
      } else {
        List<Object> srcs = new ArrayList<>();
        srcs.add(src);
        srcs.add(txTempids.isEmpty() ? pick(m.entities) : pick(txTempids));
        map.put(rev, r.nextBoolean() ? srcs : new LinkedHashSet<>(srcs));
      }
    }
    for (int i = 0; i < n; i++) {
      AttrSpec a = pick(m.attrs);
      Object v = a.isUnique() && r.nextInt(10) < 7 ? freshUniqueValue(a) : mapValue(a, 0);
      if (v != null) {
        map.put(a.ident, v);
      }
    }
  }

  private List<Object> newMap() {
    Map<Object, Object> map = new LinkedHashMap<>();
    if (autoUsed || r.nextInt(8) != 0) {
      Object t = newTempid();
      map.put(DB_ID, t);
      txTempids.add(t);
    } else {
      autoUsed = true;
    }
    putAttrs(map, 1 + r.nextInt(4));
    if (map.size() == (map.containsKey(DB_ID) ? 1 : 0)) {
      AttrSpec a = firstScalar();
      map.put(a.ident, scalar(a.type));
    }
    return List.of(map);
  }

  private List<Object> newList() {
    Object t = newTempid();
    txTempids.add(t);
    List<Object> out = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      AttrSpec a = pick(m.attrs);
      Object v = a.isUnique() && r.nextInt(10) < 7 ? freshUniqueValue(a) : value(a);
      if (v != null) {
        out.add(List.of(Model.ADD, t, a.ident, v));
      }
    }
    if (out.isEmpty()) {
      AttrSpec a = firstScalar();
      out.add(List.of(Model.ADD, t, a.ident, scalar(a.type)));
    }
    return out;
  }

  /** A tempid asserting an identity value some entity holds, plus another attribute. */
  private List<Object> upsert() {
    List<Object[]> held = new ArrayList<>();
    for (AttrSpec a : m.attrs) {
      if (a.isIdentity()) {
        for (Object v : m.heldValues(a).keySet()) {
          held.add(new Object[] {a, v});
        }
      }
    }
    if (held.isEmpty()) {
      return newMap();
    }
    Object[] h = held.get(r.nextInt(held.size()));
    AttrSpec ia = (AttrSpec) h[0];
    Object raw = MValues.toRaw(h[1]);
    Object t = newTempid();
    txTempids.add(t);
    if (r.nextBoolean()) {
      Map<Object, Object> map = new LinkedHashMap<>();
      map.put(DB_ID, t);
      map.put(ia.ident, raw);
      putAttrs(map, 1 + r.nextInt(2));
      return List.of(map);
    }
    List<Object> out = new ArrayList<>();
    out.add(List.of(Model.ADD, t, ia.ident, raw));
    AttrSpec a = pick(m.attrs);
    Object v = value(a);
    if (v != null) {
      out.add(List.of(Model.ADD, t, a.ident, v));
    }
    return out;
  }

  private List<Object> cas(long e, boolean matching) {
    List<AttrSpec> ones = new ArrayList<>();
    for (AttrSpec a : m.attrs) {
      if (!a.many) {
        ones.add(a);
      }
    }
    AttrSpec a = pick(ones);
    List<Long> holders = new ArrayList<>();
    for (long x : m.entities) {
      if (m.value(x, a.id) != null) {
        holders.add(x);
      }
    }
    if (matching && !holders.isEmpty() && r.nextInt(4) != 0) {
      e = pick(holders);
    }
    Object cur = m.value(e, a.id);
    Object old;
    if (matching) {
      old = cur == null ? null : MValues.toRaw(cur);
    } else {
      old = r.nextBoolean() || cur == null ? value(a) : null;
    }
    Object nv = value(a);
    if (nv == null) {
      throw new IllegalStateException("no value for cas on " + a);
    }
    Keyword op = r.nextInt(4) == 0 ? Model.FN_CAS : Model.CAS;
    return Arrays.asList(op, entityRef(e), a.ident, old, nv);
  }

  /** Forms meant to make the transaction fail (the model decides whether they do). */
  private List<Object> failingForms() {
    Long e = entityId();
    AttrSpec a = pick(m.attrs);
    int k = r.nextInt(11);
    if (e == null) {
      k = 3;
    }
    switch (k) {
      case 0: {
        // Another entity asserts a unique value some entity holds.
        for (AttrSpec u : m.attrs) {
          if (!u.isUnique()) {
            continue;
          }
          for (Map.Entry<Object, Long> h : m.heldValues(u).entrySet()) {
            if (!h.getValue().equals(e)) {
              boolean existing = u.isIdentity() || r.nextBoolean();
              Object target = existing ? (Object) e : newTempid();
              if (!existing) {
                txTempids.add(target);
              }
              return List.of(List.of(Model.ADD, target, u.ident, MValues.toRaw(h.getKey())));
            }
          }
        }
        return List.of(List.of(Model.ADD, e, a.ident, wrongValue(a)));
      }
      case 1: {
        // Two values for a card-one attribute.
        for (AttrSpec o : m.attrs) {
          if (!o.many) {
            Object v1 = value(o);
            Object v2 = value(o);
            if (v1 != null && v2 != null) {
              return List.of(List.of(Model.ADD, e, o.ident, v1), List.of(Model.ADD, e, o.ident, v2));
            }
          }
        }
        return List.of(List.of(Model.ADD, e, a.ident, wrongValue(a)));
      }
      case 2:
        return List.of(List.of(Model.ADD, entityRef(e), a.ident, wrongValue(a)));
      case 3: {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(DB_ID, newTempid());
        map.put(Keyword.of("p", "nope"), 1L);
        return List.of(map);
      }
      case 4:
        return List.of(cas(e, false));
      case 5: {
        // A lookup ref that names nothing.
        AttrSpec u = m.attrs.get(0);
        Object v = scalar(u.type);
        return List.of(List.of(Model.ADD, List.of(u.ident, v), a.ident, a.isRef() ? e : scalar(a.type)));
      }
      case 6: {
        Object v = value(a);
        if (v == null) {
          v = wrongValue(a);
        }
        return List.of(List.of(Model.ADD, e, a.ident, v), List.of(Model.RETRACT, e, a.ident, v));
      }
      case 7:
        return List.of(Arrays.asList(Model.ADD, e, a.ident, null));
      case 8: {
        Object t = txTempids.isEmpty() ? newTempid() : pick(txTempids);
        return List.of(List.of(Model.RETRACT, t, a.ident, scalarOrRef(a, e)));
      }
      case 9: {
        for (AttrSpec many : m.attrs) {
          if (many.many) {
            return List.of(Arrays.asList(Model.CAS, e, many.ident, null, scalarOrRef(many, e)));
          }
        }
        return List.of(List.of(Model.ADD, e, a.ident, wrongValue(a)));
      }
      default:
        // A ref to a tempid nothing else uses.
        for (AttrSpec ref : m.attrs) {
          if (ref.isRef()) {
            return List.of(List.of(Model.ADD, e, ref.ident, newTempid()));
          }
        }
        return List.of(List.of(Model.ADD, e, a.ident, wrongValue(a)));
    }
  }

  private Object scalarOrRef(AttrSpec a, long e) {
    return a.isRef() ? (Object) e : scalar(a.type);
  }
}
