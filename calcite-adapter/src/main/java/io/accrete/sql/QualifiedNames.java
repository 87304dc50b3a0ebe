package io.accrete.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Column names in a SELECT, qualified with the one table of its FROM list that has the column,
 * before Calcite's validator sees them. For an unqualified name the validator first looks for a
 * function of that name written without parentheses (through every operator table and the
 * schema's functions: a tenth of a short query's preparation), then resolves the name against
 * every FROM item, each time looking the item up by name among all of them: for a select list
 * and WHERE clause over dozens of tables that was most of a query's preparation (sqllogictest's
 * select5: 50 ms a query). Names of Calcite's parenthesis-less functions stay. Only the select list
 * and WHERE are touched (ORDER BY, GROUP BY and HAVING may name select items), only names that
 * exactly one of the SELECT's own tables has (a name in a sub-query that its own FROM has means
 * that table's column, as SQL scopes it), and only SELECTs whose FROM items are plain tables.
 */
final class QualifiedNames {
  private QualifiedNames() {}

  /**
   * Names Calcite takes as a call of a function written without parentheses (CURRENT_DATE,
   * USER, …) before it looks for a column: left as they are.
   */
  private static final java.util.Set<String> NILADIC = niladic();

  private static java.util.Set<String> niladic() {
    java.util.Set<String> names = new java.util.HashSet<>();
    List<org.apache.calcite.sql.SqlOperator> operators = new ArrayList<>(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.instance().getOperatorList());
    operators.addAll(org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(
        java.util.EnumSet.allOf(org.apache.calcite.sql.fun.SqlLibrary.class)).getOperatorList());
    for (org.apache.calcite.sql.SqlOperator op : operators) {
      if (op.getSyntax() == org.apache.calcite.sql.SqlSyntax.FUNCTION_ID) {
        names.add(op.getName().toUpperCase(java.util.Locale.ROOT));
      }
    }
    return java.util.Set.copyOf(names);
  }

  /** Qualifies the names in {@code query} and its sub-queries, in place. */
  static void apply(SqlNode query, Prepare.CatalogReader catalog) {
    if (query instanceof SqlOrderBy o) {
      apply(o.query, catalog);
    } else if (query instanceof SqlSelect s) {
      select(s, catalog);
    } else if (query instanceof SqlCall c && c.getKind().belongsTo(SqlKind.SET_QUERY)) {
      for (SqlNode operand : c.getOperandList()) {
        apply(operand, catalog);
      }
    }
  }

  private static void select(SqlSelect select, Prepare.CatalogReader catalog) {
    Map<String, String> tableOfColumn = select.getFrom() == null ? null : columns(select.getFrom(), catalog);
    Shuttle shuttle = new Shuttle(tableOfColumn, catalog);
    List<SqlNode> items = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      if (item instanceof SqlCall as && as.getKind() == SqlKind.AS) {
        SqlNode e = as.operand(0).accept(shuttle);
        if (e != as.operand(0)) {
          as.setOperand(0, e);
        }
        items.add(as);
      } else {
        items.add(item.accept(shuttle));
      }
    }
    select.setSelectList(new SqlNodeList(items, select.getSelectList().getParserPosition()));
    if (select.getWhere() != null) {
      select.setWhere(select.getWhere().accept(shuttle));
    }
    if (select.getFrom() != null) {
      derivedTables(select.getFrom(), catalog);
    }
  }

  /** The sub-queries of a FROM clause, each its own scope. */
  private static void derivedTables(SqlNode from, Prepare.CatalogReader catalog) {
    if (from instanceof SqlJoin j) {
      derivedTables(j.getLeft(), catalog);
      derivedTables(j.getRight(), catalog);
    } else if (from instanceof SqlCall as && as.getKind() == SqlKind.AS) {
      derivedTables(as.operand(0), catalog);
    } else {
      apply(from, catalog);
    }
  }

  /**
   * Column name to the one FROM item's name that has it ("" when several do), or null when the
   * FROM clause has an item other than a plain table.
   */
  private static Map<String, String> columns(SqlNode from, Prepare.CatalogReader catalog) {
    List<SqlNode> items = new ArrayList<>();
    if (!plainTables(from, items)) {
      return null;
    }
    Map<String, String> tableOf = new HashMap<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (SqlNode item : items) {
      SqlIdentifier table;
      String name;
      if (item instanceof SqlCall as) {
        table = as.operand(0);
        name = ((SqlIdentifier) as.operand(1)).getSimple();
      } else {
        table = (SqlIdentifier) item;
        name = org.apache.calcite.util.Util.last(table.names);
      }
      Prepare.PreparingTable t = catalog.getTable(table.names);
      if (t == null || !names.add(name)) {
        return null; // not a table Calcite knows by that name, or an alias twice: Calcite's to report
      }
      for (String column : t.getRowType().getFieldNames()) {
        tableOf.merge(column, name, (a, b) -> "");
      }
    }
    return tableOf;
  }

  private static boolean plainTables(SqlNode from, List<SqlNode> items) {
    if (from instanceof SqlJoin j) {
      return !j.isNatural() && j.getConditionType() != org.apache.calcite.sql.JoinConditionType.USING
          && plainTables(j.getLeft(), items) && plainTables(j.getRight(), items);
    }
    if (from instanceof SqlIdentifier id && !id.isStar()) {
      items.add(from);
      return true;
    }
    if (from instanceof SqlCall as && as.getKind() == SqlKind.AS && as.operandCount() == 2
        && as.operand(0) instanceof SqlIdentifier id && !id.isStar()) {
      items.add(from);
      return true;
    }
    return false;
  }

  /** Qualifies the names a SELECT's own tables have; each sub-query in its own scope. */
  private static final class Shuttle extends SqlShuttle {
    private final Map<String, String> tableOfColumn;
    private final Prepare.CatalogReader catalog;

    Shuttle(Map<String, String> tableOfColumn, Prepare.CatalogReader catalog) {
      this.tableOfColumn = tableOfColumn;
      this.catalog = catalog;
    }

    @Override
    public SqlNode visit(SqlIdentifier id) {
      if (tableOfColumn == null || id.names.size() != 1 || id.isStar()
          || NILADIC.contains(id.getSimple().toUpperCase(java.util.Locale.ROOT))) {
        return id;
      }
      String table = tableOfColumn.get(id.getSimple());
      if (table == null || table.isEmpty()) {
        return id;
      }
      return new SqlIdentifier(List.of(table, id.getSimple()), null, id.getParserPosition(),
          List.of(id.getParserPosition(), id.getParserPosition()));
    }

    @Override
    public SqlNode visit(SqlCall call) {
      if (call.getKind().belongsTo(SqlKind.QUERY)) {
        apply(call, catalog);
        return call;
      }
      switch (call.getKind()) {
      case OVER:
      case WINDOW:
      case NEXT_VALUE:
      case CURRENT_VALUE:
      case ARGUMENT_ASSIGNMENT:
      case LAMBDA:
      case DESCRIPTOR:
      case AS:
      case COLLECTION_TABLE:
        return call; // names there are not (only) columns
      default:
        return super.visit(call);
      }
    }
  }
}
