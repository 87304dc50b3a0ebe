package io.accrete.transactor;

import io.accrete.db.Errors;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the transactor link, from Java keystores (PKCS12 or JKS) as {@code keytool} makes
 * them; optionally mutual, so that peers authenticate with certificates.
 */
final class Tls {
  private Tls() {}

  /**
   * The transactor's side: its certificate and key; with a peer truststore, peers must present
   * a certificate it trusts (mutual TLS).
   */
  static SslContext server(Transactor.TlsKeys keys) {
    try {
      SslContextBuilder b = SslContextBuilder.forServer(keys(keys.keystore(), keys.keystorePassword()));
      if (keys.peerTruststore() != null) {
        b.trustManager(trust(keys.peerTruststore(), keys.peerTruststorePassword())).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (GeneralSecurityException | SSLException e) {
      throw Errors.db("tls", "Cannot use " + keys.keystore()
          + (keys.peerTruststore() != null ? " and " + keys.peerTruststore() : "") + " for TLS: " + e.getMessage());
    }
  }

  /**
   * A peer's side: trusts the certificates in {@code truststore} (a keystore holding the
   * transactor's certificate, or the transactor's own keystore) and checks the host name; with
   * a keystore, presents its certificate to a transactor that asks for one.
   */
  static SslContext client(Path truststore, String password, Path keystore, String keystorePassword) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient().trustManager(trust(truststore, password))
          .endpointIdentificationAlgorithm("HTTPS");
      if (keystore != null) {
        b.keyManager(keys(keystore, keystorePassword));
      }
      return b.build();
    } catch (GeneralSecurityException | SSLException e) {
      throw Errors.db("tls", "Cannot use " + truststore + (keystore != null ? " and " + keystore : "")
          + " for TLS to the transactor: " + e.getMessage());
    }
  }

  private static KeyManagerFactory keys(Path keystore, String password) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(keystore, password), password == null ? null : password.toCharArray());
    return kmf;
  }

  private static TrustManagerFactory trust(Path truststore, String password) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(truststore, password));
    return tmf;
  }

  private static KeyStore load(Path file, String password) throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, password == null ? null : password.toCharArray());
      return ks;
    } catch (IOException e) {
      throw Errors.db("tls", "Cannot read keystore " + file + ": " + e.getMessage()
          + (e.getCause() instanceof java.security.UnrecoverableKeyException ? " (wrong password?)" : ""));
    }
  }
}
