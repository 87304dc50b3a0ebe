package io.accrete.jdbc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import io.accrete.testing.TestData;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.calcite.avatica.proto.Common;

/**
 * A fuzz target for the request bodies {@code accrete serve} reads (Avatica's protobuf and JSON
 * requests) over the movies data: every body gets an answer within the time limit — a response
 * of its request's kind, or Avatica's error response — and the server keeps serving. Committed
 * inputs (valid requests of both serializations, on the connection {@code fuzz} opened here)
 * run in every build; {@code JAZZER_FUZZ=1 mvn -pl driver test -Dtest=AvaticaBodyFuzzTest}
 * fuzzes.
 */
class AvaticaBodyFuzzTest {
  private static AccreteServer server;
  private static HttpClient http;
  private static int inputs;

  private static synchronized void start() throws Exception {
    if (server != null) {
      return;
    }
    String uri = TestData.freshUri();
    io.accrete.Connection c = Peer.connect(uri);
    c.transact(TestData.txData("datasets/movies/schema.edn")).join();
    c.transact(TestData.txData("datasets/movies/data.edn")).join();
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    // Statements stop after 2 s and answer at most 1,000 rows: a fuzzed query may be huge.
    server = AccreteServer.start(new AccreteServer.Options(uri, "127.0.0.1", 0, null, null, null, 10, 1, quiet, "2s",
        1000));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    post("{\"request\":\"openConnection\",\"connectionId\":\"fuzz\",\"info\":{}}".getBytes(StandardCharsets.UTF_8));
    post("{\"request\":\"createStatement\",\"connectionId\":\"fuzz\"}".getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<byte[]> post(byte[] body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray()); // a hang fails with HttpTimeoutException
  }

  @FuzzTest(maxDuration = "30s")
  void requestBody(byte[] body) throws Exception {
    start();
    check(post(body), body);
    if (++inputs % 50 == 0) {
      alive();
    }
  }

  private static void check(HttpResponse<byte[]> r, byte[] body) {
    boolean json = r.headers().firstValue("content-type").orElse("").startsWith("application/json");
    String kind;
    if (json) {
      String text = new String(r.body(), StandardCharsets.UTF_8);
      if (!text.startsWith("{\"response\":\"")) {
        throw new AssertionError("not an Avatica JSON response (status " + r.statusCode() + "): " + text);
      }
      kind = text.substring(13, text.indexOf('"', 13));
    } else {
      try {
        kind = Common.WireMessage.parseFrom(r.body()).getName();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError("not an Avatica protobuf response (status " + r.statusCode() + ")", e);
      }
    }
    boolean error = kind.equals("error") || kind.endsWith("ErrorResponse");
    if (r.statusCode() == 500 ? !error : r.statusCode() != 200 || error) {
      throw new AssertionError("status " + r.statusCode() + " with a " + kind + " response to "
          + new String(body, StandardCharsets.UTF_8));
    }
  }

  /** The server still answers a plain query. */
  private static void alive() throws Exception {
    HttpResponse<byte[]> r = post(("{\"request\":\"prepareAndExecute\",\"connectionId\":\"alive\",\"statementId\":0,"
        + "\"sql\":\"SELECT 1\",\"maxRowCount\":1}").getBytes(StandardCharsets.UTF_8));
    if (r.statusCode() != 200 && r.statusCode() != 500) {
      throw new AssertionError("the server stopped answering: status " + r.statusCode());
    }
  }
}
