package dev.editflow.storage;

import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned GET URLs of objects in our bucket: how clients read outputs and how fal reads inputs,
 * without credentials.
 */
public class ObjectUrls {

  private final S3Presigner presigner;
  private final String bucket;

  public ObjectUrls(S3Presigner presigner, ObjectStoreSettings settings) {
    this.presigner = presigner;
    this.bucket = settings.bucket();
  }

  /** A URL that reads {@code objectKey} until {@code lifetime} has passed. */
  public String get(String objectKey, Duration lifetime) {
    return presigner
        .presignGetObject(
            r ->
                r.signatureDuration(lifetime)
                    .getObjectRequest(g -> g.bucket(bucket).key(objectKey)))
        .url()
        .toString();
  }
}
