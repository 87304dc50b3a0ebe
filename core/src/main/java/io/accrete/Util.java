package io.accrete;

import io.accrete.edn.Edn;
import java.io.Reader;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for building transaction data and queries from Java, as Datomic's
 * {@code datomic.Util}: lists, maps, and reading EDN (with Datomic's tags, such as
 * {@code #db/id}).
 */
public final class Util {
  private Util() {}

  /** An unmodifiable list of the items (nulls allowed). */
  public static List<Object> list(Object... items) {
    return Collections.unmodifiableList(Arrays.asList(items.clone()));
  }

  /** An unmodifiable map of alternating keys and values, in order. */
  public static Map<Object, Object> map(Object... keyVals) {
    if (keyVals.length % 2 != 0) {
      throw new IllegalArgumentException("Util.map takes keys and values in pairs, got " + keyVals.length + " items");
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyVals.length; i += 2) {
      m.put(keyVals[i], keyVals[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Reads one EDN form, with Datomic's tags ({@code #db/id}, {@code #db/fn}…). */
  public static Object read(String edn) {
    return Edn.read(edn, io.accrete.tx.TxProcessor.tagReaders());
  }

  /** Reads every EDN form a reader holds (read to its end, not closed), with Datomic's tags. */
  public static List<Object> readAll(Reader in) {
    return Edn.readAll(in, io.accrete.tx.TxProcessor.tagReaders());
  }
}
