package dev.editflow.archiver.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams one object into S3 without ever holding it in memory, and without leaving a half-written
 * object or orphaned parts behind when the source or S3 fails.
 *
 * <ul>
 *   <li>Length known ({@link #stream}): one PUT whose body is read from the source while it is
 *       sent, so download and upload overlap and the only memory is the SDK's send buffer. S3
 *       stores a PUT whole or not at all.
 *   <li>Length unknown ({@link #multipart}): S3 needs each part's length before its bytes, so parts
 *       are read into two alternating buffers: the next part is read from the source while the
 *       previous one uploads. The upload is aborted if anything fails.
 * </ul>
 *
 * A failure while reading the source is rethrown as itself (e.g. {@link
 * dev.editflow.archiver.fetch.MediaUnreachable}, {@link OutputTooLarge}), not as the SDK's wrapper,
 * so the caller can tell a media host failure from an S3 one.
 */
final class ObjectUpload {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectUpload.class);

  private ObjectUpload() {}

  /** Stores bytes already in memory with one PUT, which the SDK may retry. */
  static void put(
      S3Client s3, String bucket, String key, String contentType, byte[] bytes, int length) {
    s3.putObject(
        b -> b.bucket(bucket).key(key).contentType(contentType),
        RequestBody.fromContentProvider(
            () -> new ByteArrayInputStream(bytes, 0, length), length, contentType));
  }

  /**
   * Stores {@code length} bytes: the first {@code headLength} of {@code head}, then {@code rest}.
   *
   * @param rest must yield exactly {@code length - headLength} bytes, or fail
   */
  static void stream(
      S3Client s3,
      String bucket,
      String key,
      String contentType,
      byte[] head,
      int headLength,
      InputStream rest,
      long length)
      throws IOException {
    Source source =
        new Source(new SequenceInputStream(new ByteArrayInputStream(head, 0, headLength), rest));
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(length),
          RequestBody.fromContentProvider(source, length, contentType));
    } catch (SdkException e) {
      source.rethrowFailure(e);
      throw e;
    }
  }

  /**
   * Stores {@code first} (exactly one part, already read) followed by {@code rest} as a multipart
   * upload.
   *
   * @param spare the buffer the next part is read into while {@code first} uploads; same size
   */
  static void multipart(
      S3Client s3,
      String bucket,
      String key,
      String contentType,
      byte[] first,
      byte[] spare,
      InputStream rest)
      throws IOException {
    String uploadId =
        s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType))
            .uploadId();
    FutureTask<CompletedPart> inFlight = null;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] sending = first;
      byte[] reading = spare;
      int length = first.length;
      while (length > 0) {
        inFlight = upload(s3, bucket, key, uploadId, parts.size() + 1, sending, length);
        length = rest.readNBytes(reading, 0, reading.length);
        parts.add(await(inFlight));
        inFlight = null;
        byte[] sent = sending;
        sending = reading;
        reading = sent;
      }
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (IOException | RuntimeException e) {
      if (inFlight != null) {
        // The part may still be sending: let it end before the abort, or it could outlive it.
        inFlight.cancel(true);
        awaitQuietly(inFlight);
      }
      abortQuietly(s3, bucket, key, uploadId);
      throw e;
    }
  }

  private static FutureTask<CompletedPart> upload(
      S3Client s3,
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      byte[] buffer,
      int length) {
    FutureTask<CompletedPart> task =
        new FutureTask<>(
            () -> {
              String eTag =
                  s3.uploadPart(
                          b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                          RequestBody.fromContentProvider(
                              () -> new ByteArrayInputStream(buffer, 0, length),
                              length,
                              "application/octet-stream"))
                      .eTag();
              return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
            });
    Thread.ofVirtual().name("s3-part-" + partNumber).start(task);
    return task;
  }

  private static CompletedPart await(FutureTask<CompletedPart> part) throws IOException {
    try {
      return part.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while a part was uploading", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("uploading a part failed", e.getCause());
    }
  }

  private static void awaitQuietly(FutureTask<CompletedPart> part) {
    try {
      part.get();
    } catch (Exception ignored) {
      // the failure that matters is the one being thrown
    }
  }

  private static void abortQuietly(S3Client s3, String bucket, String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (RuntimeException e) {
      // S3 is likely down; a bucket lifecycle rule for incomplete uploads cleans up the parts.
      LOG.warn("Could not abort multipart upload {} of {}: {}", uploadId, key, e.toString());
    }
  }

  /**
   * The body of a streamed PUT. It can be read only once: a retry inside the SDK would need the
   * bytes again, so it fails the PUT instead and the whole archive is retried later. It remembers
   * why reading failed, since the SDK wraps that.
   */
  private static final class Source implements ContentStreamProvider {

    private final InputStream in;
    private boolean handedOut;
    // IOException or RuntimeException, the only things read() throws
    private volatile Exception failure;

    Source(InputStream in) {
      this.in = in;
    }

    @Override
    public synchronized InputStream newStream() {
      if (handedOut) {
        throw NonRetryableException.create(
            "the output is streamed from the media host and cannot be sent again");
      }
      handedOut = true;
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return in.read(b, off, len);
          } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
          }
        }
      };
    }

    void rethrowFailure(SdkException wrapper) throws IOException {
      Exception cause = failure;
      if (cause == null) {
        return;
      }
      cause.addSuppressed(wrapper);
      if (cause instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) cause;
    }
  }
}
