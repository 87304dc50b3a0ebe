package io.accrete.sql;

import io.accrete.AccreteException;
import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.Symbol;
import io.accrete.edn.Edn;
import io.accrete.edn.EdnException;
import io.accrete.edn.EdnList;
import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.TableFunction;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.TableFunctionImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code datalog(query [, input …])}: a Datalog query as a table in FROM, run on the database value
 * the statement reads (its moment, {@code AS OF} included), so SQL can join a rule's or a graph
 * query's rows with tables. Inputs after the database are EDN texts ({@code :in $ ?name} takes
 * {@code '"Ridley Scott"'}; rules are {@code %}).
 *
 * <p>Columns are the {@code :find} elements, named after their variables ({@code ?title} →
 * {@code title}, {@code (count ?e)} → {@code count_e}). A variable in entity position is a BIGINT
 * entity id, one in value position of an attribute has the attribute's SQL type, a count is a
 * BIGINT; anything else is text (EDN, strings as they are). Public only for Calcite's generated
 * code.
 */
public final class DatalogFunction {
  private DatalogFunction() {}

  /** The table function of each arity (0 to 3 inputs), to register as {@code datalog}. */
  static List<TableFunction> functions() {
    List<TableFunction> out = new ArrayList<>();
    for (int inputs = 0; inputs <= 3; inputs++) {
      Class<?>[] types = new Class<?>[inputs + 1];
      java.util.Arrays.fill(types, String.class);
      try {
        out.add(TableFunctionImpl.create(DatalogFunction.class.getMethod("datalog", types)));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("DatalogFunction lost datalog/" + (inputs + 1), e);
      }
    }
    return out;
  }

