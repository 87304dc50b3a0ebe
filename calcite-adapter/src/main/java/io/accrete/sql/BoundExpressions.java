package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.NlsString;

import static io.accrete.sql.QueryBinder.DECLINE;

/**
 * Expressions of a plain query as Calcite's validator and SQL-to-rel converter make them, for
 * {@link QueryBinder}: literals typed as the parser's literals convert, the implicit casts of
 * Calcite's type coercion (an exact number compared with a floating-point value is cast to it; an
 * integer compared with a decimal literal is cast to their common decimal type, the literal
 * retyped; BETWEEN's three operands share one type), an untyped NULL typed by what it meets, NOT
 * pushed down to IN lists, IN lists as ORs without repeats, integer arithmetic checked for
 * overflow as {@link PostgresConvertlets} makes it. Names and aggregate calls resolve through the
 * query's {@link Names}. What it does not know it declines ({@link QueryBinder#DECLINE}).
 */
final class BoundExpressions {
  /** Calcite turns an IN list this long or longer into a join with its values; those are declined. */
  private static final int IN_LIST_LIMIT = 20;

  /** What names in an expression stand for: the query's columns, or its aggregation's. */
  interface Names {
    /** A column reference (never {@code *}). */
    RexNode column(SqlIdentifier id);

    /** An aggregate call's value. */
    RexNode aggregate(SqlBasicCall call);
  }

  private final RexBuilder rex;
  private final RelDataTypeFactory types;
  private final Names names;

  BoundExpressions(RexBuilder rex, Names names) {
    this.rex = rex;
    this.types = rex.getTypeFactory();
    this.names = names;
  }

  /**
   * The aggregate function a call names, or null: the parser leaves COUNT, SUM, MIN, MAX and AVG
   * unresolved, and the validator finds Calcite's own under those names.
   */
  static org.apache.calcite.sql.SqlAggFunction aggregateFunction(SqlNode node) {
    if (!(node instanceof SqlBasicCall call)) {
      return null;
    }
    if (call.getOperator() instanceof org.apache.calcite.sql.SqlAggFunction f) {
      return f;
    }
    if (!(call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction u)) {
      return null;
    }
    return switch (u.getName().toUpperCase(java.util.Locale.ROOT)) {
      case "COUNT" -> SqlStdOperatorTable.COUNT;
      case "SUM" -> SqlStdOperatorTable.SUM;
      case "MIN" -> SqlStdOperatorTable.MIN;
      case "MAX" -> SqlStdOperatorTable.MAX;
      case "AVG" -> SqlStdOperatorTable.AVG;
      default -> null;
    };
  }

