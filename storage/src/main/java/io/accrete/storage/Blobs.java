package io.accrete.storage;

import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The envelope of every stored blob: a magic tag naming Accrete and the blob's kind, a format
 * version, the uncompressed length, a CRC32C of the stored payload, and the payload, LZ4
 * compressed. A blob that is not Accrete's, of another kind, of a newer format, or whose
 * checksum does not match is reported as such and never decoded.
 */
final class Blobs {
  private Blobs() {}

  static final byte LEAF = 'L';
  static final byte BRANCH = 'B';
  static final byte LOG = 'G';
  static final byte ROOT = 'R';
  static final byte GARBAGE = 'X';
  static final byte FULLTEXT = 'F';

  private static final int VERSION = 1;
  private static final int HEADER = 4 + 1 + 1 + 4 + 4;
  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
  private static final LZ4Compressor FAST = LZ4.fastCompressor();
  private static final LZ4Compressor HIGH = LZ4.highCompressor(4);
  private static final LZ4SafeDecompressor DECOMPRESS = LZ4.safeDecompressor();

  /**
   * Wraps a payload. {@code high} uses LZ4's high-compression mode: slower to write, smaller
   * and as fast to read, right for segments written once in the background.
   */
  static byte[] wrap(byte kind, byte[] payload, int length, boolean high) {
    LZ4Compressor c = high ? HIGH : FAST;
    byte[] out = new byte[HEADER + c.maxCompressedLength(length)];
    int clen = c.compress(payload, 0, length, out, HEADER, out.length - HEADER);
    out[0] = 'A';
    out[1] = 'C';
    out[2] = 'R';
    out[3] = kind;
    out[4] = VERSION;
    out[5] = 1; // flags: LZ4
    putInt(out, 6, length);
    CRC32C crc = new CRC32C();
    crc.update(out, HEADER, clen);
    putInt(out, 10, (int) crc.getValue());
    return java.util.Arrays.copyOf(out, HEADER + clen);
  }

  /** The payload of a blob of {@code kind}; an error naming the blob when it is not sound. */
  static byte[] unwrap(byte kind, byte[] blob, String key, String where) {
    if (blob.length < HEADER || blob[0] != 'A' || blob[1] != 'C' || blob[2] != 'R') {
      throw new StorageException("foreign-blob", "Blob " + key + " in " + where
          + " is not an Accrete blob; is this the right storage?");
    }
    if (blob[3] != kind) {
      throw new StorageException("corrupt-blob", "Blob " + key + " in " + where + " holds a '"
          + (char) blob[3] + "' where a '" + (char) kind + "' was expected");
    }
    if (blob[4] > VERSION) {
      throw new StorageException("newer-format", "Blob " + key + " in " + where + " has format "
          + blob[4] + "; this Accrete reads up to " + VERSION + " (upgrade Accrete)");
    }
    int length = getInt(blob, 6);
    CRC32C crc = new CRC32C();
    crc.update(blob, HEADER, blob.length - HEADER);
    if ((int) crc.getValue() != getInt(blob, 10) || length < 0) {
      throw new StorageException("corrupt-blob", "Blob " + key + " in " + where
          + " is corrupt (checksum mismatch); restore the database from a backup");
    }
    byte[] out = new byte[length];
    try {
      int n = DECOMPRESS.decompress(blob, HEADER, blob.length - HEADER, out, 0);
      if (n != length) {
        throw new StorageException("corrupt-blob", "Blob " + key + " in " + where
            + " decompresses to " + n + " bytes, not " + length);
      }
    } catch (net.jpountz.lz4.LZ4Exception e) {
      throw new StorageException("corrupt-blob", "Blob " + key + " in " + where
          + " cannot be decompressed: " + e.getMessage(), e);
    }
    return out;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }
}
