package dev.editflow.storage;

import dev.editflow.model.EditJobId;
import dev.editflow.model.UploadId;

/**
 * Object names in our bucket. Output keys depend only on the job and the output's index, so
 * archiving the same output twice overwrites the same object instead of creating a second one.
 */
public final class ObjectKeys {

  private ObjectKeys() {}

  public static String upload(UploadId id) {
    return "uploads/" + id.value();
  }

  public static String output(EditJobId job, int index, String extension) {
    return "outputs/" + job.value() + "/" + index + "." + extension;
  }

  /** The prefix of every output of the job, recorded or not (an archive cut short). */
  public static String outputsOf(EditJobId job) {
    return "outputs/" + job.value() + "/";
  }

  /** The file extension for an image content type we store. */
  public static String extensionOf(String contentType) {
    return switch (contentType) {
      case "image/png" -> "png";
      case "image/jpeg" -> "jpg";
      case "image/webp" -> "webp";
      default -> throw new IllegalArgumentException("Not an image type we store: " + contentType);
    };
  }
}
