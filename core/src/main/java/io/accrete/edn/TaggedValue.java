package io.accrete.edn;

import io.accrete.Symbol;
import java.util.Objects;

/**
 * A tagged element {@code #tag value} whose tag has no reader: the reader keeps the tag and the
 * value so nothing is lost, and the printer prints it back as {@code #tag value}.
 *
 * @param tag the tag symbol, without the {@code #}
 * @param value the value that followed the tag; may be null
 */
public record TaggedValue(Symbol tag, Object value) {
  /** Checks that the tag is present. */
  public TaggedValue {
    Objects.requireNonNull(tag, "tag");
  }

  /** The EDN form, {@code #tag value}. */
  @Override
  public String toString() {
    return Edn.print(this);
  }
}
