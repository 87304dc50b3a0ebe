package io.accrete.transactor;

import io.accrete.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Who may write a storage: the lease root names the active transactor (its epoch, identity and
 * endpoint) and changes only when a transactor takes over; the heartbeat root is rewritten by
 * the active transactor every beat. Peers find the transactor through the lease; a standby
 * takes over when the heartbeat stops changing. Every write of the active transactor is fenced
 * on the lease's exact bytes, so a deposed transactor can never write again.
 *
 * @param epoch grows by one with every takeover
 * @param holder the transactor's identity (random per process)
 * @param endpoint where peers reach it, {@code host:port}
 * @param since when it took the lease (epoch millis)
 * @param leaseMillis how long its heartbeat may stay unchanged before a standby takes over
 */
record Lease(long epoch, String holder, String endpoint, long since, long leaseMillis) {
  /** The lease's root name in the storage's coordination prefix. */
  static final String ROOT = "lease";
  /** The heartbeat's root name. */
  static final String HEARTBEAT = "heartbeat";
  private static final int MAGIC = 0x4143524c; // "ACRL"
  private static final int BEAT_MAGIC = 0x41435248; // "ACRH"
  private static final int VERSION = 1;

  byte[] encode() {
    return write(out -> {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeLong(epoch);
      out.writeUTF(holder);
      out.writeUTF(endpoint);
      out.writeLong(since);
      out.writeLong(leaseMillis);
    });
  }

  static Lease decode(byte[] bytes, String where) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC || in.readByte() != VERSION) {
        throw new IOException("not a lease of this version");
      }
      return new Lease(in.readLong(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
    } catch (IOException e) {
      throw new StorageException("corrupt", "The transactor lease in " + where + " is unreadable ("
          + e.getMessage() + "); was this storage written by another program?", e);
    }
  }

  /** The counter of the last heartbeat of a transactor that stopped cleanly: take over at once. */
  static final long RELEASED = -1;

  /** Whether a heartbeat says its transactor stopped cleanly. */
  static boolean released(byte[] beat) {
    return beatEpoch(beat) != -1 && beatField(beat, 1) == RELEASED; // a readable beat, released
  }

  /** A heartbeat: the holder's epoch, a counter that changes with every beat, and the time. */
  static byte[] beat(long epoch, long counter, long millis) {
    return write(out -> {
      out.writeInt(BEAT_MAGIC);
      out.writeByte(VERSION);
      out.writeLong(epoch);
      out.writeLong(counter);
      out.writeLong(millis);
    });
  }

  /** The epoch a heartbeat was written under (-1 if unreadable). */
  static long beatEpoch(byte[] beat) {
    return beatField(beat, 0);
  }

  private static long beatField(byte[] beat, int index) {
    if (beat == null) {
      return -1;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(beat))) {
      if (in.readInt() != BEAT_MAGIC || in.readByte() != VERSION) {
        return -1;
      }
      long v = in.readLong();
      for (int i = 0; i < index; i++) {
        v = in.readLong();
      }
      return v;
    } catch (IOException e) {
      return -1;
    }
  }

  private interface Writer {
    void to(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.to(out);
    } catch (IOException e) {
      throw new IllegalStateException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }
}
