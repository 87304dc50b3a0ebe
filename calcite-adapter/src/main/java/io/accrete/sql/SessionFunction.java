package io.accrete.sql;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A SQL function that needs the connection running the statement (sequences, settings): a
 * public static method whose first parameter is the statement's {@link DataContext}, which the
 * generated code passes; plain functions do not see it.
 */
final class SessionFunction implements ScalarFunction, ImplementableFunction {
  private static final java.util.Map<SqlTypeName, Class<?>> JAVA = java.util.Map.of(
      SqlTypeName.VARCHAR, String.class, SqlTypeName.BIGINT, long.class);

  final String name;
  private final Method method;
  private final SqlTypeName returns;
  private final List<SqlTypeName> params;

  /** The function {@code name}: the method of that name in {@code owner}. */
  SessionFunction(String name, Class<?> owner, SqlTypeName returns, SqlTypeName... params) {
    this.name = name;
    this.returns = returns;
    this.params = List.of(params);
    Class<?>[] types = new Class<?>[params.length + 1];
    types[0] = DataContext.class;
    for (int i = 0; i < params.length; i++) {
      types[i + 1] = JAVA.get(params[i]);
    }
    try {
      this.method = owner.getMethod(camelCase(name), types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(owner + " lost " + name, e);
    }
  }

  private static String camelCase(String snake) {
    StringBuilder b = new StringBuilder();
    for (String part : snake.split("_")) {
      b.append(b.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return b.toString();
  }

  @Override
  public List<FunctionParameter> getParameters() {
    List<FunctionParameter> ps = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      int ordinal = i;
      ps.add(new FunctionParameter() {
        @Override
        public int getOrdinal() {
          return ordinal;
        }

        @Override
        public String getName() {
          return "arg" + ordinal;
        }

        @Override
        public RelDataType getType(RelDataTypeFactory f) {
          return f.createSqlType(params.get(ordinal));
        }

        @Override
        public boolean isOptional() {
          return false;
        }
      });
    }
    return ps;
  }

  @Override
  public RelDataType getReturnType(RelDataTypeFactory f) {
    return f.createTypeWithNullability(f.createSqlType(returns), returns == SqlTypeName.VARCHAR);
  }

  @Override
  public CallImplementor getImplementor() {
    return (translator, call, nullAs) -> {
      List<Expression> args = new ArrayList<>();
      args.add(translator.getRoot());
      List<Expression> operands = translator.translateList(call.getOperands());
      for (int i = 0; i < operands.size(); i++) {
        args.add(Expressions.convert_(operands.get(i), JAVA.get(params.get(i))));
      }
      return Expressions.call(method, args);
    };
  }
}
