package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedLinesTest {
  @Test
  void aRepeatedLineIsWrittenOncePerIntervalWithHowManyWereLeftOut() {
    List<String> out = new ArrayList<>();
    RepeatedLines lines = new RepeatedLines(60_000, out::add);
    lines.write("10.0.0.5 tls", "peer failed", 0);
    lines.write("10.0.0.5 tls", "peer failed", 1_000);
    lines.write("10.0.0.5 tls", "peer failed", 2_000);
    lines.write("10.0.0.6 tls", "other peer failed", 2_500);
    lines.write("10.0.0.5 secret", "peer refused", 3_000);
    lines.write("10.0.0.5 tls", "peer failed", 61_000);
    lines.write("10.0.0.5 tls", "peer failed", 62_000);
    assertEquals(List.of("peer failed", "other peer failed", "peer refused",
        "peer failed (and 2 more like it in the last 61 s)"), out);
  }
}
