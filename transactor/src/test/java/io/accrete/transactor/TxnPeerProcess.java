package io.accrete.transactor;

import io.accrete.Connection;
import io.accrete.Peer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A peer in a process of its own running {@link ListTxns} transactions: {@code TxnPeerProcess
 * <uri>}, then on standard input {@code W <id> <mops>} (a write transaction) or
 * {@code Q <id> <0|1 synced> <mops>} (a read-only one), each answered with
 * {@code R <id> <OK|FAIL|UNKNOWN> <t or -1> <reads>}.
 */
public final class TxnPeerProcess {
  private TxnPeerProcess() {}

  public static void main(String[] args) throws Exception {
    Connection c = Peer.connect(args[0]);
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.split(" ");
      ListTxns.Result r = f[0].equals("W") ? ListTxns.write(c, ListTxns.decode(f[2]))
          : ListTxns.read(c, ListTxns.decode(f[3]), f[2].equals("1"));
      System.out.println("R " + f[1] + " " + r.outcome() + " " + r.t() + " " + ListTxns.readsText(r.mops())
          + (r.why().isEmpty() ? "" : " # " + r.why().replace('\n', ' ')));
    }
  }
}
