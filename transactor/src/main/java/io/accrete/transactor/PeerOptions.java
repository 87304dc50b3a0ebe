package io.accrete.transactor;

import io.accrete.db.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a peer talks to its transactor, from system properties (and the environment for the
 * secret, so it stays out of process listings):
 *
 * <ul>
 *   <li>{@code accrete.secret}, {@code accrete.secretFile} or {@code ACCRETE_SECRET}: the shared
 *       secret the transactor asks peers to prove (none by default);
 *   <li>{@code accrete.tls.truststore} and {@code accrete.tls.password}: connect with TLS,
 *       trusting the certificates in that keystore;
 *   <li>{@code accrete.tls.keystore} and {@code accrete.tls.keystorePassword} (default: the
 *       truststore's password): the peer's own certificate and key, for a transactor that
 *       authenticates peers by certificate (mutual TLS);
 *   <li>{@code accrete.txTimeoutMillis}: how long a transaction waits for its answer (60000);
 *   <li>{@code accrete.writeWaitMillis}: how long a write waits for a transactor when none is
 *       connected, e.g. during a failover (10000).
 * </ul>
 */
record PeerOptions(byte[] secret, Path truststore, String truststorePassword, Path keystore,
    String keystorePassword, long txTimeoutMillis, long writeWaitMillis) {
  static PeerOptions fromSystem() {
    Path truststore = path(System.getProperty("accrete.tls.truststore"));
    Path keystore = path(System.getProperty("accrete.tls.keystore"));
    if (keystore != null && truststore == null) {
      throw Errors.db("invalid-setting", "accrete.tls.keystore (" + keystore + ") needs accrete.tls.truststore:"
          + " the peer must know which transactor certificate to trust");
    }
    String password = System.getProperty("accrete.tls.password");
    return new PeerOptions(sharedSecret(), truststore, password, keystore,
        System.getProperty("accrete.tls.keystorePassword", password), millis("accrete.txTimeoutMillis", 60_000),
        millis("accrete.writeWaitMillis", 10_000));
  }

  /** The shared secret: a system property, a file, or the environment; null when none is set. */
  static byte[] sharedSecret() {
    String s = System.getProperty("accrete.secret");
    String file = System.getProperty("accrete.secretFile");
    if (s == null && file != null) {
      try {
        s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw Errors.db("invalid-secret", "Cannot read the shared secret from " + file + ": " + e.getMessage());
      }
    }
    if (s == null) {
      s = System.getenv("ACCRETE_SECRET");
    }
    return s == null || s.isEmpty() ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static Path path(String p) {
    return p == null || p.isEmpty() ? null : Path.of(p);
  }

  private static long millis(String name, long dflt) {
    String v = System.getProperty(name);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw Errors.db("invalid-setting", name + " must be a number of milliseconds, not " + v);
    }
  }
}
