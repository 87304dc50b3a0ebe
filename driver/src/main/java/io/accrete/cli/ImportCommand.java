package io.accrete.cli;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.TxReport;
import io.accrete.tx.TxProcessor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code accrete import --db <uri> [--batch N] FILE.edn…}: transacts EDN files, each a vector of
 * transaction forms, into a database (created if it does not exist), in batches of about N
 * forms, with a progress bar and a summary. Forms that share a string tempid stay in one batch,
 * so a tempid always means one entity.
 */
final class ImportCommand implements Main.Command {
  static final String USAGE = "usage: accrete import --db <uri> [--batch 1000] FILE.edn...";

  @Override
  public String summary() {
    return "bulk transact EDN files, with a progress bar and a summary";
  }

  @Override
  public String usage() {
    return """
        usage: accrete import --db <uri> [--batch 1000] FILE.edn...

        Transacts EDN files, each a vector of transaction forms, into a database (created if it
        does not exist), in batches of about N forms. Forms that share a string tempid stay in
        one batch, so a tempid always means one entity. On a terminal a progress bar shows each
        file; every file ends with a line of its forms, and the import with a summary.

        Arguments:
          FILE.edn       a file of transaction forms; files are transacted in the order given
        Options:
          --db <uri>     the database: accrete:mem://name, accrete:local:///dir/name,
                         accrete:sql://name?jdbc:postgresql://host:5432/db
          --batch N      forms per transaction (default 1000)
          -h, --help     print this help

        Example:
          accrete import --db accrete:local:///data/movies datasets/movies/schema.edn datasets/movies/data.edn
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    String uri = null;
    int batch = 1000;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--db" -> uri = TxFiles.value(args, ++i, "--db");
        case "--batch" -> {
          String b = TxFiles.value(args, ++i, "--batch");
          try {
            batch = Integer.parseInt(b);
          } catch (NumberFormatException e) {
            throw new Main.UsageException("--batch needs a number, not " + b);
          }
        }
        default -> {
          if (Main.looksLikeOption(args[i])) {
            throw Main.notAnOption(args[i]);
          }
          files.add(Path.of(args[i]));
        }
      }
    }
    if (uri == null || files.isEmpty()) {
      throw new Main.UsageException(uri == null ? "--db <uri> is required; " + USAGE : "no files to import; " + USAGE);
    }
    Peer.createDatabase(uri); // importing into a new database is the common case
    Connection conn = Peer.connect(uri);
    long start = System.nanoTime();
    long datoms = 0;
    int txs = 0;
    for (Path f : files) {
      List<?> forms = TxProcessor.parse(TxFiles.read(f));
      long[] r;
      try {
        r = load(conn, f.getFileName().toString(), forms, batch, out);
      } catch (Main.UsageException e) {
        throw new Main.UsageException(f + ", " + e.getMessage());
      }
      txs += (int) r[0];
      datoms += r[1];
      out.printf("%s: %,d forms%n", f, forms.size());
    }
    double s = (System.nanoTime() - start) / 1e9;
    out.printf("Imported %d file(s) into %s: %,d transactions, %,d datoms in %.1f s (%,.0f datoms/s); basis t = %d%n",
        files.size(), uri, txs, datoms, s, datoms / Math.max(s, 1e-9), conn.db().basisT());
    return 0;
  }

  /**
   * Transacts forms in batches with a progress bar named {@code name}.
   *
   * @return the transactions and the datoms written
   */
  static long[] load(Connection conn, String name, List<?> forms, int batch, PrintStream out)
      throws Main.UsageException {
    Progress p = new Progress(out, name);
    int done = 0;
    long txs = 0;
    long datoms = 0;
    for (List<Object> part : batches(forms, batch)) {
      TxReport r;
      try {
        r = conn.transact(part).join();
      } catch (java.util.concurrent.CompletionException e) {
        p.done();
        throw new Main.UsageException("forms " + (done + 1) + " to " + (done + part.size()) + ": "
            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
            + " (nothing of this batch was written; " + txs + " earlier transactions were)");
      }
      done += part.size();
      datoms += r.txData().size();
      txs++;
      p.update(done, forms.size(), "forms");
    }
    p.done();
    return new long[] {txs, datoms};
  }

  /**
   * The forms in batches of about {@code size}, never splitting forms that share a string
   * tempid (other than the transaction's own): a tempid must resolve within one transaction.
   */
  static List<List<Object>> batches(List<?> forms, int size) {
    int[] parent = new int[forms.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    Map<String, Integer> firstUse = new HashMap<>();
    for (int i = 0; i < forms.size(); i++) {
      for (String t : strings(forms.get(i), new ArrayList<>())) {
        Integer j = firstUse.putIfAbsent(t, i);
        if (j != null) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, List<Object>> groups = new LinkedHashMap<>();
    for (int i = 0; i < forms.size(); i++) {
      groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(forms.get(i));
    }
    List<List<Object>> out = new ArrayList<>();
    List<Object> current = new ArrayList<>();
    for (List<Object> g : groups.values()) {
      if (!current.isEmpty() && current.size() + g.size() > size) {
        out.add(current);
        current = new ArrayList<>();
      }
      current.addAll(g);
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /**
   * Every string in a form: a superset of its tempids. Plain string values only ever join forms
   * that share one, which costs batching a little, never correctness.
   */
  private static List<String> strings(Object x, List<String> out) {
    if (x instanceof String s && !s.equals("datomic.tx") && !s.equals("accrete.tx")) {
      out.add(s);
    } else if (x instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        strings(e.getValue(), out);
      }
    } else if (x instanceof java.util.Collection<?> c) {
      for (Object y : c) {
        strings(y, out);
      }
    }
    return out;
  }
}
