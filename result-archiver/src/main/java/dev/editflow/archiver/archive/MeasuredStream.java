package dev.editflow.archiver.archive;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and hashes (SHA-256) every byte read through it, and stops at a size limit. */
class MeasuredStream extends InputStream {

  private final InputStream in;
  private final long maxBytes;
  private final MessageDigest sha256;
  private long count;

  MeasuredStream(InputStream in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count += n;
      if (count > maxBytes) {
        throw new OutputTooLarge(maxBytes);
      }
      sha256.update(b, off, n);
    }
    return n;
  }

  long count() {
    return count;
  }

  /** The hex SHA-256 of everything read; call once, after the end of the stream. */
  String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }
}
