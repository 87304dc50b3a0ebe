package io.accrete.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random SELECTs in PostgreSQL's dialect over the three tables of {@link SelectDifferentialTest}
 * (dept, emp, task), kept as trees so a failing one can be shrunk. Every query it makes is meant
 * to be valid PostgreSQL with one answer: no division by zero, no overflow, no ORDER BY … LIMIT
 * on less than a total order (it orders by every output column), scalar sub-queries that give at
 * most one row.
 */
final class SelectGenerator {
  enum T { INT, NUM, DBL, TEXT, BOOL, DATE }

  record Col(String name, T type) {}

  record Table(String name, String alias, List<Col> cols) {
    Table as(String a) {
      return new Table(name, a, cols);
    }
  }

  static final Table DEPT = new Table("dept", "d", List.of(new Col("id", T.INT), new Col("name", T.TEXT),
      new Col("budget", T.NUM), new Col("ratio", T.DBL), new Col("active", T.BOOL), new Col("founded", T.DATE)));
  static final Table EMP = new Table("emp", "e", List.of(new Col("id", T.INT), new Col("name", T.TEXT),
      new Col("dept_id", T.INT), new Col("age", T.INT), new Col("salary", T.NUM), new Col("bonus", T.NUM),
      new Col("score", T.DBL), new Col("manager", T.BOOL), new Col("hired", T.DATE)));
  static final Table TASK = new Table("task", "t", List.of(new Col("id", T.INT), new Col("emp_id", T.INT),
      new Col("title", T.TEXT), new Col("effort", T.INT), new Col("cost", T.NUM), new Col("weight", T.DBL),
      new Col("done", T.BOOL), new Col("due_on", T.DATE)));

  // ---------------------------------------------------------------- expression trees

  /** An expression: text pieces with typed sub-expressions between them. Immutable. */
  static final class Node {
    final T type;
    final String[] parts;
    final Node[] kids;
    final boolean leaf;

    Node(T type, String[] parts, Node[] kids, boolean leaf) {
      this.type = type;
      this.parts = parts;
      this.kids = kids;
      this.leaf = leaf;
    }

    String sql() {
      StringBuilder b = new StringBuilder(parts[0]);
      for (int i = 0; i < kids.length; i++) {
        b.append(kids[i].sql()).append(parts[i + 1]);
      }
      return b.toString();
    }

    Node with(int i, Node k) {
      Node[] ks = kids.clone();
      ks[i] = k;
      return new Node(type, parts, ks, leaf);
    }

    @Override
    public String toString() {
      return sql();
    }
  }

  static Node leaf(T t, String text) {
    return new Node(t, new String[] {text}, new Node[0], true);
  }

  /** A node from alternating text and sub-nodes, e.g. {@code n(INT, "(", a, " + ", b, ")")}. */
  static Node n(T t, Object... pieces) {
    List<String> parts = new ArrayList<>();
    List<Node> kids = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (Object p : pieces) {
      if (p instanceof Node k) {
        parts.add(cur.toString());
        cur.setLength(0);
        kids.add(k);
      } else {
        cur.append(p);
      }
    }
    parts.add(cur.toString());
    return new Node(t, parts.toArray(new String[0]), kids.toArray(new Node[0]), false);
  }

  // ---------------------------------------------------------------- queries

  /** FROM: its text ({@code {on}} where an extra ON condition goes) and its tables with their aliases. */
  record From(String text, List<Table> tables, boolean extraOn, String commaJoin) {
    String render(Node on) {
      return text.replace("{on}", on == null ? "" : " AND " + on.sql());
    }
  }

  /** One ORDER BY item: an output column (0-based), by ordinal or by its alias. */
  record Ord(int col, boolean desc, String nulls, boolean byAlias) {}

  /** A SELECT (with an optional set operation, ORDER BY and LIMIT on the whole). */
  static final class Sel {
    boolean distinct;
    List<Node> items = new ArrayList<>();
    From from;
    Node on;
    List<Node> where = new ArrayList<>();
    List<Node> groupBy = new ArrayList<>();
    boolean groupOrdinals;
    List<Node> having = new ArrayList<>();
    String setOp;
    Sel right;
    List<Ord> order = new ArrayList<>();
    Node orderExpr;
    int limit = -1;
    int offset = -1;
    boolean fetchFirst;

    Sel copy() {
      Sel c = new Sel();
      c.distinct = distinct;
      c.items = new ArrayList<>(items);
      c.from = from;
      c.on = on;
      c.where = new ArrayList<>(where);
      c.groupBy = new ArrayList<>(groupBy);
      c.groupOrdinals = groupOrdinals;
      c.having = new ArrayList<>(having);
      c.setOp = setOp;
      c.right = right == null ? null : right.copy();
      c.order = new ArrayList<>(order);
      c.orderExpr = orderExpr;
      c.limit = limit;
      c.offset = offset;
      c.fetchFirst = fetchFirst;
      return c;
    }

    String core() {
      StringBuilder b = new StringBuilder("SELECT ");
      if (distinct) {
        b.append("DISTINCT ");
      }
      for (int i = 0; i < items.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(items.get(i).sql()).append(" AS c").append(i + 1);
      }
      b.append(" FROM ").append(from.render(on));
      if (!where.isEmpty()) {
        b.append(" WHERE ");
        for (int i = 0; i < where.size(); i++) {
          b.append(i == 0 ? "" : " AND ").append(where.get(i).sql());
        }
      }
      if (!groupBy.isEmpty()) {
        b.append(" GROUP BY ");
        for (int i = 0; i < groupBy.size(); i++) {
          Node k = groupBy.get(i);
          int at = indexOfIdentical(items, k);
          b.append(i == 0 ? "" : ", ").append(groupOrdinals && at >= 0 ? String.valueOf(at + 1) : k.sql());
        }
      }
      if (!having.isEmpty()) {
        b.append(" HAVING ");
        for (int i = 0; i < having.size(); i++) {
          b.append(i == 0 ? "" : " AND ").append(having.get(i).sql());
        }
      }
      return b.toString();
    }

