package io.accrete;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class KeywordTest {
  @Test
  void parsesNamespaceAndNameAndPrintsEdn() {
    Keyword k = Keyword.intern(":person/name");
    assertEquals("person", k.namespace());
    assertEquals("name", k.name());
    assertEquals(":person/name", k.toString());
    assertSame(k, Keyword.of("person", "name"));
    assertNull(Keyword.intern("trivia").namespace());
    assertTrue(Keyword.intern(":person/_friend").isReverse());
  }

  @Test
  void symbolsKnowVariables() {
    assertTrue(Symbol.intern("?e").isVariable());
    assertFalse(Symbol.intern("count").isVariable());
    assertEquals("java.lang.Math", Symbol.intern("java.lang.Math/abs").namespace());
    assertEquals("/", Symbol.intern("/").name());
  }
}
