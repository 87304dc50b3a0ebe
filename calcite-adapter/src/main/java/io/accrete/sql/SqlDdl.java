package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.schema.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link SqlCommand}s as schema transactions. A SQL table {@code t} is the attribute
 * namespace {@code t}: its columns are attributes {@code :t/col} (types below), and a row-marker
 * attribute {@code :t/db__row} makes every row an entity of the table even when all its columns
 * are NULL; the marker's entity keeps the {@link TableDef}. {@code DROP TABLE} retracts the rows
 * and renames the attributes out of the way (into {@code :db.dropped.…}), so the name can be
 * used again and the old rows stay in history. Views are entities holding their query's text.
 * Every DDL transaction also changes {@code :accrete.sql/catalog}, which tells every
 * connection's schema to read tables and views again.
 */
final class SqlDdl {
  static final Keyword CATALOG = Keyword.of("accrete.sql", "catalog");
  static final Keyword VIEW_NAME = Keyword.of("accrete.sql.view", "name");
  static final Keyword VIEW_QUERY = Keyword.of("accrete.sql.view", "query");
  static final Keyword INDEX_NAME = Keyword.of("accrete.sql.index", "name");
  static final Keyword INDEX_TABLE = Keyword.of("accrete.sql.index", "table");
  static final Keyword INDEX_DEF = Keyword.of("accrete.sql.index", "definition");
  private static final Keyword IDENT = Keyword.of("db", "ident");

  private final SqlSession session;
  /** What the schema transaction's new column holds in the rows there (ADD COLUMN … DEFAULT), next. */
  private final List<Object> filled = new ArrayList<>();

  SqlDdl(SqlSession session) {
    this.session = session;
  }

  /**
   * Runs a command; {@code sql} is the connection running it (to ask it queries about the rows,
   * as adding a constraint must), or null.
   */
  void run(SqlCommand command, java.sql.Connection sql) {
    SqlWrites w = session.writes();
    if (command instanceof SqlCommand.Begin) {
      w.begin();
      return;
    }
    if (command instanceof SqlCommand.Commit) {
      w.commit();
      return;
    }
    if (command instanceof SqlCommand.Rollback) {
      w.rollback();
      return;
    }
    w.checkNotAborted();
    if (command instanceof SqlCommand.SetOption o) {
      session.set(o.name(), o.value());
      return;
    }
    if (w.hasWrites()) {
      throw new AccreteSqlException("0A000", "DDL after writes in an open transaction is not supported yet:"
          + " COMMIT or ROLLBACK first, or run the DDL before the writes (" + command.text() + ")");
    }
    installMetaAttributes();
    Database db = session.conn().db();
    List<Object> tx;
    if (command instanceof SqlCommand.CreateTable c) {
      tx = createTable(db, c);
    } else if (command instanceof SqlCommand.DropTable d) {
      tx = dropTables(db, d);
    } else if (command instanceof SqlCommand.AlterTable a) {
      tx = alterTable(db, a, sql);
    } else if (command instanceof SqlCommand.AlterConstraint a) {
      tx = alterConstraint(db, a, sql);
    } else if (command instanceof SqlCommand.Truncate t) {
      tx = truncate(db, t);
    } else if (command instanceof SqlCommand.CreateIndex i) {
      tx = createIndex(db, i);
    } else if (command instanceof SqlCommand.DropIndex i) {
      tx = dropIndex(db, i);
    } else if (command instanceof SqlCommand.CreateSequence q) {
      tx = createSequence(db, q);
    } else if (command instanceof SqlCommand.DropSequence q) {
      tx = dropSequence(db, q);
    } else if (command instanceof SqlCommand.CreateView v) {
      tx = createView(db, v);
    } else if (command instanceof SqlCommand.DropView v) {
      tx = dropViews(db, v);
    } else {
      throw new IllegalStateException("not DDL: " + command);
    }
    if (!tx.isEmpty()) {
      List<Object> all = new ArrayList<>(tx);
      all.add(List.of(Keyword.of("db", "add"), CATALOG, CATALOG, System.nanoTime()));
      w.transact(all);
      if (!filled.isEmpty()) {
        w.transact(new ArrayList<>(filled));
        filled.clear();
      }
      // Inside a transaction (before any write) the schema change is applied at once, and the
      // transaction goes on from the value after it: ROLLBACK does not undo DDL here.
      w.rebase();
    }
  }

  /** The attributes that hold tables' definitions, views and the catalog's version. */
  private void installMetaAttributes() {
    Database db = session.conn().db();
    if (db.attribute(Sequences.INCREMENT) != null) {
      return;
    }
    session.writes().transact(List.of(
        attr(CATALOG, ValueType.LONG, null, "changes with every SQL DDL transaction"),
        attr(TableDef.ATTR, ValueType.STRING, null, "a SQL table's definition (EDN), on its row-marker attribute"),
        attr(VIEW_NAME, ValueType.STRING, Attribute.UNIQUE_IDENTITY, "a SQL view's name"),
        attr(VIEW_QUERY, ValueType.STRING, null, "a SQL view's query"),
        attr(INDEX_NAME, ValueType.STRING, Attribute.UNIQUE_IDENTITY, "a SQL index's name (every attribute is in AVET)"),
        attr(INDEX_TABLE, ValueType.STRING, null, "the table a SQL index is on"),
        attr(INDEX_DEF, ValueType.STRING, null, "a SQL index's CREATE INDEX statement"),
        attr(Sequences.NAME, ValueType.STRING, Attribute.UNIQUE_IDENTITY, "a SQL sequence's name"),
        attr(Sequences.VALUE, ValueType.LONG, null, "the last value a SQL sequence handed out"),
        attr(Sequences.INCREMENT, ValueType.LONG, null, "a SQL sequence's step")));
  }

