package io.accrete.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/**
 * {@code Statement.cancel()} on a remote connection. Avatica's protocol has no cancel, and its
 * own {@code cancel()} waits for the statement it should stop; so, as a PostgreSQL client sends
 * a cancel request on a connection of its own, the driver posts the statement's ids to
 * {@code accrete serve}'s {@link #PATH}, with the connection's login, and returns.
 */
public final class RemoteCancel {
  /** The server's path for cancel requests; the body is "connection-id statement-id". */
  public static final String PATH = "/accrete/cancel";

  private static final Map<Connection, RemoteCancel> SERVERS = Collections.synchronizedMap(new WeakHashMap<>());

  private final URI endpoint;
  private final String authorization;
  private final HttpClient client;

  private RemoteCancel(URI endpoint, String authorization, HttpClient client) {
    this.endpoint = endpoint;
    this.authorization = authorization;
    this.client = client;
  }

  /** Remembers where an Avatica connection's cancel requests go (its URL, login and trust store). */
  static void register(Connection avatica, String url, Properties props) throws SQLException {
    String user = props.getProperty("user");
    String authorization = user == null || user.isEmpty() ? null : "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + props.getProperty("password", "")).getBytes(StandardCharsets.UTF_8));
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    String truststore = props.getProperty("truststore");
    if (truststore != null) {
      client.sslContext(trusting(Path.of(truststore), props.getProperty("truststore_password", "")));
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    SERVERS.put(avatica, new RemoteCancel(URI.create(base + PATH), authorization, client.build()));
  }

  /**
   * Asks the server to stop a remote statement, returning once the server has been told; false,
   * doing nothing, for a statement of an embedded connection.
   */
  static boolean cancel(Statement statement) throws SQLException {
    if (!statement.isWrapperFor(AvaticaStatement.class)) {
      return false;
    }
    AvaticaStatement remote = statement.unwrap(AvaticaStatement.class);
    RemoteCancel server = SERVERS.get(remote.connection);
    if (server == null) {
      return false; // embedded (Calcite's statements are Avatica's too)
    }
    Meta.StatementHandle h = remote.handle;
    if (h == null) {
      return true; // nothing run yet: nothing to stop
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(server.endpoint).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(h.connectionId + " " + h.id));
    if (server.authorization != null) {
      request.header("Authorization", server.authorization);
    }
    try {
      server.client.send(request.build(), HttpResponse.BodyHandlers.discarding()); // 404: it had ended
      return true;
    } catch (IOException e) {
      throw new SQLException("could not send the cancel request to " + server.endpoint + ": " + e.getMessage(),
          "08006", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while sending the cancel request", "57014", e);
    }
  }

  private static SSLContext trusting(Path store, String password) throws SQLException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
      keys.load(in, password.toCharArray());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new SQLException("cannot read the trust store " + store + ": " + e.getMessage(), "08001", e);
    }
  }
}
