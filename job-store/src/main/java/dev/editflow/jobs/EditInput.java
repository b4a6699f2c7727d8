package dev.editflow.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.jspecify.annotations.Nullable;

/**
 * One input image: either one of our uploads (stored under {@code objectKey} in our bucket and
 * presigned for fal at submit time) or an allow-listed https URL.
 */
public record EditInput(
    @Nullable String uploadId, @Nullable String objectKey, @Nullable String url) {

  public static EditInput upload(String uploadId, String objectKey) {
    return new EditInput(uploadId, objectKey, null);
  }

  public static EditInput url(String url) {
    return new EditInput(null, null, url);
  }

  @JsonIgnore
  public boolean isUpload() {
    return objectKey != null;
  }
}
