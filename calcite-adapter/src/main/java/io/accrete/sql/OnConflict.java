package io.accrete.sql;

import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's {@code ON CONFLICT} of an INSERT, Datomic's upsert: a row whose key (the named
 * unique columns, or any unique column) is already there is skipped ({@code DO NOTHING}) or
 * changes that row ({@code DO UPDATE SET col = EXCLUDED.col | literal}).
 *
 * @param target the conflict target's columns (empty: any unique column, or the constraint's)
 * @param constraint the constraint {@code ON CONSTRAINT} names, or null
 * @param set DO UPDATE's assignments, column to {@link Excluded} or a literal (null: DO NOTHING)
 */
record OnConflict(List<String> target, String constraint, Map<String, Object> set) {
  // Calcite's parser cannot read the clause and its planner has no place for it: the parser
  // factory cuts it out and notes it for this thread (CANDIDATE); when Calcite reports the
  // statement it parsed at top level (Hook.PARSE_TREE; a view expanded inside it is not
  // reported) the note becomes the statement's (PENDING), or is dropped if it was another text;
  // the INSERT's table takes it when Calcite asks it for the modification.
  private static final ThreadLocal<Object[]> CANDIDATE = new ThreadLocal<>();
  private static final ThreadLocal<Object[]> PENDING = new ThreadLocal<>();
  private static volatile boolean installed;

  /** Notes the clause cut out of {@code sql}, an INSERT into {@code table}. */
  static void noteParsed(String sql, String table, OnConflict c) {
    CANDIDATE.set(new Object[] {sql, table, c});
  }

  /** The clause of the statement being planned, if it is an INSERT into {@code table} that had one. */
  static OnConflict take(String table) {
    Object[] p = PENDING.get();
    if (p == null || !p[0].equals(table)) {
      return null;
    }
    PENDING.remove();
    return (OnConflict) p[1];
  }

  /** Makes top-level statements pick their own notes (once per JVM; Calcite offers only a global hook). */
  static void install() {
    if (!installed) {
      synchronized (OnConflict.class) {
        if (!installed) {
          org.apache.calcite.runtime.Hook.PARSE_TREE.add((java.util.function.Consumer<Object[]>) args -> {
            Object[] c = CANDIDATE.get();
            CANDIDATE.remove();
            PENDING.set(c != null && c[0].equals(args[0]) ? new Object[] {c[1], c[2]} : null);
          });
          installed = true;
        }
      }
    }
  }

  /** {@code EXCLUDED.column}: the value the row proposed for that column. */
  record Excluded(String column) {}

  /** The same clause with the columns its constraint names as its target. */
  OnConflict withTarget(List<String> columns) {
    return new OnConflict(List.copyOf(columns), null, set);
  }

  boolean doNothing() {
    return set == null;
  }
}
