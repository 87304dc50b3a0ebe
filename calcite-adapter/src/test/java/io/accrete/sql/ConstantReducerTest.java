package io.accrete.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.calcite.DataContexts;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * The planner's folding of number literals cast to floating point, differentially: every fold
 * {@link ConstantReducer} computes itself equals the one Calcite's compiled reduction gives, and
 * what it does not compute (here: integer arithmetic) still folds.
 */
class ConstantReducerTest {
  private final JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(AccreteTypeSystem.INSTANCE);
  private final RexBuilder rex = new RexBuilder(types);

  @Test
  void castsOfNumberLiteralsFoldAsCalcitesCompiledCodeFoldsThem() {
    Random r = new Random(17);
    List<RexNode> exps = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      RexLiteral literal = switch (i % 3) {
        case 0 -> rex.makeExactLiteral(new BigDecimal(r.nextLong()).movePointLeft(r.nextInt(20)));
        case 1 -> rex.makeExactLiteral(BigDecimal.valueOf(r.nextInt()), types.createSqlType(SqlTypeName.INTEGER));
        default -> rex.makeExactLiteral(new BigDecimal(r.nextInt(100_000)).movePointLeft(2));
      };
      SqlTypeName target = List.of(SqlTypeName.DOUBLE, SqlTypeName.FLOAT, SqlTypeName.REAL).get(r.nextInt(3));
      RelDataType type = types.createTypeWithNullability(types.createSqlType(target), r.nextBoolean());
      exps.add(rex.makeAbstractCast(type, literal, false));
    }
    exps.add(rex.makeCall(org.apache.calcite.sql.fun.SqlStdOperatorTable.PLUS,
        rex.makeExactLiteral(BigDecimal.ONE, types.createSqlType(SqlTypeName.INTEGER)),
        rex.makeExactLiteral(BigDecimal.TEN, types.createSqlType(SqlTypeName.INTEGER))));
    List<RexNode> ours = new ArrayList<>();
    new ConstantReducer().reduce(rex, exps, ours);
    List<RexNode> calcites = new ArrayList<>();
    new RexExecutorImpl(DataContexts.EMPTY).reduce(rex, exps, calcites);
    assertEquals(exps.size(), ours.size());
    for (int i = 0; i < exps.size(); i++) {
      assertNotEquals(exps.get(i), calcites.get(i), "Calcite folded " + exps.get(i));
      assertEquals(calcites.get(i), ours.get(i), "fold of " + exps.get(i));
      assertEquals(calcites.get(i).getType(), ours.get(i).getType(), "type of the fold of " + exps.get(i));
    }
  }
}
