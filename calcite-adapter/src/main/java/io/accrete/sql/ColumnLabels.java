package io.accrete.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.fun.SqlCase;

/**
 * The names PostgreSQL gives result columns the query left unnamed, where Calcite says
 * {@code EXPR$0}: a function's name ({@code count}, {@code upper}), a cast's operand's name or
 * else its type's ({@code int4}, {@code text}), {@code case}, {@code exists}, and {@code ?column?}
 * for operators and literals — what a client shows as the header. Only the labels change; the
 * query's meaning (ORDER BY and GROUP BY names) is Calcite's, untouched.
 */
final class ColumnLabels {
  private ColumnLabels() {}

  /** The labels of the statement being prepared on this thread: the first parse's (views parse later). */
  private static final ThreadLocal<List<String>[]> PREPARING = new ThreadLocal<>();

  private static final String UNNAMED = "?column?";

  /** PostgreSQL's names of SQL's type names, as a cast's column shows them. */
  private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("INTEGER", "int4"),
      Map.entry("INT", "int4"), Map.entry("BIGINT", "int8"), Map.entry("SMALLINT", "int2"),
      Map.entry("TINYINT", "int2"), Map.entry("DOUBLE", "float8"), Map.entry("FLOAT", "float8"),
      Map.entry("REAL", "float4"), Map.entry("BOOLEAN", "bool"), Map.entry("DECIMAL", "numeric"),
      Map.entry("NUMERIC", "numeric"), Map.entry("CHAR", "bpchar"), Map.entry("VARCHAR", "varchar"),
      Map.entry("VARBINARY", "bytea"), Map.entry("BINARY", "bytea"));

  /**
   * Starts remembering the labels of the statement this thread prepares next; returns what
   * an enclosing preparation remembered, for {@link #donePreparing}.
   */
  static List<String>[] startPreparing() {
    List<String>[] before = PREPARING.get();
    @SuppressWarnings("unchecked")
    List<String>[] holder = new List[1];
    PREPARING.set(holder);
    return before;
  }

  /** Forgets them, back to the enclosing preparation's. */
  static void donePreparing(List<String>[] before) {
    if (before == null) {
      PREPARING.remove();
    } else {
      PREPARING.set(before);
    }
  }

  /** Called with each parsed statement: the first one of a preparation is the statement itself. */
  static void parsed(SqlNode statement) {
    List<String>[] holder = PREPARING.get();
    if (holder != null && holder[0] == null) {
      holder[0] = of(statement);
    }
  }

  /** The columns with PostgreSQL's labels where Calcite made up {@code EXPR$n}; the same list otherwise. */
  static List<ColumnMetaData> relabel(List<ColumnMetaData> columns) {
    List<String>[] holder = PREPARING.get();
    List<String> labels = holder == null ? null : holder[0];
    if (labels == null || labels.size() != columns.size()) {
      return columns;
    }
    List<ColumnMetaData> out = new ArrayList<>(columns.size());
    boolean changed = false;
    for (int i = 0; i < columns.size(); i++) {
      ColumnMetaData c = columns.get(i);
      String label = labels.get(i);
      if (label != null && c.label != null && c.label.matches("EXPR\\$\\d+")) {
        c = new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive, c.searchable, c.currency, c.nullable,
            c.signed, c.displaySize, label, label, c.schemaName, c.precision, c.scale, c.tableName, c.catalogName,
            c.type, c.readOnly, c.writable, c.definitelyWritable, c.columnClassName);
        changed = true;
      }
      out.add(c);
    }
    return changed ? out : columns;
  }

  /** The label of each select item of the query's first SELECT (null: Calcite's name stands). */
  static List<String> of(SqlNode query) {
    SqlNode q = query;
    while (true) {
      if (q instanceof SqlOrderBy o) {
        q = o.query;
      } else if (q instanceof SqlWith w) {
        q = w.body;
      } else if (q instanceof SqlCall c && (c.getKind() == SqlKind.UNION || c.getKind() == SqlKind.INTERSECT
          || c.getKind() == SqlKind.EXCEPT)) {
        q = c.operand(0);
      } else {
        break;
      }
    }
    if (!(q instanceof SqlSelect s)) {
      return null;
    }
    List<String> labels = new ArrayList<>();
    for (SqlNode item : s.getSelectList()) {
      if (item instanceof SqlIdentifier id && id.isStar()) {
        return null; // a star's columns are named by their tables
      }
      labels.add(item.getKind() == SqlKind.AS || item instanceof SqlIdentifier ? null : nameOf(item, true));
    }
    return labels;
  }

  /** PostgreSQL's FigureColname: the expression's name, or (when {@code fallback}) ?column?. */
  private static String nameOf(SqlNode node, boolean fallback) {
    String name = null;
    if (node instanceof SqlIdentifier id) {
      name = id.names.get(id.names.size() - 1);
    } else if (node instanceof SqlCase c) {
      name = c.getElseOperand() == null ? null : nameOf(c.getElseOperand(), false);
      if (name == null) {
        name = "case";
      }
    } else if (node instanceof SqlCall c && c.getKind() == SqlKind.CAST && c.operandCount() == 2) {
      name = nameOf(c.operand(0), false);
      if (name == null && c.operand(1) instanceof SqlDataTypeSpec t) {
        String type = t.getTypeName().getSimple().toUpperCase(Locale.ROOT);
        name = TYPES.getOrDefault(type, type.toLowerCase(Locale.ROOT));
      }
    } else if (node instanceof SqlCall c && c.getKind() == SqlKind.EXISTS) {
      name = "exists";
    } else if (node instanceof SqlCall c && (c.getKind() == SqlKind.FILTER || c.getKind() == SqlKind.WITHIN_GROUP
        || c.getKind() == SqlKind.OVER)) {
      name = nameOf(c.operand(0), false);
    } else if (node instanceof SqlSelect sub) {
      List<String> inner = of(sub);
      name = inner == null || inner.size() != 1 ? null
          : inner.get(0) != null ? inner.get(0) : sub.getSelectList().get(0) instanceof SqlIdentifier id
              ? id.names.get(id.names.size() - 1) : null;
    } else if (node instanceof SqlBasicCall c && c.getOperator() instanceof SqlFunction f) {
      String n = f.getName();
      if (n.startsWith("{fn ")) {
        n = n.substring(4, n.length() - 1);
      }
      name = n.toLowerCase(Locale.ROOT);
    }
    return name == null && fallback ? UNNAMED : name;
  }
}
