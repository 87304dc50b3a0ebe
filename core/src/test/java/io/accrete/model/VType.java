package io.accrete.model;

import io.accrete.Keyword;
import java.util.Locale;

/** The value types the model test generates attributes of. */
enum VType {
  LONG, STRING, DOUBLE, BOOLEAN, INSTANT, KEYWORD, REF, UUID, BIGDEC, BYTES;

  Keyword ident() {
    return Keyword.of("db.type", name().toLowerCase(Locale.ROOT));
  }

  /** Types that may carry :db/unique in generated schemas. */
  boolean uniqueable() {
    return this != REF && this != BOOLEAN && this != BYTES;
  }
}
