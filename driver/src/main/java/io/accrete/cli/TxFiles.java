package io.accrete.cli;

import io.accrete.Connection;
import io.accrete.Peer;
import io.accrete.tx.TxProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code --tx FILE.edn} options: transact files first, creating an in-memory database if needed. */
final class TxFiles {
  private TxFiles() {}

  static Connection open(String uri, List<Path> txFiles) throws Exception {
    if (!txFiles.isEmpty() && uri.startsWith("accrete:mem:")) {
      Peer.createDatabase(uri);
    }
    Connection conn = Peer.connect(uri);
    for (Path f : txFiles) {
      conn.transact(TxProcessor.parse(read(f))).join();
    }
    return conn;
  }

  /** A file's text, or one clear line when it is not there. */
  static String read(Path f) throws Exception {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new Main.UsageException("no such file: " + f);
    }
  }

  static String value(String[] args, int i, String option) throws Main.UsageException {
    if (i >= args.length) {
      throw new Main.UsageException(option + " needs a value");
    }
    return args[i];
  }
}
