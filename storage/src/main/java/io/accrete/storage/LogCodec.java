package io.accrete.storage;

import io.accrete.Datom;
import io.accrete.schema.Ids;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Log batches: the transactions one group commit made durable together, each with its
 * {@code t}, the counter after it, and its datoms (their transaction is implied by the t).
 * A batch is stored under {@code log/<last t>} (20 digits), so the batch holding any t is the
 * first key at or after it.
 */
public final class LogCodec {
  private LogCodec() {}

  /** One transaction in a batch. */
  public record Entry(long t, long nextT, List<Datom> datoms) {}

  /** The key of the batch whose last transaction is {@code t}. */
  public static String key(long t) {
    return String.format("log/%020d", t);
  }

  /** The last t of a batch key. */
  public static long lastT(String key) {
    return Long.parseLong(key.substring(4));
  }

  public static byte[] encode(List<Entry> batch) {
    Out o = new Out(4096);
    o.varint(batch.size());
    for (Entry en : batch) {
      o.varint(en.t());
      o.varint(en.nextT());
      o.varint(en.datoms().size());
      long prevE = 0;
      for (Datom d : en.datoms()) {
        if (d.tx() != Ids.toTx(en.t())) {
          throw new IllegalArgumentException("datom of another transaction in log entry " + en.t());
        }
        o.zigzag(d.e() - prevE);
        prevE = d.e();
        o.zigzag(d.a());
        ValueCodec.write(o, d.v());
        o.u8(d.added() ? 1 : 0);
      }
    }
    return Blobs.wrap(Blobs.LOG, o.array(), o.size(), false);
  }

  public static List<Entry> decode(byte[] blob, String key, String where) {
    byte[] p = Blobs.unwrap(Blobs.LOG, blob, key, where);
    try {
      In in = new In(p, 0, p.length);
      int n = (int) in.varint();
      List<Entry> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long t = in.varint();
        long next = in.varint();
        int k = (int) in.varint();
        long tx = Ids.toTx(t);
        List<Datom> ds = new ArrayList<>(k);
        long prevE = 0;
        for (int j = 0; j < k; j++) {
          long e = prevE + in.zigzag();
          prevE = e;
          long a = in.zigzag();
          Object v = ValueCodec.read(in);
          ds.add(new Datom(e, a, v, tx, in.u8() == 1));
        }
        out.add(new Entry(t, next, Collections.unmodifiableList(ds)));
      }
      return out;
    } catch (RuntimeException e) {
      throw SegmentCodec.corrupt(key, where, e);
    }
  }
}
