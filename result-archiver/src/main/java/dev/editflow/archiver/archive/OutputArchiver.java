package dev.editflow.archiver.archive;

import dev.editflow.archiver.fetch.Download;
import dev.editflow.archiver.fetch.MediaFetcher;
import dev.editflow.archiver.fetch.MediaGone;
import dev.editflow.archiver.fetch.MediaUnreachable;
import dev.editflow.image.ImageHeader;
import dev.editflow.image.ImageProbe;
import dev.editflow.image.ImageType;
import dev.editflow.image.NotAnImage;
import dev.editflow.jobs.ArchivedOutput;
import dev.editflow.messaging.TransientFailure;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.message.GeneratedImage;
import dev.editflow.safehttp.UrlNotAllowed;
import dev.editflow.storage.ObjectKeys;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Copies one output from fal's media host into our bucket: streams it, hashes and counts it on the
 * way, identifies it from its first bytes, and uploads it while it downloads (see {@link
 * ObjectUpload}), never holding it whole. The object key depends only on the job, the index and the
 * real type, so archiving again overwrites the same object. The fetch and the store are client
 * spans in the job's trace.
 */
public final class OutputArchiver {

  private static final Logger LOG = LoggerFactory.getLogger(OutputArchiver.class);

  private final MediaFetcher fetcher;
  private final S3Client s3;
  private final String bucket;
  private final long maxBytes;
  private final int partSize;
  private final int headerBytes;
  private final Clock clock;
  private final Tracer tracer;

  public OutputArchiver(
      MediaFetcher fetcher,
      S3Client s3,
      String bucket,
      long maxBytes,
      int partSize,
      int headerBytes,
      Clock clock,
      Tracer tracer) {
    this.fetcher = fetcher;
    this.s3 = s3;
    this.bucket = bucket;
    this.maxBytes = maxBytes;
    this.partSize = partSize;
    this.headerBytes = headerBytes;
    this.clock = clock;
    this.tracer = tracer;
  }