    String sql() {
      StringBuilder b = new StringBuilder(core());
      if (setOp != null) {
        b.append(' ').append(setOp).append(' ').append(right.core());
      }
      if (!order.isEmpty()) {
        b.append(" ORDER BY ");
        for (int i = 0; i < order.size(); i++) {
          Ord o = order.get(i);
          b.append(i == 0 ? "" : ", ").append(o.byAlias ? "c" + (o.col + 1) : String.valueOf(o.col + 1))
              .append(o.desc ? " DESC" : "").append(o.nulls);
        }
      } else if (orderExpr != null) {
        b.append(" ORDER BY ").append(orderExpr.sql());
      }
      if (limit >= 0 && fetchFirst) {
        b.append(offset >= 0 ? " OFFSET " + offset + " ROWS" : "").append(" FETCH FIRST ").append(limit)
            .append(" ROWS ONLY");
      } else {
        if (limit >= 0) {
          b.append(" LIMIT ").append(limit);
        }
        if (offset >= 0) {
          b.append(" OFFSET ").append(offset);
        }
      }
      return b.toString();
    }

    /** The output columns the ORDER BY sorts by, in order (empty: a bag). */
    List<Integer> orderedColumns() {
      List<Integer> out = new ArrayList<>();
      for (Ord o : order) {
        out.add(o.col);
      }
      return out;
    }

    boolean totalOrder() {
      return order.stream().map(Ord::col).distinct().count() == items.size();
    }

    /** LIMIT/OFFSET only on a total order: otherwise PostgreSQL's own answer is one of several. */
    boolean deterministic() {
      return (limit < 0 && offset < 0) || (totalOrder() && orderExpr == null);
    }

    int size() {
      int s = 0;
      for (List<Node> l : List.of(items, where, groupBy, having)) {
        for (Node x : l) {
          s += nodes(x);
        }
      }
      return s + (on == null ? 0 : nodes(on)) + (right == null ? 0 : right.size()) + (setOp == null ? 0 : 1)
          + order.size() + (limit >= 0 ? 1 : 0) + (offset >= 0 ? 1 : 0) + (distinct ? 1 : 0) + from.tables.size();
    }
  }

  static int nodes(Node n) {
    int s = 1;
    for (Node k : n.kids) {
      s += nodes(k);
    }
    return s;
  }

  private static final java.util.regex.Pattern COLUMN = java.util.regex.Pattern.compile("\\b[edt]2?\\.[a-z]");

  /** Whether an expression names a column (a GROUP BY of an integer literal is an ordinal). */
  static boolean hasColumn(Node n) {
    return COLUMN.matcher(n.sql()).find();
  }

