package io.accrete.tx;

import io.accrete.AccreteException;
import io.accrete.Keyword;
import io.accrete.Symbol;
import java.util.List;

/**
 * Which static Java methods transaction data may make a transactor run (as a transaction
 * function, an attribute predicate or an entity predicate). Database functions ({@code #db/fn})
 * are data someone installed and always run. In a process that embeds its database everything
 * is allowed (the caller could run the code anyway); a network transactor allows only what its
 * operator lists, since any peer that reaches it sends transaction data.
 *
 * <p>Patterns: {@code com.acme.Bank/transfer} (one method), {@code com.acme.Bank/*} (a class's
 * methods), {@code com.acme.*} (a package and those below it), {@code *} (everything).
 */
public final class FunctionPolicy {
  /** Every public static method: embedded databases. */
  public static final FunctionPolicy ALL = new FunctionPolicy(List.of("*"));

  private final List<String> patterns;

  private FunctionPolicy(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** Only the methods the patterns name (none when empty). */
  public static FunctionPolicy allowing(List<String> patterns) {
    for (String p : patterns) {
      if (!p.equals("*") && !p.matches("[\\w$.]+(/[\\w$]+|/\\*|\\.\\*)")) {
        throw new IllegalArgumentException("Not a function pattern: " + p
            + " (use com.acme.Bank/transfer, com.acme.Bank/*, com.acme.* or *)");
      }
    }
    return new FunctionPolicy(patterns);
  }

  /** The patterns, as given. */
  public List<String> patterns() {
    return patterns;
  }

  /** Whether {@code fn} ({@code Class/method}) may run. */
  public boolean allows(Symbol fn) {
    String cls = fn.namespace() == null ? "" : fn.namespace();
    for (String p : patterns) {
      if (p.equals("*") || p.equals(fn.toString()) || p.equals(cls + "/*")
          || (p.endsWith(".*") && cls.startsWith(p.substring(0, p.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  /** Fails, naming the function and how to allow it, when it may not run. */
  public void check(Symbol fn, String role) {
    if (!allows(fn)) {
      throw new AccreteException(Keyword.of("db.error", "fn-not-allowed"), role + " " + fn
          + " is not allowed to run in this transactor; its operator can allow it (accrete transactor"
          + " --allow-fn " + fn + ", or a pattern such as " + (fn.namespace() == null ? "*" : fn.namespace() + "/*")
          + "), or install the code in the database as a #db/fn");
    }
  }

  @Override
  public String toString() {
    return patterns.isEmpty() ? "no static methods" : String.join(", ", patterns);
  }
}
