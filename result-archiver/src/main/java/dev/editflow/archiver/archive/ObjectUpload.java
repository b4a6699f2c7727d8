package dev.editflow.archiver.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Streams one object into S3 through a single reused part buffer: a plain PUT when the whole object
 * fits in the first part, otherwise a multipart upload that is aborted if anything fails, so no
 * half-written object and no orphaned parts remain. Memory per upload is one part.
 */
final class ObjectUpload {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectUpload.class);

  private ObjectUpload() {}

  /**
   * @param buffer the part buffer, its first {@code firstLength} bytes already filled from the
   *     stream; reused for every further part
   * @param rest the rest of the object after those bytes
   */
  static void write(
      S3Client s3,
      String bucket,
      String key,
      String contentType,
      byte[] buffer,
      int firstLength,
      InputStream rest)
      throws IOException {
    if (firstLength < buffer.length) {
      s3.putObject(
          b -> b.bucket(bucket).key(key).contentType(contentType),
          body(buffer, firstLength, contentType));
      return;
    }
    String uploadId =
        s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType))
            .uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int length = firstLength;
      while (length > 0) {
        int partNumber = parts.size() + 1;
        UploadPartResponse uploaded =
            s3.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                body(buffer, length, contentType));
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(uploaded.eTag()).build());
        length = rest.readNBytes(buffer, 0, buffer.length);
      }
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (IOException | RuntimeException e) {
      abortQuietly(s3, bucket, key, uploadId);
      throw e;
    }
  }

  /** The bytes as a body the SDK can re-read on retries, without copying the buffer. */
  private static RequestBody body(byte[] buffer, int length, String contentType) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(buffer, 0, length), length, contentType);
  }

  private static void abortQuietly(S3Client s3, String bucket, String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (RuntimeException e) {
      // S3 is likely down; a bucket lifecycle rule for incomplete uploads cleans up the parts.
      LOG.warn("Could not abort multipart upload {} of {}: {}", uploadId, key, e.toString());
    }
  }
}