  static int indexOfIdentical(List<Node> xs, Node x) {
    for (int i = 0; i < xs.size(); i++) {
      if (xs.get(i) == x) {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- scope

  /** The tables an expression may name; {@code sub}: whether it may hold sub-queries. */
  record Scope(List<Table> tables, boolean sub) {
    List<Node> cols(T t) {
      List<Node> out = new ArrayList<>();
      for (Table tb : tables) {
        for (Col c : tb.cols) {
          if (c.type == t) {
            out.add(leaf(t, tb.alias + "." + c.name));
          }
        }
      }
      return out;
    }

    Scope noSub() {
      return new Scope(tables, false);
    }
  }

  private static final List<From> FROMS = List.of(
      new From("emp e", List.of(EMP), false, null),
      new From("dept d", List.of(DEPT), false, null),
      new From("task t", List.of(TASK), false, null),
      new From("emp e JOIN dept d ON e.dept_id = d.id{on}", List.of(EMP, DEPT), true, null),
      new From("emp e LEFT JOIN dept d ON e.dept_id = d.id{on}", List.of(EMP, DEPT), true, null),
      new From("task t JOIN emp e ON t.emp_id = e.id{on}", List.of(TASK, EMP), true, null),
      new From("task t LEFT JOIN emp e ON t.emp_id = e.id{on}", List.of(TASK, EMP), true, null),
      new From("dept d LEFT JOIN emp e ON e.dept_id = d.id{on}", List.of(DEPT, EMP), true, null),
      new From("emp e LEFT JOIN task t ON t.emp_id = e.id{on}", List.of(EMP, TASK), true, null),
      new From("task t JOIN emp e ON t.emp_id = e.id JOIN dept d ON e.dept_id = d.id{on}",
          List.of(TASK, EMP, DEPT), true, null),
      new From("task t LEFT JOIN emp e ON t.emp_id = e.id LEFT JOIN dept d ON e.dept_id = d.id{on}",
          List.of(TASK, EMP, DEPT), true, null),
      new From("dept d JOIN emp e ON e.dept_id = d.id LEFT JOIN task t ON t.emp_id = e.id{on}",
          List.of(DEPT, EMP, TASK), true, null),
      new From("emp e, dept d", List.of(EMP, DEPT), false, "e.dept_id = d.id"),
      new From("emp e RIGHT JOIN dept d ON e.dept_id = d.id{on}", List.of(EMP, DEPT), true, null),
      new From("emp e FULL JOIN dept d ON e.dept_id = d.id", List.of(EMP, DEPT), false, null));
  private static final int[] FROM_WEIGHTS = {12, 7, 9, 8, 8, 7, 6, 6, 6, 4, 4, 3, 2, 2, 2};

  // ---------------------------------------------------------------- generation

  private final Random r;

  SelectGenerator(Random r) {
    this.r = r;
  }

  private boolean p(double prob) {
    return r.nextDouble() < prob;
  }

  @SafeVarargs
  private <X> X any(X... xs) {
    return xs[r.nextInt(xs.length)];
  }

  private <X> X anyOf(List<X> xs) {
    return xs.get(r.nextInt(xs.size()));
  }

  private From from() {
    int total = 0;
    for (int w : FROM_WEIGHTS) {
      total += w;
    }
    int x = r.nextInt(total);
    for (int i = 0; i < FROM_WEIGHTS.length; i++) {
      x -= FROM_WEIGHTS[i];
      if (x < 0) {
        return FROMS.get(i);
      }
    }
    throw new AssertionError();
  }

  private T anyType() {
    return any(T.INT, T.INT, T.NUM, T.NUM, T.DBL, T.TEXT, T.TEXT, T.BOOL, T.DATE, T.DATE);
  }

  private T valueType() {
    return any(T.INT, T.INT, T.NUM, T.NUM, T.DBL, T.TEXT, T.TEXT, T.DATE, T.DATE);
  }

  Node literal(T t) {
    switch (t) {
      case INT:
        return leaf(t, any("0", "1", "2", "3", "5", "7", "10", "18", "25", "30", "40", "50", "65", "100", "-1", "-5"));
      case NUM:
        return leaf(t, any("0.00", "1.50", "12.25", "100.00", "-3.75", "999.99", "2500.50", "0.5", "1.125", "-0.01",
            "4321.09", "50"));
      case DBL:
        String v = any("0.5", "2.25", "-4", "100.125", "0.1", "1000", "-0.75", "33.3");
        return leaf(t, p(0.6) ? "CAST(" + v + " AS DOUBLE PRECISION)" : any(v + "::float8", v + "::double precision"));
      case TEXT:
        return leaf(t, any("'ann'", "'Bob'", "''", "'x'", "'Sales'", "'ops'", "'zed'", "'o''neil'", "'carla'", "'a b'",
            "'review'", "'Z'"));
      case BOOL:
        return leaf(t, any("TRUE", "FALSE"));
      case DATE:
        String d = String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", 1995 + r.nextInt(32), 1 + r.nextInt(12),
            1 + r.nextInt(28));
        if (p(0.15)) {
          d = any("2000-02-29", "2020-02-29", "2012-12-31", "2024-01-01");
        }
        return leaf(t, p(0.7) ? "DATE '" + d + "'" : "'" + d + "'::date");
      default:
        throw new AssertionError(t);
    }
  }

  private Node typedNull(T t) {
    String name = switch (t) {
      case INT -> "INTEGER";
      case NUM -> "NUMERIC";
      case DBL -> "DOUBLE PRECISION";
      case TEXT -> "TEXT";
      case BOOL -> "BOOLEAN";
      case DATE -> "DATE";
    };
    return leaf(t, "CAST(NULL AS " + name + ")");
  }

  /** The simplest stand-in for a node when shrinking. */
  static Node simplest(T t) {
    return leaf(t, switch (t) {
      case INT -> "1";
      case NUM -> "1.50";
      case DBL -> "CAST(1.5 AS DOUBLE PRECISION)";
      case TEXT -> "'ann'";
      case BOOL -> "TRUE";
      case DATE -> "DATE '2010-06-15'";
    });
  }

  Node atom(T t, Scope s) {
    if (p(0.03)) {
      return typedNull(t);
    }
    List<Node> cs = s.cols(t);
    if (!cs.isEmpty() && p(0.75)) {
      return anyOf(cs);
    }
    return literal(t);
  }

  Node expr(T t, Scope s, int depth) {
    if (depth <= 0 || p(0.3)) {
      return atom(t, s);
    }
    return switch (t) {
      case INT -> intExpr(s, depth);
      case NUM -> numExpr(s, depth);
      case DBL -> dblExpr(s, depth);
      case TEXT -> textExpr(s, depth);
      case BOOL -> cond(s, depth);
      case DATE -> dateExpr(s, depth);
    };
  }

  private Node intExpr(Scope s, int d) {
    T I = T.INT;
    switch (r.nextInt(20)) {
      case 0: case 1: return n(I, "(", expr(I, s, d - 1), " + ", expr(I, s, d - 1), ")");
      case 2: return n(I, "(", expr(I, s, d - 1), " - ", expr(I, s, d - 1), ")");
      case 3: return n(I, "(", expr(I, s, d - 1), " * ", leaf(I, any("0", "2", "3", "-1", "5")), ")");
      case 4: return n(I, "(", expr(I, s, d - 1), " / ", leaf(I, any("2", "3", "4", "7", "-2")), ")");
      case 5: return n(I, "(", expr(I, s, d - 1), " % ", leaf(I, any("2", "3", "5", "-4")), ")");
      case 6: return n(I, "length(", expr(T.TEXT, s, d - 1), ")");
      case 7: return n(I, "position(", leaf(T.TEXT, any("'a'", "'n'", "'e'", "''")), " IN ", expr(T.TEXT, s, d - 1), ")");
      case 8: case 9: return caseExpr(I, s, d);
      case 10: return n(I, "COALESCE(", expr(I, s, d - 1), ", ", expr(I, s, d - 1), ")");
      case 11: return n(I, "NULLIF(", expr(I, s, d - 1), ", ", literal(I), ")");
      case 12: return n(I, any("GREATEST(", "LEAST("), expr(I, s, d - 1), ", ", expr(I, s, d - 1), ")");
      case 13: return n(I, "abs(", expr(I, s, d - 1), ")");
      case 14: return n(I, "CAST(", expr(T.NUM, s, d - 1), " AS INTEGER)");
      case 15: return n(I, "(", expr(T.DATE, s, d - 1), " - ", expr(T.DATE, s, d - 1), ")");
      case 16: case 17: if (s.sub) { return scalarSub(I, s); } // fall through
      default: return atom(I, s);
    }
  }

  private Node numExpr(Scope s, int d) {
    T N = T.NUM;
    switch (r.nextInt(20)) {
      case 0: case 1: return n(N, "(", expr(N, s, d - 1), " + ", expr(p(0.3) ? T.INT : N, s, d - 1), ")");
      case 2: return n(N, "(", expr(N, s, d - 1), " - ", expr(p(0.3) ? T.INT : N, s, d - 1), ")");
      case 3: return n(N, "(", expr(N, s, d - 1), " * ", leaf(N, any("2", "3", "0.5", "1.25", "-1")), ")");
      case 4: return n(N, "(", expr(N, s, d - 1), " * ", atom(T.INT, s), ")");
      case 5: return n(N, "(", expr(N, s, d - 1), " / ", leaf(T.INT, any("2", "4", "5", "8", "10", "-4")), ")");
      case 6: return p(0.3) ? n(N, "round(", expr(N, s, d - 1), ")")
          : n(N, "round(", expr(N, s, d - 1), ", ", leaf(T.INT, any("0", "1", "2", "-1")), ")");
      case 7: return n(N, any("ceil(", "floor("), expr(N, s, d - 1), ")");
      case 8: return n(N, "abs(", expr(N, s, d - 1), ")");
      case 9: case 10: return caseExpr(N, s, d);
      case 11: return n(N, "COALESCE(", expr(N, s, d - 1), ", ", expr(N, s, d - 1), ")");
      case 12: return n(N, any("GREATEST(", "LEAST("), expr(N, s, d - 1), ", ", expr(N, s, d - 1), ")");
      case 13: return p(0.5) ? n(N, "CAST(", expr(T.INT, s, d - 1), " AS NUMERIC(10,2))")
          : n(N, "CAST(", expr(N, s, d - 1), " AS NUMERIC(12,1))");
      case 14: return n(N, "EXTRACT(", any("YEAR", "MONTH", "DAY"), " FROM ", expr(T.DATE, s, d - 1), ")");
      case 15: case 16: if (s.sub) { return scalarSub(N, s); } // fall through
      default: return atom(N, s);
    }
  }

  private Node dblExpr(Scope s, int d) {
    T D = T.DBL;
    switch (r.nextInt(16)) {
      case 0: case 1: return n(D, "(", expr(D, s, d - 1), " + ", expr(any(D, D, T.NUM, T.INT), s, d - 1), ")");
      case 2: return n(D, "(", expr(D, s, d - 1), " - ", expr(any(D, T.NUM), s, d - 1), ")");
      case 3: return n(D, "(", expr(D, s, d - 1), " * ", p(0.5) ? atom(D, s) : leaf(T.INT, any("2", "3", "-1")), ")");
      case 4: return n(D, "(", expr(D, s, d - 1), " / ", leaf(T.INT, any("2", "4", "-8")), ")");
      case 5: return n(D, "abs(", expr(D, s, d - 1), ")");
      case 6: case 7: return caseExpr(D, s, d);
      case 8: return n(D, "COALESCE(", expr(D, s, d - 1), ", ", expr(D, s, d - 1), ")");
      case 9: return p(0.5) ? n(D, "CAST(", expr(T.NUM, s, d - 1), " AS DOUBLE PRECISION)")
          : n(D, "(", expr(T.NUM, s, d - 1), ")::float8");
      case 10: return n(D, any("GREATEST(", "LEAST("), expr(D, s, d - 1), ", ", expr(D, s, d - 1), ")");
      case 11: if (s.sub) { return scalarSub(D, s); } // fall through
      default: return atom(D, s);
    }
  }

  private Node textExpr(Scope s, int d) {
    T X = T.TEXT;
    switch (r.nextInt(22)) {
      case 0: return n(X, "upper(", expr(X, s, d - 1), ")");
      case 1: return n(X, "lower(", expr(X, s, d - 1), ")");
      case 2: case 3: return p(0.7)
          ? n(X, "substr(", expr(X, s, d - 1), ", ", leaf(T.INT, any("0", "1", "2", "3")), ", ",
              leaf(T.INT, any("0", "1", "2", "4")), ")")
          : n(X, "substr(", expr(X, s, d - 1), ", ", leaf(T.INT, any("1", "2", "4")), ")");
      case 4: case 5: case 6: return n(X, "(", expr(X, s, d - 1), " || ", expr(X, s, d - 1), ")");
      case 7: return n(X, "trim(", expr(X, s, d - 1), ")");
      case 8: return n(X, "replace(", expr(X, s, d - 1), ", ", leaf(X, any("'a'", "'n'", "' '")), ", ",
          leaf(X, any("'o'", "''", "'AA'")), ")");
      case 9: case 10: return caseExpr(X, s, d);
      case 11: return n(X, "COALESCE(", expr(X, s, d - 1), ", ", literal(X), ")");
      case 12: return n(X, "NULLIF(", expr(X, s, d - 1), ", ", literal(X), ")");
      case 13: {
        T from = any(T.INT, T.NUM, T.DATE, T.BOOL);
        return n(X, "CAST(", expr(from, s, d - 1), " AS ", any("TEXT", "VARCHAR"), ")");
      }
      case 14: return n(X, "(", expr(X, s, d - 1), " || ", expr(T.INT, s, d - 1), ")");
      case 15: return n(X, any("GREATEST(", "LEAST("), expr(X, s, d - 1), ", ", expr(X, s, d - 1), ")");
      case 16: case 17: if (s.sub) { return scalarSub(X, s); } // fall through
      default: return atom(X, s);
    }
  }

  private Node dateExpr(Scope s, int d) {
    T D = T.DATE;
    switch (r.nextInt(12)) {
      case 0: return n(D, "(", expr(D, s, d - 1), " + ", leaf(T.INT, any("1", "30", "365", "-7")), ")");
      case 1: return n(D, "(", expr(D, s, d - 1), " - ", leaf(T.INT, any("1", "31", "400")), ")");
      case 2: return n(D, "(", expr(D, s, d - 1), " + ", atom(T.INT, s), ")");
      case 3: case 4: return caseExpr(D, s, d);
      case 5: return n(D, "COALESCE(", expr(D, s, d - 1), ", ", literal(D), ")");
      case 6: return n(D, any("GREATEST(", "LEAST("), expr(D, s, d - 1), ", ", expr(D, s, d - 1), ")");
      case 7: if (s.sub) { return scalarSub(D, s); } // fall through
      default: return atom(D, s);
    }
  }

  private Node caseExpr(T t, Scope s, int d) {
    boolean literals = t == T.TEXT && p(0.6);
    if (p(0.75)) {
      List<Object> pieces = new ArrayList<>(List.of("CASE WHEN ", cond(s, d - 1), " THEN ",
          literals ? literal(t) : expr(t, s, d - 1)));
      if (p(0.3)) {
        pieces.addAll(List.of(" WHEN ", cond(s, d - 1), " THEN ", literals ? literal(t) : expr(t, s, d - 1)));
      }
      if (p(0.75)) {
        pieces.addAll(List.of(" ELSE ", literals ? literal(t) : expr(t, s, d - 1)));
      }
      pieces.add(" END");
      return n(t, pieces.toArray());
    }
    T on = any(T.INT, T.TEXT);
    List<Object> pieces = new ArrayList<>(List.of("CASE ", expr(on, s, d - 1), " WHEN ", literal(on), " THEN ",
        literals ? literal(t) : expr(t, s, d - 1), " WHEN ", literal(on), " THEN ", literals ? literal(t) : expr(t, s, d - 1)));
    if (p(0.7)) {
      pieces.addAll(List.of(" ELSE ", literals ? literal(t) : expr(t, s, d - 1)));
    }
    pieces.add(" END");
    return n(t, pieces.toArray());
  }

  private static final String[] CMP = {"=", "<>", "<", "<=", ">", ">=", "=", "<>", "!="};

  /** A BOOLEAN expression (three-valued: NULLs come from the data, CASE without ELSE, typed NULLs). */
  Node cond(Scope s, int d) {
    T B = T.BOOL;
    if (d <= 0) {
      return p(0.3) ? atom(B, s) : comparison(s, 0);
    }
    switch (r.nextInt(22)) {
      case 0: case 1: case 2: case 3: case 4: return comparison(s, d - 1);
      case 5: case 6: return n(B, "(", cond(s, d - 1), " AND ", cond(s, d - 1), ")");
      case 7: case 8: return n(B, "(", cond(s, d - 1), " OR ", cond(s, d - 1), ")");
      case 9: return n(B, "(NOT (", cond(s, d - 1), "))");
      case 10: return n(B, "(", expr(anyType(), s, d - 1), any(" IS NULL", " IS NOT NULL"), ")");
      case 11: {
        T t = any(T.INT, T.NUM, T.DATE, T.TEXT);
        return n(B, "(", expr(t, s, d - 1), any(" BETWEEN ", " NOT BETWEEN "), literal(t), " AND ", literal(t), ")");
      }
      case 12: {
        T t = any(T.INT, T.NUM, T.DATE, T.TEXT);
        List<Object> pieces = new ArrayList<>(List.of("(", expr(t, s, d - 1), any(" IN (", " NOT IN (", " IN (")));
        int k = 1 + r.nextInt(4);
        for (int i = 0; i < k; i++) {
          pieces.add(i == 0 ? "" : ", ");
          pieces.add(p(0.12) ? leaf(t, "NULL") : literal(t));
        }
        pieces.add("))");
        return n(B, pieces.toArray());
      }
      case 13: case 14: return n(B, "(", expr(T.TEXT, s, d - 1), any(" LIKE ", " LIKE ", " NOT LIKE ", " ILIKE "),
          leaf(T.TEXT, any("'a%'", "'%n'", "'%e%'", "'_o%'", "'A%'", "'%'", "''", "'ann'", "'%a_'", "'x\\_y'",
              "'50\\%'", "'% %'", "'S%'", "'%s'", "'__'")), ")");
      case 15: return n(B, "(", atom(B, s), any(" IS TRUE", " IS NOT TRUE", " IS FALSE", " IS NOT FALSE",
          " IS UNKNOWN", " IS NOT UNKNOWN"), ")");
      case 16: {
        T t = valueType();
        return n(B, "(", expr(t, s, d - 1), any(" IS DISTINCT FROM ", " IS NOT DISTINCT FROM "), expr(t, s, d - 1), ")");
      }
      case 17: case 18: if (s.sub) { return exists(s); } // fall through
      case 19: if (s.sub) { return inSub(s); } // fall through
      default: return p(0.5) ? atom(B, s) : comparison(s, d - 1);
    }
  }

  private Node comparison(Scope s, int d) {
    T t = any(T.INT, T.INT, T.NUM, T.NUM, T.DBL, T.TEXT, T.DATE, T.DATE, T.BOOL);
    String op = t == T.BOOL ? any(" = ", " <> ") : " " + any(CMP) + " ";
    Node left = expr(t, s, d);
    Node right;
    if (t == T.DATE && p(0.25)) {
      right = leaf(t, "'" + String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", 1995 + r.nextInt(32),
          1 + r.nextInt(12), 1 + r.nextInt(28)) + "'");
    } else if (p(0.5)) {
      right = literal(t);
    } else {
      T rt = t;
      if (t == T.NUM && p(0.3)) {
        rt = any(T.INT, T.DBL);
      } else if (t == T.INT && p(0.3)) {
        rt = T.NUM;
      }
      right = expr(rt, s, d);
    }
    return n(T.BOOL, "(", left, op, right, ")");
  }

  // ---------------------------------------------------------------- sub-queries

  /** A table to read in a sub-query and how it relates to the outer row ("" for none). */
  private record Inner(Table table, String corr, boolean byKey) {}

  private List<Inner> inners(Scope s) {
    List<Inner> out = new ArrayList<>();
    for (Table o : s.tables) {
      String a = o.alias;
      switch (o.name) {
        case "emp" -> {
          out.add(new Inner(TASK.as("t2"), "t2.emp_id = " + a + ".id", false));
          out.add(new Inner(DEPT.as("d2"), "d2.id = " + a + ".dept_id", true));
          out.add(new Inner(EMP.as("e2"), "e2.dept_id = " + a + ".dept_id", false));
        }
        case "dept" -> out.add(new Inner(EMP.as("e2"), "e2.dept_id = " + a + ".id", false));
        case "task" -> {
          out.add(new Inner(EMP.as("e2"), "e2.id = " + a + ".emp_id", true));
          out.add(new Inner(TASK.as("t2"), "t2.emp_id = " + a + ".emp_id", false));
        }
        default -> throw new AssertionError(o);
      }
    }
    out.add(new Inner(EMP.as("e2"), "", false));
    out.add(new Inner(DEPT.as("d2"), "", false));
    out.add(new Inner(TASK.as("t2"), "", false));
    return out;
  }

  private List<Object> whereOf(Inner in, Scope inner, boolean forceCond) {
    List<Object> out = new ArrayList<>();
    boolean withCond = forceCond || p(0.5);
    if (in.corr.isEmpty() && !withCond) {
      return out;
    }
    out.add(" WHERE ");
    if (!in.corr.isEmpty()) {
      out.add(in.corr);
      if (withCond) {
        out.add(" AND ");
      }
    }
    if (withCond) {
      out.add(cond(inner, 1));
    }
    return out;
  }

  /** A scalar sub-query: an aggregate of a related table, or a column of the row a foreign key names. */
  Node scalarSub(T t, Scope s) {
    Inner in = anyOf(inners(s));
    Scope inner = new Scope(List.of(in.table), false);
    List<Object> pieces = new ArrayList<>();
    pieces.add("(SELECT ");
    if (in.byKey && p(0.5) && !inner.cols(t).isEmpty()) {
      pieces.add(anyOf(inner.cols(t)));
    } else {
      pieces.add(aggCall(t, inner));
    }
    pieces.add(" FROM " + in.table.name + " " + in.table.alias);
    pieces.addAll(whereOf(in, inner, false));
    pieces.add(")");
    return n(t, pieces.toArray());
  }

  Node exists(Scope s) {
    Inner in = anyOf(inners(s));
    Scope inner = new Scope(List.of(in.table), false);
    List<Object> pieces = new ArrayList<>();
    pieces.add(any("EXISTS (", "NOT EXISTS (", "EXISTS ("));
    pieces.add("SELECT 1 FROM " + in.table.name + " " + in.table.alias);
    pieces.addAll(whereOf(in, inner, in.corr.isEmpty()));
    pieces.add(")");
    return n(T.BOOL, pieces.toArray());
  }

  Node inSub(Scope s) {
    T t = any(T.INT, T.INT, T.TEXT, T.DATE, T.NUM);
    Table tb = any(EMP.as("e2"), DEPT.as("d2"), TASK.as("t2"));
    Scope inner = new Scope(List.of(tb), false);
    List<Node> cs = inner.cols(t);
    List<Object> pieces = new ArrayList<>(List.of("(", expr(t, s.noSub(), 1), any(" IN (", " NOT IN (", " IN ("),
        "SELECT ", anyOf(cs), " FROM " + tb.name + " " + tb.alias));
    if (p(0.7)) {
      pieces.add(" WHERE ");
      pieces.add(cond(inner, 1));
    }
    pieces.add("))");
    return n(T.BOOL, pieces.toArray());
  }

  // ---------------------------------------------------------------- aggregates

  Node aggCall(T t, Scope s) {
    Scope a = s.noSub();
    switch (t) {
      case INT:
        switch (r.nextInt(6)) {
          case 0: return leaf(t, "COUNT(*)");
          case 1: return n(t, "COUNT(", expr(anyType(), a, 1), ")");
          case 2: return n(t, "COUNT(DISTINCT ", expr(anyType(), a, 1), ")");
          case 3: return n(t, "SUM(", expr(T.INT, a, 1), ")");
          default: return n(t, any("MIN(", "MAX("), expr(T.INT, a, 1), ")");
        }
      case NUM:
        switch (r.nextInt(6)) {
          case 0: case 1: return n(t, "SUM(", expr(T.NUM, a, 1), ")");
          case 2: return n(t, "AVG(", expr(T.NUM, a, 1), ")");
          case 3: return n(t, "AVG(", expr(T.INT, a, 1), ")");
          case 4: return n(t, "SUM(DISTINCT ", expr(T.NUM, a, 0), ")");
          default: return n(t, any("MIN(", "MAX("), expr(T.NUM, a, 1), ")");
        }
      case DBL:
        return n(t, any("SUM(", "AVG(", "MIN(", "MAX("), expr(T.DBL, a, 1), ")");
      case TEXT:
      case DATE:
        return n(t, any("MIN(", "MAX("), expr(t, a, 1), ")");
      case BOOL:
        return n(t, any("bool_and(", "bool_or(", "every("), expr(T.BOOL, a, 1), ")");
      default:
        throw new AssertionError(t);
    }
  }

  /** An expression over aggregates and grouping keys. */
  Node aexpr(T t, Scope s, List<Node> keys, int d) {
    List<Node> ks = new ArrayList<>();
    for (Node k : keys) {
      if (k.type == t) {
        ks.add(k);
      }
    }
    if (t == T.BOOL) {
      return acond(s, keys, d);
    }
    if (d <= 0 || p(0.5)) {
      return !ks.isEmpty() && p(0.3) ? anyOf(ks) : aggCall(t, s);
    }
    switch (r.nextInt(5)) {
      case 0:
        return switch (t) {
          case INT, NUM, DBL -> n(t, "(", aexpr(t, s, keys, d - 1), " + ", aexpr(t, s, keys, d - 1), ")");
          case TEXT -> n(t, "(", aexpr(t, s, keys, d - 1), " || ", aexpr(t, s, keys, d - 1), ")");
          default -> n(t, "(", aexpr(t, s, keys, d - 1), " + ", leaf(T.INT, "10"), ")");
        };
      case 1:
        return switch (t) {
          case INT -> n(t, "(", aexpr(t, s, keys, d - 1), " * ", leaf(t, any("2", "-1", "3")), ")");
          case NUM -> p(0.5) ? n(t, "round(", aexpr(t, s, keys, d - 1), ", 2)")
              : n(t, "(", aexpr(t, s, keys, d - 1), " / ", leaf(T.INT, any("2", "4")), ")");
          case DBL -> n(t, "(", aexpr(t, s, keys, d - 1), " * ", leaf(T.INT, "2"), ")");
          case TEXT -> n(t, "upper(", aexpr(t, s, keys, d - 1), ")");
          default -> n(t, "(", aexpr(t, s, keys, d - 1), " - ", leaf(T.INT, "1"), ")");
        };
      case 2:
        return n(t, "COALESCE(", aexpr(t, s, keys, d - 1), ", ", literal(t), ")");
      case 3:
        return n(t, "CASE WHEN ", acond(s, keys, d - 1), " THEN ", aexpr(t, s, keys, d - 1), " ELSE ",
            aexpr(t, s, keys, d - 1), " END");
      default:
        return aggCall(t, s);
    }
  }

  Node acond(Scope s, List<Node> keys, int d) {
    T B = T.BOOL;
    if (d > 0 && p(0.3)) {
      return switch (r.nextInt(3)) {
        case 0 -> n(B, "(", acond(s, keys, d - 1), " AND ", acond(s, keys, d - 1), ")");
        case 1 -> n(B, "(", acond(s, keys, d - 1), " OR ", acond(s, keys, d - 1), ")");
        default -> n(B, "(NOT (", acond(s, keys, d - 1), "))");
      };
    }
    if (p(0.1)) {
      return aggCall(B, s);
    }
    T t = any(T.INT, T.INT, T.NUM, T.NUM, T.DBL, T.TEXT, T.DATE);
    Node left = aexpr(t, s, keys, Math.max(0, d - 1));
    if (p(0.15)) {
      return n(B, "(", left, any(" IS NULL", " IS NOT NULL"), ")");
    }
    Node right = p(0.6) ? literal(t) : aexpr(t, s, keys, Math.max(0, d - 1));
    return n(B, "(", left, " " + any(CMP) + " ", right, ")");
  }

  // ---------------------------------------------------------------- whole queries

  Sel query() {
    double x = r.nextDouble();
    Sel q;
    if (x < 0.55) {
      q = plain();
    } else if (x < 0.77) {
      q = grouped(true);
    } else if (x < 0.85) {
      q = grouped(false);
    } else {
      q = setOperation();
    }
    orderAndLimit(q);
    return q;
  }

  private Sel base() {
    Sel q = new Sel();
    q.from = from();
    if (q.from.commaJoin != null) {
      q.where.add(leaf(T.BOOL, q.from.commaJoin));
    }
    Scope s = new Scope(q.from.tables, true);
    if (q.from.extraOn && p(0.25)) {
      Table last = q.from.tables.get(q.from.tables.size() - 1);
      q.on = cond(p(0.7) ? new Scope(List.of(last), false) : s.noSub(), 1);
    }
    int w = r.nextInt(4);
    for (int i = 0; i < w; i++) {
      q.where.add(cond(s, 1 + r.nextInt(3)));
    }
    return q;
  }

  Sel plain() {
    Sel q = base();
    Scope s = new Scope(q.from.tables, true);
    int k = 1 + r.nextInt(4);
    for (int i = 0; i < k; i++) {
      q.items.add(expr(anyType(), s, r.nextInt(4)));
    }
    q.distinct = p(0.15);
    return q;
  }

  Sel grouped(boolean withKeys) {
    Sel q = base();
    Scope s = new Scope(q.from.tables, false);
    List<Node> keys = new ArrayList<>();
    if (withKeys) {
      int nk = 1 + r.nextInt(2);
      for (int i = 0; i < nk; i++) {
        Node key;
        do {
          key = expr(any(T.INT, T.INT, T.NUM, T.TEXT, T.TEXT, T.BOOL, T.DATE), s, r.nextInt(2));
        } while (!hasColumn(key));
        keys.add(key);
      }
      q.groupBy.addAll(keys);
      for (Node key : keys) {
        if (p(0.8)) {
          q.items.add(key);
        }
      }
      q.groupOrdinals = p(0.2);
    }
    int na = 1 + r.nextInt(3);
    for (int i = 0; i < na; i++) {
      q.items.add(aexpr(anyType(), s, keys, r.nextInt(3)));
    }
    Collections.shuffle(q.items, r);
    if (p(withKeys ? 0.35 : 0.1)) {
      int nh = 1 + r.nextInt(2);
      for (int i = 0; i < nh; i++) {
        q.having.add(acond(s, keys, 1));
      }
    }
    return q;
  }

  Sel setOperation() {
    int k = 1 + r.nextInt(3);
    List<T> types = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      types.add(anyType());
    }
    Sel left = branch(types);
    left.setOp = any("UNION", "UNION ALL", "INTERSECT", "EXCEPT", "INTERSECT ALL", "EXCEPT ALL", "UNION");
    left.right = branch(types);
    return left;
  }

