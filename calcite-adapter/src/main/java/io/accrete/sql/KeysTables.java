package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.index.DatomCursor;
import io.accrete.index.IndexOrder;
import io.accrete.index.Values;
import io.accrete.schema.Bootstrap;
import io.accrete.schema.ValueType;
import io.accrete.spi.IndexAccess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The keys BI tools draw joins from, as two tables any client can read (JDBC drivers, embedded
 * or remote, answer {@code getPrimaryKeys} and {@code getImportedKeys} from them):
 * {@code db__primary_keys (table_name, column_name, key_seq)} and
 * {@code db__foreign_keys (fk_table, fk_column, pk_table, pk_column, fk_name, key_seq)}.
 *
 * <p>A table SQL created has the keys it declared. A namespace table's key is {@code db__id}; a card-many table's is its two columns, and its
 * entity column refers to the namespace table. A ref column refers to the table the metaschema
 * declares, else to the table most of its current values belong to (a sample of them is read),
 * or to {@code db__idents} when they are idents (enums).
 */
final class KeysTables {
  private KeysTables() {}

  /** A column that refers to another table's key. */
  record Link(String table, String column, Attribute attr, String declared) {}

  static final class PrimaryKeys extends AccreteTable {
    private final List<Object[]> rows;

    PrimaryKeys(SqlSession session, List<Object[]> rows) {
      super(session, "db__primary_keys", List.of(Column.system("table_name", ValueType.STRING),
          Column.system("column_name", ValueType.STRING), Column.system("key_seq", ValueType.LONG)));
      this.rows = List.copyOf(rows);
    }

    @Override
    double rowCount(Database db) {
      return Math.max(1, rows.size());
    }

    @Override
    Iterator<Object[]> rows(Database db, ScanSpec spec, List<Condition.Bound> bound) {
      return rows.iterator();
    }

    /** Every row: table, column, key_seq. */
    List<Object[]> all() {
      return rows;
    }
  }

  static final class ForeignKeys extends AccreteTable {
    /** Card-many tables' entity columns: table, column, namespace table. */
    private final List<String[]> owners;
    private final List<Link> refs;
    /** What tables SQL created declared: a row of this table each. */
    private final List<Object[]> declared;
    /** Attribute id → the namespace table an entity with it is a row of. */
    private final Map<Long, String> memberOf;

    /**
     * @param declared the foreign keys of tables SQL created, rows as this table has them
     *     (fk_table, fk_column, pk_table, pk_column, fk_name, key_seq)
     */
    ForeignKeys(SqlSession session, List<String[]> owners, List<Link> refs, Map<Long, String> memberOf,
        List<Object[]> declared) {
      super(session, "db__foreign_keys", List.of(Column.system("fk_table", ValueType.STRING),
          Column.system("fk_column", ValueType.STRING), Column.system("pk_table", ValueType.STRING),
          Column.system("pk_column", ValueType.STRING), Column.system("fk_name", ValueType.STRING),
          Column.system("key_seq", ValueType.LONG)));
      this.owners = List.copyOf(owners);
      this.refs = List.copyOf(refs);
      this.memberOf = Map.copyOf(memberOf);
      this.declared = List.copyOf(declared);
    }

    @Override
    double rowCount(Database db) {
      return Math.max(1, owners.size() + refs.size() + declared.size());
    }

    @Override
    Iterator<Object[]> rows(Database db, ScanSpec spec, List<Condition.Bound> bound) {
      return all(db).iterator();
    }

    /** Every row in {@code db}: ref columns' targets are inferred from its values. */
    List<Object[]> all(Database db) {
      List<Object[]> out = new ArrayList<>(declared);
      for (String[] o : owners) {
        out.add(new Object[] {o[0], o[1], o[2], "db__id", o[0] + "__" + o[1] + "__fk", 1L});
      }
      for (Link l : refs) {
        String target = l.declared() != null ? l.declared() : infer(IndexAccess.of(db), l.attr());
        if (target != null) {
          out.add(new Object[] {l.table(), l.column(), target, "db__id", l.table() + "__" + l.column() + "__fk", 1L});
        }
      }
      return out;
    }

    /** The table most sampled values of a ref attribute are rows of, or null. */
    private String infer(IndexAccess db, Attribute a) {
      DatomCursor values = db.cursor(IndexOrder.AEVT, IndexAccess.lo(Long.MIN_VALUE, a.id(), Values.MIN),
          IndexAccess.hi(Long.MAX_VALUE, a.id(), Values.MAX));
      Map<String, Integer> votes = new HashMap<>();
      int sampled = 0;
      while (sampled < 64 && values.next()) {
        sampled++;
        long target = (Long) values.v();
        DatomCursor attrs = db.cursorE(target);
        String table = null;
        while (attrs.next()) {
          if (attrs.a() == Bootstrap.IDENT) {
            table = "db__idents";
            break;
          }
          String t = memberOf.get(attrs.a());
          if (t != null) {
            table = t;
            break;
          }
        }
        if (table != null) {
          votes.merge(table, 1, Integer::sum);
        }
      }
      return votes.entrySet().stream().filter(e -> e.getValue() * 2 > votes.values().stream().mapToInt(x -> x).sum())
          .map(Map.Entry::getKey).findFirst().orElse(null);
    }
  }
}
