package io.accrete.transactor;

import io.accrete.Log;
import io.accrete.conn.BaseConnection;
import io.accrete.db.Db;
import io.accrete.db.Errors;
import io.accrete.storage.DbRoot;
import io.accrete.storage.LogCodec;
import io.accrete.storage.Storage;
import io.accrete.storage.TreeStore;
import io.accrete.tx.Excision;
import java.util.List;

/**
 * What a connection whose value comes from storage does the same way, whether it writes (an
 * in-process transactor) or follows a transactor (a peer): opening from the root and the log
 * after it, keeping the transactions since the last root in memory, and switching to new trees.
 */
abstract class StoredConnection extends BaseConnection {
  /** The name of the root blob. */
  static final String ROOT = "root";

  protected final TreeStore trees;
  protected final DurableLog log;

  /**
   * A database as read from storage: its root, the trees it names, and the log after it applied;
   * {@code excisions}: requests in that log, which storage may not have carried out yet.
   */
  record Loaded(DbRoot root, byte[] rootBytes, TreeStore trees, Db db, List<LogCodec.Entry> recent,
      List<Excision.Spec> excisions) {}

  protected StoredConnection(String uri, Loaded loaded, Storage storage) {
    super(uri, loaded.db());
    this.trees = loaded.trees();
    this.log = new DurableLog(storage, loaded.recent());
    this.log.excise(loaded.excisions());
  }

  /** Reads a database's root and replays the log written after it; {@code shown} names it in errors. */
  static Loaded load(String shown, Storage storage, Settings settings) {
    byte[] rootBytes = storage.getRoot(ROOT);
    if (rootBytes == null) {
      throw Errors.db("db-not-found", "Database " + shown + " does not exist in " + storage.describe()
          + "; create it first with Peer.createDatabase(\"" + shown + "\")");
    }
    DbRoot root = DbRoot.decode(rootBytes, storage.describe());
    TreeStore trees = new TreeStore(storage, settings.cacheBytes(), settings.cacheDatoms());
    Db db = Db.open(root.indexes(trees), root.indexBasisT(), root.nextT(), root.lastTxInstant()).withId(root.dbId());
    List<LogCodec.Entry> recent = DurableLog.read(storage, root.indexBasisT() + 1, Long.MAX_VALUE);
    List<Excision.Spec> excisions = new java.util.ArrayList<>();
    for (LogCodec.Entry e : recent) {
      Db before = db;
      db = db.applyLogged(e.t(), e.nextT(), e.datoms());
      excisions.addAll(excisions(before, e.datoms()));
    }
    return new Loaded(root, rootBytes, trees, db, DurableLog.excised(recent, excisions), excisions);
  }

  /**
   * {@code base} — new durable trees covering up to {@code basisT} — with the transactions
   * committed after it replayed; those up to {@code basisT} leave memory.
   */
  protected Db replayAfter(Db base, long basisT) {
    for (LogCodec.Entry e : log.recentAfter(basisT)) {
      base = base.applyLogged(e.t(), e.nextT(), e.datoms());
    }
    log.dropRecentUpTo(basisT);
    return base;
  }

  /** The excision requests of one logged transaction, resolved against the value before it. */
  static List<Excision.Spec> excisions(Db before, List<io.accrete.Datom> datoms) {
    return Excision.requested(datoms) ? Excision.specs(before, datoms) : List.of();
  }

  @Override
  public Log log() {
    return log.view(db);
  }

  /** The tree store (its cache), for tests and measurements. */
  public TreeStore trees() {
    return trees;
  }
}
