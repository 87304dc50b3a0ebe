package io.accrete.sql;

/**
 * How a scan reads the indexes, chosen when the statement is planned.
 *
 * @param type the kind of read
 * @param condition the index of the driving condition in the scan's list, or -1
 * @param describe the index and key, as EXPLAIN shows it
 * @param rows the estimated rows the read yields before the other conditions
 */
record Access(Type type, int condition, String describe, double rows) {
  enum Type {
    /** Entity ids from a {@code db__id} condition, each looked up in EAVT. */
    IDS,
    /** Entity ids from a value condition, read from AVET (or VAET for refs). */
    VALUES,
    /** Every row, in entity order. */
    SCAN
  }

  static Access scan(String describe, double rows) {
    return new Access(Type.SCAN, -1, describe, rows);
  }
}
