package io.accrete.edn;

/**
 * A value that prints itself as EDN. {@link EdnPrinter} calls {@link #printEdn} for any value
 * implementing this interface, ahead of its collection rules, so a class that is also a
 * {@link java.util.List} or {@link java.util.Map} still chooses its own form.
 */
public interface EdnPrintable {
  /**
   * Appends this value's EDN form to {@code out}. Nested values can be printed with {@link
   * Edn#print(Object, StringBuilder)}.
   */
  void printEdn(StringBuilder out);
}
