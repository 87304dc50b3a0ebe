package io.accrete.transactor;

import java.nio.charset.StandardCharsets;

/**
 * A transactor in a process of its own, for the multi-process tests:
 * {@code TransactorProcess <jdbc-url> <heartbeat ms> <lease ms> [secret|-] [port advertise]}
 * (advertise: the {@code host:port} peers connect to, a relay in front of it). It prints the
 * transactor's status lines ({@code accrete transactor: active: epoch N, …}) and exits with 3
 * when deposed.
 */
public final class TransactorProcess {
  private TransactorProcess() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 5 ? Integer.parseInt(args[4]) : 0;
    Transactor.Options o = Transactor.Options.of(args[0], "127.0.0.1", port, System.out)
        .withTimings(Long.parseLong(args[1]), Long.parseLong(args[2]));
    if (args.length > 3 && !args[3].equals("-")) {
      o = o.withSecret(args[3].getBytes(StandardCharsets.UTF_8));
    }
    if (args.length > 5) {
      o = o.withAdvertise(args[5]);
    }
    Transactor t = Transactor.start(o);
    Transactor.State end = t.stopped().get();
    System.out.flush();
    System.exit(end == Transactor.State.DEPOSED ? 3 : 0);
  }
}
