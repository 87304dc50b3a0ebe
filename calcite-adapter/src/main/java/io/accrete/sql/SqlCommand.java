package io.accrete.sql;

import java.util.List;

/**
 * A statement Calcite's parser does not know and Accrete runs itself: PostgreSQL's DDL and
 * transaction control, as {@link SqlCommandParser} reads them.
 */
sealed interface SqlCommand {
  /** The statement's text, for messages. */
  String text();

  /**
   * One column of {@code CREATE TABLE} or {@code ALTER TABLE … ADD COLUMN}.
   *
   * @param name the column's SQL name
   * @param type the declared type, as written (upper case, e.g. {@code VARCHAR(20)})
   * @param notNull NOT NULL (or PRIMARY KEY)
   * @param defaultSql the DEFAULT expression's text, or null
   * @param primaryKey declared PRIMARY KEY on the column
   * @param unique declared UNIQUE on the column
   * @param check a CHECK expression's text, or null
   * @param references what a REFERENCES names (the column's foreign key), or null
   * @param identity {@code ALWAYS} or {@code BY DEFAULT} for an identity column (SERIAL is BY DEFAULT), else null
   */
  record ColumnDef(String name, String type, boolean notNull, String defaultSql, boolean primaryKey, boolean unique,
      String check, ForeignKey references, String identity) {}

  /**
   * A FOREIGN KEY or REFERENCES: these columns' values must be those of {@code refColumns} in
   * some row of {@code table} (its primary key when none are named: empty).
   */
  record ForeignKey(List<String> columns, String table, List<String> refColumns) {}

  /**
   * A table constraint: {@code [CONSTRAINT name] PRIMARY KEY (…) | UNIQUE (…) | CHECK (…) | FOREIGN KEY …}.
   *
   * @param name the name given, or null
   * @param kind PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY
   * @param columns the key's columns (not for CHECK)
   * @param check CHECK's expression text, else null
   * @param references FOREIGN KEY's target, else null
   */
  record Constraint(String name, String kind, List<String> columns, String check, ForeignKey references) {}

  /**
   * {@code CREATE TABLE}.
   *
   * @param constraintNames the names given with {@code CONSTRAINT name}, by name, to {@link TableDef#descriptor}s
   */
  record CreateTable(String text, String table, boolean ifNotExists, List<ColumnDef> columns,
      List<String> primaryKey, List<List<String>> uniques, List<String> checks, List<ForeignKey> foreignKeys,
      java.util.Map<String, String> constraintNames) implements SqlCommand {}

  /**
   * {@code ALTER TABLE [IF EXISTS] t ADD [CONSTRAINT name] …} ({@code added}) or {@code DROP CONSTRAINT
   * [IF EXISTS] name} ({@code dropped}).
   */
  record AlterConstraint(String text, String table, boolean ifExists, Constraint added, String dropped,
      boolean ifConstraintExists) implements SqlCommand {}

  /** {@code DROP TABLE} of one or more tables. */
  record DropTable(String text, List<String> tables, boolean ifExists, boolean cascade) implements SqlCommand {}

  /** {@code CREATE [UNIQUE] INDEX}: every attribute is in AVET already; a unique one is enforced. */
  record CreateIndex(String text, String name, String table, List<String> columns, boolean unique,
      boolean ifNotExists) implements SqlCommand {}

  /** {@code DROP INDEX}. */
  record DropIndex(String text, String name, boolean ifExists) implements SqlCommand {}

  /** {@code CREATE [OR REPLACE] VIEW name [(columns)] AS query}. */
  record CreateView(String text, String name, List<String> columns, String query, boolean orReplace)
      implements SqlCommand {}

  /** {@code DROP VIEW} of one or more views. */
  record DropView(String text, List<String> names, boolean ifExists) implements SqlCommand {}

  /**
   * {@code ALTER TABLE}: one action.
   *
   * @param table the table
   * @param ifExists ALTER TABLE IF EXISTS
   * @param action ADD, DROP (DROP_CASCADE), RENAME_COLUMN, RENAME_TABLE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT
   * @param column the column acted on (ADD: its definition's name)
   * @param added ADD's column definition
   * @param newName RENAME's new name, or SET DEFAULT's expression
   * @param ifClause ADD … IF NOT EXISTS, DROP … IF EXISTS
   */
  record AlterTable(String text, String table, boolean ifExists, String action, String column, ColumnDef added,
      String newName, boolean ifClause) implements SqlCommand {}

  /** {@code CREATE SEQUENCE [IF NOT EXISTS] name [START [WITH] n] [INCREMENT [BY] n] …}. */
  record CreateSequence(String text, String name, boolean ifNotExists, long start, long increment)
      implements SqlCommand {}

  /** {@code DROP SEQUENCE [IF EXISTS] name, …}. */
  record DropSequence(String text, List<String> names, boolean ifExists) implements SqlCommand {}

  /** {@code TRUNCATE [TABLE] t, …}. */
  record Truncate(String text, List<String> tables) implements SqlCommand {}

  /** {@code SET name = value} ({@code value} null: {@code DEFAULT} or {@code RESET}; name {@code all}: {@code RESET ALL}). */
  record SetOption(String text, String name, String value) implements SqlCommand {}

  /** {@code BEGIN}, {@code START TRANSACTION}. */
  record Begin(String text) implements SqlCommand {}

  /** {@code COMMIT}, {@code END}. */
  record Commit(String text) implements SqlCommand {}

  /** {@code ROLLBACK}. */
  record Rollback(String text) implements SqlCommand {}
}
