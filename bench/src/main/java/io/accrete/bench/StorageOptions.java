package io.accrete.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@link StorageBench}'s command line.
 *
 * @param datoms datoms to import (persons of {@link PersonRows#DATOMS_PER_PERSON})
 * @param clients client threads of the small-transaction runs
 * @param seconds measured one-second windows per small-transaction run
 * @param backends the Accrete storages: {@code mem}, {@code local}, {@code sql}
 * @param pgPlain whether plain PostgreSQL runs too
 * @param quick a smoke run (smaller defaults)
 * @param pgUrl a PostgreSQL server to use, or null
 * @param batch persons per import transaction (and rows per batched INSERT commit)
 * @param window import transactions in flight
 * @param coldRuns cold query calls per query, each on a fresh connection
 * @param querySeconds warm-up, then measurement, of each warm query
 * @param dir parent of the temporary directory for local databases
 */
record StorageOptions(long datoms, List<Integer> clients, int seconds, List<String> backends, boolean pgPlain,
    boolean quick, String pgUrl, int batch, int window, int coldRuns, double querySeconds, Path dir) {
  /** Persons imported: the datoms rounded up to whole persons. */
  long persons() {
    return (datoms + PersonRows.DATOMS_PER_PERSON - 1) / PersonRows.DATOMS_PER_PERSON;
  }

  boolean needsPostgres() {
    return pgPlain || backends.contains("sql");
  }

  /** Unmeasured seconds before each small-transaction run's windows. */
  double warmupSeconds() {
    return quick ? 0.5 : 1.0;
  }

  /** Parses a command line; null after printing the usage for {@code --help}. */
  static StorageOptions parse(String[] args) {
    long datoms = 1_000_000;
    List<Integer> clients = List.of(1, 16, 64);
    int seconds = 5;
    List<String> backends = List.of("mem", "local", "sql");
    boolean pgPlain = true;
    boolean quick = false;
    String pgUrl = null;
    int batch = 10_000;
    int window = 4;
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    boolean datomsSet = false;
    boolean secondsSet = false;
    boolean batchSet = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--datoms" -> {
          datoms = Long.parseLong(args[++i].replace("_", "").replace(",", ""));
          datomsSet = true;
        }
        case "--clients" -> clients = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
        case "--seconds" -> {
          seconds = Integer.parseInt(args[++i]);
          secondsSet = true;
        }
        case "--backends" -> backends = Arrays.stream(args[++i].split(",")).map(String::trim).toList();
        case "--skip-pg-plain" -> pgPlain = false;
        case "--quick" -> quick = true;
        case "--pg-url" -> pgUrl = args[++i];
        case "--batch" -> {
          batch = Integer.parseInt(args[++i]);
          batchSet = true;
        }
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "-h", "--help" -> {
          System.out.println(usage());
          return null;
        }
        default -> throw new IllegalArgumentException("Unknown argument " + args[i] + " (try --help)");
      }
    }
    for (String b : backends) {
      if (!List.of("mem", "local", "sql").contains(b)) {
        throw new IllegalArgumentException("--backends takes mem, local and sql, not " + b);
      }
    }
    if (quick) {
      datoms = datomsSet ? datoms : 30_000;
      seconds = secondsSet ? seconds : 1;
      batch = batchSet ? batch : 1_000;
    }
    return new StorageOptions(datoms, clients, seconds, backends, pgPlain, quick, pgUrl, batch, window,
        quick ? 2 : 3, quick ? 0.3 : 1.0, dir);
  }

  static String usage() {
    return """
        StorageBench [--datoms N] [--clients 1,16,64] [--seconds S] [--backends mem,local,sql]
                     [--skip-pg-plain] [--pg-url jdbc:postgresql://…] [--batch N] [--window W]
                     [--dir DIR] [--quick]
          --datoms N      datoms to import (persons of 3 datoms each); default 1000000
          --clients L     client threads of the small-transaction runs; default 1,16,64
          --seconds S     measured seconds per small-transaction run (after a 1 s warm-up); default 5
          --backends L    Accrete storages: mem (reference), local, sql; default all three
          --skip-pg-plain leave out plain PostgreSQL (COPY, batched and single-row INSERT)
          --pg-url URL    use this PostgreSQL server (else $ACCRETE_TEST_POSTGRES_URL, else an embedded one)
          --batch N       persons per import transaction (and rows per batched INSERT commit); default 10000
          --window W      import transactions in flight; default 4
          --dir DIR       parent of the temporary directory of local databases; default java.io.tmpdir
          --quick         a smoke run: 30000 datoms, 1 s runs, 1000 persons per transaction
        Transactor settings come from system properties (-Daccrete.indexThreshold=…), the same for local and sql.""";
  }
}
