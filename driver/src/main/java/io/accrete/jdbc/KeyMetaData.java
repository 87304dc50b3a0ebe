package io.accrete.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Database metadata with the keys filled in. Calcite's metadata, and Avatica's remote client,
 * return no primary, imported or exported keys; BI tools need them to draw joins. They come from
 * the tables {@code db__primary_keys} and {@code db__foreign_keys}, read with SQL over the same
 * connection, so remote connections get them too.
 */
final class KeyMetaData implements InvocationHandler {
  private final DatabaseMetaData base;
  private final Connection target;
  private final Connection proxy;
  private final String url;

  KeyMetaData(DatabaseMetaData base, Connection target, Connection proxy, String url) {
    this.base = base;
    this.target = target;
    this.proxy = proxy;
    this.url = url;
  }

  private static final String FK_COLUMNS = "CAST(NULL AS VARCHAR) AS \"PKTABLE_CAT\", 'accrete' AS \"PKTABLE_SCHEM\","
      + " pk_table AS \"PKTABLE_NAME\", pk_column AS \"PKCOLUMN_NAME\", CAST(NULL AS VARCHAR) AS \"FKTABLE_CAT\","
      + " 'accrete' AS \"FKTABLE_SCHEM\", fk_table AS \"FKTABLE_NAME\", fk_column AS \"FKCOLUMN_NAME\","
      + " CAST(key_seq AS SMALLINT) AS \"KEY_SEQ\", CAST(" + DatabaseMetaData.importedKeyNoAction + " AS SMALLINT) AS \"UPDATE_RULE\","
      + " CAST(" + DatabaseMetaData.importedKeyNoAction + " AS SMALLINT) AS \"DELETE_RULE\", fk_name AS \"FK_NAME\","
      + " " + CatalogQueries.PK_NAME + " AS \"PK_NAME\", CAST(" + DatabaseMetaData.importedKeyNotDeferrable
      + " AS SMALLINT) AS \"DEFERRABILITY\" FROM db__foreign_keys";

  @Override
  public Object invoke(Object p, Method m, Object[] args) throws Throwable {
    switch (m.getName()) {
      case "getPrimaryKeys":
        return query(CatalogQueries.primaryKeys(table(args, 1, 2)));
      case "getTables":
        return query(CatalogQueries.tables((String) args[1], (String) args[2], (String[]) args[3]));
      case "getTableTypes":
        return query(CatalogQueries.tableTypes());
      case "getColumns":
        return query(CatalogQueries.columns((String) args[1], (String) args[2], (String) args[3]));
      case "getIndexInfo":
        return query(CatalogQueries.indexInfo(table(args, 1, 2)));
      case "getTypeInfo":
        return query(CatalogQueries.typeInfo());
      case "getTimeDateFunctions":
        // Calcite lists CONVERT_TIMEZONE, which it cannot run; the others all work in {fn …}, as
        // do the ones JDBC 4 added, which Accrete passes on as plain calls.
        return String.join(",", java.util.stream.Stream.concat(
            java.util.Arrays.stream(((String) JdbcProxies.call(proxy, base, m, args)).split(","))
                .filter(f -> !f.equals("CONVERT_TIMEZONE")),
            java.util.stream.Stream.of("CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "EXTRACT")).toList());
      case "getStringFunctions":
        return JdbcProxies.call(proxy, base, m, args) + ",CHAR_LENGTH,CHARACTER_LENGTH,OCTET_LENGTH,POSITION";
      case "supportsTransactions":
      case "supportsMultipleTransactions":
      case "supportsDataManipulationTransactionsOnly":
        return true; // DML in transactions; DDL commits on its own
      case "supportsTransactionIsolationLevel":
        return (Integer) args[0] != java.sql.Connection.TRANSACTION_NONE;
      case "getDefaultTransactionIsolation":
        return java.sql.Connection.TRANSACTION_READ_COMMITTED;
      case "getImportedKeys":
        return query("SELECT " + FK_COLUMNS + " WHERE fk_table = ? ORDER BY pk_table, fk_name, key_seq",
            table(args, 1, 2));
      case "getExportedKeys":
        return query("SELECT " + FK_COLUMNS + " WHERE pk_table = ? ORDER BY fk_table, fk_name, key_seq",
            table(args, 1, 2));
      case "getCrossReference":
        return query("SELECT " + FK_COLUMNS + " WHERE pk_table = ? AND fk_table = ? ORDER BY fk_table, fk_name, key_seq",
            table(args, 1, 2), table(args, 4, 5));
      case "getDatabaseProductName":
        return "Accrete";
      case "getDriverName":
        return "Accrete JDBC";
      case "getDriverVersion":
      case "getDatabaseProductVersion":
        return Driver.VERSION;
      case "getDatabaseMajorVersion":
      case "getDriverMajorVersion":
        return Integer.parseInt(Driver.VERSION.split("\\.")[0]);
      case "getDatabaseMinorVersion":
      case "getDriverMinorVersion":
        return Integer.parseInt(Driver.VERSION.split("\\.")[1]);
      case "getURL":
        return url;
      case "isReadOnly":
        return false; // SQL writes (DDL and DML are transactions); past moments refuse them per statement
      case "getConnection":
        return proxy;
      default:
        return JdbcProxies.result(JdbcProxies.call(proxy, base, m, args), proxy);
    }
  }

  /** The table argument, or a name no table has when the schema argument is not Accrete's. */
  private static String table(Object[] args, int schema, int table) {
    String s = (String) args[schema];
    boolean ours = s == null || s.isEmpty() || s.equals("accrete");
    return ours ? (String) args[table] : "\u0000";
  }

  private ResultSet query(CatalogQueries.Query q) throws SQLException {
    return query(q.sql(), q.params().toArray(new String[0]));
  }

  private ResultSet query(String sql, String... params) throws SQLException {
    synchronized (proxy) { // one call at a time per connection, as JdbcProxies.call
      PreparedStatement s = target.prepareStatement(sql);
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      s.closeOnCompletion();
      return (ResultSet) JdbcProxies.result(s.executeQuery(), proxy);
    }
  }
}
