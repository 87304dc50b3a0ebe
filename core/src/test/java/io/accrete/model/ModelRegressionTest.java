package io.accrete.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Keyword;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.edn.Edn;
import io.accrete.testing.TestData;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Minimal reproductions of the Accrete bugs {@link ModelTest} found, kept as regression tests. */
class ModelRegressionTest {
  private final String uri = TestData.freshUri();
  private final Connection conn = Peer.connect(uri);

  @AfterEach
  void delete() {
    Peer.deleteDatabase(uri);
  }

  /**
   * Found with seed 1011. Tempids asserting the same new identity value are one entity
   * ({@code EntityResolver}: "tempids that upsert to the same new value become one entity"),
   * and that entity upserts through any of its identity values. Here "b" upserts to the
   * entity holding {@code :k/key :a}, and "a" shares the new value {@code :k/num 1.5} with "b",
   * so both name that entity. Accrete's {@code EntityResolver.unify} skips tempids already
   * resolved by {@code upsert}, so "a" becomes a new entity and the transaction fails with a
   * unique conflict on {@code :k/num 1.5}.
   */
  @Test
  void tempidsSharingANewIdentityValueFollowAnUpsert() {
    conn.transact("[{:db/ident :k/key :db/valueType :db.type/keyword"
        + " :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
        + " {:db/ident :k/num :db/valueType :db.type/double"
        + " :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]").join();
    long x = conn.transact("[[:db/add \"x\" :k/key :a]]").join().tempid("x");

    TxReport r = conn.transact(
        "[[:db/add \"a\" :k/num 1.5] [:db/add \"b\" :k/key :a] [:db/add \"b\" :k/num 1.5]]").join();

    assertEquals(x, r.tempid("b"));
    assertEquals(x, r.tempid("a"));
    assertEquals(1.5, conn.db().entity(x).get(Keyword.of("k", "num")));
  }

  /**
   * Found with seeds 1001 and others. A failing transaction given as EDN text with a
   * {@code #db/id} tempid in the failing form: building the error message calls
   * {@code Errors.show(form)}; {@code Edn.print} cannot print a {@code TempId} (it is not
   * {@code EdnPrintable}), and the fallback {@code String.valueOf(form)} calls
   * {@code ArrayVector.toString}, which calls {@code Edn.print} again and throws. So the
   * transaction fails with {@code :db.error/transaction-failed} wrapping an
   * IllegalArgumentException instead of {@code :db.error/not-an-attribute}, and
   * {@code Database.with} throws the bare IllegalArgumentException.
   */
  @Test
  void errorsAboutFormsWithEdnTempidsKeepTheirCode() {
    String tx = "[[:db/add #db/id [:db.part/user -1] :k/nope 1]]";

    CompletionException e = assertThrows(CompletionException.class, () -> conn.transact(tx).join());
    AccreteException ae = assertInstanceOf(AccreteException.class, e.getCause());
    assertEquals(Keyword.of("db.error", "not-an-attribute"), ae.code(), ae.getMessage());

    Database db = conn.db();
    AccreteException we = assertThrows(AccreteException.class, () -> db.with(tx));
    assertEquals(Keyword.of("db.error", "not-an-attribute"), we.code());
  }

  /** The same root cause in the API: TempId documents an EDN form that Edn.print cannot print. */
  @Test
  void tempidsPrintAsEdn() {
    assertEquals("[#db/id [:db.part/user -1]]",
        Edn.print(List.of(Peer.tempid(":db.part/user", -1))));
  }
}