  /** The table function {@code fulltext(table, column, search)}, to register as {@code fulltext}. */
  static TableFunction fulltextFunction() {
    try {
      return TableFunctionImpl.create(DatalogFunction.class.getMethod("fulltext", String.class, String.class,
          String.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("DatalogFunction lost fulltext/3", e);
    }
  }

  /**
   * {@code fulltext('movie', 'title', 'alien')}: the rows of a {@code :db/fulltext} column whose
   * text matches a search (Lucene's syntax, as Datalog's {@code fulltext}), as
   * {@code (id, <column>, score)}; join {@code id} to the table's {@code db__id}.
   */
  public static ScannableTable fulltext(String table, String column, String search) {
    return new FulltextResult(table, column, search);
  }

  /** {@code fulltext(…)}: the Datalog query it stands for, made against the database at hand. */
  private static final class FulltextResult extends AbstractTable implements ScannableTable {
    private final String table;
    private final String column;
    private final String search;

    FulltextResult(String table, String column, String search) {
      this.table = table;
      this.column = column;
      this.search = search;
    }

    private Result resolve(Database db) {
      Attribute attr = null;
      if (db != null && table != null && column != null) {
        // The mapping's naming rule backwards: a table is a namespace, a column an attribute name.
        String t = table.toLowerCase(java.util.Locale.ROOT);
        String c = column.toLowerCase(java.util.Locale.ROOT);
        for (Keyword k : new Keyword[] {Keyword.of(t, c), Keyword.of(t.replace('_', '-'), c.replace('_', '-')),
            Keyword.of(t, c.replace('_', '-'))}) {
          attr = attr != null ? attr : db.attribute(k);
        }
      }
      if (attr == null || !attr.isFulltext()) {
        throw new AccreteSqlException("42703", "fulltext: " + table + "." + column + " is not a full-text column"
            + (attr == null ? "" : " (its attribute " + attr.ident() + " is not :db/fulltext true)"));
      }
      String var = "?" + column.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
      String query = "[:find ?id " + var + " ?score :in $ ?search :where [(fulltext $ " + attr.ident()
          + " ?search) [[?id " + var + " _ ?score]]]]";
      return new Result(query, List.of(Edn.print(search == null ? "" : search)));
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
      SqlSession session = PLANNING.get();
      return resolve(session == null ? null : session.latest()).getRowType(f);
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return resolve(SequenceFunctions.session(root).latest()).scan(root);
    }
  }

  /** Runs {@code query} on the statement's database. */
  public static ScannableTable datalog(String query) {
    return new Result(query, List.of());
  }

  /** Runs {@code query} with one input. */
  public static ScannableTable datalog(String query, String in1) {
    return new Result(query, List.of(in1));
  }

  /** Runs {@code query} with two inputs. */
  public static ScannableTable datalog(String query, String in1, String in2) {
    return new Result(query, List.of(in1, in2));
  }

  /** Runs {@code query} with three inputs. */
  public static ScannableTable datalog(String query, String in1, String in2, String in3) {
    return new Result(query, List.of(in1, in2, in3));
  }

  /** The session planning the statement on this thread: column types come from its schema. */
  static final ThreadLocal<SqlSession> PLANNING = new ThreadLocal<>();

  /** A find element: its column name, and the attribute type its values have, or null for text. */
  private record Element(String name, SqlTypeName sql, ValueType type) {}

  private static final class Result extends AbstractTable implements ScannableTable {
    private final String text;
    private final List<String> inputs;
    private final Object query;

    Result(String text, List<String> inputs) {
      this.text = text;
      this.inputs = inputs;
      this.query = read(text, "query");
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
      SqlSession session = PLANNING.get();
      RelDataTypeFactory.Builder b = f.builder();
      for (Element e : elements(session == null ? null : session.latest())) {
        b.add(e.name(), f.createTypeWithNullability(e.sql() == SqlTypeName.DECIMAL
            ? SqlTypes.unconstrainedDecimal(f) : f.createSqlType(e.sql()), true));
      }
      return b.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      SqlSession session = SequenceFunctions.session(root);
      Database db = session.view(root, null, "datalog");
      List<Element> elements = elements(session.latest());
      List<Object> args = new ArrayList<>();
      args.add(db);
      for (int i = 0; i < inputs.size(); i++) {
        args.add(read(inputs.get(i), "input " + (i + 1)));
      }
      Object result;
      try {
        result = Peer.q(query, args.toArray());
      } catch (AccreteException | IllegalArgumentException e) {
        throw new AccreteSqlException("22023", "datalog: " + e.getMessage(), e);
      }
      Cancellation cancel = Cancellation.of(root, session);
      cancel.check();
      List<Object[]> rows = new ArrayList<>();
      for (List<?> tuple : tuples(result, elements.size())) {
        Object[] row = new Object[elements.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = sqlValue(elements.get(i), tuple.get(i));
        }
        rows.add(row);
      }
      return Linq4j.asEnumerable(rows);
    }

    /** The result's rows, whatever the find's shape (relation, collection, tuple, scalar). */
    private List<List<?>> tuples(Object result, int width) {
      List<List<?>> out = new ArrayList<>();
      if (result == null) {
        return out;
      }
      FindShape shape = shape(query);
      switch (shape) {
        case SCALAR -> out.add(java.util.Collections.singletonList(result));
        case TUPLE -> out.add((List<?>) result);
        case COLLECTION -> {
          for (Object x : (Collection<?>) result) {
            out.add(java.util.Collections.singletonList(x));
          }
        }
        default -> {
          for (Object x : (Collection<?>) result) {
            out.add(x instanceof List<?> l ? l : List.of(x));
          }
        }
      }
      return out;
    }

    private static Object sqlValue(Element e, Object v) {
      if (v == null) {
        return null;
      }
      if (e.sql() == SqlTypeName.VARCHAR) {
        return SqlTypes.display(v);
      }
      if (e.sql() == SqlTypeName.BIGINT && v instanceof Number n) {
        return n.longValue();
      }
      if (e.type() != null && ValueType.ofValue(v) == e.type()) {
        return SqlTypes.toSql(e.type(), v);
      }
      throw new AccreteSqlException("22023", "datalog: a value of " + e.name() + " (" + SqlTypes.display(v)
          + ") is not " + e.sql() + "; the schema changed while the statement ran: run it again");
    }

    /** The columns of the find, typed from the attributes of the database. */
    private List<Element> elements(Database db) {
      List<Object> find = find(query);
      Map<Symbol, Object[]> typed = variableTypes(query, db);
      SqlNames.Unique names = new SqlNames.Unique();
      List<Element> out = new ArrayList<>();
      for (Object f : find) {
        if (f instanceof Symbol s && s.name().startsWith("?")) {
          Object[] t = typed.get(s);
          out.add(new Element(names.claim(SqlNames.of(s.name().substring(1))),
              t == null ? SqlTypeName.VARCHAR : (SqlTypeName) t[0], t == null ? null : (ValueType) t[1]));
        } else if (f instanceof EdnList call && !call.isEmpty() && call.get(0) instanceof Symbol fn) {
          String arg = call.size() > 1 && call.get(call.size() - 1) instanceof Symbol v ? v.name().replace("?", "") : "";
          String name = names.claim(SqlNames.of(fn.name() + (arg.isEmpty() ? "" : "_" + arg)));
          Object[] argType = call.size() > 1 ? typed.get(call.get(call.size() - 1)) : null;
          out.add(switch (fn.name()) {
            case "count", "count-distinct" -> new Element(name, SqlTypeName.BIGINT, null);
            case "min", "max" -> argType == null ? new Element(name, SqlTypeName.VARCHAR, null)
                : new Element(name, (SqlTypeName) argType[0], (ValueType) argType[1]);
            case "sum" -> argType != null && argType[1] == ValueType.LONG ? new Element(name, SqlTypeName.BIGINT, null)
                : new Element(name, SqlTypeName.VARCHAR, null);
            default -> new Element(name, SqlTypeName.VARCHAR, null);
          });
        } else {
          out.add(new Element(names.claim("col" + (out.size() + 1)), SqlTypeName.VARCHAR, null));
        }
      }
      return out;
    }
  }

  private enum FindShape { RELATION, COLLECTION, TUPLE, SCALAR }

  private static final Keyword FIND = Keyword.of(null, "find");
  private static final Keyword WHERE = Keyword.of(null, "where");

  private static Object read(String text, String what) {
    try {
      return Edn.read(text);
    } catch (EdnException e) {
      throw new AccreteSqlException("22023", "datalog: the " + what + " is not EDN: " + e.getMessage(), e);
    }
  }

  /** The clauses under {@code key}, in the list form ({@code [:find … :where …]}) or the map form. */
  private static List<Object> section(Object query, Keyword key) {
    if (query instanceof Map<?, ?> m) {
      return m.get(key) instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }
    if (!(query instanceof List<?> l)) {
      throw new AccreteSqlException("22023", "datalog: a query is a vector such as [:find ?e :where …], not "
          + SqlTypes.display(query));
    }
    List<Object> out = new ArrayList<>();
    boolean in = false;
    for (Object x : l) {
      if (x instanceof Keyword k) {
        in = k.equals(key);
      } else if (in) {
        out.add(x);
      }
    }
    return out;
  }

  private static FindShape shape(Object query) {
    List<Object> find = section(query, FIND);
    if (find.size() == 2 && find.get(1) instanceof Symbol dot && dot.name().equals(".")) {
      return FindShape.SCALAR;
    }
    if (find.size() == 1 && find.get(0) instanceof List<?> v && !(v instanceof EdnList)) { // a vector, not (count ?x)
      return v.size() == 2 && v.get(1) instanceof Symbol dots && dots.name().equals("...")
          ? FindShape.COLLECTION : FindShape.TUPLE;
    }
    return FindShape.RELATION;
  }

  /** The find's elements, the collection or tuple form unwrapped. */
  private static List<Object> find(Object query) {
    List<Object> find = section(query, FIND);
    return switch (shape(query)) {
      case SCALAR -> List.of(find.get(0));
      case COLLECTION -> List.of(((List<?>) find.get(0)).get(0));
      case TUPLE -> new ArrayList<>((List<?>) find.get(0));
      default -> find;
    };
  }

  /**
   * Per variable: its SQL type and attribute value type, from the data patterns that bind it
   * ({@code [?e :attr ?v]}: ?e an entity id, ?v the attribute's type).
   */
  private static Map<Symbol, Object[]> variableTypes(Object query, Database db) {
    Map<Symbol, Object[]> out = new HashMap<>();
    for (Object clause : section(query, WHERE)) {
      if (clause instanceof List<?> f && !(f instanceof EdnList) && f.size() == 2 && f.get(0) instanceof EdnList call
          && !call.isEmpty() && Symbol.intern("fulltext").equals(call.get(0))
          && f.get(1) instanceof List<?> rel && rel.size() == 1 && rel.get(0) instanceof List<?> tuple) {
        // [(fulltext $ :attr "q") [[?e ?value ?tx ?score]]]
        SqlTypeName[] kinds = {SqlTypeName.BIGINT, SqlTypeName.VARCHAR, SqlTypeName.BIGINT, SqlTypeName.DOUBLE};
        for (int i = 0; i < Math.min(tuple.size(), kinds.length); i++) {
          if (tuple.get(i) instanceof Symbol v && v.name().startsWith("?")) {
            out.putIfAbsent(v, new Object[] {kinds[i], kinds[i] == SqlTypeName.DOUBLE ? ValueType.DOUBLE : null});
          }
        }
        continue;
      }
      if (!(clause instanceof List<?> p) || p.isEmpty() || p instanceof EdnList) {
        continue; // a rule call or an expression: its variables stay text unless a pattern types them
      }
      List<?> pattern = p.get(0) instanceof Symbol src && src.name().startsWith("$") ? p.subList(1, p.size()) : p;
      if (pattern.size() < 2 || pattern.get(0) instanceof List) {
        continue;
      }
      if (pattern.get(0) instanceof Symbol e && e.name().startsWith("?")) {
        out.putIfAbsent(e, new Object[] {SqlTypeName.BIGINT, null});
      }
      if (pattern.size() >= 3 && pattern.get(1) instanceof Keyword attr && pattern.get(2) instanceof Symbol v
          && v.name().startsWith("?") && db != null) {
        Attribute a = db.attribute(attr);
        if (a != null && a.type() != ValueType.TUPLE) {
          ValueType t = a.type();
          SqlTypeName sql = switch (t) {
            case LONG, REF -> SqlTypeName.BIGINT;
            case DOUBLE -> SqlTypeName.DOUBLE;
            case FLOAT -> SqlTypeName.REAL;
            case BOOLEAN -> SqlTypeName.BOOLEAN;
            case INSTANT -> SqlTypeName.TIMESTAMP;
            case BIGDEC -> SqlTypeName.DECIMAL;
            default -> SqlTypeName.VARCHAR;
          };
          out.put(v, new Object[] {sql, sql == SqlTypeName.VARCHAR || sql == SqlTypeName.BIGINT ? null : t});
        }
      }
    }
    return out;
  }
}
