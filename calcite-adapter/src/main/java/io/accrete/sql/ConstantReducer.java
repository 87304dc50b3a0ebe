package io.accrete.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContexts;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The planner's constant folding: Calcite's, which compiles a Java class with Janino for every
 * expression it folds, except for the fold that simplifying a filter asks for most — a number
 * literal cast to a floating-point type, as {@code col4 > 57.93} on a DOUBLE column makes — which
 * is computed here as the generated code would compute it ({@link BigDecimal#doubleValue},
 * {@link BigDecimal#floatValue}). A compilation costs about a millisecond; a statement may fold
 * several literals.
 */
final class ConstantReducer implements RexExecutor {
  private final RexExecutor compiled = new RexExecutorImpl(DataContexts.EMPTY);

  @Override
  public void reduce(RexBuilder rexBuilder, List<RexNode> constExps, List<RexNode> reducedValues) {
    List<RexNode> quick = new ArrayList<>(constExps.size());
    List<RexNode> rest = new ArrayList<>();
    for (RexNode e : constExps) {
      RexNode r = approximateCast(rexBuilder, e);
      quick.add(r);
      if (r == null) {
        rest.add(e);
      }
    }
    List<RexNode> restReduced = new ArrayList<>();
    if (!rest.isEmpty()) {
      compiled.reduce(rexBuilder, rest, restReduced);
    }
    int next = 0;
    for (RexNode r : quick) {
      reducedValues.add(r != null ? r : restReduced.get(next++));
    }
  }

  /** {@code CAST(number literal AS DOUBLE/FLOAT/REAL)} as a literal, or null for anything else. */
  private static RexNode approximateCast(RexBuilder rexBuilder, RexNode e) {
    if (e.getKind() != SqlKind.CAST || !(e instanceof RexCall call) || call.operands.size() != 1
        || !(call.operands.get(0) instanceof RexLiteral literal) || literal.isNull()) {
      return null;
    }
    SqlTypeName from = literal.getTypeName();
    if (from != SqlTypeName.DECIMAL && from != SqlTypeName.INTEGER && from != SqlTypeName.BIGINT
        && from != SqlTypeName.SMALLINT && from != SqlTypeName.TINYINT) {
      return null;
    }
    BigDecimal v = literal.getValueAs(BigDecimal.class);
    if (v == null) {
      return null;
    }
    return switch (e.getType().getSqlTypeName()) {
      case DOUBLE, FLOAT -> rexBuilder.makeLiteral(v.doubleValue(), e.getType(), true);
      case REAL -> rexBuilder.makeLiteral(v.floatValue(), e.getType(), true);
      default -> null;
    };
  }
}
