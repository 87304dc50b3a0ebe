package io.accrete.sql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.schema.impl.ReflectiveFunctionBase;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlQuantifyOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Row expressions ({@link RexNode}s) turned into small evaluators for {@link PlanInterpreter}:
 * the same values Calcite's generated code computes (integers in their type's width, checked
 * where {@link PostgresConvertlets} made the arithmetic checked, decimals as {@code BigDecimal},
 * three-valued logic), without generating code. What it does not know — an operator, a cast
 * whose rounding or formatting it would have to copy, a type it does not handle — makes
 * {@link #compile} throw {@link PlanInterpreter.Unsupported}, and the statement is compiled as
 * before.
 */
final class RowExpressions {
  private RowExpressions() {}

  /** An expression over one row (its input's columns) in an execution's environment. */
  interface Scalar {
    Object eval(Object[] row, PlanInterpreter.Env env);
  }

  /** How numbers of a type are computed. */
  private enum Arith { INTEGER, DECIMAL, DOUBLE, REAL }

  /** Compiles {@code x}; its sub-queries through {@code plans}. */
  static Scalar compile(RexNode x, PlanInterpreter plans) {
    if (x instanceof RexInputRef ref) {
      int i = ref.getIndex();
      return (row, env) -> row[i];
    }
    if (x instanceof RexLiteral literal) {
      Object v = literal(literal);
      return (row, env) -> v;
    }
    if (x instanceof RexFieldAccess access && access.getReferenceExpr() instanceof RexCorrelVariable correl) {
      int slot = plans.correlationSlot(correl.id);
      int field = access.getField().getIndex();
      return (row, env) -> env.correlated(slot)[field];
    }
    if (x instanceof RexSubQuery sub) {
      return subQuery(sub, plans);
    }
    if (x instanceof RexCall call) {
      return call(call, plans);
    }
    throw PlanInterpreter.UNSUPPORTED;
  }

  /** A literal's value as the row format carries its type. */
  private static Object literal(RexLiteral literal) {
    RelDataType type = literal.getType();
    if (literal.isNull()) {
      return null;
    }
    SqlTypeName t = type.getSqlTypeName();
    return switch (t) {
      case BOOLEAN -> literal.getValueAs(Boolean.class);
      case TINYINT, SMALLINT, INTEGER, BIGINT -> narrow(literal.getValueAs(BigDecimal.class).longValueExact(), t);
      case DECIMAL -> literal.getValueAs(BigDecimal.class);
      case DOUBLE, FLOAT -> literal.getValueAs(Double.class);
      case REAL -> literal.getValueAs(Float.class);
      case CHAR, VARCHAR -> literal.getValueAs(String.class);
      default -> throw PlanInterpreter.UNSUPPORTED;
    };
  }

  private static Scalar[] operands(RexCall call, PlanInterpreter plans) {
    Scalar[] out = new Scalar[call.operands.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = compile(call.operands.get(i), plans);
    }
    return out;
  }

  private static Scalar call(RexCall call, PlanInterpreter plans) {
    SqlKind kind = call.getKind();
    switch (kind) {
      case PLUS, MINUS, TIMES, DIVIDE, MOD, CHECKED_PLUS, CHECKED_MINUS, CHECKED_TIMES:
        if (call.getOperator() instanceof DateArithmetic) {
          throw PlanInterpreter.UNSUPPORTED;
        }
        return arithmetic(call, plans);
      case MINUS_PREFIX, CHECKED_MINUS_PREFIX:
        return negate(call, plans);
      case PLUS_PREFIX:
        return converted(compile(call.operands.get(0), plans), call.getType());
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL,
          IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM:
        return comparison(kind, call.operands.get(0), call.operands.get(1), plans);
      case AND:
        return connective(operands(call, plans), false);
      case OR:
        return connective(operands(call, plans), true);
      case NOT: {
        Scalar a = compile(call.operands.get(0), plans);
        return (row, env) -> {
          Object v = a.eval(row, env);
          return v == null ? null : !(Boolean) v;
        };
      }
      case IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE:
        return test(kind, compile(call.operands.get(0), plans));
      case CASE:
        return caseWhen(call, plans);
      case COALESCE: {
        Scalar[] ops = operands(call, plans);
        return converted((row, env) -> {
          for (Scalar s : ops) {
            Object v = s.eval(row, env);
            if (v != null) {
              return v;
            }
          }
          return null;
        }, call.getType());
      }
      case CAST:
        return cast(call, plans);
      case SEARCH:
        return compile(RexUtil.expandSearch(plans.rexBuilder(), null, call), plans);
      default:
        break;
    }
    if (call.getOperator() == SqlStdOperatorTable.ABS) {
      return abs(call, plans);
    }
    if (call.getOperator() == SqlStdOperatorTable.CONCAT && call.operands.stream().allMatch(RowExpressions::plainText)) {
      return strict(compile(call.operands.get(0), plans), compile(call.operands.get(1), plans),
          (p, q) -> (String) p + q);
    }
    if (call.getOperator() instanceof SqlUserDefinedFunction f && f.getFunction() instanceof ReflectiveFunctionBase r) {
      return function(r.method, call, plans);
    }
    throw PlanInterpreter.UNSUPPORTED;
  }

  // ---- numbers ----

  private static Arith arith(RelDataType type) {
    SqlTypeName t = type.getSqlTypeName();
    if (SqlTypeName.INT_TYPES.contains(t)) {
      return Arith.INTEGER;
    }
    return switch (t) {
      case DECIMAL -> Arith.DECIMAL;
      case DOUBLE, FLOAT -> Arith.DOUBLE;
      case REAL -> Arith.REAL;
      default -> throw PlanInterpreter.UNSUPPORTED;
    };
  }

  /** An integer in its type's boxed form (as Calcite's row format has it). */
  static Object narrow(long v, SqlTypeName t) {
    return switch (t) {
      case TINYINT -> (byte) v;
      case SMALLINT -> (short) v;
      case INTEGER -> (int) v;
      default -> v;
    };
  }

  private static long fitChecked(long v, SqlTypeName t) {
    boolean fits = switch (t) {
      case TINYINT -> v == (byte) v;
      case SMALLINT -> v == (short) v;
      case INTEGER -> v == (int) v;
      default -> true;
    };
    if (!fits) {
      throw new ArithmeticException(t == SqlTypeName.INTEGER ? "integer overflow" : "value overflow");
    }
    return v;
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    return BigDecimal.valueOf(((Number) v).longValue());
  }

  private static Scalar arithmetic(RexCall call, PlanInterpreter plans) {
    RelDataType type = call.getType();
    Arith a = arith(type);
    for (RexNode o : call.operands) {
      Arith oa = arith(o.getType());
      if (a == Arith.INTEGER && oa != Arith.INTEGER || a == Arith.DECIMAL && oa != Arith.INTEGER && oa != Arith.DECIMAL) {
        throw PlanInterpreter.UNSUPPORTED;
      }
    }
    Scalar x = compile(call.operands.get(0), plans);
    Scalar y = compile(call.operands.get(1), plans);
    SqlKind kind = call.getKind();
    SqlTypeName t = type.getSqlTypeName();
    switch (a) {
      case INTEGER: {
        boolean wide = t == SqlTypeName.BIGINT;
        return strict(x, y, (p, q) -> {
          long l = ((Number) p).longValue();
          long r = ((Number) q).longValue();
          long v = switch (kind) {
            case PLUS -> l + r;
            case CHECKED_PLUS -> wide ? Math.addExact(l, r) : fitChecked(l + r, t);
            case MINUS -> l - r;
            case CHECKED_MINUS -> wide ? Math.subtractExact(l, r) : fitChecked(l - r, t);
            case TIMES -> l * r;
            case CHECKED_TIMES -> wide ? Math.multiplyExact(l, r) : fitChecked(l * r, t);
            case DIVIDE -> wide ? l / r : (int) l / (int) r;
            default -> wide ? l % r : (int) l % (int) r;
          };
          return narrow(v, t);
        });
      }
      case DECIMAL:
        if (kind == SqlKind.DIVIDE) {
          throw PlanInterpreter.UNSUPPORTED; // NumericDivision's own function runs these
        }
        return strict(x, y, (p, q) -> {
          BigDecimal l = decimal(p);
          BigDecimal r = decimal(q);
          return switch (kind) {
            case PLUS, CHECKED_PLUS -> l.add(r);
            case MINUS, CHECKED_MINUS -> l.subtract(r);
            case TIMES, CHECKED_TIMES -> l.multiply(r);
            default -> l.remainder(r);
          };
        });
      default: {
        // float arithmetic done in double and rounded is float arithmetic (+ - * / % of two floats)
        boolean real = a == Arith.REAL;
        return strict(x, y, (p, q) -> {
          double l = ((Number) p).doubleValue();
          double r = ((Number) q).doubleValue();
          double v = switch (kind) {
            case PLUS, CHECKED_PLUS -> l + r;
            case MINUS, CHECKED_MINUS -> l - r;
            case TIMES, CHECKED_TIMES -> l * r;
            case DIVIDE -> l / r;
            default -> l % r;
          };
          return real ? (Object) (float) v : (Object) v;
        });
      }
    }
  }

  /** {@code op} of two operands' values, or null when either is null (the right one is then not evaluated). */
  private static Scalar strict(Scalar x, Scalar y, java.util.function.BinaryOperator<Object> op) {
    return (row, env) -> {
      Object p = x.eval(row, env);
      Object q = p == null ? null : y.eval(row, env);
      return q == null ? null : op.apply(p, q);
    };
  }

  private static Scalar negate(RexCall call, PlanInterpreter plans) {
    RelDataType type = call.getType();
    Arith a = arith(type);
    if (arith(call.operands.get(0).getType()) != a) {
      throw PlanInterpreter.UNSUPPORTED;
    }
    Scalar x = compile(call.operands.get(0), plans);
    boolean checked = call.getKind() == SqlKind.CHECKED_MINUS_PREFIX;
    SqlTypeName t = type.getSqlTypeName();
    return (row, env) -> {
      Object v = x.eval(row, env);
      if (v == null) {
        return null;
      }
      return switch (a) {
        case INTEGER -> {
          long l = ((Number) v).longValue();
          yield narrow(!checked ? -l : t == SqlTypeName.BIGINT ? Math.negateExact(l) : fitChecked(-l, t), t);
        }
        case DECIMAL -> ((BigDecimal) v).negate();
        case REAL -> -((Number) v).floatValue();
        default -> -((Number) v).doubleValue();
      };
    };
  }

  private static Scalar abs(RexCall call, PlanInterpreter plans) {
    Arith a = arith(call.getType());
    if (arith(call.operands.get(0).getType()) != a) {
      throw PlanInterpreter.UNSUPPORTED;
    }
    Scalar x = compile(call.operands.get(0), plans);
    SqlTypeName t = call.getType().getSqlTypeName();
    return (row, env) -> {
      Object v = x.eval(row, env);
      if (v == null) {
        return null;
      }
      return switch (a) {
        case INTEGER -> narrow(Math.abs(((Number) v).longValue()), t);
        case DECIMAL -> ((BigDecimal) v).abs();
        case REAL -> Math.abs(((Number) v).floatValue());
        default -> Math.abs(((Number) v).doubleValue());
      };
    };
  }

  /** Text whose value is its characters: VARCHAR, or a CHAR literal (CHAR(n) values' padding is not copied here). */
  private static boolean plainText(RexNode x) {
    SqlTypeName t = x.getType().getSqlTypeName();
    return t == SqlTypeName.VARCHAR || t == SqlTypeName.CHAR && x instanceof RexLiteral;
  }

  /** A constant in the form {@code type} has in rows. */
  static Object as(Object value, RelDataType type) {
    return converted((row, env) -> value, type).eval(null, null);
  }

  /** A value of a numeric, boolean or text expression in the form {@code type} has in rows. */
  private static Scalar converted(Scalar x, RelDataType type) {
    SqlTypeName t = type.getSqlTypeName();
    if (SqlTypeName.INT_TYPES.contains(t)) {
      return (row, env) -> {
        Object v = x.eval(row, env);
        return v == null ? null : narrow(((Number) v).longValue(), t);
      };
    }
    return switch (t) {
      case DECIMAL -> (row, env) -> {
        Object v = x.eval(row, env);
        return v == null ? null : decimal(v);
      };
      case DOUBLE, FLOAT -> (row, env) -> {
        Object v = x.eval(row, env);
        return v == null ? null : ((Number) v).doubleValue();
      };
      case REAL -> (row, env) -> {
        Object v = x.eval(row, env);
        return v == null ? null : ((Number) v).floatValue();
      };
      case BOOLEAN, VARCHAR, CHAR, DATE, TIME, TIMESTAMP -> x;
      default -> throw PlanInterpreter.UNSUPPORTED;
    };
  }

  // ---- comparisons and logic ----

  /** How two operands compare: as integers, decimals, doubles, text, booleans or time values. */
  private enum Order { LONG, DECIMAL, DOUBLE, TEXT, BOOLEAN }

  private static Order order(RexNode a, RelDataType b) {
    return order(a.getType(), a instanceof RexLiteral, b, false);
  }

  private static Order order(RexNode a, RexNode b) {
    return order(a.getType(), a instanceof RexLiteral, b.getType(), b instanceof RexLiteral);
  }

  /**
   * How values of two types compare. Text compares by its characters when neither side is a
   * CHAR(n) value other than a literal (whose padding rules are not copied here).
   */
  private static Order order(RelDataType a, boolean aLiteral, RelDataType b, boolean bLiteral) {
    SqlTypeName x = a.getSqlTypeName();
    SqlTypeName y = b.getSqlTypeName();
    if (SqlTypeName.NUMERIC_TYPES.contains(x) && SqlTypeName.NUMERIC_TYPES.contains(y)) {
      if (SqlTypeName.APPROX_TYPES.contains(x) || SqlTypeName.APPROX_TYPES.contains(y)) {
        return Order.DOUBLE;
      }
      if (x == SqlTypeName.DECIMAL || y == SqlTypeName.DECIMAL) {
        return Order.DECIMAL;
      }
      return Order.LONG;
    }
    if ((x == SqlTypeName.VARCHAR || x == SqlTypeName.CHAR && aLiteral)
        && (y == SqlTypeName.VARCHAR || y == SqlTypeName.CHAR && bLiteral)) {
      return Order.TEXT;
    }
    if (x == SqlTypeName.BOOLEAN && y == SqlTypeName.BOOLEAN) {
      return Order.BOOLEAN;
    }
    if (x == y && (x == SqlTypeName.DATE || x == SqlTypeName.TIME || x == SqlTypeName.TIMESTAMP)) {
      return Order.LONG; // days, milliseconds: numbers in rows
    }
    throw PlanInterpreter.UNSUPPORTED;
  }

  private static int compare(Object a, Object b, Order order) {
    return switch (order) {
      case LONG -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
      case DOUBLE -> {
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        yield x == y ? 0 : Double.compare(x, y); // 0.0 = -0.0; NaN equals NaN and sorts last
      }
      case DECIMAL -> decimal(a).compareTo(decimal(b));
      case TEXT -> ((String) a).compareTo((String) b);
      case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
    };
  }

  /** {@code op(a, b)} in three-valued logic; {@code op} one of the comparison kinds. */
  static Boolean compared(SqlKind op, Object a, Object b, Order order) {
    if (a == null || b == null) {
      return switch (op) {
        case IS_DISTINCT_FROM -> a != b;
        case IS_NOT_DISTINCT_FROM -> a == b;
        default -> null;
      };
    }
    int c = compare(a, b, order);
    return switch (op) {
      case EQUALS, IS_NOT_DISTINCT_FROM -> c == 0;
      case NOT_EQUALS, IS_DISTINCT_FROM -> c != 0;
      case LESS_THAN -> c < 0;
      case LESS_THAN_OR_EQUAL -> c <= 0;
      case GREATER_THAN -> c > 0;
      default -> c >= 0;
    };
  }

  private static Scalar comparison(SqlKind kind, RexNode left, RexNode right, PlanInterpreter plans) {
    // A side that is always NULL (NOT NULL <= NULL) is never compared: any order does.
    Order order = alwaysNull(left) || alwaysNull(right) ? Order.LONG : order(left, right);
    Scalar a = compile(left, plans);
    Scalar b = compile(right, plans);
    return (row, env) -> compared(kind, a.eval(row, env), b.eval(row, env), order);
  }

  private static boolean alwaysNull(RexNode n) {
    return n.getType().getSqlTypeName() == SqlTypeName.NULL || n instanceof RexLiteral l && l.isNull();
  }

  /**
   * AND ({@code decisive} false) or OR ({@code decisive} true) in three-valued logic: the
   * decisive value wins, else an unknown operand makes the whole unknown.
   */
  private static Scalar connective(Scalar[] ops, boolean decisive) {
    return (row, env) -> {
      boolean unknown = false;
      for (Scalar s : ops) {
        Object v = s.eval(row, env);
        if (v == null) {
          unknown = true;
        } else if ((Boolean) v == decisive) {
          return decisive;
        }
      }
      return unknown ? null : !decisive;
    };
  }

  private static Scalar test(SqlKind kind, Scalar x) {
    return (row, env) -> {
      Object v = x.eval(row, env);
      return switch (kind) {
        case IS_NULL -> v == null;
        case IS_NOT_NULL -> v != null;
        case IS_TRUE -> Boolean.TRUE.equals(v);
        case IS_NOT_TRUE -> !Boolean.TRUE.equals(v);
        case IS_FALSE -> Boolean.FALSE.equals(v);
        default -> !Boolean.FALSE.equals(v);
      };
    };
  }

  private static Scalar caseWhen(RexCall call, PlanInterpreter plans) {
    Scalar[] ops = operands(call, plans);
    RelDataType type = call.getType();
    for (int i = 1; i < ops.length; i += 2) {
      ops[i] = converted(ops[i], type);
    }
    ops[ops.length - 1] = converted(ops[ops.length - 1], type);
    return (row, env) -> {
      for (int i = 0; i + 1 < ops.length; i += 2) {
        if (Boolean.TRUE.equals(ops[i].eval(row, env))) {
          return ops[i + 1].eval(row, env);
        }
      }
      return ops[ops.length - 1].eval(row, env);
    };
  }

  /**
   * The casts whose result is plain: to the same type, integers to wider integers or to
   * floating point, integers to decimals of scale 0, and anything from NULL.
   */
  private static Scalar cast(RexCall call, PlanInterpreter plans) {
    RexNode operand = call.operands.get(0);
    RelDataType from = operand.getType();
    RelDataType to = call.getType();
    SqlTypeName f = from.getSqlTypeName();
    SqlTypeName t = to.getSqlTypeName();
    if (f == SqlTypeName.NULL || operand instanceof RexLiteral l && l.isNull()) {
      return (row, env) -> null;
    }
    Scalar x = compile(operand, plans);
    if (f == t && (t != SqlTypeName.DECIMAL || from.getScale() == to.getScale() && from.getPrecision() <= to.getPrecision())
        && (t != SqlTypeName.CHAR || from.getPrecision() == to.getPrecision()) && (t != SqlTypeName.VARCHAR || to.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED
        || from.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED && from.getPrecision() <= to.getPrecision())) {
      return x;
    }
    if (SqlTypeName.INT_TYPES.contains(f) && SqlTypeName.INT_TYPES.contains(t)) {
      if (rank(t) >= rank(f)) {
        return converted(x, to);
      }
      return (row, env) -> { // narrowing fails as the generated code's does
        Object v = x.eval(row, env);
        if (v == null) {
          return null;
        }
        long l = ((Number) v).longValue();
        Object narrowed = narrow(l, t);
        if (((Number) narrowed).longValue() != l) {
          throw new ArithmeticException("Value " + l + " out of range");
        }
        return narrowed;
      };
    }
    if (SqlTypeName.NUMERIC_TYPES.contains(f) && SqlTypeName.APPROX_TYPES.contains(t)) {
      return converted(x, to); // the nearest double (float): BigDecimal's doubleValue, as the generated code's
    }
    // To a decimal every value fits unrounded: the value at the type's scale
    int integerDigits = SqlTypeName.INT_TYPES.contains(f) ? digits(f)
        : f == SqlTypeName.DECIMAL && from.getScale() <= to.getScale() ? from.getPrecision() - from.getScale() : Integer.MAX_VALUE;
    if (t == SqlTypeName.DECIMAL && integerDigits <= to.getPrecision() - to.getScale()) {
      int scale = to.getScale();
      return (row, env) -> {
        Object v = x.eval(row, env);
        return v == null ? null : decimal(v).setScale(scale);
      };
    }
    throw PlanInterpreter.UNSUPPORTED;
  }

  /** The decimal digits of an integer type's largest value. */
  private static int digits(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INTEGER -> 10;
      default -> 19;
    };
  }

  private static int rank(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> 1;
      case SMALLINT -> 2;
      case INTEGER -> 3;
      default -> 4;
    };
  }

  // ---- functions ----

  /**
   * A static Java function Accrete or Calcite's library declares (PostgreSQL's numeric
   * division, numeric text, …), called as the generated code calls it: a null for a primitive
   * parameter gives null.
   */
  private static Scalar function(Method method, RexCall call, PlanInterpreter plans) {
    if (!Modifier.isStatic(method.getModifiers()) || !method.getDeclaringClass().getName().startsWith("io.accrete.sql.")
        || method.getParameterCount() != call.operands.size() || method.isVarArgs()) {
      throw PlanInterpreter.UNSUPPORTED;
    }
    Class<?>[] params = method.getParameterTypes();
    for (Class<?> p : params) {
      if (!(p == BigDecimal.class || p == String.class || p == int.class || p == long.class || p == double.class
          || p == Integer.class || p == Long.class || p == Double.class || p == boolean.class || p == Boolean.class)) {
        throw PlanInterpreter.UNSUPPORTED;
      }
    }
    Scalar[] ops = operands(call, plans);
    Scalar result = (row, env) -> {
      Object[] args = new Object[ops.length];
      for (int i = 0; i < ops.length; i++) {
        Object v = ops[i].eval(row, env);
        if (v == null && params[i].isPrimitive()) {
          return null;
        }
        args[i] = argument(v, params[i]);
      }
      try {
        return method.invoke(null, args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    };
    return converted(result, call.getType());
  }

  private static Object argument(Object v, Class<?> p) {
    if (v == null) {
      return null;
    }
    if (p == BigDecimal.class) {
      return v instanceof Number ? (v instanceof Double || v instanceof Float ? new BigDecimal(v.toString()) : decimal(v)) : v;
    }
    if (p == int.class || p == Integer.class) {
      return ((Number) v).intValue();
    }
    if (p == long.class || p == Long.class) {
      return ((Number) v).longValue();
    }
    if (p == double.class || p == Double.class) {
      return ((Number) v).doubleValue();
    }
    return v;
  }

  // ---- sub-queries ----

  private static Scalar subQuery(RexSubQuery sub, PlanInterpreter plans) {
    PlanInterpreter.Op rel = plans.subPlan(sub.rel);
    switch (sub.getKind()) {
      case SCALAR_QUERY:
        return (row, env) -> {
          List<Object[]> rows = env.rows(rel, sub);
          if (rows.size() > 1) {
            throw new AccreteSqlException("21000", "more than one row returned by a subquery used as an expression");
          }
          return rows.isEmpty() ? null : rows.get(0)[0];
        };
      case EXISTS:
        return (row, env) -> !env.rows(rel, sub).isEmpty();
      case IN, SOME: {
        SqlKind op = sub.getKind() == SqlKind.IN ? SqlKind.EQUALS : ((SqlQuantifyOperator) sub.getOperator()).comparisonKind;
        List<RelDataType> right = new ArrayList<>();
        sub.rel.getRowType().getFieldList().forEach(field -> right.add(field.getType()));
        Order[] orders = new Order[sub.operands.size()];
        Scalar[] left = new Scalar[orders.length];
        for (int i = 0; i < orders.length; i++) {
          orders[i] = order(sub.operands.get(i), right.get(i));
          left[i] = compile(sub.operands.get(i), plans);
        }
        return (row, env) -> {
          Object[] values = new Object[left.length];
          for (int i = 0; i < left.length; i++) {
            values[i] = left[i].eval(row, env);
          }
          boolean unknown = false;
          for (Object[] r : env.rows(rel, sub)) {
            Boolean all = true;
            for (int i = 0; i < values.length && !Boolean.FALSE.equals(all); i++) {
              Boolean c = compared(op, values[i], r[i], orders[i]);
              all = c == null ? null : all == null ? (c ? null : false) : c;
            }
            if (Boolean.TRUE.equals(all)) {
              return true;
            }
            unknown |= all == null;
          }
          return unknown ? null : false;
        };
      }
      default:
        throw PlanInterpreter.UNSUPPORTED;
    }
  }
}