  private Sel branch(List<T> types) {
    Sel q = base();
    if (p(0.2)) {
      Scope s = new Scope(q.from.tables, false);
      for (T t : types) {
        q.items.add(aexpr(t, s, List.of(), 1));
      }
      return q;
    }
    Scope s = new Scope(q.from.tables, true);
    for (T t : types) {
      q.items.add(expr(t, s, r.nextInt(3)));
    }
    q.distinct = p(0.1);
    return q;
  }

  private void orderAndLimit(Sel q) {
    int n = q.items.size();
    double x = r.nextDouble();
    if (x < 0.4) {
      List<Integer> cols = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        cols.add(i);
      }
      Collections.shuffle(cols, r);
      for (int c : cols) {
        q.order.add(new Ord(c, p(0.4), p(0.15) ? any(" NULLS FIRST", " NULLS LAST") : "", p(0.3)));
      }
      if (p(0.6)) {
        q.limit = any(0, 1, 3, 5, 10, 20, 50);
        q.fetchFirst = p(0.15);
      }
      if (p(0.2)) {
        q.offset = 1 + r.nextInt(5);
      }
    } else if (x < 0.5 && n > 1) {
      q.order.add(new Ord(r.nextInt(n), p(0.4), p(0.15) ? any(" NULLS FIRST", " NULLS LAST") : "", p(0.3)));
    } else if (x < 0.56 && q.setOp == null && !q.distinct && q.groupBy.isEmpty() && !isAggregate(q)) {
      q.orderExpr = anyOf(new Scope(q.from.tables, false).cols(anyType()));
    }
  }

  private static final java.util.regex.Pattern AGGREGATE =
      java.util.regex.Pattern.compile("\\b(COUNT|SUM|AVG|MIN|MAX|bool_and|bool_or|every)\\(");

  private static boolean isAggregate(Sel q) {
    return !q.groupBy.isEmpty() || !q.having.isEmpty()
        || q.items.stream().anyMatch(i -> AGGREGATE.matcher(i.sql()).find());
  }

  // ---------------------------------------------------------------- shrinking

  /** Smaller variants of a query, biggest cuts first; the caller keeps the first that fails the same way. */
  static List<Sel> shrinks(Sel s) {
    List<Sel> out = new ArrayList<>();
    if (s.setOp != null) {
      Sel l = s.copy();
      l.setOp = null;
      l.right = null;
      out.add(l);
      Sel rr = s.right.copy();
      rr.order = new ArrayList<>(s.order);
      rr.limit = s.limit;
      rr.offset = s.offset;
      rr.fetchFirst = s.fetchFirst;
      out.add(rr);
    }
    if (s.limit >= 0 || s.offset >= 0) {
      Sel c = s.copy();
      c.limit = -1;
      c.offset = -1;
      out.add(c);
    }
    if (!s.order.isEmpty() || s.orderExpr != null) {
      Sel c = s.copy();
      c.order.clear();
      c.orderExpr = null;
      out.add(c);
    }
    if (s.distinct) {
      Sel c = s.copy();
      c.distinct = false;
      out.add(c);
    }
    if (s.on != null) {
      Sel c = s.copy();
      c.on = null;
      out.add(c);
    }
    if (s.from.tables.size() > 1) {
      for (From f : FROMS) {
        if (f.tables.size() < s.from.tables.size() && s.from.tables.containsAll(f.tables)) {
          Sel c = s.copy();
          c.from = f;
          c.on = null;
          out.add(c);
        }
      }
    }
    for (int i = 0; i < s.where.size(); i++) {
      Sel c = s.copy();
      c.where.remove(i);
      out.add(c);
    }
    for (int i = 0; i < s.having.size(); i++) {
      Sel c = s.copy();
      c.having.remove(i);
      out.add(c);
    }
    if (!s.groupBy.isEmpty()) {
      for (int i = 0; i < s.groupBy.size(); i++) {
        Sel c = s.copy();
        Node key = c.groupBy.remove(i);
        int at = indexOfIdentical(c.items, key);
        if (at >= 0 && c.items.size() > 1) {
          removeItem(c, at);
        }
        out.add(c);
      }
      if (s.groupOrdinals) {
        Sel c = s.copy();
        c.groupOrdinals = false;
        out.add(c);
      }
    }
    if (s.items.size() > 1) {
      for (int i = 0; i < s.items.size(); i++) {
        Sel c = s.copy();
        removeItem(c, i);
        out.add(c);
      }
    }
    // sub-expressions
    for (int i = 0; i < s.items.size(); i++) {
      Node item = s.items.get(i);
      boolean key = indexOfIdentical(s.groupBy, item) >= 0;
      for (Node x : nodeShrinks(item)) {
        if (key && !hasColumn(x)) {
          continue; // GROUP BY 1 would name an output column
        }
        Sel c = s.copy();
        c.items.set(i, x);
        if (key) {
          c.groupBy.set(indexOfIdentical(c.groupBy, item), x);
        }
        out.add(c);
      }
    }
    if (s.right != null) {
      for (Sel x : shrinks(s.right)) {
        if (x.items.size() == s.right.items.size() && x.setOp == null) {
          Sel c = s.copy();
          c.right = x;
          out.add(c);
        }
      }
    }
    addNodeShrinks(out, s, q -> q.where);
    addNodeShrinks(out, s, q -> q.having);
    for (int i = 0; i < s.groupBy.size(); i++) {
      if (indexOfIdentical(s.items, s.groupBy.get(i)) < 0) {
        for (Node x : nodeShrinks(s.groupBy.get(i))) {
          if (!hasColumn(x)) {
            continue;
          }
          Sel c = s.copy();
          c.groupBy.set(i, x);
          out.add(c);
        }
      }
    }
    if (s.on != null) {
      for (Node x : nodeShrinks(s.on)) {
        Sel c = s.copy();
        c.on = x;
        out.add(c);
      }
    }
    return out;
  }

  private static void addNodeShrinks(List<Sel> out, Sel s, java.util.function.Function<Sel, List<Node>> slot) {
    List<Node> nodes = slot.apply(s);
    for (int i = 0; i < nodes.size(); i++) {
      for (Node x : nodeShrinks(nodes.get(i))) {
        Sel c = s.copy();
        slot.apply(c).set(i, x);
        out.add(c);
      }
    }
  }

  /** Removes an output column (on both sides of a set operation), renumbering the ORDER BY. */
  static void removeItem(Sel c, int i) {
    c.items.remove(i);
    if (c.right != null) {
      c.right.items.remove(i);
    }
    List<Ord> order = new ArrayList<>();
    for (Ord o : c.order) {
      if (o.col != i) {
        order.add(new Ord(o.col > i ? o.col - 1 : o.col, o.desc, o.nulls, o.byAlias));
      }
    }
    c.order = order;
  }

  static List<Node> nodeShrinks(Node n) {
    List<Node> out = new ArrayList<>();
    for (Node k : n.kids) {
      if (k.type == n.type) {
        out.add(k);
      }
    }
    if (!n.leaf) {
      out.add(simplest(n.type));
    }
    for (int i = 0; i < n.kids.length; i++) {
      for (Node x : nodeShrinks(n.kids[i])) {
        out.add(n.with(i, x));
      }
    }
    return out;
  }
}
