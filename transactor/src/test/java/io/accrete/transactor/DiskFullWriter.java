package io.accrete.transactor;

import io.accrete.Connection;
import io.accrete.Keyword;
import io.accrete.Peer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The process of {@link DiskFullTest}, run on a small tmpfs of its own: fills the disk with
 * transactions until one is refused, then checks what a user would and prints one line per
 * finding ({@code FAILED <message>}, {@code PRESENT <n> OF <acked>}, {@code RECOVERED},
 * {@code REOPENED <n>}). Run as {@code DiskFullWriter <dir>}.
 */
public final class DiskFullWriter {
  private DiskFullWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path filler = dir.resolve("filler");
    Files.write(filler, new byte[1 << 20]); // freed later, to show writes resume
    String uri = "accrete:local://" + dir.resolve("db") + "?indexThreshold=200";
    Peer.createDatabase(uri);
    Connection c = Peer.connect(uri);
    c.transact("[{:db/ident :blob/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one"
        + " :db/unique :db.unique/identity}"
        + " {:db/ident :blob/text :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]").join();
    String text = "x".repeat(8192) + System.nanoTime(); // LZ4 shrinks it; the log still grows
    Set<Long> acked = new HashSet<>();
    long id = 0;
    while (true) {
      id++;
      try {
        c.transact(List.of(Map.of(Keyword.intern(":blob/id"), id, Keyword.intern(":blob/text"), text + id
            + new java.util.Random(id).ints(2000).mapToObj(Integer::toString).reduce("", String::concat)))).join();
        acked.add(id);
      } catch (CompletionException e) {
        System.out.println("FAILED " + e.getCause().getMessage().replace('\n', ' '));
        break;
      }
      if (id > 100_000) {
        System.out.println("NEVER FULL");
        return;
      }
    }
    System.out.println("PRESENT " + present(c).containsAll(acked) + " " + acked.size());
    Files.delete(filler);
    c.transact(List.of(Map.of(Keyword.intern(":blob/id"), -1L, Keyword.intern(":blob/text"), "after"))).join();
    System.out.println("RECOVERED");
    c.release();
    Connection again = Peer.connect(uri);
    Set<Long> after = present(again);
    System.out.println("REOPENED " + (after.containsAll(acked) && after.contains(-1L)));
    again.release();
  }

  private static Set<Long> present(Connection c) {
    Collection<?> ids = Peer.q("[:find [?id ...] :where [_ :blob/id ?id]]", c.db());
    Set<Long> out = new HashSet<>();
    for (Object o : ids) {
      out.add((Long) o);
    }
    return out;
  }
}
