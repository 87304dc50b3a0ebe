package io.accrete.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay to PostgreSQL on loopback that, once {@link #arm armed}, cuts the connection on
 * which the server answers {@code COMMIT} before the answer reaches the client: PostgreSQL has
 * applied the transaction, the client only sees its connection drop. The fault that makes a
 * retried write ambiguous.
 */
final class CommitDroppingRelay implements AutoCloseable {
  private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final int targetPort;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  CommitDroppingRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "relay-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Drops the next connection whose server answers COMMIT, before the client hears it. */
  void arm() {
    armed.set(true);
  }

  /** Whether the armed fault has happened. */
  boolean fired() {
    return !armed.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket pg = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(pg);
        pump(client, pg, false);
        pump(pg, client, true);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[65536];
      byte[] tail = new byte[0];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (fromServer && armed.get()) {
            byte[] seen = new byte[tail.length + n];
            System.arraycopy(tail, 0, seen, 0, tail.length);
            System.arraycopy(buf, 0, seen, tail.length, n);
            if (contains(seen, COMMIT) && armed.compareAndSet(true, false)) {
              from.close();
              to.close();
              return;
            }
            tail = java.util.Arrays.copyOfRange(seen, Math.max(0, seen.length - COMMIT.length), seen.length);
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed: close the other
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed: nothing left to release
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
