package io.accrete.sql;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Names a table read {@code FOR SYSTEM_TIME AS OF} a literal point by the table of that name at
 * that point: {@code d} becomes {@code d@1005} (or {@code d@i<millis>} for an instant), which
 * {@link AccreteSchema} finds among the tables of then, so a dropped table is read as it was. The
 * table keeps its name as the alias. A point given as a parameter reads the present table.
 */
final class PastTables extends SqlShuttle {
  /** The names the statement this thread parsed last gave tables (Calcite lists names before it looks one up). */
  private static final ThreadLocal<java.util.Set<String>> NAMED = ThreadLocal.withInitial(java.util.HashSet::new);

  static SqlNode apply(SqlNode node) {
    NAMED.get().clear();
    return node == null ? null : node.accept(new PastTables());
  }

  static java.util.Set<String> named() {
    return NAMED.get();
  }

  /** {name, point} of a name this class wrote, else null. */
  static Object[] parse(String name) {
    int at = name.lastIndexOf('@');
    if (at <= 0 || at == name.length() - 1) {
      return null;
    }
    String point = name.substring(at + 1);
    try {
      Object p = point.startsWith("i") ? new Date(Long.parseLong(point.substring(1))) : (Object) Long.parseLong(point);
      return new Object[] {name.substring(0, at), p};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public SqlNode visit(SqlCall call) {
    if (call.getKind() == SqlKind.AS && call.operand(0) instanceof SqlSnapshot s) {
      rename(s);
      return call;
    }
    if (call instanceof SqlSnapshot s) {
      String name = rename(s);
      return name == null ? call
          : SqlStdOperatorTable.AS.createCall(s.getParserPosition(), s, new SqlIdentifier(name, s.getParserPosition()));
    }
    return super.visit(call);
  }

  /** Renames the snapshot's table when its point is a literal; the table's own name, or null. */
  private static String rename(SqlSnapshot s) {
    if (s.getPeriod().getKind() != SqlKind.OTHER && !(s.getPeriod() instanceof SqlNumericLiteral)
        && !(s.getPeriod() instanceof SqlTimestampLiteral) && !(s.getPeriod() instanceof SqlBasicCall)) {
      return null;
    }
    String point = point(s.getPeriod());
    if (point == null || !(s.getTableRef() instanceof SqlIdentifier id) || id.isStar()) {
      return null;
    }
    List<String> names = new ArrayList<>(id.names);
    String table = names.get(names.size() - 1);
    names.set(names.size() - 1, table + "@" + point);
    NAMED.get().add(table + "@" + point);
    s.setOperand(0, new SqlIdentifier(names, id.getParserPosition()));
    return table;
  }

  private static String point(SqlNode period) {
    if (period instanceof SqlNumericLiteral n && n.isExact()) {
      return String.valueOf(n.longValue(true));
    }
    if (period instanceof SqlTimestampLiteral ts) {
      return "i" + ts.getValueAs(org.apache.calcite.util.TimestampString.class).getMillisSinceEpoch();
    }
    if (period instanceof SqlBasicCall c && c.getOperator().getName().equalsIgnoreCase("T") && c.operandCount() == 1
        && c.operand(0) instanceof SqlNumericLiteral n && n.isExact()) {
      return String.valueOf(n.longValue(true));
    }
    return null;
  }
}
