package io.accrete.transactor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The transactor–peer link: frames of a 4-byte length and a 1-byte type. On connect the
 * transactor sends {@link #CHALLENGE} (magic, protocol version, a random nonce); the peer
 * answers {@link #HELLO} (magic, version, database, peer name, HMAC-SHA256 of the nonce with
 * the shared secret); the transactor answers {@link #WELCOME} or {@link #REFUSED} and closes.
 * Then requests carry a request id and get one reply each ({@link #TX_OK}, {@link #OK},
 * {@link #SUBSCRIBED} or {@link #ERROR}); after {@link #SUBSCRIBE} the transactor pushes every
 * committed log batch ({@link #NOVELTY}) and every new index root ({@link #INDEXED}) in commit
 * order; {@link #LEAVE} tells a peer to use a link no more (the transactor cannot prove its
 * lease) before the transactor closes it. Both sides ping when idle and close a link that stays
 * silent.
 */
final class Protocol {
  static final int MAGIC = 0x41435254; // "ACRT"
  /** The protocol version this code speaks; a different one is refused with a clear message. */
  static final int VERSION = 1;
  /** Largest frame: a transaction or a log batch of a few hundred MB is refused, not buffered. */
  static final int MAX_FRAME = 256 << 20;
  /**
   * The largest frame a transactor reads from a peer that has not yet proven the secret: a
   * HELLO is a few hundred bytes, and nobody unauthenticated may make it buffer more.
   */
  static final int HANDSHAKE_FRAME = 16 << 10;
  static final int NONCE_BYTES = 16;

  // transactor → peer
  static final int CHALLENGE = 1;
  static final int WELCOME = 2;
  static final int REFUSED = 3;
  static final int TX_OK = 4;
  static final int ERROR = 5;
  static final int SUBSCRIBED = 6;
  static final int NOVELTY = 7;
  static final int INDEXED = 8;
  static final int OK = 9;
  /** The transactor cannot prove its lease: use this link no more; look the lease up again. */
  static final int LEAVE = 12;
  // either way
  static final int PING = 10;
  static final int PONG = 11;
  // peer → transactor
  static final int HELLO = 20;
  static final int TRANSACT = 21;
  static final int SUBSCRIBE = 22;
  static final int SYNC = 23;
  static final int INDEX = 24;
  static final int GC = 25;
  static final int DELETE = 26;
  static final int RENAME = 27;

  private Protocol() {}

  /**
   * Framing and liveness for one end of a link: pings after {@code pingMillis} without writing,
   * closes after {@code silentMillis} without reading (see {@link #idle}).
   */
  static void frame(ChannelPipeline p, long pingMillis, long silentMillis) {
    frame(p, pingMillis, silentMillis, MAX_FRAME);
  }

  /** {@link #frame(ChannelPipeline, long, long)} reading frames of at most {@code maxFrame} bytes. */
  static void frame(ChannelPipeline p, long pingMillis, long silentMillis, int maxFrame) {
    // Replies of one group commit are written together: one system call, not one per reply.
    p.addLast("flushes", new FlushConsolidationHandler(256, true));
    p.addLast("frames", new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4));
    p.addLast("length", new LengthFieldPrepender(4));
    p.addLast("idle", new IdleStateHandler(silentMillis, pingMillis, 0, TimeUnit.MILLISECONDS));
  }

  /**
   * After the handshake: frames up to {@link #MAX_FRAME} (a transaction may be large). Netty
   * hands the bytes the old decoder held on to the new one.
   */
  static void authenticated(ChannelPipeline p) {
    p.replace("frames", "frames", new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4));
  }

  /** The proof a peer sends: HMAC-SHA256 over the nonce, database and peer name. */
  static byte[] proof(byte[] secret, byte[] nonce, String db, String peer) {
    if (secret == null) {
      return new byte[0];
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(nonce);
      mac.update(db.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(peer.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Whether {@code proof} proves {@code secret} (constant time). */
  static boolean verify(byte[] secret, byte[] nonce, String db, String peer, byte[] proof) {
    return secret == null || MessageDigest.isEqual(proof(secret, nonce, db, peer), proof);
  }

  /** Reads the first int of a frame and says whether it is this protocol's magic. */
  static boolean magic(ByteBuf in) {
    return in.readableBytes() >= 4 && in.readInt() == MAGIC;
  }
}
