package io.accrete.sql;

import io.accrete.Database;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The context of one execution of a statement, carrying the database value all its tables read
 * (taken on first use). It lives exactly as long as the execution's operators, which hold it:
 * a map from contexts to values, even a weak one, kept every value since the last collection
 * alive, and with them each transaction's copy of the novelty's changed nodes — at thousands
 * of short statements a second, most of the heap and a third of the time in garbage collection.
 */
final class StatementContext implements DataContext {
  private final DataContext calcite;
  private volatile Database db;

  StatementContext(DataContext calcite) {
    this.calcite = calcite;
  }

  /** The execution's value: {@code now}'s on the first call, the same one after. */
  Database db(Supplier<Database> now) {
    Database d = db;
    if (d == null) {
      synchronized (this) {
        if (db == null) {
          db = now.get();
        }
        d = db;
      }
    }
    return d;
  }

  @Override
  public SchemaPlus getRootSchema() {
    return calcite.getRootSchema();
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return calcite.getTypeFactory();
  }

  @Override
  public QueryProvider getQueryProvider() {
    return calcite.getQueryProvider();
  }

  @Override
  public Object get(String name) {
    return calcite.get(name);
  }
}
