package io.accrete.sql;

import static io.accrete.sql.SqlSupport.row;
import static io.accrete.sql.SqlSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accrete.Peer;
import io.accrete.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queries over three tables and more, whose unqualified names {@link QualifiedNames} qualifies
 * before validation: answers and errors as SQL scopes the names.
 */
class QualifiedNamesTest {
  private static java.sql.Connection sql;

  @BeforeAll
  static void tables() throws Exception {
    sql = SqlSupport.sql(Peer.connect(TestData.freshUri()));
    try (java.sql.Statement s = sql.createStatement()) {
      s.execute("CREATE TABLE t1 (a INTEGER PRIMARY KEY, x INTEGER, shared INTEGER)");
      s.execute("CREATE TABLE t2 (b INTEGER PRIMARY KEY, y INTEGER, shared INTEGER)");
      s.execute("CREATE TABLE t3 (c INTEGER PRIMARY KEY, z INTEGER)");
      s.execute("INSERT INTO t1 VALUES (1, 10, 100), (2, 20, 200)");
      s.execute("INSERT INTO t2 VALUES (1, 11, 100), (2, 21, 201)");
      s.execute("INSERT INTO t3 VALUES (1, 12), (2, 22)");
    }
  }

  @AfterAll
  static void close() throws Exception {
    sql.close();
  }

  @Test
  void namesResolveToTheirOneTable() throws Exception {
    assertEquals(List.of(row(10, 11, 12)), rows(sql, "SELECT x, y, z FROM t1, t2, t3 WHERE a = b AND b = c AND a = 1"));
    assertEquals(List.of(row(1, 100)), rows(sql,
        "SELECT a, t1.shared FROM t1, t2 AS u, t3 WHERE u.shared = t1.shared AND c = a"));
    // select-list names in ORDER BY and GROUP BY stay names of select items
    assertEquals(List.of(row(22, 1L), row(12, 1L)), rows(sql,
        "SELECT z AS a, count(*) FROM t1, t2, t3 WHERE a = b AND b = c GROUP BY z ORDER BY a DESC"));
  }

  @Test
  void aSubQuerysOwnTablesComeFirstThenTheOuterQuerys() throws Exception {
    // inside, x is t1's of the sub-query (its own FROM), z the outer t3's (a correlation)
    assertEquals(List.of(row(1), row(2)), rows(sql,
        "SELECT c FROM t1, t2, t3 WHERE a = b AND b = c AND x = (SELECT x FROM t1, t2, t3 AS v WHERE a = b AND b = v.c AND v.z = t3.z) ORDER BY c"));
  }

  @Test
  void anAmbiguousNameIsStillAnError() {
    SqlSupport.fails(sql, "SELECT shared FROM t1, t2, t3", "shared", "ambiguous");
  }
}
