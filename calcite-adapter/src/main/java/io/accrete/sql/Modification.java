package io.accrete.sql;

import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.schema.ValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.core.TableModify;

/**
 * One planned {@code INSERT}, {@code UPDATE} or {@code DELETE}, run on its source rows: the rows
 * become one transaction's data — new entities with the table's row marker, {@code :db/cas} of
 * each changed value from the value the statement read (so a concurrent change fails the
 * statement rather than being overwritten), or retractions of a row's values — written through
 * the connection's {@link SqlWrites} (at once, or into the open transaction). NOT NULL, declared
 * lengths and numeric scales are checked here; uniqueness by the transactor. Public only for
 * Calcite's generated code; not an API.
 */
public final class Modification {
  /** The method generated code calls. */
  static final java.lang.reflect.Method RUN;

  static {
    try {
      RUN = Modification.class.getMethod("run", DataContext.class, Enumerable.class);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Keyword ADD = Keyword.of("db", "add");
  private static final Keyword RETRACT = Keyword.of("db", "retract");
  private static final Keyword CAS = Keyword.of("db", "cas");
  private static final Pattern LENGTH = Pattern.compile("(?:VARCHAR|CHARACTER VARYING|CHAR|CHARACTER|BPCHAR)\\s*\\(\\s*(\\d+)\\s*\\)");
  private static final Pattern SCALE = Pattern.compile("(?:NUMERIC|DECIMAL|DEC)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

  private final AccreteTable table;
  private final TableModify.Operation op;
  private final List<String> updateColumns;
  private final boolean scalarRows;
  /** Fields of a source row before the CHECK values (the entity id, if any, is the last of them). */
  private final int inputFields;
  private final int checks;
  /** An INSERT's ON CONFLICT clause, or null. */
  private final OnConflict conflict;

  Modification(AccreteTable table, TableModify.Operation op, List<String> updateColumns, boolean scalarRows,
      int inputFields, int checks, OnConflict conflict) {
    this.conflict = conflict;
    this.table = table;
    this.op = op;
    this.updateColumns = List.copyOf(updateColumns);
    this.scalarRows = scalarRows;
    this.inputFields = inputFields;
    this.checks = checks;
  }

  /**
   * Runs the statement on its source rows (called by Calcite's generated code).
   *
   * @param root the statement's context
   * @param rows the source rows
   * @return one row: the number of rows inserted, updated or deleted
   */
  public Enumerable<Long> run(DataContext root, Enumerable<?> rows) {
    SqlSession session = table.session;
    session.checkWritable(table.name);
    SqlSession.checkNotReadOnly(root, op.name());
    session.writes().checkNotAborted();
    boolean autoCommit = SqlSession.autoCommit(root);
    Database db = session.statementDb(root);
    List<Object> tx = new ArrayList<>();
    List<java.util.Map<String, Object>> generated = new ArrayList<>();
    java.util.Map<List<Object>, Object> claimed = new java.util.HashMap<>(); // (attribute, value) → entity, this statement
    long count = 0;
    List<Object[]> kept = session.writes().keepingRows() && table instanceof EntityTable ? new ArrayList<>() : null;
    for (Object row : rows) {
      Object[] r = scalarRows ? new Object[] {row} : row instanceof Object[] a ? a : ((List<?>) row).toArray();
      count++;
      if (kept != null) {
        kept.add(returned((EntityTable) table, r));
      }
      for (int c = 0; c < checks; c++) {
        if (Boolean.FALSE.equals(r[inputFields + c])) {
          EntityTable t = (EntityTable) table;
          throw new AccreteSqlException("23514", "new row for relation \"" + t.name + "\" violates check constraint ("
              + t.def.checks().get(c) + ")");
        }
      }
      if (checks > 0) {
        r = java.util.Arrays.copyOf(r, inputFields);
      }
      if (table instanceof EntityTable t) {
        switch (op) {
          case INSERT -> {
            if (!insert(t, db, r, tx, generated, claimed)) {
              count--; // ON CONFLICT DO NOTHING skipped it
            }
          }
          case UPDATE -> update(t, db, r, tx);
          case DELETE -> delete(t, db, id(t, r), tx);
          default -> throw new AccreteSqlException("0A000", op + " is not supported");
        }
      } else if (table instanceof ManyTable m) {
        pair(m, r, tx);
      } else {
        throw new AccreteSqlException("42809", table.name + " is a system table: it cannot be changed");
      }
    }
    if (table instanceof EntityTable t && !tx.isEmpty()) {
      ForeignKeys.check(t, db, tx);
      CompositeKeys.check(t, db, tx);
    }
    session.writes().write(tx, autoCommit);
    if (kept != null) {
      keepReturned((EntityTable) table, kept, generated);
    }
    if (op == TableModify.Operation.INSERT) {
      session.writes().generated(generated);
    }
    return Linq4j.singletonEnumerable(count);
  }

  /** A row as RETURNING sees it (SQL values): the new row of an INSERT or UPDATE, the old one of a DELETE. */
  private Object[] returned(EntityTable t, Object[] r) {
    int first = t.sqlCreated() ? 0 : 1;
    int n = t.columns.size() - 1;
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = r[first + i];
    }
    if (op == TableModify.Operation.UPDATE) {
      for (int k = 0; k < updateColumns.size(); k++) {
        for (int c = 1; c < t.columns.size(); c++) {
          if (t.columns.get(c).name().equals(updateColumns.get(k))) {
            out[c - 1] = r[(t.sqlCreated() ? n : n + 1) + k];
          }
        }
      }
    }
    return out;
  }

  /** The columns RETURNING sees of a table: {names, SQL types}. */
  static List<List<String>> returnedColumns(EntityTable t) {
    org.apache.calcite.rel.type.RelDataTypeFactory f = new org.apache.calcite.jdbc.JavaTypeFactoryImpl(AccreteTypeSystem.INSTANCE);
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (int c = 1; c < t.columns.size(); c++) {
      names.add(t.columns.get(c).name());
      types.add(t.columnType(t.columns.get(c), f).getFullTypeString().replace(" NOT NULL", ""));
    }
    return List.of(names, types);
  }

  private static void keepReturned(EntityTable t, List<Object[]> rows, List<java.util.Map<String, Object>> generated) {
    List<List<String>> columns = returnedColumns(t);
    List<String> names = columns.get(0);
    List<String> types = columns.get(1);
    // Identity values drawn during the INSERT replace the NULLs the source rows had.
    for (int i = 0; i < rows.size() && i < generated.size(); i++) {
      for (java.util.Map.Entry<String, Object> g : generated.get(i).entrySet()) {
        rows.get(i)[names.indexOf(g.getKey())] = g.getValue();
      }
    }
    t.session.writes().changed(names, types, rows);
  }

  private long id(EntityTable t, Object[] r) {
    Object id = t.sqlCreated() ? r[inputFields - 1] : r[0];
    return ((Number) id).longValue();
  }

  /** Adds a row; false when ON CONFLICT DO NOTHING skipped it. */
  private boolean insert(EntityTable t, Database db, Object[] r, List<Object> tx,
      List<java.util.Map<String, Object>> generated, java.util.Map<List<Object>, Object> claimed) {
    int offset = t.sqlCreated() ? 1 : 0; // the row's field i shows column i + offset
    if (!t.sqlCreated() && r[0] != null) {
      throw new AccreteSqlException("428C9", "cannot insert a db__id into " + t.name + ": Accrete assigns entity ids");
    }
    java.util.Map<String, Object> keys = new java.util.LinkedHashMap<>();
    java.util.Map<Column, Object> values = new java.util.LinkedHashMap<>();
    for (int i = t.sqlCreated() ? 0 : 1; i < r.length; i++) {
      Column c = t.columns.get(i + offset);
      Object v = r[i];
      TableDef.Col d = t.def == null ? null : t.def.column(c.name());
      if (d != null && d.sequence() != null) {
        if (v == null) {
          v = t.session.sequences().next(d.sequence()); // the identity's next number
        }
        keys.put(c.name(), v);
      }
      if (v == null) {
        checkNullable(t, c);
        continue;
      }
      writable(t, c);
      values.put(c, toAccrete(t, c, v));
    }
    if (conflict != null) {
      Object existing = conflicting(t, db, values, claimed);
      if (existing instanceof String) {
        throw new AccreteSqlException("21000", "ON CONFLICT DO UPDATE command cannot affect row a second time");
      }
      if (existing != null) {
        if (!conflict.doNothing()) {
          upsert(t, db, (Long) existing, values, tx);
        }
        return !conflict.doNothing();
      }
    }
    String e = t.session.writes().tempid();
    for (java.util.Map.Entry<Column, Object> v : values.entrySet()) {
      tx.add(List.of(ADD, e, v.getKey().attr().id(), v.getValue()));
      if (v.getKey().attr().isUnique()) {
        claimed.put(List.of(v.getKey().attr().id(), v.getValue()), e);
      }
    }
    if (t.sqlCreated()) {
      tx.add(List.of(ADD, e, t.members[0], true));
    } else if (values.isEmpty()) {
      throw new AccreteSqlException("23502", "a row of " + t.name + " needs at least one non-null column:"
          + " its rows are the entities with an attribute of :" + t.namespace + "/…");
    }
    generated.add(keys);
    return true;
  }

  /**
   * The entity a new row's key names already: its id, the tempid of a row this statement added
   * (a String), or null.
   */
  private Object conflicting(EntityTable t, Database db, java.util.Map<Column, Object> values,
      java.util.Map<List<Object>, Object> claimed) {
    for (java.util.Map.Entry<Column, Object> v : values.entrySet()) {
      Column c = v.getKey();
      if (!c.attr().isUnique() || (!conflict.target().isEmpty() && !conflict.target().contains(c.name()))) {
        continue;
      }
      Object mine = claimed.get(List.of(c.attr().id(), v.getValue()));
      if (mine != null) {
        return conflict.doNothing() ? Boolean.TRUE : mine;
      }
      for (Datom d : db.datoms(Keyword.of(null, "avet"), c.attr().id(), v.getValue())) {
        return d.e();
      }
    }
    return null;
  }

  /** ON CONFLICT DO UPDATE: the existing row takes the assignments. */
  private void upsert(EntityTable t, Database db, long e, java.util.Map<Column, Object> proposed,
      List<Object> tx) {
    for (java.util.Map.Entry<String, Object> set : conflict.set().entrySet()) {
      Column c = column(t, set.getKey());
      writable(t, c);
      Object now;
      if (set.getValue() instanceof OnConflict.Excluded x) {
        now = proposed.get(column(t, x.column()));
      } else {
        now = set.getValue() == null ? null : toAccrete(t, c, set.getValue());
      }
      Object old = Datoms.value(db, e, c.attr().id());
      if (now == null) {
        checkNullable(t, c);
        if (old != null) {
          tx.add(List.of(RETRACT, e, c.attr().id(), old));
        }
      } else if (!now.equals(old)) {
        tx.add(Arrays.asList(CAS, e, c.attr().id(), old, now));
      }
    }
  }

  private void update(EntityTable t, Database db, Object[] r, List<Object> tx) {
    long e = id(t, r);
    int tableFields = t.sqlCreated() ? t.columns.size() - 1 : t.columns.size();
    for (int k = 0; k < updateColumns.size(); k++) {
      Column c = column(t, updateColumns.get(k));
      writable(t, c);
      Object value = r[tableFields + k];
      Object old = Datoms.value(db, e, c.attr().id());
      if (value == null) {
        checkNullable(t, c);
        if (old != null) {
          tx.add(List.of(RETRACT, e, c.attr().id(), old));
        }
        continue;
      }
      Object now = toAccrete(t, c, value);
      if (!now.equals(old)) {
        tx.add(Arrays.asList(CAS, e, c.attr().id(), old, now));
      }
    }
  }

  private static void delete(EntityTable t, Database db, long e, List<Object> tx) {
    for (long a : t.attributeIds()) {
      for (Object v : Datoms.values(db, e, a)) {
        tx.add(List.of(RETRACT, e, a, v));
      }
    }
  }

  private void pair(ManyTable m, Object[] r, List<Object> tx) {
    if (op != TableModify.Operation.INSERT && op != TableModify.Operation.DELETE) {
      throw new AccreteSqlException("0A000", m.name + " takes INSERT and DELETE of pairs; UPDATE is not supported");
    }
    if (r[0] == null || r[1] == null) {
      throw new AccreteSqlException("23502", "both columns of " + m.name + " are needed");
    }
    Column c = m.columns.get(1);
    if (c.kind() != Column.Kind.VALUE) {
      throw new AccreteSqlException("0A000", "cannot write column " + c.name() + " of " + m.name);
    }
    tx.add(List.of(op == TableModify.Operation.INSERT ? ADD : RETRACT, ((Number) r[0]).longValue(), m.attr.id(),
        toAccrete(null, c, r[1])));
  }

  private static Column column(EntityTable t, String name) {
    for (Column c : t.columns) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new AccreteSqlException("42703", "column \"" + name + "\" of relation \"" + t.name + "\" does not exist");
  }

  private static void writable(EntityTable t, Column c) {
    if (c.kind() != Column.Kind.VALUE) {
      throw new AccreteSqlException("0A000", "cannot write column " + c.name() + " of " + t.name
          + (c.kind() == Column.Kind.IDENT ? ": write the ref column itself" : ": it shows part of a tuple"));
    }
  }

  private static void checkNullable(EntityTable t, Column c) {
    TableDef.Col d = t.def == null ? null : t.def.column(c.name());
    if (d != null && d.notNull()) {
      throw new AccreteSqlException("23502", "null value in column \"" + c.name() + "\" of relation \"" + t.name
          + "\" violates not-null constraint");
    }
  }

  /** A SQL value as the attribute's type holds it, checked against the declared type. */
  static Object toAccrete(EntityTable t, Column c, Object v) {
    String declared = null;
    if (t != null && t.def != null && t.def.column(c.name()) != null) {
      declared = t.def.column(c.name()).type().toUpperCase(Locale.ROOT);
    }
    ValueType type = c.type();
    try {
      switch (type) {
        case LONG, REF:
          if (v instanceof BigDecimal d) {
            return d.setScale(0, RoundingMode.HALF_UP).longValueExact();
          }
          if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x) || Math.abs(x) > 9.2e18) {
              throw new AccreteSqlException("22003", "value out of range for " + c.name() + ": " + v);
            }
            return Math.round(x);
          }
          if (v instanceof Number n) {
            return n.longValue();
          }
          return Long.parseLong(v.toString().trim());
        case DOUBLE:
          return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        case FLOAT:
          return v instanceof Number n ? n.floatValue() : Float.parseFloat(v.toString().trim());
        case BIGDEC: {
          BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString().trim());
          Matcher m = declared == null ? null : SCALE.matcher(declared);
          if (m != null && m.find()) {
            int scale = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            d = d.setScale(scale, RoundingMode.HALF_UP);
            if (d.precision() - d.scale() > Integer.parseInt(m.group(1)) - scale) {
              throw new AccreteSqlException("22003", "numeric field overflow: " + v + " does not fit " + declared);
            }
          } else if (d.scale() > 0) {
            // No declared scale: the zeros a cast to the column's type added are not the value's.
            d = d.stripTrailingZeros();
            if (d.scale() < 0) {
              d = d.setScale(0);
            }
          }
          return d;
        }
        case STRING: {
          String s = v instanceof String x ? x : String.valueOf(v);
          Matcher m = declared == null ? null : LENGTH.matcher(declared);
          if (m != null && m.find() && s.codePointCount(0, s.length()) > Integer.parseInt(m.group(1))) {
            throw new AccreteSqlException("22001", "value too long for type " + declared.toLowerCase(Locale.ROOT));
          }
          return s;
        }
        case BOOLEAN:
          if (v instanceof Boolean b) {
            return b;
          }
          throw new AccreteSqlException("22P02", "invalid input syntax for type boolean: \"" + v + "\"");
        case INSTANT:
          if (v instanceof Long millis) {
            return new java.util.Date(millis);
          }
          if (v instanceof Integer i) { // a TIME's milliseconds of the day, else a DATE's days
            return new java.util.Date(c.declared() == org.apache.calcite.sql.type.SqlTypeName.TIME ? i : i * 86_400_000L);
          }
          if (v instanceof java.util.Date d) {
            return new java.util.Date(d.getTime());
          }
          break;
        case UUID:
          return v instanceof java.util.UUID u ? u : java.util.UUID.fromString(v.toString().trim());
        case BYTES:
          if (v instanceof ByteString b) {
            return b.getBytes();
          }
          if (v instanceof byte[] b) {
            return b;
          }
          break;
        case BIGINT:
          return (v instanceof BigDecimal d ? d : new BigDecimal(v.toString().trim())).toBigIntegerExact();
        default:
          Object x = SqlTypes.toAccrete(type, v);
          if (x != SqlTypes.NO_VALUE) {
            return x;
          }
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new AccreteSqlException("22P02", "invalid input syntax for column " + c.name() + " (" + type.ident()
          + "): \"" + v + "\"");
    } catch (IllegalArgumentException e) {
      throw new AccreteSqlException("22P02", "invalid input for column " + c.name() + ": \"" + v + "\"");
    }
    throw new AccreteSqlException("42804", "column \"" + c.name() + "\" is of type " + type.ident()
        + " but the value is " + v.getClass().getSimpleName());
  }

}
