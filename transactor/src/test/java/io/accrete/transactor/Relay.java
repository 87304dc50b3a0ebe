package io.accrete.transactor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback between peers and a transactor, that a test can cut: close one
 * relayed connection, and refuse new ones for a while — a network partition of one peer; or
 * hold every byte (and every close) for a while — a network that goes silent. It relays to a
 * transactor or to PostgreSQL alike.
 */
final class Relay implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket[]> pairs = new CopyOnWriteArrayList<>();
  private volatile int target;
  private volatile boolean refusing;
  private volatile boolean holding;

  Relay() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "relay");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void target(int port) {
    target = port;
  }

  /** Refuses (closes at once) new connections while true. */
  void refuse(boolean on) {
    refusing = on;
  }

  /** Holds back (delays, keeps) every relayed byte while true. */
  void hold(boolean on) {
    holding = on;
  }

  /** Closes the {@code i}-th connection relayed so far (in accept order). */
  void cut(int i) throws IOException {
    for (Socket s : pairs.get(i)) {
      s.close();
    }
  }

  int connections() {
    return pairs.size();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        if (refusing) {
          in.close();
          continue;
        }
        Socket out;
        try {
          out = new Socket(InetAddress.getLoopbackAddress(), target);
        } catch (IOException e) {
          // The target is down (PostgreSQL restarting): refuse, as a network would carry the
          // target's refusal. Left open, the client waited for a server that was not there.
          in.close();
          continue;
        }
        pairs.add(new Socket[] {in, out});
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        // closed, or the target is down: the peer sees a dropped link
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          while (holding) {
            Thread.sleep(5);
          }
          out.write(buf, 0, n);
          out.flush();
        }
        waitWhileHolding(); // a silent network does not carry a close either
      } catch (IOException e) {
        waitWhileHolding(); // one side closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // already closed
        }
      }
    }, "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private void waitWhileHolding() {
    try {
      while (holding && !server.isClosed()) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket[] p : pairs) {
      for (Socket s : p) {
        s.close();
      }
    }
  }
}