  /**
   * Archives one output and says what it is; does not record it.
   *
   * @throws OutputRejected if the output can never be archived
   * @throws TransientFailure if the media host or S3 failed in a way that may pass
   */
  public ArchivedOutput archive(EditJobId job, GeneratedImage image) {
    checkDeclaredType(image.contentType(), "fal's output description");
    try {
      FirstPart fetched = step("media fetch", "fal-media", image, () -> fetchFirstPart(image));
      try (Download download = fetched.download()) {
        ImageHeader header =
            ImageProbe.probe(fetched.buffer(), Math.min(fetched.length(), headerBytes));
        warnOnMismatch(job, image, header);
        String key = ObjectKeys.output(job, image.index(), header.type().extension());
        step(
            "s3 put",
            "s3",
            image,
            () -> {
              store(key, header.type().mediaType(), fetched);
              return key;
            });
        MeasuredStream body = fetched.body();
        return new ArchivedOutput(
            image.index(),
            key,
            header.type().mediaType(),
            header.width(),
            header.height(),
            body.count(),
            body.sha256Hex(),
            clock.instant());
      }
    } catch (UrlNotAllowed e) {
      LOG.warn(
          "Output {} of job {} is not fetched, the URL is not allowed: {}",
          image.index(),
          job,
          e.getMessage());
      throw new OutputRejected(ErrorCode.OUTPUT_UNAVAILABLE, "not allowed: " + e.getMessage());
    } catch (MediaGone e) {
      throw new OutputRejected(ErrorCode.OUTPUT_UNAVAILABLE, e.getMessage());
    } catch (NotAnImage | OutputTooLarge e) {
      throw new OutputRejected(ErrorCode.OUTPUT_INVALID, e.getMessage());
    } catch (MediaUnreachable e) {
      throw new TransientFailure("media host: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new TransientFailure("S3: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TransientFailure("media host: " + e, e);
    }
  }

  /**
   * The opened download with its first bytes read: type and size are known before S3 sees a byte.
   */
  private FirstPart fetchFirstPart(GeneratedImage image) throws IOException {
    Download download = fetcher.open(image.url());
    try {
      checkDeclaredType(download.contentType(), "the media host's Content-Type");
      if (download.contentLength().orElse(0) > maxBytes) {
        throw new OutputRejected(
            ErrorCode.OUTPUT_INVALID,
            "the media host announces "
                + download.contentLength().getAsLong()
                + " bytes, over the limit of "
                + maxBytes);
      }
      MeasuredStream body = new MeasuredStream(download.body(), maxBytes);
      // With a known length the rest is streamed, so only the header window is read ahead;
      // otherwise the first part, which doubles as the header window.
      long announced = download.contentLength().orElse(-1);
      int ahead = announced >= 0 ? (int) Math.min(announced, headerBytes) : partSize;
      byte[] buffer = new byte[ahead];
      int length = body.readNBytes(buffer, 0, ahead);
      return new FirstPart(download, body, buffer, length);
    } catch (IOException | RuntimeException e) {
      download.close();
      throw e;
    }
  }

  private record FirstPart(Download download, MeasuredStream body, byte[] buffer, int length) {}

  /**
   * Stores the output under {@code key}: streamed as it downloads when its length is known, else
   * part by part; bytes already all in memory go in one PUT the SDK may retry.
   */
  private void store(String key, String contentType, FirstPart fetched) throws IOException {
    OptionalLong announced = fetched.download().contentLength();
    if (announced.isPresent() && announced.getAsLong() > fetched.length()) {
      ObjectUpload.stream(
          s3,
          bucket,
          key,
          contentType,
          fetched.buffer(),
          fetched.length(),
          fetched.body(),
          announced.getAsLong());
    } else if (announced.isPresent() || fetched.length() < fetched.buffer().length) {
      ObjectUpload.put(s3, bucket, key, contentType, fetched.buffer(), fetched.length());
    } else {
      ObjectUpload.multipart(
          s3, bucket, key, contentType, fetched.buffer(), new byte[partSize], fetched.body());
    }
  }

  /** Runs one step of archiving an output as a client span, a child of the span in scope. */
  private <T> T step(String name, String remote, GeneratedImage image, IoStep<T> work)
      throws IOException {
    Span span =
        tracer
            .spanBuilder()
            .name(name)
            .kind(Span.Kind.CLIENT)
            .remoteServiceName(remote)
            .tag("editflow.output", image.index())
            .start();
    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
      return work.run();
    } catch (IOException | RuntimeException e) {
      span.error(e);
      throw e;
    } finally {
      span.end();
    }
  }

  @FunctionalInterface
  private interface IoStep<T> {
    T run() throws IOException;
  }

  /**
   * A declared type only matters when it says "not an image": then fal (or something in between)
   * handed us something else, and we refuse it even if the bytes happen to look like an image. A
   * different image type is harmless, since the stored type comes from the bytes.
   */
  private static void checkDeclaredType(@Nullable String declared, String source) {
    if (declared == null) {
      return;
    }
    String bare = declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (bare.isEmpty()
        || bare.equals("application/octet-stream")
        || bare.equals("binary/octet-stream")
        || ImageType.ofMediaType(bare).isPresent()) {
      return;
    }
    throw new OutputRejected(
        ErrorCode.OUTPUT_INVALID, source + " says " + bare + ", not a PNG, JPEG or WebP image");
  }

  private static void warnOnMismatch(EditJobId job, GeneratedImage image, ImageHeader header) {
    Optional<ImageType> declared = ImageType.ofMediaType(image.contentType());
    if (declared.isPresent() && declared.get() != header.type()) {
      LOG.warn(
          "Output {} of job {} was declared {} but is {}; storing it as {}.",
          image.index(),
          job,
          declared.get(),
          header.type(),
          header.type().mediaType());
    }
  }
}
