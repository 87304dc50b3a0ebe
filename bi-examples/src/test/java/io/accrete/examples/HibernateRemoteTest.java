package io.accrete.examples;

import io.accrete.Peer;
import io.accrete.server.AccreteServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/** Hibernate through {@code accrete serve}, with the remote driver. */
class HibernateRemoteTest extends HibernateCases {
  AccreteServer server;

  @Override
  String url() {
    if (server == null) {
      try {
        String db = "accrete:mem://hibernate-remote-" + System.nanoTime();
        Peer.createDatabase(db);
        server = AccreteServer.start(new AccreteServer.Options(db, "127.0.0.1", 0, null, null, null, 20, 10,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return server.jdbcUrl();
  }

  @Override
  void stop() {
    if (server != null) {
      server.close();
    }
  }
}
