package io.accrete.transactor;

import io.accrete.db.Errors;
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

/** TLS for the transactor link, from Java keystores (PKCS12 or JKS) as {@code keytool} makes them. */
final class Tls {
  private Tls() {}

  /** The transactor's side: its certificate and key. */
  static SslContext server(Path keystore, String password) {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(keystore, password), password.toCharArray());
      return SslContextBuilder.forServer(kmf).build();
    } catch (GeneralSecurityException | SSLException e) {
      throw Errors.db("tls", "Cannot use " + keystore + " for TLS: " + e.getMessage());
    }
  }

  /**
   * A peer's side: trusts the certificates in {@code truststore} (a keystore holding the
   * transactor's certificate, or the transactor's own keystore) and checks the host name.
   */
  static SslContext client(Path truststore, String password) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(load(truststore, password));
      return SslContextBuilder.forClient().trustManager(tmf).endpointIdentificationAlgorithm("HTTPS").build();
    } catch (GeneralSecurityException | SSLException e) {
      throw Errors.db("tls", "Cannot use " + truststore + " to trust the transactor: " + e.getMessage());
    }
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
