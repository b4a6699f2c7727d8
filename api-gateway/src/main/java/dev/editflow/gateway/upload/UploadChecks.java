package dev.editflow.gateway.upload;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.GatewaySettings;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.image.ImageHeader;
import dev.editflow.image.ImageProbe;
import dev.editflow.image.NotAnImage;
import dev.editflow.storage.ObjectStoreSettings;
import java.time.Clock;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Before a job may spend money on an upload: it must be the caller's, not expired, fully stored
 * with the announced size, and really an image of an accepted type whose header declares sane
 * dimensions (a decompression bomb declares huge ones). Only the first bytes are read, and only
 * until they pass once: the verdict is recorded and later edits naming the upload use it.
 */
@Component
public class UploadChecks {

  private static final int HEAD_BYTES = 64 * 1024;

  private final Uploads uploads;
  private final S3Client s3;
  private final ObjectStoreSettings storage;
  private final GatewaySettings settings;
  private final Clock clock;

  UploadChecks(
      Uploads uploads,
      S3Client s3,
      ObjectStoreSettings storage,
      GatewaySettings settings,
      Clock clock) {
    this.uploads = uploads;
    this.s3 = s3;
    this.storage = storage;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * @return the checked upload
   * @throws RequestRejected if the upload cannot be used
   */
  public Upload check(String uploadId, String ownerId) {
    Upload upload =
        uploads
            .findOwned(uploadId, ownerId)
            .orElseThrow(
                () -> new RequestRejected(ApiError.UPLOAD_NOT_FOUND, "No upload " + uploadId));
    if (upload.expiresAt().isBefore(clock.instant())) {
      throw new RequestRejected(
          ApiError.UPLOAD_EXPIRED, "Upload " + uploadId + " expired; upload the image again");
    }
    if (upload.checkedAt() == null) {
      checkBytes(upload);
      uploads.markChecked(upload.id(), clock.instant());
    }
    return upload;
  }

  private void checkBytes(Upload upload) {
    String uploadId = upload.id();
    // One ranged GET gives both the first bytes and, in Content-Range, the stored size.
    ResponseBytes<GetObjectResponse> head;
    try {
      head =
          s3.getObjectAsBytes(
              b ->
                  b.bucket(storage.bucket())
                      .key(upload.objectKey())
                      .range("bytes=0-" + (HEAD_BYTES - 1)));
    } catch (NoSuchKeyException e) {
      throw new RequestRejected(
          ApiError.UPLOAD_INCOMPLETE, "Upload " + uploadId + " has no file yet: PUT it first");
    } catch (S3Exception e) {
      // 416: an empty object has no first byte to range over.
      if (e.statusCode() == 404 || e.statusCode() == 416) {
        throw new RequestRejected(
            ApiError.UPLOAD_INCOMPLETE, "Upload " + uploadId + " has no file yet: PUT it first");
      }
      throw e;
    }
    long stored = storedSize(head.response());
    if (stored != upload.contentLength()) {
      throw new RequestRejected(
          ApiError.UPLOAD_INCOMPLETE,
          "Upload "
              + uploadId
              + " has "
              + stored
              + " bytes, not the announced "
              + upload.contentLength());
    }
    byte[] bytes = head.asByteArray();
    ImageHeader header;
    try {
      header = ImageProbe.probe(bytes, bytes.length);
    } catch (NotAnImage e) {
      throw new RequestRejected(
          ApiError.UPLOAD_NOT_AN_IMAGE, "Upload " + uploadId + " is not a PNG, JPEG or WebP image");
    }
    if (!header.type().mediaType().equals(upload.contentType())) {
      throw new RequestRejected(
          ApiError.UPLOAD_NOT_AN_IMAGE,
          "Upload "
              + uploadId
              + " is "
              + header.type().mediaType()
              + ", not "
              + upload.contentType());
    }
    var limits = settings.uploads();
    if (header.width() <= 0
        || header.height() <= 0
        || header.width() > limits.maxSide()
        || header.height() > limits.maxSide()
        || (long) header.width() * header.height() > limits.maxPixels()) {
      throw new RequestRejected(
          ApiError.UPLOAD_NOT_AN_IMAGE,
          "Upload "
              + uploadId
              + " is "
              + header.width()
              + "x"
              + header.height()
              + "; at most "
              + limits.maxSide()
              + " px a side and "
              + limits.maxPixels()
              + " pixels are accepted");
    }
  }

  /** The object's whole size: after the slash of {@code Content-Range: bytes 0-65535/123456}. */
  private static long storedSize(GetObjectResponse response) {
    String range = response.contentRange();
    if (range != null && range.lastIndexOf('/') > 0) {
      String total = range.substring(range.lastIndexOf('/') + 1).trim();
      if (total.matches("[0-9]{1,18}")) {
        return Long.parseLong(total);
      }
    }
    return response.contentLength();
  }
}
