package io.accrete.transactor;

import io.accrete.Connection;
import io.accrete.Database;
import io.accrete.Peer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A peer in a process of its own: {@code PeerProcess <uri>}, then commands on standard input:
 * {@code WRITE <n>} transacts a {@code :w/value} and prints {@code WROTE <n> <t>};
 * {@code SYNC} prints {@code SEES <values>} from a synced value; {@code READ} the same without
 * syncing.
 */
public final class PeerProcess {
  private PeerProcess() {}

  public static void main(String[] args) throws Exception {
    Connection c = Peer.connect(args[0]);
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.split(" ");
      try {
        switch (cmd[0]) {
          case "WRITE" -> {
            long t = c.transact("[{:db/id \"x\" :w/value " + Long.parseLong(cmd[1]) + "}]")
                .get(60, TimeUnit.SECONDS).dbAfter().basisT();
            System.out.println("WROTE " + cmd[1] + " " + t);
          }
          case "SYNC" -> System.out.println("SEES " + values(c.sync().get(60, TimeUnit.SECONDS)));
          case "READ" -> System.out.println("SEES " + values(c.db()));
          default -> System.out.println("UNKNOWN " + line);
        }
      } catch (Exception e) {
        System.out.println("FAILED " + line + ": " + e);
      }
    }
  }

  static String values(Database db) {
    TreeSet<Long> s = new TreeSet<>();
    for (Object o : (Collection<?>) Peer.q("[:find [?v ...] :where [_ :w/value ?v]]", db)) {
      s.add((Long) o);
    }
    return s.toString().replace(" ", "");
  }
}
