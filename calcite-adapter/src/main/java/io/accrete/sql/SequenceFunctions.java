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
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's {@code nextval(name)}, {@code currval(name)} and {@code setval(name, value)} on
 * {@link Sequences}. They need the connection running the statement, which plain functions do
 * not see: the generated code passes the statement's {@link DataContext}. Public only for
 * Calcite's generated code; not an API.
 */
public final class SequenceFunctions {
  private SequenceFunctions() {}

  /** The sequence's next value for the statement's connection. */
  public static long nextval(DataContext root, String name) {
    return session(root).sequences().next(name);
  }

  /** The value nextval last gave the statement's connection. */
  public static long currval(DataContext root, String name) {
    return session(root).sequences().current(name);
  }

  /** Sets the sequence's last value; the next nextval gives the one after it. */
  public static long setval(DataContext root, String name, long value) {
    return session(root).sequences().set(name, value);
  }

  private static SqlSession session(DataContext root) {
    SchemaPlus s = root.getRootSchema() == null ? null : root.getRootSchema().getSubSchema(AccreteSql.SCHEMA);
    AccreteSchema a = s == null ? null : s.unwrap(AccreteSchema.class);
    if (a == null) {
      throw new AccreteSqlException("sequence functions need an Accrete connection");
    }
    return a.session();
  }

  /** The three functions as Calcite sees them. */
  static List<Object[]> all() {
    List<Object[]> out = new ArrayList<>();
    out.add(new Object[] {"nextval", new Fn("nextval", 1)});
    out.add(new Object[] {"currval", new Fn("currval", 1)});
    out.add(new Object[] {"setval", new Fn("setval", 2)});
    return out;
  }

  /** One of the functions: its parameters (a name, and setval's value) and its call. */
  static final class Fn implements ScalarFunction, ImplementableFunction {
    private final Method method;
    private final int arity;

    Fn(String name, int arity) {
      this.arity = arity;
      try {
        this.method = arity == 1 ? SequenceFunctions.class.getMethod(name, DataContext.class, String.class)
            : SequenceFunctions.class.getMethod(name, DataContext.class, String.class, long.class);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public List<FunctionParameter> getParameters() {
      List<FunctionParameter> ps = new ArrayList<>();
      ps.add(parameter(0, "name", SqlTypeName.VARCHAR));
      if (arity == 2) {
        ps.add(parameter(1, "value", SqlTypeName.BIGINT));
      }
      return ps;
    }

    private static FunctionParameter parameter(int ordinal, String name, SqlTypeName type) {
      return new FunctionParameter() {
        @Override
        public int getOrdinal() {
          return ordinal;
        }

        @Override
        public String getName() {
          return name;
        }

        @Override
        public RelDataType getType(RelDataTypeFactory f) {
          return f.createSqlType(type);
        }

        @Override
        public boolean isOptional() {
          return false;
        }
      };
    }

    @Override
    public RelDataType getReturnType(RelDataTypeFactory f) {
      return f.createSqlType(SqlTypeName.BIGINT);
    }

    @Override
    public CallImplementor getImplementor() {
      return (translator, call, nullAs) -> {
        List<Expression> args = new ArrayList<>();
        args.add(translator.getRoot());
        List<Expression> operands = translator.translateList(call.getOperands());
        args.add(Expressions.convert_(operands.get(0), String.class));
        if (arity == 2) {
          args.add(Expressions.convert_(operands.get(1), long.class));
        }
        return Expressions.call(method, args);
      };
    }
  }
}
