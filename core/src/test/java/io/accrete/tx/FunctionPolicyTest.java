package io.accrete.tx;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Symbol;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionPolicyTest {
  @Test
  void patternsNameMethodsClassesAndPackages() {
    FunctionPolicy p = FunctionPolicy.allowing(List.of("com.acme.Bank/transfer", "com.acme.util.Checks/*", "org.lib.*"));
    assertTrue(p.allows(Symbol.of("com.acme.Bank", "transfer")));
    assertFalse(p.allows(Symbol.of("com.acme.Bank", "drain")));
    assertTrue(p.allows(Symbol.of("com.acme.util.Checks", "positive")));
    assertTrue(p.allows(Symbol.of("org.lib.sub.X", "y")));
    assertFalse(p.allows(Symbol.of("org.library.X", "y")), "a package, not a prefix of names");
    assertFalse(p.allows(Symbol.of("java.lang.System", "exit")));
    assertTrue(FunctionPolicy.ALL.allows(Symbol.of("java.lang.System", "exit")));
    assertFalse(FunctionPolicy.allowing(List.of()).allows(Symbol.of("a.B", "c")));
    AccreteException e = assertThrows(AccreteException.class, () -> p.check(Symbol.of("java.lang.System", "exit"), "Transaction function"));
    assertTrue(e.getMessage().contains("java.lang.System/exit") && e.getMessage().contains("--allow-fn"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FunctionPolicy.allowing(List.of("java lang")));
  }
}
