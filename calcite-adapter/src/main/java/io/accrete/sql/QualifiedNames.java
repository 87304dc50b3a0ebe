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
 * Column names in a SELECT over several tables, qualified with the one table of its FROM list
 * that has the column, before Calcite's validator sees them. The validator finds an
 * unqualified name's table by resolving it against every FROM item, each time looking the item
 * up by name among all of them: for a select list and WHERE clause over dozens of tables that
 * was most of a query's preparation (sqllogictest's select5: 50 ms a query). Only the select list
 * and WHERE are touched (ORDER BY, GROUP BY and HAVING may name select items), only names that
 * exactly one of the SELECT's own tables has (a name in a sub-query that its own FROM has means
 * that table's column, as SQL scopes it), and only SELECTs whose FROM items are plain tables.
 */
final class QualifiedNames {
  private QualifiedNames() {}

  /** Fewer FROM items than this, and Calcite's own lookup costs little. */
  private static final int TABLES = 3;

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
   * FROM clause has too few items or an item other than a plain table.
   */
  private static Map<String, String> columns(SqlNode from, Prepare.CatalogReader catalog) {
    List<SqlNode> items = new ArrayList<>();
    if (!plainTables(from, items) || items.size() < TABLES) {
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
      if (tableOfColumn == null || id.names.size() != 1 || id.isStar()) {
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
