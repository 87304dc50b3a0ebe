package io.accrete.transactor;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.accrete.AccreteException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A fuzz target for what an authenticated peer's transaction frame carries: {@link Wire}'s
 * tagged values. Any bytes either read as a value or fail as malformed (the link is then closed
 * with that reason) — never another exception, a huge allocation or a hang. Committed inputs run
 * in every build; {@code JAZZER_FUZZ=1 mvn -pl transactor test -Dtest=WireFuzzTest} fuzzes.
 */
class WireFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void transactionValues(FuzzedDataProvider in) {
    byte[] bytes = in.consumeRemainingAsBytes();
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      Object v = Wire.read(buf);
      // What was read writes back and reads again to an equal value.
      ByteBuf again = Unpooled.buffer();
      Wire.write(again, v);
      Object w = Wire.read(again);
      if (!java.util.Objects.deepEquals(io.accrete.edn.Edn.print(v), io.accrete.edn.Edn.print(w))) {
        throw new AssertionError("write/read changed " + io.accrete.edn.Edn.print(v) + " into " + io.accrete.edn.Edn.print(w));
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException | AccreteException malformed) {
      // refused as malformed: PeerSession closes the link naming it
    }
  }
}
