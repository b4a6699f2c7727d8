package dev.editflow.archiver.fetch;

import dev.editflow.safehttp.PinnedHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An open download: the body is read as a stream and never held in memory as a whole. Reading fails
 * with {@link MediaUnreachable} on network errors, a truncated body or when the whole download
 * takes longer than its time limit. Close it to release the connection.
 */
public final class Download implements AutoCloseable {

  private final PinnedHttp.Response response;
  private final URI uri;
  private final InputStream body;

  Download(PinnedHttp.Response response, URI uri, Duration timeLimit) {
    this.response = response;
    this.uri = uri;
    this.body =
        new GuardedBody(response.body(), System.nanoTime() + timeLimit.toNanos(), timeLimit);
  }

  /** The URL the body came from, after redirects. */
  public URI uri() {
    return uri;
  }

  /** The response's {@code Content-Type}, if any; never trusted for the real type. */
  public @Nullable String contentType() {
    return response.header("content-type");
  }

  public OptionalLong contentLength() {
    String value = response.header("content-length");
    if (value == null || response.header("transfer-encoding") != null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(value));
  }

  public InputStream body() {
    return body;
  }

  @Override
  public void close() {
    response.close();
  }

  /** Maps I/O failures to {@link MediaUnreachable} and enforces the overall time limit. */
  private static final class GuardedBody extends InputStream {

    private final InputStream in;
    private final long deadlineNanos;
    private final Duration timeLimit;

    GuardedBody(InputStream in, long deadlineNanos, Duration timeLimit) {
      this.in = in;
      this.deadlineNanos = deadlineNanos;
      this.timeLimit = timeLimit;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (System.nanoTime() > deadlineNanos) {
        throw new MediaUnreachable("the download took longer than " + timeLimit);
      }
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new MediaUnreachable("reading the media body failed: " + e, e);
      }
    }
  }
}