  private static Map<Keyword, Object> attr(Keyword ident, ValueType type, Keyword unique, String doc) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(IDENT, ident);
    m.put(Keyword.of("db", "valueType"), type.ident());
    m.put(Keyword.of("db", "cardinality"), Attribute.CARDINALITY_ONE);
    if (unique != null) {
      m.put(Keyword.of("db", "unique"), unique);
    }
    if (doc != null) {
      m.put(Keyword.of("db", "doc"), doc);
    }
    return m;
  }

  // ---- tables ----

  private List<Object> createTable(Database db, SqlCommand.CreateTable c) {
    if (tableExists(c.table())) {
      if (c.ifNotExists()) {
        return List.of();
      }
      throw new AccreteSqlException("42P07", "relation \"" + c.table() + "\" already exists");
    }
    if (SqlNames.of(c.table()).isEmpty() || !SqlNames.of(c.table()).equals(c.table())) {
      throw new AccreteSqlException("42602", "table name \"" + c.table() + "\" is not supported: use lower-case"
          + " letters, digits and single underscores (its attributes are :" + SqlNames.of(c.table()) + "/…)");
    }
    if (c.columns().isEmpty()) {
      throw new AccreteSqlException("42601", "a table needs at least one column here");
    }
    List<Object> tx = new ArrayList<>();
    List<TableDef.Col> cols = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (SqlCommand.ColumnDef col : c.columns()) {
      if (!names.add(col.name())) {
        throw new AccreteSqlException("42701", "column \"" + col.name() + "\" specified more than once");
      }
      checkColumnName(col.name());
      ValueType type = valueType(col.type());
      boolean unique = col.unique() || (c.primaryKey().size() == 1 && c.primaryKey().get(0).equals(col.name()))
          || c.uniques().stream().anyMatch(u -> u.size() == 1 && u.get(0).equals(col.name()));
      tx.add(attr(Keyword.of(c.table(), col.name()), type, unique ? Attribute.UNIQUE_VALUE : null, null));
      boolean notNull = col.notNull() || c.primaryKey().contains(col.name());
      String sequence = null;
      if (col.identity() != null) {
        if (type != ValueType.LONG) {
          throw new AccreteSqlException("42804", "identity column \"" + col.name() + "\" must be an integer type");
        }
        sequence = c.table() + "_" + col.name() + "_seq";
        tx.add(Sequences.create(sequence));
      }
      cols.add(new TableDef.Col(col.name(), col.type(), notNull, col.defaultSql(), sequence));
    }
    for (String pk : c.primaryKey()) {
      if (!names.contains(pk)) {
        throw new AccreteSqlException("42703", "column \"" + pk + "\" named in key does not exist");
      }
    }
    List<String> checks = new ArrayList<>(c.checks());
    for (SqlCommand.ColumnDef col : c.columns()) {
      if (col.check() != null) {
        checks.add(col.check());
      }
    }
    List<SqlCommand.ForeignKey> fks = new ArrayList<>();
    List<SqlCommand.ForeignKey> declaredFks = new ArrayList<>(c.foreignKeys());
    for (SqlCommand.ColumnDef col : c.columns()) {
      if (col.references() != null) {
        declaredFks.add(col.references());
      }
    }
    for (SqlCommand.ForeignKey fk : declaredFks) {
      fks.add(resolve(fk, c, names));
    }
    TableDef def = new TableDef(cols, c.primaryKey(), c.uniques(), checks, fks, c.constraintNames());
    for (String check : checks) {
      validateCheck(check, c.table(), cols);
    }
    Map<Keyword, Object> row = attr(Keyword.of(c.table(), TableDef.ROW), ValueType.BOOLEAN, null,
        "marks the rows of SQL table " + c.table());
    row.put(TableDef.ATTR, def.toEdn());
    tx.add(0, row); // first: its id is the table's lowest, and the columns follow in order
    return tx;
  }

  /** Whether a table (of SQL or of EDN) has this name now. */
  private boolean tableExists(String name) {
    return session.tables().get(name) instanceof EntityTable;
  }

  private EntityTable table(String name, boolean ifExists) {
    if (session.tables().get(name) instanceof EntityTable t) {
      return t;
    }
    if (ifExists) {
      return null;
    }
    throw new AccreteSqlException("42P01", "relation \"" + name + "\" does not exist");
  }

  /** A table SQL made, for ALTER TABLE (null when absent and IF EXISTS was said). */
  private EntityTable sqlTable(String name, boolean ifExists) {
    EntityTable t = table(name, ifExists);
    if (t != null && !t.sqlCreated()) {
      throw new AccreteSqlException("0A000", "table " + t.name + " shows the attributes of :" + t.namespace
          + "/…, which were not created by SQL; change its schema with a transaction");
    }
    return t;
  }

  private List<Object> dropTables(Database db, SqlCommand.DropTable d) {
    List<Object> tx = new ArrayList<>();
    long stamp = System.currentTimeMillis();
    for (String name : d.tables()) {
      EntityTable t = table(name, d.ifExists());
      if (t == null) {
        continue;
      }
      if (!t.sqlCreated()) {
        throw new AccreteSqlException("0A000", "table " + name + " shows the attributes of :" + t.namespace
            + "/…, which were not created by SQL; retract them with a transaction instead");
      }
      for (Object[] dep : referencing(name, d.tables())) {
        EntityTable o = (EntityTable) dep[0];
        SqlCommand.ForeignKey fk = (SqlCommand.ForeignKey) dep[1];
        if (!d.cascade()) {
          throw new AccreteSqlException("2BP01", "cannot drop table " + name + " because other objects depend on it:"
              + " a foreign key of table " + o.name + " (" + String.join(", ", fk.columns()) + ") references it;"
              + " DROP … CASCADE drops that constraint too");
        }
        tx.add(List.of(Keyword.of("db", "add"), o.members[0], TableDef.ATTR,
            o.def.without(TableDef.descriptor("FOREIGN KEY", fk.columns(), null)).toEdn()));
      }
      tx.addAll(retractRows(db, t));
      tx.addAll(dropIndexesOf(db, name));
      for (long id : t.attributeIds()) {
        tx.add(List.of(Keyword.of("db", "add"), id, IDENT,
            Keyword.of("db.dropped." + stamp + "." + t.namespace, db.attribute(id).ident().name())));
      }
    }
    return tx;
  }

  private List<Object> alterTable(Database db, SqlCommand.AlterTable a, java.sql.Connection sql) {
    EntityTable t = sqlTable(a.table(), a.ifExists());
    if (t == null) {
      return List.of();
    }
    TableDef def = t.def;
    long marker = t.members[0];
    List<Object> tx = new ArrayList<>();
    filled.clear();
    List<TableDef.Col> cols = new ArrayList<>(def.columns());
    TableDef.Col col = a.column() == null ? null : def.column(a.column());
    switch (a.action()) {
      case "ADD" -> {
        SqlCommand.ColumnDef c = a.added();
        if (col != null) {
          if (a.ifClause()) {
            return List.of();
          }
          throw new AccreteSqlException("42701", "column \"" + c.name() + "\" of relation \"" + t.name
              + "\" already exists");
        }
        checkColumnName(c.name());
        if (c.primaryKey()) {
          throw new AccreteSqlException("0A000", "ADD COLUMN … PRIMARY KEY is not supported yet");
        }
        ValueType type = valueType(c.type());
        boolean rows = hasRows(db, t);
        if (c.notNull() && rows && c.defaultSql() == null && c.identity() == null) {
          throw new AccreteSqlException("23502", "column \"" + c.name() + "\" of relation \"" + t.name
              + "\" contains null values");
        }
        if (c.unique() && rows && (c.defaultSql() != null) && rowIds(db, t).size() > 1) {
          throw new AccreteSqlException("23505", "could not create unique index on \"" + t.name + "\": Key ("
              + c.name() + ") is duplicated");
        }
        // The rows there take their values in a second transaction: an attribute cannot be used
        // in the transaction that makes it. The values are computed before either runs.
        Keyword attrRef = Keyword.of(t.namespace, c.name());
        tx.add(attr(attrRef, type, c.unique() ? Attribute.UNIQUE_VALUE : null, null));
        String sequence = null;
        if (c.identity() != null) {
          if (type != ValueType.LONG) {
            throw new AccreteSqlException("42804", "identity column \"" + c.name() + "\" must be an integer type");
          }
          sequence = t.name + "_" + c.name() + "_seq";
          // As PostgreSQL does: the rows there are numbered now, in the order they were made.
          List<Long> ids = rowIds(db, t);
          Map<Keyword, Object> seq = Sequences.create(sequence, ids.size() + 1, 1);
          tx.add(seq);
          for (int i = 0; i < ids.size(); i++) {
            filled.add(List.of(Keyword.of("db", "add"), ids.get(i), attrRef, (long) i + 1));
          }
        } else if (c.defaultSql() != null && rows) {
          // PostgreSQL fills the rows there with the default: once for a constant, per row for a
          // volatile one (nextval, random).
          boolean perRow = c.defaultSql().toLowerCase(Locale.ROOT).matches("(?s).*\\b(nextval|random|gen_random_uuid)\\s*\\(.*");
          Object value = null;
          for (long e : rowIds(db, t)) {
            if (perRow || value == null) {
              value = accreteValue(type, firstRow(sql, "SELECT CAST(" + c.defaultSql() + " AS " + castType(c.type(), type)
                  + ")").get(0));
            }
            if (value == null) {
              if (c.notNull()) {
                throw new AccreteSqlException("23502", "column \"" + c.name() + "\" of relation \"" + t.name
                    + "\" contains null values");
              }
              break;
            }
            filled.add(List.of(Keyword.of("db", "add"), e, attrRef, value));
          }
        }
        cols.add(new TableDef.Col(c.name(), c.type(), c.notNull(), c.defaultSql(), sequence));
      }
      case "DROP", "DROP_CASCADE" -> {
        if (col == null) {
          if (a.ifClause()) {
            return List.of();
          }
          throw missingColumn(a.column(), t);
        }
        for (Object[] dep : referencing(t.name, List.of())) {
          EntityTable o = (EntityTable) dep[0];
          SqlCommand.ForeignKey fk = (SqlCommand.ForeignKey) dep[1];
          if (o != t && fk.refColumns().contains(a.column())) {
            if (!a.action().equals("DROP_CASCADE")) {
              throw new AccreteSqlException("2BP01", "cannot drop column " + a.column() + " of table " + t.name
                  + " because other objects depend on it: a foreign key of table " + o.name + " references it;"
                  + " DROP … CASCADE drops that constraint too");
            }
            tx.add(List.of(Keyword.of("db", "add"), o.members[0], TableDef.ATTR,
                o.def.without(TableDef.descriptor("FOREIGN KEY", fk.columns(), null)).toEdn()));
          }
        }
        // As in PostgreSQL, the constraints that involve the column go with it.
        def = withoutColumn(def, a.column());
        Attribute attr = t.attributeOf(a.column());
        for (Datom d : db.datoms(Keyword.of(null, "aevt"), attr.id())) {
          tx.add(List.of(Keyword.of("db", "retract"), d.e(), d.a(), d.v()));
        }
        tx.add(List.of(Keyword.of("db", "add"), attr.id(), IDENT,
            Keyword.of("db.dropped." + System.currentTimeMillis() + "." + t.namespace, attr.ident().name())));
        cols.remove(col);
      }
      case "RENAME_COLUMN" -> {
        if (col == null) {
          throw missingColumn(a.column(), t);
        }
        if (def.column(a.newName()) != null) {
          throw new AccreteSqlException("42701", "column \"" + a.newName() + "\" of relation \"" + t.name
              + "\" already exists");
        }
        checkColumnName(a.newName());
        tx.add(List.of(Keyword.of("db", "add"), t.attributeOf(a.column()).id(), IDENT,
            Keyword.of(t.namespace, a.newName())));
        cols.set(cols.indexOf(col), new TableDef.Col(a.newName(), col.type(), col.notNull(), col.defaultSql(), col.sequence()));
        def = renamed(def, a.column(), a.newName());
        // Foreign keys that name the column, in this table (a self-reference) and in others.
        def = referencesRenamed(def, t.name, t.name, a.column(), a.newName());
        for (Object[] dep : referencing(t.name, List.of(t.name))) {
          EntityTable o = (EntityTable) dep[0];
          tx.add(List.of(Keyword.of("db", "add"), o.members[0], TableDef.ATTR,
              referencesRenamed(o.def, t.name, t.name, a.column(), a.newName()).toEdn()));
        }
      }
      case "RENAME_TABLE" -> {
        if (tableExists(a.newName()) || session.tables().containsKey(a.newName())) {
          throw new AccreteSqlException("42P07", "relation \"" + a.newName() + "\" already exists");
        }
        if (!SqlNames.of(a.newName()).equals(a.newName())) {
          throw new AccreteSqlException("42602", "table name \"" + a.newName() + "\" is not supported: use"
              + " lower-case letters, digits and single underscores");
        }
        for (long id : t.attributeIds()) {
          tx.add(List.of(Keyword.of("db", "add"), id, IDENT, Keyword.of(a.newName(), db.attribute(id).ident().name())));
        }
        // Foreign keys name the table: its own (a self-reference) and other tables'.
        for (Object[] dep : referencing(t.name, List.of(t.name))) {
          EntityTable o = (EntityTable) dep[0];
          tx.add(List.of(Keyword.of("db", "add"), o.members[0], TableDef.ATTR,
              referencesRenamed(o.def, t.name, a.newName(), null, null).toEdn()));
        }
        def = referencesRenamed(def, t.name, a.newName(), null, null);
        if (def.equals(t.def)) {
          return tx;
        }
      }
      case "SET_NOT_NULL", "DROP_NOT_NULL", "SET_DEFAULT", "DROP_DEFAULT" -> {
        if (col == null) {
          throw missingColumn(a.column(), t);
        }
        boolean notNull = a.action().equals("SET_NOT_NULL") || (col.notNull() && !a.action().equals("DROP_NOT_NULL"));
        if (a.action().equals("SET_NOT_NULL") && hasNulls(db, t, t.attributeOf(a.column()))) {
          throw new AccreteSqlException("23502", "column \"" + a.column() + "\" of relation \"" + t.name
              + "\" contains null values");
        }
        String dflt = a.action().equals("SET_DEFAULT") ? a.newName()
            : a.action().equals("DROP_DEFAULT") ? null : col.defaultSql();
        cols.set(cols.indexOf(col), new TableDef.Col(col.name(), col.type(), notNull, dflt, col.sequence()));
      }
      default -> throw new IllegalStateException(a.action());
    }
    tx.add(List.of(Keyword.of("db", "add"), marker, TableDef.ATTR, def.withColumns(cols).toEdn()));
    return tx;
  }

  // ---- constraints ----

  private List<Object> alterConstraint(Database db, SqlCommand.AlterConstraint a, java.sql.Connection sql) {
    EntityTable t = sqlTable(a.table(), a.ifExists());
    if (t == null) {
      return List.of();
    }
    TableDef def = t.def;
    Map<String, String> constraints = def.constraints(t.name);
    List<Object> tx = new ArrayList<>();
    if (a.dropped() != null) {
      String d = constraints.get(a.dropped());
      if (d == null) {
        if (a.ifConstraintExists()) {
          return List.of();
        }
        throw new AccreteSqlException("42704", "constraint \"" + a.dropped() + "\" of relation \"" + t.name
            + "\" does not exist");
      }
      def = def.without(d);
      for (String col : keyColumns(t.def, d)) {
        if (!uniqueAlone(def, col)) { // one column's key is its attribute's uniqueness
          tx.add(List.of(Keyword.of("db", "retract"), t.attributeOf(col).id(), Keyword.of("db", "unique"),
              Attribute.UNIQUE_VALUE));
        }
      }
    } else {
      SqlCommand.Constraint k = a.added();
      String d = TableDef.descriptor(k.kind(), k.columns(), k.check());
      if (k.name() != null && constraints.containsKey(k.name())) {
        throw new AccreteSqlException("42710", "constraint \"" + k.name() + "\" for relation \"" + t.name
            + "\" already exists");
      }
      for (String col : k.columns()) {
        if (def.column(col) == null) {
          throw new AccreteSqlException("42703", "column \"" + col + "\" named in key does not exist");
        }
      }
      List<TableDef.Col> cols = new ArrayList<>(def.columns());
      switch (k.kind()) {
        case "PRIMARY KEY", "UNIQUE" -> {
          if (k.kind().equals("PRIMARY KEY")) {
            if (!def.primaryKey().isEmpty()) {
              throw new AccreteSqlException("42P16", "multiple primary keys for table \"" + t.name
                  + "\" are not allowed");
            }
            for (String col : k.columns()) {
              if (hasNulls(db, t, t.attributeOf(col))) {
                throw new AccreteSqlException("23502", "column \"" + col + "\" of relation \"" + t.name
                    + "\" contains null values");
              }
              TableDef.Col c = def.column(col);
              cols.set(cols.indexOf(c), new TableDef.Col(c.name(), c.type(), true, c.defaultSql(), c.sequence()));
            }
          }
          checkNoDuplicates(sql, t.name, k.columns());
          if (k.columns().size() == 1 && !t.attributeOf(k.columns().get(0)).isUnique()) {
            tx.add(List.of(Keyword.of("db", "add"), t.attributeOf(k.columns().get(0)).id(), Keyword.of("db", "unique"),
                Attribute.UNIQUE_VALUE));
          }
          List<List<String>> uniques = new ArrayList<>(def.uniques());
          if (k.kind().equals("UNIQUE")) {
            uniques.add(k.columns());
          }
          def = new TableDef(cols, k.kind().equals("PRIMARY KEY") ? k.columns() : def.primaryKey(), uniques,
              def.checks(), def.foreignKeys(), def.constraintNames());
        }
        case "CHECK" -> {
          validateCheck(k.check(), t.name, def.columns());
          if (count(sql, "SELECT count(*) FROM " + t.name + " WHERE NOT (" + k.check() + ")") > 0) {
            throw new AccreteSqlException("23514", "check constraint \"" + (k.name() != null ? k.name()
                : t.name + "_check") + "\" of relation \"" + t.name + "\" is violated by some row");
          }
          List<String> checks = new ArrayList<>(def.checks());
          checks.add(k.check());
          def = new TableDef(cols, def.primaryKey(), def.uniques(), checks, def.foreignKeys(), def.constraintNames());
        }
        default -> {
          SqlCommand.ForeignKey fk = resolve(k.references(), asCreateTable(t), new java.util.HashSet<>(
              def.columns().stream().map(TableDef.Col::name).toList()));
          EntityTable target = fk.table().equals(t.name) ? t : table(fk.table(), false);
          List<Attribute> from = fk.columns().stream().map(t::attributeOf).toList();
          List<Attribute> to = fk.refColumns().stream().map(target::attributeOf).toList();
          for (Datom v : db.datoms(Keyword.of(null, "aevt"), from.get(0).id())) {
            List<Object> values = Datoms.tuple(db, v.e(), from);
            if (values != null && !ForeignKeys.hasRow(db, target, to, values)) {
              throw new AccreteSqlException("23503", "insert or update on table \"" + t.name + "\" violates foreign"
                  + " key constraint: Key (" + String.join(", ", fk.columns()) + ")=(" + String.join(", ",
                  values.stream().map(String::valueOf).toList()) + ") is not present in table \"" + fk.table() + "\"");
            }
          }
          List<SqlCommand.ForeignKey> fks = new ArrayList<>(def.foreignKeys());
          fks.add(fk);
          def = new TableDef(cols, def.primaryKey(), def.uniques(), def.checks(), fks, def.constraintNames());
        }
      }
      if (k.name() != null) {
        def = def.named(k.name(), d);
      }
    }
    tx.add(List.of(Keyword.of("db", "add"), t.members[0], TableDef.ATTR, def.toEdn()));
    return tx;
  }

  /**
   * The foreign keys of other tables SQL made that reference {@code table}: {referencing table,
   * key} each; tables in {@code except} (being dropped too, or the table itself) left out.
   */
  private List<Object[]> referencing(String table, List<String> except) {
    List<Object[]> out = new ArrayList<>();
    for (org.apache.calcite.schema.Table other : session.tables().values()) {
      if (other instanceof EntityTable o && o.sqlCreated() && !except.contains(o.name)) {
        for (SqlCommand.ForeignKey fk : o.def.foreignKeys()) {
          if (fk.table().equals(table)) {
            out.add(new Object[] {o, fk});
          }
        }
      }
    }
    return out;
  }

  /**
   * A definition whose foreign keys to {@code table} name it {@code newTable} and, when
   * {@code column} is given, name that referenced column {@code newColumn}.
   */
  private static TableDef referencesRenamed(TableDef def, String table, String newTable, String column,
      String newColumn) {
    List<SqlCommand.ForeignKey> fks = new ArrayList<>();
    for (SqlCommand.ForeignKey fk : def.foreignKeys()) {
      if (fk.table().equals(table)) {
        List<String> refs = column == null ? fk.refColumns()
            : fk.refColumns().stream().map(c -> c.equals(column) ? newColumn : c).toList();
        fks.add(new SqlCommand.ForeignKey(fk.columns(), newTable, refs));
      } else {
        fks.add(fk);
      }
    }
    return new TableDef(def.columns(), def.primaryKey(), def.uniques(), def.checks(), fks, def.constraintNames());
  }

  /** A definition without the keys, foreign keys and checks that involve a column (DROP COLUMN). */
  private static TableDef withoutColumn(TableDef def, String column) {
    java.util.regex.Pattern word = java.util.regex.Pattern.compile("(?<![\\w\"'.])" + java.util.regex.Pattern.quote(column)
        + "(?![\\w\"'])");
    TableDef out = def;
    for (String d : def.constraints("").values()) {
      boolean involves = d.startsWith("CHECK ") ? word.matcher(d.substring(6)).find()
          : d.equals("PRIMARY KEY") ? def.primaryKey().contains(column)
          : List.of(d.substring(d.indexOf('(') + 1, d.length() - 1).split(",")).contains(column);
      if (involves) {
        out = out.without(d);
      }
    }
    return out;
  }

  /** The table's rows, in the order they were made. */
  private static List<Long> rowIds(Database db, EntityTable t) {
    List<Long> ids = new ArrayList<>();
    for (Datom d : db.datoms(Keyword.of(null, "aevt"), t.members[0])) {
      ids.add(d.e());
    }
    return ids;
  }

  /** The SQL type a column's values are computed as (Calcite's names; PostgreSQL's scale kept). */
  private static String castType(String declared, ValueType type) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(\\s*(\\d+)\\s*(,\\s*(\\d+)\\s*)?\\)").matcher(declared);
    if (type == ValueType.BIGDEC && m.find()) {
      return "DECIMAL(" + m.group(1) + ", " + (m.group(3) == null ? "0" : m.group(3)) + ")";
    }
    return SqlTypes.name(type);
  }

  /** A value a query answered (a JDBC object) as the attribute value of a column of {@code type}. */
  private static Object accreteValue(ValueType type, Object v) {
    if (v == null) {
      return null;
    }
    return switch (type) {
      case LONG -> ((Number) v).longValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case FLOAT -> ((Number) v).floatValue();
      case BIGDEC -> v instanceof java.math.BigDecimal d ? d : new java.math.BigDecimal(v.toString());
      case INSTANT -> new java.util.Date(((java.util.Date) v).getTime());
      case UUID -> java.util.UUID.fromString(v.toString());
      case STRING -> v.toString();
      default -> v;
    };
  }

  /** The columns of a PRIMARY KEY or UNIQUE of one column that {@code descriptor} names (else none). */
  private static List<String> keyColumns(TableDef def, String descriptor) {
    if (descriptor.equals("PRIMARY KEY")) {
      return def.primaryKey().size() == 1 ? def.primaryKey() : List.of();
    }
    if (descriptor.startsWith("UNIQUE (") && !descriptor.contains(",")) {
      return List.of(descriptor.substring("UNIQUE (".length(), descriptor.length() - 1));
    }
    return List.of();
  }

  /** Whether some PRIMARY KEY or UNIQUE of the definition is this one column. */
  private static boolean uniqueAlone(TableDef def, String col) {
    return def.primaryKey().equals(List.of(col)) || def.uniques().contains(List.of(col));
  }

  /** Fails with 23505 when two rows hold the same non-NULL values in all these columns. */
  private static void checkNoDuplicates(java.sql.Connection sql, String table, List<String> cols) {
    String list = String.join(", ", cols);
    String notNull = String.join(" AND ", cols.stream().map(c -> c + " IS NOT NULL").toList());
    List<Object> dup = firstRow(sql, "SELECT " + list + " FROM " + table + " WHERE " + notNull + " GROUP BY "
        + list + " HAVING count(*) > 1");
    if (dup != null) {
      throw new AccreteSqlException("23505", "could not create unique index on \"" + table + "\": Key (" + list
          + ")=(" + String.join(", ", dup.stream().map(String::valueOf).toList()) + ") is duplicated");
    }
  }

  private static long count(java.sql.Connection sql, String query) {
    List<Object> row = firstRow(sql, query);
    return ((Number) row.get(0)).longValue();
  }

  /** The first row a query about the rows answers, or null; needs the connection running the DDL. */
  private static List<Object> firstRow(java.sql.Connection sql, String query) {
    if (sql == null) {
      throw new AccreteSqlException("0A000", "this statement needs to read the table's rows, which this caller"
          + " cannot: " + query);
    }
    try (java.sql.Statement s = sql.createStatement(); java.sql.ResultSet rs = s.executeQuery(query)) {
      if (!rs.next()) {
        return null;
      }
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.add(rs.getObject(i));
      }
      return row;
    } catch (java.sql.SQLException e) {
      throw new AccreteSqlException(e.getSQLState() != null ? e.getSQLState() : "XX000", "cannot check the table's rows ("
          + query + "): " + e.getMessage(), e);
    }
  }

  /** An existing table's definition as the CREATE TABLE that would make it, to resolve keys against. */
  private static SqlCommand.CreateTable asCreateTable(EntityTable t) {
    List<SqlCommand.ColumnDef> cols = new ArrayList<>();
    for (TableDef.Col c : t.def.columns()) {
      cols.add(new SqlCommand.ColumnDef(c.name(), c.type(), c.notNull(), c.defaultSql(), false,
          t.attributeOf(c.name()).isUnique(), null, null, null));
    }
    return new SqlCommand.CreateTable("", t.name, false, cols, t.def.primaryKey(), t.def.uniques(), t.def.checks(),
        t.def.foreignKeys(), t.def.constraintNames());
  }

  /**
   * A foreign key with its referenced columns named and checked: one column (more are not
   * enforced yet), of a table SQL made (or this one), unique there, of the same attribute type.
   */
  private SqlCommand.ForeignKey resolve(SqlCommand.ForeignKey fk, SqlCommand.CreateTable c, java.util.Set<String> names) {
    for (String col : fk.columns()) {
      if (!names.contains(col)) {
        throw new AccreteSqlException("42703", "column \"" + col + "\" referenced in foreign key constraint does not exist");
      }
    }
    boolean self = fk.table().equals(c.table());
    EntityTable target = self ? null : table(fk.table(), false);
    List<String> pk = self ? c.primaryKey() : target.sqlCreated() ? target.def.primaryKey() : List.of();
    List<String> ref = fk.refColumns().isEmpty() ? pk : fk.refColumns();
    if (ref.size() != fk.columns().size()) {
      throw new AccreteSqlException(ref.isEmpty() ? "42830" : "42830", "number of referencing and referenced columns"
          + " for foreign key disagree, or there is no unique constraint matching given keys for referenced table \""
          + fk.table() + "\"");
    }
    for (int i = 0; i < ref.size(); i++) {
      String col = fk.columns().get(i);
      String refCol = ref.get(i);
      ValueType mine = valueType(columnDef(c, col).type());
      ValueType theirs;
      if (self) {
        SqlCommand.ColumnDef r = columnDef(c, refCol);
        if (r == null) {
          throw new AccreteSqlException("42703", "column \"" + refCol + "\" referenced in foreign key constraint does not exist");
        }
        theirs = valueType(r.type());
      } else {
        Attribute a = target.attributeOf(refCol);
        if (a == null) {
          throw new AccreteSqlException("42703", "column \"" + refCol + "\" referenced in foreign key constraint does not exist");
        }
        theirs = a.type();
      }
      if (mine != theirs) {
        throw new AccreteSqlException("42804", "foreign key constraint on " + col + " cannot be implemented: key columns"
            + " are of incompatible types");
      }
    }
    if (!uniqueKey(self, c, target, ref)) {
      throw new AccreteSqlException("42830", "there is no unique constraint matching given keys for referenced table \""
          + fk.table() + "\"");
    }
    return new SqlCommand.ForeignKey(List.copyOf(fk.columns()), fk.table(), List.copyOf(ref));
  }

  /** Whether these columns of the referenced table are its PRIMARY KEY or one of its UNIQUE constraints. */
  private static boolean uniqueKey(boolean self, SqlCommand.CreateTable c, EntityTable target, List<String> ref) {
    java.util.Set<String> wanted = new java.util.HashSet<>(ref);
    if (ref.size() == 1) {
      String refCol = ref.get(0);
      if (self) {
        SqlCommand.ColumnDef r = columnDef(c, refCol);
        return r != null && r.unique() || c.primaryKey().equals(ref)
            || c.uniques().stream().anyMatch(u -> u.equals(ref));
      }
      return target.attributeOf(refCol) != null && target.attributeOf(refCol).isUnique();
    }
    List<String> pk = self ? c.primaryKey() : target.sqlCreated() ? target.def.primaryKey() : List.of();
    List<List<String>> uniques = self ? c.uniques() : target.sqlCreated() ? target.def.uniques() : List.of();
    if (new java.util.HashSet<>(pk).equals(wanted)) {
      return true;
    }
    return uniques.stream().anyMatch(u -> new java.util.HashSet<>(u).equals(wanted));
  }

  private static SqlCommand.ColumnDef columnDef(SqlCommand.CreateTable c, String name) {
    for (SqlCommand.ColumnDef d : c.columns()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /** Fails now, not at the first INSERT, when a CHECK cannot be computed. */
  private static void validateCheck(String check, String table, List<TableDef.Col> cols) {
    org.apache.calcite.rel.type.RelDataTypeFactory f = new org.apache.calcite.jdbc.JavaTypeFactoryImpl(AccreteTypeSystem.INSTANCE);
    org.apache.calcite.rel.type.RelDataTypeFactory.Builder b = f.builder();
    for (TableDef.Col c : cols) {
      ValueType t = valueType(c.type());
      b.add(c.name(), f.createTypeWithNullability(SqlTypes.of(f, t), true));
    }
    org.apache.calcite.rel.type.RelDataType row = b.build();
    CheckExpressions.toRex(check, new org.apache.calcite.rex.RexBuilder(f), row, row.getFieldNames()::indexOf);
  }

  /** The definition after a column's rename: keys, foreign keys, checks and constraint names follow it. */
  private static TableDef renamed(TableDef def, String from, String to) {
    java.util.function.UnaryOperator<List<String>> rename = cols -> cols.stream().map(c -> c.equals(from) ? to : c).toList();
    // An unquoted name in a CHECK's text; a quoted one or one inside a string literal is rare enough to leave.
    java.util.regex.Pattern word = java.util.regex.Pattern.compile("(?<![\\w\"'.])" + java.util.regex.Pattern.quote(from)
        + "(?![\\w\"'])");
    java.util.function.UnaryOperator<String> renameCheck = c -> word.matcher(c).replaceAll(to);
    List<List<String>> uniques = new ArrayList<>();
    for (List<String> u : def.uniques()) {
      uniques.add(rename.apply(u));
    }
    List<SqlCommand.ForeignKey> fks = new ArrayList<>();
    for (SqlCommand.ForeignKey fk : def.foreignKeys()) {
      fks.add(new SqlCommand.ForeignKey(rename.apply(fk.columns()), fk.table(), fk.refColumns()));
    }
    Map<String, String> names = new LinkedHashMap<>();
    def.constraintNames().forEach((name, d) -> {
      String renamed = d;
      if (d.startsWith("CHECK ")) {
        renamed = TableDef.descriptor("CHECK", null, renameCheck.apply(d.substring(6)));
      } else if (d.endsWith(")")) {
        String kind = d.substring(0, d.indexOf(" ("));
        renamed = TableDef.descriptor(kind, rename.apply(List.of(d.substring(d.indexOf(" (") + 2, d.length() - 1)
            .split(","))), null);
      }
      names.put(name, renamed);
    });
    return new TableDef(def.columns(), rename.apply(def.primaryKey()), uniques,
        def.checks().stream().map(renameCheck).toList(), fks, names);
  }

  private static AccreteSqlException missingColumn(String column, EntityTable t) {
    return new AccreteSqlException("42703", "column \"" + column + "\" of relation \"" + t.name + "\" does not exist");
  }

  private static void checkColumnName(String name) {
    if (!SqlNames.of(name).equals(name) || name.startsWith("db_")) {
      throw new AccreteSqlException("42602", "column name \"" + name + "\" is not supported: use lower-case"
          + " letters, digits and single underscores, not starting with db_");
    }
  }

  private static boolean hasRows(Database db, EntityTable t) {
    return db.datoms(Keyword.of(null, "aevt"), t.members[0]).iterator().hasNext();
  }

  /** Whether some row of the table has no value of {@code attr}. */
  private static boolean hasNulls(Database db, EntityTable t, Attribute attr) {
    for (Datom row : db.datoms(Keyword.of(null, "aevt"), t.members[0])) {
      if (!Datoms.has(db, row.e(), attr.id())) {
        return true;
      }
    }
    return false;
  }

  private List<Object> truncate(Database db, SqlCommand.Truncate t) {
    List<Object> tx = new ArrayList<>();
    for (String name : t.tables()) {
      tx.addAll(retractRows(db, table(name, false)));
    }
    return tx;
  }

  /** Retractions of every value of the table's attributes: its rows are gone from the present. */
  static List<Object> retractRows(Database db, EntityTable t) {
    List<Object> tx = new ArrayList<>();
    for (long a : t.attributeIds()) {
      for (Datom d : db.datoms(Keyword.of(null, "aevt"), a)) {
        tx.add(List.of(Keyword.of("db", "retract"), d.e(), d.a(), d.v()));
      }
    }
    return tx;
  }

  private List<Object> createIndex(Database db, SqlCommand.CreateIndex i) {
    EntityTable t = table(i.table(), false);
    for (String col : i.columns()) {
      if (t.attributeOf(col) == null) {
        throw new AccreteSqlException("42703", "column \"" + col + "\" does not exist");
      }
    }
    String name = i.name() != null ? i.name() : i.table() + "_" + String.join("_", i.columns()) + "_idx";
    if (entityNamed(db, INDEX_NAME, name) != null || session.tables().containsKey(name)) {
      if (i.ifNotExists()) {
        return List.of();
      }
      throw new AccreteSqlException("42P07", "relation \"" + name + "\" already exists");
    }
    List<Object> tx = new ArrayList<>();
    // Every attribute is in AVET already: the index is recorded for metadata (and DROP INDEX).
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(INDEX_NAME, name);
    m.put(INDEX_TABLE, i.table());
    m.put(INDEX_DEF, i.text());
    tx.add(m);
    if (i.unique() && i.columns().size() == 1) {
      Attribute a = t.attributeOf(i.columns().get(0));
      if (!a.isUnique()) {
        tx.add(List.of(Keyword.of("db", "add"), a.id(), Keyword.of("db", "unique"), Attribute.UNIQUE_VALUE));
      }
    }
    return tx;
  }

  private List<Object> dropIndex(Database db, SqlCommand.DropIndex i) {
    Long id = entityNamed(db, INDEX_NAME, i.name());
    if (id == null) {
      if (i.ifExists()) {
        return List.of();
      }
      throw new AccreteSqlException("42704", "index \"" + i.name() + "\" does not exist");
    }
    return List.of(List.of(Keyword.of("db", "retractEntity"), id));
  }

  /** The indexes recorded on a table, for DROP TABLE. */
  private static List<Object> dropIndexesOf(Database db, String table) {
    List<Object> tx = new ArrayList<>();
    if (db.attribute(INDEX_TABLE) == null) {
      return tx;
    }
    for (Datom d : db.datoms(Keyword.of(null, "aevt"), INDEX_TABLE)) {
      if (d.v().equals(table)) {
        tx.add(List.of(Keyword.of("db", "retractEntity"), d.e()));
      }
    }
    return tx;
  }

  static Long entityNamed(Database db, Keyword attr, String name) {
    if (db.attribute(attr) == null) {
      return null;
    }
    for (Datom d : db.datoms(Keyword.of(null, "avet"), attr, name)) {
      return d.e();
    }
    return null;
  }

  // ---- sequences ----

  private List<Object> createSequence(Database db, SqlCommand.CreateSequence q) {
    if (entityNamed(db, Sequences.NAME, q.name()) != null || session.tables().containsKey(q.name())) {
      if (q.ifNotExists()) {
        return List.of();
      }
      throw new AccreteSqlException("42P07", "relation \"" + q.name() + "\" already exists");
    }
    if (q.increment() == 0) {
      throw new AccreteSqlException("22023", "INCREMENT must not be zero");
    }
    return List.of(Sequences.create(q.name(), q.start(), q.increment()));
  }

  private List<Object> dropSequence(Database db, SqlCommand.DropSequence q) {
    List<Object> tx = new ArrayList<>();
    for (String name : q.names()) {
      Long id = entityNamed(db, Sequences.NAME, name);
      if (id == null) {
        if (q.ifExists()) {
          continue;
        }
        throw new AccreteSqlException("42P01", "sequence \"" + name + "\" does not exist");
      }
      tx.add(List.of(Keyword.of("db", "retractEntity"), id));
    }
    return tx;
  }

  // ---- views ----

  private List<Object> createView(Database db, SqlCommand.CreateView v) {
    Long existing = viewId(db, v.name());
    if (existing != null && !v.orReplace()) {
      throw new AccreteSqlException("42P07", "relation \"" + v.name() + "\" already exists");
    }
    if (existing == null && session.tables().containsKey(v.name())) {
      throw new AccreteSqlException("42P07", "relation \"" + v.name() + "\" already exists");
    }
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(VIEW_NAME, v.name());
    m.put(VIEW_QUERY, normalized(v.columns().isEmpty() ? v.query() : withColumnNames(v)));
    return List.of(m);
  }

  /** {@code CREATE VIEW v (a, b) AS q} keeps {@code SELECT * FROM (q) AS v (a, b)}. */
  private static String withColumnNames(SqlCommand.CreateView v) {
    return "SELECT * FROM (" + v.query() + ") AS " + quote(v.name()) + " ("
        + String.join(", ", v.columns().stream().map(SqlDdl::quote).toList()) + ")";
  }

  /**
   * A view's query with every identifier quoted as this connection resolved it: views are
   * expanded with Calcite's default casing, which would read {@code t} as {@code T}.
   */
  private static String normalized(String query) {
    try {
      org.apache.calcite.sql.SqlNode node = org.apache.calcite.sql.parser.SqlParser.create(query,
          org.apache.calcite.sql.parser.SqlParser.config()
              .withUnquotedCasing(org.apache.calcite.avatica.util.Casing.TO_LOWER)
              .withQuotedCasing(org.apache.calcite.avatica.util.Casing.UNCHANGED)
              .withCaseSensitive(true)
              .withConformance(org.apache.calcite.sql.validate.SqlConformanceEnum.LENIENT)).parseQuery();
      return node.toSqlString(c -> c.withDialect(org.apache.calcite.sql.dialect.CalciteSqlDialect.DEFAULT)
          .withQuoteAllIdentifiers(true)).getSql();
    } catch (org.apache.calcite.sql.parser.SqlParseException e) {
      throw new AccreteSqlException("42601", "syntax error in the view's query: " + e.getMessage());
    }
  }

  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private List<Object> dropViews(Database db, SqlCommand.DropView d) {
    List<Object> tx = new ArrayList<>();
    for (String name : d.names()) {
      Long id = viewId(db, name);
      if (id == null) {
        if (d.ifExists()) {
          continue;
        }
        throw new AccreteSqlException("42P01", "view \"" + name + "\" does not exist");
      }
      tx.add(List.of(Keyword.of("db", "retractEntity"), id));
    }
    return tx;
  }

  static Long viewId(Database db, String name) {
    return entityNamed(db, VIEW_NAME, name);
  }

  // ---- types ----

  /**
   * The attribute type of a declared SQL type, as PostgreSQL names them: integers are longs,
   * REAL a float, DOUBLE PRECISION and FLOAT doubles, NUMERIC a bigdec, text types strings.
   */
  static ValueType valueType(String declared) {
    String t = declared.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    String base = t.replaceAll("\\s*\\(.*$", "").replace("[]", "").trim();
    if (t.endsWith("[]") || t.contains(" ARRAY")) {
      throw new AccreteSqlException("0A000", "array columns (" + declared + ") are not supported yet");
    }
    return switch (base) {
      case "SMALLINT", "INTEGER", "INT", "INT2", "INT4", "INT8", "BIGINT", "SERIAL", "BIGSERIAL", "SMALLSERIAL",
          "SERIAL4", "SERIAL8", "TINYINT", "MEDIUMINT" -> ValueType.LONG;
      case "REAL", "FLOAT4" -> ValueType.FLOAT;
      case "DOUBLE PRECISION", "DOUBLE", "FLOAT", "FLOAT8" -> t.matches("FLOAT\\s*\\(\\s*([1-9]|1\\d|2[0-4])\\s*\\)")
          ? ValueType.FLOAT : ValueType.DOUBLE;
      case "NUMERIC", "DECIMAL", "DEC" -> ValueType.BIGDEC;
      case "TEXT", "VARCHAR", "CHARACTER VARYING", "CHAR", "CHARACTER", "BPCHAR", "NAME", "CITEXT", "STRING",
          "NVARCHAR", "NCHAR", "CLOB" -> ValueType.STRING;
      case "BOOLEAN", "BOOL" -> ValueType.BOOLEAN;
      case "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ",
          "DATETIME" -> ValueType.INSTANT;
      case "UUID" -> ValueType.UUID;
      case "BYTEA", "BLOB", "VARBINARY", "BINARY" -> ValueType.BYTES;
      default -> throw new AccreteSqlException("42704", "type \"" + declared.toLowerCase(Locale.ROOT)
          + "\" does not exist (or is not supported yet)");
    };
  }
}
