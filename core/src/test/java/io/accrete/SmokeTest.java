package io.accrete;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.testing.TestData;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void moviesLoad() {
    Connection conn = TestData.movies();
    Database db = conn.db();
    int n = 0;
    for (Datom d : db.datoms(Keyword.intern(":aevt"), Keyword.intern(":movie/title"))) {
      n++;
    }
    assertEquals(20, n);
    int people = 0;
    for (Datom d : db.datoms(Keyword.intern(":aevt"), Keyword.intern(":person/name"))) {
      people++;
    }
    assertEquals(50, people);
    System.out.println(db.basisT() + " " + db.nextT());
  }
}
