package io.accrete.sql;

import io.accrete.Attribute;
import io.accrete.Database;
import io.accrete.Datom;
import io.accrete.Keyword;
import io.accrete.schema.Schema;
import io.accrete.spi.IndexAccess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The schema a database had at a past point. Datomic's idents are not filtered by {@code asOf}: an
 * as-of value names attributes as they are named now. SQL tables are namespaces, though, and a
 * dropped or renamed table's attributes carry other names now, so reading a table as it was needs
 * the idents (and the attributes) of that moment, which the as-of value's own datoms hold.
 */
final class PastSchemas {
  private PastSchemas() {}

  private static final Keyword EAVT = Keyword.of(null, "eavt");
  private static final Keyword IDENT = Keyword.of("db", "ident");

  /** The schema of {@code db} as of {@code point} (a t, a transaction id or a {@link java.util.Date}). */
  static Schema at(Database db, Object point) {
    Schema now = IndexAccess.of(db).schema();
    Database past = db.asOf(point);
    Map<Long, List<Datom>> touched = new HashMap<>();
    for (Attribute a : now.attributes()) {
      Object identThen = Datoms.value(past, a.id(), IDENT);
      if (!Objects.equals(identThen, a.ident())) {
        List<Datom> then = new ArrayList<>();
        if (identThen != null) {
          for (Datom d : past.datoms(EAVT, a.id())) {
            then.add(d);
          }
        }
        touched.put(a.id(), then);
      }
    }
    return touched.isEmpty() ? now : now.update(touched);
  }
}