  /** An expression as the converter makes it. */
  RexNode expression(SqlNode node) {
    if (node instanceof SqlIdentifier id) {
      if (id.isStar()) {
        throw DECLINE;
      }
      return names.column(id);
    }
    if (node instanceof SqlBasicCall c && aggregateFunction(c) != null) {
      return names.aggregate(c);
    }
    if (node instanceof SqlNumericLiteral n) {
      BigDecimal value = n.getValueAs(BigDecimal.class);
      return n.isExact() ? rex.makeExactLiteral(value, n.createSqlType(types)) : rex.makeApproxLiteral(value);
    }
    if (node instanceof org.apache.calcite.sql.SqlLiteral l && l.getTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(types.createSqlType(SqlTypeName.NULL));
    }
    if (node instanceof SqlCharStringLiteral s) {
      return rex.makeCharLiteral(s.getValueAs(NlsString.class));
    }
    if (!(node instanceof SqlBasicCall call)) {
      throw DECLINE;
    }
    SqlOperator op = call.getOperator();
    List<SqlNode> operands = call.getOperandList();
    switch (call.getKind()) {
      case AND, OR -> {
        List<RexNode> terms = new ArrayList<>();
        for (SqlNode o : operands) {
          terms.add(predicate(o));
        }
        return junction(call.getKind() == SqlKind.AND ? SqlStdOperatorTable.AND : SqlStdOperatorTable.OR, terms);
      }
      case NOT -> {
        return rex.makeCall(SqlStdOperatorTable.NOT, predicate(operands.get(0)));
      }
      case PLUS_PREFIX -> {
        return number(operands.get(0)); // the converter drops a unary plus
      }
      case MINUS_PREFIX -> {
        RexNode x = number(operands.get(0));
        if (isNull(x)) {
          return x; // - NULL is NULL, of no type
        }
        if (x instanceof RexLiteral l) { // a negated number is folded into its literal
          BigDecimal negated = l.getValueAs(BigDecimal.class).negate();
          return SqlTypeUtil.isExactNumeric(l.getType()) ? rex.makeExactLiteral(negated, l.getType())
              : rex.makeApproxLiteral(negated, l.getType());
        }
        return PostgresConvertlets.checked(rex, rex.makeCall(SqlStdOperatorTable.UNARY_MINUS, x));
      }
      case PLUS, MINUS, TIMES, DIVIDE -> {
        if (op != SqlStdOperatorTable.PLUS && op != SqlStdOperatorTable.MINUS && op != SqlStdOperatorTable.MULTIPLY
            && op != SqlStdOperatorTable.DIVIDE) {
          throw DECLINE;
        }
        // An untyped NULL takes the other operand's type; integer arithmetic fails on overflow, as
        // PostgresConvertlets makes it.
        RexNode[] xs = typedNulls(number(operands.get(0)), number(operands.get(1)));
        return PostgresConvertlets.checked(rex, rex.makeCall(op, xs[0], xs[1]));
      }
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        if (op != standard(call.getKind())) {
          throw DECLINE;
        }
        return comparison(op, expression(operands.get(0)), expression(operands.get(1)));
      }
      case IS_NULL, IS_NOT_NULL -> {
        if (op != SqlStdOperatorTable.IS_NULL && op != SqlStdOperatorTable.IS_NOT_NULL) {
          throw DECLINE;
        }
        RexNode x = value(operands.get(0));
        if (isNull(x)) { // the validator gives an untyped NULL tested here VARCHAR(1024)
          x = rex.makeNullLiteral(types.createTypeWithNullability(
              types.createSqlType(SqlTypeName.VARCHAR, 1024), true));
        }
        return rex.makeCall(op, x);
      }
      case BETWEEN -> {
        if (!(op instanceof SqlBetweenOperator between) || between.flag != SqlBetweenOperator.Flag.ASYMMETRIC) {
          throw DECLINE;
        }
        // The validator brings all three operands to one type first.
        List<RexNode> xs = new ArrayList<>(List.of(value(operands.get(0)), value(operands.get(1)),
            value(operands.get(2))));
        if (isNull(xs.get(0)) || isNull(xs.get(1)) || isNull(xs.get(2))) {
          throw DECLINE;
        }
        RelDataType approximate = null;
        boolean same = true;
        for (RexNode e : xs) {
          same &= SqlTypeUtil.equalSansNullability(types, e.getType(), xs.get(0).getType())
              || SqlTypeUtil.inCharFamily(e.getType()) && SqlTypeUtil.inCharFamily(xs.get(0).getType());
          if (!SqlTypeUtil.isNumeric(e.getType()) && !same) {
            throw DECLINE;
          }
          if (SqlTypeUtil.isApproximateNumeric(e.getType())) {
            if (approximate != null && !SqlTypeUtil.equalSansNullability(types, approximate, e.getType())) {
              throw DECLINE;
            }
            approximate = e.getType();
          }
        }
        if (!same) {
          if (approximate == null) {
            throw DECLINE; // integers and decimals: a common decimal type
          }
          for (int i = 0; i < xs.size(); i++) {
            if (SqlTypeUtil.isExactNumeric(xs.get(i).getType())) {
              xs.set(i, castTo(xs.get(i), approximate));
            }
          }
        }
        RexNode range = rex.makeCall(SqlStdOperatorTable.AND,
            rex.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, xs.get(0), xs.get(1)),
            rex.makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, xs.get(0), xs.get(2)));
        return between.isNegated() ? rex.makeCall(SqlStdOperatorTable.NOT, range) : range;
      }
      case IN, NOT_IN -> {
        if (!(operands.get(1) instanceof SqlNodeList list) || list.isEmpty() || list.size() >= IN_LIST_LIMIT
            || op != (call.getKind() == SqlKind.IN ? SqlStdOperatorTable.IN : SqlStdOperatorTable.NOT_IN)) {
          throw DECLINE;
        }
        RexNode x = value(operands.get(0));
        if (isNull(x)) {
          throw DECLINE;
        }
        List<RexNode> equalities = new ArrayList<>();
        RelDataType itemType = null;
        for (SqlNode item : list) {
          if (!(item instanceof SqlNumericLiteral) && !(item instanceof SqlCharStringLiteral)) {
            throw DECLINE;
          }
          RexNode v = expression(item);
          // The converter casts a list of mixed types to their common type first; against a
          // floating-point value that is its type, which each comparison casts to as well.
          if (itemType != null && !SqlTypeUtil.equalSansNullability(types, itemType, v.getType())
              && !(SqlTypeUtil.isApproximateNumeric(x.getType()) && SqlTypeUtil.isExactNumeric(v.getType()))) {
            throw DECLINE;
          }
          itemType = v.getType();
          equalities.add(comparison(SqlStdOperatorTable.EQUALS, x, v));
        }
        RexNode any = RexUtil.composeDisjunction(rex, equalities);
        return call.getKind() == SqlKind.NOT_IN ? rex.makeCall(SqlStdOperatorTable.NOT, any) : any;
      }
      default -> throw DECLINE;
    }
  }

  /**
   * The WHERE with each NOT above an IN list pushed down to it (De Morgan's laws; NOT IN for
   * NOT of IN), as the converter rewrites it before converting; subtrees without IN stay as written.
   */
  static SqlNode notPushedToIn(SqlNode node) {
    if (!(node instanceof SqlCall call) || !containsIn(node)) {
      return node;
    }
    switch (call.getKind()) {
      case AND, OR -> {
        List<SqlNode> operands = new ArrayList<>();
        for (SqlNode o : call.getOperandList()) {
          operands.add(notPushedToIn(o));
        }
        return call.getOperator().createCall(call.getParserPosition(), operands);
      }
      case NOT -> {
        SqlNode inner = call.operand(0);
        switch (inner.getKind()) {
          case AND, OR -> {
            List<SqlNode> operands = new ArrayList<>();
            for (SqlNode o : ((SqlCall) inner).getOperandList()) {
              operands.add(notPushedToIn(SqlStdOperatorTable.NOT.createCall(SqlParserPos.ZERO, o)));
            }
            return (inner.getKind() == SqlKind.AND ? SqlStdOperatorTable.OR : SqlStdOperatorTable.AND)
                .createCall(SqlParserPos.ZERO, operands);
          }
          case NOT -> {
            return notPushedToIn(((SqlCall) inner).operand(0));
          }
          case IN -> {
            return SqlStdOperatorTable.NOT_IN.createCall(SqlParserPos.ZERO, ((SqlCall) inner).getOperandList());
          }
          case NOT_IN -> {
            return SqlStdOperatorTable.IN.createCall(SqlParserPos.ZERO, ((SqlCall) inner).getOperandList());
          }
          default -> {
            return node;
          }
        }
      }
      default -> {
        return node;
      }
    }
  }

  private static boolean containsIn(SqlNode node) {
    if (!(node instanceof SqlCall call)) {
      return false;
    }
    if (call.getOperator() instanceof org.apache.calcite.sql.fun.SqlInOperator) {
      return true;
    }
    for (SqlNode o : call.getOperandList()) {
      if (o != null && containsIn(o)) {
        return true;
      }
    }
    return false;
  }

  /** A boolean operand of AND, OR or NOT. */
  RexNode predicate(SqlNode node) {
    RexNode e = expression(node);
    if (e.getType().getSqlTypeName() != SqlTypeName.BOOLEAN) {
      throw DECLINE;
    }
    return e;
  }

  /** An operand of arithmetic: a number (exact or floating-point). */
  private RexNode number(SqlNode node) {
    RexNode e = expression(node);
    if (!SqlTypeUtil.isNumeric(e.getType()) && !isNull(e)) {
      throw DECLINE;
    }
    return e;
  }

  /** Whether {@code e} is NULL as written: a literal the validator has not typed yet. */
  static boolean isNull(RexNode e) {
    return e.getType().getSqlTypeName() == SqlTypeName.NULL;
  }

  /** Two operands, an untyped NULL among them typed as the other operand (the validator's inference). */
  private RexNode[] typedNulls(RexNode a, RexNode b) {
    if (isNull(a) && isNull(b)) {
      throw DECLINE; // nothing to infer a type from
    }
    if (isNull(a)) {
      a = rex.makeNullLiteral(types.createTypeWithNullability(b.getType(), true));
    } else if (isNull(b)) {
      b = rex.makeNullLiteral(types.createTypeWithNullability(a.getType(), true));
    }
    return new RexNode[] {a, b};
  }

  /** An operand of a comparison: a column or a literal, never a boolean. */
  RexNode value(SqlNode node) {
    RexNode e = expression(node);
    if (e.getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
      throw DECLINE;
    }
    return e;
  }

  /** AND or OR with nested ANDs or ORs of the same kind merged into it, as the converter does. */
  private RexNode junction(SqlOperator op, List<RexNode> terms) {
    List<RexNode> flat = new ArrayList<>();
    for (RexNode t : terms) {
      if (t instanceof RexCall c && c.getOperator() == op) {
        flat.addAll(c.getOperands());
      } else {
        flat.add(t);
      }
    }
    return rex.makeCall(op, flat);
  }

  private static SqlOperator standard(SqlKind kind) {
    return switch (kind) {
      case EQUALS -> SqlStdOperatorTable.EQUALS;
      case NOT_EQUALS -> SqlStdOperatorTable.NOT_EQUALS;
      case LESS_THAN -> SqlStdOperatorTable.LESS_THAN;
      case LESS_THAN_OR_EQUAL -> SqlStdOperatorTable.LESS_THAN_OR_EQUAL;
      case GREATER_THAN -> SqlStdOperatorTable.GREATER_THAN;
      case GREATER_THAN_OR_EQUAL -> SqlStdOperatorTable.GREATER_THAN_OR_EQUAL;
      default -> throw DECLINE;
    };
  }

  /**
   * A comparison with Calcite's implicit casts: none between equal types or two character
   * columns (a string literal, which the validator retypes, is declined); an exact number cast to
   * the floating-point type it meets; an integer cast to the common decimal type when it meets a
   * decimal literal. Other mixes (an INTEGER literal against a BIGINT column, whose IN list the
   * validator retypes) are declined.
   */
  private RexNode comparison(SqlOperator op, RexNode a, RexNode b) {
    if (isNull(a) || isNull(b)) {
      RexNode[] xs = typedNulls(a, b);
      return rex.makeCall(op, xs[0], xs[1]);
    }
    if (a.getType().getSqlTypeName() == SqlTypeName.BOOLEAN || b.getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
      throw DECLINE;
    }
    RelDataType ta = a.getType();
    RelDataType tb = b.getType();
    if (SqlTypeUtil.inCharFamily(ta) || SqlTypeUtil.inCharFamily(tb)) {
      if (a instanceof RexLiteral || b instanceof RexLiteral || !SqlTypeUtil.inCharFamily(ta)
          || !SqlTypeUtil.inCharFamily(tb)) {
        throw DECLINE; // the validator retypes a string literal to the column's type
      }
      return rex.makeCall(op, a, b);
    }
    if (SqlTypeUtil.equalSansNullability(types, ta, tb)) {
      return rex.makeCall(op, a, b);
    }
    if (!SqlTypeUtil.isNumeric(ta) || !SqlTypeUtil.isNumeric(tb)) {
      throw DECLINE;
    }
    if (SqlTypeUtil.isApproximateNumeric(ta) && SqlTypeUtil.isExactNumeric(tb)) {
      return rex.makeCall(op, a, castTo(b, ta));
    }
    if (SqlTypeUtil.isExactNumeric(ta) && SqlTypeUtil.isApproximateNumeric(tb)) {
      return rex.makeCall(op, castTo(a, tb), b);
    }
    if (SqlTypeUtil.isIntType(ta) && isFraction(b)) {
      RelDataType common = types.leastRestrictive(List.of(ta, tb));
      return rex.makeCall(op, castTo(a, common), retyped((RexLiteral) b, common));
    }
    if (isFraction(a) && SqlTypeUtil.isIntType(tb)) {
      RelDataType common = types.leastRestrictive(List.of(ta, tb));
      return rex.makeCall(op, retyped((RexLiteral) a, common), castTo(b, common));
    }
    throw DECLINE;
  }

  /** Whether {@code e} is a decimal literal with digits after the point. */
  private static boolean isFraction(RexNode e) {
    return e instanceof RexLiteral l && l.getType().getSqlTypeName() == SqlTypeName.DECIMAL
        && l.getType().getScale() > 0;
  }

  /** A decimal literal in a wider decimal type: the converter folds the cast of a literal. */
  private RexNode retyped(RexLiteral literal, RelDataType type) {
    return rex.makeExactLiteral(literal.getValueAs(BigDecimal.class), types.createTypeWithNullability(type, false));
  }

  /** A cast that keeps the operand's nullability, left unfolded as the converter leaves it. */
  private RexNode castTo(RexNode e, RelDataType type) {
    return rex.makeAbstractCast(types.createTypeWithNullability(type, e.getType().isNullable()), e, false);
  }
}
