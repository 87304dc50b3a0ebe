package io.accrete.transactor;

import static org.junit.jupiter.api.Assertions.*;

import io.accrete.AccreteException;
import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.spi.DatabaseUri;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and faults on the transactor link: unknown protocol versions, malformed frames,
 * peers without the shared secret, TLS, storage that cannot be reached, transactors racing for
 * the lease, and a deposed transactor that comes back.
 */
class LinkFaultsTest {
  @TempDir
  Path dir;

  private static Transactor start(String jdbc) throws Exception {
    return start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000));
  }

  private static Transactor start(Transactor.Options o) throws Exception {
    Transactor t = Transactor.start(o);
    t.activated().get(30, TimeUnit.SECONDS);
    return t;
  }

  private static PeerConnection peer(String uri) {
    return new SqlProvider().openPeer(DatabaseUri.parse(uri));
  }

  private static String database(String jdbc, String name) {
    String uri = "accrete:sql://" + name + "?" + jdbc;
    assertTrue(Peer.createDatabase(uri));
    return uri;
  }

  /** Reads one frame: its type and payload. */
  private static byte[] frame(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  private static void hello(DataOutputStream out, int version, String db) throws IOException {
    byte[] name = db.getBytes(StandardCharsets.UTF_8);
    byte[] peer = "raw".getBytes(StandardCharsets.UTF_8);
    out.writeInt(1 + 4 + 2 + 4 + name.length + 4 + peer.length + 4);
    out.writeByte(Protocol.HELLO);
    out.writeInt(Protocol.MAGIC);
    out.writeShort(version);
    out.writeInt(name.length);
    out.write(name);
    out.writeInt(peer.length);
    out.write(peer);
    out.writeInt(0);
    out.flush();
  }

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  private static void assertClosed(DataInputStream in) {
    assertThrows(IOException.class, () -> {
      while (true) {
        frame(in);
      }
    }, "the transactor closed the link");
  }

  @Test
  void beforeProvingTheSecretAPeerMayNotSendALargeFrame() throws Exception {
    String jdbc = TestTransactor.freshStorage("bigframe");
    java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
    java.io.PrintStream log = new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8);
    try (Transactor t = start(Transactor.Options.of(jdbc, "127.0.0.1", 0, log).withTimings(200, 1000));
        Socket s = new Socket("127.0.0.1", t.port())) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      frame(in);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(Protocol.HANDSHAKE_FRAME * 4); // far below MAX_FRAME, but no HELLO is that large
      out.writeByte(Protocol.HELLO);
      out.flush();
      assertClosed(in);
      String text = said.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(text.contains("exceeds " + Protocol.HANDSHAKE_FRAME) && !text.contains("did not complete the handshake"),
          "closed for the frame's size, not by the handshake timeout: " + text);
    }
  }

  @Test
  void unknownVersionsAndMalformedFramesAreRefusedAndTheTransactorGoesOn() throws Exception {
    String jdbc = TestTransactor.freshStorage("faults");
    try (Transactor t = start(jdbc)) {
      String uri = database(jdbc, "db");
      try (Socket s = new Socket("127.0.0.1", t.port())) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] challenge = frame(in);
        assertEquals(Protocol.CHALLENGE, challenge[0]);
        hello(new DataOutputStream(s.getOutputStream()), 99, "db");
        byte[] refused = frame(in);
        assertEquals(Protocol.REFUSED, refused[0]);
        assertTrue(text(refused).contains("protocol version 1, the peer 99"), text(refused));
        assertClosed(in);
      }
      try (Socket s = new Socket("127.0.0.1", t.port())) { // a frame that ends too early
        DataInputStream in = new DataInputStream(s.getInputStream());
        frame(in);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(3);
        out.write(new byte[] {Protocol.HELLO, 0x41, 0x43});
        out.flush();
        assertClosed(in);
      }
      try (Socket s = new Socket("127.0.0.1", t.port())) { // a length no frame may have
        DataInputStream in = new DataInputStream(s.getInputStream());
        frame(in);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(Integer.MAX_VALUE);
        out.write(new byte[64]);
        out.flush();
        assertClosed(in);
      }
      try (Socket s = new Socket("127.0.0.1", t.port())) { // not a HELLO first
        DataInputStream in = new DataInputStream(s.getInputStream());
        frame(in);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(9);
        out.writeByte(Protocol.TRANSACT);
        out.writeLong(1);
        out.flush();
        byte[] refused = frame(in);
        assertEquals(Protocol.REFUSED, refused[0]);
        assertClosed(in);
      }
      try (Socket s = new Socket("127.0.0.1", t.port())) { // a transaction that is not one
        DataInputStream in = new DataInputStream(s.getInputStream());
        frame(in);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        hello(out, Protocol.VERSION, "db");
        assertEquals(Protocol.WELCOME, frame(in)[0]);
        out.writeInt(1 + 8 + 1);
        out.writeByte(Protocol.TRANSACT);
        out.writeLong(7);
        out.writeByte(99); // no such value tag
        out.flush();
        byte[] error = frame(in);
        assertEquals(Protocol.ERROR, error[0]);
        assertTrue(text(error).contains("could not be decoded"), text(error));
      }
      assertEquals(Transactor.State.ACTIVE, t.state());
      PeerConnection p = peer(uri);
      p.transact("[{:db/ident :x/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]")
          .get(30, TimeUnit.SECONDS);
      p.release();
    }
  }

  @Test
  void peersMustProveTheSharedSecret() throws Exception {
    String jdbc = TestTransactor.freshStorage("secret");
    try (Transactor t = start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000)
        .withSecret("s3cret".getBytes(StandardCharsets.UTF_8)))) {
      String uri = database(jdbc, "db");
      System.setProperty("accrete.writeWaitMillis", "1500");
      try {
        PeerConnection stranger = peer(uri);
        ExecutionException e = assertThrows(ExecutionException.class, () -> stranger.transact("[]").get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("did not prove the transactor's shared secret"), e.getCause().getMessage());
        assertNotNull(stranger.db(), "reads still work");
        stranger.release();
        System.setProperty("accrete.secret", "wrong");
        PeerConnection wrong = peer(uri);
        assertThrows(ExecutionException.class, () -> wrong.transact("[]").get(30, TimeUnit.SECONDS));
        wrong.release();
        System.setProperty("accrete.secret", "s3cret");
        PeerConnection friend = peer(uri);
        writesThenReleases(friend);
      } finally {
        System.clearProperty("accrete.secret");
        System.clearProperty("accrete.writeWaitMillis");
      }
    }
  }

  @Test
  void tlsLinks() throws Exception {
    Path ks = keystore("transactor", "localhost");
    String jdbc = TestTransactor.freshStorage("tls");
    try (Transactor t = start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000)
        .withTls(ks, "changeit"))) {
      String uri = database(jdbc, "db");
      System.setProperty("accrete.writeWaitMillis", "8000");
      try {
        PeerConnection plain = peer(uri);
        ExecutionException e = assertThrows(ExecutionException.class, () -> plain.transact("[]").get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("handshake"), e.getCause().getMessage());
        plain.release();
        System.setProperty("accrete.tls.truststore", ks.toString());
        System.setProperty("accrete.tls.password", "changeit");
        PeerConnection secure = peer(uri);
        writesThenReleases(secure);
      } finally {
        System.clearProperty("accrete.tls.truststore");
        System.clearProperty("accrete.tls.password");
        System.clearProperty("accrete.writeWaitMillis");
      }
    }
  }


  @Test
  void peersAuthenticateWithCertificates() throws Exception {
    Path transactorKeys = keystore("transactor", "localhost");
    Path peerKeys = keystore("peer", "peer-1");
    Path strangerKeys = keystore("stranger", "stranger");
    String jdbc = TestTransactor.freshStorage("mtls");
    try (Transactor t = start(Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(200, 1000)
        .withTls(transactorKeys, "changeit").withPeerCertificates(peerKeys, "changeit"))) {
      String uri = database(jdbc, "db");
      System.setProperty("accrete.writeWaitMillis", "4000");
      System.setProperty("accrete.tls.truststore", transactorKeys.toString());
      System.setProperty("accrete.tls.password", "changeit");
      try {
        PeerConnection anonymous = peer(uri);
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> anonymous.transact("[]").get(30, TimeUnit.SECONDS));
        assertEquals(TransactorLink.UNAVAILABLE, ((AccreteException) e.getCause()).code());
        assertTrue(e.getCause().getMessage().contains("TLS handshake")
            && e.getCause().getMessage().contains("accrete.tls.keystore"), e.getCause().getMessage());
        anonymous.release();
        System.setProperty("accrete.tls.keystore", strangerKeys.toString());
        PeerConnection stranger = peer(uri);
        e = assertThrows(ExecutionException.class, () -> stranger.transact("[]").get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("TLS handshake"), e.getCause().getMessage());
        stranger.release();
        System.setProperty("accrete.tls.keystore", peerKeys.toString());
        writesThenReleases(peer(uri));
      } finally {
        for (String p : new String[] {"writeWaitMillis", "tls.truststore", "tls.password", "tls.keystore"}) {
          System.clearProperty("accrete." + p);
        }
      }
    }
    assertThrows(IllegalStateException.class,
        () -> Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withPeerCertificates(peerKeys, "changeit"));
  }
  @Test
  void unreachableStorageIsReportedAtStart() {
    long start = System.nanoTime();
    AccreteException e = assertThrows(AccreteException.class, () -> Transactor.start(
        Transactor.Options.of("jdbc:postgresql://127.0.0.1:1/nothing?user=x", "127.0.0.1", 0, System.out)));
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "reported quickly");
  }

  @Test
  void transactorsRacingForTheLeaseLeaveOneWriter() throws Exception {
    String jdbc = TestTransactor.freshStorage("race");
    // A long lease: the hand-over below must come from the clean stop, not from the lease lapsing.
    Transactor.Options o = Transactor.Options.of(jdbc, "127.0.0.1", 0, System.out).withTimings(100, 20_000);
    Transactor a = Transactor.start(o);
    Transactor b = Transactor.start(o);
    try {
      java.util.concurrent.CompletableFuture.anyOf(a.activated(), b.activated()).get(30, TimeUnit.SECONDS);
      Thread.sleep(2000); // many heartbeats and lease checks later
      assertEquals(1, (a.state() == Transactor.State.ACTIVE ? 1 : 0) + (b.state() == Transactor.State.ACTIVE ? 1 : 0),
          "exactly one is active: " + a.state() + ", " + b.state());
      Transactor active = a.state() == Transactor.State.ACTIVE ? a : b;
      Transactor standby = active == a ? b : a;
      assertEquals(Transactor.State.STANDBY, standby.state());
      long stopped = System.nanoTime();
      active.close(); // a clean stop releases the lease: the standby takes over with the next epoch
      assertEquals(active.epoch() + 1, standby.activated().get(30, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(5), "taken over at once, not after 20 s");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aDeposedTransactorThatComesBackCannotWrite() throws Exception {
    String jdbc = TestTransactor.freshStorage("fenced");
    String uri = "accrete:sql://db?" + jdbc;
    try (ChildJvm first = FailoverTest.transactor("tx-a", jdbc)) {
      first.await("active:", 60);
      assertTrue(Peer.createDatabase(uri));
      Connection c = Peer.connect(uri);
      c.transact(FailoverTest.SCHEMA).get(30, TimeUnit.SECONDS);
      c.transact("[{:db/id \"x\" :w/value 1}]").get(30, TimeUnit.SECONDS);
      first.signal("STOP"); // frozen: its heartbeat stops, but it still believes it is active
      try (ChildJvm second = FailoverTest.transactor("tx-b", jdbc)) {
        second.await("active:", 60);
        // The peer's link to the frozen transactor goes silent; a transaction sent on it before
        // the peer notices has an unknown outcome (it reaches the frozen one, which is fenced).
        try {
          c.transact("[{:db/id \"x\" :w/value 2}]").get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertEquals(TransactorLink.UNKNOWN, ((AccreteException) e.getCause()).code(), e.getCause().getMessage());
        }
        c.transact("[{:db/id \"x\" :w/value 20}]").get(30, TimeUnit.SECONDS);
        first.signal("CONT");
        first.await("deposed", 30);
        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, first.process().exitValue(), "the deposed transactor stops");
        c.transact("[{:db/id \"x\" :w/value 3}]").get(30, TimeUnit.SECONDS);
        java.util.Set<Long> seen = FailoverTest.values(c.sync().get(30, TimeUnit.SECONDS));
        seen.remove(2L); // applied by the new transactor if the peer had already moved to it
        assertEquals(java.util.Set.of(1L, 20L, 3L), seen);
      }
      c.release();
    }
  }

  /** Transacts a schema attribute through {@code c} (failing the test if it cannot) and releases it. */
  private static void writesThenReleases(PeerConnection c) throws Exception {
    c.transact("[{:db/ident :x/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]")
        .get(30, TimeUnit.SECONDS);
    c.release();
  }

  /** A PKCS12 keystore (password {@code changeit}) with a new self-signed certificate for {@code cn}. */
  private Path keystore(String name, String cn) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=" + cn, "-ext", "SAN=dns:" + cn + ",ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    return ks;
  }
}
