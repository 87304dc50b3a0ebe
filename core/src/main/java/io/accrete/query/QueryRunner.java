package io.accrete.query;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import java.util.List;
import java.util.Map;

/** Parses, plans and runs Datalog queries. */
public final class QueryRunner {
  private QueryRunner() {}

  /** Runs a query with inputs. */
  public static Object q(Object query, List<Object> inputs) {
    throw new AccreteException(Keyword.of("db.error", "query-engine-missing"),
        "The Datalog engine arrives with issue 3; Peer.q cannot run queries yet");
  }

  /** Runs a query map. */
  public static Object query(Map<?, ?> queryMap) {
    throw new AccreteException(Keyword.of("db.error", "query-engine-missing"),
        "The Datalog engine arrives with issue 3; Peer.query cannot run queries yet");
  }
}
